"""The build, as the pipeline reads: load, validate and model; outputs; site."""
from __future__ import annotations

import contextlib
import datetime as dt
import time
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from . import api, i18n, lint, lock, lockstore, output, pages, site, sitemap
from .diagnostics import Diagnostic, UsageError, settle
from .model import Policy, Timeline, timeline
from .validate import read


@dataclass(frozen=True, slots=True)
class Project:
    """Where a policygen project keeps its parts."""

    source: Path
    config: Path
    locales: Path

    @classmethod
    def at(cls, root: Path, source: Path | None = None) -> "Project":
        return cls(source or root / "policy_src", root / "mkdocs.yml", root / "locales")

    def check_output(self, out_dir: Path) -> None:
        """Refuse an output folder whose replacement would delete a part of the project."""
        root = self.config.parent
        output.check_output(out_dir, root, (self.source, self.locales, root / "site_overrides"))


@dataclass(frozen=True, slots=True)
class Built:
    policy: Policy
    timeline: Timeline
    result: site.BuildResult
    stages: dict[str, float]  # seconds per stage: load, model, json, diffs, pages, engine
    warnings: tuple[Diagnostic, ...] = ()


def resolve_as_of(as_of: dt.date | None, environ: dict[str, str], now: dt.datetime,
                  timezone: str) -> dt.date:
    """The day the site describes: --as-of, else SOURCE_DATE_EPOCH, else today, in the
    policy's time zone (a policy effective 2027-04-01 in Tokyo is in force at 00:00 JST)."""
    if as_of is not None:
        return as_of
    zone = zoneinfo.ZoneInfo(timezone)
    epoch = source_date_epoch(environ)
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, zone).date()
    return now.astimezone(zone).date()


def source_date_epoch(environ: dict[str, str]) -> int | None:
    """SOURCE_DATE_EPOCH as the reproducible-builds convention defines it: whole seconds
    since 1970-01-01 UTC; anything else is refused, not guessed."""
    text = environ.get("SOURCE_DATE_EPOCH", "")
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or int(text) > 253402300799:
        raise UsageError(f"SOURCE_DATE_EPOCH is '{text[:40]}', not a time",
                         "set it to whole seconds since 1970-01-01 UTC, e.g. "
                         "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it")
    return int(text)


def locked_ids(locked: lock.Lock | None) -> frozenset[str]:
    return frozenset(locked.versions) if locked else frozenset()


def build_epoch(as_of: dt.date, environ: dict[str, str], timezone: str) -> int:
    """The timestamp the site engine stamps into sitemaps: fixed by the inputs, never the clock."""
    epoch = source_date_epoch(environ)
    if epoch is not None:
        return epoch
    midnight = dt.datetime.combine(as_of, dt.time(), zoneinfo.ZoneInfo(timezone))
    return int(midnight.timestamp())


def own_files(policy: Policy, line: Timeline, computed: api.Outputs, site_url: str | None,
              catalogs: i18n.Catalogs) -> dict[str, bytes]:
    """Files policygen writes itself, beside the engine's pages: the root and the API."""
    files = api.publish(policy, line, computed, site_url, catalogs)
    files["index.html"] = pages.root_index(policy, catalogs,
                                           pages.is_preview(line)).encode("utf-8")
    return files


def read_kept_texts(history: dict[str, lock.Entry], line: Timeline,
                    source: Path) -> dict[tuple[str, str, str], bytes]:
    """The exact bytes of every locked text of the versions shown, as policy_src/published/
    keeps them: the API republishes them, so that a consent record always finds its text."""
    shown = {version.id for version in line.versions}
    return {(version_id, language, text.sha256):
            lockstore.published_path(source, version_id, language, text.sha256).read_bytes()
            for version_id, entry in history.items() if version_id in shown
            for revision in entry.revisions for language, text in revision.documents.items()}


def build(project: Project, out_dir: Path, as_of_arg: dt.date | None, environ: dict[str, str],
          now: dt.datetime, drafts: bool = False, jobs: int | None = None,
          strict: bool = False) -> Built:
    """Build the site; with `strict`, a warning fails the build before anything is written."""
    stages = Stages()
    project.check_output(out_dir)
    with stages("load"):
        policy, found, locate = read(project.source)
        locked = lockstore.read(project.source)
        catalogs = i18n.read_catalogs(project.locales, policy.info.languages)
    with stages("model"):
        as_of = resolve_as_of(as_of_arg, environ, now, policy.info.timezone)
        line = timeline(policy, as_of, include_drafts=drafts)
    with stages("json"):
        texts = api.version_documents(policy, line)
    with stages("load"):  # checking the lock is validation; it reuses the documents
        lockstore.verify(policy, locked, project.source, locate, texts)
        found = [*found, *lint.warnings(policy, locate, as_of, locked_ids(locked))]
        warnings = settle(found, strict)
    with stages("diffs"):
        history = dict(locked.versions) if locked else {}
        computed = api.Outputs(texts, api.version_changes(policy, line), history,
                               read_kept_texts(history, line, project.source))
    site_url = site.read_site_url(project.config)
    with stages("pages"):
        sites = pages.plan_site(
            policy, line, computed.documents, computed.changes, catalogs,
            lambda version, language: api.replaced(computed, version, language))
    with stages("json"):
        files = own_files(policy, line, computed, site_url, catalogs)
    with stages("pages"):
        files.update(sitemap.sitemaps(sites, site_url))
    settings = site.EngineSettings(project.config, site_url,
                                   build_epoch(as_of, environ, policy.info.timezone))
    with stages("engine"):
        result = site.build_site(sites, files, out_dir, settings, jobs)
    return Built(policy, line, result, dict(stages.seconds), warnings)


class Stages:
    """Seconds spent per stage of the build, for the benchmark and --verbose."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
