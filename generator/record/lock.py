"""Published versions are a legal record: the lock, as data, and what it says of the source.

The lock records, for every published version and language, the SHA-256 of its canonical JSON
document (the hash the API publishes) and of each of its parts, so a mismatch is traced to the
changed field. It also records the life of each version: the day it was announced (first
locked), each correction and postponement as a revision (oldest first; the earlier texts stay
published), a withdrawal, and languages added after publication.

This module is pure: `loads` / `dumps` convert the lock's text, `check` compares a policy with
it, and `locked_new`, `corrected`, `postponed`, `withdrawn` and `migrated` return the lock one
step later, each step appended to the lock's hash chain (`chain.py`), which `loads` checks.
`store.py` reads and writes policy.lock and published/.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from generator.core import documents
from generator.core.diagnostics import Diagnostic, PolicyError
from generator.core.model import Policy, Version
from generator.record import chain
from generator.source.read import merge_conflicts

# Places a problem in a version file: (version id, path of keys or ids, message, hint, and
# optionally a text to find inside the value) -> a diagnostic there. Given by the loader.
Locate = Callable[..., Diagnostic]
# The document of (version, language) as the source now makes it.
MakeDocument = Callable[[Version, str], documents.Document]
# The data of a locked text (version id, language, sha256), or None when it is not kept.
ReadLocked = Callable[[str, str, str], "dict | None"]

FORMAT = 2  # 1: written before the hash chain, migrated by the next `lock`
ABOUT = ("Published versions of this policy, locked by `policygen lock`. Do not edit: "
         "the build refuses a published text that no longer matches, and each step carries "
         "the SHA-256 of the step before it and of its content, so a hand edit is refused.")


def restore_hint(shown: str) -> str:
    """The recovery from a lock edited by hand: the committed lock, then the command again."""
    return (f"restore it from version control (`git checkout -- {shown}`), then re-run the "
            "recording command (`policygen lock`, with the --correct, --postpone or "
            "--withdraw it was run with); never edit policy.lock by hand")


@dataclass(frozen=True, slots=True)
class Locked:
    """One locked text: a version's document in one language at one revision."""

    sha256: str
    parts: dict[str, str]  # part name ("section:<id>", "facts", ...) -> its sha256


@dataclass(frozen=True, slots=True)
class Revision:
    correction: int | None  # the number of the correction it records (1, 2, ...), else None
    documents: dict[str, Locked]  # language -> locked text
    postponement: int | None = None  # the number of the postponement it records, else None
    effective_date: dt.date | None = None  # the date this text gave (None in older locks)
    date: dt.date | None = None  # the day it was locked (None in older locks)


@dataclass(frozen=True, slots=True)
class Entry:
    """Everything the lock records of one published version."""

    revisions: tuple[Revision, ...]  # the text as first published, then each revision
    announced: dt.date | None = None  # first locked before it took effect; None otherwise
    withdrawn: dt.date | None = None  # the day its withdrawal was recorded
    added: dict[str, dt.date] = field(default_factory=dict)  # language -> day it was added

    @property
    def corrections(self) -> int:
        return sum(r.correction is not None for r in self.revisions)

    @property
    def postponements(self) -> int:
        return sum(r.postponement is not None for r in self.revisions)

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]

    def postponed(self) -> list[tuple[dt.date | None, dt.date | None]]:
        """For each recorded postponement, the effective date before and after it."""
        return [(before.effective_date, after.effective_date)
                for before, after in itertools.pairwise(self.revisions)
                if after.postponement is not None]


@dataclass(frozen=True, slots=True)
class Lock:
    versions: dict[str, Entry]  # version id -> what is recorded of it
    places: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> its line, column
    steps: tuple[chain.Step, ...] = ()  # every step recorded, oldest first
    unchained: str | None = None  # the SHA-256 of a format 1 lock's text, until migrated
    end: tuple[int, int] = (1, 1)  # the line of its last step


EMPTY = Lock({})


# --- the lock's text -------------------------------------------------------------------------

