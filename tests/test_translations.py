"""Translations follow the authoritative text: a place whose Japanese changed while its
English did not is stale, reported where the English stands, until fixed or marked checked."""
from __future__ import annotations

import dataclasses
import datetime as dt

from generator.checks import lint, translations
from generator.core.model import Localized, TranslationCheck
from generator.source.convert import load, read
from tests.helpers import JA_16, JA_18, draft

EN_16 = "children under 16 years"
EN_18 = "children under 18 years"
CHECK = """
translations_checked:
  - place: sections.children.body
    language: en
    reason: The English already says what the Japanese now says.
"""


def located(project):
    policy, _, locate = read(project.source)
    return policy, locate


def test_authoritative_change_without_translation_change_is_stale(project):
    draft(project, (JA_16, JA_18))
    policy = load(project.source)
    found = translations.stale(policy.versions[1], policy.versions[2], "ja", "en")
    assert [(s.place.name, s.place.section, s.previous) for s in found] == \
        [("sections.children.body", "children", "2027-04-01")]
    assert "[-16-]{+18+}歳未満" in found[0].change


def test_both_changed_is_up_to_date_and_a_better_translation_alone_is_fine(project):
    draft(project, (JA_16, JA_18), (EN_16, EN_18))
    policy = load(project.source)
    assert translations.stale(policy.versions[1], policy.versions[2], "ja", "en") == ()
    draft(project, (EN_16, "children younger than 16 years"))
    policy = load(project.source)
    assert translations.stale(policy.versions[1], policy.versions[2], "ja", "en") == ()


def test_every_translated_field_is_a_place_keyed_by_ids(project):
    version = load(project.source).versions[1]
    names = {place.name for place in translations.places(version)}
    assert {"summary", "sections.children.body", "sections.children.title",
            "facts.officer.name", "labels.purpose"} <= names
    assert any(name.startswith("sections.") and ".categories." in name for name in names)
    assert not any(name.startswith(("corrections", "translations_checked")) for name in names)


def test_stale_warning_names_the_translations_own_location_and_the_change(project):
    path = draft(project, (JA_16, JA_18))
    line, column = project.line_of(path, "en: |", start=project.line_of(path, "id: children")[0])
    policy, locate = located(project)
    found = lint.warnings(policy, locate, dt.date(2026, 11, 25))
    stale = [d for d in found if "stale" in d.message]
    assert len(stale) == 1 and stale[0].is_warning
    assert stale[0].path.endswith(f"policy_src/{path}")
    assert (stale[0].line, stale[0].column) == (line, column + 4)
    assert "(section 'children')" in stale[0].message
    assert "[-16-]{+18+}" in stale[0].message
    assert "translations_checked" in stale[0].hint


def test_a_checked_mark_silences_the_place_for_its_version_only(project):
    draft(project, (JA_16, JA_18))
    project.write("versions/2028-04-01.yaml", project.read("versions/2028-04-01.yaml") + CHECK)
    policy, locate = located(project)
    assert translations.stale(policy.versions[1], policy.versions[2], "ja", "en") == ()
    cover = translations.coverage(policy, policy.versions[2], "en")
    assert [p.name for p in cover.checked] == ["sections.children.body"] and cover.complete
    assert not [d for d in lint.warnings(policy, locate, dt.date(2026, 1, 1))
                if "stale" in d.message]


def test_a_check_naming_no_place_is_a_warning(project):
    draft(project)
    project.write("versions/2028-04-01.yaml", project.read("versions/2028-04-01.yaml") +
                  CHECK.replace("sections.children.body", "sections.kids.body"))
    policy, locate = located(project)
    found = lint.warnings(policy, locate, dt.date(2026, 1, 1))
    assert any("'sections.kids.body', which is not a place" in d.message for d in found)


def test_coverage_counts_places_and_gives_a_completion_figure(project):
    draft(project, (JA_16, JA_18))
    policy = load(project.source)
    cover = translations.coverage(policy, policy.versions[2], "en")
    assert len(cover.stale) == 1 and not cover.complete
    assert cover.percent == 100 * (cover.places - 1) // cover.places < 100
    first = translations.coverage(policy, policy.versions[0], "en")
    assert first.complete and first.percent == 100


