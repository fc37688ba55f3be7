"""Publish a site: build every language with the chosen engine in a private folder beside
the output, add the files policygen makes itself, and only then swap the finished site into
place (output.py), so that a failed build leaves the previous site untouched. Knows no
engine.

With a `records` folder, the engines may carry over from the previous output what an
unchanged input made, and so may policygen's own files whose bytes are unchanged, but only
when that output is intact: every file it had, with the size and modification time it had
when this build swapped it into place. A file edited, added or removed by hand, or a missing
or unreadable record, means a full build. Carried files are hard links to the previous
output's: nothing writes into them, so the previous site stays as it was until the swap."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

from . import engines, output
from .engines import RECORDS, EngineSettings
from .pages import LanguageSite
from .routes import folder
from .workers import pool as worker_pool


@dataclass(frozen=True, slots=True)
class Deferred:
    """A file whose bytes are not held in memory (a PDF stays in the cache): their SHA-256,
    known already, and what reads them, checking them against it, when the file is written.
    A file linked from the previous output is never read."""

    sha256: str
    read: Callable[[], bytes]


Content = Union[bytes, Deferred]


@dataclass(frozen=True, slots=True)
class BuildResult:
    out_dir: Path
    pages: int
    files: int
    seconds: float
    log: tuple[str, ...]


def publish(sites: tuple[LanguageSite, ...], extra_files: dict[str, Content], out_dir: Path,
            engine: str, settings: EngineSettings, jobs: int | None = None,
            records: Path | None = None) -> BuildResult:
    """Build every language and write the extra files, then swap the result into `out_dir`;
    `records` keeps what the next build into `out_dir` needs to redo only what changed."""
    started = time.perf_counter()
    engines.load(engine)  # a missing engine is reported before anything is written
    out_dir = out_dir.resolve()
    work = output.workspace(out_dir)
    try:
        staged = work / "site"
        previous = Previous.read(out_dir, records) if records is not None else None
        if previous is not None:
            settings = dataclasses.replace(settings, previous=out_dir, records=records)
        log = _run_engine(engine, sites, work, staged, settings, jobs)
        digests = _write(staged, extra_files, previous)
        listing = output.listing(staged)
        output.swap_into_place(staged, out_dir, work, listing)
        if records is not None:
            listing[output.MARKER] = _stat(out_dir / output.MARKER)
            _keep(work / RECORDS, records, listing, digests)
    finally:
        output.discard(work)
    pages = sum(len(s.pages) for s in sites)
    return BuildResult(out_dir, pages, len(listing), time.perf_counter() - started, tuple(log))


def _build_language(engine: str, site: LanguageSite, work: Path, staged: Path,
                    settings: EngineSettings) -> list[str]:
    return engines.load(engine).build_language(site, work, staged / folder(site.language),
                                               settings)


def _run_engine(engine: str, sites: tuple[LanguageSite, ...], work: Path, staged: Path,
                settings: EngineSettings, jobs: int | None) -> list[str]:
    """One build per language, in parallel where there are cores."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(sites)))
    if workers == 1:
        logs = [_build_language(engine, s, work, staged, settings) for s in sites]
    else:
        with worker_pool(workers) as pool:
            futures = [pool.submit(_build_language, engine, s, work, staged, settings)
                       for s in sites]
            logs = [future.result() for future in futures]
    return [line for lines in logs for line in lines]


def _write(staged: Path, files: dict[str, Content], previous: Previous | None
           ) -> dict[str, str]:
    """Each file, linked from the previous output where it has the same bytes (writing the
    thousands of API documents and PDFs again was most of an incremental build's writing);
    returns every file's SHA-256, for the next build to compare with. A deferred file's
    bytes are read only now, one file at a time."""
    digests = {}
    made = set()
    for relative_path, content in sorted(files.items()):
        digests[relative_path] = digest = content.sha256 if isinstance(content, Deferred) \
            else hashlib.sha256(content).hexdigest()
        target = staged / relative_path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        same = previous is not None and previous.digests.get(relative_path) == digest
        _place(target, content, previous.out_dir / relative_path if same else None)
    return digests


def _place(target: Path, content: Content, same: Path | None) -> None:
    """`content` as a new file at `target`, a link to `same` (a file with those bytes) where
    one can be made. Never written into a file already there: the engine may have linked it
    from the previous site, which must stay as it was."""
    try:
        _create(target, content, same)
    except FileExistsError:  # linked by the engine from the previous site: the link goes
        target.unlink()
        _create(target, content, same)


def _create(target: Path, content: Content, same: Path | None) -> None:
    if same is not None:
        try:
            return os.link(same, target)
        except FileExistsError:
            raise
        except OSError:
            pass  # no link possible here (file system, permissions): written
    data = content.read() if isinstance(content, Deferred) else content
    with open(target, "xb") as stream:
        stream.write(data)


_OUTPUT = "output.json"  # the stat of every file of the output, as this build left it
_OWN = "own.json"  # the SHA-256 of each file policygen wrote itself into the output


def _stat(path: Path) -> list[int]:
    stat = path.lstat()
    return [stat.st_size, stat.st_mtime_ns]


@dataclass(frozen=True, slots=True)
class Previous:
    """The previous output, verified intact, with what the build that made it recorded."""

    out_dir: Path
    files: dict[str, list[int]]  # every file with its size and modification time
    digests: dict[str, str]  # policygen's own files: path -> SHA-256

    @classmethod
    def read(cls, out_dir: Path, records: Path) -> Previous | None:
        """The previous output if it is, file for file, what the build that kept `records`
        left; None when it is not (or there is none): build everything."""
        try:
            kept = json.loads((records / _OUTPUT).read_text(encoding="utf-8"))
            digests = json.loads((records / _OWN).read_text(encoding="utf-8"))
            if not out_dir.is_dir() or kept != output.listing(out_dir):
                return None
        except (OSError, ValueError):
            return None
        return cls(out_dir, kept, digests if isinstance(digests, dict) else {})


def _keep(made: Path, records: Path, listing: dict[str, list[int]],
          digests: dict[str, str]) -> None:
    """This build's records in place of the previous ones; the output's stats last, so that
    records left half-written by a crash are never found intact."""
    try:
        shutil.rmtree(records, ignore_errors=True)
        records.mkdir(parents=True)
        for path in made.glob("*.json") if made.is_dir() else ():
            shutil.copyfile(path, records / path.name)
        (records / _OWN).write_text(json.dumps(digests), encoding="utf-8")
        (records / _OUTPUT).write_text(json.dumps(listing), encoding="utf-8")
    except OSError:
        shutil.rmtree(records, ignore_errors=True)  # a read-only or full disk: no records
