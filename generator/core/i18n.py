"""Languages, dates and interface strings, all through babel and gettext as designed.

Catalogs are compiled from the committed .po files in memory on every build, so a stale .mo
can never show an old string and nothing compiled needs to be committed. They are read once,
at the edge (the build, the CLI), and passed in: pages, feeds and the API never open a file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from generator.core import languages

DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for the catalogs; it is translated where it is shown."""
    return message


def locale(language: str) -> Locale:
    return languages.locale(language)


@lru_cache(maxsize=8192)
def format_date(date: dt.date, language: str) -> str:
    """A date as the language writes it: 2018年7月6日, July 6, 2018."""
    return babel_format_date(date, "long", locale=locale(language))


def file_size(size: int, language: str) -> str:
    """A file's size in kilobytes: the number as the language writes it, then the SI symbol
    kB in every language (CLDR's own units differ by language: 415 KB in Japanese, 415 ko in
    French, so that one site named one size three ways), kept on the number's line."""
    return f"{format_decimal(max(1, round(size / 1000)), locale=locale(language))}\u00a0kB"


@lru_cache(maxsize=4096)  # every page names every language: asked 10,000 times at 50x10
def language_name(language: str, in_language: str | None = None) -> str:
    """The language's name, by default in itself and capitalized (日本語, Français), for a
    switcher; named in another language, as that language writes it inside a sentence
    ("Texte qui fait foi : japonais", "The Japanese text")."""
    name = locale(language).get_display_name(locale(in_language or language)) or language
    return name if in_language else name[:1].upper() + name[1:]


def catalog_path(locales_dir: Path, language: str) -> Path:
    """The most specific catalog that serves the language (zh-TW: zh_TW, else zh_Hant...),
    else where its own would be."""
    paths = [locales_dir / name / "LC_MESSAGES" / f"{DOMAIN}.po"
             for name in languages.catalog_names(language)]
    return next((path for path in paths if path.is_file()), paths[0])


Catalogs = Mapping[str, NullTranslations]  # language -> its interface strings


def read_catalog(locales_dir: Path, language: str) -> NullTranslations:
    """The language's catalog; the source strings (English) where it has none."""
    path = catalog_path(locales_dir, language)
    if not path.is_file():
        return _NO_CATALOG
    return _compiled(path.read_bytes())


_NO_CATALOG = NullTranslations()


@lru_cache(maxsize=64)
def _compiled(po: bytes) -> Translations:
    """A catalog's .po text, compiled: once per process for the same text, so that serve's
    rebuilds find the same catalog (and the templates' environments made for it)."""
    compiled = io.BytesIO()
    write_mo(compiled, read_po(io.BytesIO(po)))
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def read_catalogs(locales_dir: Path, languages: tuple[str, ...]) -> dict[str, NullTranslations]:
    return {language: read_catalog(locales_dir, language) for language in languages}


@lru_cache(maxsize=64)  # by the catalog object: read once per process (_compiled)
def digest(catalog: NullTranslations) -> str:
    """The SHA-256 of a catalog's strings (its header, and so its plural rule, included):
    what a result made with the catalog is keyed by (the PDFs', the pages' and the changes
    documents' keys all name it)."""
    strings = getattr(catalog, "_catalog", {})  # gettext's own table of a read catalog
    return hashlib.sha256(repr(sorted(map(repr, strings.items()))).encode("utf-8")).hexdigest()
