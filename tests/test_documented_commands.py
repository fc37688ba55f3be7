"""Every shell session the documentation shows (README.md, docs/*.md: `$ policygen ...` or
`$ ./dev ...` and what it prints) is run against a fresh copy of the example, set up as the
text around it describes, and prints what the documentation shows, but for a build's seconds
and the path to its output folder. A session that cannot be replayed is listed below with
why, so that a new one is either checked or said not to be."""
from __future__ import annotations

import datetime as dt
import os

import pytest

from generator.cli import main
from tests.documented_commands import Session, matches, normalised, run, sessions
from tests.helpers import (
    CORRECTION_ENTRY,
    JA_16,
    JA_18,
    POSTPONEMENT,
    V2018,
    V2027,
    WITHDRAWAL,
    copy_project,
)
from tests.languages_added import add_language, translate
from tests.processing_cases import published_pair

# The day the documentation's sessions were run: what lock records as the announcement day,
# and sessions run on another day.
# The example's day: every step its record shows was recorded then (on an earlier day a
# command shows the record as it stood, without them).
DOCUMENTED_DAY = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
DAYS = {"docs/guide.md $ policygen lock": dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)}
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


def corrected_in_2018(project) -> None:
    """A wording of 2018-07-06's scope corrected, with its entry; 2027-04-01 says the same."""
    project.replace(V2018, "We deal with the following", "We handle the following")
    project.replace(V2018, "sections:\n", "corrections:\n" + CORRECTION_ENTRY + "sections:\n")


def corrected_in_2027_too(project) -> None:
    project.replace(V2027, "We deal with the following", "We handle the following")
    project.write(V2027, project.read(V2027) + CORRECTION_ENTRY)


def corrected_on_december_first(project) -> None:
    """operations.md's regulator: 2018-07-06's scope corrected, locked on 2026-12-01."""
    corrected_in_2018(project)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(2026, 12, 1, 12,
                                                          tzinfo=dt.UTC).timestamp()))
    assert main(["lock", "--correct", "2018-07-06"]) == 0


def widened(project) -> None:
    """guide.md's re-consent check: two new versions, the second with one purpose more."""
    published_pair(project)


def withdrawn(project) -> None:
    project.write(V2027, project.read(V2027) + WITHDRAWAL)


def french_listed(project) -> None:
    """French listed in policy.yaml, no version translated yet."""
    add_language(project, "fr", FRENCH_TITLE, ())


def french_in_2027(project) -> None:
    """French listed, and 2027-04-01 translated (the translator's work stood for by the
    English)."""
    add_language(project, "fr", FRENCH_TITLE, ("2027-04-01",))


def french_in_2027_but_the_company(project) -> None:
    french_in_2027(project)
    project.replace(V2027, "    en: ISAO Corporation\n    fr: la société ISAO\n",
                    "    en: ISAO Corporation\n")


def french_draft_in_part(project) -> None:
    """French listed; the draft 2028-04-01 has it in section scope only, and the Japanese
    title of section children pasted as its French."""
    french_listed(project)
    assert main(["new-version", "2028-04-01"]) == 0
    text = project.read(DRAFT)
    start, end = text.index("  - id: scope\n"), text.index("  - id: storage-location\n")
    text = text[:start] + translate(text[start:end], "fr") + text[end:]
    project.write(DRAFT, text.replace("      en: Use of services by children\n",
                                      "      en: Use of services by children\n"
                                      "      fr: お子様によるサービスの利用\n"))


FRENCH_TITLE = "Politique de confidentialité"


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
    "docs/guide.md $ policygen lock --correct 2018-07-06": corrected_in_2018,
    "docs/guide.md $ policygen lock --postpone 2027-04-01": postponed,
    "docs/guide.md $ policygen lock --withdraw 2027-04-01": withdrawn,
    "docs/guide.md $ ./dev lock --strict": widened,
    "docs/guide.md $ policygen validate": french_draft_in_part,
    "docs/guide.md $ policygen validate #2": french_listed,
    "docs/guide.md $ policygen validate #3": french_in_2027_but_the_company,
    "docs/guide.md $ policygen validate #4": french_in_2027,
    "docs/guide.md $ policygen lock": french_in_2027,
    "docs/reference.md $ ./dev validate": with_an_http_link,
    "docs/reference.md $ policygen build --out .": built,
    "docs/reference.md $ echo 'site_url: https://www.example.com/privacy/' >> mkdocs.yml; "
    "rm -r locales/ja": as_shipped,
    "docs/reference.md $ ./dev build --engine zensical --out site-zensical": as_shipped,
    "docs/reference.md $ policygen build": with_a_template_checked_out_as_its_link,
    "docs/reference.md $ policygen check": as_shipped,
    "docs/operations.md $ policygen show --as-of 2019-03-01 --lang en":
        corrected_on_december_first,
    "docs/operations.md $ policygen status --as-of 2019-03-01": corrected_on_december_first,
    "docs/operations.md $ policygen build --as-of 2019-03-01 --out /tmp/site-2019":
        corrected_on_december_first,
}

# Sessions not replayed, and why.
NOT_REPLAYED = {
    "README.md $ policygen init acme --company '37signals LLC' --languages en --authoritative "
    "en --timezone America/Chicago --checklists ''":
        "init dates the first draft and the workflow by the day it runs, and import reads "
        "Basecamp's published Markdown, which the project does not ship",
}

# What the text says is done between two steps of a session: by the step's index.
BETWEEN = {
    "docs/guide.md $ policygen lock --correct 2018-07-06": {1: corrected_in_2027_too},
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
    assert BETWEEN.keys() <= SETUPS.keys() and DAYS.keys() <= SETUPS.keys()


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
    day = DAYS.get(session.name, DOCUMENTED_DAY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(day.timestamp())))
    SETUPS[session.name](project)
    for index, step in enumerate(session.steps):
        if index in BETWEEN.get(session.name, {}):
            BETWEEN[session.name][index](project)
        if step.command in STEPS_NOT_RUN:
            continue
        command = step.command.replace("/tmp/", f"{tmp_path}/")
        printed = run(command, project.root)
        if "..." in step.shown:  # lines left out of the documentation
            assert matches(step.shown, printed), (step.command, normalised(printed))
        else:
            assert (step.command, normalised(printed)) == (step.command,
                                                           normalised(step.shown))
