"""The API's documents as typed data: one definition gives the JSON, its JSON Schema and the
tables of members on the "API for apps" page.

Each document is a frozen dataclass; each field is a member, with its meaning in `doc` (the
schema says it in English; the members the API page tabulates are marked N_ for the catalogs,
and the page shows them translated) and, as in model.py, a `kind` that adds a pattern ("slug",
"language", "sha256", "version"). A field whose JSON name is not a Python name (`from`) gives
it as `json`. Types map to JSON as they read:
`str`, `int`, `bool`, `dt.date` (ISO 8601), `dt.datetime` (RFC 3339, aware), `X | None`,
`tuple[X, ...]` (an array), `dict[str, X]` (an object keyed by language tag), `Literal[...]`
(an enum), a dataclass (an object).

To add a member: add a field (with its doc) to the dataclass here, and give its value where
the document is built (api.py; the constructor refuses to run without it). The schema, the
page's table and the JSON follow. Within v1 members are only ever added, never changed.
Then run the README's pybabel commands, so the new doc can be translated.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from generator.core import processing_changes
from generator.core.diff import FieldChange, SectionChange
from generator.core.i18n import N_
from generator.core.model import Facts, Labels, Localized, Section
from generator.core.processing import Processing
from generator.core.schema import object_schema


def doc(text: str, **more: object) -> dict:
    return {"doc": text, **more}


# --- the index: api/v1/policy.json ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PolicyIdentity:
    id: str = field(metadata=doc(N_("The policy's id."), kind="slug"))
    title: dict[str, str] = field(metadata=doc(N_("The policy's title, per language.")))
    enactment_date: dt.date = field(metadata=doc(N_("The day the policy was first enacted.")))


@dataclass(frozen=True, slots=True)
class PdfLink:
    url: str = field(metadata=doc(N_("The PDF file."), kind="url"))
    sha256: str = field(metadata=doc(N_("Its SHA-256."), kind="sha256"))
    bytes: int = field(metadata=doc(N_("Its size in bytes."), minimum=1))


@dataclass(frozen=True, slots=True)
class DpvLink:
    url: str = field(metadata=doc(N_("The JSON-LD document."), kind="url"))
    sha256: str = field(metadata=doc(N_("Its SHA-256."), kind="sha256"))
    bytes: int = field(metadata=doc(N_("Its size in bytes."), minimum=1))


@dataclass(frozen=True, slots=True)
class DocumentLinks:
    html: str = field(metadata=doc(N_("The version's page."), kind="url"))
    json: str = field(metadata=doc(N_("The version document."), kind="url"))
    sha256: str = field(metadata=doc(
        N_("SHA-256 of the version document's exact bytes: what a consent record stores."),
        kind="sha256"))
    bytes: int = field(metadata=doc(N_("Size of the version document in bytes."), minimum=1))
    by_hash: str = field(metadata=doc(N_(
        "The same bytes at a URL named by their SHA-256, which never changes: what a consent "
        "record points to."), kind="url"))
    dpv: DpvLink = field(metadata=doc(N_(
        "The same version as linked data: a privacy notice in the W3C Data Privacy Vocabulary "
        "(DPV), JSON-LD made from the version document, with its purposes, personal data, "
        "legal bases, recipients, retention and transfers where the version states them.")))
    pdf: PdfLink | None = field(default=None, metadata=doc(N_(
        "The version as a PDF to keep (its footer gives the text's SHA-256); null where the "
        "build made none.")))


@dataclass(frozen=True, slots=True)
class ChangesLinks:
    html: str = field(metadata=doc(N_("The redline page."), kind="url"))
    json: str = field(metadata=doc(N_("The changes document."), kind="url"))


@dataclass(frozen=True, slots=True)
class ReplacedText:
    json: str = field(metadata=doc(N_("The text as it stood before, still published."),
                                   kind="url"))
    sha256: str = field(metadata=doc(N_("Its SHA-256."), kind="sha256"))
    html: str = field(metadata=doc(N_("The page showing the text as it stood before."),
                                   kind="url"))
    changes: str = field(metadata=doc(N_("The redline of what the correction changed."),
                                      kind="url"))


@dataclass(frozen=True, slots=True)
class CorrectionEntry:
    date: dt.date = field(metadata=doc(N_("The day the correction was made.")))
    reason: dict[str, str] = field(metadata=doc(N_("What was corrected and why.")))
    replaced: dict[str, ReplacedText] = field(metadata=doc(
        N_("The text each language had before, where the correction changed it.")))
    reconsent_required: bool = field(default=False, metadata=doc(N_(
        "Whether consent to the text before the correction must be given again: false, "
        "since a change that needs new consent is a new version.")))


@dataclass(frozen=True, slots=True)
class PostponementEntry:
    from_: dt.date | None = field(metadata=doc(
        N_("The effective date before the postponement; null where the lock does not record "
           "it."), json="from"))
    to: dt.date | None = field(metadata=doc(
        N_("The effective date after it; null where the lock does not record it.")))
    date: dt.date = field(metadata=doc(N_("The day the postponement was decided.")))
    reason: dict[str, str] = field(metadata=doc(N_("Why, for readers.")))


@dataclass(frozen=True, slots=True)
class WithdrawalEntry:
    date: dt.date = field(metadata=doc(N_("The day the withdrawal was decided.")))
    reason: dict[str, str] = field(metadata=doc(N_("Why, for readers.")))


@dataclass(frozen=True, slots=True)
class VersionEntry:
    id: str = field(metadata=doc(N_("The version's id."), kind="slug"))
    sequence: int = field(metadata=doc(N_(
        "Its place in effective order, from 1: a later version has a greater number."),
        minimum=1))
    effective_date: dt.date = field(metadata=doc(
        N_("The day it takes effect, from midnight in the policy's time zone.")))
    effective_at: dt.datetime = field(metadata=doc(
        N_("The instant it takes effect (RFC 3339, with the time zone's offset).")))
    status: Literal["superseded", "current", "upcoming", "withdrawn"] = field(metadata=doc(
        N_("Its state on the day of the build.")))
    draft: bool = field(metadata=doc(N_("True only in a preview built with drafts.")))
    reconsent_required: bool = field(metadata=doc(
        N_("Whether users must consent again to this version.")))
    previous: str | None = field(metadata=doc(N_("Id of the version before it, or null.")))
    languages: tuple[str, ...] = field(metadata=doc(
        N_("The languages it is published in: a language added to the policy later may be "
           "missing from the versions published before."), kind="language"))
    summary: dict[str, str | None] = field(metadata=doc(N_("What changed, for readers.")))
    documents: dict[str, DocumentLinks] = field(metadata=doc(
        N_("The version's page and document, per language.")))
    changes: dict[str, ChangesLinks] | None = field(metadata=doc(
        N_("The redline from the previous version, per language; null for the first.")))
    corrections: tuple[CorrectionEntry, ...] = field(metadata=doc(
        N_("Recorded corrections of this published text, oldest first.")))
    announced: dt.date | None = field(default=None, metadata=doc(
        N_("The day it was announced (first locked before it took effect), or null.")))
    reconsent_not_required_because: dict[str, str] | None = field(default=None, metadata=doc(
        N_("Why users need not consent again although the version widens the processing, "
           "per language; null where it states no such reason.")))
    postponements: tuple[PostponementEntry, ...] = field(default=(), metadata=doc(
        N_("Postponements of its effective date before it took effect, oldest first.")))
    withdrawal: WithdrawalEntry | None = field(default=None, metadata=doc(
        N_("Its withdrawal before it took effect (status withdrawn: it never takes "
           "effect), or null.")))


@dataclass(frozen=True, slots=True)
class Index:
    """Which version is in force, which is announced, and where every version's documents
    are, with their SHA-256."""

    schema_version: str = field(metadata=doc(N_("Version of this contract (semver, 1.x.y)."),
                                             kind="version"))
    policy: PolicyIdentity = field(metadata=doc(N_("The policy.")))
    languages: tuple[str, ...] = field(metadata=doc(N_("The languages published."),
                                                    kind="language"))
    authoritative_language: str = field(metadata=doc(N_("The language whose text prevails."),
                                                     kind="language"))
    as_of: dt.date = field(metadata=doc(N_("The day the build describes.")))
    timezone: str = field(metadata=doc(
        N_("The IANA time zone in which effective dates begin, e.g. Asia/Tokyo.")))
    current: str | None = field(metadata=doc(
        N_("Id of the version in force on that day, or null.")))
    upcoming: str | None = field(metadata=doc(N_("Id of the next announced version, or null.")))
    versions: tuple[VersionEntry, ...] = field(metadata=doc(
        N_("Every published version, oldest first.")))
    feeds: dict[str, str] = field(metadata=doc(
        N_("An Atom feed per language of every version: announced, in force, superseded or "
           "withdrawn."), kind="url"))
    compare: dict[str, str] | None = field(metadata=doc(
        N_("The page that compares any two versions, per language; null with one version."),
        kind="url"))
    current_document: str = field(metadata=doc(N_("The small document to poll: current.json."),
                                               kind="url"))


# --- what apps poll: api/v1/current.json ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Announced:
    id: str = field(metadata=doc(N_("The version's id."), kind="slug"))
    sequence: int = field(metadata=doc(N_(
        "Its place in effective order, from 1: a later version has a greater number."),
        minimum=1))
    effective_date: dt.date = field(metadata=doc(
        N_("The day it takes effect, from midnight in the policy's time zone.")))
    effective_at: dt.datetime = field(metadata=doc(
        N_("The instant it takes effect (RFC 3339, with the time zone's offset).")))
    reconsent_required: bool = field(metadata=doc(
        N_("Whether users must consent again to this version.")))
    draft: bool = field(metadata=doc(N_("True only in a preview built with drafts.")))


@dataclass(frozen=True, slots=True)
class Texts(Announced):
    """An announced version's members, plus where its texts are and what they hash to."""

    document: str = field(metadata=doc(
        N_("URL template (RFC 6570) of its version document: replace {lang} with a "
           "language's folder, its tag in lowercase (ja, zh-hans)."), kind="url"))
    sha256: dict[str, str] = field(metadata=doc(
        N_("SHA-256 of that document, per language."), kind="sha256"))
    by_hash: str = field(metadata=doc(N_(
        "URL template of the same document named by its hash, which never changes: replace "
        "{lang} as above and {sha256} with the language's SHA-256."), kind="url"))


