"""Every shell session the documentation shows (README.md, docs/*.md: `$ policygen ...` or
`$ ./dev ...` and what it prints) is run against a fresh copy of the example, set up as the
text around it describes, and prints what the documentation shows, but for a build's seconds
and the path to its output folder. A session that cannot be replayed is listed below with
why, so that a new one is either checked or said not to be."""
from __future__ import annotations

import datetime as dt

import pytest

from generator.cli import main
from tests.documented_commands import Session, matches, normalised, run, sessions
from tests.helpers import JA_16, JA_18, POSTPONEMENT, V2027, WITHDRAWAL, copy_project

# The day the documentation's sessions were run: what lock records as the announcement day.
DOCUMENTED_DAY = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
DRAFT = "versions/2028-04-01.yaml"


def as_shipped(project) -> None:
    """The example as it is."""


def with_an_http_link(project) -> None:
    """A draft whose English text links a site without encryption (a published text cannot
    change)."""
    assert main(["new-version", "2028-04-01"]) == 0
    project.replace(DRAFT, "[Personal Information Protection Commission](https://www.ppc.go.jp/)",
                    "[Personal Information Protection Commission](http://www.ppc.go.jp/)")


def built(project) -> None:
    assert main(["build"]) == 0


def with_a_template_checked_out_as_its_link(project) -> None:
    project.root.joinpath("site_overrides/mkdocs/main.html").write_text(
        "../shared/main.html", encoding="utf-8")


def drafting(project) -> None:
    """The guide's walkthrough: 2028-04-01 started from 2027-04-01, its Japanese age limit
    raised and the English not yet."""
    assert main(["new-version", "2028-04-01"]) == 0
    project.replace(DRAFT, JA_16, JA_18)


def drafting_set_published(project) -> None:
    drafting(project)
    project.replace(DRAFT, "status: draft", "status: published")


def ready_to_publish(project) -> None:
    """The draft with its English updated and a summary written, set published."""
    drafting_set_published(project)
    project.replace(DRAFT, "children under 16 years", "children under 18 years")
    project.replace(DRAFT, "summary:\n", "summary:\n  ja: 対象年齢を18歳に引き上げました。\n"
                    "  en: The minimum age is now 18.\n")


def postponed(project) -> None:
    project.replace(V2027, "effective_date: 2027-04-01", "effective_date: 2027-05-01")
    project.write(V2027, project.read(V2027) + POSTPONEMENT)


def withdrawn(project) -> None:
    project.write(V2027, project.read(V2027) + WITHDRAWAL)


# Each checked session by its name (the file, its first command, '#2' for the second such),
# with what the documentation says was done before it.
SETUPS = {
    "docs/guide.md $ ./dev new-version 2028-04-01": as_shipped,
    "docs/guide.md $ ./dev build --drafts --out /tmp/preview --as-of 2028-04-01": drafting,
    "docs/guide.md $ ./dev validate": drafting,
    "docs/guide.md $ ./dev diff 2027-04-01 2028-04-01 --lang en --format markdown": drafting,
    "docs/guide.md $ ./dev status": drafting,
    "docs/guide.md $ ./dev lock": drafting_set_published,
    "docs/guide.md $ ./dev lock #2": ready_to_publish,
    "docs/guide.md $ policygen lock --postpone 2027-04-01": postponed,
    "docs/guide.md $ policygen lock --withdraw 2027-04-01": withdrawn,
    "docs/reference.md $ ./dev validate": with_an_http_link,
    "docs/reference.md $ policygen build --out .": built,
    "docs/reference.md $ echo 'site_url: https://www.example.com/privacy/' >> mkdocs.yml; "
    "rm -r locales/ja": as_shipped,
    "docs/reference.md $ ./dev build --engine zensical --out site-zensical": as_shipped,
    "docs/reference.md $ policygen build": with_a_template_checked_out_as_its_link,
    "docs/reference.md $ policygen check": as_shipped,
}

# Sessions not replayed, and why.
NOT_REPLAYED = {
    "README.md $ policygen init acme --company '37signals LLC' --languages en --authoritative "
    "en --timezone America/Chicago --checklists ''":
        "init dates the first draft and the workflow by the day it runs, and import reads "
        "Basecamp's published Markdown, which the project does not ship",
    "docs/guide.md $ policygen lock --correct 2018-07-06":
        "the passage is corrected in 2027-04-01 between the two commands",
    "docs/guide.md $ policygen validate": "a French catalog and translation are added first",
    "docs/guide.md $ policygen validate #2": "a French catalog and translation are added first",
    "docs/guide.md $ policygen validate #3": "a French catalog and translation are added first",
    "docs/guide.md $ policygen validate #4": "a French catalog and translation are added first",
    "docs/guide.md $ policygen lock": "a French catalog and translation are added first",
}

# Steps of checked sessions left out, and why.
STEPS_NOT_RUN = {
    "policygen build --engine properdocs      # without the extra":
        "ProperDocs is installed in the development environment",
}


def test_every_documented_session_is_replayed_or_said_not_to_be():
    found = {session.name for session in sessions()}
    assert found - SETUPS.keys() - NOT_REPLAYED.keys() == set()  # new, neither checked nor said
    assert (SETUPS.keys() | NOT_REPLAYED.keys()) - found == set()  # gone from the docs
    assert SETUPS.keys() & NOT_REPLAYED.keys() == set()


def test_a_documented_line_left_out_is_matched_by_an_ellipsis_and_nothing_else():
    assert matches(("first", "...", "last"), ["first", "a", "b", "last"])
    assert not matches(("first", "last"), ["first", "a", "last"])
    assert normalised(["Built 1 language x 1 version (4 pages, 65 files) into "
                       "../../tmp/preview/ in 3.0 s"]) == [
        "Built 1 language x 1 version (4 pages, 65 files) into .../preview/ in N s"]


@pytest.mark.slow
@pytest.mark.parametrize("session", [s for s in sessions() if s.name in SETUPS],
                         ids=lambda session: session.where)
def test_a_documented_session_prints_what_the_documentation_shows(session: Session, tmp_path,
                                                                   monkeypatch):
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(DOCUMENTED_DAY.timestamp())))
    SETUPS[session.name](project)
    for step in session.steps:
        if step.command in STEPS_NOT_RUN:
            continue
        command = step.command.replace("/tmp/", f"{tmp_path}/")
        printed = run(command, project.root)
        if "..." in step.shown:  # lines left out of the documentation
            assert matches(step.shown, printed), (step.command, normalised(printed))
        else:
            assert (step.command, normalised(printed)) == (step.command,
                                                           normalised(step.shown))
