"""The oracle of an imported policy: what a reader sees of the text as it was published,
rendered by a CommonMark + GitHub tables renderer of its own (markdown-it-py with raw HTML
on, as GitHub renders), and what a reader sees of the built page. Neither goes through
policygen's import or its Markdown: the comparison is of headings, tables and words."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

_WORD = re.compile(r"\w+")


@dataclass
class Outline:
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text)
    tables: list[list[str]] = field(default_factory=list)  # each table's header cells
    words: list[str] = field(default_factory=list)

    def relative(self) -> list[tuple[int, str]]:
        """The headings with levels from 1 for the shallowest."""
        top = min((level for level, _ in self.headings), default=1)
        return [(level - top + 1, text) for level, text in self.headings]


class _Reader(HTMLParser):
    """Headings, tables' header cells and words of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outline = Outline()
        self.heading: list[str] | None = None
        self.level = 0
        self.cell: list[str] | None = None
        self.header: list[str] | None = None
        self.skip = 0  # inside a permalink's ¶

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "a" and "headerlink" in classes:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.heading, self.level = [], int(tag[1])
        elif tag == "table":
            self.header = []
            self.outline.tables.append(self.header)
        elif tag == "th":
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "a" and self.skip:
            self.skip -= 1
        elif re.fullmatch(r"h[1-6]", tag) and self.heading is not None:
            self.outline.headings.append((self.level, " ".join("".join(self.heading).split())))
            self.heading = None
        elif tag == "th" and self.cell is not None and self.header is not None:
            self.header.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "thead":
            self.header = None

    def handle_data(self, data):
        if self.skip:
            return
        if self.heading is not None:
            self.heading.append(data)
        if self.cell is not None:
            self.cell.append(data)
        self.outline.words += _WORD.findall(data)


def of_html(html: str) -> Outline:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.outline


def of_markdown(text: str) -> Outline:
    """The published Markdown as GitHub shows it: front matter apart, raw HTML rendered."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[text.find("\n", end + 1) + 1:] if end != -1 else text
    return of_html(MarkdownIt("commonmark", {"html": True}).enable("table").render(text))


def of_page(html: str) -> Outline:
    """The built page's article: the policy's text and what the page adds around it."""
    start = html.index("<article")
    return of_html(html[start:html.index("</article>", start)])


def words_kept_in_order(source: list[str], page: list[str]) -> float:
    """The share of the source's words found in the page in the same order."""
    matcher = difflib.SequenceMatcher(None, source, page, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return kept / len(source) if source else 1.0


def is_subsequence(wanted: list, found: list) -> bool:
    position = iter(found)
    return all(item in position for item in wanted)
