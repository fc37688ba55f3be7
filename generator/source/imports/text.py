"""A published policy read as a sequence of headings and body blocks, whatever its format,
and made into sections: the part both readers (Markdown, HTML) share. Pure: text in, data
and diagnostics out."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.core.diagnostics import Diagnostic
from generator.core.model import SLUG_LIMIT, SLUG_PATTERN
from generator.source.convert import RESERVED_SECTION_IDS, RESERVED_SECTION_PREFIX
from generator.source.slug import github_anchor, slug

MAX_LEVEL = 5  # the deepest heading level the text format keeps
_BLOCK_LINES = 200  # how far into a block a reported snippet is looked for
# A template language's placeholder ({{ site.x }}, {% if %}): the publishing site filled it in.
TEMPLATE_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
# Characters that would change the meaning of text written back as Markdown.
_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_SPECIAL_IN_TABLE = re.compile(r"([\\`*_\[\]<|])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What makes a line of a paragraph markup at its start: a list item's marker (- or 2.), a
# heading's #, a quotation's >, a rule or a heading's underline (---, ===), a fence (~~~).
# (A * the import writes is emphasis; the text's own are escaped.)
_LINE_START = re.compile(r"^(\s*)(?:([-+#>=~]|\*(?=\s|$))|(\d+)([.)])(?=\s|$))", re.M)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # as written: 1 for <h1> or #
    text: str  # plain text
    anchor: str | None  # an explicit anchor ({#id}, id=, <a name>), else None
    line: int


@dataclass(frozen=True, slots=True)
class Body:
    markdown: str  # one block (paragraph, list, table) in the text format's Markdown
    line: int


@dataclass(frozen=True, slots=True)
class ImportedSection:
    id: str
    title: str
    level: int  # 1 for the document's main sections
    body: str | None
    line: int


@dataclass(frozen=True, slots=True)
class ImportedText:
    title: str | None  # the document's title heading, else the front matter's title
    sections: tuple[ImportedSection, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass
class Report:
    """Where each problem of FILE is, with its fix: nothing is left out in silence."""

    shown: str  # FILE as messages name it
    lines: list[str]
    found: list[Diagnostic] = field(default_factory=list)

    def warn(self, line: int, message: str, hint: str, snippet: str = "",
             occurrence: int = 0) -> None:
        """A warning at `snippet` (its `occurrence`-th, from 0) in the block that starts at
        `line` (1-based: a paragraph's inline content is known by its first line), else at
        the line's start."""
        column = 1
        skip = occurrence
        for number in range(line, min(line + _BLOCK_LINES, len(self.lines) + 1)):
            start = self.lines[number - 1].find(snippet) if snippet else -1
            while start >= 0 and skip:
                skip -= 1
                start = self.lines[number - 1].find(snippet, start + len(snippet))
            if start >= 0:
                line, column = number, start + 1
                break
        self.found.append(Diagnostic(self.shown, line, column, message, hint).as_warning())

    def liquid(self, line: int, text: str) -> None:
        seen: dict[str, int] = {}
        for placeholder in TEMPLATE_PLACEHOLDER.findall(text):
            # Two alike on one line (GitHub's 2019 text has them) are two places, not one.
            self.warn(line, f"'{placeholder[:60]}' is a template placeholder the publishing "
                      "site filled in; it is kept as written and `policygen lock` refuses it",
                      "write the value it stood for "
                      "in the version file (or remove it)", placeholder,
                      seen.get(placeholder, 0))
            seen[placeholder] = seen.get(placeholder, 0) + 1


def escape(text: str, in_table: bool = False) -> str:
    """Text as Markdown that reads back as the same text."""
    return _ENTITY.sub("\\&", (_SPECIAL_IN_TABLE if in_table else _SPECIAL).sub(r"\\\1", text))


def escape_line_start(markdown: str) -> str:
    """A paragraph each of whose lines begins like markup (2. or - or #) is kept text."""
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if m.group(2)
                           else m.group(1) + m.group(3) + "\\" + m.group(4), markdown)


