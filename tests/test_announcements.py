"""The life of an announced version: its announcement day, the notice period, postponement,
withdrawal, and corrections that carry forward to later versions."""
from __future__ import annotations

import json

import pytest

from generator.record import store as lockstore
from tests.helpers import (
    CORRECTION_ENTRY,
    NOW,
    POSTPONEMENT,
    V2018,
    V2027,
    WITHDRAWAL,
    without_corrections,
)


@pytest.fixture
def project(project, monkeypatch):
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))  # 2026-11-25
    return project


def lock_data(project) -> dict:
    return json.loads((project.source / lockstore.LOCK_FILE).read_text())["versions"]


def index(site) -> dict:
    return json.loads((site / "api/v1/policy.json").read_bytes())


def valid_api(site) -> tuple[dict, dict]:
    """The index and current.json, each checked against its schema with every object
    closed."""
    from tests.helpers import read_json
    from tests.oracles import validator

    found = []
    for name in ("policy.json", "current.json"):
        path = site / "api/v1" / name
        data = read_json(path)
        errors = list(validator(site, path, data).iter_errors(data))
        assert not errors, f"{name}: {errors[0].message} at {list(errors[0].path)}"
        found.append(data)
    return found[0], found[1]


def postpone(project, to: str = "2027-05-01") -> None:
    project.replace(V2027, "effective_date: 2027-04-01", f"effective_date: {to}")
    project.write(V2027, project.read(V2027) + POSTPONEMENT)


def test_the_announcement_day_is_in_the_lock_the_api_the_feed_and_the_notice(project):
    assert lock_data(project)["2027-04-01"]["announced"] == "2026-11-25"
    assert lock_data(project)["2018-07-06"]["announced"] is None  # locked after it took effect
    site = project.build().result.out_dir
    versions = {v["id"]: v for v in index(site)["versions"]}
    assert versions["2027-04-01"]["announced"] == "2026-11-25"
    assert versions["2018-07-06"]["announced"] is None
    feed = (site / "en/feed.xml").read_text()
    assert "<published>2026-11-25T00:00:00+09:00</published>" in feed
    assert "Announced on November 25, 2026." in (site / "en/index.html").read_text()
    assert "2026年11月25日に告知しました。" in (site / "ja/index.html").read_text()


def test_a_version_announced_with_too_little_notice_is_refused_with_the_dates(project, cli):
    text = without_corrections(project.read(V2027)).replace(
        "id: 2027-04-01\neffective_date: 2027-04-01", "id: 2026-12-10\neffective_date: 2026-12-10")
    project.write("versions/2026-12-10.yaml", text)
    before = (project.source / lockstore.LOCK_FILE).read_bytes()
    run = cli("lock", cwd=project.root)
    line, column = project.line_of("versions/2026-12-10.yaml", "2026-12-10", 8)
    assert run.code == 2
    assert f"policy_src/versions/2026-12-10.yaml:{line}:{column}: version 2026-12-10 would " \
           "be announced on 2026-11-25, 15 days before it takes effect on 2026-12-10; the " \
           "policy requires at least 30 days' notice; set an effective date of 2026-12-25 or " \
           "later, or change 'minimum_notice_days' in policy.yaml" in run.err
    assert (project.source / lockstore.LOCK_FILE).read_bytes() == before
    project.replace("versions/2026-12-10.yaml", "effective_date: 2026-12-10",
                    "effective_date: 2026-12-25")
    project.replace("versions/2026-12-10.yaml", "id: 2026-12-10", "id: 2026-12-25")
    project.path("versions/2026-12-10.yaml").rename(project.path("versions/2026-12-25.yaml"))
    run = cli("lock", cwd=project.root)
    assert run.code == 0 and "locked version 2026-12-25, announced 2026-11-25, 30 days " \
        "before it takes effect" in run.out


def test_a_postponement_is_a_recorded_step_keeping_the_text_as_announced(project, cli):
    original = lock_data(project)["2027-04-01"]["revisions"][-1]
    postpone(project)
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "postponement 1 of version 2027-04-01 is not recorded in the " \
        "lock; run `policygen lock --postpone 2027-04-01`" in run.err
    run = cli("lock", "--postpone", "2027-04-01", cwd=project.root)
    assert run.code == 0, run.err
    assert "recorded the postponement of version 2027-04-01 from 2027-04-01 to 2027-05-01" \
        in run.out
    assert cli("validate", cwd=project.root).code == 0
    revisions = lock_data(project)["2027-04-01"]["revisions"]
    assert revisions[-2] == original  # the text as announced, kept
    assert revisions[-1]["postponement"] == 1
    assert revisions[-1]["effective_date"] == "2027-05-01"
    for language, text in original["documents"].items():
        assert lockstore.published_path(project.source, "2027-04-01", language,
                                        text["sha256"]).is_file()
    site = project.build().result.out_dir
    data, current = valid_api(site)
    entry = next(v for v in data["versions"] if v["id"] == "2027-04-01")
    assert entry["effective_date"] == "2027-05-01"
    assert entry["postponements"] == [{
        "from": "2027-04-01", "to": "2027-05-01", "date": "2026-11-25",
        "reason": {"ja": "システム改修の遅れにより施行日を延期しました。",
                   "en": "Postponed while our systems are updated."}}]
    assert entry["withdrawal"] is None
    assert current["upcoming"]["effective_date"] == "2027-05-01"
    assert current["upcoming"]["postponed_from"] == "2027-04-01"
    page = (site / "en/versions/2027-04-01/index.html").read_text()
    assert "Postponed on November 25, 2026: Postponed while our systems are updated." in page
    assert "This version takes effect on May 1, 2027." in page


