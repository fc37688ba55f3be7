"""Publish a site: build every language with the chosen engine in a private folder beside
the output, add the files policygen makes itself, and only then swap the finished site into
place (output.py), so that a failed build leaves the previous site untouched. Knows no
engine.

With a `records` folder, the engines may carry over from the previous output what an
unchanged input made, but only when that output is intact: every file it had, with the size
and modification time it had when this build swapped it into place. A file edited, added or
removed by hand, or a missing or unreadable record, means a full build."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import engines, output
from .engines import RECORDS, EngineSettings
from .pages import LanguageSite
from .routes import folder


@dataclass(frozen=True, slots=True)
class BuildResult:
    out_dir: Path
    pages: int
    files: int
    seconds: float
    log: tuple[str, ...]


def publish(sites: tuple[LanguageSite, ...], extra_files: dict[str, bytes], out_dir: Path,
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
        if records is not None and intact(out_dir, records):
            settings = dataclasses.replace(settings, previous=out_dir, records=records)
        log = _run_engine(engine, sites, work, staged, settings, jobs)
        _write(staged, extra_files)
        files = sum(1 for p in staged.rglob("*") if p.is_file())
        output.swap_into_place(staged, out_dir, work)
        if records is not None:
            _keep(work / RECORDS, out_dir, records)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pages = sum(len(s.pages) for s in sites)
    return BuildResult(out_dir, pages, files, time.perf_counter() - started, tuple(log))


def _build_language(engine: str, site: LanguageSite, work: Path, staged: Path,
                    settings: EngineSettings) -> list[str]:
    return engines.load(engine).build_language(site, work, staged / folder(site.language),
                                               settings)


def _leave_signals_to_parent() -> None:
    """Ctrl-C reaches every process of the terminal's group: the workers finish their
    language, and the parent alone stops the build and removes the workspace."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_engine(engine: str, sites: tuple[LanguageSite, ...], work: Path, staged: Path,
                settings: EngineSettings, jobs: int | None) -> list[str]:
    """One build per language, in parallel where there are cores."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(sites)))
    if workers == 1:
        logs = [_build_language(engine, s, work, staged, settings) for s in sites]
    else:
        with ProcessPoolExecutor(workers, initializer=_leave_signals_to_parent) as pool:
            futures = [pool.submit(_build_language, engine, s, work, staged, settings)
                       for s in sites]
            logs = [future.result() for future in futures]
    return [line for lines in logs for line in lines]


def _write(staged: Path, files: dict[str, bytes]) -> None:
    for relative_path, content in sorted(files.items()):
        target = staged / relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # it may be a link to the previous site's file
        target.write_bytes(content)


_OUTPUT = "output.json"  # the stat of every file of the output, as this build left it


def _stats(out_dir: Path) -> dict[str, list[int]]:
    found = {}
    for path in out_dir.rglob("*"):
        if not path.is_dir():
            stat = path.lstat()
            found[path.relative_to(out_dir).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return found


def intact(out_dir: Path, records: Path) -> bool:
    """Whether `out_dir` is, file for file, what the build that kept `records` left."""
    try:
        kept = json.loads((records / _OUTPUT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return out_dir.is_dir() and kept == _stats(out_dir)


def _keep(made: Path, out_dir: Path, records: Path) -> None:
    """This build's records in place of the previous ones; the output's stats last, so that
    records left half-written by a crash are never found intact."""
    try:
        shutil.rmtree(records, ignore_errors=True)
        records.mkdir(parents=True)
        for path in made.glob("*.json") if made.is_dir() else ():
            shutil.copyfile(path, records / path.name)
        (records / _OUTPUT).write_text(json.dumps(_stats(out_dir)), encoding="utf-8")
    except OSError:
        shutil.rmtree(records, ignore_errors=True)  # a read-only or full disk: no records