def sections(blocks: list[Heading | Body], title: str | None, introduction: str,
             report: Report) -> ImportedText:
    """One section per heading, the text before the first kept as a section titled
    `introduction`. The document's title heading (the first, alone at the top level) is
    not a section: its text is the title, and the introduction (the text before and
    after it, up to the next heading) takes its anchor, so that links to it still land on
    the text below it."""
    headings = [block for block in blocks if isinstance(block, Heading)]
    title_heading = headings[0] if headings and \
        all(h.level > headings[0].level for h in headings[1:]) else None
    if title_heading is not None:
        # The heading is the title readers of the text see; a front matter's names the page
        # (its browser tab) where the site shows one.
        if title is not None and title != title_heading.text:
            report.warn(title_heading.line, f"the heading '{title_heading.text}' is the "
                        f"document's title, not the front matter's title '{title}', which "
                        "readers of the text do not see", "make them the same if the "
                        "front matter's is the one the policy goes by")
        title = title_heading.text
    levels = [h.level for h in headings if h is not title_heading]
    base = min(levels) if levels else 1
    ids: set[str] = set()
    made: list[ImportedSection] = []
    current: dict | None = None
    bodies: list[str] = []

    def close() -> None:
        if current is not None:
            body = "\n".join(line.rstrip() for line in "\n\n".join(bodies).split("\n"))
            made.append(ImportedSection(current["id"], current["title"], current["level"],
                                        body or None, current["line"]))

    for block in blocks:
        if isinstance(block, Body):
            if current is None:
                anchor = title_heading.anchor or github_anchor(title_heading.text) \
                    if title_heading else "introduction"
                current = {"id": _section_id(anchor, block.line, ids, report),
                           "title": introduction, "level": 1, "line": block.line}
            bodies.append(block.markdown)
            continue
        if block is title_heading:
            continue
        close()
        bodies = []
        level = block.level - base + 1
        previous = made[-1].level if made else 0
        if level > previous + 1:
            report.warn(block.line, f"the heading '{block.text}' skips from level {previous} "
                        f"to {level}: imported at level {previous + 1}",
                        "a section is one level below the section it belongs to")
            level = previous + 1
        if level > MAX_LEVEL:
            report.warn(block.line, f"the heading '{block.text}' is at level {level}; the "
                        f"text format keeps {MAX_LEVEL}: imported at level {MAX_LEVEL}",
                        "fold it into the section above it, or raise it a level")
            level = MAX_LEVEL
        current = {"id": _section_id(block.anchor or github_anchor(block.text), block.line,
                                     ids, report, block.anchor is not None),
                   "title": block.text, "level": level, "line": block.line}
    close()
    if not made:
        report.warn(1, "no text found", "import the file the policy is published as")
    return ImportedText(title, tuple(made), tuple(sorted(report.found)))


def _section_id(anchor: str, line: int, taken: set[str], report: Report,
                explicit: bool = False) -> str:
    """The anchor as a section id, numbered as GitHub numbers repeated headings (-1, -2);
    an anchor the format cannot keep is made one it can, and said so."""
    candidate = anchor
    valid = re.match(SLUG_PATTERN, candidate) and candidate not in RESERVED_SECTION_IDS \
        and not candidate.startswith(RESERVED_SECTION_PREFIX)
    if not valid:
        candidate = slug(anchor)[:SLUG_LIMIT].strip("-") or "section"
        if candidate in RESERVED_SECTION_IDS or candidate.startswith(RESERVED_SECTION_PREFIX):
            candidate = f"section-{candidate}"
        report.warn(line, f"the {'anchor' if explicit else 'heading'}'s id '{anchor}' cannot "
                    f"be a section id (lowercase letters, digits and inner hyphens, at most "
                    f"{SLUG_LIMIT} characters, not one the pages use): imported as '{candidate}'",
                    f"links to #{anchor} will not find it: change them to #{candidate}",
                    anchor if explicit else "")
    unique, number = candidate, 0
    while unique in taken:
        number += 1
        unique = f"{candidate}-{number}"
    taken.add(unique)
    return unique


@dataclass(frozen=True, slots=True)
class Links:
    """Where FILE's relative links lead: `page` is the address FILE was published at; a link
    from the root (/terms) leads into `root` where given (a repository's root, as GitHub
    reads such links in a Markdown file), else to the page's own site. Without a `page`, a
    relative link is written as it is, for the project's link base (policygen.yml's
    `link_base`, which `project_base` is, if it has one) to resolve."""

    page: str | None = None
    root: str | None = None
    project_base: str | None = None

    def resolve(self, href: str) -> str | None:
        from urllib.parse import urljoin

        if href.startswith("/") and not href.startswith("//") and self.root:
            return urljoin(self.root.rstrip("/") + "/", href.lstrip("/"))
        return urljoin(self.page, href) if self.page else None


def link_target(href: str, line: int, report: Report, links: Links) -> str | None:
    """Where a link of FILE goes, as the text format writes it: a relative link resolved
    against the address FILE was published at (--link-base), else written relative for the
    project's link_base, which is asked for where the project has none; None for a link the
    format refuses (its text is kept without the link), said so."""
    from generator.core.markup import is_relative, link_allowed

    if TEMPLATE_PLACEHOLDER.search(href):
        report.liquid(line, href)
        return None
    if is_relative(href):
        target = links.resolve(href)
        if target is None and links.project_base is None:
            report.warn(line, f"the relative link '{href}' is kept relative: policygen.yml "
                        "has no link_base to resolve it against, so validate refuses it",
                        "set link_base: https://... in policygen.yml (the address the "
                        "policy's relative links lead under), or import again with "
                        "--link-base URL, the address FILE was published at", href)
        return target or href
    if link_allowed(href):
        return href
    report.warn(line, f"the link to '{href}' uses a scheme policies do not link to: its "
                "text is kept, without the link", "link with https:, mailto: or tel:", href)
    return None


def link(text: str, target: str) -> str:
    """A Markdown link; a target with spaces or parentheses in angle brackets."""
    written = f"<{target}>" if any(c in target for c in " ()<>") else target
    return f"[{text}]({written})"


def image(src: str, description: str, line: int, report: Report, links: Links,
          in_table: bool = False) -> str:
    """An image as the text format can hold it: a link to the image, its description (else
    its file's name) the link's text, said so."""
    text = escape(" ".join(description.split()) or src.rstrip("/").rsplit("/", 1)[-1] or
                  "image", in_table)
    report.warn(line, f"the image '{src}' is kept as a link to it, its description the "
                "link's text: the text format shows no images", "describe in words what it "
                "shows, if readers need more", src)
    target = link_target(src, line, report, links) if src else None
    return link(text, target) if target else text