def loads(text: str, shown: str) -> Lock:
    """The lock written in `text` (the file `shown`); PolicyError when it is damaged or its
    steps are not what was recorded (an edit by hand)."""
    hint = restore_hint(shown)
    conflicts = merge_conflicts(shown, text, "take the side that has both steps: check out one "
                                f"side (`git checkout --ours {shown}`, or --theirs), then "
                                "re-run the command that recorded the other side's step "
                                "(`policygen lock`, with its --correct, --postpone or "
                                "--withdraw), so the lock records both; never merge "
                                "policy.lock by hand")
    if conflicts:
        raise PolicyError(conflicts)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PolicyError([Diagnostic(shown, error.lineno, error.colno,
                                      f"the lock file is damaged: {error.msg}", hint)]) from error
    try:
        if not isinstance(data, dict) or data.get("format") not in (1, FORMAT):
            raise ValueError(f"unknown format {data.get('format')!r}"
                             if isinstance(data, dict) else "not a JSON object")
        versions = {version_id: _entry(entry) for version_id, entry in data["versions"].items()}
        steps = tuple(chain.from_json(step) for step in data["steps"]) \
            if data["format"] == FORMAT else ()
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PolicyError([Diagnostic(shown, 1, 1, f"the lock file is damaged ({error})",
                                      hint)]) from error
    located = chain.places(text)
    places = {key[1]: at for key, at in located.items() if key[0] == "entry"}
    if data["format"] != FORMAT:
        return Lock(versions, places, unchained=documents.sha256(text.encode("utf-8")))
    edited = chain.problems(steps, data["versions"], located, shown, hint)
    if edited:
        raise PolicyError(edited)
    return Lock(versions, places, steps, end=located.get(("step", len(steps)), (1, 1)))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text is not None else None


def _known(data: dict, keys: set[str]) -> None:
    """Refuse a key the lock never writes: a hand edit it would otherwise ignore."""
    unknown = sorted(set(data) - keys)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}")


_ENTRY_KEYS = {"announced", "withdrawn", "added", "revisions"}
_REVISION_KEYS = {"correction", "postponement", "effective_date", "date", "documents"}


def _entry(data: dict) -> Entry:
    _known(data, _ENTRY_KEYS)
    for revision in data["revisions"]:
        _known(revision, _REVISION_KEYS)
        for text in revision["documents"].values():
            _known(text, {"sha256", "parts"})
    revisions = tuple(
        Revision(revision["correction"],
                 {language: Locked(text["sha256"], dict(text["parts"]))
                  for language, text in revision["documents"].items()},
                 revision.get("postponement"), _date(revision.get("effective_date")),
                 _date(revision.get("date")))
        for revision in data["revisions"])
    if not revisions:
        raise ValueError("a version without revisions")
    return Entry(revisions, _date(data["announced"]), _date(data.get("withdrawn")),
                 {code: dt.date.fromisoformat(day)
                  for code, day in data.get("added", {}).items()})


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _revision_data(item: Revision) -> dict:
    data: dict = {"correction": item.correction}
    if item.postponement is not None:
        data["postponement"] = item.postponement
    if item.effective_date is not None:
        data["effective_date"] = _iso(item.effective_date)
    if item.date is not None:
        data["date"] = _iso(item.date)
    data["documents"] = {language: {"sha256": text.sha256, "parts": text.parts}
                         for language, text in item.documents.items()}
    return data


def _entry_data(item: Entry) -> dict:
    data: dict = {"announced": _iso(item.announced)}
    if item.withdrawn is not None:
        data["withdrawn"] = _iso(item.withdrawn)
    if item.added:
        data["added"] = {code: _iso(day) for code, day in sorted(item.added.items())}
    data["revisions"] = [_revision_data(r) for r in item.revisions]
    return data


def _versions_data(versions: dict[str, Entry]) -> dict:
    """The versions' record as the lock's JSON holds it, which the chain's hashes cover."""
    return {version_id: _entry_data(item) for version_id, item in sorted(versions.items())}


def dumps(lock: Lock) -> str:
    """The lock's text: stable, so the same lock is always the same bytes. Its steps come last,
    one a line, so that each recorded step adds lines at the end of the file."""
    data = {"about": ABOUT, "format": FORMAT, "versions": _versions_data(lock.versions)}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    steps = ",\n".join("  " + json.dumps(step.to_json(), ensure_ascii=False)
                       for step in lock.steps)
    return text[:-2] + ',\n "steps": [' + (f"\n{steps}\n ]" if steps else "]") + "\n}\n"


def _recorded(lock: Lock, versions: dict[str, Entry], keys: list[chain.Key]) -> Lock:
    """The lock with `versions`, and a step appended to its chain for each of `keys`."""
    return replace(lock, versions=versions,
                   steps=chain.appended(lock.steps, _versions_data(versions), keys))


def chained(versions: dict[str, Entry]) -> tuple[chain.Step, ...]:
    """The steps of a record written without them (by an earlier policygen), in the order of
    their dates."""
    data = _versions_data(versions)
    return chain.appended((), data, chain.in_date_order(data))


def migrated(lock: Lock, today: dt.date) -> Lock:
    """A format 1 lock with its steps, and its migration recorded as a step of its own, which
    names the SHA-256 of the text it was migrated from (`git show` can prove it)."""
    if lock.unchained is None:
        return lock
    steps = chained(lock.versions)
    return replace(lock, unchained=None, steps=chain.appended(
        steps, {}, [("migration",)], date=today.isoformat(), format_1_sha256=lock.unchained))


