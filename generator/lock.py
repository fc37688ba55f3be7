"""Published versions are a legal record: the lock keeps them from changing silently.

`policy_src/policy.lock` records, for every published version and language, the SHA-256 of
its canonical JSON document (the hash the API publishes) and of each of its parts, so a
mismatch names the first differing section. `policy_src/published/` keeps the exact bytes of
every locked text, so a corrected text's earlier wording is never lost.

Only `policygen lock` writes the lock: building never does. A correction is recorded by
`policygen lock --correct ID` after a `corrections` entry (date, reason) is added to the
version: the lock then keeps every revision, oldest first.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import documents
from .diagnostics import Diagnostic, PolicyError
from .model import Policy, Version
from .source import display_path

# Places a problem in a version file: (version id, path of keys or a section id, message,
# hint) -> a diagnostic at that place. Given by the loader, which alone reads the source.
Locate = Callable[[str, tuple[str, ...], str, str], Diagnostic]

LOCK_FILE = "policy.lock"
PUBLISHED_DIR = "published"
FORMAT = 1
_ABOUT = ("Published versions of this policy, locked by `policygen lock`. Do not edit: "
          "the build refuses a published text that no longer matches.")


@dataclass(frozen=True, slots=True)
class Locked:
    """One locked text: a version's document in one language at one revision."""

    sha256: str
    parts: dict[str, str]  # part name ("section:<id>", "facts", ...) -> its sha256


@dataclass(frozen=True, slots=True)
class Revision:
    correction: int | None  # None for the text as first published, else 1, 2, ...
    documents: dict[str, Locked]  # language -> locked text


@dataclass(frozen=True, slots=True)
class Lock:
    versions: dict[str, tuple[Revision, ...]]  # version id -> revisions, oldest first
    places: dict[str, tuple[int, int]]  # version id -> (line, column) of its lock entry

    def latest(self, version_id: str) -> Revision:
        return self.versions[version_id][-1]


def published_path(root: Path, version_id: str, language: str, sha256: str) -> Path:
    return root / PUBLISHED_DIR / version_id / language / f"{sha256}.json"


# --- reading -------------------------------------------------------------------------------

