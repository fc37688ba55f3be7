"""Diffs between versions: aligned by section id, at the right grain for each language.

Golden files under tests/golden/diff/ hold the text rendering of each case; review their diffs
like code. Regenerate them with: POLICYGEN_REGENERATE_GOLDEN=1 ./dev test tests/test_diff.py
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.core import diff, i18n
from generator.core.model import Category, Facts, Localized, Version
from generator.source.convert import load
from tests.diff_cases import (
    BASE,
    CASES,
    contact_field_changed,
    english_word_changed,
    formatting_only,
    japanese_characters_changed,
    section,
    section_added,
    section_moved,
    section_removed,
    section_retitled,
    unchanged,
    whitespace_only,
    with_section,
)
from tests.helpers import ROOT

GOLDEN = Path(__file__).parent / "golden" / "diff"
def text_of(change: diff.VersionDiff) -> str:
    gettext = i18n.read_catalog(ROOT / "locales", change.language).gettext
    return diff.to_text(change, gettext)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
@pytest.mark.parametrize("language", ["en", "ja"])
def test_golden_text_rendering(case, language):
    rendered = text_of(diff.compare(BASE, case(), language))
    golden = GOLDEN / f"{case.__name__}.{language}.txt"
    if os.environ.get("POLICYGEN_REGENERATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def only_changed(change: diff.VersionDiff) -> list[diff.SectionChange]:
    return [s for s in change.sections if s.status != "unchanged" or s.moved]


def test_a_changed_english_word_is_marked_as_that_word():
    [scope] = only_changed(diff.compare(BASE, english_word_changed(), "en"))
    changed = [s for s in scope.body.segments if s.op != "equal"]
    assert changed == [diff.Segment("delete", "strictly"), diff.Segment("insert", "carefully")]


def test_a_few_changed_japanese_characters_are_marked_as_a_run_not_the_sentence():
    [scope] = only_changed(diff.compare(BASE, japanese_characters_changed(), "ja"))
    changed = [s for s in scope.body.segments if s.op != "equal"]
    assert changed == [diff.Segment("delete", "厳格"), diff.Segment("insert", "適切")]
    assert scope.body.segments[0] == diff.Segment("equal", "当社は、以下の情報を個人情報として")


def test_moved_section_is_reported_as_move_not_delete_insert():
    change = diff.compare(BASE, section_moved(), "en")
    [moved] = only_changed(change)
    assert (moved.id, moved.status, moved.moved) == ("cookies", "unchanged", True)
    assert (moved.old_position, moved.new_position) == (13, 3)
    assert not any(s.status in ("added", "removed") for s in change.sections)


def test_retitled_section_keeps_its_identity():
    [use] = only_changed(diff.compare(BASE, section_retitled(), "en"))
    assert (use.id, use.retitled, use.body.kind) == ("use", True, "unchanged")
    assert (use.old_title, use.new_title) == ("About the use of personal information",
                                              "Use of personal information")
    # The other language's title did not change.
    assert only_changed(diff.compare(BASE, section_retitled(), "ja")) == []


def test_added_and_removed_sections_are_reported_where_they_stand():
    [added] = only_changed(diff.compare(BASE, section_added(), "en"))
    assert (added.id, added.status, added.new_position) == ("ai-training", "added", 18)
    change = diff.compare(BASE, section_removed(), "en")
    [removed] = only_changed(change)
    assert (removed.id, removed.status) == ("analytics", "removed")
    ids = [s.id for s in change.sections]
    assert ids.index("analytics") == ids.index("storage-location") + 1


def test_structured_facts_are_compared_as_fields_in_the_readers_language():
    change = diff.compare(BASE, contact_field_changed(), "ja")
    assert [(f.field, f.old, f.new) for f in change.facts] == [
        ("officer.name", "原崎 雅弘", "山田 花子"),
        ("inquiry_desk.email", "contact@goalous.com", "privacy@goalous.com")]
    gettext = i18n.read_catalog(ROOT / "locales", "ja").gettext
    assert "個人情報保護管理者: 原崎 雅弘 -> 山田 花子" in diff.to_text(change, gettext)


def test_every_fact_and_field_a_diff_can_report_has_a_readers_name():
    """No reader sees a YAML key such as `address` in a redline's changed facts."""
    reported = (diff.field_paths(Facts) + ["level", "note", "block"]
                + [key for key in diff.field_paths(Category) if key != "id"])
    assert [key for key in reported if key not in diff.FIELD_NAMES] == []


def test_the_new_company_address_fact_is_named_in_the_readers_language():
    policy = load(ROOT / "policy_src")
    change = diff.compare(*policy.versions, "ja")
    assert [f.field for f in change.facts] == ["address"]
    gettext = i18n.read_catalog(ROOT / "locales", "ja").gettext
    assert diff.field_name("address", gettext) == gettext("Company address") != "address"
    assert "\naddress:" not in diff.to_text(change, gettext)


