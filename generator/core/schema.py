"""JSON Schemas derived from typed, frozen dataclasses: one definition gives the source files'
schemas (source/schema.py) and the published API's (outputs/contract.py)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing

from generator.core.countries import COUNTRIES
from generator.core.facts import EMAIL_PATTERN, PHONE_PATTERN, WEB_PATTERN
from generator.core.model import LANGUAGE_PATTERN, SLUG_PATTERN, Localized
from generator.core.processing import DPV_PATTERN, DURATION_PATTERN

_PATTERNS = {"slug": SLUG_PATTERN, "email": EMAIL_PATTERN, "phone": PHONE_PATTERN,
             "web": WEB_PATTERN,
             "language": LANGUAGE_PATTERN, "sha256": "^[0-9a-f]{64}$",
             "version": r"^1\.\d+\.\d+$", "duration": DURATION_PATTERN, "dpv": DPV_PATTERN}


def _schema(hint: object, meta: typing.Mapping, languages: tuple[str, ...] | None) -> dict:
    """`languages` None describes a published document: one language, every key present."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    described = {"description": meta["doc"]} if "doc" in meta else {}
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in args if a is not type(None))
        # A member left out while absent is never null where it is present.
        if languages is None and not meta.get("omit_when_absent"):
            return {**described, "anyOf": [_schema(hint, {k: v for k, v in meta.items()
                                                         if k != "doc"}, None),
                                           {"type": "null"}]}
        return _schema(hint, meta, languages)
    if hint is Localized:
        if languages is None:
            return _schema(str, meta, None)
        text = _schema(str, {k: v for k, v in meta.items() if k != "doc"}, languages)
        return {**described, "type": "object", "additionalProperties": False,
                "required": list(languages),
                "properties": {code: text for code in languages}}
    if origin is dict:  # a published document's member per language
        return {**described, "type": "object", "propertyNames": {"pattern": LANGUAGE_PATTERN},
                "additionalProperties": _schema(args[1], {k: v for k, v in meta.items()
                                                          if k != "doc"}, None)}
    if origin is tuple:
        return {**described, "type": "array", **({"minItems": 1} if languages else {}),
                "items": _schema(args[0], {k: v for k, v in meta.items() if k != "doc"},
                                 languages)}
    if origin is typing.Literal:
        return {**described, "enum": list(args)}
    if dataclasses.is_dataclass(hint):
        return {**described, **object_schema(hint, languages)}  # type: ignore[arg-type]
    if hint is dt.datetime:  # aware; fractions of a second too, as JavaScript writes them
        return {**described, "type": "string", "format": "date-time",
                "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"}
    if hint is dt.date:
        return {**described, "type": "string", "format": "date",
                "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if hint is bool:
        return {**described, "type": "boolean"}
    if hint is int:
        return {**described, "type": "integer",
                **({"enum": list(meta["choices"])} if "choices" in meta else {}),
                **({"minimum": meta["minimum"]} if "minimum" in meta else {})}
    if "choices" in meta:
        return {**described, "enum": list(meta["choices"])}
    if meta.get("kind") == "country":
        return {**described, "type": "string", "enum": sorted(COUNTRIES)}
    pattern = _PATTERNS.get(meta.get("kind", ""))
    return {**described, "type": "string", "minLength": 1,
            **({"pattern": pattern} if pattern else {})}


def object_schema(cls: type, languages: tuple[str, ...] | None) -> dict:
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    if languages is None:  # a document: open to additive change, every field present
        name = lambda f: f.metadata.get("json", f.name)  # noqa: E731
        return {"type": "object", "required": [name(f) for f in fields
                                                if not f.metadata.get("omit_when_absent")],
                "properties": {name(f): _schema(hints[f.name], f.metadata, None)
                               for f in fields}}
    ways = getattr(cls, "ONE_OF", ())  # at least one of these fields (facts.InquiryDesk)
    return {"type": "object", "additionalProperties": False,
            "required": [f.name for f in fields if f.default is dataclasses.MISSING],
            # Each way names its property where it requires it: Ajv's strict mode refuses a
            # `required` whose subschema does not define the property.
            **({"anyOf": [{"required": [name], "properties": {name: True}} for name in ways]}
               if ways else {}),
            **({"minProperties": 1} if fields and all(
                f.default is not dataclasses.MISSING for f in fields) else {}),
            "properties": {f.name: _schema(hints[f.name], f.metadata, languages)
                           for f in fields}}
