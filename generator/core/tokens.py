"""What the diff compares: the tokens of a text, at a grain that suits its language.

The rules are data, defined once here: character classes as code point ranges and, per grain,
a pattern over those classes. Python compiles them for `diff.py`; the compare page hands the
same data to `compare.js`, which compiles it for the browser. So the two can never disagree on
what a word or a space is (they once did: JavaScript's `\\s` matches U+FEFF, Python's does not).

Whitespace is Unicode's White_Space property and nothing else: the no-break space (U+00A0)
and the ideographic full-width space (U+3000) are spaces; U+FEFF (a zero-width format
character, not White_Space) is not, so a stray byte order mark shows as a change, never hides
as one. A word character is what Python's `re` calls one (`\\w`: letters, digits, numbers,
underscore), enumerated as ranges so that JavaScript matches exactly the same characters.

The pattern dialect is what Python's `re` and ECMAScript's `u`-mode regular expressions read
alike: literal characters, `(?:...)`, `|`, `+`, `*`, bracketed sets and `.`, which matches any
character (both sides compile with dotall). `{name}` stands for the ranges of a class.

To add a grain: add its classes and pattern below and map its languages in
languages.GRAIN_OF; the compare page carries the change to the browser, and
tests/diff_vectors.json should gain a vector for it (both pytest and node run them).
"""
from __future__ import annotations

import array
import re
from functools import cache, lru_cache

from generator.core import languages

Ranges = tuple[tuple[int, int], ...]

WHITESPACE: Ranges = ((0x09, 0x0D), (0x20, 0x20), (0x85, 0x85), (0xA0, 0xA0),
                      (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F),
                      (0x205F, 0x205F), (0x3000, 0x3000))
SPACE_CHARACTERS = "".join(chr(c) for low, high in WHITESPACE for c in range(low, high + 1))

_JAPANESE: dict[str, Ranges] = {
    "kanji": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (ord("々"), ord("々")),
              (ord("〆"), ord("〆")), (ord("ヶ"), ord("ヶ"))),
    "hiragana": ((0x3041, 0x309F),),
    "katakana": ((0x30A0, 0x30FF), (0x31F0, 0x31FF), (ord("ー"), ord("ー"))),
    "latin": ((ord("0"), ord("9")), (ord("A"), ord("Z")), (ord("a"), ord("z")),
              (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)),
}

# Where words are not spaced (generator/core/languages.py says which language gets which grain).
_UNSPACED: dict[str, Ranges] = {
    # Han ideographs (unified, extensions A to H, compatibility), for Chinese one by one.
    "han": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2EBEF),
            (0x2F800, 0x2FA1F), (0x30000, 0x323AF), (ord("〇"), ord("〇"))),
    # Thai, Lao, Myanmar and Khmer letters with their vowel and tone marks: a run of them is
    # a phrase, never cut between a letter and its marks.
    "southeast_asian": ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF),
                        (0x19E0, 0x19FF), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
}

GRAINS = {
    # Words where words are spaced: a word keeps its apostrophes (don't, company’s).
    "word": "[{space}]+|[{word}]+(?:['’][{word}]+)*|[^{word}{space}]",
    # Runs of one script where words are not spaced, so a changed particle marks the
    # particle, not the sentence; Latin runs keep their apostrophes and dots (goalous.com).
    "script": "[{space}]+|[{kanji}]+|[{hiragana}]+|[{katakana}]+"
               "|[{latin}]+(?:['’.][{latin}]+)*|.",
    # Chinese: each Han character (its words are one to three characters, unmarked), Latin
    # runs whole.
    "character": "[{space}]+|[{han}]|[{latin}]+(?:['’.][{latin}]+)*|.",
    # Thai, Lao, Khmer, Burmese: runs of their letters, i.e. the phrases between spaces.
    "phrase": "[{space}]+|[{southeast_asian}]+|[{latin}]+(?:['’.][{latin}]+)*|.",
}
# By primary language subtag, as languages.py decides; every other language is spaced.
GRAIN_OF = languages.GRAIN_OF
DEFAULT_GRAIN = languages.DEFAULT_GRAIN


@lru_cache(maxsize=1)
def classes() -> dict[str, Ranges]:
    """Every character class the grains name, as inclusive code point ranges."""
    return {"space": WHITESPACE, "word": _word_ranges(), **_JAPANESE, **_UNSPACED}


def _word_ranges() -> Ranges:
    # Python's \w matches nothing above plane 3 (planes 4-16 hold only tags, variation
    # selectors and private use), so planes 0-3 are enough and take a twentieth of the time.
    code_points = array.array("I", range(0x40000))
    text = (code_points[:0xD800].tobytes().decode("utf-32-le") +
            code_points[0xE000:].tobytes().decode("utf-32-le"))
    return tuple((ord(run[0]), ord(run[-1])) for run in re.findall(r"\w+", text))


def grain(language: str) -> str:
    return languages.grain(language)


def pattern(grain_name: str, escape_range, below: int = 0x110000) -> str:
    """A grain's pattern with each class written out by `escape_range(low, high)`, keeping
    only its characters below `below`."""
    source = GRAINS[grain_name]
    for name, ranges in classes().items():
        source = source.replace("{" + name + "}", "".join(escape_range(lo, min(hi, below - 1))
                                                          for lo, hi in ranges if lo < below))
    return source


def _python_range(low: int, high: int) -> str:
    return f"\\U{low:08x}" + (f"-\\U{high:08x}" if high > low else "")


@cache
def _compiled(grain_name: str, below: int = 0x110000) -> re.Pattern[str]:
    return re.compile(pattern(grain_name, _python_range, below), re.S)


_SPACE_RUN = re.compile("[" + "".join(_python_range(lo, hi) for lo, hi in WHITESPACE) + "]+")
_ABOVE_BMP = re.compile("[\\U00010000-\\U0010ffff]")


def tokens(text: str, language: str) -> list[str]:
    # Python's re looks a character up in a table for a class's ranges below U+10000, but
    # tries its ranges above one by one: the hundreds of word ranges of planes 1 to 3 made
    # every space and mark of a text cost hundreds of comparisons. Classes cut at U+10000
    # match exactly the same characters of a text that has none above, as nearly all do.
    below = 0x10000 if _ABOVE_BMP.search(text) is None else 0x110000
    return _compiled(grain(language), below).findall(text)


def fold_space(text: str) -> str:
    """The text with each run of whitespace made one space, and none at either end."""
    return _SPACE_RUN.sub(" ", text).strip(SPACE_CHARACTERS)


def browser_rules() -> dict:
    """The rules as JSON data, for compare.js."""
    return {"classes": {name: [list(r) for r in ranges] for name, ranges in classes().items()},
            "grains": GRAINS, "grainOf": GRAIN_OF, "defaultGrain": DEFAULT_GRAIN}
