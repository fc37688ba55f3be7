"""Redlines that travel: portable Markdown, one self-contained HTML file, honest about
direction, and telling the reader of a translation what was not updated."""
from __future__ import annotations

import json
import re

import pytest

from generator.checks import translations
from generator.core import i18n
from generator.outputs import redline
from generator.source.convert import load
from tests.helpers import JA_16, JA_18, ROOT, draft

LOCALES = ROOT / "locales"


def rendered(project, old_id, new_id, language, form):
    policy = load(project.source)
    old, new = policy.version(old_id), policy.version(new_id)
    return redline.render(policy, old, new, translations.changes(policy, old, new, language),
                          i18n.read_catalog(LOCALES, language), form)


def test_markdown_is_portable_without_site_markup(project):
    text = rendered(project, "2018-07-06", "2027-04-01", "en", "markdown")
    assert text.startswith("# Changes in the version of April 1, 2027\n\n"
                           "From the version of July 6, 2018 to the version of April 1, 2027.")
    assert "> **Changes in this version:** Updated for the amended Act" in text
    assert "## Safety management measures taken\n\n*added*\n\n<ins>We take" in text
    assert "~~outside of Iceland, Liechtenstein, Norway, and the EU Member States~~" in text
    for site_markup in ("{ #", "class=", "<p", "<span", "<a ", "](../", "pg-"):
        assert site_markup not in text


def test_markdown_marks_never_start_or_end_with_a_space(project):
    text = rendered(project, "2018-07-06", "2027-04-01", "en", "markdown")
    marked = re.findall(r"~~(.+?)~~", text, re.S) + re.findall(r"<ins>(.+?)</ins>", text, re.S)
    assert len(marked) > 10 and all(piece == piece.strip() for piece in marked)


def test_markdown_escapes_what_the_source_typed():
    assert redline.markdown_text("a *b* <i>c</i> [d](e)") == \
        r"a \*b\* \<i\>c\</i\> \[d\](e)"
    assert redline.markdown_text("# not a heading\n1. not a list") == \
        "\\# not a heading\\\n1\\. not a list"
    assert redline.markdown_marked(" old words ", "delete") == " ~~old words~~ "


def test_html_is_one_self_contained_printable_file(project):
    text = rendered(project, "2018-07-06", "2027-04-01", "ja", "html")
    assert text.startswith("<!DOCTYPE html>\n<html lang=\"ja\" dir=\"ltr\">")
    assert "<style>" in text and "@media print" in text
    for external in ("<script", "src=", "href=", "url(", "@import", "<link"):
        assert external not in text
    assert "<del>" in text and "<ins>" in text and "安全管理のために講じた措置" in text


def test_html_escapes_the_source_text(project):
    # Raw HTML in a section's text is refused by validate; a title is plain text, any text.
    project.replace("versions/2027-04-01.yaml", "en: Safety management measures taken",
                    "en: Safety <script>alert(1)</script> measures taken")
    text = rendered(project, "2018-07-06", "2027-04-01", "en", "html")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_newer_against_older_says_so_and_has_no_summary(project):
    for form in ("markdown", "html"):
        text = rendered(project, "2027-04-01", "2018-07-06", "en", form)
        assert "This compares a newer version with an older one: from the version of April " \
               "1, 2027 back to the version of July 6, 2018." in text
        assert "Updated for the amended Act" not in text
        assert "Changes in this version" not in text


def test_translation_not_updated_is_listed_in_the_translations_redline(project):
    draft(project, (JA_16, JA_18))
    text = rendered(project, "2027-04-01", "2028-04-01", "en", "markdown")
    assert "## Use of services by children\n\n*translation not updated*" in text
    japanese = rendered(project, "2027-04-01", "2028-04-01", "ja", "markdown")
    assert "翻訳未更新" not in japanese and "## お子様によるサービスの利用" in japanese


@pytest.mark.slow
def test_the_sites_english_redline_and_changes_document_list_the_stale_section(project):
    draft(project, (JA_16, JA_18))
    built = project.build(out=project.root / "preview", drafts=True)
    page = (built.result.out_dir / "en/changes/2028-04-01/index.html").read_text()
    assert "translation not updated" in page and "Use of services by children" in page
    stale = {language: [s["id"] for s in json.loads(
        (built.result.out_dir / f"api/v1/changes/2028-04-01/{language}.json").read_text()
    )["sections"] if s["translation_stale"]] for language in ("en", "ja")}
    assert stale == {"en": ["children"], "ja": []}


def test_diff_command_text_and_json_list_the_stale_section(cli, project):
    draft(project, (JA_16, JA_18))
    text = cli("diff", "2027-04-01", "2028-04-01", "--lang", "en", cwd=project.root)
    assert "## Use of services by children [children]: translation not updated\n" in text.out
    data = cli("diff", "2027-04-01", "2028-04-01", "--lang", "en", "--format", "json",
               cwd=project.root)
    assert [s["id"] for s in json.loads(data.out)["sections"] if s["translation_stale"]] == \
        ["children"]
    japanese = cli("diff", "2027-04-01", "2028-04-01", "--lang", "ja", cwd=project.root)
    assert "translation not updated" not in japanese.out and "children" in japanese.out


def test_diff_command_writes_html_and_says_so(cli, project):
    run = cli("diff", "2018-07-06", "2027-04-01", "--format", "html", "--out", "review.html",
              cwd=project.root)
    assert run.code == 0 and run.out == "wrote review.html\n"
    assert (project.root / "review.html").read_text().startswith("<!DOCTYPE html>")


def test_diff_command_text_backwards_says_so(cli, project):
    run = cli("diff", "2027-04-01", "2018-07-06", "--lang", "en", cwd=project.root)
    assert run.out.startswith("This compares a newer version with an older one")
    assert "Updated for the amended Act" not in run.out


def test_a_changed_table_is_a_table_in_every_redline_marked_cell_by_cell(project):
    table = "\n\n        | Data | Purpose |\n        |---|---|\n        | e-mail | {} |\n"
    project.replace("versions/2018-07-06.yaml", "strictly as personal information.",
                    "strictly as personal information." + table.format("replies"))
    project.replace("versions/2027-04-01.yaml", "strictly as personal information.",
                    "strictly as personal information." + table.format("answers"))
    project.replace("versions/2018-07-06.yaml", "      en: We deal", "      en: |\n        We deal")
    project.replace("versions/2027-04-01.yaml", "      en: We deal", "      en: |\n        We deal")
    project.relock()
    markdown = rendered(project, "2018-07-06", "2027-04-01", "en", "markdown")
    assert "| Data | Purpose |\n|---|---|\n| e-mail | ~~replies~~<ins>answers</ins> |" in markdown
    html = rendered(project, "2018-07-06", "2027-04-01", "en", "html")
    assert "<tr><td>e-mail</td><td><del>replies</del><ins>answers</ins></td></tr>" in html
    page = (project.build().result.out_dir / "en/changes/2027-04-01/index.html").read_text()
    assert '<table class="pg-redline-table">' in page and \
        '<tr class="pg-row-changed"><td>e-mail</td><td><del>' in page