def test_whitespace_and_formatting_edits_are_told_apart_from_wording():
    [ws] = only_changed(diff.compare(BASE, whitespace_only(), "en"))
    [fmt] = only_changed(diff.compare(BASE, formatting_only(), "en"))
    assert (ws.body.kind, fmt.body.kind) == ("whitespace", "formatting")


def test_an_unchanged_pair_says_so():
    change = diff.compare(BASE, unchanged(), "en")
    assert change.unchanged and change.facts == ()
    assert "No changes." in text_of(change)


def test_the_change_summary_heads_the_diff():
    policy = load(ROOT / "policy_src")
    change = diff.compare(*policy.versions, "en")
    assert text_of(change).splitlines()[2].startswith("Updated for the amended Act")


def test_json_rendering_is_the_same_model():
    change = diff.compare(BASE, section_moved(), "en")
    data = json.loads(json.dumps(diff.to_json(change)))
    moved = [s for s in data["sections"] if s["moved"]]
    assert [(s["id"], s["old_position"], s["new_position"]) for s in moved] == \
        [("cookies", 13, 3)]
    assert data["from"] == BASE.id and data["to"] == "next" and data["unchanged"] is False


# --- tables and links ------------------------------------------------------------------------

TABLE = "| Data | Purpose |\n|:--|--:|\n| e-mail | replies |\n| phone | calls |"


def with_english_body(version: Version, section_id: str, text: str) -> Version:
    body = section(version, section_id).body
    return with_section(version, section_id, body=Localized(
        (("ja", body["ja"]), ("en", text))))


def test_a_table_is_compared_cell_by_cell_with_its_header_and_rows_aligned():
    old = with_english_body(BASE, "scope", "Intro.\n\n" + TABLE)
    new = with_english_body(BASE, "scope", "Intro.\n\n" + TABLE.replace(
        "replies", "answers").replace("| phone", "| post | letters |\n| phone"))
    [scope] = only_changed(diff.compare(old, new, "en"))
    text, table = scope.body.blocks
    assert text.segments == (diff.Segment("equal", "Intro."),) and not text.rows
    assert [row.op for row in table.rows] == ["equal", "changed", "insert", "equal"]
    assert table.rows[1].cells[1].segments == (diff.Segment("delete", "replies"),
                                              diff.Segment("insert", "answers"))
    assert table.rows[2].cells[0].segments == (diff.Segment("insert", "post"),)


def test_a_text_without_a_table_has_no_blocks_and_its_json_is_as_before():
    [scope] = only_changed(diff.compare(BASE, english_word_changed(), "en"))
    assert scope.body.blocks == ()
    assert "blocks" not in diff.section_json(scope, False)["body"]


def test_a_table_in_the_json_gives_each_cells_segments():
    new = with_english_body(BASE, "scope", TABLE.replace("calls", "voice calls"))
    [scope] = only_changed(diff.compare(with_english_body(BASE, "scope", TABLE), new, "en"))
    [table] = diff.section_json(scope, False)["body"]["blocks"]
    assert table["segments"] == [] and table["rows"][2] == {"op": "changed", "cells": [
        {"segments": [{"op": "equal", "text": "phone"}]},
        {"segments": [{"op": "insert", "text": "voice "}, {"op": "equal", "text": "calls"}]}]}


def test_a_changed_link_target_is_shown_old_to_new_not_as_formatting_only():
    old = with_english_body(BASE, "scope", "See [our terms](https://example.com/v1/terms).")
    new = with_english_body(BASE, "scope", "See [our terms](https://example.com/v2/terms).")
    change = diff.compare(old, new, "en")
    [scope] = only_changed(change)
    assert scope.body.kind == "formatting"
    assert scope.fields == (diff.FieldChange("link:our terms", "https://example.com/v1/terms",
                                             "https://example.com/v2/terms"),)
    gettext = i18n.read_catalog(ROOT / "locales", "en").gettext
    assert diff.section_notes(scope, gettext) == ["link changed"]
    assert "Link “our terms”: https://example.com/v1/terms -> https://example.com/v2/terms" \
        in diff.to_text(change, gettext)


def test_an_added_and_a_removed_link_are_each_marked():
    old = with_english_body(BASE, "scope", "Ask [the desk](#inquiries) or us.")
    new = with_english_body(BASE, "scope", "Ask the desk or [us](mailto:privacy@example.com).")
    [scope] = only_changed(diff.compare(old, new, "en"))
    assert scope.fields == (diff.FieldChange("link:the desk", "#inquiries", None),
                            diff.FieldChange("link:us", None, "mailto:privacy@example.com"))


def test_the_links_of_an_added_section_are_part_of_its_text_not_fields():
    [added] = only_changed(diff.compare(BASE, section_added(), "en"))
    assert not [f for f in added.fields if f.field.startswith(diff.LINK_FIELD)]