def unrecorded(lock: Lock, kept: list[tuple[str, str, str, str]], lock_path: str
               ) -> list[Diagnostic]:
    """Kept texts (version, language, sha256, the file shown) that no step of the lock
    records: the steps that recorded them were deleted from the lock, which would let
    `lock` lock a changed text as new."""
    recorded = {(version_id, language, text.sha256)
                for version_id, entry in lock.versions.items()
                for revision in entry.revisions for language, text in revision.documents.items()}
    return [Diagnostic(lock_path, *lock.end, f"{shown} keeps a published text of version "
                       f"{version_id} ({language}) that policy.lock does not record: the steps "
                       "that recorded it were deleted from the lock", restore_hint(lock_path))
            for version_id, language, sha256, shown in kept
            if (version_id, language, sha256) not in recorded]


# --- checking the source against the lock -----------------------------------------------------

def check(policy: Policy, lock: Lock | None, locate: Locate, document: MakeDocument,
          read_locked: ReadLocked, lock_path: str) -> list[Diagnostic]:
    """Every problem with the published versions: each is still in the source, published,
    and its texts and recorded steps match the lock; a changed text is traced to the field
    that changed and said in plain words."""
    published = [v for v in policy.versions if v.status == "published"]
    if lock is None:
        if not published:
            return []
        return [Diagnostic(lock_path, 1, 1, "no lock file, so the published versions " +
                           ", ".join(v.id for v in published) +
                           " are not protected against changes",
                           "run `policygen lock`, then commit policy.lock and published/")]
    problems: list[Diagnostic] = []
    if lock.unchained is not None:
        problems.append(Diagnostic(lock_path, 1, 1, "policy.lock was written by an earlier "
                                   "policygen (format 1), without the hash chain that makes a "
                                   "hand edit evident", "run `policygen lock` once: it adds the "
                                   "chain and records the migration as a step; then commit "
                                   "policy.lock"))
    versions = {v.id: v for v in policy.versions}
    for version_id, entry in lock.versions.items():
        version = versions.get(version_id)
        if version is None:
            problems.append(Diagnostic(
                lock_path, *lock.places.get(version_id, (1, 1)),
                f"published version {version_id} was deleted from the source",
                f"a published version is a legal record: restore versions/{version_id}.yaml "
                "(for example with git)"))
        elif version.status != "published":
            problems.append(locate(version_id, ("status",), f"version {version_id} is "
                                   "published and locked; it cannot become a draft again",
                                   "set status: published"))
        else:
            problems += _check_version(policy, version, entry, locate, document, read_locked,
                                       lock_path, lock.places.get(version_id, (1, 1)))
    for version in published:
        if version.id not in lock.versions:
            problems.append(locate(version.id, ("status",),
                                   f"version {version.id} is published but not locked",
                                   "run `policygen lock` to lock it, then commit policy.lock "
                                   "and published/"))
    return problems


def _check_version(policy: Policy, version: Version, entry: Entry, locate: Locate,
                   document: MakeDocument, read_locked: ReadLocked, lock_path: str,
                   place: tuple[int, int]) -> list[Diagnostic]:
    problems = _check_steps(version, entry, locate)
    differing = []
    for language in policy.info.languages:
        locked = entry.latest.documents.get(language)
        if locked is not None and language not in version.languages():
            problems.append(Diagnostic(
                lock_path, *place, f"published version {version.id} no longer gives its "
                f"'{language}' text, which the lock records: a locked language can never be "
                "removed", f"restore the '{language}' texts of versions/{version.id}.yaml "
                "(for example with git)"))
            continue
        if locked is None:
            if language in version_languages(version, policy):
                problems.append(locate(
                    version.id, ("id",), f"published version {version.id} has a '{language}' "
                    "text that is not locked yet",
                    f"run `policygen lock` to record '{language}' as a language added to it"))
            continue
        made = document(version, language)
        if made.sha256 != locked.sha256:
            differing.append((language, locked, made))
    for language in entry.latest.documents:
        if language not in policy.info.languages:
            problems.append(locate(version.id, ("id",), f"the '{language}' text of published "
                                   f"version {version.id} is no longer built",
                                   f"keep '{language}' in the policy's languages"))
    if differing and not problems:
        # A section gone is one message, in no language's first section: named as deleted.
        deleted = _deleted_sections([locked for _, locked, _ in differing],
                                    [made.parts for _, _, made in differing])
        problems += [_deleted(version, part, differing[0][1], differing[0][2].parts, locate)
                     for part in deleted]
        for language, locked, made in differing:
            problems += explain(version, language, locked, made, read_locked, locate, deleted)
    return problems


