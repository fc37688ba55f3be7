"""Each version in each language as a PDF, for readers, regulators and auditors who keep a copy.

Two steps, as the pipeline has them: `documents_html` is pure (the version's HTML, rendered
with the pages' own section template, so the PDF states exactly what the page states), and
`render` is the edge that runs WeasyPrint. WeasyPrint is made for print (CSS paged media:
running headers and footers, page counters, internal links), embeds and subsets the fonts
and keeps the text as text; it needs Pango from Debian.

Rendering costs about a second a PDF, so `render` keeps each PDF in a cache keyed by the
SHA-256 of everything it is made from (the HTML, the stylesheet and its page size, the
renderer's version):
a build renders only the versions whose text changed, in parallel where there are cores.
Making the HTML to hash it costs too (5 s at 200 versions x 10 languages), so an index
beside the PDFs finds that key from what the HTML is made from (the version's document in
its language, whether it is a draft, the catalog, the site's URL, policygen's code): a build
whose texts did not change makes no HTML at all, and a stale or damaged index entry only
costs making the HTML again.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from jinja2 import Template

from generator.core import i18n, languages
from generator.core.diagnostics import CacheChanged, UsageError
from generator.core.documents import Document
from generator.core.model import Policy, Timeline, Version
from generator.outputs import routes, templates
from generator.runtime import cache, verified
from generator.runtime.workers import pool as worker_pool

STYLESHEET = Path(__file__).resolve().parents[1] / "templates" / "pdf.css"
# What WeasyPrint and the fonts need from Debian; named in the message when one is missing.
# HarfBuzz's subsetter: without it WeasyPrint falls back to fontTools, which took 15 s instead
# of 0.6 s for a Japanese PDF and gave different bytes for the same HTML from one render to
# the next.
DEBIAN_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fontconfig",
                   "fonts-noto-cjk", "fonts-liberation")
INSTALL_COMMAND = "apt-get install " + " ".join(DEBIAN_PACKAGES)


class MissingRequirement(UsageError):
    """The machine lacks what the PDFs need; the hint names the install command."""


@dataclass(frozen=True, slots=True)
class PdfFile:
    """A version's PDF in one language: where it is published, its hash and size, and where
    its bytes are. They stay in the cache until the build writes them: every version's PDF
    in every language, held in memory while the engine's workers were forked, was a quarter
    of the build's peak memory at 200 versions x 10 languages."""

    path: str  # from the site root
    sha256: str
    size: int
    stored: Path | None  # the cache's file holding the bytes (after its header line)
    data: bytes | None = None  # the bytes, where no cache could keep them

    def read(self) -> bytes:
        """The bytes, checked against their hash: a cache file damaged or changed since the
        build found it is never published; it is removed, so that the next build renders it
        anew (one cut short is found before, by its size)."""
        if self.data is not None:
            return self.data
        found = verified.read_verified(self.stored, _CACHE_HEADER)
        if found is None or found[1] != self.sha256:
            if self.stored is not None:
                self.stored.unlink(missing_ok=True)
            raise CacheChanged(f"the cached PDF {self.stored} changed during the build or was "
                             "damaged; it was removed",
                             "build again: the PDF is then rendered anew")
        return found[0]


Name = tuple[str, str]  # (version id, language)


def names(policy: Policy, timeline: Timeline) -> list[Name]:
    """Every PDF the site has: each version in each language it is written in."""
    return [(version.id, language) for language in policy.info.languages
            for version in timeline.versions if language in version.languages()]


def documents_html(policy: Policy, timeline: Timeline,
                   documents: dict[tuple[str, str], Document], catalogs: i18n.Catalogs,
                   site_url: str | None, only: Collection[Name] | None = None
                   ) -> dict[Name, str]:
    """The HTML of every version's PDF (or of those named in `only`), keyed by
    (version id, language)."""
    htmls = {}
    for language in policy.info.languages:
        template = templates.environment(catalogs[language], language).get_template("pdf.html.j2")
        for version in timeline.versions:
            if language not in version.languages() or \
                    (only is not None and (version.id, language) not in only):
                continue
            htmls[version.id, language] = _html(template, policy, version, language,
                                                documents[version.id, language], site_url,
                                                timeline.state(version))
    return htmls


