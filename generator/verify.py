"""`policygen verify`: the whole record checked, and a built or deployed site checked against it.

The record: the lock's hash chain (read with it), every kept text against its hash, no kept
text the lock does not record, every published version's source against its locked hash. The
site: its index's hashes are the record's, each API document (the latest and the hash-named
copies of earlier texts) and each PDF is the file the index says, and every recorded version is
published. Reading the record and the site is done first; the comparisons are plain functions
of what was read.
"""
from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from generator import build as pipeline
from generator.core import documents
from generator.core.diagnostics import Diagnostic, PolicyError
from generator.outputs import routes
from generator.record import chain, lock
from generator.record import store as lockstore
from generator.source.project import Project
from generator.source.read import display_path

REBUILD = ("the site was not built from this record: build it again (`policygen build`) and "
           "deploy it; if the deployed copy was changed there, find out who changed it")


def record(project: Project) -> tuple[lock.Lock, list[str]]:
    """The record verified: what was checked, one line each; PolicyError with every problem."""
    source = pipeline.read_source(project)  # the lock's chain is checked as it is read
    locked, root = source.locked, project.source
    problems = lockstore.check(source.policy, locked, root, source.locate, every=True)
    if problems:
        raise PolicyError(problems)
    if locked is None:  # nothing is published yet, or lockstore.check would have said so
        return lock.EMPTY, [f"{display_path(root)}: no version is published yet, so the "
                            "record is empty"]
    kept = sum(len(revision.documents) for entry in locked.versions.values()
               for revision in entry.revisions)
    last = locked.steps[-1] if locked.steps else None
    return locked, [
        f"{lockstore.lock_path(root)}: {len(locked.steps)} steps, each following the one "
        "before it" + (f" (the last: {_step(last)})" if last else ""),
        f"{display_path(root / lockstore.PUBLISHED_DIR)}/: {kept} kept texts, each matching "
        "its hash",
        f"{display_path(root / 'versions')}/: {len(locked.versions)} published versions, each "
        "giving its locked text"]


def _step(step: chain.Step) -> str:
    return f"{chain.describe(step.key, step.fields)}, {step.fields.get('date')}"


# --- the site ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Site:
    """What a built or deployed site holds, as read: the index's text and every file's hash
    by its path from the site root (None where the file is missing)."""

    shown: str  # the site folder as the user names it
    index: str | None  # the text of api/v1/policy.json
    current: str | None  # the text of api/v1/current.json
    hashes: dict[str, str | None]


_COPY = re.compile(r"^(?P<language>[^/.]+)\.(?P<sha256>[0-9a-f]{64})\.json$")


def read_site(folder: Path) -> Site:
    """The files of `folder` that the comparison needs: the API and the PDFs the index names."""
    def text(path: str) -> str | None:
        file = folder / path
        return file.read_text(encoding="utf-8") if file.is_file() else None

    index = text(routes.API_INDEX)
    wanted = set(_named(index)) if index else set()
    versions = folder / routes.API_ROOT / "versions"
    wanted |= {path.relative_to(folder).as_posix() for path in versions.glob("*/*.json")}
    hashes = {path: documents.sha256((folder / path).read_bytes())
              if (folder / path).is_file() else None for path in sorted(wanted)}
    return Site(folder.as_posix(), index, text(routes.API_CURRENT), hashes)


def _named(index: str) -> list[str]:
    """Every file the index names (documents, earlier texts, PDFs), from the site root."""
    try:
        data = json.loads(index)
    except json.JSONDecodeError:
        return []
    found = []
    for version in data.get("versions", []):
        for document in version.get("documents", {}).values():
            found.append(_from_api(document.get("json", "")))
            if document.get("pdf"):
                found.append(_from_api(document["pdf"].get("url", "")))
        for correction in version.get("corrections", []):
            found += [_from_api(text.get("json", ""))
                      for text in correction.get("replaced", {}).values()]
    return [path for path in found if path]


def _from_api(url: str) -> str:
    """A URL of the index (relative to it) as a path from the site root; '' outside the site."""
    path = posixpath.normpath(posixpath.join(routes.API_ROOT.rstrip("/"), url))
    return "" if path.startswith("..") or path.startswith("/") or not url else path


