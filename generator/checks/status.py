"""`policygen status`: where every version stands, and what to do next. Pure: the policy, the
ids the lock holds and the day in; rows and text out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale

from generator.checks import translations
from generator.core import columns
from generator.core.model import Policy, Version, timeline


@dataclass(frozen=True, slots=True)
class LanguageStatus:
    language: str
    state: str  # "complete", "stale", "missing", or "none": locked before it was added
    stale: int
    missing: int
    stale_sections: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VersionStatus:
    id: str
    effective_date: dt.date
    state: str  # "draft", "upcoming", "in force" or "superseded"
    locked: bool
    corrections: int
    has_summary: bool
    languages: tuple[LanguageStatus, ...]
    next_steps: tuple[str, ...]


def version_state(policy: Policy, version: Version, as_of: dt.date) -> str:
    if version.status == "draft":
        return "draft"
    line = timeline(policy, as_of)
    return {"current": "in force", "upcoming": "upcoming",
            "superseded": "superseded", "withdrawn": "withdrawn"}[line.state(version)]


def statuses(policy: Policy, locked: frozenset[str], as_of: dt.date) -> tuple[VersionStatus, ...]:
    return tuple(_status(policy, version, locked, as_of) for version in policy.versions)


def _status(policy: Policy, version: Version, locked: frozenset[str],
            as_of: dt.date) -> VersionStatus:
    languages = []
    for language in translations.translated_languages(policy):
        if language not in version.languages():  # locked before the language was added
            languages.append(LanguageStatus(language, "none", 0, 0, ()))
            continue
        cover = translations.coverage(policy, version, language)
        state = "missing" if cover.missing else "stale" if cover.stale else "complete"
        sections = tuple(dict.fromkeys(s.place.section or s.place.name for s in cover.stale))
        languages.append(LanguageStatus(language, state, len(cover.stale), len(cover.missing),
                                        sections))
    state = version_state(policy, version, as_of)
    is_locked = version.id in locked
    steps = []
    if not is_locked:
        for status in languages:
            name = Locale.parse(status.language, sep="-").english_name
            if status.stale:
                many = len(status.stale_sections) != 1
                steps.append(f"{len(status.stale_sections)} {name} section{'s' * many} stale "
                             f"({', '.join(status.stale_sections)})")
            if status.missing:
                steps.append(f"{status.missing} {name} place{'s' * (status.missing != 1)} "
                             "missing")
        if version.summary is None:
            steps.append("no summary")
        if state == "draft" and version.effective_date <= as_of:
            steps.append("its effective date has passed")
        if version.status == "published":
            steps.append("published but not locked: run `policygen lock`")
    if steps:
        steps.insert(0, state)
    return VersionStatus(version.id, version.effective_date, state, is_locked,
                         len(version.corrections), version.summary is not None,
                         tuple(languages), tuple(steps))


def to_text(rows: tuple[VersionStatus, ...]) -> str:
    head = ["version", "effective", "state", "locked", "corrections"] + \
        [status.language for status in (rows[0].languages if rows else ())]
    table = [head] + [
        [row.id, row.effective_date.isoformat(), row.state, "yes" if row.locked else "no",
         str(row.corrections)] +
        [status.state if status.state in ("complete", "none") else
         f"{status.stale or status.missing} {status.state}" for status in row.languages]
        for row in rows]
    lines = columns.aligned(table)
    todo = [f"  {row.id}: {'; '.join(row.next_steps)}" for row in rows if row.next_steps]
    lines += ["", "Next:"] + todo if todo else ["", "Nothing to do: every version is "
                                                    "locked and complete."]
    return "\n".join(lines) + "\n"


def to_json(rows: tuple[VersionStatus, ...]) -> list[dict]:
    return [{"id": row.id, "effective_date": row.effective_date.isoformat(),
             "state": row.state, "locked": row.locked, "corrections": row.corrections,
             "summary": row.has_summary,
             "languages": {s.language: {"state": s.state, "stale": s.stale,
                                        "missing": s.missing,
                                        "stale_sections": list(s.stale_sections)}
                           for s in row.languages},
             "next_steps": list(row.next_steps)} for row in rows]
