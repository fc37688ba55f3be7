"""Where the lock lives: policy_src/policy.lock and the locked texts under published/.

The only module that reads or writes them; `lock.py` holds the lock as data. `published/`
keeps the exact bytes of every locked text, so a corrected or postponed text's earlier
wording is never lost and stays published under its hash.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from generator.core import documents
from generator.core.diagnostics import Diagnostic, PolicyError
from generator.core.model import Policy, Version
from generator.record import lock, tracking
from generator.runtime.atomic import write_atomically
from generator.runtime.bounded import Unreadable, read_bounded
from generator.source.read import display_path

LOCK_FILE = "policy.lock"
PUBLISHED_DIR = "published"
# Far above any real record (the 30 versions of the Basecamp example take about 200 KB), far
# below what a link to /dev/zero or a sparse file would make the reading take.
MAX_LOCK_BYTES = 64 * 1024 * 1024


def published_path(root: Path, version_id: str, language: str, sha256: str) -> Path:
    return root / PUBLISHED_DIR / version_id / language / f"{sha256}.json"


def lock_path(root: Path) -> str:
    return display_path(root / LOCK_FILE)


def read(root: Path) -> lock.Lock | None:
    """The lock under the source root, or None when there is none; PolicyError if unreadable.

    Read as JSON, not through the YAML source reader: with hundreds of versions it outgrows
    the size a hand-written source may have, and it is machine-written."""
    path = root / LOCK_FILE
    if not path.exists() and not path.is_symlink():
        return None
    try:
        text = read_bounded(path, MAX_LOCK_BYTES).decode("utf-8")
    except Unreadable as refused:
        raise PolicyError([Diagnostic(lock_path(root), 1, 1, refused.message, refused.hint +
                                      "; the lock is restored from version control")]) from None
    except UnicodeDecodeError as error:
        raise PolicyError([Diagnostic(lock_path(root), 1, 1, f"the lock file is not UTF-8 "
                                      f"({error})", "restore it from version control; never "
                                      "edit it by hand")]) from error
    found = _parsed(text, lock_path(root))  # its own, to change at will:
    return dataclasses.replace(found, versions=dict(found.versions), places=dict(found.places))


@functools.lru_cache(maxsize=2)  # serve reads the same lock at every rebuild
def _parsed(text: str, shown: str) -> lock.Lock:
    return lock.loads(text, shown)


def locked_languages(locked: lock.Lock | None) -> dict[str, tuple[str, ...]]:
    """Each language the lock records a text in, with the versions that lock it."""
    found: dict[str, list[str]] = {}
    for version_id, entry in (locked.versions if locked else {}).items():
        for language in dict.fromkeys(code for revision in entry.revisions
                                      for code in revision.documents):
            found.setdefault(language, []).append(version_id)
    return {language: tuple(sorted(ids)) for language, ids in found.items()}


def reader(root: Path) -> lock.ReadLocked:
    """Reads a locked text's data from published/, for messages that quote what changed."""
    def read_locked(version_id: str, language: str, sha256: str) -> dict | None:
        path = published_path(root, version_id, language, sha256)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return json.loads(data) if documents.sha256(data) == sha256 else None
    return read_locked


def made_by(policy: Policy, computed: dict[tuple[str, str], documents.Document] | None = None
            ) -> lock.MakeDocument:
    """Documents as the source makes them, reusing those a build has already made."""
    def document(version: Version, language: str) -> documents.Document:
        return (computed or {}).get((version.id, language)) or \
            documents.version_document(policy.info, version, language)
    return document


def check(policy: Policy, locked: lock.Lock | None, root: Path, locate: lock.Locate,
          computed: dict[tuple[str, str], documents.Document] | None = None,
          unwritten: frozenset[str] = frozenset(), writing: bool = False, every: bool = False
          ) -> list[Diagnostic]:
    """`lock.check`, and every locked text kept in published/ (except for the `unwritten`
    versions being locked right now; `writing`: `lock` is about to write the latest texts
    again from the source, so only earlier ones must be intact; `every`: those of versions
    deleted from the source too, which the lock check names already)."""
    if locked is None and _lock_deleted(root):
        return _lock_deleted(root)
    problems = lock.check(policy, locked, locate, made_by(policy, computed), reader(root),
                          lock_path(root))
    problems += lock.unrecorded(locked or lock.EMPTY, kept_texts(root), lock_path(root))
    versions, places = (locked.versions, locked.places) if locked is not None else ({}, {})
    git = functools.cache(lambda: _tracking(root))  # asked only of a missing text
    for version_id, entry in versions.items():
        if version_id not in unwritten and (every or policy.version(version_id) is not None):
            problems += _check_kept(root, version_id, entry, places.get(version_id, (1, 1)),
                                    writing, git)
    return problems


