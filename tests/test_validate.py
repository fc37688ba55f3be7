"""`policygen validate`: every mistake the legal team can make, each at its exact place."""
from __future__ import annotations

import pytest

from generator.build import read_source
from generator.core.diagnostics import PolicyError
from generator.source.convert import load
from tests.helpers import V2018, V2027


def problems(project) -> list[str]:
    with pytest.raises(PolicyError) as raised:
        read_source(project.layout)
    return [str(d) for d in raised.value.diagnostics]


def only_problem(project) -> str:
    found = problems(project)
    assert len(found) == 1, found
    return found[0]


def location(project, relative: str, line: int, column: int) -> str:
    return f"{project.path(relative).relative_to(project.root)}:{line}:{column}: "


@pytest.fixture
def project(project, monkeypatch):
    monkeypatch.chdir(project.root)  # paths in messages are relative to the working directory
    return project


def test_the_example_source_is_valid(project):
    policy = load(project.source)
    assert [v.id for v in policy.versions] == ["2018-07-06", "2027-04-01"]
    assert policy.info.authoritative_language == "ja"


def test_unknown_key_names_the_closest_valid_key(project):
    line = project.replace(V2018, "  - id: scope\n    level: 2\n    title:",
                           "  - id: scope\n    level: 2\n    titel:") + 2
    found = problems(project)
    assert location(project, V2018, line, 5) + \
        "unknown key 'titel' in section 'scope'; did you mean 'title'?" in found
    # The same mistake also leaves the section without its title: both are reported.
    assert any("is missing the required field 'title'" in p for p in found)


def test_missing_field_is_reported_at_its_mapping(project):
    project.replace(V2018, "reconsent_required: false\n", "")
    first_key_line, _ = project.line_of(V2018, "id: 2018-07-06")
    assert only_problem(project) == location(project, V2018, first_key_line, 1) + \
        "version 2018-07-06 is missing the required field 'reconsent_required'; " \
        "Whether users must consent again to this version."


def test_wrong_type_says_what_was_expected(project):
    line = project.replace(V2018, "reconsent_required: false", "reconsent_required: maybe")
    assert only_problem(project) == location(project, V2018, line, 21) + \
        "'reconsent_required' of version 2018-07-06 must be true or false; " \
        "write true or false, not 'maybe'"


def test_impossible_date_is_refused_with_the_month_length(project):
    line = project.replace(V2018, "effective_date: 2018-07-06", "effective_date: 2018-02-30")
    assert only_problem(project) == location(project, V2018, line, 17) + \
        "'effective_date' of version 2018-07-06 2018-02-30 is not a real date; " \
        "February 2018 has 28 days"


def test_tab_in_indentation_is_refused(project):
    line = project.replace(V2018, "  company:\n", "\tcompany:\n")
    assert only_problem(project) == location(project, V2018, line, 1) + \
        "tab character in indentation; indent with spaces; YAML does not allow tabs"


def test_yaml_syntax_error_is_located(project):
    line = project.replace(V2018, "status: published", "status: published: yes")
    assert only_problem(project) == location(project, V2018, line, 18) + \
        "YAML syntax error: mapping values are not allowed in this context; " \
        "a value that contains ': ' must be quoted, or the indentation is off"


def test_duplicate_key_names_the_first_occurrence(project):
    line = project.replace(V2018, "status: published\n", "status: published\nstatus: draft\n")
    assert only_problem(project) == location(project, V2018, line + 1, 1) + \
        f"duplicate key 'status'; it is already set on line {line}; keep one of the two"


def test_anchors_and_aliases_are_refused(project):
    line = project.replace(V2018, "  company:\n    ja:", "  company: &name\n    ja:")
    text = project.read(V2018)
    project.write(V2018, text + "extra: *name\n")
    alias_line = len(project.read(V2018).splitlines())
    found = problems(project)
    assert location(project, V2018, line, 12) + "YAML anchor 'name' is not allowed; " \
        "write the value out in full; policy source never shares values" in found
    assert any(p.startswith(location(project, V2018, alias_line, 8) + "YAML alias 'name'")
               for p in found)


@pytest.mark.parametrize("bad_id", ["../escape", "2018/07/06", "Draft-1", "a..b", "-x", "index"])
def test_version_id_that_is_unsafe_as_a_url_part_is_refused(project, bad_id):
    line = project.replace(V2018, "id: 2018-07-06", f"id: '{bad_id}'")
    found = problems(project)
    assert any(p.startswith(location(project, V2018, line, 5)) and bad_id in p for p in found)


@pytest.mark.parametrize("bad_code", ["en_US", "../x", "e", "zh-Hans-", "english"])
def test_language_that_is_not_a_bcp47_tag_is_refused_with_an_example(project, bad_code):
    line = project.replace("policy.yaml", "languages: [ja, en]",
                           f"languages: [ja, en, '{bad_code}']")
    column = project.read("policy.yaml").splitlines()[line - 1].index(f"'{bad_code}'") + 1
    message = only_problem(project)
    assert message.startswith(location(project, "policy.yaml", line, column))
    assert f"'{bad_code}' is not a language tag (in item 3 of 'languages'); write a BCP 47 " \
        "tag: a language, optionally a script and a region, e.g. ja, en, zh-Hans, pt-BR or " \
        "es-419" in message


@pytest.mark.parametrize("written, conventional", [("EN", "en"), ("zh-hans", "zh-Hans"),
                                                   ("pt-br", "pt-BR")])