@dataclass(frozen=True, slots=True)
class Upcoming(Texts):
    """A version's texts, plus the date it was first announced for."""

    postponed_from: dt.date | None = field(metadata=doc(
        N_("The effective date first announced, where it was postponed since; else null.")))


@dataclass(frozen=True, slots=True)
class InForce(Texts):
    """A version's texts, plus the version it followed."""

    previous: str | None = field(metadata=doc(N_("Id of the version before it, or null.")))


@dataclass(frozen=True, slots=True)
class Current:
    """What an app polls: the version in force, with the SHA-256 of its document per
    language, and the announced version. Its size does not grow with the history."""

    schema_version: str = field(metadata=doc(N_("As in the index."), kind="version"))
    as_of: dt.date = field(metadata=doc(N_("The day the build describes.")))
    timezone: str = field(metadata=doc(N_("As in the index.")))
    authoritative_language: str = field(metadata=doc(N_("As in the index."), kind="language"))
    current: InForce | None = field(metadata=doc(N_("The version in force, or null.")))
    upcoming: Upcoming | None = field(metadata=doc(
        N_("The next announced version, or null.")))
    valid_until: dt.datetime | None = field(metadata=doc(
        N_("Until when this answer holds: the instant the next announced version takes "
           "effect, or null while none is announced.")))
    index: str = field(metadata=doc(N_("The URL of the index."), kind="url"))


