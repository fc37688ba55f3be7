"""Reading built pages as a reader or a crawler would: visible text, links, attributes."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._article = 0
        self._skipping: list[str] = []  # open tags whose text readers do not see as text

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "article":
            self._article += 1
        if tag in ("script", "style") or (tag == "a" and ("class", "headerlink") in attrs):
            self._skipping.append(tag)
        if tag in ("p", "li", "br", "h1", "h2", "h3", "tr", "div"):
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if self._article and not self._skipping:
            self.text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def normalize(text: str) -> str:
    return re.sub(r"[\s\u3000]+", " ", text).strip()


def article_text(path: Path) -> str:
    """The page's main text, whitespace folded as a browser shows it."""
    return normalize("".join(parse(path).text).replace("¶", ""))


def tags(path: Path, name: str) -> list[dict[str, str]]:
    return [attrs for tag, attrs in parse(path).tags if tag == name]


def html_lang(path: Path) -> str:
    return tags(path, "html")[0]["lang"]
