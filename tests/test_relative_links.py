"""Relative links in texts: resolved against policygen.yml's link_base when rendered, refused
by `validate` where there is none; the base is a deployment setting, in no published text."""
from __future__ import annotations

import pytest
from babel.support import NullTranslations

from generator.build import read_source
from generator.core.diagnostics import PolicyError
from generator.outputs.templates import environment

V2018 = "versions/2018-07-06.yaml"


def problems(project) -> list[str]:
    with pytest.raises(PolicyError) as raised:
        read_source(project.layout)
    return [str(d) for d in raised.value.diagnostics if not d.is_warning]


def test_a_relative_link_without_a_link_base_is_refused_with_the_setting_to_add(project):
    project.replace(V2018, "en: We deal with the following information",
                    "en: We deal with [the following](../terms/) information")
    found = problems(project)
    assert len(found) == 1 and "relative link to '../terms/'" in found[0] and \
        "set 'link_base: https://...' in policygen.yml" in found[0]


def test_a_relative_link_is_resolved_against_the_link_base_when_rendered(project):
    project.replace(V2018, "en: We deal with the following information",
                    "en: We deal with [the following](../terms/#cookies) information")
    project.configure(link_base="https://www.example.com/legal/privacy/")
    policy = read_source(project.layout).policy
    assert policy.link_base == "https://www.example.com/legal/privacy/"
    env = environment(NullTranslations(), "en")
    html = env.from_string("{{ text | markdown }}").render(
        policy=policy, text=policy.version("2018-07-06").section("scope").body["en"])
    assert '<a href="https://www.example.com/legal/terms/#cookies">the following</a>' in html


def test_a_link_base_must_be_a_web_address(project, cli):
    project.configure(link_base="www.example.com")
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "link_base 'www.example.com' is not an http(s) address" in run.err


def test_the_link_base_is_no_part_of_any_version_document(project):
    from generator.core import documents

    before = read_source(project.layout).policy
    project.configure(link_base="https://www.example.com/")
    after = read_source(project.layout).policy
    for old, new in zip(before.versions, after.versions, strict=True):
        assert documents.version_document(before.info, old, "en").content == \
            documents.version_document(after.info, new, "en").content
