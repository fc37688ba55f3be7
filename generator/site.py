"""The one module that knows the site engine (mkdocs-material).

It writes each language's pages and a derived config beside the output, runs one mkdocs build
per language (in parallel where there are cores), adds the files policygen makes itself, and
only then swaps the finished site into place: a failed build leaves the old site untouched.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import output
from .pages import LanguageSite

# Languages whose stemmer and segmenter lunr (Material's search) ships; others search as en.
_SEARCH_LANGUAGES = {"ar", "da", "de", "du", "en", "es", "fi", "fr", "hi", "hu", "hy", "it",
                     "ja", "kn", "ko", "nl", "no", "pt", "ro", "ru", "sa", "sv", "ta", "te",
                     "th", "tr", "vi", "zh"}


class SiteBuildError(Exception):
    """The site engine failed; carries its log, which explains why."""

    def __init__(self, language: str, log: list[str]):
        self.language, self.log = language, log
        super().__init__(f"the site engine failed for '{language}':\n" + "\n".join(log))

    def __reduce__(self):  # raised in worker processes: must cross back whole
        return (type(self), (self.language, self.log))


@dataclass(frozen=True, slots=True)
class EngineSettings:
    base_config: Path  # the project's mkdocs.yml
    site_url: str | None
    build_epoch: int  # SOURCE_DATE_EPOCH for the engine: sitemaps and archives carry it
    verbose: bool = False


def read_site_url(base_config: Path) -> str | None:
    """site_url from mkdocs.yml, the one engine setting the generator's outputs depend on."""
    from mkdocs.utils.yaml import yaml_load

    with base_config.open("rb") as source:
        config = yaml_load(source) or {}
    url = config.get("site_url")
    return (url.rstrip("/") + "/") if url else None


def _engine_config(site: LanguageSite, docs: Path, out: Path, settings: EngineSettings,
                   languages: list[dict]) -> dict:
    base = site.language.split("-")[0]
    return {
        "INHERIT": str(settings.base_config.resolve()),
        "site_name": site.site_name,
        "site_url": f"{settings.site_url}{site.language}/" if settings.site_url else "",
        "docs_dir": str(docs),
        "site_dir": str(out),
        "strict": True,
        "use_directory_urls": True,
        "theme": {"language": site.language if base != "zh" else "zh",
                  "custom_dir": str((settings.base_config.parent / "site_overrides").resolve())},
        "plugins": [{"search": {"lang": [base if base in _SEARCH_LANGUAGES else "en"]}}],
        "nav": [{page.title: page.path} for page in site.pages if page.in_nav],
        "not_in_nav": "\n".join(f"/{page.path}" for page in site.pages if not page.in_nav),
        # `alternate: true` makes Material show its language switcher, which our override
        # fills per page; a list here would also emit site-wide hreflang links that point
        # every page at the other language's home page.
        "extra": {"alternate": True, "languages": languages, "preview": site.preview},
    }


def _build_language(site: LanguageSite, work: Path, out: Path, settings: EngineSettings,
                    languages: list[dict]) -> list[str]:
    """Write one language's docs and config, run mkdocs, return its log lines."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from jinja2 import TemplateError, TemplateSyntaxError
    from mkdocs.exceptions import MkDocsException

    docs = work / "docs" / site.language
    for page in site.pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
    config_path = work / f"mkdocs.{site.language}.yml"
    config_path.write_text(json.dumps(_engine_config(site, docs, out / site.language, settings,
                                                     languages), indent=1), encoding="utf-8")
    log: list[str] = []
    handler = _ListHandler(log)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(settings.build_epoch)
    try:
        with contextlib.redirect_stdout(None):
            build(load_config(str(config_path)))
    except (MkDocsException, SystemExit, OSError, TemplateError) as error:
        # A broken theme override is the site's problem, reported like the engine's own.
        where = f" ({error.filename}:{error.lineno})" if isinstance(
            error, TemplateSyntaxError) else ""
        log.append(f"ERROR - {type(error).__name__}: {error}{where}")
        raise SiteBuildError(site.language, log) from None
    finally:
        logger.removeHandler(handler)
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return log


class _ListHandler(logging.Handler):
    def __init__(self, lines: list[str]):
        super().__init__(logging.DEBUG)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} - {record.getMessage()}")


@dataclass(frozen=True, slots=True)
class BuildResult:
    out_dir: Path
    pages: int
    files: int
    seconds: float
    log: tuple[str, ...]


def build_site(sites: tuple[LanguageSite, ...], extra_files: dict[str, bytes], out_dir: Path,
               settings: EngineSettings, jobs: int | None = None) -> BuildResult:
    """Build every language and the extra files, then swap the result into `out_dir`."""
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    work = output.workspace(out_dir)
    try:
        staged = work / "site"
        languages = [{"lang": s.language, "name": next(p.title for p in s.pages),
                      "href": f"{settings.site_url or '/'}{s.language}/"} for s in sites]
        log = _run_engine(sites, work, staged, settings, languages, jobs)
        for relative_path, content in sorted(extra_files.items()):
            target = staged / relative_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        files = sum(1 for p in staged.rglob("*") if p.is_file())
        output.swap_into_place(staged, out_dir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pages = sum(len(s.pages) for s in sites)
    return BuildResult(out_dir, pages, files, time.perf_counter() - started, tuple(log))


def _leave_signals_to_parent() -> None:
    """Ctrl-C reaches every process of the terminal's group: the workers finish their
    language, and the parent alone stops the build and removes the workspace."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_engine(sites: tuple[LanguageSite, ...], work: Path, staged: Path,
                settings: EngineSettings, languages: list[dict], jobs: int | None) -> list[str]:
    workers = max(1, min(jobs or os.cpu_count() or 1, len(sites)))
    if workers == 1:
        logs = [_build_language(s, work, staged, settings, languages) for s in sites]
    else:
        with ProcessPoolExecutor(workers, initializer=_leave_signals_to_parent) as pool:
            futures = [pool.submit(_build_language, s, work, staged, settings, languages)
                       for s in sites]
            logs = [future.result() for future in futures]
    return [line for lines in logs for line in lines]
