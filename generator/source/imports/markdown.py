"""A policy published as Markdown (CommonMark with GitHub's tables, YAML front matter) read
as headings and body blocks in the text format's Markdown: tables, lists, emphasis and links
kept; whatever the format cannot hold reported at its line, its words kept where it has any."""
from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from generator.source.imports import html
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

_ANCHOR = re.compile(r"\s*\{\s*#([^}\s]+)\s*\}\s*$")  # "## Title {#id}"
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*?)/?\s*>", re.S)
_ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_EMPHASIS = {"em": "*", "i": "*", "strong": "**", "b": "**"}


def parse(text: str, shown: str, introduction: str, links: Links) -> ImportedText:
    lines = text.splitlines()
    report = Report(shown, lines)
    title, text = _front_matter(text, report)
    tree = SyntaxTreeNode(MarkdownIt("commonmark", {"html": True}).enable("table").parse(text))
    blocks: list[Heading | Body] = []
    for node in tree.children:
        line = node.map[0] + 1 if node.map else 1
        if node.type == "heading":
            blocks.append(_heading(node, _Context(report, line, links)))
        else:
            written = _block(node, _Context(report, line, links))
            if written:
                blocks.append(Body(written, line))
    return sections(blocks, title, introduction, report)


def _front_matter(text: str, report: Report) -> tuple[str | None, str]:
    """The front matter's title, and the text with the front matter blanked (so that every
    line keeps its number)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        report.warn(1, "the front matter has no closing '---' line: read as text",
                    "end the front matter with a line '---'")
        return None, text
    try:
        data = YAML(typ="safe", pure=True).load("\n".join(lines[1:end])) or {}
    except YAMLError as error:
        report.warn(1, f"the front matter is not YAML ({str(error).splitlines()[0]}): not "
                    "read", "fix it, or remove it and give the title as the first heading")
        data = {}
    if not isinstance(data, dict):
        data = {}
    for key in data:
        if key != "title":
            number = next((i + 1 for i in range(1, end) if lines[i].startswith(f"{key}:")), 1)
            report.warn(number, f"the front matter's '{key}' is not kept (only its title is)",
                        "put what readers must see in the text", str(key))
    title = data.get("title")
    return (str(title).strip() if title is not None else None,
            "\n" * end + "\n" + "\n".join(lines[end + 1:]))


@dataclass
class _Context:
    report: Report
    line: int
    links: Links
    in_table: bool = False
    anchor: str | None = None  # an <a name> or <a id> met in a heading


def _heading(node: SyntaxTreeNode, context: _Context) -> Heading:
    inline = node.children[0] if node.children else None
    formatted = inline is not None and any(
        child.type in ("em", "strong", "link", "code_inline", "image")
        for child in inline.children)
    _inline(inline.children if inline else [], context)  # reports, finds an <a name>
    text = " ".join(_plain(inline.children if inline else []).split())
    anchor = context.anchor
    match = _ANCHOR.search(text)
    if match:
        text, anchor = text[:match.start()].rstrip(), match.group(1)
    if formatted:
        context.report.warn(context.line, f"the heading '{text}' has emphasis, a link or code: "
                            "a section's title is plain text, and only its words are kept",
                            "move the link or emphasis into the section's text")
    return Heading(int(node.tag[1]), text, anchor, context.line)


def _plain(nodes: list[SyntaxTreeNode]) -> str:
    return "".join(node.content if node.type in ("text", "code_inline") else
                   " " if node.type in ("softbreak", "hardbreak") else _plain(node.children)
                   for node in nodes if node.type != "image")


def _block(node: SyntaxTreeNode, context: _Context) -> str | None:
    report, line = context.report, (node.map[0] + 1 if node.map else context.line)
    context = _Context(report, line, context.links)
    kind = node.type
    if kind == "paragraph":
        return escape_line_start(_inline(node.children[0].children, context))
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, context)
    if kind == "table":
        return _table(node, context)
    if kind == "heading":  # inside a list or a quotation: no section can begin there
        report.warn(line, "a heading inside a list or a quotation is kept as a paragraph in "
                    "bold: a section begins only outside them", "make it a heading of its "
                    "own if it begins a section", node.markup)
        text = _inline(node.children[0].children if node.children else [], context)
        return escape_line_start(f"**{text}**") if text.strip() else None
    if kind == "blockquote":
        report.warn(line, "a quotation is kept as plain paragraphs: the text format has no "
                    "quotations", "check that the text still reads as meant")
        return "\n\n".join(filter(None, (_block(child, context) for child in node.children)))
    if kind in ("code_block", "fence"):
        report.warn(line, "a code block is kept as a plain paragraph: the text format has no "
                    "code", "check that the text still reads as meant")
        return escape_line_start("\n".join(escape(text.strip())
                                            for text in node.content.rstrip("\n").split("\n")
                                            if text.strip()))
    if kind == "hr":
        report.warn(line, "a horizontal rule is not kept: the text format has none",
                    "nothing to do unless it separated parts that need headings")
        return None
    if kind == "html_block":
        report.liquid(line, node.content)
        words = " ".join(html.text_of(node.content).split())
        report.warn(line, "raw HTML is not kept" + (": its text is kept as a paragraph"
                                                    if words else " (it shows no text)"),
                    "write it as Markdown (images are not part of the text format)",
                    node.content.strip().split("\n")[0][:40])
        return escape_line_start(escape(words)) if words else None
    report.warn(line, f"'{kind}' is not kept", "write it as paragraphs, lists or tables")
    return None


def _list(node: SyntaxTreeNode, context: _Context) -> str:
    ordered = node.type == "ordered_list"
    start = int(node.attrs.get("start", 1)) if ordered else 1
    tight = all(getattr(child.nester_tokens.opening if child.nester_tokens else child.token,
                        "hidden", False)
                for item in node.children for child in item.children
                if child.type == "paragraph")
    joint = "\n" if tight else "\n\n"
    items = []
    for number, item in enumerate(node.children, start):
        marker = f"{number}. " if ordered else "- "
        content = joint.join(filter(None, (_block(child, context) for child in item.children)))
        lines = content.split("\n")
        items.append(marker + lines[0] + "".join(
            "\n" + (" " * len(marker) + text if text else "") for text in lines[1:]))
    return joint.join(items)


def _table(node: SyntaxTreeNode, context: _Context) -> str:
    cell_context = _Context(context.report, context.line, context.links, in_table=True)
    rows, aligns = [], []
    for part in node.children:
        for row in part.children:
            cells = [_inline(cell.children[0].children if cell.children else [],
                             cell_context).strip() for cell in row.children]
            rows.append(cells)
            if part.type == "thead":
                aligns = [str(cell.attrs.get("style", "")).replace("text-align:", "")
                          for cell in row.children]
    rule = {"left": ":---", "center": ":---:", "right": "---:"}
    written = [f"| {' | '.join(cells)} |" for cells in rows]
    written.insert(1, "|" + "|".join(rule.get(align, "---") for align in aligns) + "|")
    return "\n".join(written)


def _inline(nodes: list[SyntaxTreeNode], context: _Context) -> str:
    """Inline content in the text format's Markdown."""
    report, line = context.report, context.line
    out: list[str] = []
    opened: list[tuple[int, str | None]] = []  # <a href> met: where its text starts, target
    for node in nodes:
        kind = node.type
        if kind == "text":
            report.liquid(line, node.content)
            out.append(escape(node.content, context.in_table))
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append(_break(context))
        elif kind in _EMPHASIS:
            mark = _EMPHASIS[kind]
            out.append(mark + _inline(node.children, context) + mark)
        elif kind == "link":
            target = link_target(str(node.attrs.get("href", "")), line, report, context.links)
            text = _inline(node.children, context)
            out.append(link(text, target) if target else text)
        elif kind == "code_inline":
            report.warn(line, f"the code formatting of '{node.content[:40]}' is not kept: "
                        "its text is", "nothing to do unless the formatting mattered",
                        node.content)
            out.append(escape(node.content, context.in_table))
        elif kind == "image":
            out.append(image(str(node.attrs.get("src", "")), _plain(node.children), line,
                             report, context.links, context.in_table))
        elif kind == "html_inline":
            out.append(_html_inline(node.content, context, out, opened))
        else:
            out.append(_inline(node.children, context))
    if opened:  # an <a> never closed: its text stays text
        report.warn(line, "a link (<a href>) is not closed: its text is kept, without the "
                    "link", "close it with </a>", "<a")
    return "".join(out)


