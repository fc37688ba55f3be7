"""A draft translated in part: French added to the policy and to one section of the next
draft. It validates (a warning at each text still to translate), `translations` counts every
such place missing (and a text copied from the authoritative one too), the preview shows the
authoritative text there with a note in the reader's language, and `lock` refuses it until
it is complete."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.helpers import draft
from tests.htmltext import article_text
from tests.languages_added import add_language, translate

DRAFT = "versions/2028-04-01.yaml"
JA_CHILDREN = "お子様によるサービスの利用"


@pytest.fixture
def partial(project):
    """The example with French added, its draft translated in section 'scope' only, and the
    Japanese title of section 'children' copied as its French."""
    add_language(project, "fr", "Politique de confidentialité", ())
    draft(project)
    lines = project.read(DRAFT).split("\n")
    start, end = lines.index("  - id: scope"), lines.index("  - id: storage-location")
    lines[start:end] = translate("\n".join(lines[start:end]), "fr").split("\n")
    project.write(DRAFT, "\n".join(lines).replace(
        "      en: Use of services by children\n",
        f"      en: Use of services by children\n      fr: {JA_CHILDREN}\n"))
    return project


def test_a_draft_translated_in_one_section_validates_with_a_warning_at_each_text_left(
        partial, cli):
    run = cli("validate", cwd=partial.root)
    assert run.code == 0, run.err
    line, column = partial.line_of(DRAFT, "ja: 個人情報保護方針")
    assert f"{DRAFT}:{line}:{column}: warning: sections.overview.title of 2028-04-01 has no " \
           "'fr' translation; add a line 'fr: ...'" in run.err
    assert "sections.children.title is the 'ja' text, untranslated" in run.err
    assert "sections.scope." not in run.err
    assert "error" not in run.err


def test_translations_counts_absent_and_copied_texts_as_missing(partial, cli):
    run = cli("translations", "--lang", "fr", cwd=partial.root)
    assert run.code == 0, run.err
    head = next(line for line in run.out.splitlines() if line.startswith("2028-04-01"))
    found = re.match(r"2028-04-01 \(draft\) fr: (\d+)% up to date \((\d+) of (\d+) places\); "
                     r"0 stale, (\d+) missing", head)
    assert found, run.out
    percent, good, places, missing = map(int, found.groups())
    assert percent < 100 and good + missing == places
    line, column = partial.line_of(DRAFT, "ja: 個人情報保護方針")
    assert f"  missing  policy_src/{DRAFT}:{line}:{column} sections.overview.title " \
           "(no translation)" in run.out
    line, column = partial.line_of(DRAFT, f"fr: {JA_CHILDREN}")
    assert f"  missing  policy_src/{DRAFT}:{line}:{column + 4} sections.children.title " \
           "(the 'ja' text, copied)" in run.out
    assert "sections.scope." not in run.out


def test_the_preview_shows_the_authoritative_text_there_with_a_note_in_french(partial,
                                                                             tmp_path):
    partial.build(tmp_path / "preview", as_of=dt.date(2027, 6, 1), drafts=True)
    page = tmp_path / "preview/fr/versions/2028-04-01/index.html"
    html = page.read_text(encoding="utf-8")
    note = "Pas encore traduit : cette partie du brouillon est affichée dans le texte " \
           "original (japonais)."
    sections = {found.group(1): found.group(2) for found in re.finditer(
        r'<h\d[^>]* id="([^"]+)"(.*?)(?=<h\d[^>]* id=|$)', html, re.S)}
    assert note in sections["overview"] and "個人情報保護方針" in sections["overview"]
    assert note not in sections["scope"]
    assert note in article_text(page)
    document = json.loads((tmp_path / "preview/api/v1/versions/2028-04-01/fr.json")
                          .read_bytes())
    assert "section:overview" in document["untranslated"]
    assert "section:scope" not in document["untranslated"]
    english = json.loads((tmp_path / "preview/api/v1/versions/2028-04-01/en.json")
                         .read_bytes())
    assert "untranslated" not in english


def test_lock_refuses_a_partial_translation_naming_every_missing_place_at_its_line(
        partial, cli):
    missing = cli("translations", "--lang", "fr", cwd=partial.root).out.count(
        "(no translation)")
    partial.replace(DRAFT, "status: draft", "status: published")
    run = cli("lock", cwd=partial.root)
    assert run.code == 2
    refused = [line for line in run.err.splitlines()
               if "has no 'fr' translation: a published version is complete in every "
                  "language it is published in" in line]
    assert len(refused) == missing > 1, run.err
    line, column = partial.line_of(DRAFT, "ja: 個人情報保護方針")
    assert any(line_.startswith(f"policy_src/{DRAFT}:{line}:{column}: 'title' of section "
                                "'overview'") for line_ in refused), run.err
    assert "2028-04-01" not in partial.read("policy.lock")
