"""The static JSON API under api/v1/: the index, the version and changes documents, their
schemas, its OpenAPI description, the Atom feeds and the hosting headers the API needs, as
path -> bytes. Computed from the model, except the earlier texts of corrected versions, which
are the exact bytes kept in policy_src/published/.

URLs in the index are absolute when the site has a site_url and relative to the index
otherwise, so `urljoin(index_url, link)` always works. Version documents hold no URL at all.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from generator.checks import translations
from generator.core import diff, documents, i18n, instants
from generator.core.model import Policy, Timeline, Version, shared_languages
from generator.outputs import contract, dpv, feed, hosting, openapi, pdf
from generator.outputs.contract import api_schemas
from generator.outputs.routes import (
    API_CURRENT,
    API_INDEX,
    DPV_CONTEXT,
    before_correction_url,
    changes_path,
    changes_url,
    compare_url,
    correction_url,
    document_path,
    dpv_path,
    feed_path,
    has_compare,
    link,
    revision_path,
    schema_path,
    version_url,
)
from generator.record import lock
from generator.runtime.content import Content

SCHEMA_VERSION = "1.0.0"  # semver of the API: within v1, members are only ever added
@dataclass(frozen=True, slots=True)
class Outputs:
    """What the build computes once and both the pages and the API use."""

    documents: dict[tuple[str, str], documents.Document]  # (version id, language)
    changes: Mapping[tuple[str, str], diff.VersionDiff]  # (new version id, language)
    history: dict[str, lock.Entry]  # what the lock records, per version id
    # The exact bytes kept in policy_src/published/, by (version id, language, sha256): the
    # earlier texts of corrected versions, read by the build.
    kept: dict[tuple[str, str, str], bytes] = field(default_factory=dict)
    pdfs: pdf.Pdfs = field(default_factory=lambda: pdf.Pdfs({}))  # (id, language)


@dataclass(frozen=True, slots=True)
class CorrectedText:
    """One recorded correction of a version, with its text before and after, both read from
    the bytes kept in policy_src/published/."""

    number: int  # 1, 2, ... as the version's `corrections` list them
    before: Version
    after: Version
    replaced: dict[str, str]  # language -> sha256 of the text it replaced, where it changed it


def corrected_texts(outputs: Outputs, version_id: str) -> tuple[CorrectedText, ...]:
    """Every recorded correction of a version that changed a text, oldest first."""
    entry = outputs.history.get(version_id)
    revisions = entry.revisions if entry else ()
    found = []
    for before, after in itertools.pairwise(revisions):
        if after.correction is None:
            continue  # a postponement: its earlier text is listed with the postponements
        replaced = {language: old.sha256 for language, old in before.documents.items()
                    if (new := after.documents.get(language)) and new.sha256 != old.sha256}
        if replaced:
            found.append(CorrectedText(after.correction, _kept_version(outputs, version_id,
                                                                       before),
                                       _kept_version(outputs, version_id, after), replaced))
    return tuple(found)


def _kept_version(outputs: Outputs, version_id: str, revision: lock.Revision) -> Version:
    return documents.read_version({
        language: json.loads(outputs.kept[version_id, language, text.sha256])
        for language, text in revision.documents.items()})


def documents_of(policy: Policy, version: Version) -> dict[tuple[str, str], documents.Document]:
    """One version's document in every language, keyed by (version id, language)."""
    return {(version.id, language): document for language, document in
            documents.version_documents(policy.info, version, version.languages()).items()}


def changes_between(policy: Policy, old: Version, new: Version
                    ) -> dict[tuple[str, str], diff.VersionDiff]:
    """What changed from `old` to `new` in every language both are written in, keyed by
    (new id, language)."""
    return {(new.id, language): change for language, change in
            translations.changes_each(policy, old, new, shared_languages(old, new)).items()}



def version_documents(policy: Policy, timeline: Timeline
                      ) -> dict[tuple[str, str], documents.Document]:
    return {key: document for version in timeline.versions
            for key, document in documents_of(policy, version).items()}


def version_changes(policy: Policy, timeline: Timeline
                    ) -> dict[tuple[str, str], diff.VersionDiff]:
    """Each version against the one before it: linear in versions, never every pair."""
    return {key: change for old, new in timeline.pairs()
            for key, change in changes_between(policy, old, new).items()}


def changes_document(change: diff.VersionDiff, catalog) -> bytes:
    """What changed from one version to the next in one language, as the API publishes it."""
    return _json({"$schema": "../../schema/changes.schema.json",
                  **diff.to_json(change, catalog.gettext, section=_section_json)})


# (new version id, language) -> its changes document: bytes, or kept bytes (a Deferred).
ChangesDocument = Callable[[str, str], Content]


