"""The small, safe Markdown subset of section text: paragraphs, lists, emphasis, links.

CommonMark (markdown-it-py) with raw HTML off, so `<script>` is shown as text, and with every
construct outside the subset switched off, so it reads as the literal text the legal team
typed. Links are limited to the schemes a policy needs; validation names any other.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_OFF = ["code", "fence", "blockquote", "hr", "reference", "html_block", "heading", "lheading",
        "backticks", "image", "html_inline"]


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    allowed: bool


def link_allowed(href: str) -> bool:
    target = href.strip()
    if target.startswith("#"):
        return True  # a section of the same page
    scheme = urlsplit(target).scheme.lower()
    return scheme in ALLOWED_SCHEMES


@lru_cache(maxsize=2)
def _parser(strict: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False,
                                   "typographer": False})
    md.disable(_OFF)
    md.validateLink = link_allowed if strict else (lambda href: True)  # type: ignore
    return md


# Texts repeat across versions (most sections are unchanged from one version to the next),
# so each function parses a given text once: with 200 versions this is most of the work.
@lru_cache(maxsize=32768)
def to_html(text: str) -> str:
    """The subset rendered as HTML: only safe tags, only allowed link schemes."""
    return _parser(strict=True).render(text)


@lru_cache(maxsize=32768)
def links(text: str) -> tuple[Link, ...]:
    """Every link the text asks for, including those rendering refuses."""
    found = []
    for token in _parser(strict=False).parse(text):
        for child in token.children or ():
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                found.append(Link(href, link_allowed(href)))
    return tuple(found)


@lru_cache(maxsize=32768)
def plain_text(text: str) -> str:
    """The words a reader sees, without Markdown syntax (for diffs and comparisons)."""
    parts: list[str] = []
    for token in _parser(strict=True).parse(text):
        if token.type in ("paragraph_close", "list_item_close"):
            parts.append("\n")
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
    return "".join(parts).strip()
