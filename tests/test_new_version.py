"""`policygen new-version`: a draft started from the latest version, its file's comments and
layout kept, with what belonged to the earlier version left behind."""
from __future__ import annotations

import datetime as dt

import pytest

from generator.core.diagnostics import PolicyError
from generator.source.convert import load
from generator.source.new_version import draft_text, start
from tests.helpers import without_corrections

CHECK = """
translations_checked:
  - place: sections.children.body
    language: en
    reason: checked
corrections:
  - date: 2026-12-01
    reason:
      ja: 誤記を訂正しました。
      en: Corrected a typing error.
"""


def test_draft_text_changes_only_what_a_new_version_must_change(project):
    original = without_corrections(project.read("versions/2027-04-01.yaml")) + CHECK
    text = draft_text(original, "2028-04-01", dt.date(2028, 4, 1))
    assert text.startswith(original.split("id: 2027-04-01")[0])  # header comments kept
    assert "id: 2028-04-01\neffective_date: 2028-04-01\nstatus: draft\n" \
           "reconsent_required: false\nsummary:\n\n# The facts the policy states" in text
    assert "translations_checked" not in text and "corrections" not in text
    body = original.split("# The facts the policy states")[1].split("\ntranslations_checked")[0]
    assert body in text  # every section, comment and block scalar as it was


def test_comments_after_a_dropped_entry_stay_where_they_were(project):
    """ruamel keeps the comment after a list with the list's last value: dropping the list
    must not drop what the legal team wrote about the next entry."""
    original = project.read("versions/2027-04-01.yaml")
    start, end = original.index("corrections:\n"), len(original)
    corrections = original[start:end].rstrip("\n") + "  # the address\n"
    moved = original[:start].replace(
        "\nfacts:\n", "\n" + corrections + "\n# The postponement, if any, comes next.\n"
        "postponements:\n  - date: 2026-11-25\n    reason:\n      ja: 延期\n      en: Later\n"
        "\n# Keep this note about the facts.\nfacts:\n", 1)
    text = draft_text(moved, "2028-04-01", dt.date(2028, 4, 1))
    assert "corrections" not in text and "postponements" not in text
    assert "# the address" not in text  # an end-of-line comment goes with its entry
    assert "summary:\n\n# The facts the policy states, as they were on this version's day." \
           "\n\n# The postponement, if any, comes next.\n\n" \
           "# Keep this note about the facts.\nfacts:\n" in text
    assert load_text(project, text).version("2028-04-01").facts is not None


def load_text(project, text: str):
    project.write("versions/2028-04-01.yaml", text)
    return load(project.source)


def test_new_version_writes_a_valid_draft_from_the_latest(project):
    path, base = start(load(project.source), project.source, dt.date(2028, 4, 1))
    assert (path.name, base) == ("2028-04-01.yaml", "2027-04-01")
    draft = load(project.source).version("2028-04-01")
    assert draft is not None and draft.status == "draft" and draft.summary is None
    assert draft.sections == load(project.source).version("2027-04-01").sections


def test_new_version_starts_from_the_version_named(project):
    path, base = start(load(project.source), project.source, dt.date(2028, 4, 1), "2018-07-06")
    assert base == "2018-07-06"
    assert load(project.source).version("2028-04-01").sections == \
        load(project.source).version("2018-07-06").sections


@pytest.mark.parametrize("date, from_id, version_id, message", [
    (dt.date(2027, 4, 1), None, None, "version 2027-04-01 already exists"),
    (dt.date(2027, 3, 31), None, None, "2027-03-31 is not after 2027-04-01's effective date"),
    (dt.date(2028, 4, 1), "2019-01-01", None, "no version '2019-01-01' to start from"),
    (dt.date(2028, 4, 1), None, "../escape", "'../escape' cannot be a version id"),
    (dt.date(2028, 4, 1), None, "index", "'index' cannot be a version id"),
])
def test_new_version_refuses(project, date, from_id, version_id, message):
    before = sorted(p.name for p in (project.source / "versions").iterdir())
    with pytest.raises(PolicyError) as refused:
        start(load(project.source), project.source, date, from_id, version_id)
    assert message in str(refused.value)
    assert sorted(p.name for p in (project.source / "versions").iterdir()) == before


def test_new_version_command_prints_the_path_and_next_steps(cli, project):
    run = cli("new-version", "2028-04-01", cwd=project.root)
    assert run.code == 0, run.err
    assert run.out.startswith("wrote policy_src/versions/2028-04-01.yaml: a draft copied "
                              "from 2027-04-01\nnext:\n")
    assert "policygen translations" in run.out and "policygen lock" in run.out
    assert cli("validate", cwd=project.root).code == 0


def test_new_version_command_refusal_is_a_clean_message(cli, project):
    run = cli("new-version", "2027-04-01", cwd=project.root)
    assert run.code == 2 and "Traceback" not in run.err
    assert "version 2027-04-01 already exists" in run.err
    assert run.err.rstrip().endswith("nothing was written")