_RESTORE = ("a published text must not change: restore the section (for example with git); "
            "a section removed is not a correction of a typo, so publish a new version "
            "without it (`policygen new-version`)")


def _deleted(version: Version, part: str, locked: Locked, made: dict[str, str],
             locate: Locate) -> Diagnostic:
    """A deleted section, placed where it stood: at the section that followed it."""
    order = [name for name in locked.parts if name.startswith("section:")]
    after = next((name for name in order[order.index(part) + 1:] if name in made), None) \
        if part in order else None
    where = ("sections", after.partition(":")[2]) if after else ("sections",)
    stood = f" (it stood before section '{after.partition(':')[2]}')" if after else ""
    return locate(version.id, where, f"section '{part.partition(':')[2]}' of published "
                  f"version {version.id} was deleted{stood}", _RESTORE)


def _deleted_sections(locked: list[Locked], made: list[dict[str, str]]) -> list[str]:
    """The sections a locked text has and the text made now lacks, in any language."""
    return list(dict.fromkeys(part for text, parts in zip(locked, made, strict=True)
                              for part in text.parts
                              if part.startswith("section:") and part not in parts))


def _quoted_texts(codes: list[str]) -> str:
    return " or ".join(f"'{code}'" for code in codes) + " text"


def version_languages(version: Version, policy: Policy) -> tuple[str, ...]:
    """The languages a version is written in: those of the policy that its texts give."""
    return tuple(code for code in version.languages() if code in policy.info.languages)


def _check_steps(version: Version, entry: Entry, locate: Locate) -> list[Diagnostic]:
    """The corrections and postponements the file lists are those the lock records."""
    problems = []
    for kind, written, recorded in (("correction", len(version.corrections), entry.corrections),
                                    ("postponement", len(version.postponements),
                                     entry.postponements)):
        key, option = f"{kind}s", f"--{'correct' if kind == 'correction' else 'postpone'}"
        if written > recorded:
            problems.append(locate(version.id, (key,), f"{kind} {recorded + 1} of version "
                                   f"{version.id} is not recorded in the lock",
                                   f"run `policygen lock {option} {version.id}` to record it"))
        elif written < recorded:
            problems.append(locate(version.id, (key,) if written else ("id",),
                                   f"version {version.id} has {recorded} recorded {kind}"
                                   f"{'s' * (recorded != 1)} but lists {written}",
                                   f"{kind}s are part of the record: restore the removed entry"))
    if version.withdrawal is not None and entry.withdrawn is None:
        problems.append(locate(version.id, ("withdrawal",), f"the withdrawal of version "
                               f"{version.id} is not recorded in the lock",
                               f"run `policygen lock --withdraw {version.id}` to record it"))
    elif version.withdrawal is None and entry.withdrawn is not None:
        problems.append(locate(version.id, ("id",), f"version {version.id} was withdrawn on "
                               f"{entry.withdrawn} but its file no longer says so",
                               "a withdrawal is part of the record: restore the 'withdrawal' "
                               "entry"))
    return problems


# --- saying what changed ------------------------------------------------------------------------

_TYPO = ("a published text must not change. Undo the edit; or, if it corrects a typo, add a "
         "'corrections' entry (date, reason) to this version and run "
         "`policygen lock --correct {id}`")


def explain(version: Version, language: str, locked: Locked, made: documents.Document,
            read_locked: ReadLocked, locate: Locate, told: list[str] | None = None
            ) -> list[Diagnostic]:
    """Located, plain-words messages for a published text that no longer matches its lock:
    one per changed part (less the parts `told` already), at the changed field's own line,
    with the advice that fits."""
    old = read_locked(version.id, language, locked.sha256)
    names = [name for name, digest in made.parts.items() if locked.parts.get(name) != digest]
    names += [name for name in locked.parts if name not in made.parts]
    if told:
        names = [name for name in names if name not in told]
        if not names:
            return []
    found = []
    for part in names or ["version"]:
        if part == "facts" and old is not None:  # each changed fact on its own line
            found += [_explain_fact(version, language, change, locate)
                      for change in _leaf_changes(old["facts"], made.data["facts"])]
        else:
            found.append(_explain_part(version, language, part, old, made, locate))
    return found


def _explain_fact(version: Version, language: str, change: tuple, locate: Locate
                  ) -> Diagnostic:
    path, before, after = change
    return locate(version.id, ("facts", *path, language),
                  f"published version {version.id} ({language}) differs from its locked text "
                  f"in its facts: {'.'.join(path)} changed from {_quote(before)} to "
                  f"{_quote(after)}",
                  "if this corrects a typo, add a 'corrections' entry (date, reason) and run "
                  f"`policygen lock --correct {version.id}`; if the fact itself changed (a new "
                  "officer, a move), publish a new version")


