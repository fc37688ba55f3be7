"""A version's content in one language as a JSON document, and its canonical bytes.

The document holds content only (no URL, no build time, no publication state), so its
SHA-256 changes exactly when the text a reader consents to changes. It is serialized in the
JSON Canonicalization Scheme (RFC 8785), so anyone can recompute the hash from the parsed
document, in any language, and the lock file (issue 5) compares the same bytes.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import types
import typing
from dataclasses import dataclass
from functools import cache, lru_cache
from json.encoder import encode_basestring as _encode_string

from generator.core import localized, markup
from generator.core.model import Facts, Labels, Localized, PolicyInfo, Section, Version
from generator.core.processing import Processing

# Where a version document finds its schema, relative to the document itself: fixed by the
# API's layout (api/v1/versions/<id>/<lang>.json), never by the host.
VERSION_SCHEMA_REF = "../../schema/version.schema.json"


class Raw(bytes):
    """Canonical JSON already written, spliced in as it is (a cached section)."""


def canonical(value: object) -> bytes:
    """RFC 8785 bytes of a JSON value made of dicts, lists, strings, ints, bools and None.

    Python's json module already writes strings as RFC 8785 asks (only '"', '\\' and control
    characters escaped, lowercase hex); what it lacks is member order by UTF-16 code units and
    a refusal of floats, whose ECMAScript formatting our documents never need. Written as
    UTF-8 bytes piece by piece, so that a document of cached pieces (Raw) is joined once and
    never encoded again as a whole.
    """
    if isinstance(value, Raw):
        return value
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("JSON object keys must be strings")
        # Below U+D800 code point order is UTF-16 order; only other keys need encoding.
        keys = sorted(value) if all(k < "\ud800" for k in value) else \
            sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))
        return b"{" + b",".join(_string(k) + b":" + canonical(value[k]) for k in keys) + b"}"
    if isinstance(value, (list, tuple)):
        return b"[" + b",".join(map(canonical, value)) + b"]"
    if value is None or isinstance(value, bool):
        return json.dumps(value).encode()
    if isinstance(value, int):
        if abs(value) > 2**53 - 1:  # beyond what an IEEE double (JavaScript) holds exactly
            raise ValueError(f"integer {value} is outside the interoperable range")
        return str(value).encode()
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"{type(value).__name__} has no canonical JSON form here")


def _string(text: str) -> bytes:
    # What json.dumps(ensure_ascii=False) calls, minus its setup.
    return _encode_string(text).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    version_id: str
    language: str
    content: bytes  # canonical bytes, exactly as published
    sha256: str  # of `content`: kept, since the lock, the index and the pages all ask for it
    parts: dict[str, str]  # "section:<id>", "facts", ... -> sha256 of that part's canonical form

    @property
    def data(self) -> dict:
        """The document as JSON data, parsed from its bytes: only a lock message needs it,
        so the build and its cache keep the bytes alone (lighter to hold and to unpickle)."""
        return json.loads(self.content)


def localize(value: object, language: str) -> object:
    """A model value as JSON data in one language: texts picked, dates in ISO 8601."""
    if isinstance(value, Localized):
        return value[language]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [localize(item, language) for item in value]
    # mypy takes a class for unhashable (python/mypy#11470): it is hashable
    if (names := _members(type(value))) is not None:  # type: ignore[arg-type]
        # A field added after texts were published is left out while absent, so that
        # their hashes stay as they were.
        return {name: localize(getattr(value, name), language) for name, omit in names
                if not (omit and getattr(value, name) is None)}
    return value


@cache
def _members(cls: type) -> tuple[tuple[str, bool], ...] | None:
    """A dataclass's fields, each with whether it is left out while absent; else None."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple((f.name, bool(f.metadata.get("omit_when_absent")))
                 for f in dataclasses.fields(cls))


# Sections, facts and labels are mostly equal from one version to the next, so each distinct
# one is serialized once per build and language; and looked up once per version, not once per
# language, since its hash and equality walk the texts of every language.
@lru_cache(maxsize=8192)
def _forms(value: Section | Facts | Labels | Processing) -> dict[str, tuple[Raw, str]]:
    """The value's canonical text and its hash, in each language asked for so far."""
    return {}


def _form(value: Section | Facts | Labels | Processing, language: str,
          forms: dict[str, tuple[Raw, str]]) -> tuple[Raw, str]:
    if language not in forms:
        data = localize(value, language)
        if isinstance(value, Section):
            assert isinstance(data, dict)
            # The body as written (Markdown) and as read (plain text, what diffs compare).
            data["text"] = markup.plain_text(data["body"]) if data["body"] is not None else None
        text = Raw(canonical(data))
        forms[language] = text, sha256(text)
    return forms[language]


@lru_cache(maxsize=64)
def _policy(info: PolicyInfo, title: str, language: str) -> tuple[Raw, str]:
    """What a version's document says of the policy, in one language: the same for every
    version that goes by the policy's title."""
    text = Raw(canonical({"id": info.id, "title": title,
                       "authoritative_language": info.authoritative_language,
                       "enactment_date": info.enactment_date.isoformat()}))
    return text, sha256(text)


def version_document(info: PolicyInfo, version: Version, language: str) -> Document:
    return version_documents(info, version, (language,))[language]


