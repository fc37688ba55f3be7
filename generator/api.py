"""The static JSON API under api/v1/: the index, the version and changes documents, their
schemas, and the Atom feeds. A pure function of the model: path -> bytes.

URLs in the index are absolute when the site has a site_url and relative to the index
otherwise, so `urljoin(index_url, link)` always works. Version documents hold no URL at all.
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path

from . import diff, documents, feed, i18n, pages
from .model import Policy, Timeline, Version
from .schema import api_schemas

SCHEMA_VERSION = "1.0.0"  # semver of the API: within v1, members are only ever added
ROOT = "api/v1/"
INDEX = ROOT + "policy.json"


def document_path(version_id: str, language: str) -> str:
    return f"{ROOT}versions/{version_id}/{language}.json"


def changes_path(version_id: str, language: str) -> str:
    """The changes from the version before `version_id` to it."""
    return f"{ROOT}changes/{version_id}/{language}.json"


def schema_path(name: str) -> str:
    return f"{ROOT}schema/{name}"


def paths() -> dict[str, str]:
    """The API's paths from the site root, for the pages that link to it."""
    return {"index": INDEX, "versions": f"{ROOT}versions/",
            "document": ROOT + "versions/{id}/{lang}.json", "schema": f"{ROOT}schema/",
            "feed": "{lang}/feed.xml"}


@dataclass(frozen=True, slots=True)
class Outputs:
    """What the build computes once and both the pages and the API use."""

    documents: dict[tuple[str, str], documents.Document]  # (version id, language)
    changes: dict[tuple[str, str], diff.VersionDiff]  # (new version id, language)


def compute(policy: Policy, timeline: Timeline) -> Outputs:
    docs, changes = {}, {}
    previous: Version | None = None
    for version in timeline.versions:
        for language in policy.info.languages:
            docs[version.id, language] = documents.version_document(policy.info, version,
                                                                     language)
            if previous is not None:
                changes[version.id, language] = diff.compare(previous, version, language)
        previous = version
    return Outputs(docs, changes)


def link(site_url: str | None, from_path: str, to_path: str) -> str:
    """A URL as written in a document at `from_path`: absolute on a known host, else relative."""
    if site_url:
        return site_url + to_path
    return pages.relative(from_path, to_path) if to_path.endswith("/") else \
        posixpath.relpath(to_path, posixpath.dirname(from_path))


def publish(policy: Policy, timeline: Timeline, outputs: Outputs, site_url: str | None,
            locales_dir: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for (version_id, language), document in outputs.documents.items():
        files[document_path(version_id, language)] = document.content
    for (version_id, language), change in outputs.changes.items():
        gettext = i18n.translations(locales_dir, language).gettext
        data = {"$schema": "../../schema/changes.schema.json",
                **diff.to_json(change, gettext)}
        files[changes_path(version_id, language)] = _json(data)
    for name, schema in api_schemas().items():
        files[schema_path(name)] = _json(schema)
    files[INDEX] = _json(index(policy, timeline, outputs, site_url))
    for language in policy.info.languages:
        files[feed.path(language)] = feed.atom(policy, timeline, language, site_url,
                                               locales_dir)
    return files


def _json(data: object) -> bytes:
    # Readable and stable; only the version documents need the canonical form.
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def index(policy: Policy, timeline: Timeline, outputs: Outputs, site_url: str | None) -> dict:
    info, languages = policy.info, policy.info.languages
    to = lambda path: link(site_url, INDEX, path)  # noqa: E731
    versions = []
    previous: Version | None = None
    for version in timeline.versions:
        versions.append({
            "id": version.id,
            "effective_date": version.effective_date.isoformat(),
            "status": timeline.state(version),
            "draft": version.status == "draft",
            "reconsent_required": version.reconsent_required,
            "previous": previous.id if previous else None,
            "summary": {code: version.summary[code] if version.summary else None
                        for code in languages},
            "documents": {code: {
                "html": to(pages.version_url(code, version.id)),
                "json": to(document_path(version.id, code)),
                "sha256": outputs.documents[version.id, code].sha256,
                "bytes": len(outputs.documents[version.id, code].content),
            } for code in languages},
            "changes": {code: {"html": to(pages.changes_url(code, version.id)),
                               "json": to(changes_path(version.id, code))}
                        for code in languages} if previous else None,
        })
        previous = version
    return {
        "$schema": "schema/index.schema.json",
        "schema_version": SCHEMA_VERSION,
        "policy": {"id": info.id, "title": {code: info.title[code] for code in languages},
                   "enactment_date": info.enactment_date.isoformat()},
        "languages": list(languages),
        "authoritative_language": info.authoritative_language,
        "as_of": timeline.as_of.isoformat(),
        "current": timeline.current.id if timeline.current else None,
        "upcoming": timeline.upcoming[0].id if timeline.upcoming else None,
        "versions": versions,
        "feeds": {code: to(feed.path(code)) for code in languages},
        "compare": {code: to(pages.compare_url(code)) for code in languages},
    }