def _lock_deleted(root: Path) -> list[Diagnostic]:
    """The lock gone while published/ keeps texts: locking them all again as new would
    forge every announcement and erase every correction."""
    kept = _kept_paths(root)
    if not kept or (root / LOCK_FILE).exists():
        return []
    return [Diagnostic(lock_path(root), 1, 1, f"policy.lock is missing, while "
                       f"{display_path(root / PUBLISHED_DIR)}/ keeps {len(kept)} published "
                       "texts it recorded: it was deleted", lock.restore_hint(lock_path(root)))]


def _tracking(root: Path) -> tracking.Tracking | None:
    return tracking.read(root, (LOCK_FILE, PUBLISHED_DIR))


def untracked(root: Path) -> list[Diagnostic]:
    """A warning for each file of the record git does not track (in a git work tree)."""
    files = [path for path in [root / LOCK_FILE, *_kept_paths(root)] if path.is_file()]
    return tracking.untracked(root, files, _tracking(root)) if files else []


def verify(policy: Policy, locked: lock.Lock | None, root: Path, locate: lock.Locate,
           computed: dict[tuple[str, str], documents.Document] | None = None) -> None:
    """Raise PolicyError listing every problem `check` finds."""
    problems = check(policy, locked, root, locate, computed)
    if problems:
        raise PolicyError(problems)


def _check_kept(root: Path, version_id: str, entry: lock.Entry, at: tuple[int, int],
                writing: bool = False,
                git: Callable[[], tracking.Tracking | None] = lambda: None
                ) -> list[Diagnostic]:
    """Every locked text is kept whole in published/, whose bytes the API publishes under
    their hash: each is hashed, the latest revision's too (a `lock` killed while writing it
    left it cut short). The latest can be written again from the source, whose hash the
    lock check compares; an earlier one only version control still has."""
    problems = []
    for number, revision in enumerate(entry.revisions, 1):
        for language, text in revision.documents.items():
            path = published_path(root, version_id, language, text.sha256)
            latest = number == len(entry.revisions)
            if not (latest and writing) and not _kept(path, text.sha256):
                again = ("run `policygen lock`: it writes the locked text again from the "
                         "version's file" if latest else "restore published/ from version "
                         "control: it keeps every published text")
                uncommitted = None if path.is_file() else \
                    tracking.never_committed(root, path, git())
                if uncommitted is None:
                    problems.append(Diagnostic(
                        lock_path(root), *at, f"the locked '{language}' text of version "
                        f"{version_id} is missing or altered in {display_path(path)}", again))
                else:
                    said, fix = uncommitted
                    problems.append(Diagnostic(
                        lock_path(root), *at, f"the locked '{language}' text of version "
                        f"{version_id} is missing: {said}", fix + (
                            "; or here, `policygen lock` writes this latest text again from "
                            "the version's file" if latest else "")))
    return problems


_KEPT_NAME = re.compile(r"^[0-9a-f]{64}\.json$")


def _kept_paths(root: Path) -> list[Path]:
    return [path for path in sorted((root / PUBLISHED_DIR).glob("*/*/*.json"))
            if _KEPT_NAME.match(path.name)]


def kept_texts(root: Path) -> list[tuple[str, str, str, str]]:
    """Every text kept in published/: (version id, language, sha256, the file shown)."""
    return [(path.parent.parent.name, path.parent.name, path.stem, display_path(path))
            for path in _kept_paths(root)]


def _kept(path: Path, sha256: str) -> bool:
    if not path.is_file():
        return False
    return documents.sha256(path.read_bytes()) == sha256