# CJK brackets and stops are set on a full-width body whose other half is blank; two in a
# row (「当社」）, 」「) would show a double blank. Typesetting rules (JIS X 4051) set the
# first of two closing marks, or the second of two opening ones, at half width: the font's
# `halt` feature, which Noto CJK has (WeasyPrint offers no text-spacing-trim).
_CLOSING = "」』）〕］｝】〉》、。，．"
_OPENING = "「『（〔［｛【〈《"
_ADJACENT = re.compile(f"[{_CLOSING}](?=[{_CLOSING}{_OPENING}])|(?<=[{_OPENING}])[{_OPENING}]")
_TAG = re.compile(r"(<[^>]*>)")


def trim_adjacent_punctuation(html: str) -> str:
    """The HTML with each CJK mark that stands beside another wrapped to be set at half
    width: in the body's text only (the head's <title> is text, and a tag's attributes are
    left as they are)."""
    head, mark, body = html.partition("<body>")
    if not mark:
        return html
    return head + mark + "".join(
        part if part.startswith("<") else
        _ADJACENT.sub(lambda m: f'<span class="pg-halt">{m.group(0)}</span>', part)
        for part in _TAG.split(body))


def _html(template: Template, policy: Policy, version: Version, language: str,
          document: Document, site_url: str | None, state: str) -> str:
    url = routes.version_url(language, version.id)
    return trim_adjacent_punctuation(template.render(
        policy=policy, info=policy.info, lang=language, state=state,
        direction=languages.direction(language), version=version, document=document,
        page_url=url, web_url=f"{site_url}{url}" if site_url else None,
        # Links in the text between sections stay inside the PDF; no other page is in it.
        link=lambda target: routes.relative(url, target), version_url=routes.version_url))


# --- the edge: WeasyPrint, the fonts, the cache ----------------------------------------------

def renderer_version() -> str:
    """Everything besides the HTML and the stylesheet that decides a PDF's bytes: WeasyPrint
    and pydyf (from the installed packages' metadata: importing WeasyPrint takes a second,
    which a build whose PDFs are all cached need not spend), the system libraries that lay
    out and subset the text, and the font files. A cached PDF made with other fonts or
    libraries is not what this machine makes, so it is not found."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        packages = f"weasyprint {version('weasyprint')}, pydyf {version('pydyf')}"
    except PackageNotFoundError as error:
        raise MissingRequirement(f"the PDF renderer is not installed ({error})",
                                 "install policygen's dependencies: `pip install policygen`, "
                                 "or any ./dev command in a checkout") from None
    return f"{packages}, {_library_versions()}, fonts {_fonts_fingerprint()}"


# The libraries WeasyPrint loads (weasyprint/text/ffi.py), each with what tells its version.
# (Linux, macOS, Windows' names.)
_LIBRARIES = (("harfbuzz", ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"),
               "hb_version_string"),
              ("harfbuzz-subset", ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib",
                                   "libharfbuzz-subset-0.dll"), None),
              ("pango", ("libpango-1.0.so.0", "libpango-1.0.0.dylib", "libpango-1.0-0.dll"),
               "pango_version_string"))


def _library_versions() -> str:
    import ctypes

    found = []
    for name, files, version_function in _LIBRARIES:
        library = None
        for file in files:
            try:
                library = ctypes.CDLL(file)
                break
            except OSError:
                continue
        if library is None:
            found.append(f"{name} absent")
        elif version_function is None:
            found.append(f"{name} present")
        else:
            function = getattr(library, version_function)
            function.restype = ctypes.c_char_p
            found.append(f"{name} {function().decode('ascii', 'replace')}")
    return ", ".join(found)


# Where fontconfig finds fonts on Debian and most Linux systems (fonts.conf's <dir>s), then
# on macOS and on Windows: a folder the system lacks adds nothing.
_FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts",
                 "~/.fonts", "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts",
                 "%WINDIR%/Fonts", "%LOCALAPPDATA%/Microsoft/Windows/Fonts")


def _fonts_fingerprint() -> str:
    """The installed font files (path, size, modification time): a font updated by the
    system changes the PDFs that use it. Listing them takes well under a millisecond."""
    digest = hashlib.sha256()
    for folder in _FONT_FOLDERS:
        path = os.path.expandvars(os.path.expanduser(folder))
        if not os.path.isabs(path):  # a variable this system does not set: not its folder
            continue
        for root, folders, files in sorted(os.walk(path)):
            folders.sort()
            for name in sorted(files):
                try:
                    stat = os.stat(os.path.join(root, name))
                except OSError:
                    continue
                digest.update(f"{root}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


def renderer_problems() -> list[str]:
    """What keeps WeasyPrint from rendering here, found by loading it (most of a second)."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except (ImportError, OSError) as error:  # OSError: cffi could not load Pango
        return [f"the PDF renderer cannot start ({error})"]
    if not _subsetter_present():
        return ["HarfBuzz's font subsetter (libharfbuzz-subset 4.1 or newer) is not "
                "installed, without which the same version would not give the same PDF twice"]
    return []


