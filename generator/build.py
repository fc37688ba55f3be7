"""The build, as the pipeline reads: load, validate and model; outputs; site."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import time
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from generator.checks import compliance, lint
from generator.core import diff, documents, i18n
from generator.core.diagnostics import Diagnostic, PolicyError, UsageError, settle
from generator.core.model import Policy, Timeline, Version, shared_languages, timeline
from generator.core.store_labels import StoreMapping
from generator.outputs import api, pages, pdf, routes, sitemap, store_files, templates
from generator.record import history, lock
from generator.record import store as lockstore
from generator.runtime import cache, workers
from generator.runtime.content import Content, Deferred
from generator.runtime.gathered import Gained
from generator.site import checks as project_checks
from generator.site import output
from generator.site.engines import EngineSettings, Look
from generator.site.publish import BuildResult, publish
from generator.source import project as layout
from generator.source import store_labels as store_mapping
from generator.source.convert import POLICY_FILE, read
from generator.source.project import Project
from generator.source.settings import Settings, brand_asset
from generator.source.settings import read as read_settings

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Built:
    policy: Policy
    timeline: Timeline
    result: BuildResult
    stages: dict[str, float]  # seconds per stage: load, model, json, pdf, diffs, pages, engine
    warnings: tuple[Diagnostic, ...] = ()
    pdfs: dict[tuple[str, str], pdf.PdfFile] = dataclasses.field(default_factory=dict)
    later: tuple[history.Later, ...] = ()  # steps recorded after the day built for: not shown
    site_url: str | None = None  # as policygen.yml set it: None leaves the sitemaps empty


def settings_for(project: Project, engine: str | None = None) -> Settings:
    """The deployment settings from policygen.yml, the engine as --engine chooses."""
    settings = read_settings(project.settings)
    return dataclasses.replace(settings, engine=engine) if engine else settings


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


def own_files(policy: Policy, line: Timeline, outputs: api.Outputs, site_url: str | None,
              catalogs: i18n.Catalogs, build_cache: cache.Cache) -> dict[str, Content]:
    """Files policygen writes itself, beside the engine's pages: the root, the API, PDFs
    (read from the cache only when written). A changes document is kept by the versions'
    sources it compares and the catalog: one edit writes only its own again."""
    versions = {version.id: version for version in line.versions}
    catalog = {language: i18n.digest(catalogs[language]) for language in policy.info.languages}

    def changes_document(version_id: str, language: str) -> Content:
        previous = line.previous(versions[version_id])
        assert previous is not None  # a change has a version before
        return build_cache.data("changes documents", repr((
            build_cache.sources[previous.id], build_cache.sources[version_id], language,
            catalog[language])), lambda: api.changes_document(
                outputs.changes[version_id, language], catalogs[language]))[0]

    files = api.api_files(policy, line, outputs, site_url, catalogs, changes_document)
    files[routes.ROOT_INDEX] = pages.root_index(policy, catalogs,
                                                pages.is_preview(line)).encode("utf-8")
    files[routes.ROOT_NOT_FOUND] = pages.root_not_found(
        policy, line, catalogs, site_url, pages.is_preview(line)).encode("utf-8")
    files.update({made.path: Deferred(made.sha256, made.read)
                  for made in outputs.pdfs.values()})
    return files


def version_pdfs(policy: Policy, line: Timeline, documents_made: dict, site_url: str | None,
                 catalogs: i18n.Catalogs, environ: dict[str, str], renderers: pdf.Renderers,
                 page_size: str = "A4") -> pdf.Pdfs:
    """Every version's PDF in every language; rendered only where no cached copy fits. A
    PDF's HTML is made from the version's document in its language (whose SHA-256 covers
    all it states: the policy's title, the sections, facts and labels), whether it is a
    draft, where it stands on the build's day (its first page says: in force, upcoming...),
    the language's catalog and the site's URL (and policygen's code, which every key
    covers): the index of cached PDFs is keyed by those, so that no HTML is made for a PDF
    whose text did not change, even when another language's text in the same file did."""
    catalog = {language: i18n.digest(catalogs[language]) for language in policy.info.languages}
    status = {version.id: version.status for version in line.versions}
    state = {version.id: line.state(version) for version in line.versions}
    made_of = {(version_id, language): cache.key(
        "pdf html", documents_made[version_id, language].sha256, status[version_id],
        state[version_id], language, catalog[language], site_url or "")
        for version_id, language in pdf.names(policy, line)}
    paths = {(version_id, language): routes.pdf_path(policy.info.id, version_id, language)
             for version_id, language in made_of}
    return pdf.render(made_of, lambda names: pdf.documents_html(policy, line, documents_made,
                                                                catalogs, site_url, names),
                      paths, pdf.default_cache_dir(environ), renderers, page_size)


def read_published_texts(history: dict[str, lock.Entry], line: Timeline,
                    source: Path) -> dict[tuple[str, str, str], bytes]:
    """The exact bytes of every locked text of the versions shown, as policy_src/published/
    keeps them: the API republishes them, so that a consent record always finds its text."""
    shown = {version.id for version in line.versions}
    return {(version_id, language, text.sha256):
            lockstore.published_path(source, version_id, language, text.sha256).read_bytes()
            for version_id, entry in history.items() if version_id in shown
            for revision in entry.revisions for language, text in revision.documents.items()}


def asset_files(folder: Path, languages: tuple[str, ...]) -> dict[str, bytes]:
    """The shared assets (site_overrides/assets/), copied into every language's folder,
    where its pages link them whichever engine builds it."""
    found = {path.relative_to(folder).as_posix(): layout.read_bytes(path)
             for path in sorted(folder.rglob("*")) if path.is_file()}
    return {routes.asset_url(language, name): content
            for language in languages for name, content in found.items()}


def brand_files(root: Path, settings: Settings, languages: tuple[str, ...]
                ) -> dict[str, bytes]:
    """The logo and favicon of policygen.yml, copied into every language's assets."""
    named = {"logo": settings.logo, "favicon": settings.favicon}
    return {routes.asset_url(language, brand_asset(name, path)): (root / path).read_bytes()
            for name, path in named.items() if path for language in languages}


def look_of(settings: Settings) -> Look:
    """The look's settings as the engines hand them to the theme."""
    return Look(brand_asset("logo", settings.logo) if settings.logo else None,
                brand_asset("favicon", settings.favicon) if settings.favicon else None,
                settings.brand_colour)


def version_documents(policy: Policy, versions: Iterable[Version], build_cache: cache.Cache
                      ) -> dict[tuple[str, str], documents.Document]:
    """api.version_documents, each version's made once for the bytes of its file."""
    made: dict[tuple[str, str], documents.Document] = {}
    for version in versions:
        made.update(build_cache.memo("documents", (POLICY_FILE, version.id),
                              functools.partial(api.documents_of, policy, version)))
    return made


def version_changes(policy: Policy, line: Timeline, build_cache: cache.Cache
                    ) -> Mapping[tuple[str, str], diff.VersionDiff]:
    """api.version_changes, each pair diffed once for the bytes of the two files; a pair's
    diffs kept by an earlier build are read only if asked for (after one edit, only the
    edited version's redline and changes documents are made again, the others kept)."""
    return _Changes({new.id: (shared_languages(old, new), build_cache.later(
        "changes", (old.id, new.id), functools.partial(api.changes_between, policy, old, new)))
        for old, new in line.pairs()})


class _Changes(Mapping):
    """The diffs of each pair by (new version id, language), each pair's read when asked."""

    def __init__(self, pairs: dict[str, tuple[tuple[str, ...], Callable[[], dict]]]):
        self._pairs = pairs
        self._read: dict[str, dict] = {}

    def __getitem__(self, key: tuple[str, str]) -> diff.VersionDiff:
        version_id = key[0]
        if version_id not in self._read:
            self._read[version_id] = self._pairs[version_id][1]()
        return self._read[version_id][key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((version_id, language) for version_id, (languages, _) in self._pairs.items()
                for language in languages)

    def __len__(self) -> int:
        return sum(len(languages) for languages, _ in self._pairs.values())


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What a build is asked for beside the project: where, for which day, and how."""

    out_dir: Path
    as_of: dt.date | None  # the day the site describes; None: SOURCE_DATE_EPOCH, else `now`
    environ: Mapping[str, str]
    now: dt.datetime
    drafts: bool = False
    jobs: int | None = None
    strict: bool = False  # a warning fails the build before anything is written
    # The deployment settings, read by the caller (settings_for)
    settings: Settings = dataclasses.field(default_factory=Settings)
    with_pdfs: bool = True  # False for the preview server, which must show an edit at once
    # Results a long-lived caller keeps in memory between builds (cache.Cache)
    held: dict | None = None


def build(project: Project, options: BuildOptions) -> Built:
    """Build the site into options.out_dir, as the pipeline reads: the source read and
    checked, the outputs made of the model, the site published."""
    out_dir, as_of_arg, now = options.out_dir, options.as_of, options.now
    environ, drafts, jobs, strict = dict(options.environ), options.drafts, options.jobs, \
        options.strict
    settings, with_pdfs, held = options.settings, options.with_pdfs, options.held
    stages = Stages()
    compiled = compiled_templates(environ)
    templates.keep_compiled_in(compiled)
    # The output's files, to compare with records; an output that holds a part of the
    # project is refused.
    output_listing = output.check_output(out_dir, project.root, project.folders())
    build_cache = cache.Cache(project.cache, held)
    with pdf.Renderers(jobs) as renderers:
        source = stages.run("load", read_source, project, build_cache)
        policy, locked = source.policy, source.locked
        if with_pdfs and build_cache.missed.get("versions") and build_cache.keeps("versions"):
            # A version file changed since a build this cache kept: its PDFs are likely to
            # be made again. With no results kept (a first build, or the cache deleted),
            # nothing says so: the user's PDF cache mostly has them, and loading WeasyPrint
            # in two processes for nothing costs a small site a third of its build.
            renderers.start()
        catalogs = stages.run("load", i18n.read_catalogs, project.locales,
                              policy.info.languages)
        as_of = resolve_as_of(as_of_arg, environ, now, policy.info.timezone)
        line = stages.run("model", timeline, policy, as_of, include_drafts=drafts)
        documents_made = stages.run("json", version_documents, policy, line.versions, build_cache)
        warnings_found = stages.run("load", check, project, source, documents_made, as_of,
                                    strict)
        stood = history.as_it_stood(policy, locked, as_of, lockstore.reader(project.source))
        if stood.changed:
            # A past day, before steps the lock recorded: the site shows the record as it
            # stood, whose texts are not those the cache keeps for the source's files.
            policy, locked, build_cache = stood.policy, stood.locked, _unkept(build_cache)
            line = stages.run("model", timeline, policy, as_of, include_drafts=drafts)
            documents_made = stages.run("json", version_documents, policy, line.versions,
                                        build_cache)
        # A PDF being rendered is waited for only where a page or the API needs it.
        pdfs = stages.run("pdf", version_pdfs, policy, line, documents_made, settings.site_url,
                          catalogs, environ, renderers, settings.pdf_page_size) \
            if with_pdfs else pdf.Pdfs({})
        outputs = stages.run("diffs", _outputs, project, policy, line, documents_made, locked,
                             build_cache, pdfs)
        sites = stages.run("pages", _pages, project, policy, line, outputs, catalogs, build_cache,
                           jobs, PAGES if with_pdfs else PAGES_WITHOUT_PDFS,
                           settings.section_numbers)
        files = stages.run("json", own_files, policy, line, outputs, settings.site_url,
                           catalogs, build_cache)
        files.update(store_files.store_label_files(line.versions, source.stores))
        pdfs_made = pdfs.made()
    files.update(stages.run("pages", sitemap.sitemaps, sites, settings.site_url))
    files.update(asset_files(project.overrides / "assets", policy.info.languages))
    files.update(brand_files(project.root, settings, policy.info.languages))
    engine = EngineSettings(project.look, project.overrides / settings.engine,
                            settings.site_url, build_epoch(as_of, environ, policy.info.timezone),
                            pages.homes(policy), compiled=compiled, look_of=look_of(settings))
    result = stages.run("engine", publish, sites, files, out_dir, settings.engine, engine, jobs,
                        build_cache.records(out_dir), output_listing)
    build_cache.commit(prune=True)
    return Built(policy, line, result, dict(stages.seconds), warnings_found, pdfs_made,
                 stood.later, settings.site_url)


def _unkept(kept: cache.Cache) -> cache.Cache:
    """A cache that keeps nothing, knowing the sources' keys: for texts unlike the sources'."""
    unkept = cache.Cache(None)
    unkept.sources.update(kept.sources)
    return unkept


def compiled_templates(environ: dict[str, str]) -> Path | None:
    """Where the engine's processes keep its theme's compiled templates, build after build."""
    root = cache.user_directory(environ)
    return root / "templates" if root else None


@dataclass(frozen=True, slots=True)
class Source:
    """The project's source as every command reads it: the policy, the warnings found
    reading it, the `locate` that places later problems in its files, and its lock."""

    policy: Policy
    warnings: tuple[Diagnostic, ...]
    locate: Callable[..., Diagnostic]
    locked: lock.Lock | None
    stores: StoreMapping | None = None  # policy_src/store-labels.yaml, where there is one


def read_source(project: Project, build_cache: cache.Cache | None = None) -> Source:
    """The lock first (a language it records stays listed), then the policy and what its
    checklists ask of it; every problem of the policy is reported before the lock's."""
    try:
        locked, unreadable = lockstore.read(project.source), None
    except PolicyError as error:
        locked, unreadable = None, error
    # The one setting validation needs; the rest are the build's.
    link_base = read_settings(project.settings).link_base
    policy, found, locate = read(project.source, build_cache, lockstore.locked_languages(locked),
                                 link_base)
    if unreadable is not None:
        raise unreadable
    checklists = compliance.read_checklists(project.source)
    found = (*found, *compliance.warnings(policy, checklists, locate))
    stores = store_mapping.read(project.source)
    if stores is not None:  # a published version's labels may not lag its processing
        found = (*found, *settle(store_mapping.unmapped(policy, stores, locate)))
    return Source(policy, tuple(sorted(found)), locate, locked, stores)


def warnings(project: Project, source: Source, as_of: dt.date) -> list[Diagnostic]:
    """The source's warnings, what lint finds as of the day, what the project's checks find
    around the policy, and the record's files git does not track (in a git work tree)."""
    return [*source.warnings,
            *lint.warnings(source.policy, source.locate, as_of, locked_ids(source.locked)),
            *project_checks.warnings(project, source.policy.info.languages),
            *lockstore.untracked(project.source)]


def check(project: Project, source: Source,
          documents_made: dict[tuple[str, str], documents.Document], as_of: dt.date,
          strict: bool) -> tuple[Diagnostic, ...]:
    """Check the project: the lock against the source (reusing the documents made of it),
    then the warnings, which fail with `strict`."""
    lockstore.verify(source.policy, source.locked, project.source, source.locate, documents_made)
    return settle(warnings(project, source, as_of), strict)


def _outputs(project: Project, policy: Policy, line: Timeline, documents_made, locked,
             build_cache: cache.Cache, pdfs: pdf.Pdfs) -> api.Outputs:
    history = dict(locked.versions) if locked else {}
    return api.Outputs(documents_made, version_changes(policy, line, build_cache), history,
                       read_published_texts(history, line, project.source), pdfs)


# Versions x languages from which each language's pages are made in a process of its own
# (when none are kept): below, starting the workers costs more than it saves (the example's
# pages take 0.15 s).
PARALLEL_PAGES_FROM = 200


# Kept pages name their PDF; serve's make none, so its pages are other entries: kept apart,
# so that a build and serve in one project do not each remove the other's (a build keeps
# only the entries of each kind it used) and render every version page again after it.
PAGES, PAGES_WITHOUT_PDFS = "pages", "pages without pdfs"


def _pages(project: Project, policy: Policy, line: Timeline, outputs: api.Outputs,
           catalogs: i18n.Catalogs, build_cache: cache.Cache, jobs: int | None, kind: str = PAGES,
           section_numbers: bool = False) -> tuple[pages.LanguageSite, ...]:
    corrected = {version.id: api.corrected_texts(outputs, version.id)
                 for version in line.versions}  # read from the kept bytes once per build
    lock_file = project.source / lockstore.LOCK_FILE
    memo = pages.Memo(build_cache.sources[POLICY_FILE], build_cache.sources,
                      cache.key(lock_file.read_bytes()) if lock_file.is_file() else "",
                      lambda inputs, make: build_cache.text(kind, inputs, make)
                      ) if build_cache.directory is not None else None

    def each(make, languages: tuple[str, ...]) -> list[pages.LanguageSite]:
        """Each language's pages in a worker of its own where there are cores: the workers
        inherit the model, and send back the pages and what they added to the cache."""
        def apart(language: str) -> tuple[pages.LanguageSite, Gained | None]:
            gained = build_cache.apart()  # this worker's copy of the cache
            return make(language), gained()

        # In parallel for a first build of a large site; not when an earlier build kept
        # pages (most are found, and sending hundreds of them back costs more than it saves)
        large = len(line.versions) * len(languages) >= PARALLEL_PAGES_FROM and \
            not build_cache.keeps(kind)
        if large:
            outputs.pdfs.made()  # the workers cannot wait for a PDF this process renders
        # The languages of PDFs still being rendered last: the others' pages need not wait.
        pending = outputs.pdfs.pending()
        order = sorted(languages, key=lambda language: language in pending)
        made = dict(zip(order, workers.map_inherited(
            apart, order, (jobs or os.cpu_count() or 1) if large else 1,
            here=lambda language: (make(language), None)), strict=True))
        for _, gained in made.values():
            if gained is not None:
                build_cache.merge(gained)
        return [made[language][0] for language in languages]

    return pages.plan_site(policy, line, outputs.documents, outputs.changes, catalogs,
                           lambda version_id: corrected[version_id],
                           outputs.history, outputs.pdfs, memo, each, section_numbers)


class Stages:
    """Seconds spent per stage of the build, for the benchmark and --verbose."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def run(self, name: str, step: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one step of the build, adding its time to the stage `name`."""
        started = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