# --- version documents: api/v1/versions/<id>/<lang>.json ------------------------------------
# Their bytes are written by documents.py (canonical, cached per section); these types
# describe them, and a test holds the two together.

@dataclass(frozen=True, slots=True)
class PolicyAbout:
    id: str = field(metadata=doc("The policy's id.", kind="slug"))
    title: str = field(metadata=doc("The title this version goes by: its own where it "
                                    "states one, else the policy's."))
    authoritative_language: str = field(metadata=doc("The language whose text prevails.",
                                                     kind="language"))
    enactment_date: dt.date = field(metadata=doc("The day the policy was first enacted."))


@dataclass(frozen=True, slots=True)
class VersionAbout:
    id: str = field(metadata=doc("The version's id.", kind="slug"))
    effective_date: dt.date = field(metadata=doc("The day it takes effect."))
    reconsent_required: bool = field(metadata=doc(
        "Whether users must consent again to this version."))
    summary: str | None = field(metadata=doc("What changed, for readers."))
    reconsent_not_required_because: str | None = field(default=None, metadata=doc(
        "Why users need not consent again although the version widens the processing (a new "
        "purpose, recipient or transfer, or data kept longer); absent where nothing needs "
        "saying.", omit_when_absent=True))


@dataclass(frozen=True, slots=True)
class PublishedSection(Section):
    text: str | None = field(default=None, metadata=doc("The body as read: Markdown "
                                                           "removed."))