def check_environment(languages: tuple[str, ...], loaded: list[str] | None = None) -> None:
    """Refuse to build a site without PDFs: name what is missing and how to install it.
    `loaded`: the renderer's problems, where a renderer process found them already."""
    problems = renderer_problems() if loaded is None else list(loaded)
    if shutil.which("fc-list") is None:
        problems.append("fontconfig's fc-list is not installed")
    else:
        for language in languages:
            found = subprocess.run(["fc-list", f":lang={language.split('-')[0]}", "family"],
                                   capture_output=True, text=True, check=False).stdout
            if not found.strip():
                problems.append(f"no font for language '{language}' is installed")
    if problems:
        raise MissingRequirement(
            "; ".join(problems), f"the PDFs of the versions need it: install with "
            f"`{INSTALL_COMMAND}` (the project's ./dev script does this when run as root); "
            "nothing was built")


def _subsetter_present() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz, as it does when it finds the library;
    it falls back to fontTools otherwise, whose output varies from one run to the next."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def cache_key(html: str, stylesheet: str, renderer: str) -> str:
    inputs = "\0".join((renderer, stylesheet, html)).encode("utf-8")
    return hashlib.sha256(inputs).hexdigest()


class Renderers:
    """The processes that render PDFs, started as soon as a build knows it will render some
    (`start`): loading WeasyPrint in them, most of a second, then overlaps the build's other
    work instead of coming first. With one job, PDFs are rendered in this process. Leaving
    the context stops them, as any worker pool (workers.pool)."""

    def __init__(self, jobs: int | None = None) -> None:
        self.workers = max(1, jobs or os.cpu_count() or 1)
        self._stack = contextlib.ExitStack()
        self._pool: ProcessPoolExecutor | None = None
        self._loaded: Future | None = None  # the renderer's problems, once it has loaded

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> bool | None:
        return self._stack.__exit__(kind, error, trace)

    def start(self) -> None:
        if self._pool is None and self.workers > 1:
            self._pool = self._stack.enter_context(worker_pool(self.workers))
            self._loaded = self._pool.submit(renderer_problems)

    def check(self, languages: tuple[str, ...]) -> None:
        check_environment(languages, self._loaded.result() if self._loaded else None)

    def render(self, html: str, stylesheet: str, keep: Callable[[bytes], PdfFile]
               ) -> PdfFile | Future:
        """One PDF, kept by `keep` as soon as it is made (an interrupted cold build keeps
        those made): made now with one job; else in a renderer process while this one goes
        on, and a Future of what `keep` gives."""
        if self.workers == 1:
            return keep(render_one(html, stylesheet))
        self.start()
        assert self._pool is not None
        return _then(self._pool.submit(render_one, html, stylesheet), keep)


