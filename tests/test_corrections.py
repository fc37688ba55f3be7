"""Corrections that cannot hide things (issue 29): a corrected passage that later versions
still hold is named passage by passage, drafts included."""
from __future__ import annotations

import pytest

from tests.helpers import CORRECTION_ENTRY, NOW, V2018, V2027, add_third_version

V2028 = "versions/2028-01-01.yaml"
TYPO, FIXED = "We deal with the following", "We handle the following"


@pytest.fixture
def project(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))  # 2026-11-25
    return project


def correct_2018(project) -> None:
    project.replace(V2018, TYPO, FIXED)
    project.replace(V2018, "sections:\n", "corrections:\n" + CORRECTION_ENTRY + "sections:\n")


def test_a_later_draft_whose_section_changed_elsewhere_still_carries_the_passage(project, cli):
    add_third_version(project)
    project.replace(V2028, "status: published", "status: draft")
    # The draft's section is no longer the corrected one's: a sentence was added after it.
    project.replace(V2028, "strictly as personal information.",
                    "strictly as personal information. We also keep it safe from loss.")
    correct_2018(project)
    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)
    assert run.code == 0, run.err
    assert "version 2027-04-01 still contains the corrected passage (section 'scope')" in run.out
    assert "draft 2028-01-01 still contains the corrected passage (section 'scope'): correct " \
        "it there too\n" in run.out + "\n"


def test_a_later_version_that_corrected_the_passage_too_is_not_named(project, cli):
    add_third_version(project)
    project.replace(V2028, "status: published", "status: draft")
    project.replace(V2028, TYPO, FIXED)
    correct_2018(project)
    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)
    assert run.code == 0, run.err
    assert "2028-01-01" not in run.out and "version 2027-04-01 still contains" in run.out


def delete_section(project, relative: str, section_id: str) -> None:
    text = project.read(relative)
    start = text.index(f"\n  - id: {section_id}\n")
    end = text.index("\n  - id: ", start + 1)
    project.write(relative, text[:start] + text[end:])


def test_a_deleted_published_section_is_reported_once_as_deleted_where_it_stood(project, cli):
    delete_section(project, V2018, "scope")
    run = cli("validate", cwd=project.root)
    assert run.code == 2
    line, column = project.line_of(V2018, "- id: storage-location")
    assert run.err.splitlines()[0] == (
        f"policy_src/{V2018}:{line}:{column + 2}: section 'scope' of published version "
        "2018-07-06 was deleted (it stood before section 'storage-location'); a published text "
        "must not change: restore the section (for example with git); a section removed is "
        "not a correction of a typo, so publish a new version without it "
        "(`policygen new-version`)")
    assert "1 problem found" in run.err and "differs from its locked text" not in run.err


def test_a_correction_cannot_delete_a_section(project, cli):
    delete_section(project, V2018, "scope")
    project.replace(V2018, "sections:\n", "corrections:\n" + CORRECTION_ENTRY + "sections:\n")
    before = (project.source / "policy.lock").read_bytes()
    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)
    assert run.code == 2 and "a correction cannot delete section 'scope' of published " \
        "version 2018-07-06" in run.err and "publish a new version without it" in run.err
    assert (project.source / "policy.lock").read_bytes() == before


def test_a_correction_that_hides_a_stale_translation_of_the_draft_after_it_is_warned(
        project, cli):
    add_third_version(project)
    project.replace(V2028, "status: published", "status: draft")
    strict, fitting = "個人情報として厳格に取り扱います。", "個人情報として適切に取り扱います。"
    project.replace(V2028, strict, fitting)  # the English is not updated: stale
    run = cli("translations", "--lang", "en", cwd=project.root)
    assert "sections.scope.body" in run.out
    # The previous version "corrected" to the draft's wording, in both languages: the
    # draft's English is now the text the correction replaced.
    project.replace(V2027, strict, fitting)
    project.replace(V2027, "strictly as personal information", "properly as personal information")
    project.write(V2027, project.read(V2027) + CORRECTION_ENTRY)
    run = cli("lock", "--correct", "2027-04-01", cwd=project.root)
    assert run.code == 0, run.err
    assert "warning: this correction gave sections.scope.body of version 2027-04-01 the " \
        "wording of 2028-01-01, while 2028-01-01's English text of it reads as 2027-04-01's " \
        "did before: it was stale before the correction" in run.err
    assert "sections.scope.body" not in cli("translations", "--lang", "en",
                                            cwd=project.root).out  # why the warning is due
    assert "translate it in 2028-01-01" in run.err


def test_a_typo_corrected_in_both_languages_warns_of_nothing(project, cli):
    add_third_version(project)
    project.replace(V2028, "status: published", "status: draft")
    project.replace(V2027, TYPO, FIXED)
    project.write(V2027, project.read(V2027) + CORRECTION_ENTRY)
    run = cli("lock", "--correct", "2027-04-01", cwd=project.root)
    assert run.code == 0, run.err
    assert "warning: this correction" not in run.err
    assert "draft 2028-01-01 still contains the corrected passage" in run.out


def test_a_correction_of_the_authoritative_text_alone_hides_nothing(project, cli):
    add_third_version(project)
    project.replace(V2028, "status: published", "status: draft")
    # A typo of the Japanese alone, corrected in 2027-04-01 and fixed in the draft too.
    project.replace(V2027, "厳格に取り扱います。", "厳格に取扱います。")
    project.replace(V2028, "厳格に取り扱います。", "厳格に取扱います。")
    project.write(V2027, project.read(V2027) + CORRECTION_ENTRY)
    project.write(V2027, project.read(V2027) + "translations_checked:\n  - place: "
                  "sections.scope.body\n    language: en\n    reason: the English had no typo\n")
    run = cli("lock", "--correct", "2027-04-01", cwd=project.root)
    assert run.code == 0, run.err
    assert "warning: this correction" not in run.err