@dataclass(frozen=True, slots=True)
class VersionDocument:
    """One version of the policy in one language: content only, serialized in RFC 8785
    form; its SHA-256 is published in the index."""

    language: str = field(metadata=doc("The document's language.", kind="language"))
    policy: PolicyAbout = field(metadata=doc("The policy."))
    version: VersionAbout = field(metadata=doc("The version."))
    facts: Facts = field(metadata=doc(
        "The facts the policy states, as of this version: the company's name, and only those "
        "other facts it states (an absent fact is left out, never null)."))
    sections: tuple[PublishedSection, ...] = field(metadata=doc(
        "The sections, in reading order."))
    labels: Labels | None = field(default=None, metadata=doc(
        "The wording of field names in structured blocks that this version states itself; "
        "absent where it words none (readers then see the site's own wording).",
        omit_when_absent=True))
    processing: Processing | None = field(default=None, metadata=doc(
        "What this version states is done with personal data, as data: categories, "
        "purposes (with their legal basis), recipients, retention, transfers abroad, sources "
        "and the data subject's rights, each by a stable id; the same as its DPV JSON-LD "
        "document. Absent where the version states none.", omit_when_absent=True))
    untranslated: tuple[str, ...] | None = field(default=None, metadata=doc(
        "The parts (as the lock names them: section:<id>, facts, labels, version, policy) "
        "of a draft that have no text in this language yet, where the authoritative text "
        "stands in; absent in every complete document, and so in every published one.",
        omit_when_absent=True))


# --- changes documents: api/v1/changes/<id>/<lang>.json -------------------------------------

@dataclass(frozen=True, slots=True)
class NamedFieldChange(FieldChange):
    name: str = field(default="", metadata=doc("The field's name in the document's "
                                                  "language."))


@dataclass(frozen=True, slots=True)
class PublishedSectionChange(SectionChange):
    fields: tuple[NamedFieldChange, ...]  # redeclared: each carries its name here
    retitled: bool = field(default=False, metadata=doc("Whether its title changed."))
    translation_stale: bool = field(default=False, metadata=doc(
        "True when the authoritative text of this section changed and this translation did "
        "not (never in the authoritative language)."))