def _parts_texts(version: Version, title: Localized) -> dict[str, object]:
    """The texts of each part of a version's document, by the part's name."""
    texts: dict[str, object] = {f"section:{s.id}": s for s in version.sections}
    texts.update(facts=version.facts, labels=version.labels, version=version.summary,
                 policy=title, processing=version.processing)
    return texts


def version_documents(info: PolicyInfo, version: Version, languages: tuple[str, ...]
                      ) -> dict[str, Document]:
    """The version's document in each of `languages`."""
    section_forms = [_forms(section) for section in version.sections]
    facts_forms = _forms(version.facts)
    labels_forms = _forms(version.labels) if version.labels is not None else None
    processing_forms = _forms(version.processing) if version.processing is not None else None
    title = version.policy_title(info)
    # Only a draft may lack a language in places (see Localized.absent).
    texts = _parts_texts(version, title) if version.status == "draft" else {}
    documents = {}
    for language in languages:
        sections = [_form(section, language, forms)
                    for section, forms in zip(version.sections, section_forms, strict=True)]
        facts = _form(version.facts, language, facts_forms)
        policy = _policy(info, title[language], language)
        about = {"id": version.id, "effective_date": version.effective_date.isoformat(),
                 "reconsent_required": version.reconsent_required,
                 "summary": localize(version.summary, language)}
        if version.reconsent_not_required_because is not None:  # absent: hashes as before
            about["reconsent_not_required_because"] = \
                version.reconsent_not_required_because[language]
        data = {"$schema": VERSION_SCHEMA_REF, "language": language, "policy": policy[0],
                "version": about, "facts": facts[0],
                "sections": [text for text, _ in sections]}
        parts = {f"section:{section.id}": digest
                 for section, (_, digest) in zip(version.sections, sections, strict=True)}
        parts.update(version=sha256(canonical(about)), facts=facts[1])
        # Labels a version does not word itself are the catalogs' (presentation): a
        # document holds only those it states, and no member at all where it states none.
        if version.labels is not None and labels_forms is not None:
            labels = _form(version.labels, language, labels_forms)
            data["labels"] = labels[0]
            parts["labels"] = labels[1]
        # What the version states of its processing, as data: part of what a reader consents
        # to, so inside the hashed document; absent where the version states none, which
        # keeps the hashes of documents published before the member existed.
        if version.processing is not None and processing_forms is not None:
            stated = _form(version.processing, language, processing_forms)
            data["processing"] = stated[0]
            parts["processing"] = stated[1]
        parts.update(policy=policy[1], language=sha256(canonical(language)))
        # A draft may lack this language in places: its document says where, never passing
        # for a complete translation.
        lacking = sorted(part for part, value in texts.items()
                         if localized.lacks(value, language))
        if lacking:
            data["untranslated"] = lacking
        content = canonical(data)
        documents[language] = Document(version.id, language, content, sha256(content), parts)
    return documents


def read_version(texts: dict[str, dict]) -> Version:
    """A version as its published documents state it (one per language, of one revision):
    the inverse of `version_document`, so an earlier text is shown from the bytes that were
    published, never from today's source. What documents do not hold (corrections and other
    recorded steps) is left empty."""
    first = next(iter(texts.values()))
    each = lambda pick: {language: pick(data) for language, data in texts.items()}  # noqa: E731
    # The title the document states is kept as the version's own: equal to the policy's
    # or not, it is the one this text was published under.
    return Version(
        id=first["version"]["id"],
        effective_date=dt.date.fromisoformat(first["version"]["effective_date"]),
        status="published",
        reconsent_required=first["version"]["reconsent_required"],
        facts=typing.cast(Facts, _read(Facts, each(lambda data: data["facts"]))),
        labels=typing.cast(Labels, _read(Labels, each(lambda data: data["labels"])))
        if "labels" in first else None,
        title=Localized(tuple((language, data["policy"]["title"])
                              for language, data in texts.items())),
        sections=tuple(typing.cast(Section, _read(Section, each(
                           lambda data, number=number: data["sections"][number])))
                       for number in range(len(first["sections"]))),
        summary=typing.cast(Localized | None, _read(Localized | None, each(
            lambda data: data["version"]["summary"]))),
        reconsent_not_required_because=typing.cast(Localized | None, _read(
            Localized | None, each(lambda data: data["version"].get(
                "reconsent_not_required_because")))),
        processing=typing.cast(Processing, _read(Processing, each(
            lambda data: data["processing"]))) if "processing" in first else None)


def _read(hint: object, values: dict[str, object]) -> object:
    """The model value of type `hint` that `localize` turned into these per-language values."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        if all(value is None for value in values.values()):
            return None
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    first = next(iter(values.values()))
    if hint is Localized:
        return Localized(tuple(typing.cast(dict[str, str], values).items()))
    if hint is dt.date:
        return dt.date.fromisoformat(first)  # type: ignore[arg-type]
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_read(item, {language: value[number]  # type: ignore[index]
                                  for language, value in values.items()})
                     for number in range(len(first)))  # type: ignore[arg-type]
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(**{f.name: _read(hints[f.name], {language: value[f.name]  # type: ignore
                                                     for language, value in values.items()})
                       for f in dataclasses.fields(hint) if f.name in first})  # type: ignore
    return first
