"""The mkdocs-material engine: one mkdocs build per language, in this process.

After one edit most pages are what the previous build made of the same Markdown. Each build
records, per language, the hash of everything site-wide that shapes every page (the config
with its navigation, the theme and its overrides, the engine's and policygen's versions) and
each page's Markdown hash and anchors. When the site-wide hash is unchanged and the previous
output is intact (publish.py checks it), a language whose pages are all unchanged is carried
over whole, and otherwise mkdocs' own build steps run with only the changed pages, the pages
in the navigation and the searchable ones rendered (they make the navigation and the search
index, which every build writes whole); each other page's HTML, and the theme's assets, are
carried over. A carried file is not written: publish.py takes the previous output's.

The ProperDocs engine is this one, run by ProperDocs under mkdocs' name in a child process
(engines/properdocs.py).
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import inspect
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from generator.core.languages import best_match, direction
from generator.outputs.pages import LanguageSite
from generator.outputs.routes import current_url, folder
from generator.runtime import bytecode
from generator.site.engines import (
    RECORDS,
    Built,
    EngineSettings,
    SiteBuildError,
    extra_look,
    front_matter,
    languages_home,
    navigation,
    override_folders,
    page_hash,
    page_source,
    page_values,
    search_labels,
    site_name_html,
    theme_look,
)
from generator.site.output import listing

# Languages lunr (Material's search) has a stemmer or segmenter for
# (material/templates/assets/javascripts/lunr/min/lunr.<lang>.min.js); others search as en.
_SEARCH_LANGUAGES = ("ar", "da", "de", "du", "el", "en", "es", "fi", "fr", "he", "hi", "hu",
                     "hy", "it", "ja", "kn", "ko", "nl", "no", "pt", "ro", "ru", "sa", "sv",
                     "ta", "te", "th", "tr", "vi", "zh")


def _theme_languages() -> tuple[str, ...]:
    """The languages Material's interface is translated into (its partials/languages/)."""
    import material

    found = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return tuple(sorted(path.stem for path in found.glob("*.html")))


def prepare() -> None:
    """Import mkdocs, its build steps and the theme's search plugin now: the workers a
    rebuild forks then start with them, instead of each importing them again (a second or
    more of every rebuild `serve` makes)."""
    import material.plugins.search.plugin  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config  # noqa: F401


def build_language(site: LanguageSite, work: Path, out: Path,
                   settings: EngineSettings) -> Built:
    """Write one language's docs and config, run mkdocs on what changed, return its log."""
    from mkdocs.config import load_config

    docs = work / "docs" / folder(site.language)
    config = _config(site, docs, out, settings)
    hashes = {page.path: page_hash(site, page) for page in site.pages}
    record = Record(_site_hash(site, config, settings), hashes, {}, {}, ())
    before = Record.read(settings.records, site.language) if settings.previous else None
    if before is not None and before.site != record.site:
        before = None
    carried: tuple[str, ...] = ()
    with _captured_log(site.language) as log, _epoch(settings.build_epoch):
        if before is not None and before.pages == record.pages:
            record, carried = before, before.files
            log.append(f"INFO - {len(before.files)} files carried over unchanged")
        else:
            fixed = {page.path for page in site.pages if page.in_nav or page.meta.searchable}
            render = (lambda path: True) if before is None else (
                lambda path: path in fixed or before.pages.get(path) != hashes[path])
            docs.mkdir(parents=True, exist_ok=True)
            for page in site.pages:  # only what mkdocs renders: it reads no other page
                if render(page.path):
                    (docs / page.path).parent.mkdir(parents=True, exist_ok=True)
                    (docs / page.path).write_text(page_source(site, page), encoding="utf-8")
            config_path = work / f"mkdocs.{folder(site.language)}.yml"
            config_path.write_text(json.dumps(config, indent=1), encoding="utf-8")
            loaded = load_config(str(config_path))
            # Escaped once, and left as it is where the theme escapes it again (`| e`).
            loaded["site_name"] = Markup(loaded["site_name"])
            # The shared overrides after the engine's own (custom_dir), before the theme's.
            loaded.theme.dirs[1:1] = [str(path) for path in override_folders(settings)[1:]]
            with contextlib.redirect_stdout(None):
                record, carried = _build(loaded, record, render, before, settings.compiled,
                                         [page.path for page in site.pages])
    record.write(work / RECORDS, site.language)
    return Built(log, record.files, carried)


