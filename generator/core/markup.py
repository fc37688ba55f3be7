"""The safe Markdown of section text: paragraphs, lists, emphasis, links, hard line breaks and
GitHub's pipe tables.

CommonMark (markdown-it-py) with raw HTML off, so `<script>` can never become markup, and with
the constructs a legal text does not need switched off. What a reader would see as literal
markup (a raw HTML tag, a `###` heading inside a body, an image, code, a quotation, a rule, a
table row with a cell too many or too few) is named by `refusals`, which validation reports
at its line. Links are limited to the schemes a policy needs; a relative link is resolved
against the project's link base (policygen.yml's `link_base`), and refused where there is
none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from markdown_it import MarkdownIt

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_OFF = ["code", "fence", "blockquote", "hr", "reference", "html_block", "heading", "lheading",
        "backticks", "image", "html_inline"]
# In the plain text, each row of a table is a line and each of its cells starts with a tab,
# which no other line of the plain text starts with (Markdown drops a line's leading
# whitespace): so the diff, here and in compare.js, can tell a table's cells from its text.
CELL = "\t"


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    allowed: bool  # a scheme a policy may link to, an #anchor, or a relative link
    relative: bool = False
    label: str = ""  # the link's text as a reader sees it


@dataclass(frozen=True, slots=True)
class Refusal:
    """Something in a text that would show as literal markup: where, what, and the fix."""

    source: str  # the text's own words at the place, to find it in the file
    problem: str
    fix: str


def is_relative(href: str) -> bool:
    target = href.strip()
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not target.startswith("#") and \
        bool(target) and not target.startswith("//")


def link_allowed(href: str) -> bool:
    target = href.strip()
    if target.startswith("#") or is_relative(target):
        return True  # a section of the same page; a page under the link base
    scheme = urlsplit(target).scheme.lower()
    return scheme in ALLOWED_SCHEMES


@lru_cache(maxsize=4)
def _parser(strict: bool, probe: bool = False) -> MarkdownIt:
    """The text's parser; the `probe` reads all of CommonMark, raw HTML included, so that
    what it finds beyond the text's parser is refused (all but a reference definition,
    which leaves no token of its own)."""
    md = MarkdownIt("commonmark", {"html": probe, "breaks": True, "linkify": False,
                                   "typographer": False})
    md.enable("table")
    md.disable(["reference"] if probe else _OFF)
    md.validateLink = link_allowed if strict else (lambda href: True)  # type: ignore
    return md


# Texts repeat across versions (most sections are unchanged from one version to the next),
# so each function parses a given text once: with 200 versions this is most of the work.
@lru_cache(maxsize=32768)
def to_html(text: str, link_base: str | None = None) -> str:
    """The text rendered as HTML: only safe tags, only allowed links, relative ones made
    absolute against `link_base` (validation refuses them where there is none)."""
    md = _parser(strict=True)
    tokens = md.parse(text)
    for token in tokens:
        for child in token.children or ():
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if href and link_base and is_relative(href):
                child.attrs["href"] = urljoin(link_base, href)
    return md.renderer.render(tokens, md.options, {})


@lru_cache(maxsize=32768)
def links(text: str) -> tuple[Link, ...]:
    """Every link the text asks for, including those rendering refuses, in reading order."""
    found = []
    for token in _parser(strict=False).parse(text):
        label: list[str] | None = None
        for child in token.children or ():
            if child.type == "link_open":
                href, label = str(child.attrs.get("href", "")), []
            elif child.type == "link_close" and label is not None:
                found.append(Link(href, link_allowed(href), is_relative(href),
                                  "".join(label).strip()))
                label = None
            elif label is not None and child.type in ("text", "code_inline"):
                label.append(child.content)
            elif label is not None and child.type in ("softbreak", "hardbreak"):
                label.append(" ")
    return tuple(found)


def link_as_written(href: str) -> str:
    """A link's target as its author wrote it (the parser percent-encodes it)."""
    return _parser(strict=False).normalizeLinkText(href)