def read(root: Path) -> Lock | None:
    """The lock under the source root, or None when there is none; PolicyError if unreadable.

    Read as JSON, not through the YAML source reader: with hundreds of versions it outgrows
    the size a hand-written source may have, and it is machine-written."""
    path = root / LOCK_FILE
    if not path.exists():
        return None
    shown = display_path(path)
    hint = "restore it from version control; never edit it by hand"
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as error:
        raise PolicyError([Diagnostic(shown, 1, 1, f"the lock file is not UTF-8 ({error})",
                                      hint)])
    except json.JSONDecodeError as error:
        raise PolicyError([Diagnostic(shown, error.lineno, error.colno,
                                      f"the lock file is damaged: {error.msg}", hint)])
    try:
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        versions = {
            version_id: tuple(
                Revision(revision["correction"],
                         {language: Locked(text["sha256"], dict(text["parts"]))
                          for language, text in revision["documents"].items()})
                for revision in entry["revisions"])
            for version_id, entry in data["versions"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PolicyError([Diagnostic(shown, 1, 1, f"the lock file is damaged ({error})",
                                      hint)])
    # Where each version's entry starts, as `policygen lock` writes it, for messages.
    places = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _ENTRY.match(line)
        if match:
            places[match.group(1)] = (number, 3)
    return Lock(versions, places)


_ENTRY = re.compile(r'^  "([^"]+)": \{$')


# --- checking ------------------------------------------------------------------------------

def verify(policy: Policy, lock: Lock | None, root: Path, locate: Locate,
           computed: dict[tuple[str, str], documents.Document] | None = None,
           unwritten: frozenset[str] = frozenset()) -> None:
    """Raise PolicyError listing every problem `check` finds."""
    problems = check(policy, lock, root, locate, computed, unwritten)
    if problems:
        raise PolicyError(problems)


def check(policy: Policy, lock: Lock | None, root: Path, locate: Locate,
          computed: dict[tuple[str, str], documents.Document] | None = None,
          unwritten: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Every problem with the published versions: each matches its lock, is still in the
    source and published, and has its locked texts kept (except the `unwritten` versions
    being locked right now). `computed` holds documents the caller has already made, keyed
    by (version id, language), so a build makes each only once."""
    problems: list[Diagnostic] = []
    published = [v for v in policy.versions if v.status == "published"]
    lock_path = display_path(root / LOCK_FILE)
    if lock is None:
        if published:
            problems.append(Diagnostic(lock_path, 1, 1, "no lock file, so the published "
                                       "versions " + ", ".join(v.id for v in published) +
                                       " are not protected against changes",
                                       "run `policygen lock`, then commit policy.lock and "
                                       "published/"))
        return problems
    versions = {v.id: v for v in policy.versions}
    for version_id, revisions in lock.versions.items():
        at = lock.places.get(version_id, (1, 1))
        version = versions.get(version_id)
        if version is None:
            problems.append(Diagnostic(lock_path, *at, f"published version {version_id} was "
                                       "deleted from the source",
                                       f"a published version is a legal record: restore "
                                       f"versions/{version_id}.yaml (for example with git)"))
            continue
        if version.status != "published":
            problems.append(locate(version_id, ("status",), f"version {version_id} is "
                                   "published and locked; it cannot become a draft again",
                                   "set status: published"))
            continue
        problems += _check_texts(policy, version, revisions, locate, computed or {})
        if version_id not in unwritten:
            problems += _check_kept(root, version_id, revisions, lock_path, at)
    for version in published:
        if version.id not in lock.versions:
            problems.append(locate(version.id, ("status",),
                                   f"version {version.id} is published but not locked",
                                   "run `policygen lock` to lock it, then commit policy.lock "
                                   "and published/"))
    return problems


def _check_texts(policy: Policy, version: Version, revisions: tuple[Revision, ...],
                 locate: Locate, computed: dict[tuple[str, str], documents.Document]
                 ) -> list[Diagnostic]:
    recorded = len(revisions) - 1
    latest = revisions[-1]
    problems = []
    differing = []
    for language in policy.info.languages:
        locked = latest.documents.get(language)
        document = computed.get((version.id, language)) or \
            documents.version_document(policy.info, version, language)
        if locked is None:
            problems.append(locate(version.id, ("id",), f"published version {version.id} has no "
                                f"locked '{language}' text",
                                "a language added after publication needs its own new version"))
        elif locked.sha256 != document.sha256:
            differing.append((language, _first_difference(locked.parts, document.parts)))
    for language in latest.documents:
        if language not in policy.info.languages:
            problems.append(locate(version.id, ("id",), f"the '{language}' text of published version "
                                f"{version.id} is no longer built",
                                f"keep '{language}' in the policy's languages"))
    written = len(version.corrections)
    if differing and written == recorded:
        for language, part in differing:
            problems.append(locate(version.id, _path_of(part), f"published version {version.id} "
                                f"({language}) differs from its locked text in {_name(part)}",
                                "a published text must not change. Undo the edit; or, to "
                                "correct a typo, add a 'corrections' entry (date, reason) to "
                                f"this version and run `policygen lock --correct {version.id}`"))
    elif written > recorded:
        problems.append(locate(version.id, ("corrections",), f"correction {recorded + 1} of version "
                            f"{version.id} is not recorded in the lock",
                            f"run `policygen lock --correct {version.id}` to record it"))
    elif written < recorded:
        problems.append(locate(version.id, ("corrections",) if written else ("id",),
                            f"version {version.id} has {recorded} recorded correction"
                            f"{'s' * (recorded != 1)} but lists {written}",
                            "corrections are part of the record: restore the removed entry"))
    return problems


def _check_kept(root: Path, version_id: str, revisions: tuple[Revision, ...], lock_path: str,
                at: tuple[int, int]) -> list[Diagnostic]:
    """Every locked text is kept in published/. Earlier revisions are published from those
    bytes, so they are hashed; the latest is published from the source (whose hash was just
    checked), so its copy only has to be there until a correction makes it an earlier text,
    when `record` hashes it."""
    problems = []
    for number, revision in enumerate(revisions, 1):
        for language, locked in revision.documents.items():
            path = published_path(root, version_id, language, locked.sha256)
            if not _kept(path, locked.sha256, hashed=number < len(revisions)):
                problems.append(Diagnostic(
                    lock_path, *at, f"the locked '{language}' text of version {version_id} "
                    f"is missing or altered in {display_path(path)}",
                    "restore published/ from version control: it keeps every published text"))
    return problems


def _kept(path: Path, sha256: str, hashed: bool = True) -> bool:
    if not path.is_file():
        return False
    return not hashed or documents.sha256(path.read_bytes()) == sha256


def _first_difference(locked: dict[str, str], current: dict[str, str]) -> str:
    for name, digest in current.items():
        if locked.get(name) != digest:
            return name
    return next((name for name in locked if name not in current), "version")


def _name(part: str) -> str:
    kind, _, ident = part.partition(":")
    return f"section '{ident}'" if kind == "section" else f"its {kind}"


def _path_of(part: str) -> tuple[str, ...]:
    kind, _, ident = part.partition(":")
    if kind == "section":
        return ("sections", ident)
    return {"version": ("summary",), "policy": ("id",), "language": ("id",)}.get(kind, (kind,))


# --- writing -------------------------------------------------------------------------------

def record(policy: Policy, root: Path, locate: Locate, correct: str | None = None
           ) -> list[str]:
    """Lock every published version not yet locked, or record a correction of one; write the
    lock and the published texts. Returns what was done, one line each."""
    lock = read(root) or Lock({}, {})
    versions = dict(lock.versions)
    done: list[str] = []
    if correct is not None:
        versions[correct] = _corrected(policy, lock, root, locate, correct)
        done.append(f"recorded correction {len(versions[correct]) - 1} of version {correct}")
    new = frozenset(v.id for v in policy.versions
                    if v.status == "published" and v.id not in versions)
    for version in policy.versions:
        if version.id in new:
            versions[version.id] = (_revision(policy, version, None),)
            done.append(f"locked version {version.id}")
    if correct is None:
        verify(policy, Lock(versions, lock.places), root, locate, unwritten=new)
    _write(policy, root, versions)
    return done


def _corrected(policy: Policy, lock: Lock, root: Path, locate: Locate,
               correct: str) -> tuple[Revision, ...]:
    """The revisions of version `correct` with its new correction recorded, once its file
    lists exactly one unrecorded correction, its text changed, and the text it replaces is
    kept intact."""
    version = policy.version(correct)
    if version is None or correct not in lock.versions:
        raise PolicyError([Diagnostic(display_path(root / LOCK_FILE), 1, 1,
                                      f"version {correct} is not locked, so there is no "
                                      "published text to correct",
                                      "`policygen lock` locks new versions")])
    revisions = lock.versions[correct]
    recorded = len(revisions) - 1
    if len(version.corrections) != recorded + 1:
        raise PolicyError([locate(correct, ("corrections",) if version.corrections else ("id",),
                                  f"version {correct} needs exactly one new 'corrections' "
                                  f"entry (it has {len(version.corrections)}, "
                                  f"{recorded} recorded)",
                                  "add one entry with the date and the reason for readers")])
    for language, locked in revisions[-1].documents.items():
        path = published_path(root, correct, language, locked.sha256)
        if not _kept(path, locked.sha256):
            raise PolicyError([Diagnostic(
                display_path(root / LOCK_FILE), *lock.places.get(correct, (1, 1)),
                f"the locked '{language}' text of version {correct} is missing or "
                f"altered in {display_path(path)}, so it cannot be kept as the text "
                "before the correction", "restore published/ from version control")])
    revision = _revision(policy, version, recorded + 1)
    if {k: v.sha256 for k, v in revision.documents.items()} == \
            {k: v.sha256 for k, v in revisions[-1].documents.items()}:
        raise PolicyError([locate(correct, ("corrections",), f"version {correct} has a new "
                                  "correction entry but its text did not change",
                                  "make the correction in the text, or remove the entry")])
    return revisions + (revision,)


def _revision(policy: Policy, version: Version, correction: int | None) -> Revision:
    texts = {}
    for language in policy.info.languages:
        document = documents.version_document(policy.info, version, language)
        texts[language] = Locked(document.sha256, dict(document.parts))
    return Revision(correction, texts)


def _write(policy: Policy, root: Path, versions: dict[str, tuple[Revision, ...]]) -> None:
    for version_id, revisions in versions.items():
        version = policy.version(version_id)
        latest = revisions[-1]
        for language, locked in latest.documents.items():
            path = published_path(root, version_id, language, locked.sha256)
            if not path.exists() and version is not None:
                document = documents.version_document(policy.info, version, language)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(document.content)
    data = {"about": _ABOUT, "format": FORMAT, "versions": {
        version_id: {"revisions": [
            {"correction": revision.correction,
             "documents": {language: {"sha256": text.sha256, "parts": text.parts}
                           for language, text in revision.documents.items()}}
            for revision in revisions]}
        for version_id, revisions in sorted(versions.items())}}
    target = root / LOCK_FILE
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                         encoding="utf-8")
    temporary.replace(target)