def test_a_postponement_moves_the_date_later_and_changes_nothing_else(project, cli):
    postpone(project, to="2027-03-01")
    run = cli("lock", "--postpone", "2027-04-01", cwd=project.root)
    assert run.code == 2 and "would take effect on 2027-03-01, not later than announced " \
        "(2027-04-01)" in run.err
    project.replace(V2027, "effective_date: 2027-03-01", "effective_date: 2027-05-01")
    project.replace(V2027, "ISAO Corporation", "ISAO Corp.")
    run = cli("lock", "--postpone", "2027-04-01", cwd=project.root)
    assert run.code == 2 and "changed more than its effective date" in run.err


def test_a_version_in_force_can_be_neither_postponed_nor_withdrawn(project, cli):
    project.replace(V2018, "effective_date: 2018-07-06", "effective_date: 2018-08-01")
    project.write(V2018, project.read(V2018) + POSTPONEMENT)
    run = cli("lock", "--postpone", "2018-07-06", cwd=project.root)
    assert run.code == 2 and "version 2018-07-06 took effect on 2018-07-06, so it can no " \
        "longer be postponed; a version in force is changed only by a new version" in run.err
    project.replace(V2018, "effective_date: 2018-08-01", "effective_date: 2018-07-06")
    project.replace(V2018, POSTPONEMENT, WITHDRAWAL)
    run = cli("lock", "--withdraw", "2018-07-06", cwd=project.root)
    assert run.code == 2 and "so it can no longer be withdrawn" in run.err


def test_a_withdrawn_version_keeps_its_url_with_a_banner_and_never_takes_effect(project, cli):
    project.write(V2027, project.read(V2027) + WITHDRAWAL)
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "run `policygen lock --withdraw 2027-04-01`" in run.err
    run = cli("lock", "--withdraw", "2027-04-01", cwd=project.root)
    assert run.code == 0 and "recorded the withdrawal of version 2027-04-01 on 2026-11-25" \
        in run.out
    assert lock_data(project)["2027-04-01"]["withdrawn"] == "2026-11-25"
    site = project.build(as_of=__import__("datetime").date(2027, 6, 1)).result.out_dir
    data, current = valid_api(site)
    entry = next(v for v in data["versions"] if v["id"] == "2027-04-01")
    assert entry["status"] == "withdrawn" and data["current"] == "2018-07-06"
    assert entry["withdrawal"] == {"date": "2026-11-25", "reason": {
        "ja": "内容を見直すため撤回しました。", "en": "Withdrawn to review its content."}}
    assert entry["postponements"] == []
    assert current["current"]["id"] == "2018-07-06" and current["upcoming"] is None
    page = (site / "en/versions/2027-04-01/index.html").read_text()
    assert "Withdrawn version" in page and "This version was withdrawn on November 25, " \
        "2026 and never took effect: Withdrawn to review its content." in page
    assert "Version of April 1, 2027: withdrawn" in (site / "en/feed.xml").read_text()
    assert "Withdrawn" in (site / "en/versions/index.html").read_text()
    project.replace(V2027, WITHDRAWAL, "")
    run = cli("validate", cwd=project.root)
    assert run.code == 2 and "was withdrawn on 2026-11-25 but its file no longer says so" \
        in run.err


def test_a_correction_lists_later_versions_holding_the_same_passage_and_also_records_them(
        project, cli):
    project.replace(V2018, "We deal with the following", "We handle the following")
    project.replace(V2018, "sections:\n", "corrections:\n" + CORRECTION_ENTRY + "sections:\n")
    run = cli("lock", "--correct", "2018-07-06", cwd=project.root)
    assert run.code == 0, run.err
    assert "version 2027-04-01 still contains the corrected passage (section 'scope'): " \
        "correct it there too, add a 'corrections' entry and run " \
        "`policygen lock --correct 2027-04-01`" in run.out

    project.replace(V2027, "We deal with the following", "We handle the following")
    project.write(V2027, project.read(V2027) + CORRECTION_ENTRY)
    run = cli("lock", "--correct", "2018-07-06", "--also", "2027-04-01", cwd=project.root)
    assert run.code == 2 and "needs exactly one new 'corrections' entry" in run.err  # 2018 is done
    project.replace(V2018, "We handle the following", "We handle the following items")
    project.replace(V2018, CORRECTION_ENTRY, CORRECTION_ENTRY + CORRECTION_ENTRY)
    run = cli("lock", "--correct", "2018-07-06", "--also", "2027-04-01", cwd=project.root)
    assert run.code == 0, run.err
    assert "recorded correction 2 of version 2018-07-06" in run.out
    assert "recorded correction 3 of version 2027-04-01" in run.out  # its 2nd: the structure
    assert "still contains" not in run.out
    assert cli("validate", cwd=project.root).code == 0


def test_also_needs_correct(project, cli):
    run = cli("lock", "--also", "2027-04-01", cwd=project.root)
    assert run.code == 2 and "--also needs --correct ID" in run.err