def record(policy: Policy, root: Path, locate: lock.Locate, today: dt.date,
           correct: str | None = None, also: tuple[str, ...] = (),
           postpone: str | None = None, withdraw: str | None = None) -> list[str]:
    """`policygen lock`: lock new versions and added languages, or record a correction
    (also of later versions holding the same passage), a postponement or a withdrawal; then
    write the lock and the published texts. Returns what was done, one line each."""
    if _lock_deleted(root):
        raise PolicyError(_lock_deleted(root))
    before = read(root) or lock.EMPTY
    where = lock_path(root)
    done: list[str] = []
    if before.unchained is not None:
        before = lock.migrated(before, today)
        done.append(f"migrated {where} to format {lock.FORMAT}: each of its "
                    f"{len(before.steps) - 1} steps now carries the SHA-256 of the step before "
                    "it and of its content, and the migration is recorded as a step")
    after = before
    document = made_by(policy)
    for version_id in ([correct] if correct else []) + list(also):
        _require_kept(root, before, version_id)
        after = lock.corrected(policy, after, version_id, document, today, locate, where)
        done.append(f"recorded correction {after.versions[version_id].corrections} of version "
                    f"{version_id}")
    if correct:
        still = lock.carried(policy, after, correct, after.versions[correct].latest, document,
                             reader(root))
        for later, parts in still.items():
            if later not in also:
                names = ", ".join(lock.part_name(part) for part in parts)
                # the correction of `correct` is recorded now: what is left is `later`'s own
                draft = policy.version(later).status == "draft"  # type: ignore[union-attr]
                done.append(f"{'draft' if draft else 'version'} {later} still contains the "
                            f"corrected passage ({names}): correct it there too" + (
                                "" if draft else ", add a 'corrections' entry and run "
                                f"`policygen lock --correct {later}`"))
    if postpone:
        _require_kept(root, before, postpone)
        after = lock.postponed(policy, after, postpone, document, today, locate, where)
        done.append(f"recorded the postponement of version {postpone} from "
                    f"{before.versions[postpone].latest.effective_date} to "
                    f"{policy.version(postpone).effective_date}")  # type: ignore[union-attr]
    if withdraw:
        after = lock.withdrawn(policy, after, withdraw, today, locate, where)
        done.append(f"recorded the withdrawal of version {withdraw} on {today}")
    after, locked = lock.locked_new(policy, after, document, today, locate)
    done += locked
    new = frozenset(version_id for version_id, entry in after.versions.items()
                    if before.versions.get(version_id) != entry)  # its texts not written yet
    # Every kept text must be one the lock records once this step is: one it records no more
    # means steps were deleted, and locking anew what they recorded would forge the record. A
    # text kept already and recorded now is the other side of a merge, recorded again.
    problems = lock.unrecorded(after, kept_texts(root), where)
    if not (correct or postpone or withdraw):
        problems += check(policy, after, root, locate, unwritten=new, writing=True)
    if problems:
        raise PolicyError(problems)
    had = {root / LOCK_FILE, *_kept_paths(root)} if (root / LOCK_FILE).is_file() \
        else set(_kept_paths(root))
    done += write(policy, root, after, new)
    written = [path for path in [root / LOCK_FILE, *_kept_paths(root)] if path not in had]
    if written:  # the files this lock added, which `git commit -a` would leave out
        done += [str(d) for d in tracking.untracked(root, written, _tracking(root))]
    return done


def _require_kept(root: Path, locked: lock.Lock, version_id: str) -> None:
    """The text a revision replaces must be intact: it becomes an earlier text, published
    from its bytes."""
    entry = locked.versions.get(version_id)
    for language, text in (entry.latest.documents.items() if entry else ()):
        path = published_path(root, version_id, language, text.sha256)
        if not _kept(path, text.sha256):
            raise PolicyError([Diagnostic(
                lock_path(root), *locked.places.get(version_id, (1, 1)),
                f"the locked '{language}' text of version {version_id} is missing or "
                f"altered in {display_path(path)}, so it cannot be kept as the text "
                "before the change", "restore published/ from version control")])


def write(policy: Policy, root: Path, locked: lock.Lock, new: frozenset[str] = frozenset()
          ) -> list[str]:
    """Write every locked text not yet kept whole, and the lock; each file whole or not at
    all. The texts are written under a staging name first and take their own name only once
    the lock that records them is written: a `lock` killed between the two leaves a recorded
    text missing (which the next `lock` writes again), never a kept text the lock does not
    record (which the record refuses as steps deleted from the lock). Returns a line for each
    text of a version locked before (not `new`) written again: a `lock` killed while writing
    one, or a hand, left it missing or cut short."""
    again, staged = [], []
    try:
        for version_id, entry in locked.versions.items():
            version = policy.version(version_id)
            for language, text in entry.latest.documents.items():
                path = published_path(root, version_id, language, text.sha256)
                if version is not None and not _kept(path, text.sha256):
                    made = documents.version_document(policy.info, version, language)
                    if made.sha256 == text.sha256:  # the source still gives the locked text
                        stage = path.with_name(f".{path.name}.staged")
                        write_atomically(stage, made.content, display_path(path))
                        staged.append((stage, path))
                        if version_id not in new:
                            again.append(f"wrote the locked '{language}' text of version "
                                         f"{version_id} again into {display_path(path)}: it "
                                         "was missing or cut short")
        write_atomically(root / LOCK_FILE, lock.dumps(locked).encode("utf-8"), lock_path(root))
    except BaseException:
        for stage, _ in staged:
            stage.unlink(missing_ok=True)
        raise
    for stage, path in staged:
        os.replace(stage, path)
    return again