def api_files(policy: Policy, timeline: Timeline, outputs: Outputs, site_url: str | None,
            catalogs: i18n.Catalogs, changes_document_of: ChangesDocument | None = None
            ) -> dict[str, Content]:
    """Every file of the API (and the feeds), by path. `changes_document_of` gives each
    changes document, where the build keeps them from one build to the next."""
    files: dict[str, Content] = {}
    for (version_id, language), document in outputs.documents.items():
        files[document_path(version_id, language)] = document.content
        files[revision_path(version_id, language, document.sha256)] = document.content
        files[dpv_path(version_id, language)] = notice(document)
    files[DPV_CONTEXT] = dpv.context_bytes()
    shown = {version.id for version in timeline.versions}
    for version_id, entry in outputs.history.items():
        for revision in entry.revisions if version_id in shown else ():
            for language, text in revision.documents.items():
                files[revision_path(version_id, language, text.sha256)] = \
                    outputs.kept[version_id, language, text.sha256]
    for version_id, language in outputs.changes:
        files[changes_path(version_id, language)] = changes_document_of(
            version_id, language) if changes_document_of else changes_document(
            outputs.changes[version_id, language], catalogs[language])
    for name, schema in api_schemas(site_url + schema_path("") if site_url else "").items():
        files[schema_path(name)] = _json(schema)
    files[API_INDEX] = _json(index(policy, timeline, outputs, site_url))
    files[API_CURRENT] = _json(current(policy, timeline, outputs, site_url))
    files[openapi.OPENAPI_PATH] = _json(openapi.description(
        policy.info.title[policy.info.authoritative_language], site_url))
    for language in policy.info.languages:
        files[feed_path(language)] = feed.atom(policy, timeline, language, site_url,
                                               catalogs[language].gettext, announced(outputs))
    files[hosting.HEADERS_FILE] = hosting.headers_file(files)
    return files


# Compact: smaller to poll, and json's C encoder only runs without indentation. Only the
# version documents need the canonical form.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class _Written(bytes):
    """JSON already written, spliced in as it is."""


def _json(data: object) -> bytes:
    """`data` as compact JSON; a member of it that is a list of `_Written` items is spliced."""
    if not isinstance(data, dict) or not any(map(_spliced, data.values())):
        return (_ENCODER.encode(data) + "\n").encode()
    return b"{" + b",".join(
        _ENCODER.encode(key).encode() + b":" +
        (b"[" + b",".join(value) + b"]" if _spliced(value) else _ENCODER.encode(value).encode())
        for key, value in data.items()) + b"}\n"


def _spliced(value: object) -> bool:
    return isinstance(value, list) and bool(value) and \
        all(isinstance(item, _Written) for item in value)


@lru_cache(maxsize=4096)
def _section_json(change: diff.SectionChange, stale: bool, gettext) -> _Written:
    """A section of a changes document, as JSON. Most sections recur unchanged, at the same
    place, from one document to the next in one language (the next pair's), so each is
    written once; the documents come pair by pair, so a few pairs' sections are enough to
    keep."""
    return _Written(_ENCODER.encode(diff.section_json(change, stale, gettext)).encode())


def notice(document: documents.Document) -> bytes:
    """The version's DPV notice: made once per document and build (the files and the index
    both ask), from its bytes."""
    return _notice(document.content, document.sha256)


@lru_cache(maxsize=1024)
def _notice(content: bytes, sha256: str) -> bytes:
    return dpv.notice(documents.Document("", "", content, sha256, {}))


def _dpv_link(document: documents.Document, to) -> contract.DpvLink:
    made = notice(document)
    return contract.DpvLink(url=to(dpv_path(document.version_id, document.language)),
                            sha256=documents.sha256(made), bytes=len(made))


def _pdf_link(made: pdf.PdfFile | None, to) -> contract.PdfLink | None:
    """The version's PDF in one language, where the build made one (the preview server
    makes none)."""
    if made is None:
        return None
    return contract.PdfLink(url=to(made.path), sha256=made.sha256, bytes=made.size)