def test_translations_command_lists_stale_places_for_drafts_and_the_version_in_force(
        cli, project):
    path = draft(project, (JA_16, JA_18))
    run = cli("translations", "--as-of", "2026-11-25", cwd=project.root)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].startswith("2018-07-06 (in force) en: 100% up to date")
    assert lines[1].startswith("2028-04-01 (draft) en: 98% up to date")
    assert "1 stale, 0 missing, 0 checked" in lines[1]
    assert lines[2].startswith(f"  stale    policy_src/{path}:") and \
        lines[2].endswith("sections.children.body (section 'children')")
    assert "ja since 2027-04-01: 本サービスは、[-16-]{+18+}歳未満" in lines[3]
    assert not any("2027-04-01 (" in line for line in lines)  # upcoming, not a draft


def test_translations_command_refuses_an_unknown_language(cli, project):
    run = cli("translations", "--lang", "fr", cwd=project.root)
    assert run.code == 2 and "'fr' is not a translation of this policy" in run.err


def test_validate_warns_about_a_stale_translation_and_strict_fails(cli, project):
    draft(project, (JA_16, JA_18))
    run = cli("validate", cwd=project.root)
    assert run.code == 0 and "warning: the 'en' translation of sections.children.body" in run.err
    assert cli("validate", "--strict", cwd=project.root).code == 2


def test_lock_refuses_stale_translations_and_a_missing_summary(cli, project):
    path = draft(project, (JA_16, JA_18))
    project.replace(path, "status: draft", "status: published")
    project.replace(path, project.read(path).split("summary:\n")[1].split("\n\n")[0] + "\n", "")
    project.replace(path, "summary:\n", "")
    run = cli("lock", cwd=project.root)
    assert run.code == 2
    assert "version 2028-04-01 has no summary" in run.err
    assert ": the 'en' translation of sections.children.body (section 'children') is stale" \
        in run.err
    assert run.err.rstrip().endswith("nothing was locked")
    assert "2028-04-01" not in project.read("policy.lock")


def test_lock_accepts_a_checked_translation(cli, project):
    path = draft(project, (JA_16, JA_18), ("Updated for the amended", "Revised for the amended"),
                 ("改正個人情報保護法に対応し", "改正個人情報保護法に対応して"))
    project.replace(path, "status: draft", "status: published")
    project.write(path, project.read(path) + CHECK)
    run = cli("lock", cwd=project.root)
    assert run.code == 0, run.err
    assert "2028-04-01" in project.read("policy.lock")


def test_identical_translation_and_unchanged_summary_are_warnings(project):
    draft(project, ("en: Use of services by children", "en: お子様によるサービスの利用"))
    policy, locate = located(project)
    found = [d.message for d in lint.warnings(policy, locate,
                                              dt.date(2026, 1, 1))]
    assert "the 'en' text of sections.children.title is the 'ja' text, untranslated" in found
    assert "the 'en' summary of 2028-04-01 is the same as 2027-04-01's" in found


def test_a_draft_whose_date_has_passed_is_a_warning(project):
    draft(project)
    policy, locate = located(project)
    on_time = lint.warnings(policy, locate, dt.date(2028, 3, 31))
    late = lint.warnings(policy, locate, dt.date(2028, 4, 1))
    assert not any("has passed" in d.message for d in on_time)
    assert [d.line for d in late if "has passed" in d.message] == \
        [project.line_of("versions/2028-04-01.yaml", "effective_date:")[0]]


def test_locked_versions_are_not_warned_about(project):
    policy, locate = located(project)
    copy = dataclasses.replace(policy.versions[1], summary=policy.versions[0].summary)
    policy = dataclasses.replace(policy, versions=(policy.versions[0], copy))
    assert lint.warnings(policy, locate, dt.date(2026, 1, 1),
                         frozenset({"2027-04-01"})) == []
    assert lint.warnings(policy, locate, dt.date(2026, 1, 1)) != []


def test_translation_check_is_part_of_the_model():
    check = TranslationCheck("sections.scope.body", "en", "same meaning")
    assert check.place == "sections.scope.body"
    assert Localized((("ja", "a"), ("en", "b"))).languages() == ("ja", "en")