def _explain_part(version: Version, language: str, part: str, old: dict | None,
                  made: documents.Document, locate: Locate) -> Diagnostic:
    head = f"published version {version.id} ({language}) differs from its locked text"
    advice = _TYPO.format(id=version.id)
    if old is None:  # the earlier text is not kept: name the part only
        return locate(version.id, _path_of(part), f"{head} in {part_name(part)}", advice)
    if part == "version":
        return _explain_version(version, language, old["version"], made.data["version"],
                                head, locate)
    if part == "facts":
        return _explain_fact(version, language,
                             _leaf_changes(old["facts"], made.data["facts"])[0], locate)
    if part.startswith("section:"):
        ident = part.partition(":")[2]
        before = next((s for s in old["sections"] if s["id"] == ident), None)
        after = next((s for s in made.data["sections"] if s["id"] == ident), None)
        if before is not None and after is not None:
            path, was, now = _leaf_changes(
                {k: v for k, v in before.items() if k != "text"},
                {k: v for k, v in after.items() if k != "text"})[0]
            where = ("sections", ident, *path, language)
            if isinstance(was, str) and isinstance(now, str):
                shown_was, shown_now, needle = _excerpts(was, now)
                return locate(version.id, where, f"{head} in section '{ident}': "
                              f"{_quote(shown_was)} became {_quote(shown_now)}", advice, needle)
            return locate(version.id, where, f"{head} in section '{ident}': "
                          f"{'.'.join(path)} changed from {_quote(was)} to {_quote(now)}",
                          advice)
    return locate(version.id, _path_of(part), f"{head} in {part_name(part)}", advice)