def site_problems(site: Site, locked: lock.Lock) -> tuple[list[Diagnostic], list[str]]:
    """Every difference between the site and the record, and what was checked."""
    index_path = f"{site.shown}/{routes.API_INDEX}"
    if site.index is None:
        return [Diagnostic(index_path, 1, 1, f"{site.shown} holds no API index, so it is not "
                           "a site policygen built", "name the folder `policygen build` "
                           "wrote (default: site/), or the deployed copy of it")], []
    index = site.index
    try:
        data = json.loads(index)
    except json.JSONDecodeError as error:
        return [Diagnostic(index_path, error.lineno, error.colno, "the site's API index is "
                           f"damaged: {error.msg}", REBUILD)], []
    problems: list[Diagnostic] = []

    def at(needle: str) -> tuple[int, int]:
        """Where `needle` (or a version's "id" member, given as '"id": "<id>"') is in the
        index, which is written without spaces."""
        found = re.search(re.escape(needle).replace(r'":\ "', r'":\s*"'), index)
        offset = found.start() if found else -1
        if offset < 0:
            return 1, 1
        before = index[:offset]
        return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1

    def file_matches(path: str, sha256: str, what: str) -> None:
        if not path:
            problems.append(Diagnostic(index_path, *at(sha256), f"the index names {what} "
                                       "outside the site", REBUILD))
        elif site.hashes.get(path) is None:
            problems.append(Diagnostic(f"{site.shown}/{path}", 1, 1, f"{what} is missing "
                                       "from the site, which its index lists", REBUILD))
        elif site.hashes[path] != sha256:
            problems.append(Diagnostic(f"{site.shown}/{path}", 1, 1, f"{what} is not the "
                                       f"file the index lists (SHA-256 {sha256[:12]}…): it was "
                                       "altered or cut short", REBUILD))

    published, pdfs = set(), 0
    for version in data.get("versions", []):
        version_id = str(version.get("id"))
        entry = locked.versions.get(version_id)
        if version.get("draft"):
            problems.append(Diagnostic(index_path, *at(f'"id": "{version_id}"'), f"the site "
                                       f"is a preview: version {version_id} is a draft",
                                       "never deploy a build made with --drafts; build the "
                                       "site again without it"))
            continue
        if entry is None:
            problems.append(Diagnostic(index_path, *at(f'"id": "{version_id}"'), f"the site "
                                       f"publishes version {version_id}, which the record "
                                       "does not hold", REBUILD))
            continue
        published.add(version_id)
        for name, day in (("announced", entry.announced),
                          ("effective_date", entry.latest.effective_date)):
            listed = version.get(name)
            if day is not None and listed != day.isoformat():
                problems.append(Diagnostic(index_path, *at(f'"id": "{version_id}"'), f"the "
                                           f"site says version {version_id} was "
                                           f"{name.replace('_date', '').replace('_', ' ')} "
                                           f"{_day(listed)}, but the record says {day}",
                                           REBUILD))
        for language, document in version.get("documents", {}).items():
            sha256 = str(document.get("sha256"))
            what = f"the '{language}' text of version {version_id}"
            latest = entry.latest.documents.get(language)
            if latest is None or sha256 != latest.sha256:
                problems.append(Diagnostic(
                    index_path, *at(sha256), f"the index lists {what} with SHA-256 "
                    f"{sha256[:12]}…, but the record holds "
                    f"{latest.sha256[:12] + '…' if latest else 'no such text'}", REBUILD))
            file_matches(_from_api(str(document.get("json", ""))), sha256, what)
            if document.get("pdf"):
                pdfs += 1
                file_matches(_from_api(str(document["pdf"].get("url", ""))),
                             str(document["pdf"].get("sha256")), f"the PDF of {what}")
        for correction in version.get("corrections", []):
            for language, text in correction.get("replaced", {}).items():
                file_matches(_from_api(str(text.get("json", ""))), str(text.get("sha256")),
                             f"the '{language}' text of version {version_id} before a "
                             "correction")
        for language in entry.latest.documents:
            if language not in version.get("documents", {}):
                problems.append(Diagnostic(index_path, *at(f'"id": "{version_id}"'), f"the "
                                           f"site does not publish the '{language}' text of "
                                           f"version {version_id}, which the record holds",
                                           REBUILD))
    for version_id in locked.versions:
        if version_id not in published and not any(
                v.get("id") == version_id for v in data.get("versions", [])):
            problems.append(Diagnostic(index_path, 1, 1, f"the site does not publish version "
                                       f"{version_id}, which the record holds", REBUILD))
    copies = 0
    for path, digest in site.hashes.items():
        parts = path.split("/")
        match = _COPY.match(parts[-1])
        if len(parts) != 5 or parts[:3] != ["api", "v1", "versions"] or match is None:
            continue
        copies += 1
        version_id, sha256 = parts[3], match["sha256"]
        recorded = {text.sha256 for revision in locked.versions[version_id].revisions
                    for text in revision.documents.values()} \
            if version_id in locked.versions else set()
        if digest is None:
            continue  # listed by the index, said missing above
        if sha256 not in recorded:
            problems.append(Diagnostic(f"{site.shown}/{path}", 1, 1, "the site keeps a text "
                                       f"of version {version_id} under a hash the record does "
                                       "not hold", REBUILD))
        elif digest != sha256:
            problems.append(Diagnostic(f"{site.shown}/{path}", 1, 1, "this earlier text of "
                                       f"version {version_id} does not match the hash it is "
                                       "named by: it was altered or cut short", REBUILD))
    problems += _current_problems(site, locked, data.get("current"))
    documents_checked = sum(len(v.get("documents", {})) for v in data.get("versions", []))
    return problems, [f"{site.shown}/: the index, {documents_checked} API documents, "
                      f"{copies} hash-named copies and {pdfs} PDFs match the record"]


def _day(value: object) -> str:
    return "never" if value is None else str(value)


def _current_problems(site: Site, locked: lock.Lock, current_id: object) -> list[Diagnostic]:
    """current.json, which apps poll, names the hashes of the version in force."""
    if site.current is None or current_id not in locked.versions:
        return []
    shown = f"{site.shown}/{routes.API_CURRENT}"
    try:
        listed = json.loads(site.current).get("current", {}).get("sha256", {})
    except (json.JSONDecodeError, AttributeError):
        return [Diagnostic(shown, 1, 1, "the site's current.json is damaged", REBUILD)]
    latest = locked.versions[str(current_id)].latest.documents
    return [Diagnostic(shown, 1, 1, f"current.json lists the '{language}' text of version "
                       f"{current_id} with SHA-256 {str(sha256)[:12]}…, which is not the "
                       "record's", REBUILD)
            for language, sha256 in listed.items()
            if language not in latest or latest[language].sha256 != sha256]


def verify(project: Project, site: Path | None) -> list[str]:
    """`policygen verify`: what was checked, one line each; PolicyError with every problem."""
    locked, checked = record(project)
    if site is not None:
        problems, site_checked = site_problems(read_site(site), locked)
        if problems:
            raise PolicyError(problems)
        checked += site_checked
    return checked