def index(policy: Policy, timeline: Timeline, outputs: Outputs, site_url: str | None) -> dict:
    info = policy.info
    to = lambda path: link(site_url, API_INDEX, path)  # noqa: E731
    versions = []
    for sequence, version in enumerate(timeline.versions, 1):
        languages = version.languages()
        previous = timeline.previous(version)
        texts = {text.number: text for text in corrected_texts(outputs, version.id)}
        versions.append(contract.VersionEntry(
            id=version.id,
            sequence=sequence,
            effective_date=version.effective_date,
            effective_at=instants.start_of(version.effective_date, info.timezone),
            status=timeline.state(version),
            draft=version.status == "draft",
            reconsent_required=version.reconsent_required,
            reconsent_not_required_because={
                code: version.reconsent_not_required_because[code] for code in languages}
            if version.reconsent_not_required_because else None,
            previous=previous.id if previous else None,
            languages=languages,
            summary={code: version.summary[code] if version.summary else None
                     for code in languages},
            documents={code: contract.DocumentLinks(
                html=to(version_url(code, version.id)),
                json=to(document_path(version.id, code)),
                sha256=outputs.documents[version.id, code].sha256,
                bytes=len(outputs.documents[version.id, code].content),
                by_hash=to(revision_path(version.id, code,
                                         outputs.documents[version.id, code].sha256)),
                dpv=_dpv_link(outputs.documents[version.id, code], to),
                pdf=_pdf_link(outputs.pdfs.get((version.id, code)), to),
            ) for code in languages},
            changes={code: contract.ChangesLinks(html=to(changes_url(code, version.id)),
                                                 json=to(changes_path(version.id, code)))
                     for code in shared_languages(previous, version)} if previous else None,
            corrections=tuple(contract.CorrectionEntry(
                date=correction.date,
                reason={code: correction.reason[code] for code in languages},
                replaced={code: contract.ReplacedText(
                    json=to(revision_path(version.id, code, sha)), sha256=sha,
                    html=to(before_correction_url(code, version.id, number)),
                    changes=to(correction_url(code, version.id, number)))
                    for code in languages
                    if (sha := texts[number].replaced.get(code) if number in texts else None)},
            ) for number, correction in enumerate(version.corrections, 1)),
            announced=_announced(outputs, version.id),
            postponements=postponements(outputs, version, languages),
            withdrawal=contract.WithdrawalEntry(
                date=version.withdrawal.date,
                reason={code: version.withdrawal.reason[code] for code in languages},
            ) if version.withdrawal else None,
        ))
    return contract.document("schema/index.schema.json", contract.Index(
        schema_version=SCHEMA_VERSION,
        policy=contract.PolicyIdentity(id=info.id,
                                       title={code: info.title[code] for code in info.languages},
                                       enactment_date=info.enactment_date),
        languages=tuple(info.languages),
        authoritative_language=info.authoritative_language,
        as_of=timeline.as_of,
        timezone=info.timezone,
        current=timeline.current.id if timeline.current else None,
        upcoming=timeline.upcoming[0].id if timeline.upcoming else None,
        versions=tuple(versions),
        feeds={code: to(feed_path(code)) for code in info.languages},
        compare={code: to(compare_url(code)) for code in info.languages}
        if has_compare(timeline) else None,
        current_document=to(API_CURRENT),
    ))


def announced(outputs: Outputs) -> dict[str, dt.date]:
    """The day each version was announced, where the lock records it."""
    return {version_id: entry.announced for version_id, entry in outputs.history.items()
            if entry.announced is not None}


def postponements(outputs: Outputs, version: Version, languages: tuple[str, ...]
                  ) -> tuple[contract.PostponementEntry, ...]:
    """A version's postponements, each with the dates the lock records it moved between."""
    entry = outputs.history.get(version.id)
    moved = entry.postponed() if entry else []
    return tuple(contract.PostponementEntry(
        from_=moved[number][0] if number < len(moved) else None,
        to=moved[number][1] if number < len(moved) else None,
        date=step.date, reason={code: step.reason[code] for code in languages},
    ) for number, step in enumerate(version.postponements))


def _announced(outputs: Outputs, version_id: str) -> dt.date | None:
    entry = outputs.history.get(version_id)
    return entry.announced if entry else None


def current(policy: Policy, timeline: Timeline, outputs: Outputs, site_url: str | None) -> dict:
    """The answer to the question apps poll for: which text is in force (its hash per
    language) and what is announced. Its size depends on the languages, never the history
    (about a kilobyte with two): URL templates instead of a URL per language keep it small."""
    to = lambda path: link(site_url, API_CURRENT, path)  # noqa: E731
    in_force, upcoming = timeline.current, timeline.upcoming[0] if timeline.upcoming else None
    zone = policy.info.timezone
    sequence = {version.id: number for number, version in enumerate(timeline.versions, 1)}

    def texts(version: Version) -> dict:
        return {"id": version.id, "sequence": sequence[version.id],
                "effective_date": version.effective_date,
                "effective_at": instants.start_of(version.effective_date, zone),
                "reconsent_required": version.reconsent_required,
                "draft": version.status == "draft",
                "document": to(document_path(version.id, "{lang}")),
                "sha256": {code: outputs.documents[version.id, code].sha256
                           for code in version.languages()},
                "by_hash": to(revision_path(version.id, "{lang}", "{sha256}"))}

    previous = timeline.previous(in_force) if in_force else None
    return contract.document("schema/current.schema.json", contract.Current(
        schema_version=SCHEMA_VERSION,
        as_of=timeline.as_of,
        timezone=zone,
        authoritative_language=policy.info.authoritative_language,
        current=contract.InForce(**texts(in_force), previous=previous.id if previous else None)
        if in_force else None,
        upcoming=contract.Upcoming(**texts(upcoming),
                                   postponed_from=_postponed_from(outputs, upcoming))
        if upcoming else None,
        # Not as_of's midnight after: the answer changes only when a version takes effect.
        valid_until=instants.start_of(upcoming.effective_date, zone) if upcoming else None,
        index=to(API_INDEX),
    ))


def _postponed_from(outputs: Outputs, version: Version) -> dt.date | None:
    entry = outputs.history.get(version.id)
    moved = entry.postponed() if entry and version.postponements else []
    return moved[0][0] if moved else None
