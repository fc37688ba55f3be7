"""Where the lock lives: policy_src/policy.lock and the locked texts under published/.

The only module that reads or writes them; `lock.py` holds the lock as data. `published/`
keeps the exact bytes of every locked text, so a corrected or postponed text's earlier
wording is never lost and stays published under its hash.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

from . import documents, lock
from .diagnostics import Diagnostic, PolicyError
from .model import Policy, Version
from .source import display_path

LOCK_FILE = "policy.lock"
PUBLISHED_DIR = "published"


def published_path(root: Path, version_id: str, language: str, sha256: str) -> Path:
    return root / PUBLISHED_DIR / version_id / language / f"{sha256}.json"


def lock_path(root: Path) -> str:
    return display_path(root / LOCK_FILE)


def read(root: Path) -> lock.Lock | None:
    """The lock under the source root, or None when there is none; PolicyError if unreadable.

    Read as JSON, not through the YAML source reader: with hundreds of versions it outgrows
    the size a hand-written source may have, and it is machine-written."""
    path = root / LOCK_FILE
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise PolicyError([Diagnostic(lock_path(root), 1, 1, f"the lock file is not UTF-8 "
                                      f"({error})", "restore it from version control; never "
                                      "edit it by hand")])
    found = _parsed(text, lock_path(root))
    return lock.Lock(dict(found.versions), dict(found.places))  # its own, to change at will


@functools.lru_cache(maxsize=2)  # a build reads the lock twice; serve, once per rebuild
def _parsed(text: str, shown: str) -> lock.Lock:
    return lock.loads(text, shown)


def locked_languages(root: Path) -> dict[str, tuple[str, ...]]:
    """Each language the lock records a text in, with the versions that lock it; empty when
    there is no readable lock (a damaged lock is the lock check's to report)."""
    try:
        locked = read(root)
    except PolicyError:
        return {}
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
          unwritten: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """`lock.check`, and every locked text kept in published/ (except for the `unwritten`
    versions being locked right now)."""
    problems = lock.check(policy, locked, locate, made_by(policy, computed), reader(root),
                          lock_path(root))
    for version_id, entry in (locked.versions.items() if locked else ()):
        if version_id not in unwritten and policy.version(version_id) is not None:
            problems += _check_kept(root, version_id, entry, locked.places.get(version_id,
                                                                                (1, 1)))
    return problems


def verify(policy: Policy, locked: lock.Lock | None, root: Path, locate: lock.Locate,
           computed: dict[tuple[str, str], documents.Document] | None = None) -> None:
    """Raise PolicyError listing every problem `check` finds."""
    problems = check(policy, locked, root, locate, computed)
    if problems:
        raise PolicyError(problems)


def _check_kept(root: Path, version_id: str, entry: lock.Entry, at: tuple[int, int]
                ) -> list[Diagnostic]:
    """Every locked text is kept in published/. Earlier revisions are published from those
    bytes, so they are hashed; the latest is published from the source (whose hash was just
    checked), so its copy only has to be there until a revision makes it an earlier text,
    when `record` hashes it."""
    problems = []
    for number, revision in enumerate(entry.revisions, 1):
        for language, text in revision.documents.items():
            path = published_path(root, version_id, language, text.sha256)
            if not _kept(path, text.sha256, hashed=number < len(entry.revisions)):
                problems.append(Diagnostic(
                    lock_path(root), *at, f"the locked '{language}' text of version "
                    f"{version_id} is missing or altered in {display_path(path)}",
                    "restore published/ from version control: it keeps every published text"))
    return problems


def _kept(path: Path, sha256: str, hashed: bool = True) -> bool:
    if not path.is_file():
        return False
    return not hashed or documents.sha256(path.read_bytes()) == sha256


def record(policy: Policy, root: Path, locate: lock.Locate, today: dt.date,
           correct: str | None = None, also: tuple[str, ...] = (),
           postpone: str | None = None, withdraw: str | None = None) -> list[str]:
    """`policygen lock`: lock new versions and added languages, or record a correction
    (also of later versions holding the same passage), a postponement or a withdrawal; then
    write the lock and the published texts. Returns what was done, one line each."""
    before = read(root) or lock.EMPTY
    after, where = before, lock_path(root)
    document = made_by(policy)
    done: list[str] = []
    for version_id in ([correct] if correct else []) + list(also):
        _require_kept(root, before, version_id)
        after = lock.corrected(policy, after, version_id, document, today, locate, where)
        done.append(f"recorded correction {after.versions[version_id].corrections} of version "
                    f"{version_id}")
    if correct:
        still = lock.carried(policy, after, correct, after.versions[correct].latest)
        for later, parts in still.items():
            if later not in also:
                names = ", ".join(lock.part_name(part) for part in parts)
                # the correction of `correct` is recorded now: what is left is `later`'s own
                done.append(f"version {later} still contains the corrected passage ({names}): "
                            f"correct it there too, add a 'corrections' entry and run "
                            f"`policygen lock --correct {later}`")
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
    if not (correct or postpone or withdraw):
        problems = check(policy, after, root, locate, unwritten=new)
        if problems:
            raise PolicyError(problems)
    write(policy, root, after)
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


def write(policy: Policy, root: Path, locked: lock.Lock) -> None:
    """Write every locked text not yet kept, then the lock (atomically)."""
    for version_id, entry in locked.versions.items():
        version = policy.version(version_id)
        for language, text in entry.latest.documents.items():
            path = published_path(root, version_id, language, text.sha256)
            if not path.exists() and version is not None:
                made = documents.version_document(policy.info, version, language)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(made.content)
    target = root / LOCK_FILE
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(lock.dumps(locked), encoding="utf-8")
    temporary.replace(target)