@lru_cache(maxsize=32768)
def plain_text(text: str) -> str:
    """The words a reader sees, without Markdown syntax (for diffs and comparisons); a
    table's rows are lines of CELL-led cells, followed by an empty line."""
    parts: list[str] = []
    in_cell = in_table = False
    for token in _parser(strict=True).parse(text):
        if token.type in ("paragraph_close", "list_item_close", "tr_close", "table_close"):
            parts.append("\n")
        elif token.type in ("th_open", "td_open"):
            parts.append(CELL)
            in_cell = in_table = True
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content.replace(CELL, " ") if in_cell else child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
    # A text without a table as it always was (its published hashes cover this text); in
    # one with a table, only the line ends this adds are stripped, so each cell keeps its CELL.
    return "".join(parts).strip("\n") if in_table else "".join(parts).strip()


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> int:
    """How many cells a table row of the source has (GitHub's rule: outer pipes optional,
    an escaped pipe is text)."""
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return len(_UNESCAPED_PIPE.split(row))


@lru_cache(maxsize=32768)
def refusals(text: str) -> tuple[Refusal, ...]:
    """What in `text` a reader would see as literal markup, or a table would lose."""
    found: list[Refusal] = []
    lines = text.split("\n")
    for token in _parser(strict=True).parse(text) if "|" in text else ():
        if token.type == "table_open" and token.map:
            header = _cells(lines[token.map[0]])
            for number in range(token.map[0] + 2, token.map[1]):
                if lines[number].strip() and _cells(lines[number]) != header:
                    count = _cells(lines[number])
                    found.append(Refusal(
                        lines[number].strip(),
                        f"a table row has {_count(count)} where its header has "
                        f"{_count(header)}",
                        f"give every row {header} cells, e.g. '|  |' for an empty one; write "
                        "a '|' inside a cell as '\\|'"))
    for token in _parser(strict=False, probe=True).parse(text):
        source = "\n".join(lines[token.map[0]:token.map[1]]).strip() if token.map else ""
        if token.type == "heading_open":
            level = int(token.tag[1])
            shown = source.split("\n")[0][:40]
            found.append(Refusal(source, f"a heading ({shown!r}) cannot stand inside a text",
                                 f"make it a section of its own, with its id, its title and "
                                 f"'level: {level}'"))
        elif token.type == "html_block":
            found.append(_html(source))
        elif token.type in _BLOCKS_REFUSED:
            found.append(Refusal(source.split("\n")[0], *_BLOCKS_REFUSED[token.type]))
        for child in token.children or ():
            if child.type == "html_inline":
                found.append(_html(child.content))
            elif child.type == "code_inline":
                found.append(Refusal(child.markup + child.content, "code (`...`) is not "
                                     "supported", "write the words without the backticks"))
            elif child.type == "image":
                found.append(Refusal(
                    "![", "images are not supported",
                    "link to the image instead: [what it shows](https://...)"))
    return tuple(found)


_BLOCKS_REFUSED = {
    "code_block": ("an indented code block is not supported",
                   "remove the indentation of four spaces or more after a blank line"),
    "fence": ("a code block (```) is not supported", "write it as a paragraph, without the "
              "fences"),
    "blockquote_open": ("a quotation ('> ...') is not supported",
                        "write it as a paragraph, in quotation marks"),
    "hr": ("a horizontal rule ('---') is not supported",
           "separate the parts with a blank line, or make each a section of its own"),
}


def _count(cells: int) -> str:
    return f"{cells} cell" + ("" if cells == 1 else "s")


def _html(tag: str) -> Refusal:
    if re.match(r"<br\s*/?>", tag, re.I):
        return Refusal(tag, f"raw HTML ({tag[:40]!r}) is not allowed",
                       "for a line break, end the line with a backslash (\\) or start a new "
                       "line in the text")
    return Refusal(tag.split("\n")[0], f"raw HTML ({tag[:40]!r}) is not allowed",
                   "write it in Markdown: *emphasis*, **strong**, [links](https://...), "
                   "lists, and tables with |")
