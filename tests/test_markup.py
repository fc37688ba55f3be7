"""The text format of a legal text: GitHub tables, nested headings, hard line breaks and
relative links, rendered safely; whatever a reader would see as literal markup is an error of
`validate` at its line, with the fix (the bad-input corpus holds one case of each)."""
from __future__ import annotations

import pytest
from babel.support import NullTranslations

from generator.build import read_source
from generator.core import markup
from generator.core.diagnostics import PolicyError
from generator.outputs.templates import environment

V2018 = "versions/2018-07-06.yaml"
SCOPE = "en: We deal with the following information strictly as personal information."
TABLE = ("| Kind | *Purpose* |\n|:--|--:|\n| e-mail | [contact](https://example.com/c) |\n"
         "| phone \\| fax | |\n")


def body(project, text: str) -> None:
    """The scope section's English text replaced by `text` (a YAML block)."""
    indented = "".join(f"        {line}\n" if line else "\n" for line in text.split("\n"))
    project.replace(V2018, SCOPE, "en: |\n" + indented.rstrip("\n"))


def problems(project) -> list[str]:
    with pytest.raises(PolicyError) as raised:
        read_source(project.layout)
    return [str(d) for d in raised.value.diagnostics if not d.is_warning]


# --- tables ---------------------------------------------------------------------------------

def test_a_table_renders_as_a_table_with_its_alignment_emphasis_and_links():
    html = markup.to_html(TABLE)
    assert "<thead>" in html and '<th style="text-align:left">Kind</th>' in html
    assert '<th style="text-align:right"><em>Purpose</em></th>' in html
    assert '<td style="text-align:right"><a href="https://example.com/c">contact</a></td>' in html
    assert "<td style=\"text-align:left\">phone | fax</td>" in html  # an escaped pipe is text


def test_a_table_cell_never_becomes_markup():
    html = markup.to_html("| a |\n|---|\n| <script>x</script> [y](javascript:alert(1)) |\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_the_plain_text_of_a_table_is_one_line_per_row_each_cell_led_by_a_tab():
    assert markup.plain_text("Before.\n\n" + TABLE + "\nAfter.") == \
        "Before.\n\tKind\tPurpose\n\te-mail\tcontact\n\tphone | fax\t\n\nAfter."


def test_the_plain_text_of_a_text_without_a_table_is_as_before():
    assert markup.plain_text("One *two*\nthree.\n\n- four\n- five\n") == \
        "One two\nthree.\nfour\n\nfive"


def test_links_inside_table_cells_are_checked(project):
    body(project, "| a |\n|---|\n| [x](javascript:alert(1)) |")
    assert any("link to 'javascript:alert(1)'" in p and "is not allowed" in p
               for p in problems(project))


def test_a_table_row_with_a_cell_too_few_is_located_at_its_row(project):
    body(project, "| Kind | Purpose |\n|---|---|\n| e-mail |")
    line, column = project.line_of(V2018, "| e-mail |")
    [found] = problems(project)
    assert found.endswith(
        f"policy_src/{V2018}:{line}:{column}: a table row has 1 cell where its header has 2 "
        "cells (in the 'en' text of 'body' of section 'scope'); give every row 2 cells, e.g. "
        "'|  |' for an empty one; write a '|' inside a cell as '\\|'")


def test_a_table_whose_rows_match_its_header_is_valid(project):
    body(project, "Intro.\n\n" + TABLE)
    read_source(project.layout)


# --- headings, line breaks and markup that would show as typed -------------------------------

def test_sections_nest_to_level_five_and_keep_their_anchors(project):
    project.replace(V2018, "- id: storage-location\n    level: 2",
                    "- id: storage-location\n    level: 3")
    project.replace(V2018, "- id: analytics\n    level: 2", "- id: analytics\n    level: 4")
    project.replace(V2018, "- id: children\n    level: 2", "- id: children\n    level: 5")
    version = read_source(project.layout).policy.version("2018-07-06")
    assert [s.level for s in version.sections[2:6]] == [2, 3, 4, 5]
    env = environment(NullTranslations(), "en")
    rendered = env.get_template("section.md.j2").render(
        version=version, section=version.section("children"), lang="en",
        policy=read_source(project.layout).policy, cite="versions/2018-07-06/", number=None)
    assert rendered.startswith("###### Use of services by children { #children }")


def test_a_section_may_go_back_up_any_number_of_levels(project):
    project.replace(V2018, "- id: storage-location\n    level: 2",
                    "- id: storage-location\n    level: 3")
    read_source(project.layout)  # analytics, level 2, follows a section of level 3


def test_the_first_section_starts_at_level_one(project):
    project.replace(V2018, "  - id: overview\n", "  - id: overview\n    level: 2\n")
    found = problems(project)
    assert len(found) == 1 and "section 'overview' is the first section but at level 2; " \
        "the first section is at level 1" in found[0]


def test_a_hard_line_break_is_a_break_and_raw_html_for_one_is_an_error(project):
    assert markup.to_html("one\\\ntwo  \nthree\nfour") == \
        "<p>one<br />\ntwo<br />\nthree<br />\nfour</p>\n"
    project.replace(V2018, "en: We deal with the following information",
                    "en: We deal with the following<br/>information")
    found = problems(project)
    assert len(found) == 1 and "raw HTML ('<br/>') is not allowed" in found[0] and \
        "end the line with a backslash (\\) or start a new line" in found[0]


def test_an_autolink_is_a_link_not_raw_html():
    assert markup.refusals("Write to <mailto:privacy@example.com>.") == ()


def test_each_refusal_names_the_source_that_shows_as_typed():
    found = markup.refusals("Text.\n\n#### Deep\n\n<div>x</div>\n\nAn ![image](https://a/b.png)")
    assert [(r.source, r.problem) for r in found] == [
        ("#### Deep", "a heading ('#### Deep') cannot stand inside a text"),
        ("<div>x</div>", "raw HTML ('<div>x</div>') is not allowed"),
        ("![", "images are not supported")]
    assert "'level: 4'" in found[0].fix


# --- section ids ----------------------------------------------------------------------------

def test_a_section_id_may_be_128_characters_long(project):
    long_id = "a" * 128
    project.replace(V2018, "- id: handling", f"- id: {long_id}")
    assert read_source(project.layout).policy.version("2018-07-06").sections[1].id == long_id


def test_a_longer_section_id_is_refused_with_the_limit(project):
    project.replace(V2018, "- id: handling", "- id: " + "a" * 129)
    found = problems(project)
    assert len(found) == 1 and "is 129 characters long; the limit is 128; shorten it to " \
        "128 characters at most" in found[0]


@pytest.mark.parametrize("text, problem", [
    ("Use `this` word.", "code (`...`) is not supported"),
    ("Text.\n\n    indented\n", "an indented code block is not supported"),
    ("```\nfenced\n```", "a code block (```) is not supported"),
    ("> quoted", "a quotation ('> ...') is not supported"),
    ("One.\n\n---\n\nTwo.", "a horizontal rule ('---') is not supported"),
    ("Title\n=====", "a heading ('Title') cannot stand inside a text"),
])
def test_markdown_outside_the_subset_is_refused_rather_than_shown_as_typed(text, problem):
    assert [r.problem for r in markup.refusals(text)] == [problem]


def test_the_example_uses_nothing_the_format_refuses():
    from generator.source.convert import load
    from tests.helpers import ROOT

    policy = load(ROOT / "policy_src")
    assert not [text for version in policy.versions for section in version.sections
                if section.body for _, text in section.body.values if markup.refusals(text)]
