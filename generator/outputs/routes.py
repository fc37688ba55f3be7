"""Where everything the site publishes lives: each page's URL and its source file in the
engine's docs tree, the API's documents, the feeds, the sitemaps.

Like mkdocs' `File._get_url`, a page's source path is derived from its URL in one place, so
pages, API, feed, sitemap and templates ask this module and never spell a path themselves.
Every URL and path here is from the site root, without a leading slash: the site works at
any host and any folder.
"""
from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from generator.core import languages
from generator.core.model import shared_languages

if TYPE_CHECKING:
    from generator.core.model import Timeline, Version

ROOT_INDEX = "index.html"  # the site root: sends a reader to their language
ROOT_NOT_FOUND = "404.html"  # what a server shows for a missing page outside every language
API_ROOT = "api/v1/"
API_INDEX = API_ROOT + "policy.json"
API_CURRENT = API_ROOT + "current.json"  # what an app polls: small whatever the history
SITEMAP_INDEX = "sitemap.xml"


def folder(language: str) -> str:
    """The folder a language's pages and files live in: its tag in lowercase (zh-hans)."""
    return languages.folder(language)


# --- pages: each is a folder holding index.html, written from <folder>/index.md -----------

def current_url(language: str) -> str:
    return f"{folder(language)}/"


def archive_url(language: str) -> str:
    return f"{folder(language)}/versions/"


def version_url(language: str, version_id: str) -> str:
    return f"{folder(language)}/versions/{version_id}/"


def before_correction_url(language: str, version_id: str, number: int) -> str:
    """A corrected version's text as it stood before its correction `number` (1, 2, ...)."""
    return f"{version_url(language, version_id)}before-correction-{number}/"


def correction_url(language: str, version_id: str, number: int) -> str:
    """The redline of a version's correction `number`: what it changed."""
    return f"{version_url(language, version_id)}correction-{number}/"


def changes_url(language: str, version_id: str) -> str:
    """The redline from the version before `version_id` to it."""
    return f"{folder(language)}/changes/{version_id}/"


def compare_url(language: str) -> str:
    return f"{folder(language)}/compare/"


def api_doc_url(language: str) -> str:
    return f"{folder(language)}/api/"


def asset_url(language: str, name: str) -> str:
    """A file of site_overrides/assets/, copied into every language's folder."""
    return f"{folder(language)}/assets/{name}"


def not_found_url(language: str) -> str:
    """The page a server shows for a missing page: not a folder, and reached at any depth."""
    return f"{folder(language)}/404.html"


def has_compare(timeline: Timeline) -> bool:
    """A compare page exists only where there are two versions to compare."""
    return len(timeline.versions) > 1


def has_changes(timeline: Timeline, version: Version, language: str) -> bool:
    """A redline of `version` in `language` exists where it and the version before it are
    both written in that language."""
    previous = timeline.previous(version)
    return previous is not None and language in shared_languages(previous, version)


def page_source(language: str, url: str) -> str:
    """The Markdown file, inside the language's docs folder, that the engine turns into the
    page at `url`: always `<folder>/index.md`, so that every engine gives the same URL and
    resolves relative links in the page against the page's own folder."""
    prefix = current_url(language)
    if not url.startswith(prefix) or not url.endswith("/"):
        raise ValueError(f"{url!r} is not a page of language {language!r}")
    return url[len(prefix):] + "index.md"


# --- files policygen writes itself ------------------------------------------------------

def pdf_path(policy_id: str, version_id: str, language: str) -> str:
    """A version's PDF, beside its page, named so that a downloaded copy says what it is."""
    return f"{version_url(language, version_id)}{policy_id}-{version_id}-{folder(language)}.pdf"


def feed_path(language: str) -> str:
    return f"{folder(language)}/feed.xml"


def sitemap_path(language: str, compressed: bool = False) -> str:
    return f"{folder(language)}/sitemap.xml" + (".gz" if compressed else "")


def document_path(version_id: str, language: str) -> str:
    return f"{API_ROOT}versions/{version_id}/{folder(language)}.json"


def dpv_path(version_id: str, language: str) -> str:
    """The version's notice as DPV JSON-LD, beside its document."""
    return f"{API_ROOT}versions/{version_id}/{folder(language)}.jsonld"


# The @context every DPV notice names (dpv.CONTEXT_REF, relative to dpv_path's folder).
DPV_CONTEXT = f"{API_ROOT}dpv/context.jsonld"


def changes_path(version_id: str, language: str) -> str:
    """The changes from the version before `version_id` to it."""
    return f"{API_ROOT}changes/{version_id}/{folder(language)}.json"


def revision_path(version_id: str, language: str, sha256: str) -> str:
    """Every locked text, by its hash: what a consent record (id, language, sha256) names."""
    # Beside the version's document, at the same depth, so its relative $schema resolves.
    return f"{API_ROOT}versions/{version_id}/{folder(language)}.{sha256}.json"


def store_label_path(version_id: str, name: str) -> str:
    """A version's app store label (PrivacyInfo.xcprivacy, data-safety.csv), beside its
    documents: one per version, in no language (the stores translate their labels)."""
    return f"{API_ROOT}versions/{version_id}/store/{name}"


def schema_path(name: str) -> str:
    return f"{API_ROOT}schema/{name}"


def api_paths() -> dict[str, str]:
    """The API's paths as patterns, for the templates that link to it."""
    return {"index": API_INDEX, "current": API_CURRENT, "versions": f"{API_ROOT}versions/",
            "changes": f"{API_ROOT}changes/", "schema": schema_path(""),
            "document": document_path("{id}", "{lang}"),
            "revision": revision_path("{id}", "{lang}", "{sha}"),
            "dpv": dpv_path("{id}", "{lang}"), "dpv_context": DPV_CONTEXT,
            "feed": feed_path("{lang}"), "openapi": API_ROOT + "openapi.json"}


# --- links --------------------------------------------------------------------------------

def relative(from_url: str, to_url: str) -> str:
    """A link from one page or file to another, both given from the site root; works on any
    host. (By path segments: posixpath.relpath asks the file system for the working
    directory on every call, and a large site makes tens of thousands of links.)"""
    start = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    here = [part for part in start.split("/") if part]
    there = [part for part in to_url.split("/") if part]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    if not parts:
        return "./"
    return "/".join(parts) + ("/" if to_url.endswith("/") else "")


def link(site_url: str | None, from_path: str, to_path: str) -> str:
    """A URL as written in a file at `from_path`: absolute on a known host, else relative."""
    if site_url:
        return site_url + to_path
    return relative(from_path, to_path)
