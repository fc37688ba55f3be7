"""JSON Schemas of the source files, derived from the model, for editors' YAML language server.

The schema names the policy's own languages, so an editor completes `ja:` and `en:` under
every translated text and flags a missing translation while the legal team types.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing

from .model import (EMAIL_PATTERN, LANGUAGE_PATTERN, PHONE_PATTERN, SLUG_PATTERN, Localized,
                    PolicyInfo, Version)

_PATTERNS = {"slug": SLUG_PATTERN, "email": EMAIL_PATTERN, "phone": PHONE_PATTERN,
             "language": LANGUAGE_PATTERN}


def _schema(hint: object, meta: typing.Mapping, languages: tuple[str, ...] | None) -> dict:
    """`languages` None describes a published document: one language, every key present."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    described = {"description": meta["doc"]} if "doc" in meta else {}
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in args if a is not type(None))
        if languages is None:
            return {**described, "anyOf": [_schema(hint, {k: v for k, v in meta.items()
                                                         if k != "doc"}, None),
                                           {"type": "null"}]}
        return _schema(hint, meta, languages)
    if hint is Localized and languages is None:
        return _schema(str, meta, None)
    if hint is Localized:
        text = _schema(str, {k: v for k, v in meta.items() if k != "doc"}, languages)
        return {**described, "type": "object", "additionalProperties": False,
                "required": list(languages),
                "properties": {code: text for code in languages}}
    if origin is tuple:
        return {**described, "type": "array", **({"minItems": 1} if languages else {}),
                "items": _schema(args[0], {k: v for k, v in meta.items() if k != "doc"},
                                 languages)}
    if origin is typing.Literal:
        return {**described, "enum": list(args)}
    if dataclasses.is_dataclass(hint):
        return {**described, **object_schema(hint, languages)}  # type: ignore[arg-type]
    if hint is dt.date:
        return {**described, "type": "string", "format": "date",
                "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if hint is bool:
        return {**described, "type": "boolean"}
    if hint is int:
        return {**described, "type": "integer",
                **({"enum": list(meta["choices"])} if "choices" in meta else {})}
    if "choices" in meta:
        return {**described, "enum": list(meta["choices"])}
    pattern = _PATTERNS.get(meta.get("kind", ""))
    return {**described, "type": "string", "minLength": 1,
            **({"pattern": pattern} if pattern else {})}


def object_schema(cls: type, languages: tuple[str, ...] | None) -> dict:
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    if languages is None:  # a document: open to additive change, every field present
        return {"type": "object", "required": [f.name for f in fields
                                                if not f.metadata.get("omit_when_absent")],
                "properties": {f.name: _schema(hints[f.name], f.metadata, None)
                               for f in fields}}
    return {"type": "object", "additionalProperties": False,
            "required": [f.name for f in fields if f.default is dataclasses.MISSING],
            "properties": {f.name: _schema(hints[f.name], f.metadata, languages)
                           for f in fields}}


def source_schemas(languages: tuple[str, ...]) -> dict[str, str]:
    """File name -> schema text, for policy.yaml and the version files."""
    documents = {
        "policy.schema.json": ("policygen policy file", PolicyInfo),
        "version.schema.json": ("policygen version file", Version),
    }
    return {name: json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                              "title": title, **object_schema(cls, languages)},
                             ensure_ascii=False, indent=2) + "\n"
            for name, (title, cls) in documents.items()}


# --- the published API's documents ---------------------------------------------------------

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_URL = {"type": "string", "minLength": 1, "description": "Absolute when the site has a "
        "site_url, else relative to the document that holds it."}
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}


def _per_language(value: dict) -> dict:
    return {"type": "object", "propertyNames": {"pattern": LANGUAGE_PATTERN},
            "additionalProperties": value}


