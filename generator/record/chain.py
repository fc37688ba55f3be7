"""The lock's hash chain: every recorded step carries the SHA-256 of the step before it and of
its own content, so a hand edit, a deletion or a reordering in policy.lock is evident.

Pure data over the lock's JSON, as `lock.dumps` writes it. A step's content is what it wrote
into the versions' record (a version's first text and its announcement, a revision, a
withdrawal, a language added), together with the step's own fields, which repeat the facts a
reader checks (its dates, its number): an edited fact is then named at its own line, an
edited text hash at its revision's, a moved or deleted step at the step that follows it.
A step's hash (what the next one carries) covers its fields and both hashes.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.core import documents
from generator.core.diagnostics import Diagnostic

REVISION_KINDS = ("lock", "correction", "postponement")
KINDS = (*REVISION_KINDS, "withdrawal", "language", "migration")

# What a step recorded: (kind, version id, revision index) for a revision, (kind, version id,
# language) for a language added, (kind, version id) for a withdrawal, (kind,) for a migration.
Key = tuple
# Where things are in the lock's text: ("step", number), ("entry", id), ("announced", id),
# ("withdrawn", id), ("added", id, code), ("revision", id, index), (field, id, index).
Places = dict[tuple, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Step:
    fields: dict[str, object]  # kind, version, revision or language, then the facts recorded
    previous: str | None  # the SHA-256 of the step before; None for the first
    content: str  # the SHA-256 of the fields and of the record the step wrote

    @property
    def key(self) -> Key:
        kind, version = self.fields.get("kind"), self.fields.get("version")
        if kind in REVISION_KINDS:
            return kind, version, self.fields.get("revision")
        if kind == "language":
            return kind, version, self.fields.get("language")
        return (kind, version) if kind == "withdrawal" else (kind,)

    def to_json(self) -> dict:
        return {**self.fields, "previous": self.previous, "content": self.content}

    @property
    def sha256(self) -> str:
        return documents.sha256(documents.canonical(self.to_json()))


def from_json(data: object) -> Step:
    """A step as the lock writes it; ValueError when it is not one."""
    if not isinstance(data, dict) or data.get("kind") not in KINDS or \
            not isinstance(data.get("content"), str) or \
            not all(isinstance(data.get(name), str | None)
                    for name in ("previous", "version", "language")) or \
            not isinstance(data.get("revision"), int | None):
        raise ValueError(f"not a recorded step: {str(data)[:60]}")
    return Step({k: v for k, v in data.items() if k not in ("previous", "content")},
                data["previous"], data["content"])


# --- what a step wrote ------------------------------------------------------------------------

def _added_at(entry: dict, code: str) -> int | None:
    """The revision a language added after publication was first locked in."""
    return next((index for index, revision in enumerate(entry["revisions"])
                 if code in revision["documents"]), None)


def _kind_of(index: int, revision: dict) -> str:
    if index == 0:
        return "lock"
    return "postponement" if revision.get("postponement") is not None else "correction"


def _written(versions: dict, key: Key) -> tuple[dict[str, object], object] | None:
    """The facts a step repeats and the record it wrote, as the versions hold them now; None
    when they no longer hold it."""
    if key[0] == "migration":
        return {}, None
    entry = versions.get(key[1])
    if entry is None:
        return None
    if key[0] in REVISION_KINDS:
        index = key[2]
        if not isinstance(index, int) or not 0 <= index < len(entry["revisions"]) or \
                _kind_of(index, entry["revisions"][index]) != key[0]:
            return None
        revision = dict(entry["revisions"][index])
        later = {code for code in entry.get("added", {}) if _added_at(entry, code) == index}
        revision["documents"] = {code: text for code, text in revision["documents"].items()
                                 if code not in later}  # a language step of its own wrote it
        facts: dict[str, object] = {"date": revision.get("date"),
                                    "effective_date": revision.get("effective_date")}
        if key[0] == "lock":
            facts["announced"] = entry.get("announced")
        else:
            facts[key[0]] = revision.get(key[0])
        return facts, revision
    if key[0] == "withdrawal":
        return ({"date": entry["withdrawn"]}, None) if entry.get("withdrawn") else None
    added = entry.get("added", {})
    at = _added_at(entry, key[2]) if key[2] in added else None
    if at is None:
        return None
    return {"date": added[key[2]]}, {"revision": at,
                                     "text": entry["revisions"][at]["documents"][key[2]]}


def _content(fields: dict[str, object], record: object) -> str:
    return documents.sha256(documents.canonical({"step": fields, "record": record}))


def _keys(versions: dict) -> list[Key]:
    """What the versions' record holds, each thing once, in each version's order."""
    keys: list[Key] = []
    for version_id, entry in versions.items():
        for index, revision in enumerate(entry["revisions"]):
            keys.append((_kind_of(index, revision), version_id, index))
            keys += [("language", version_id, code) for code in entry.get("added", {})
                     if _added_at(entry, code) == index]
        if entry.get("withdrawn"):
            keys.append(("withdrawal", version_id))
    return keys


# --- making steps ------------------------------------------------------------------------------

def appended(steps: tuple[Step, ...], versions: dict, keys: Iterable[Key],
             **own: object) -> tuple[Step, ...]:
    """`steps` followed by a step for each of `keys`, which `versions` (the lock's JSON
    record) already holds; `own`: fields of the last step's own (a migration's)."""
    result = list(steps)
    keys = list(keys)
    for position, key in enumerate(keys):
        written = _written(versions, key)
        if written is None:
            raise ValueError(f"the record holds nothing for the step {key}")
        facts, record = written
        fields: dict[str, object] = {"kind": key[0]}
        if len(key) > 1:
            fields["version"] = key[1]
        if len(key) > 2:
            fields["revision" if key[0] in REVISION_KINDS else "language"] = key[2]
        fields.update(facts)
        if position == len(keys) - 1:
            fields.update(own)
        result.append(Step(fields, result[-1].sha256 if result else None,
                           _content(fields, record)))
    return tuple(result)


def in_date_order(versions: dict) -> list[Key]:
    """What a record written without steps holds, as steps in the order of their dates (each
    version's own order kept: a revision without a date follows the one before it)."""
    order: list[tuple[str, str, int, Key]] = []
    running: dict[str, str] = {}
    for position, key in enumerate(_keys(versions)):  # a version's keys in its own order
        written = _written(versions, key)
        day = str(written[0].get("date") or "") if written else ""
        running[key[1]] = max(running.get(key[1], ""), day)
        order.append((running[key[1]], key[1], position, key))
    return [key for *_, key in sorted(order)]


# --- checking steps ------------------------------------------------------------------------------

def describe(key: Key, fields: dict[str, object] | None = None) -> str:
    fields = fields or {}
    kind = key[0]
    if kind == "lock":
        return f"the lock of version {key[1]}"
    if kind in ("correction", "postponement"):
        number = fields.get(kind)
        return f"{kind} {number if number is not None else '?'} of version {key[1]}" \
            if fields else f"revision {key[2]} of version {key[1]}"
    if kind == "withdrawal":
        return f"the withdrawal of version {key[1]}"
    if kind == "language":
        return f"the '{key[2]}' text added to version {key[1]}"
    return "the migration of the lock to its hash chain"


def _data_place(key: Key, places: Places) -> tuple[int, int]:
    if key[0] in REVISION_KINDS:
        return places.get(("revision", key[1], key[2]), places.get(("entry", key[1]), (1, 1)))
    if key[0] == "withdrawal":
        return places.get(("withdrawn", key[1]), places.get(("entry", key[1]), (1, 1)))
    if key[0] == "language":
        return places.get(("added", key[1], key[2]), places.get(("entry", key[1]), (1, 1)))
    return (1, 1)


def _fact_place(key: Key, name: str, places: Places) -> tuple[int, int]:
    if name == "announced":
        return places.get(("announced", key[1]), _data_place(key, places))
    if key[0] in REVISION_KINDS:
        return places.get((name, key[1], key[2]), _data_place(key, places))
    return _data_place(key, places)


def problems(steps: tuple[Step, ...], versions: dict, places: Places, shown: str,
             hint: str) -> list[Diagnostic]:
    """Every place where the lock's text is not what its steps recorded."""
    found: list[Diagnostic] = []
    seen: set[Key] = set()
    for number, step in enumerate(steps, 1):
        at = places.get(("step", number), (1, 1))
        what = describe(step.key, step.fields)
        expected = steps[number - 2].sha256 if number > 1 else None
        if step.previous != expected:
            found.append(Diagnostic(shown, *at, f"step {number} ({what}) does not follow the "
                                    f"step before it: a step of policy.lock was deleted, "
                                    "added or moved by hand", hint))
        if step.key in seen:
            found.append(Diagnostic(shown, *at, f"step {number} records {what} a second time",
                                    hint))
            continue
        seen.add(step.key)
        written = _written(versions, step.key)
        if written is None:
            found.append(Diagnostic(shown, *at, f"step {number} records {what}, which "
                                    "policy.lock no longer holds: it was deleted from the lock "
                                    "by hand", hint))
            continue
        facts, record = written
        differing = [name for name, value in facts.items() if step.fields.get(name) != value]
        for name in differing:
            found.append(Diagnostic(
                shown, *_fact_place(step.key, name, places),
                f"{what}: its {_FACTS.get(name, name)} is {_shown(facts[name])} in policy.lock"
                f", but step {number} (line {at[0]}) recorded {_shown(step.fields.get(name))}: "
                "the lock was edited by hand", hint))
        if not differing and _content(step.fields, record) != step.content:
            found.append(Diagnostic(
                shown, *(at if step.key[0] == "migration" else _data_place(step.key, places)),
                f"{what} was edited by hand: it no longer has the content step {number} "
                f"(line {at[0]}) recorded", hint))
    for key in _keys(versions):
        if key not in seen:
            found.append(Diagnostic(shown, *_data_place(key, places), f"{describe(key)} is "
                                    "recorded by no step of the lock: it was added by hand",
                                    hint))
    return found


_FACTS = {"announced": "announcement date", "effective_date": "effective date",
          "date": "date recorded", "correction": "correction number",
          "postponement": "postponement number"}


def _shown(value: object) -> str:
    return "none" if value is None else str(value)


# --- where things are in the lock's text ---------------------------------------------------------

_ENTRY = re.compile(r'^  "([^"]+)": \{$')
_FIELD = re.compile(r'^(\s*)"([^"]+)":')


def places(text: str) -> Places:
    """Where each entry, fact, revision and step starts, as `lock.dumps` writes them (a lock
    reformatted by hand is located at its first line)."""
    found: Places = {}
    version, index, steps, section = None, -1, 0, ""
    for number, line in enumerate(text.splitlines(), 1):
        if section == "steps":
            if line.startswith("  {"):
                steps += 1
                found[("step", steps)] = (number, 3)
            continue
        if line == ' "steps": [':
            section = "steps"
            continue
        if match := _ENTRY.match(line):
            version, index, section = match.group(1), -1, ""
            found[("entry", version)] = (number, 3)
            continue
        if version is None:
            continue
        if line == "    {" and section == "revisions":
            index += 1
            found[("revision", version, index)] = (number, 5)
        elif match := _FIELD.match(line):
            depth, name = len(match.group(1)), match.group(2)
            if depth == 3:
                section = name
                if name in ("announced", "withdrawn"):
                    found[(name, version)] = (number, 4)
            elif depth == 4 and section == "added":
                found[("added", version, name)] = (number, 5)
            elif depth == 5 and section == "revisions":
                found[(name, version, index)] = (number, 6)
    return found
