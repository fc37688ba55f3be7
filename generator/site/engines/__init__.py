"""The boundary around the site engine: build one language's pages into a folder, report
problems. One module per engine; only they import their engine or know its config keys,
its front matter and its theme. Staging and the atomic swap are not theirs (publish.py).

An engine module provides

    build_language(site, work, out, settings) -> Built

which writes `site`'s pages and its own config under `work`, builds them into `out` and
returns the engine's log and the files it carried over from the previous output instead of
writing them, or raises SiteBuildError carrying that log, and

    prepare() -> None

which loads in this process what every build needs, for a long-lived process (`serve`) whose
rebuilds' worker processes are forked from it.
"""
from __future__ import annotations

import hashlib
import html
import importlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator.core.diagnostics import UsageError
from generator.outputs.pages import Alternate, LanguageSite, Page
from generator.outputs.routes import (
    archive_url,
    current_url,
    feed_path,
    link,
    not_found_url,
    relative,
)
from generator.source.settings import ENGINES

# Keys of the look (mkdocs.yml) that every engine's derived config replaces, so a value left
# there is silently ignored, and what to do instead.
REPLACED_IN_LOOK = {
    "site_url": "move it to policygen.yml (site_url: ...), which every engine and the API read",
    "site_dir": "remove it: pass the output folder to policygen build --out",
    "docs_dir": "remove it: policygen writes the pages itself",
    "nav": "remove it: policygen builds the navigation from the policy",
    "use_directory_urls": "remove it: policygen's links need directory URLs",
}


@dataclass(frozen=True, slots=True)
class Look:
    """The company's look from policygen.yml: the logo's and favicon's paths inside each
    language's assets folder, and the brand colour (#rrggbb, checked by the settings)."""

    logo: str | None = None
    favicon: str | None = None
    brand_colour: str | None = None


SHARED_OVERRIDES = "shared"  # site_overrides/shared/: the templates both themes read alike


@dataclass(frozen=True, slots=True)
class EngineSettings:
    look: Path  # the project's mkdocs.yml: theme, palette, Markdown extensions
    overrides: Path  # this engine's theme overrides: site_overrides/<engine>/
    site_url: str | None
    build_epoch: int  # SOURCE_DATE_EPOCH for the engine: sitemaps carry it
    languages: tuple[Alternate, ...]  # every language's home page, for pages without
    # alternates of their own (the 404 page)
    # The previous build's output, verified intact (publish.py), and the records an engine
    # kept of it there: an engine may carry over what an unchanged input made (Built.carried)
    # rather than write it. None: build everything. An engine writes this build's records
    # into `work / RECORDS`.
    previous: Path | None = None
    records: Path | None = None
    compiled: Path | None = None  # where templates' compiled code is kept (bytecode.py)
    look_of: Look = Look()


RECORDS = "records"  # the folder of the records engines keep, in the workspace and the cache


@dataclass(frozen=True, slots=True)
class Built:
    """What an engine made of one language, each path from the language's folder."""

    log: list[str]
    files: tuple[str, ...]  # every file of the language's folder
    # The files of `files` it did not write into `out`: the previous output's own file of
    # that name is what this build makes (see EngineSettings.previous).
    carried: tuple[str, ...] = ()


class SiteBuildError(Exception):
    """The site engine failed; carries its log, which explains why."""

    def __init__(self, language: str, log: list[str]):
        self.language, self.log = language, log
        super().__init__(f"the site engine failed for '{language}':\n" + "\n".join(log))

    def __reduce__(self):  # raised in worker processes: must cross back whole
        return (type(self), (self.language, self.log))


class Engine(Protocol):
    def build_language(self, site: LanguageSite, work: Path, out: Path,
                       settings: EngineSettings) -> Built: ...

    def prepare(self) -> None: ...


def load(name: str) -> Engine:
    """The engine module called `name`, refused with a fix when its package is missing."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}")
    if importlib.util.find_spec(name) is None:
        raise UsageError(f"the site engine '{name}' is not installed",
                         f"install it with pip install 'policygen[{name}]' (./dev does)")
    return importlib.import_module(f"{__name__}.{name}")


def site_name_html(site: LanguageSite) -> str:
    """The site's name as both themes need it: they print `config.site_name` into their
    header and navigation without escaping it. It is the company's name where the policy
    states one (the header says whose policy it is; the page's title follows it as the
    reader scrolls), else the policy's title: the legal team's text, never markup."""
    return html.escape(site.brand.company if site.brand and site.brand.company
                       else site.site_name, quote=True)


def theme_look(settings: EngineSettings) -> dict[str, str]:
    """The theme's own logo and favicon keys, where policygen.yml gives them."""
    look = settings.look_of
    return {**({"logo": f"assets/{look.logo}"} if look.logo else {}),
            **({"favicon": f"assets/{look.favicon}"} if look.favicon else {})}


