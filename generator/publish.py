"""Publish a site: build every language with the chosen engine in a private folder beside
the output, add the files policygen makes itself, and only then swap the finished site into
place (output.py), so that a failed build leaves the previous site untouched. Knows no
engine."""
from __future__ import annotations

import os
import shutil
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import engines, output
from .engines import EngineSettings
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
            engine: str, settings: EngineSettings, jobs: int | None = None) -> BuildResult:
    """Build every language and write the extra files, then swap the result into `out_dir`."""
    started = time.perf_counter()
    engines.load(engine)  # a missing engine is reported before anything is written
    out_dir = out_dir.resolve()
    work = output.workspace(out_dir)
    try:
        staged = work / "site"
        log = _run_engine(engine, sites, work, staged, settings, jobs)
        _write(staged, extra_files)
        files = sum(1 for p in staged.rglob("*") if p.is_file())
        output.swap_into_place(staged, out_dir, work)
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
        target.write_bytes(content)