@dataclass(frozen=True, slots=True)
class ProcessingChange:
    """One structured change (generator/core/processing_changes.py)."""

    list_: str = field(metadata=doc(
        "The list the item is in.", json="list", choices=tuple(processing_changes.KINDS)))
    item: str = field(metadata=doc(
        "The item's id; a transfer without one by its country, a retention by the "
        "categories (else purposes) it covers, joined by commas."))
    name: str | None = field(metadata=doc("The item's name in the document's language."))
    change: Literal["added", "removed", "changed"] = field(metadata=doc(
        "Whether the item was added, removed, or one of its fields changed."))
    text: str = field(metadata=doc("The change as a sentence in the document's language."))
    field_: str | None = field(default=None, metadata=doc(
        "For a change: the changed field (legal_basis, country, period...).", json="field",
        omit_when_absent=True))
    old: str | None = field(default=None, metadata=doc(
        "For a change of a value: the earlier value.", omit_when_absent=True))
    new: str | None = field(default=None, metadata=doc(
        "For a change of a value: the later value.", omit_when_absent=True))
    added: tuple[str, ...] = field(default=(), metadata=doc(
        "For a change of a list of ids: the ids it gained.", omit_when_absent=True))
    removed: tuple[str, ...] = field(default=(), metadata=doc(
        "For a change of a list of ids: the ids it lost.", omit_when_absent=True))
    direction: Literal["longer", "shorter"] | None = field(default=None, metadata=doc(
        "For a retention period: whether data is now kept longer or shorter.",
        omit_when_absent=True))


@dataclass(frozen=True, slots=True)
class ChangesDocument:
    """What changed from one version to the next, in one language."""

    language: str = field(metadata=doc("The document's language.", kind="language"))
    from_: str = field(metadata=doc("Id of the earlier version.", kind="slug", json="from"))
    to: str = field(metadata=doc("Id of the later version.", kind="slug"))
    summary: str | None = field(metadata=doc("The later version's summary of changes."))
    unchanged: bool = field(metadata=doc("True when nothing changed."))
    sections: tuple[PublishedSectionChange, ...] = field(metadata=doc(
        "Every section of either version, in the later version's order."))
    facts: tuple[NamedFieldChange, ...] = field(metadata=doc("Changed facts and labels."))
    processing: tuple[ProcessingChange, ...] = field(default=(), metadata=doc(
        "What changed in the structured processing, by meaning: items added or removed, "
        "and each changed field of an item, in the order categories, purposes, recipients, "
        "retention, transfers, sources, rights."))


# --- what an app stores when a user consents: never published, only its schema -------------

@dataclass(frozen=True, slots=True)
class NoticeReference:
    """The notice the user was shown, as a consent record of ISO/IEC TS 27560 refers to it:
    for tools that read those records without knowing this API."""

    notice_id: str = field(metadata=doc(
        "The notice's permanent identifier: the text's hash-named URL.", kind="url"))
    notice_version: str = field(metadata=doc("The version's id.", kind="slug"))
    notice_language: str = field(metadata=doc("The language the notice was shown in.",
                                              kind="language"))
    notice_hash: str = field(metadata=doc("SHA-256 of the text shown.", kind="sha256"))
    notice_presented_at: dt.datetime = field(metadata=doc(
        "When the notice was shown to the user."))


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """What an app stores when a user consents to a version of the policy: enough to show
    them the exact text later, and to decide whether they must be asked again. Apps add
    members of their own (a user id, a record id): the schema is open."""

    policy: str = field(metadata=doc("The policy's id, policy.id in the index.", kind="slug"))
    version: str = field(metadata=doc("The version's id.", kind="slug"))
    sequence: int = field(metadata=doc("The version's sequence.", minimum=1))
    language: str = field(metadata=doc("The language of the text the user read.",
                                       kind="language"))
    sha256: str = field(metadata=doc("SHA-256 of that text's exact bytes.", kind="sha256"))
    url: str = field(metadata=doc("The text's hash-named URL (by_hash), which never changes.",
                                  kind="url"))
    consented_at: dt.datetime = field(metadata=doc("When the user consented."))
    notice: NoticeReference = field(metadata=doc("The same text, as ISO/IEC TS 27560 names a "
                                                 "notice."))