def _then(future: Future, function: Callable) -> Future:
    """A Future of `function(future's result)`, called (in the pool's thread) when it is."""
    following: Future = Future()

    def done(finished: Future) -> None:
        try:
            following.set_result(function(finished.result()))
        except BaseException as error:  # noqa: BLE001 - handed over, raised where awaited
            following.set_exception(error)

    future.add_done_callback(done)
    return following


class Pdfs(Mapping):
    """Every version's PDF by (version id, language). One being rendered is waited for when
    first asked for: the pages of the languages it is not in, made meanwhile, need not."""

    def __init__(self, made: dict[Name, PdfFile | Future]) -> None:
        self._made = made

    def __getitem__(self, name: Name) -> PdfFile:
        found = self._made[name]
        if isinstance(found, Future):
            found = self._made[name] = found.result()
        return found

    def __iter__(self) -> Iterator[Name]:
        return iter(self._made)

    def __len__(self) -> int:
        return len(self._made)

    def pending(self) -> set[str]:
        """The languages of the PDFs still being rendered."""
        return {language for (_, language), found in self._made.items()
                if isinstance(found, Future) and not found.done()}

    def made(self) -> dict[Name, PdfFile]:
        """Every PDF, once each is made."""
        return {name: self[name] for name in self._made}


def stylesheet(page_size: str = "A4") -> str:
    """The PDFs' stylesheet, set on `page_size` (A4 or Letter): part of every PDF's key, so a
    PDF cached on one paper is never published for the other."""
    css = STYLESHEET.read_text(encoding="utf-8")
    return css if page_size == "A4" else css + f"@page {{ size: {page_size}; }}\n"


def render(made_of: dict[Name, str], htmls_of: Callable[[list[Name]], dict[Name, str]],
           paths: dict[Name, str], cache_dir: Path | None, renderers: Renderers,
           page_size: str = "A4") -> Pdfs:
    """Every PDF named in `made_of` (each with the key of what its HTML is made from), from
    the cache where its inputs were rendered before, else by WeasyPrint (after checking that
    it and the fonts of the languages to render are installed). `htmls_of` makes the HTML
    of the PDFs the index does not lead to a cached PDF."""
    css = stylesheet(page_size)
    renderer = renderer_version()
    indexed = {name: cache_key(made, css, renderer) for name, made in made_of.items()}
    known = {name: found for name, index in indexed.items()
             if (found := _indexed(cache_dir, index)) is not None}
    rest = [name for name in made_of if name not in known]
    rendered = _render_htmls(htmls_of(rest) if rest else {}, css, renderer, cache_dir,
                             renderers)

    def published(name: Name, key: str, made: PdfFile) -> PdfFile:
        _index(cache_dir, indexed[name], key, made)
        return dataclasses.replace(made, path=paths[name])

    made: dict[Name, PdfFile | Future] = {
        name: dataclasses.replace(found, path=paths[name]) for name, found in known.items()}
    for name, (key, file) in rendered.items():
        made[name] = _then(file, functools.partial(published, name, key)) \
            if isinstance(file, Future) else published(name, key, file)
    return Pdfs({name: made[name] for name in made_of})


def _render_htmls(htmls: dict[Name, str], stylesheet: str, renderer: str,
                  cache_dir: Path | None, renderers: Renderers
                  ) -> dict[Name, tuple[str, PdfFile | Future]]:
    """Each PDF's key and file (its path still to be set), from the cache by its HTML, else
    rendered (or being rendered: a Future)."""
    keys = {name: cache_key(html, stylesheet, renderer) for name, html in htmls.items()}
    found = {name: _cached(cache_dir, key) for name, key in keys.items()}
    missing = sorted(name for name, content in found.items() if content is None)
    # One document per distinct input: equal versions render once.
    unique = {keys[name]: htmls[name] for name in missing}
    if unique:
        renderers.check(tuple(sorted({language for _, language in missing})))
    made = {key: renderers.render(html, stylesheet, functools.partial(_store, cache_dir, key))
            for key, html in unique.items()}
    return {name: (keys[name], cached if (cached := found[name]) is not None else made[keys[name]])
            for name in htmls}