def _break(context: _Context) -> str:
    if context.in_table:
        context.report.warn(context.line, "a line break in a table cell is kept as a space",
                            "split the cell's text if the break mattered")
        return " "
    return "\n"


def _html_inline(tag_text: str, context: _Context, out: list[str],
                 opened: list[tuple[int, str | None]]) -> str:
    """Inline HTML as the text format writes it: <a href> a link, <br> a line break,
    <em>/<strong> emphasis, <a name> an anchor; any other tag dropped and said so."""
    report, line = context.report, context.line
    match = _TAG.match(tag_text.strip())
    if match is None:  # a comment, a declaration
        report.warn(line, f"'{tag_text[:40]}' is not kept", "remove it", tag_text[:20])
        return ""
    closing, name = match.group(1) == "/", match.group(2).lower()
    attributes = {key.lower(): value.strip("\"'")
                  for key, value in _ATTRIBUTE.findall(match.group(3))}
    if name == "br":
        return _break(context)
    if name in _EMPHASIS:
        return _EMPHASIS[name]
    if name == "a" and not closing:
        if "href" not in attributes:
            context.anchor = attributes.get("id") or attributes.get("name")
            return ""
        opened.append((len(out), link_target(attributes["href"], line, report, context.links)))
        return ""
    if name == "a" and closing:
        if not opened:
            return ""
        start, target = opened.pop()
        if target is None:
            return ""
        text = "".join(out[start:])
        del out[start:]
        return link(text, target)
    report.warn(line, f"the HTML tag <{'/' if closing else ''}{name}> is not kept: its text "
                "is", "write it as Markdown", tag_text[:20])
    return ""