def _explain_version(version: Version, language: str, old: dict, new: dict, head: str,
                     locate: Locate) -> Diagnostic:
    if old.get("effective_date") != new.get("effective_date"):
        return locate(version.id, ("effective_date",),
                      f"the effective date of published version {version.id} changed from "
                      f"{old.get('effective_date')} to {new.get('effective_date')}",
                      "a date is not a correction. Undo the change; to postpone a version "
                      "announced but not yet in force, add a 'postponements' entry (date, "
                      f"reason) and run `policygen lock --postpone {version.id}`; a version "
                      "already in force keeps its date (publish a new version instead)")
    if old.get("reconsent_required") != new.get("reconsent_required"):
        return locate(version.id, ("reconsent_required",),
                      f"whether users must consent again to published version {version.id} "
                      f"changed from {_json(old.get('reconsent_required'))} to "
                      f"{_json(new.get('reconsent_required'))}",
                      "this is part of what users were told, not a typo: undo the change, and "
                      "publish a new version if users must consent again")
    was, now = old.get("summary") or "", new.get("summary") or ""
    shown_was, shown_now, needle = _excerpts(was, now)
    return locate(version.id, ("summary", language), f"{head} in its summary: "
                  f"{_quote(shown_was)} became {_quote(shown_now)}",
                  _TYPO.format(id=version.id), needle)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _quote(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else _json(value)


def _leaf_changes(old: object, new: object, path: tuple[str, ...] = ()
                  ) -> list[tuple[tuple[str, ...], object, object]]:
    """Every value that differs, in reading order, with its path and its two values. Items
    of lists are named by their id when they have one, as the source names them."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        return [change for key in list(new) + [k for k in old if k not in new]
                for change in _leaf_changes(old.get(key), new.get(key), path + (key,))]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [change for index, (was, now) in enumerate(zip(old, new, strict=True))
                for change in _leaf_changes(was, now, path + (
                    str(now["id"]) if isinstance(now, dict) and "id" in now else str(index),))]
    if isinstance(old, list) and isinstance(new, list):
        return [(path, f"{len(old)} items", f"{len(new)} items")]
    return [(path, old, new)]


_CONTEXT = 12  # characters of context at most, where words are not spaced


def _excerpts(old: str, new: str) -> tuple[str, str, str]:
    """The changed stretch of two texts, widened to whole words with a word of context each
    side, as a reader would quote it; and a piece of the new text to find the edited line by."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = _word_start(new, _word_start(new, start) - 1)

    def excerpt(text: str) -> str:
        stop = _word_end(text, _word_end(text, len(text) - end) + 1)
        shown = text[begin:stop].replace("\n", " ").strip()
        if len(shown) > 80:
            shown = shown[:79] + "…"
        return ("…" if begin else "") + shown + ("…" if stop < len(text) else "")

    needle = new[_word_start(new, start):].split("\n")[0][:24].strip()
    return excerpt(old), excerpt(new), needle


def _word_start(text: str, at: int) -> int:
    at = max(0, min(at, len(text)))
    floor = max(0, at - _CONTEXT)
    while at > floor and not text[at - 1].isspace():
        at -= 1
    return at


def _word_end(text: str, at: int) -> int:
    at = max(0, min(at, len(text)))
    ceiling = min(len(text), at + _CONTEXT)
    while at < ceiling and not text[at].isspace():
        at += 1
    return at


def _first_difference(locked: dict[str, str], current: dict[str, str]) -> str:
    for name, digest in current.items():
        if locked.get(name) != digest:
            return name
    return next((name for name in locked if name not in current), "version")


def part_name(part: str) -> str:
    kind, _, ident = part.partition(":")
    return f"section '{ident}'" if kind == "section" else f"its {kind}"


def _path_of(part: str) -> tuple[str, ...]:
    kind, _, ident = part.partition(":")
    if kind == "section":
        return ("sections", ident)
    return {"version": ("summary",), "policy": ("id",), "language": ("id",)}.get(kind, (kind,))


# --- the lock one step later ----------------------------------------------------------------------

def revision(policy: Policy, version: Version, document: MakeDocument, today: dt.date,
             correction: int | None = None, postponement: int | None = None) -> Revision:
    return Revision(correction, {language: _locked(document(version, language))
                                 for language in version_languages(version, policy)},
                    postponement, version.effective_date, today)


def _locked(made: documents.Document) -> Locked:
    return Locked(made.sha256, dict(made.parts))


def locked_new(policy: Policy, lock: Lock, document: MakeDocument, today: dt.date,
               locate: Locate) -> tuple[Lock, list[str]]:
    """Every published version not yet locked, locked: announced today when it takes effect
    later, at least the policy's minimum notice period ahead."""
    versions = dict(lock.versions)
    done, refused, keys = [], [], []
    minimum = policy.info.minimum_notice_days
    for version in policy.versions:
        if version.status != "published" or version.id in versions:
            continue
        if version.corrections or version.postponements:
            refused.append(locate(
                version.id, ("corrections",) if version.corrections else ("postponements",),
                f"version {version.id} is locked for the first time but lists "
                f"{'corrections' if version.corrections else 'postponements'}",
                "a new version starts without them (they belong to the version they changed, "
                "and were probably copied with its file): remove the entries"))
            continue
        lacking = [code for code in policy.info.languages if code not in version.languages()]
        if lacking:
            refused.append(locate(
                version.id, ("status",), f"version {version.id} is locked for the first time "
                f"but has no {_quoted_texts(lacking)}: a version is first published in every "
                "language of the policy", "translate it (`policygen validate` lists every "
                "text to translate while it is a draft); only a version locked before a "
                "language was added may lack it"))
            continue
        ahead = (version.effective_date - today).days
        if minimum is not None and ahead >= 0 and ahead < minimum:
            earliest = today + dt.timedelta(days=minimum)
            refused.append(locate(
                version.id, ("effective_date",),
                f"version {version.id} would be announced on {today}, {ahead} day"
                f"{'s' * (ahead != 1)} before it takes effect on {version.effective_date}; "
                f"the policy requires at least {minimum} days' notice",
                f"set an effective date of {earliest} or later, or change "
                "'minimum_notice_days' in policy.yaml"))
            continue
        versions[version.id] = Entry((revision(policy, version, document, today),),
                                     announced=today if ahead > 0 else None)
        keys.append(("lock", version.id, 0))
        done.append(f"locked version {version.id}" + (
            f", announced {today}, {ahead} days before it takes effect" if ahead > 0 else
            ", which took effect before it was locked (no announcement recorded)"))
    if refused:
        raise PolicyError(refused)
    added, added_keys, done_added = _added_languages(policy, versions, document, today)
    return _recorded(lock, added, keys + added_keys), done + done_added


def _added_languages(policy: Policy, versions: dict[str, Entry], document: MakeDocument,
                     today: dt.date) -> tuple[dict[str, Entry], list[chain.Key], list[str]]:
    """Languages given by a locked version that its lock does not have yet, added to its
    latest revision with today's date: the texts locked before are left exactly as they are."""
    result, done, keys = dict(versions), [], []
    for version in policy.versions:
        entry = versions.get(version.id)
        if entry is None or version.status != "published":
            continue
        new = [code for code in version_languages(version, policy)
               if code not in entry.latest.documents]
        if not new:
            continue
        texts = dict(entry.latest.documents)
        texts.update({code: _locked(document(version, code)) for code in new})
        result[version.id] = replace(entry, revisions=entry.revisions[:-1] + (
            replace(entry.latest, documents=texts),), added={**entry.added,
                                                             **{c: today for c in new}})
        done += [f"added '{code}' to version {version.id} on {today}" for code in new]
        keys += [("language", version.id, code) for code in new]
    return result, keys, done


def _entry_for(lock: Lock, policy: Policy, version_id: str, lock_path: str,
               locate: Locate) -> tuple[Version, Entry]:
    version = policy.version(version_id)
    entry = lock.versions.get(version_id)
    if version is not None and entry is None:  # said at the version's status, not the lock's
        raise PolicyError([locate(version_id, ("status",), f"version {version_id} is not "
                                  "locked, so there is no published text to change",
                                  "edit a draft freely; `policygen lock` locks a version once "
                                  "it is published")])
    if version is None or entry is None:
        raise PolicyError([Diagnostic(lock_path, 1, 1, f"version {version_id} is not locked, "
                                      "so there is no published text to change",
                                      "`policygen lock` locks new versions")])
    return version, entry


def corrected(policy: Policy, lock: Lock, version_id: str, document: MakeDocument,
              today: dt.date, locate: Locate, lock_path: str) -> Lock:
    """The lock with the new correction of a version recorded, once its file lists exactly
    one unrecorded correction and its text changed."""
    version, entry = _entry_for(lock, policy, version_id, lock_path, locate)
    if len(version.corrections) != entry.corrections + 1:
        raise PolicyError([locate(version_id, ("corrections",) if version.corrections else
                                  ("id",), f"version {version_id} needs exactly one new "
                                  f"'corrections' entry (it has "
                                  f"{_entries(len(version.corrections), entry.corrections)})",
                                  "add one entry with the date and the reason for readers")])
    new = revision(policy, version, document, today, correction=entry.corrections + 1)
    deleted = _deleted_sections(list(entry.latest.documents.values()),
                                [new.documents[language].parts if language in new.documents
                                 else {} for language in entry.latest.documents])
    if deleted:
        raise PolicyError([locate(version_id, ("sections",), f"a correction cannot delete "
                                  f"section '{part.partition(':')[2]}' of published version "
                                  f"{version_id}", _RESTORE) for part in deleted])
    if _hashes(new) == _hashes(entry.latest):
        raise PolicyError([locate(version_id, ("corrections",), f"version {version_id} has a "
                                  "new correction entry but its text did not change",
                                  "make the correction in the text, or remove the entry")])
    if new.effective_date != entry.latest.effective_date and \
            entry.latest.effective_date is not None:
        raise PolicyError([locate(version_id, ("effective_date",), f"the effective date of "
                                  f"version {version_id} changed from "
                                  f"{entry.latest.effective_date} to {new.effective_date}",
                                  "a date is not a correction: undo it, or record a "
                                  f"postponement with `policygen lock --postpone {version_id}`")])
    return _with(lock, version_id, replace(entry, revisions=entry.revisions + (new,)),
                 ("correction", version_id, len(entry.revisions)))


def carried(policy: Policy, lock: Lock, version_id: str, new: Revision,
            document: MakeDocument, read_locked: ReadLocked) -> dict[str, list[str]]:
    """Later versions, drafts included, that still hold a passage the correction of
    `version_id` changed: for each, the sections where its text still reads as the corrected
    text did before. Passage by passage (sentences and lines), not whole sections: a later
    version that changed another sentence of the section still carries the typo."""
    entry = lock.versions[version_id]
    before = entry.revisions[-2] if new is entry.latest else entry.latest
    version = policy.version(version_id)
    if version is None:
        return {}
    corrected_away: dict[str, set[str]] = {}  # language -> passages the correction changed
    for language, text in before.documents.items():
        now = new.documents.get(language)
        old_data = read_locked(version_id, language, text.sha256)
        if now is None or now.sha256 == text.sha256 or old_data is None:
            continue
        # The corrected text is the source's, written to published/ after this.
        kept = {passage for passages in _passages(document(version, language).data).values()
                for passage in passages}
        corrected_away[language] = {passage for passages in _passages(old_data).values()
                                    for passage in passages if passage not in kept}
    found: dict[str, list[str]] = {}
    for later in policy.versions:
        if later.effective_date <= version.effective_date:
            continue
        for language, passages in corrected_away.items():
            if language not in later.languages():
                continue
            for name, held in _passages(document(later, language).data).items():
                if name not in found.get(later.id, []) and passages & set(held):
                    found.setdefault(later.id, []).append(name)
    return found


# A passage ends at a line's end or after a sentence's closing mark (。 ！ ？ . ! ?).
_PASSAGE_END = re.compile(r"\n+|(?<=[。！？])|(?<=[.!?])\s+")
_SHORTEST_PASSAGE = 12  # characters: shorter pieces ("1.", "Note.") are in every version


def _passages(data: dict) -> dict[str, list[str]]:
    """A document's passages by part: each section's title, text and note cut into sentences
    and lines; each fact and label whole, as it reads."""
    found = {f"section:{section['id']}": [
        piece.strip() for text in (section.get("title"), section.get("text"), section.get("note"))
        for piece in _PASSAGE_END.split(text or "") if len(piece.strip()) >= _SHORTEST_PASSAGE]
        for section in data["sections"]}
    for part in ("facts", "labels"):
        found[part] = [f"{part}:{value}" for value in _leaves(data.get(part) or {})]
    return found


def _leaves(value: object) -> list[str]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value] if isinstance(value, str) and value else []


