"""Language tags (BCP 47) and what follows from one: its folder, direction, catalogs, grain.

A policy names its languages by BCP 47 tag in the conventional case, as `<html lang>`,
`hreflang`, the API and the feed write them: `ja`, `en`, `zh-Hans`, `pt-BR`, `es-419`. A tag
is a language (2-3 lowercase letters), optionally a script (4 letters, title case) and
optionally a region (2 uppercase letters or 3 digits), and CLDR (through babel) must know it.

The one mapping from tag to path: **a language's folder is its tag in lowercase** (`zh-Hans`
-> `zh-hans/`, `pt-BR` -> `pt-br/`). BCP 47 tags are case-insensitive, so no two tags of a
policy share a folder, and a folder holds only ASCII letters, digits and hyphens.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers

# language[-Script][-REGION]: the subset of BCP 47 that names a written language for readers.
TAG_PATTERN = r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$"
_TAG = re.compile(TAG_PATTERN)
_ANY_CASE = re.compile(TAG_PATTERN, re.IGNORECASE)

Direction = Literal["ltr", "rtl"]
# How a diff cuts text into the pieces it marks (generator/core/diff.py, compare.js):
#   word       words and punctuation, where words are separated by spaces
#   script     runs of one script (Japanese: kanji, hiragana, katakana, Latin), so a changed
#              particle marks the particle, not the sentence
#   character  one Han character at a time (Chinese writes words of one to three characters
#              with nothing between them); Latin words and digits stay whole
#   phrase     runs of the language's letters between spaces and punctuation (Thai, Lao,
#              Khmer and Burmese put spaces between phrases, not words; finding their words
#              needs a dictionary that the browser and Python do not share)
# (The patterns of each grain are in generator/core/tokens.py.)
Grain = Literal["word", "script", "character", "phrase"]
GRAIN_OF: dict[str, Grain] = {"ja": "script", "zh": "character", "yue": "character",
                              "th": "phrase", "lo": "phrase", "km": "phrase", "my": "phrase"}
DEFAULT_GRAIN: Grain = "word"


def problem(tag: str) -> tuple[str, str] | None:
    """Why `tag` cannot name a language of a policy, with a hint; None when it can."""
    if not _TAG.match(tag):
        if _ANY_CASE.match(tag) and _known(_conventional_case(tag)):
            return (f"language tag '{tag}' is not written in the conventional case",
                    f"write '{_conventional_case(tag)}' (language lowercase, Script in title "
                    "case, REGION uppercase)")
        return (f"'{tag}' is not a language tag",
                "write a BCP 47 tag: a language, optionally a script and a region, e.g. ja, "
                "en, zh-Hans, pt-BR or es-419" + _did_you_mean(tag))
    if not _known(tag):
        return (f"language tag '{tag}' is not known to CLDR, so its dates and names cannot be "
                "written", "use a tag CLDR knows, e.g. ja, en, zh-Hans, pt-BR or es-419"
                + _did_you_mean(tag))
    return None


def folder(tag: str) -> str:
    """The language's folder in every URL and output path: the tag in lowercase."""
    return tag.lower()


@cache
def locale(tag: str) -> Locale:
    """The tag's CLDR locale, for dates, numbers and language names."""
    return Locale.parse(tag, sep="-")


def direction(tag: str) -> Direction:
    """Which way the language's text runs, from CLDR."""
    return "rtl" if locale(tag).character_order == "right-to-left" else "ltr"


def catalog_names(tag: str) -> tuple[str, ...]:
    """Names of the gettext catalogs (`locales/<name>/`) that could serve the tag, most
    specific first: the tag as written, then with its likely script, then the bare language
    (zh-TW -> zh_TW, zh_Hant_TW, zh_Hant, zh; a bare zh is written in Hans)."""
    parsed = locale(tag)
    script = parsed.script or _likely_script(parsed.language)
    names = [tag.replace("-", "_")]
    if script and parsed.territory:
        names.append(f"{parsed.language}_{script}_{parsed.territory}")
    if script:
        names.append(f"{parsed.language}_{script}")
    names.append(parsed.language)
    return tuple(dict.fromkeys(names))


def best_match(tag: str, offered: Iterable[str]) -> str | None:
    """The most specific of `offered` tags that serves `tag` (the same fallbacks as the
    catalogs), e.g. the site engine's interface or search language; None if none does."""
    by_name = {name.replace("-", "_").lower(): name for name in offered}
    for name in catalog_names(tag):
        if name.lower() in by_name:
            return by_name[name.lower()]
    return None


def grain(tag: str) -> Grain:
    """How a diff cuts the language's text into the pieces it marks (see Grain above), by
    the tag's language subtag (as compare.js looks it up)."""
    return GRAIN_OF.get(tag.split("-")[0].lower(), DEFAULT_GRAIN)


# --- internals -------------------------------------------------------------------------------

def _conventional_case(tag: str) -> str:
    parts = tag.split("-")
    return "-".join([parts[0].lower()] + [
        part.title() if len(part) == 4 else part.upper() for part in parts[1:]])


@cache
def _known(tag: str) -> bool:
    """CLDR has the tag's language, and its script and region as written (babel would
    otherwise quietly substitute likely ones: en-ZZ reads as en_US)."""
    try:
        parsed = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    parts = tag.split("-")[1:]
    script = next((part for part in parts if len(part) == 4), None)
    region = next((part for part in parts if len(part) != 4), None)
    return (script is None or parsed.script == script) and \
        (region is None or parsed.territory == region)


def _likely_script(language: str) -> str | None:
    likely = get_global("likely_subtags").get(language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 and len(parts[1]) == 4 else None


@lru_cache(maxsize=1)
def _known_tags() -> tuple[str, ...]:
    return tuple(sorted(name.replace("_", "-") for name in locale_identifiers()))


def _did_you_mean(tag: str) -> str:
    close = difflib.get_close_matches(tag.replace("_", "-"), _known_tags(), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