def api_schemas() -> dict[str, dict]:
    """File name -> schema of each JSON document the site publishes under api/v1/.

    They are open (no additionalProperties: false) because v1 grows only by adding members,
    and a client validating with this schema must keep working when one is added."""
    from .diff import FieldChange, SectionChange
    from .model import Facts, Labels, Section

    section = object_schema(Section, None)
    section["required"].append("text")
    section["properties"]["text"] = {"anyOf": [{"type": "string"}, {"type": "null"}],
                                     "description": "The body as read: Markdown removed."}
    version = {
        "$schema": DRAFT, "title": "policygen version document",
        "description": "One version of the policy in one language: content only, serialized "
                       "in RFC 8785 form; its SHA-256 is published in the index.",
        "type": "object",
        "required": ["language", "policy", "version", "facts", "labels", "sections"],
        "properties": {
            "$schema": {"type": "string"},
            "language": {"type": "string", "pattern": LANGUAGE_PATTERN},
            "policy": {"type": "object",
                       "required": ["id", "title", "authoritative_language", "enactment_date"],
                       "properties": {"id": {"type": "string", "pattern": SLUG_PATTERN},
                                      "title": {"type": "string"},
                                      "authoritative_language": {"type": "string"},
                                      "enactment_date": _DATE}},
            "version": {"type": "object",
                        "required": ["id", "effective_date", "reconsent_required", "summary"],
                        "properties": {"id": {"type": "string", "pattern": SLUG_PATTERN},
                                       "effective_date": _DATE,
                                       "reconsent_required": {"type": "boolean"},
                                       "summary": {"type": ["string", "null"]}}},
            "facts": object_schema(Facts, None),
            "labels": object_schema(Labels, None),
            "sections": {"type": "array", "items": section},
        }}
    change = object_schema(SectionChange, None)
    change["required"].append("retitled")
    change["properties"]["retitled"] = {"type": "boolean"}
    field = object_schema(FieldChange, None)
    field["properties"]["name"] = {"type": "string",
                                   "description": "The field's name in the document's language."}
    change["properties"]["fields"]["items"] = field
    changes = {
        "$schema": DRAFT, "title": "policygen changes document",
        "description": "What changed from one version to the next, in one language.",
        "type": "object",
        "required": ["language", "from", "to", "summary", "unchanged", "sections", "facts"],
        "properties": {
            "$schema": {"type": "string"},
            "language": {"type": "string", "pattern": LANGUAGE_PATTERN},
            "from": {"type": "string", "pattern": SLUG_PATTERN},
            "to": {"type": "string", "pattern": SLUG_PATTERN},
            "summary": {"type": ["string", "null"]},
            "unchanged": {"type": "boolean"},
            "sections": {"type": "array", "items": change},
            "facts": {"type": "array", "items": field},
        }}
    link_pair = {"type": "object", "required": ["html", "json"],
                 "properties": {"html": _URL, "json": _URL}}
    index = {
        "$schema": DRAFT, "title": "policygen policy index",
        "description": "Which version is in force, which is announced, and where every "
                       "version's documents are, with their SHA-256.",
        "type": "object",
        "required": ["schema_version", "policy", "languages", "authoritative_language",
                     "as_of", "current", "upcoming", "versions", "feeds", "current_document"],
        "properties": {
            "$schema": {"type": "string"},
            "schema_version": {"type": "string", "pattern": r"^1\.\d+\.\d+$"},
            "policy": {"type": "object", "required": ["id", "title", "enactment_date"],
                       "properties": {"id": {"type": "string"},
                                      "title": _per_language({"type": "string"}),
                                      "enactment_date": _DATE}},
            "languages": {"type": "array", "minItems": 1,
                          "items": {"type": "string", "pattern": LANGUAGE_PATTERN}},
            "authoritative_language": {"type": "string", "pattern": LANGUAGE_PATTERN},
            "as_of": {**_DATE, "description": "The day the build describes."},
            "current": {"type": ["string", "null"]},
            "upcoming": {"type": ["string", "null"],
                         "description": "The next announced version, if any."},
            "versions": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "effective_date", "status", "draft", "reconsent_required",
                             "previous", "summary", "documents", "changes", "corrections"],
                "properties": {
                    "id": {"type": "string", "pattern": SLUG_PATTERN},
                    "effective_date": _DATE,
                    "status": {"enum": ["superseded", "current", "upcoming"]},
                    "draft": {"type": "boolean"},
                    "reconsent_required": {"type": "boolean"},
                    "previous": {"type": ["string", "null"]},
                    "summary": _per_language({"type": ["string", "null"]}),
                    "documents": _per_language({
                        "type": "object", "required": ["html", "json", "sha256", "bytes"],
                        "properties": {"html": _URL, "json": _URL, "sha256": _SHA256,
                                       "bytes": {"type": "integer", "minimum": 1}}}),
                    "changes": {"anyOf": [{"type": "null"}, _per_language(link_pair)]},
                    "corrections": {"type": "array", "items": {
                        "type": "object", "required": ["date", "reason", "replaced"],
                        "description": "Recorded corrections of this published text, "
                                       "oldest first, with the texts each replaced.",
                        "properties": {
                            "date": _DATE,
                            "reason": _per_language({"type": "string"}),
                            "replaced": _per_language({
                                "type": "object", "required": ["json", "sha256"],
                                "properties": {"json": _URL, "sha256": _SHA256}})}}},
                }}},
            "feeds": _per_language(_URL),
            "compare": {"anyOf": [{"type": "null"}, _per_language(_URL)],
                        "description": "The page comparing any two versions; null while "
                                       "there is only one version."},
            "current_document": {**_URL, "description": "The small document to poll: "
                                 "current.json."},
        }}
    announced = {"id": {"type": "string", "pattern": SLUG_PATTERN}, "effective_date": _DATE,
                 "reconsent_required": {"type": "boolean"},
                 "draft": {"type": "boolean", "description": "true only in a preview built "
                           "with drafts: never a published text"}}
    current = {
        "$schema": DRAFT, "title": "policygen current version",
        "description": "What an app polls: the version in force, with the SHA-256 of its "
                       "document per language, and the announced version. Its size does not "
                       "grow with the history.",
        "type": "object",
        "required": ["schema_version", "as_of", "current", "upcoming", "index"],
        "properties": {
            "$schema": {"type": "string"},
            "schema_version": {"type": "string", "pattern": r"^1\.\d+\.\d+$"},
            "as_of": {**_DATE, "description": "The day the build describes."},
            "current": {"anyOf": [{"type": "null"}, {
                "type": "object",
                "required": [*announced, "document", "sha256"],
                "properties": {
                    **announced,
                    "document": {**_URL, "description": "URL template (RFC 6570) of the "
                                 "version document: replace {lang} with a language's folder, its tag in "
                                 "lowercase (ja, zh-hans)."},
                    "sha256": _per_language(_SHA256)}}]},
            "upcoming": {"anyOf": [{"type": "null"}, {
                "type": "object", "required": list(announced), "properties": announced}]},
            "index": {**_URL, "description": "The index: every version, its documents and "
                      "hashes."},
        }}
    return {"index.schema.json": index, "version.schema.json": version,
            "changes.schema.json": changes, "current.schema.json": current}