def postponed(policy: Policy, lock: Lock, version_id: str, document: MakeDocument,
              today: dt.date, locate: Locate, lock_path: str) -> Lock:
    """The lock with the postponement of an announced version recorded: a new revision with
    the later date; the text as announced stays in the lock and in published/."""
    version, entry = _entry_for(lock, policy, version_id, lock_path, locate)
    was = entry.latest.effective_date
    if entry.withdrawn is not None:
        raise PolicyError([locate(version_id, ("effective_date",), f"version {version_id} was "
                                  f"withdrawn on {entry.withdrawn}, so it can no longer be "
                                  "postponed", "announce a new version instead")])
    _refuse_in_force(version, entry, today, "postponed", locate)
    if len(version.postponements) != entry.postponements + 1:
        raise PolicyError([locate(version_id, ("postponements",) if version.postponements
                                  else ("effective_date",), f"version {version_id} needs "
                                  f"exactly one new 'postponements' entry (it has "
                                  f"{_entries(len(version.postponements), entry.postponements)})",
                                  "add one entry with the date and the reason for readers")])
    if was is not None and version.effective_date <= was:
        raise PolicyError([locate(version_id, ("effective_date",), f"version {version_id} "
                                  f"would take effect on {version.effective_date}, not later "
                                  f"than announced ({was})",
                                  "a postponement moves the date later; to take effect "
                                  "earlier, withdraw it and announce a new version")])
    new = revision(policy, version, document, today, postponement=entry.postponements + 1)
    for language, text in new.documents.items():
        old = entry.latest.documents.get(language)
        if old is not None and _first_difference(old.parts, text.parts) != "version" or \
                old is not None and {k: v for k, v in old.parts.items() if k != "version"} != \
                {k: v for k, v in text.parts.items() if k != "version"}:
            raise PolicyError([locate(version_id, ("postponements",), f"version {version_id} "
                                      "changed more than its effective date",
                                      "a postponement changes only the date: undo the other "
                                      "edits, or record them as a correction first")])
    return _with(lock, version_id, replace(entry, revisions=entry.revisions + (new,)),
                 ("postponement", version_id, len(entry.revisions)))


