"""A policy published as HTML read as headings and body blocks in the text format's Markdown,
with the standard library's html.parser: headings (their id kept), paragraphs, lists, tables,
emphasis, links and line breaks kept; the rest reported at its line, its words kept."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from generator.source.imports.text import (
    Body,
    Heading,
    ImportedText,
    Links,
    Report,
    escape,
    escape_line_start,
    image,
    link,
    link_target,
    sections,
)

_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area", "base"}
_SKIPPED = {"head", "script", "style", "template", "noscript", "svg", "button", "form"}
_CONTAINERS = {"html", "body", "div", "section", "article", "main", "header", "footer",
               "aside", "nav", "figure", "figcaption", "details", "summary", "center"}
_BLOCKS = _CONTAINERS | {"p", "ul", "ol", "li", "table", "blockquote", "pre", "hr", "dl",
                         "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}
_EMPHASIS = {"em": "*", "i": "*", "strong": "**", "b": "**"}
_TRANSPARENT = {"span", "font", "small", "abbr", "time", "mark", "u", "cite", "q", "label",
                "sup", "sub", "ins", "del", "s"}


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list = field(default_factory=list)  # _Element or str


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {}, 1)
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        element = _Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        if tag in ("p", "li") and self.open[-1].tag == tag:  # <p> and <li> close themselves
            self.open.pop()
        self.open[-1].children.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.open[-1].children.append(_Element(tag, {k: v or "" for k, v in attrs},
                                               self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(text: str, shown: str, introduction: str, links: Links) -> ImportedText:
    tree = _Tree()
    tree.feed(text)
    tree.close()
    report = Report(shown, text.splitlines())
    reader = _Reader(report, links)
    reader.blocks_of(tree.root)
    title = _title(tree.root)
    return sections(reader.blocks, title, introduction, report)


def text_of(markup: str) -> str:
    """The text an HTML fragment shows (what a Markdown file's raw HTML block says)."""
    tree = _Tree()
    tree.feed(markup)
    tree.close()
    return _text(tree.root)


def _title(root: _Element) -> str | None:
    for child in root.children:
        if isinstance(child, _Element):
            if child.tag == "title":
                return " ".join(_text(child).split()) or None
            if child.tag in ("html", "head"):
                found = _title(child)
                if found:
                    return found
    return None


def _text(element: _Element) -> str:
    return "".join(child if isinstance(child, str) else _text(child)
                   for child in element.children
                   if isinstance(child, str) or child.tag not in _SKIPPED)


class _Reader:
    def __init__(self, report: Report, links: Links) -> None:
        self.report, self.links = report, links
        self.blocks: list[Heading | Body] = []

    def blocks_of(self, element: _Element) -> None:
        """The blocks of a container; inline content between them becomes paragraphs."""
        run: list = []
        for child in element.children + [None]:
            if child is None or (isinstance(child, _Element) and child.tag in _BLOCKS):
                if run:
                    text = self.inline(run, element.line).strip()
                    if text:
                        self.blocks.append(Body(escape_line_start(text), element.line))
                    run = []
                if child is not None:
                    self.block(child)
            elif isinstance(child, _Element) and child.tag in _SKIPPED:
                if child.tag != "head" and _text(child).strip():
                    self.report.warn(child.line, f"<{child.tag}> is not kept",
                                     "nothing to do unless readers see its content")
            else:
                run.append(child)

    def block(self, element: _Element) -> None:
        tag, line = element.tag, element.line
        if tag in _CONTAINERS:
            self.blocks_of(element)
        elif re.fullmatch(r"h[1-6]", tag):
            anchor = element.attrs.get("id") or next(
                (child.attrs.get("id") or child.attrs.get("name") for child in element.children
                 if isinstance(child, _Element) and child.tag == "a"
                 and "href" not in child.attrs), None)
            self.blocks.append(Heading(int(tag[1]), " ".join(_text(element).split()),
                                       anchor or None, line))
        elif tag == "p":
            text = self.inline(element.children, line).strip()
            if text:
                self.blocks.append(Body(escape_line_start(text), line))
        elif tag in ("ul", "ol"):
            self.blocks.append(Body(self.items(element), line))
        elif tag == "table":
            self.blocks.append(Body(self.table(element), line))
        elif tag == "hr":
            self.report.warn(line, "a horizontal rule is not kept: the text format has none",
                             "nothing to do unless it separated parts that need headings")
        else:  # blockquote, pre, dl: their text as paragraphs
            self.report.warn(line, f"<{tag}> is kept as plain paragraphs: the text format "
                             "has no such block", "check that the text still reads as meant")
            self.blocks_of(element)

    def items(self, element: _Element, depth: int = 0) -> str:
        ordered = element.tag == "ol"
        number = int(element.attrs.get("start", "1") or 1) if ordered else 1
        items = []
        for child in element.children:
            if not isinstance(child, _Element) or child.tag != "li":
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1
            inline = [c for c in child.children
                      if not (isinstance(c, _Element) and c.tag in ("ul", "ol"))]
            text = escape_line_start(self.inline(inline, child.line).strip())
            nested = [self.items(c, depth + 1) for c in child.children
                      if isinstance(c, _Element) and c.tag in ("ul", "ol")]
            lines = "\n".join([text, *nested]).split("\n")
            items.append(marker + lines[0] + "".join(
                "\n" + " " * len(marker) + line for line in lines[1:]))
        return "\n".join(items)

    def table(self, element: _Element) -> str:
        rows: list[tuple[bool, list[str]]] = []
        aligns: list[str] = []

        def walk(node: _Element) -> None:
            for child in node.children:
                if not isinstance(child, _Element):
                    continue
                if child.tag == "tr":
                    cells = [c for c in child.children
                             if isinstance(c, _Element) and c.tag in ("th", "td")]
                    if any(c.attrs.get("colspan", "1") not in ("", "1") or
                           c.attrs.get("rowspan", "1") not in ("", "1") for c in cells):
                        self.report.warn(child.line, "a cell spanning columns or rows is "
                                         "kept as one cell", "check the table's layout")
                    rows.append((all(c.tag == "th" for c in cells),
                                 [" ".join(self.inline(c.children, c.line, True).split())
                                  for c in cells]))
                    if len(rows) == 1:
                        aligns.extend(c.attrs.get("align", "") or
                                      c.attrs.get("style", "").replace("text-align:", "")
                                      .strip(" ;") for c in cells)
                elif child.tag in ("thead", "tbody", "tfoot"):
                    walk(child)
                elif child.tag == "caption":
                    self.report.warn(child.line, "a table's caption is not kept",
                                     "write it as a paragraph before the table")

        walk(element)
        if not rows:
            return ""
        if not rows[0][0]:
            self.report.warn(element.line, "the table has no header row: its first row is "
                             "made the header", "mark the header cells <th>")
        width = max(len(cells) for _, cells in rows)
        written = [f"| {' | '.join(cells + [''] * (width - len(cells)))} |" for _, cells in rows]
        rule = {"left": ":---", "center": ":---:", "right": "---:"}
        aligns += [""] * (width - len(aligns))
        written.insert(1, "|" + "|".join(rule.get(a, "---") for a in aligns[:width]) + "|")
        return "\n".join(written)

    def inline(self, nodes: list, line: int, in_table: bool = False) -> str:
        out = []
        for node in nodes:
            if isinstance(node, str):
                self.report.liquid(line, node)
                out.append(escape(re.sub(r"\s+", " ", node), in_table))
                continue
            tag = node.tag
            if tag == "br":
                out.append(" " if in_table else "\n")
            elif tag in _EMPHASIS:
                inner = self.inline(node.children, node.line, in_table)
                mark = _EMPHASIS[tag]
                out.append(f"{mark}{inner.strip()}{mark}" if inner.strip() else inner)
            elif tag == "a":
                inner = self.inline(node.children, node.line, in_table)
                href = node.attrs.get("href")
                target = link_target(href, node.line, self.report, self.links) if href else None
                out.append(link(inner, target) if target else inner)
            elif tag == "img":
                out.append(image(node.attrs.get("src", ""), node.attrs.get("alt", ""),
                                 node.line, self.report, self.links, in_table))
            elif tag in _SKIPPED:
                continue
            else:
                if tag not in _TRANSPARENT or tag in ("sup", "sub", "del", "s", "ins", "u"):
                    self.report.warn(node.line, f"<{tag}> is not kept: its text is",
                                     "check that the text still reads as meant", f"<{tag}")
                out.append(self.inline(node.children, node.line, in_table))
        return "".join(out)
