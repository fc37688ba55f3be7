"""The record as it stood on a past day: the regulator's question, "what did your policy say on
2019-03-01?", answered from the lock's own days, never from today's source alone.

Pure: the policy and lock in, with a reader of the texts published/ keeps; the policy and lock
out as they stood. What the lock recorded after the day does not exist yet: a version
announced later, a correction (its text is the one before, read from the published bytes), a
postponement (its effective date is the one before), a withdrawal, a language added.
A version first locked after it had taken effect (a record begun later, as for a policy that
adopted policygen years after its first text) stood on the day if it was in force then.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from generator.core import documents
from generator.core.model import Policy, Version, timeline
from generator.record import lock


@dataclass(frozen=True, slots=True)
class Stood:
    """The policy and its lock as they stood on `day`, and what was recorded after it."""

    day: dt.date
    policy: Policy
    locked: lock.Lock | None
    later: tuple[Later, ...]  # every step recorded after the day, oldest first

    @property
    def changed(self) -> bool:
        return bool(self.later)


@dataclass(frozen=True, slots=True)
class Later:
    """One step recorded after the day: what it was, of which version, on which day."""

    date: dt.date
    version: str
    what: str  # "announced", "correction N", "postponement N", "withdrawn", "added LANG"


def as_it_stood(policy: Policy, locked: lock.Lock | None, day: dt.date,
                read_text: lock.ReadLocked) -> Stood:
    """The policy and lock of `day`: each locked version with only the steps recorded by then."""
    if locked is None:
        return Stood(day, policy, locked, ())
    versions: list[Version] = []
    entries: dict[str, lock.Entry] = {}
    later: list[Later] = []
    for version in policy.versions:
        entry = locked.versions.get(version.id)
        if entry is None:  # a draft: work in progress, not a record
            versions.append(version)
            continue
        kept, dropped = _revisions_by(entry, day)
        later += [Later(revision.date, version.id, _step(revision)) for revision in dropped
                  if revision.date is not None]
        first = entry.revisions[0]
        effective = kept[-1].effective_date or version.effective_date
        if first.date is not None and first.date > day and effective > day:
            later.append(Later(first.date, version.id, "announced"))
            continue  # announced after the day: it did not exist yet
        withdrawn = entry.withdrawn if entry.withdrawn is not None and \
            entry.withdrawn <= day else None
        if entry.withdrawn is not None and withdrawn is None:
            later.append(Later(entry.withdrawn, version.id, "withdrawn"))
        added = {code: on for code, on in entry.added.items() if on <= day}
        later += [Later(on, version.id, f"added {code}") for code, on in entry.added.items()
                  if on > day]
        entries[version.id] = dataclasses.replace(entry, revisions=kept, withdrawn=withdrawn,
                                                  added=added)
        versions.append(_version_then(version, kept, bool(dropped), withdrawn is not None,
                                      read_text))
    return Stood(day, dataclasses.replace(policy, versions=tuple(versions)),
                 dataclasses.replace(locked, versions=entries),
                 tuple(sorted(later, key=lambda step: (step.date, step.version,
                                                        step.what != "announced"))))


def _revisions_by(entry: lock.Entry, day: dt.date
                  ) -> tuple[tuple[lock.Revision, ...], tuple[lock.Revision, ...]]:
    """The revisions recorded by `day` (the first always: it is the text itself) and after.
    A revision without a day (a lock older than the days) counts as recorded."""
    first, *rest = entry.revisions
    kept = (first, *(r for r in rest if r.date is None or r.date <= day))
    return kept, tuple(r for r in rest if r not in kept)


def _step(revision: lock.Revision) -> str:
    if revision.correction is not None:
        return f"correction {revision.correction}"
    return f"postponement {revision.postponement}"


def _version_then(version: Version, kept: tuple[lock.Revision, ...], revised: bool,
                  withdrawn: bool, read_text: lock.ReadLocked) -> Version:
    """The version as its last revision recorded by the day states it: read from the bytes
    published then when a later revision changed it, with the steps recorded by then."""
    corrections = sum(r.correction is not None for r in kept)
    postponements = sum(r.postponement is not None for r in kept)
    then = version
    if revised:
        latest = kept[-1]
        texts = {language: read_text(version.id, language, text.sha256)
                 for language, text in latest.documents.items()}
        # The lock check, run before, found every kept text whole.
        then = documents.read_version({language: text for language, text in texts.items()
                                       if text is not None})
        then = dataclasses.replace(then, coverage=version.coverage)  # not in documents
    return dataclasses.replace(then, corrections=version.corrections[:corrections],
                               postponements=version.postponements[:postponements],
                               withdrawal=version.withdrawal if withdrawn else None)


@dataclass(frozen=True, slots=True)
class InForce:
    """The answer to "what did the policy say on `day`": the version then in force, the hash
    of its text in the language as it read that day, and what the lock recorded after."""

    day: dt.date
    version: Version
    language: str
    sha256: str
    later: tuple[Later, ...]


def in_force(stood: Stood, language: str) -> InForce | None:
    """The version in force on the stood day in `language`; None when none was."""
    current = timeline(stood.policy, stood.day).current
    if current is None or stood.locked is None or current.id not in stood.locked.versions:
        return None
    locked = stood.locked.versions[current.id].latest.documents.get(language)
    if locked is None:
        return None
    return InForce(stood.day, current, language, locked.sha256, stood.later)
