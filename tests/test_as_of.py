"""The regulator's question: "what exactly did your policy say on 2019-03-01, and what changed
since?" The record as it stood on a past day, from the days the lock recorded: status, build,
show and diff."""
from __future__ import annotations

import datetime as dt
import json

import pypdf
import pytest

from generator.core import documents
from generator.record import history
from generator.record import store as lockstore
from generator.source.convert import read
from tests.helpers import CORRECTION_ENTRY, V2018

CORRECTED_ON = dt.date(2026, 12, 1)  # after the example's lock (2026-11-25)


@pytest.fixture
def corrected(project):
    """The example with 2018-07-06's English corrected on 2026-12-01, a week after the lock
    announced 2027-04-01 (and recorded its correction)."""
    project.replace(V2018, "We deal with the following", "We handle the following")
    project.replace(V2018, "sections:\n", "corrections:\n" + CORRECTION_ENTRY + "sections:\n")
    policy, _, locate = read(project.source)
    lockstore.record(policy, project.source, locate, CORRECTED_ON, "2018-07-06")
    return project


def stood(project, day: dt.date) -> history.Stood:
    policy, _, _ = read(project.source)
    return history.as_it_stood(policy, lockstore.read(project.source), day,
                               lockstore.reader(project.source))


def test_a_version_announced_after_the_day_did_not_exist_then(corrected):
    then = stood(corrected, dt.date(2019, 3, 1))
    assert [v.id for v in then.policy.versions] == ["2018-07-06"]
    assert list(then.locked.versions) == ["2018-07-06"]
    assert [(step.date.isoformat(), step.version, step.what) for step in then.later] == [
        ("2026-11-25", "2027-04-01", "announced"),
        ("2026-11-25", "2027-04-01", "correction 1"),
        ("2026-11-25", "2027-04-01", "correction 2"),
        ("2026-12-01", "2018-07-06", "correction 1")]


def test_a_correction_recorded_after_the_day_leaves_the_text_as_it_read_then(corrected):
    then = stood(corrected, dt.date(2026, 11, 30))
    version = then.policy.version("2018-07-06")
    assert version.corrections == () and then.locked.versions["2018-07-06"].corrections == 0
    first = then.locked.versions["2018-07-06"].revisions[0].documents["en"].sha256
    made = documents.version_document(then.policy.info, version, "en")
    assert made.sha256 == first  # the bytes published then, made again from the model
    assert "We deal with the following" in made.content.decode()
    now = stood(corrected, CORRECTED_ON)
    assert not now.changed and len(now.policy.version("2018-07-06").corrections) == 1


def test_status_as_of_a_past_day_shows_only_what_was_recorded_by_then(corrected, cli):
    run = cli("status", "--as-of", "2019-03-01", cwd=corrected.root)
    assert run.code == 0, run.err
    rows = [line.split() for line in run.out.splitlines()[1:] if line[:4].isdigit()]
    assert rows == [["2018-07-06", "2018-07-06", "in", "force", "yes", "0", "complete"]]
    rows = json.loads(cli("status", "--as-of", "2026-12-01", "--format", "json",
                          cwd=corrected.root).out)
    assert [(row["id"], row["corrections"]) for row in rows] == [("2018-07-06", 1),
                                                                  ("2027-04-01", 2)]


def test_show_prints_the_text_in_force_as_it_read_with_its_hash_and_what_came_after(
        corrected, cli):
    run = cli("show", "--as-of", "2019-03-01", "--lang", "en", cwd=corrected.root)
    assert run.code == 0, run.err
    first = json.loads((corrected.source / "policy.lock").read_text())[
        "versions"]["2018-07-06"]["revisions"][0]["documents"]["en"]["sha256"]
    assert run.out.startswith("In force on 2019-03-01: version 2018-07-06, effective "
                              "2018-07-06 (en)\n"
                              f"SHA-256 of its text as it read that day: {first}\n")
    assert "We deal with the following" in run.out and "We handle" not in run.out
    assert "  2026-11-25  2027-04-01  announced, to take effect on 2027-04-01\n" in run.out
    assert "  2026-12-01  2018-07-06  correction 1: Corrected a typing error in the scope.\n" \
        in run.out
    data = json.loads(cli("show", "--as-of", "2019-03-01", "--lang", "en", "--format",
                          "json", cwd=corrected.root).out)
    kept = lockstore.published_path(corrected.source, "2018-07-06", "en", first).read_bytes()
    assert data["sha256"] == first and data["document"] == json.loads(kept)
    assert data["published_as"] == f"api/v1/versions/2018-07-06/en.{first}.json"
    today = cli("show", "--as-of", "2026-12-01", "--lang", "en", cwd=corrected.root).out
    assert "We handle the following" in today and "Nothing was recorded after 2026-12-01." \
        in today


def test_show_before_the_first_version_is_refused_with_the_first_day(corrected, cli):
    run = cli("show", "--as-of", "2010-01-01", cwd=corrected.root)
    assert run.code == 2 and "no version was in force in 'ja' on 2010-01-01" in run.err
    assert "2018-07-06" in run.err and "Traceback" not in run.err


def test_diff_takes_days_for_the_versions_in_force_on_them(corrected, cli):
    by_day = cli("diff", "2019-03-01", "2027-04-01", "--lang", "en", cwd=corrected.root)
    by_id = cli("diff", "2018-07-06", "2027-04-01", "--lang", "en", cwd=corrected.root)
    assert by_day.code == 0 and by_day.out == by_id.out and "2018-07-06 to 2027-04-01" in \
        by_day.out
    run = cli("diff", "2010-01-01", "2027-04-01", cwd=corrected.root)
    assert run.code == 2 and "no version was in force on 2010-01-01" in run.err


def test_a_site_built_as_of_a_past_day_shows_neither_later_announcements_nor_corrections(
        corrected):
    built = corrected.build(as_of=dt.date(2026, 11, 30))
    site = built.result.out_dir
    assert [(step.version, step.what) for step in built.later] == [("2018-07-06",
                                                                    "correction 1")]
    page = (site / "en/versions/2018-07-06/index.html").read_text(encoding="utf-8")
    assert "We deal with the following" in page and "Corrected on" not in page
    assert not (site / "en/versions/2018-07-06/before-correction-1").exists()
    entry = json.loads((site / "api/v1/policy.json").read_bytes())["versions"][0]
    assert entry["corrections"] == []
    # The PDF of the day is the text as it read then.
    pdf = next((site / "en/versions/2018-07-06").glob("*.pdf"))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "We deal with the following" in " ".join(text.split())

    earlier = corrected.build(corrected.root / "site-2019", as_of=dt.date(2019, 3, 1))
    site = earlier.result.out_dir
    assert not (site / "en/versions/2027-04-01").exists()
    index = json.loads((site / "api/v1/policy.json").read_bytes())
    assert [v["id"] for v in index["versions"]] == ["2018-07-06"]
    assert "2027-04-01" not in (site / "en/feed.xml").read_text(encoding="utf-8")


def test_a_site_built_for_today_is_the_whole_record(corrected):
    built = corrected.build(as_of=CORRECTED_ON)
    assert built.later == ()
    page = (built.result.out_dir / "en/versions/2018-07-06/index.html").read_text(
        encoding="utf-8")
    assert "Corrected on December 1, 2026" in page