@dataclass(frozen=True, slots=True)
class Record:
    """What one language's build made, to tell the next build what it may carry over."""

    site: str  # hash of everything that shapes every page
    pages: dict[str, str]  # Markdown path -> hash of the Markdown
    anchors: dict[str, list[str]]  # Markdown path -> the ids its HTML holds
    dest: dict[str, str]  # Markdown path -> its HTML's path in the language's folder
    files: tuple[str, ...]  # every file the engine wrote into the language's folder

    @classmethod
    def read(cls, folder_: Path | None, language: str) -> Record | None:
        if folder_ is None:
            return None  # no previous build
        try:
            values = json.loads((folder_ / f"{folder(language)}.json").read_text("utf-8"))
            return cls(values["site"], values["pages"], values["anchors"], values["dest"],
                       tuple(values["files"]))
        except (OSError, TypeError, ValueError, KeyError):
            return None  # no record, or not one this code wrote: build everything

    def write(self, folder_: Path, language: str) -> None:
        folder_.mkdir(parents=True, exist_ok=True)
        (folder_ / f"{folder(language)}.json").write_text(json.dumps(
            {"site": self.site, "pages": self.pages, "anchors": self.anchors,
             "dest": self.dest, "files": list(self.files)}), encoding="utf-8")


def _site_hash(site: LanguageSite, config: dict, settings: EngineSettings) -> str:
    """Everything besides a page's own Markdown that shapes its HTML: the config (not the
    workspace's paths), the look and the overrides, the navigation's pages' metadata, the
    sitemaps' date, and the versions of the engine and of policygen's code."""
    from generator.runtime import cache

    digest = hashlib.sha256(cache.fingerprint())
    shared = {key: value for key, value in config.items() if key not in ("docs_dir", "site_dir")}
    digest.update(json.dumps(shared, sort_keys=True).encode() + b"\0")
    digest.update(f"{settings.build_epoch}\0".encode())
    import mkdocs  # which may be ProperDocs under mkdocs' name (engines/properdocs.py)

    digest.update(f"{mkdocs.__name__}={mkdocs.__version__}\0".encode())
    for name in ("mkdocs-material", "markdown", "pymdown-extensions", "jinja2"):
        digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
    files = [settings.look.resolve()] + [
        path for folder in override_folders(settings)
        for path in sorted(folder.rglob("*")) if path.is_file()]
    for path in files:
        try:
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
        except OSError:  # mkdocs reports a missing config in its own words
            digest.update(str(path).encode() + b"\0missing\0")
    for page in site.pages:
        if page.in_nav:  # the navigation on every page shows their metadata
            digest.update(front_matter(page_values(site, page)).encode())
    return digest.hexdigest()