def test_language_tag_in_another_case_is_refused_naming_the_conventional_one(
        project, written, conventional):
    project.replace("policy.yaml", "languages: [ja, en]", f"languages: [ja, en, {written}]")
    assert only_problem(project).endswith(
        f"language tag '{written}' is not written in the conventional case (in item 3 of "
        f"'languages'); write "
        f"'{conventional}' (language lowercase, Script in title case, REGION uppercase)")


def test_language_unknown_to_cldr_is_refused(project):
    line = project.replace("policy.yaml", "languages: [ja, en]", "languages: [ja, en, xx]")
    # Reported once, not as a missing 'xx' translation in every text.
    assert only_problem(project) == location(project, "policy.yaml", line, 21) + \
        "language tag 'xx' is not known to CLDR, so its dates and names cannot be written " \
        "(in item 3 of 'languages'); use a tag CLDR knows, e.g. ja, en, zh-Hans, pt-BR or es-419"


@pytest.mark.parametrize("tag", ["en-ZZ", "ja-Hans"])
def test_script_or_region_unknown_for_the_language_is_refused_not_replaced(project, tag):
    project.replace("policy.yaml", "languages: [ja, en]", f"languages: [ja, en, {tag}]")
    assert f"language tag '{tag}' is not known to CLDR" in only_problem(project)


def test_a_misspelt_tag_gets_the_closest_known_one(project):
    project.replace("policy.yaml", "languages: [ja, en]", "languages: [ja, en, zh_Hans]")
    assert only_problem(project).endswith("(did you mean 'zh-Hans'?)")


def test_two_versions_with_the_same_effective_date_are_refused(project):
    line = project.replace(V2027, "effective_date: 2027-04-01", "effective_date: 2018-07-06")
    found = problems(project)
    assert location(project, V2027, line, 17) + \
        "versions 2018-07-06 and 2027-04-01 take effect on the same day (2018-07-06); " \
        "give each version its own effective date" in found


def test_two_versions_with_the_same_id_are_refused(project):
    project.write("versions/copy.yaml", project.read(V2027).replace(
        "effective_date: 2027-04-01", "effective_date: 2028-04-01"))
    found = problems(project)
    line, column = project.line_of("versions/copy.yaml", "2027-04-01", 5)
    assert location(project, "versions/copy.yaml", line, column) + \
        f"version id '2027-04-01' is also used in {project.path(V2027).relative_to(project.root)}" \
        "; each version needs its own id" in found
    assert location(project, "versions/copy.yaml", line, column) + \
        "version id '2027-04-01' does not match its file name 'copy.yaml'; " \
        "rename the file to 2027-04-01.yaml, or fix the id" in found


def test_section_missing_a_translation_is_refused(project):
    line = project.replace(V2018,
                           "      ja: 個人情報の範囲\n      en: Scope of personal information\n",
                           "      ja: 個人情報の範囲\n")
    assert only_problem(project) == location(project, V2018, line, 7) + \
        "'title' of section 'scope' has no 'en' translation: a published version is " \
        "complete in every language it is published in; add a line 'en: ...' with the " \
        "translated text, or keep the version a draft (status: draft) until it is translated"


def test_translation_in_an_unknown_language_names_the_closest(project):
    line = project.replace(V2018, "      en: Scope of personal information\n",
                           "      en: Scope of personal information\n      jp: 範囲\n")
    assert only_problem(project) == location(project, V2018, line + 1, 7) + \
        "'jp' is not a language of this policy (in 'title' of section 'scope'); " \
        "the policy's languages are ja, en"


def test_removing_a_locked_language_is_one_error_at_languages_naming_its_versions(project):
    line = project.replace("policy.yaml", "languages: [ja, en]", "languages: [ja]")
    assert only_problem(project) == location(project, "policy.yaml", line, 1) + \
        "'en' is locked in published versions 2018-07-06, 2027-04-01, and a locked language " \
        "can never be removed; keep 'en' in 'languages'"


def test_removing_a_language_no_version_locks_is_reported_at_its_texts(project):
    (project.source / "policy.lock").unlink()
    project.replace("policy.yaml", "languages: [ja, en]", "languages: [ja]")
    assert "'en' is not a language of this policy (in 'title' of the policy); the policy's " \
        "languages are ja" in "\n".join(problems(project))


def test_javascript_link_is_refused_where_it_stands(project):
    project.replace(V2018, "en: We deal with the following information strictly",
                    "en: We deal with [the](javascript:alert(1)) following information strictly")
    line, column = project.line_of(V2018, "javascript:")
    assert only_problem(project) == location(project, V2018, line, column) + \
        "link to 'javascript:alert(1)' in the 'en' text of 'body' of section 'scope' " \
        "is not allowed; links may only use https:, http:, mailto: or tel:, point to a " \
        "#section, or be relative to policygen.yml's link_base"


def test_all_problems_in_all_files_are_reported_at_once(project):
    project.replace(V2018, "status: published", "status: publishd")
    project.replace(V2027, "reconsent_required: false", "reconsent_required: 1")
    project.replace("policy.yaml", "enactment_date: 2004-10-01", "enactment_date: 2004-13-01")
    found = problems(project)
    assert len(found) == 3
    assert any("did you mean 'published'?" in p for p in found)
    assert any("has no month 13" in p for p in found)
    assert any("must be true or false" in p for p in found)


def test_problems_are_sorted_by_file_and_line(project):
    project.replace(V2027, "status: published", "status: x")
    project.replace(V2018, "status: published", "status: y")
    found = problems(project)
    assert found == sorted(found, key=lambda p: (p.split(":")[0], int(p.split(":")[1])))