def withdrawn(policy: Policy, lock: Lock, version_id: str, today: dt.date, locate: Locate,
              lock_path: str) -> Lock:
    """The lock with the withdrawal of an announced version recorded; its texts are kept."""
    version, entry = _entry_for(lock, policy, version_id, lock_path, locate)
    if entry.withdrawn is not None:
        raise PolicyError([locate(version_id, ("withdrawal",) if version.withdrawal else
                                  ("id",), f"version {version_id} was already withdrawn on "
                                  f"{entry.withdrawn}", "a withdrawal is recorded once: there "
                                  "is nothing more to do")])
    _refuse_in_force(version, entry, today, "withdrawn", locate)  # before asking for an entry
    if version.withdrawal is None:
        raise PolicyError([locate(version_id, ("id",), f"version {version_id} has no "
                                  "'withdrawal' entry", "add 'withdrawal:' with the date and "
                                  "the reason for readers, then run this again")])
    return _with(lock, version_id, replace(entry, withdrawn=today), ("withdrawal", version_id))


def _entries(listed: int, recorded: int) -> str:
    """How many entries a version file lists and how many the lock recorded, in words."""
    return f"{listed} {'entry' if listed == 1 else 'entries'}, {recorded} already recorded"


def _refuse_in_force(version: Version, entry: Entry, today: dt.date, what: str,
                     locate: Locate) -> None:
    took_effect = entry.latest.effective_date or version.effective_date
    if took_effect <= today:
        raise PolicyError([locate(version.id, ("effective_date",), f"version {version.id} took "
                                  f"effect on {took_effect}, so it can no longer be {what}",
                                  "a version in force is changed only by a new version")])


def _hashes(revision: Revision) -> dict[str, str]:
    return {language: text.sha256 for language, text in revision.documents.items()}


def _with(lock: Lock, version_id: str, entry: Entry, key: chain.Key) -> Lock:
    return _recorded(lock, {**lock.versions, version_id: entry}, [key])