# What _build copies, step for step, and the functions it calls that mkdocs keeps private,
# each with the start of the SHA-256 of its source in the version _build was read against:
# mkdocs 1.6.1, and ProperDocs 1.6.7 (engines/properdocs.py), whose copies differ from 1.6.1
# only in names (its logger, see _loggers; its config class; `mkdocs_version`, which it sets
# to "ProperDocs 1.6.7"). tests/test_engines.py fails when the installed package differs,
# so that _build is read again against the new code before the pin in constraints.txt moves.
MIRRORED = {
    "mkdocs": {
        "mkdocs.commands.build.build": "c476b64474acfaa2",
        "mkdocs.commands.build._build_page": "adcdbd14b2361126",
        "mkdocs.commands.build._populate_page": "31a70ea4caef1e12",
        "mkdocs.commands.build._build_theme_template": "628a78f6a129c8a0",
        "mkdocs.commands.build._build_extra_template": "ecfe1ffd8b50aee7",
        "mkdocs.structure.files.get_files": "8d8cc69e4d7dc5be",
    },
    "properdocs": {
        "mkdocs.commands.build.build": "9ef8add479b2679c",
        "mkdocs.commands.build._build_page": "a921d5be3f1bcca9",
        "mkdocs.commands.build._populate_page": "b3c436870881aa43",
        "mkdocs.commands.build._build_theme_template": "8f450ccd90a65f65",
        "mkdocs.commands.build._build_extra_template": "bb26e703c95ab267",
        "mkdocs.structure.files.get_files": "e0ebb5db9af0fbac",
    },
}


def changed_since_mirrored() -> list[str]:
    """The functions of MIRRORED whose source in the mkdocs imported here (ProperDocs, where
    it runs under mkdocs' name) is no longer the source _build was read against."""
    import mkdocs

    changed = []
    for name, recorded in MIRRORED[mkdocs.__name__].items():
        module, _, function = name.rpartition(".")
        source = inspect.getsource(getattr(importlib.import_module(module), function))
        if hashlib.sha256(source.encode()).hexdigest()[:16] != recorded:
            changed.append(name)
    return changed


def _build(config, record: Record, render, before: Record | None, compiled: Path | None,
           sources: list[str]) -> tuple[Record, tuple[str, ...]]:
    """mkdocs.commands.build.build, step for step, with only the pages `render` names
    rendered; every other page's HTML and anchors come from the previous build, and so do
    the theme's own files (its assets: the site-wide hash covers the theme). Returns the
    record and the files carried over."""
    from mkdocs import utils
    from mkdocs.commands.build import (
        _build_extra_template,
        _build_page,
        _build_theme_template,
        _populate_page,
    )
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import File, Files, file_sort_key, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page as MkdocsPage

    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    for name in _loggers():  # strict: a warning fails the build
        logging.getLogger(name).addHandler(counter)
    log = logging.getLogger("mkdocs.commands.build")  # mkdocs' own lines, as its build logs
    started = time.monotonic()
    _compile_once(config.theme, compiled)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        log.info("Cleaning site directory")
        utils.clean_directory(config.site_dir)
        log.info(f"Building documentation to directory: {config.site_dir}")
        # mkdocs.structure.files.get_files, without a walk of docs_dir: a page not rendered
        # is not written there (hundreds of files and folders made and removed per build)
        files = Files(sorted((File(path, config.docs_dir, config.site_dir,
                                   config.use_directory_urls) for path in sources),
                             key=file_sort_key))
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        pages = files.documentation_pages()
        for file in pages:
            if file.page is None:
                MkdocsPage(None, file, config)
            if render(file.src_uri):
                _populate_page(file.page, config, files)
            else:  # links into it are checked against the anchors it had
                assert before is not None  # a page is kept only from a previous build
                file.page.present_anchor_ids = set(before.anchors[file.src_uri])
        env = config.plugins.on_env(env, config=config, files=files)
        carried = []
        for file in files:  # files.copy_static_files(), where the previous site lacks them
            if not file.is_documentation_page() and file.inclusion.is_included():
                if before is not None and file.dest_uri in before.files:
                    carried.append(file.dest_uri)
                else:
                    file.copy_file()
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)
        for file in pages:
            if render(file.src_uri):
                _build_page(file.page, config, pages, nav, env)
            else:
                carried.append(before.dest[file.src_uri])  # type: ignore[union-attr]
        for file in pages:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        if counts := counter.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)}"
                        " in strict mode!")
        log.info(f"Documentation built in {time.monotonic() - started:.2f} seconds")
    except Exception as error:
        config.plugins.on_build_error(error=error)
        if isinstance(error, BuildError):
            raise Abort("Aborted with a BuildError!") from error
        raise
    finally:
        for name in _loggers():
            logging.getLogger(name).removeHandler(counter)
    return Record(record.site, record.pages,
                  {f.src_uri: sorted(f.page.present_anchor_ids or ()) for f in pages},
                  {f.src_uri: f.dest_uri for f in pages},
                  tuple(sorted({*listing(Path(config.site_dir)), *carried}))), tuple(carried)


