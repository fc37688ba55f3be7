"""`policygen status`: every version's state, lock, corrections and translations, and what
to do next."""
from __future__ import annotations

import datetime as dt
import json

from generator.checks import status
from generator.source.convert import load
from tests.helpers import JA_16, JA_18, draft


def test_states_follow_the_day_and_drafts_stay_drafts(project):
    draft(project, (JA_16, JA_18))
    rows = status.statuses(load(project.source), frozenset({"2018-07-06", "2027-04-01"}),
                           dt.date(2026, 11, 25))
    assert [(r.id, r.state, r.locked) for r in rows] == [
        ("2018-07-06", "in force", True), ("2027-04-01", "upcoming", True),
        ("2028-04-01", "draft", False)]
    later = status.statuses(load(project.source), frozenset(), dt.date(2027, 4, 1))
    assert [r.state for r in later] == ["superseded", "in force", "draft"]


def test_a_stale_draft_gets_next_steps(project):
    path = draft(project, (JA_16, JA_18))
    project.replace(path, project.read(path).split("summary:\n")[1].split("\n\n")[0] + "\n", "")
    project.replace(path, "summary:\n", "")
    rows = status.statuses(load(project.source), frozenset({"2018-07-06", "2027-04-01"}),
                           dt.date(2026, 11, 25))
    assert rows[2].languages[0].state == "stale" and rows[2].languages[0].stale == 1
    assert rows[2].next_steps == ("draft", "1 English section stale (children)", "no summary")
    assert rows[0].next_steps == ()


def test_status_command_prints_one_table_and_what_to_do(cli, project):
    draft(project, (JA_16, JA_18))
    run = cli("status", "--as-of", "2026-11-25", cwd=project.root)
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "version     effective   state     locked  corrections  en",
        "2018-07-06  2018-07-06  in force  yes     0            complete",
        "2027-04-01  2027-04-01  upcoming  yes     2            complete",
        "2028-04-01  2028-04-01  draft     no      0            1 stale",
        "",
        "Next:",
        "  2028-04-01: draft; 1 English section stale (children)",
    ]


def test_status_json_is_for_scripts(cli, project):
    run = cli("status", "--as-of", "2026-11-25", "--format", "json", cwd=project.root)
    rows = json.loads(run.out)
    assert [r["state"] for r in rows] == ["in force", "upcoming"]
    assert rows[0]["languages"]["en"] == {"state": "complete", "stale": 0, "missing": 0,
                                          "stale_sections": []}


def test_status_and_check_print_their_tables_through_one_aligner():
    from generator.core import columns

    assert columns.aligned([("version", "state", "ja"), ("2018-07-06", "superseded", "")]) == [
        "version     state       ja",
        "2018-07-06  superseded"]