def render_one(html: str, stylesheet: str) -> bytes:
    """One PDF. Deterministic: no dates in its metadata (the HTML names none), no file
    identifier, fonts subset the same way from the same glyphs."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=None)
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=stylesheet)],
                              pdf_identifier=False, pdf_tags=True)


# A cached PDF is stored after a line naming its SHA-256: a damaged file is rendered again,
# never published.
_CACHE_HEADER = b"policygen pdf sha256="


def _stored(cache_dir: Path, key: str) -> Path:
    """Where the cache keeps the PDF of `key`."""
    return cache_dir / key[:2] / f"{key}.pdf"


def _cached(cache_dir: Path | None, key: str) -> PdfFile | None:
    """The cached PDF of `key` (its path still to be set) if its bytes are intact; the
    bytes themselves are not kept."""
    if cache_dir is None:
        return None
    stored = _stored(cache_dir, key)
    found = verified.read_verified(stored, _CACHE_HEADER)
    return None if found is None else PdfFile("", found[1], len(found[0]), stored)


def _store(cache_dir: Path | None, key: str, content: bytes) -> PdfFile:
    """A PDF rendered now, kept in the cache; its bytes stay in memory only when no cache
    could keep them."""
    sha256 = hashlib.sha256(content).hexdigest()
    stored = None
    if cache_dir is not None:
        stored = _stored(cache_dir, key)
        if not verified.write_verified(stored, _CACHE_HEADER, content, sha256):
            stored = None
    return PdfFile("", sha256, len(content), stored, None if stored else content)


# The index: from the key of what a PDF's HTML is made from to the key of that HTML's PDF,
# with the PDF's SHA-256 and size (so that it is found without reading it: at 200x10 that was
# 62 MB read and hashed per build), and a hash of all, so that a damaged entry is ignored.
_INDEX = "by-source"


def _indexed(cache_dir: Path | None, index: str) -> PdfFile | None:
    """The cached PDF the index leads to (its path still to be set), known by its hash and
    size; its bytes are checked when they are written (PdfFile.read). None when the entry
    is missing or damaged, or the PDF missing or not of its size (cut short)."""
    if cache_dir is None:
        return None
    try:
        text = (cache_dir / _INDEX / index[:2] / index).read_text("ascii")
    except (OSError, UnicodeDecodeError):
        return None
    parts = text.split(" ")
    if len(parts) != 4 or not parts[2].isdigit() or \
            parts[3] != _index_check(index, *parts[:3]):
        return None
    key, sha256, size = parts[0], parts[1], int(parts[2])
    stored = _stored(cache_dir, key)
    try:
        if stored.stat().st_size != verified.verified_size(_CACHE_HEADER, size):
            return None
    except OSError:
        return None
    return PdfFile("", sha256, size, stored)


def _index(cache_dir: Path | None, index: str, key: str, made: PdfFile) -> None:
    if cache_dir is not None:
        fields = (key, made.sha256, str(made.size))
        verified.write_whole(cache_dir / _INDEX / index[:2] / index,
                          " ".join((*fields, _index_check(index, *fields))).encode("ascii"))


def _index_check(index: str, *fields: str) -> str:
    return hashlib.sha256("\0".join((index, *fields)).encode("ascii")).hexdigest()


def default_cache_dir(environ: dict[str, str]) -> Path | None:
    """The PDFs' folder in the user's cache (cache.user_directory); None: render every PDF."""
    root = cache.user_directory(environ)
    return root / "pdf" if root else None