def _compile_once(theme, compiled: Path | None) -> None:
    """Every Jinja environment of the theme (the build's, the search plugin's) loads its
    templates' compiled code from the user's cache instead of compiling them again."""
    shared, make = bytecode.Compiled(compiled), theme.get_env

    def get_env():
        env = make()
        env.bytecode_cache = shared
        return env

    theme.get_env = get_env


def _config(site: LanguageSite, docs: Path, out: Path, settings: EngineSettings) -> dict:
    tag = site.language
    home = current_url(tag)
    folders = override_folders(settings)
    return {
        "INHERIT": str(settings.look.resolve()),
        "site_name": site_name_html(site),
        "site_url": settings.site_url + home if settings.site_url else "",
        "docs_dir": str(docs),
        "site_dir": str(out),
        "strict": True,
        "use_directory_urls": True,
        # Material's strings from its closest language (zh for zh-Hans), the direction from
        # CLDR, and <html lang> the tag itself (site_overrides/shared/partials/language.html).
        "theme": {"language": best_match(tag, _theme_languages()) or "en",
                  "direction": direction(tag),
                  **({"custom_dir": str(folders[0])} if folders else {}),
                  **theme_look(settings)},
        "plugins": [{"search": {"lang": [best_match(tag, _SEARCH_LANGUAGES) or "en"]}}],
        "nav": navigation(site),
        "not_in_nav": "\n".join(f"/{page.path}" for page in site.pages if not page.in_nav),
        # `alternate: true` makes Material show its language switcher, which our override
        # fills per page; a list here would also emit site-wide hreflang links that point
        # every page at the other language's home page. `languages` serves the 404 page.
        "extra": {"alternate": True, "languages": languages_home(site, settings),
                  "search_labels": search_labels(site),
                  "preview": site.preview,
                  "not_found": site.not_found, "language_tag": tag,
                  "folder": folder(tag), **extra_look(site, settings)},
    }


@contextlib.contextmanager
def _captured_log(language: str):
    """mkdocs' log lines, returned with the result or raised with SiteBuildError."""
    from jinja2 import TemplateError, TemplateSyntaxError
    from mkdocs.exceptions import MkDocsException

    log: list[str] = []
    handler = _ListHandler(log)
    loggers = [logging.getLogger(name) for name in _loggers()]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    try:
        yield log
    except (MkDocsException, SystemExit, OSError, TemplateError) as error:
        # A broken theme override is the site's problem, reported like the engine's own.
        where = f" ({error.filename}:{error.lineno})" if isinstance(
            error, TemplateSyntaxError) else ""
        log.append(f"ERROR - {type(error).__name__}: {error}{where}")
        raise SiteBuildError(language, log) from None
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _loggers() -> tuple[str, ...]:
    """Where the build's lines are logged: to `mkdocs` by the theme and its plugins, and to
    the engine's own name by its code, which is not mkdocs' where ProperDocs runs this
    engine under mkdocs' name (engines/properdocs.py)."""
    import mkdocs

    return tuple(dict.fromkeys(("mkdocs", mkdocs.__name__)))


@contextlib.contextmanager
def _epoch(seconds: int):
    """SOURCE_DATE_EPOCH while mkdocs runs: its sitemaps and archives carry the date."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


class _ListHandler(logging.Handler):
    def __init__(self, lines: list[str]):
        super().__init__(logging.DEBUG)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} - {record.getMessage()}")