def extra_look(site: LanguageSite, settings: EngineSettings) -> dict[str, object]:
    """What the shared overrides print of the company (header, footer, 404, <title>): texts
    that they escape, and links from the language's folder, which the theme's `url` filter
    makes relative to each page."""
    brand, home = site.brand, current_url(site.language)
    words = dict(brand.words) if brand else {}
    return {"brand": {"company": brand.company if brand else "",
                      "document_title": brand.document_title if brand else site.site_name,
                      "contact": brand.contact if brand else "",
                      "contact_href": _contact_href(brand.contact) if brand else "",
                      "updated": words.get("updated", "") if brand and brand.updated else "",
                      "words": words,
                      "colour": settings.look_of.brand_colour or "",
                      **{name: relative(home, url) for name, url in (
                          ("current", home), ("archive", archive_url(site.language)),
                          ("feed", feed_path(site.language)))}}}


def _contact_href(contact: str) -> str:
    return contact if contact.startswith(("http://", "https://")) or not contact \
        else "mailto:" + contact


def navigation(site: LanguageSite) -> list[dict[str, str]]:
    """The navigation's entries, their titles HTML as the themes print them."""
    return [{html.escape(page.meta.nav_title or page.title, quote=True): page.path}
            for page in site.pages if page.in_nav]


def override_folders(settings: EngineSettings) -> tuple[Path, ...]:
    """The theme overrides an engine reads, the first that holds a template wins: its own
    folder, then the folder both engines share. Found by the engine rather than through
    symbolic links, which a checkout without them (Windows, git's core.symlinks=false)
    turns into text files holding a path."""
    folders = (settings.overrides, settings.overrides.parent / SHARED_OVERRIDES)
    return tuple(folder.resolve() for folder in folders if folder.is_dir())


def front_matter(values: dict[str, object]) -> str:
    # JSON is valid YAML, and ASCII escapes keep any text from breaking the block.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=True, sort_keys=True)}"
             for key, value in values.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def page_values(site: LanguageSite, page: Page) -> dict[str, object]:
    """The page's metadata as both engines and their theme overrides read it (page.meta):
    links relative to the page, so the site works at any address; `search.exclude` keeps a
    page out of the engine's search index. The title is HTML, as the themes print it (their
    header, <title>, search results); the other values are text, which only our overrides
    print, escaped."""
    meta = page.meta
    return {
        **({"search": {"boost": meta.search_boost}} if meta.searchable else
           {"search": {"exclude": True}}),
        "title": html.escape(meta.title, quote=True),
        "alternates": [{"lang": alt.language, "name": alt.name,
                        "href": relative(page.url, alt.url),
                        "current": alt.language == site.language}
                       for alt in meta.alternates],
        "feed": {"title": meta.feed_title, "href": relative(page.url, meta.feed_url)},
        "scripts": [relative(page.url, script) for script in meta.scripts],
        "document_title": html.escape(meta.document_title or meta.title, quote=True),
        # Printed by the themes' <meta name="description"> unescaped, as the title is.
        "description": html.escape(meta.description or meta.title, quote=True),
        **({"pdf": relative(page.url, meta.pdf_url)} if meta.pdf_url else {}),
    }


def page_source(site: LanguageSite, page: Page) -> str:
    """The page as the engine reads it: Markdown, its metadata as front matter."""
    return front_matter(page_values(site, page)) + page.text()


def page_hash(site: LanguageSite, page: Page) -> str:
    """What the page's source is made of, as a hash, known without reading a body kept in
    the cache: equal hashes, equal sources."""
    front = front_matter(page_values(site, page))
    return hashlib.sha256(f"{front}\0{page.sha256}".encode()).hexdigest()


def write_docs(site: LanguageSite, docs: Path) -> None:
    """Each page as Markdown under `docs`, its metadata as front matter."""
    for page in site.pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_source(site, page), encoding="utf-8")


def search_labels(site: LanguageSite) -> list[dict[str, str]]:
    """What the search results of a page say it is (the policy in force, a version not yet
    in force), by the page's address from the language's home: the search partial hands
    them to assets/javascripts/search-labels.js, which marks each result."""
    home = current_url(site.language)
    return [{"path": relative(home, page.url), "label": page.meta.search_label}
            for page in site.pages if page.meta.searchable and page.meta.search_label]


def languages_home(site: LanguageSite, settings: EngineSettings) -> list[dict[str, object]]:
    """The language switcher of a page without alternates: the 404 page, which a server
    shows at any depth, so its links are absolute on a known host, else relative to where
    the page itself lies."""
    return [{"lang": alt.language, "name": alt.name, "current": alt.language == site.language,
             "href": link(settings.site_url, not_found_url(site.language), alt.url)}
            for alt in settings.languages]