# Published file name -> (title, definition).
DOCUMENTS: dict[str, tuple[str, type]] = {
    "index.schema.json": ("policygen policy index", Index),
    "current.schema.json": ("policygen current version", Current),
    "version.schema.json": ("policygen version document", VersionDocument),
    "changes.schema.json": ("policygen changes document", ChangesDocument),
    "consent-record.schema.json": ("policygen consent record", ConsentRecord),
}


# --- one definition, three renderings -------------------------------------------------------

def json_name(member: dataclasses.Field) -> str:
    return member.metadata.get("json", member.name)


def to_data(value: object) -> object:
    """A document as JSON data: members in declaration order, dates in ISO 8601, instants
    in RFC 3339 to the second."""
    # mypy takes a class for unhashable (python/mypy#11470): it is hashable
    if (names := _json_names(type(value))) is not None:  # type: ignore[arg-type]
        return {key: to_data(getattr(value, name)) for key, name in names}
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {key: to_data(item) for key, item in value.items()}
    return value


@cache
def _json_names(cls: type) -> tuple[tuple[str, str], ...] | None:
    """Each member's JSON name and field name, for a document's class; else None. Asked once
    per class, not once per value: the index has thousands."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple((json_name(f), f.name) for f in dataclasses.fields(cls))


def document(schema_ref: str, value: object) -> dict:
    """A document as published: its schema named first, then its members."""
    data = to_data(value)
    assert isinstance(data, dict)
    return {"$schema": schema_ref, **data}


def _optional(hint: object) -> tuple[object, bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        if type(None) in args:
            return next(a for a in args if a is not type(None)), True
    return hint, False


@dataclass(frozen=True, slots=True)
class Member:
    """A row of the API page's table: where a member is, its JSON type and its meaning."""

    path: str  # e.g. "versions[].documents.<lang>.sha256"
    type: str  # JSON's words: string, integer, boolean, array, object; "| null" if nullable
    doc: str  # the English source text; the page translates it


def members(cls: type, prefix: str = "") -> list[Member]:
    """Every member of a document, depth first, in declaration order. Arrays read `[]` and
    objects keyed by language `.<lang>`; the type is that of the value the path reaches."""
    rows: list[Member] = []
    hints = typing.get_type_hints(cls)
    for member in dataclasses.fields(cls):
        path = prefix + json_name(member)
        hint, nullable = _optional(hints[member.name])
        while typing.get_origin(hint) in (tuple, dict):
            array = typing.get_origin(hint) is tuple
            path += "[]" if array else ".<lang>"
            hint, inner_nullable = _optional(typing.get_args(hint)[0 if array else 1])
            nullable = nullable or inner_nullable
        rows.append(Member(path, _json_type(hint) + (" | null" if nullable else ""),
                           member.metadata.get("doc", "")))
        if dataclasses.is_dataclass(hint) and hint is not Localized:  # Localized: one text
            rows += members(hint, path + ".")  # type: ignore[arg-type]
    return rows


def _json_type(hint: object) -> str:
    if dataclasses.is_dataclass(hint) and hint is not Localized:
        return "object"
    if hint is bool:
        return "boolean"
    if hint is int:
        return "integer"
    return "string"


DRAFT = "https://json-schema.org/draft/2020-12/schema"


def api_schemas(base: str = "") -> dict[str, dict]:
    """File name -> schema of each JSON document the site publishes under api/v1/, from its
    typed definition in contract.py. `base` is the schemas' folder URL where the site has one:
    each `$id` is its file's URL, or else its file name, which a validator resolves against
    where it read the schema (the site works at any host).

    They are open (no additionalProperties: false) because v1 grows only by adding members,
    and a client validating with this schema must keep working when one is added."""
    schemas = {}
    for name, (title, cls) in DOCUMENTS.items():
        body = object_schema(cls, None)
        body["properties"] = {"$schema": {"type": "string"}, **body["properties"]}
        schemas[name] = {"$schema": DRAFT, "$id": base + name, "title": title,
                         "description": " ".join((cls.__doc__ or "").split()), **body}
    return schemas
