"""The mistakes a legal-team member makes with `policygen lock --correct/--also/--postpone/
--withdraw`: each is said plainly with its fix, exits 2 without a traceback, and leaves the
lock as it was."""
from __future__ import annotations

import pytest

from generator.record import store as lockstore
from tests.helpers import CORRECTION_ENTRY as CORRECTION
from tests.helpers import NOW, V2018, V2027, WITHDRAWAL


@pytest.fixture
def project(project, monkeypatch):
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))  # 2026-11-25
    return project


def refused(cli, project, *args: str) -> str:
    """The message of a refused `lock`, after checking that nothing was changed."""
    lock = project.source / lockstore.LOCK_FILE
    before = lock.read_bytes()
    run = cli("lock", *args, cwd=project.root)
    assert run.code == 2 and "Traceback" not in run.err
    assert lock.read_bytes() == before
    return run.err


@pytest.mark.parametrize("args, option", [
    (("--correct", "2018-7-6"), "--correct 2018-7-6"),
    (("--correct", "2018-07-06", "--also", "2031-01-01"), "--also 2031-01-01"),
    (("--postpone", "2030-01-01"), "--postpone 2030-01-01"),
    (("--withdraw", "2027-4-1"), "--withdraw 2027-4-1"),
])
def test_an_unknown_version_is_named_as_the_argument_with_the_known_ones(
        cli, project, args, option):
    wanted = option.split()[1]
    assert refused(cli, project, *args) == f"policygen: {option}: no version '{wanted}'; " \
        "the versions are 2018-07-06, 2027-04-01\n"


def test_also_names_later_versions_each_once_not_the_corrected_one(cli, project):
    assert refused(cli, project, "--correct", "2018-07-06", "--also", "2018-07-06") == \
        "policygen: --also 2018-07-06 names the version --correct already corrects; list " \
        "only the later versions that carry the same passage\n"
    assert refused(cli, project, "--correct", "2018-07-06", "--also", "2027-04-01",
                   "2027-04-01") == "policygen: --also names 2027-04-01 more than once; " \
        "name each version once\n"


def test_a_missing_entry_says_how_many_the_file_lists_and_the_lock_recorded(cli, project):
    assert "version 2018-07-06 needs exactly one new 'corrections' entry (it has 0 entries, " \
        "0 already recorded); add one entry" in refused(cli, project, "--correct", "2018-07-06")


def test_withdrawing_a_version_in_force_says_so_before_asking_for_an_entry(cli, project):
    assert "version 2018-07-06 took effect on 2018-07-06, so it can no longer be withdrawn; " \
        "a version in force is changed only by a new version" in \
        refused(cli, project, "--withdraw", "2018-07-06")


def test_a_withdrawn_version_is_neither_withdrawn_again_nor_postponed(cli, project):
    project.write(V2027, project.read(V2027) + WITHDRAWAL)
    assert cli("lock", "--withdraw", "2027-04-01", cwd=project.root).code == 0
    assert "version 2027-04-01 was already withdrawn on 2026-11-25; a withdrawal is recorded " \
        "once: there is nothing more to do" in refused(cli, project, "--withdraw", "2027-04-01")
    project.replace(V2027, "effective_date: 2027-04-01", "effective_date: 2027-06-01")
    assert "version 2027-04-01 was withdrawn on 2026-11-25, so it can no longer be postponed; " \
        "announce a new version instead" in refused(cli, project, "--postpone", "2027-04-01")


def test_the_advice_after_a_correction_is_a_command_that_works(cli, project):
    """`lock --correct` names a later version still holding the passage; doing what it says
    (the correction of the first version is recorded by then) records the second."""
    project.replace(V2018, "We deal with the following", "We handle the following")
    project.write(V2018, project.read(V2018) + "corrections:\n" + CORRECTION)
    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)
    assert run.code == 0, run.err
    advice = "add a 'corrections' entry and run `policygen lock --correct 2027-04-01`"
    assert advice in run.out
    project.replace(V2027, "We deal with the following", "We handle the following")
    project.write(V2027, project.read(V2027) + CORRECTION)
    run = cli("lock", "--correct", "2027-04-01", cwd=project.root)
    assert run.code == 0, run.err
    assert "recorded correction 3 of version 2027-04-01" in run.out
    assert "still contains" not in run.out
    assert cli("validate", cwd=project.root).code == 0


@pytest.mark.parametrize("written, said", [
    ("thirty", "must be a whole number, not 'thirty'; write it in digits"),
    ("30 days", "must be a whole number, not '30 days'; write it in digits"),
    ("-5", "must be 0 or more, not -5; write a number from 0 up"),
])
def test_a_notice_period_that_is_not_a_number_of_days_is_refused_at_its_place(
        cli, project, written, said):
    policy = project.source / "policy.yaml"
    text = policy.read_text()
    line = next(n for n, row in enumerate(text.splitlines(), 1)
                if row.startswith("minimum_notice_days:"))
    policy.write_text(text.replace("\nminimum_notice_days: ", f"\nminimum_notice_days: {written}"
                                   "\n# was: ", 1))
    run = cli("validate", cwd=project.root)
    assert run.code == 2
    assert run.err.startswith(f"policy_src/policy.yaml:{line}:22: 'minimum_notice_days' of the "
                              f"policy {said}\n")


@pytest.mark.parametrize("option", ["--correct", "--postpone", "--withdraw"])
def test_a_draft_has_no_published_text_to_change_said_at_its_status(cli, project, option):
    assert cli("new-version", "2028-04-01", cwd=project.root).code == 0
    status = next(n for n, row in enumerate(
        (project.source / "versions/2028-04-01.yaml").read_text().splitlines(), 1)
        if row.startswith("status:"))
    assert refused(cli, project, option, "2028-04-01").startswith(
        f"policy_src/versions/2028-04-01.yaml:{status}:9: version 2028-04-01 is not locked, so "
        "there is no published text to change; edit a draft freely; `policygen lock` locks a "
        "version once it is published\n")
