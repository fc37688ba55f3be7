"""Read YAML source files into position-carrying nodes; refuse what the source never needs.

The parser's event stream is read directly instead of letting a YAML library build Python
objects: that keeps every value's line and column, makes duplicate keys visible, and means an
alias is refused before anything could expand it.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from _ruamel_yaml import CParser
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError

from generator.core.diagnostics import Diagnostic
from generator.runtime.bounded import Unreadable, read_bounded

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 24
# Characters that make a reader see something else than the text holds (and its hash covers):
# C0 and C1 controls (U+0085 is even a line break to YAML), line and paragraph separators,
# invisible characters (the soft hyphen U+00AD among them: shown only where a line breaks),
# and the bidirectional embeddings, overrides and isolates that reorder
# text on screen. Joiners (U+200C, U+200D) are allowed after letters of the scripts whose
# spelling needs them (Arabic, Persian, Indic); the implicit direction marks (U+200E, U+200F,
# U+061C) are allowed, as right-to-left text needs them and they cannot reorder letters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
                      "\u00ad\u200b-\u200d\u2060-\u2064\ufeff\u180e\u034f\u115f\u1160\u3164"
                      "\uffa0\U000e0000-\U000e007f\u202a-\u202e\u2066-\u2069]")
_LONE_CR = re.compile("\r(?!\n)")  # a line break to YAML, not to the editor
# Either of the two, in one search: most values have neither.
_HIDDEN = re.compile(_CONTROL.pattern[:-1] + "\r]")
# A backslash that may start an escape of a hidden character: all but \n, \t, \<space>,
# \", \/, \\, \_ (a no-break space) and a backslash ending the line.
_ESCAPE = re.compile(r'\\[^nt "/\\_\n]')
_JOINERS = "\u200c\u200d"
_JOINING_SCRIPTS = re.compile("[\u0600-\u08ff\u0900-\u0dff\u1000-\u109f\u1780-\u18af"
                              "\ufb50-\ufdff\ufe70-\ufefe]")
_FULLWIDTH_INDENT = re.compile("^( *)\u3000[ \u3000]*(?:- +)?[A-Za-z_][\\w-]*[:\uff1a]")
_FULLWIDTH_COLON = re.compile("^[ \u3000]*(?:- +)?([A-Za-z_][\\w-]*) *\uff1a")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str  # as shown to the user: relative to the working directory when possible
    text: str

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""


Scalar = str | int | float | bool | None


class Node(NamedTuple):
    """A YAML value with where it stands; mappings keep their keys' nodes too. A named tuple
    rather than a frozen dataclass: sources have hundreds of thousands of nodes, and a tuple
    is built several times faster."""

    file: SourceFile
    line: int  # 1-based
    column: int  # 1-based
    end_line: int
    kind: str  # "map", "seq" or "scalar"
    value: object  # dict[str, tuple[Node, Node]] | list[Node] | Scalar
    quoted: bool = False
    comment: int = 0  # an unquoted value followed by ' #' on its line: the column of '#'

    def error(self, message: str, hint: str = "") -> Diagnostic:
        return Diagnostic(self.file.path, self.line, self.column, message, hint)

    def locate(self, needle: str) -> tuple[int, int]:
        """The line and column of `needle` inside this value's text, else the value's start."""
        for line in range(self.line, self.end_line + 1):
            found = self.file.line_text(line).find(needle)
            if found >= 0 and (line > self.line or found >= self.column - 1):
                return line, found + 1
        return self.line, self.column

    @property
    def items(self) -> dict[str, tuple[Node, Node]]:
        assert self.kind == "map"
        return self.value  # type: ignore[return-value]

    @property
    def elements(self) -> list[Node]:
        assert self.kind == "seq"
        return self.value  # type: ignore[return-value]


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path relative to the working directory, as compilers print it."""
    try:
        return os.path.relpath(path, cwd or Path.cwd())
    except ValueError:
        return str(path)


def read_file(path: Path) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one YAML file; return its root node (None when unusable) and its diagnostics."""
    shown = display_path(path)
    try:
        raw = read_bounded(path, MAX_FILE_BYTES)
    except Unreadable as refused:
        return None, [Diagnostic(shown, 1, 1, refused.message, refused.hint)]
    text, problems, hides = _decode(shown, raw)
    problems += merge_conflicts(shown, text, "take one side: between the markers, keep the "
                                "lines you want, delete the other side and the marker lines, "
                                "edit the result, then run `policygen validate`")
    if problems:
        return None, problems
    return parse(SourceFile(shown, text), hides)


# git's conflict markers, at the start of a line: YAML would call them a syntax error lines
# later ("could not find expected ':'"), JSON a damaged file.
_MARKER = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?: (.*))?$", re.MULTILINE)
_MARKS = {"<": "starts the lines of one side ({})", "|": "starts the lines of the common "
          "ancestor ({})", "=": "separates the two sides", ">": "ends the lines of the other "
          "side ({})"}


def merge_conflicts(shown: str, text: str, hint: str) -> list[Diagnostic]:
    """Each of git's conflict markers in `text`, said as the merge conflict it is, at its
    line, with `hint`: the recovery that fits the file."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return []  # a lone line of '=' is a Markdown heading's underline, not a conflict
    found = []
    for match in _MARKER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        role = _MARKS[match.group(1)[0]].format(match.group(2) or "unnamed")
        found.append(Diagnostic(shown, line, 1, f"a merge conflict: git's marker "
                                f"'{match.group(1)}' {role}", hint))
    return found


def _decode(shown: str, raw: bytes) -> tuple[str, list[Diagnostic], bool]:
    """The text, its lines' problems, and whether it holds a character _HIDDEN matches (with
    no problems, an allowed one: a joiner inside a word, or the CR of a CR LF)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # editors on Windows add a byte-order mark; it carries no meaning
    encoding = other_encoding(raw)
    if encoding:
        return "", [Diagnostic(shown, 1, 1, f"the file is saved as {encoding}, not UTF-8",
                               _RESAVE)], False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return "", [Diagnostic(shown, line, column, "the file is not valid UTF-8 "
                               f"(byte 0x{raw[error.start]:02x})",
                               "save the file as UTF-8 in your editor")], False
    problems: list[Diagnostic] = []
    number, counted, looked_at, hides = 1, 0, 0, False
    for hit in _SUSPECT.finditer(text):  # one scan of the file; most files have no hit
        hides = hides or _HIDDEN.match(hit.group()) is not None
        number += text.count("\n", counted, hit.start())
        counted = hit.start()
        if number > looked_at:
            looked_at = number
            start, end = text.rfind("\n", 0, counted) + 1, text.find("\n", counted)
            problems += _line_problems(shown, number, text[start:end if end >= 0 else None])
    return text, problems, hides


_RESAVE = ("save it again as UTF-8 (in most editors: Save As, then the encoding 'UTF-8'; "
           "in Windows Notepad: 'UTF-8', not 'Unicode' or 'UTF-16')")
# Byte-order marks, the longest first: UTF-32 LE's begins with UTF-16 LE's.
_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
         (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
         (b"\xff\xfe", "UTF-16 (little-endian)"), (b"\xfe\xff", "UTF-16 (big-endian)"))


def other_encoding(raw: bytes) -> str:
    """The encoding a file's byte-order mark names, or its NUL bytes between ASCII letters
    show (UTF-16 or UTF-32 saved without a mark); "" for anything else."""
    for mark, name in _BOMS:
        if raw.startswith(mark):
            return name
    head = raw[:64]
    if len(head) >= 8 and head.count(0) * 4 >= len(head):
        wide = 4 if head[1:3] == b"\0\0" or head[:3] == b"\0\0\0" else 2
        big = head[0] == 0
        return f"UTF-{wide * 8} ({'big' if big else 'little'}-endian, without a byte-order mark)"
    return ""


# Spaces YAML does not take for one: typed (or pasted from a word processor) in indentation
# or after a key's colon, each makes a syntax error in YAML's words, lines later.
_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f"
_SPACE_IN_SYNTAX = re.compile("^ *[" + _SPACES + "]|^[ ]*(?:- +)?[A-Za-z_][\\w-]*:(["
                              + _SPACES + "])")


_TRAILING = tuple("\u3000\u00a0\u1680\u202f\u205f" + "".join(map(chr, range(0x2000, 0x200b))))


# A line worth a closer look: most lines of most files have none of these.
_SUSPECT = re.compile(_CONTROL.pattern[:-1] + "\t\r\u3000\uff1a" + _SPACES + "]")


def _line_problems(shown: str, number: int, line: str) -> list[Diagnostic]:
    problems = _fullwidth_syntax(shown, number, line) + _space_in_syntax(shown, number, line)
    for match in sorted([*_CONTROL.finditer(line), *_LONE_CR.finditer(line + "\n")],
                        key=lambda found: found.start()):
        if not _joins_letters(line, match.start()):
            problems.append(Diagnostic(shown, number, match.start() + 1,
                                       f"{_character_name(match.group())} is not allowed in "
                                       "policy text", _character_hint(match.group())))
    indent = re.match(r"[ \t]*", line).group()  # type: ignore[union-attr]
    if "\t" in indent:
        problems.append(Diagnostic(shown, number, indent.index("\t") + 1,
                                   "tab character in indentation",
                                   "indent with spaces; YAML does not allow tabs"))
    return problems


def _fullwidth_syntax(shown: str, number: int, line: str) -> list[Diagnostic]:
    """Full-width spaces and colons typed where YAML needs ASCII ones (a Japanese input method
    left on): YAML would read them as text and complain lines later, or not at all."""
    indent = _FULLWIDTH_INDENT.match(line)
    if indent:
        return [Diagnostic(shown, number, len(indent.group(1)) + 1,
                           "full-width space (U+3000) in the indentation",
                           "indent with ordinary spaces; switch the input method to "
                           "half-width for indentation")]
    colon = _FULLWIDTH_COLON.match(line)
    if colon:
        return [Diagnostic(shown, number, colon.end(),
                           f"full-width colon '：' (U+FF1A) after the key '{colon.group(1)}'",
                           f"type an ordinary colon and a space: '{colon.group(1)}: '")]
    return []


def _space_in_syntax(shown: str, number: int, line: str) -> list[Diagnostic]:
    """A no-break or other Unicode space in the indentation or right after a key's colon,
    named with its place; inside a text it is legitimate (French typography, '10\u00a0%')."""
    found = _SPACE_IN_SYNTAX.match(line)
    if not found:
        return []
    at = found.start(1) if found.group(1) else found.end() - 1
    character = line[at]
    where = "after the key's colon" if found.group(1) else "in the indentation"
    name = unicodedata.name(character, "").lower()
    return [Diagnostic(shown, number, at + 1, f"a {name} (U+{ord(character):04X}) {where}, "
                       "where YAML needs an ordinary space",
                       "replace it with an ordinary space (editors and word processors type "
                       "it for Option+Space or Ctrl+Shift+Space)")]


def _joins_letters(line: str, at: int) -> bool:
    """A zero-width (non-)joiner inside a word of a script whose spelling uses it."""
    return line[at] in _JOINERS and at > 0 and bool(_JOINING_SCRIPTS.match(line[at - 1]))


def _character_name(character: str) -> str:
    if character == "\x00":
        return "a NUL byte"
    code = ord(character)
    name = unicodedata.name(character, "")
    if code == 0x0D:
        return "a carriage return (U+000D) without a line feed"
    if _reorders(code):
        kind = "bidirectional control character"
    elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029):
        kind = "control character"
    else:
        kind = "invisible character"
    return f"{kind} U+{code:04X}" + (f" ({name})" if name else "")


def _reorders(code: int) -> bool:
    """Bidirectional embeddings, overrides and isolates: they change the order shown."""
    return 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069


def _character_hint(character: str) -> str:
    code = ord(character)
    if code == 0x0D:
        return "save the file with ordinary line endings (LF, or CR LF on Windows)"
    if _reorders(code):
        return ("delete it: it shows the text in another order than it is stored, so readers "
                "would not read what was published; the site sets each language's direction")
    return "delete it; it is invisible in most editors, so readers would not see it either"


def parse(file: SourceFile, hides: bool) -> tuple[Node | None, list[Diagnostic]]:
    """The file's root node (None when unusable) and its problems; `hides` says whether the
    text holds a character _HIDDEN matches (read_file has looked already)."""
    problems: list[Diagnostic] = []
    # libyaml's parser (ruamel.yaml.clib) read directly: ruamel.yaml's YAML().parse would set
    # up a loader class and a generator around the same parser for every file.
    events = iter(CParser(file.text).get_event, None)
    try:
        next(events)  # StreamStart
        start = next(events)
        if not isinstance(start, ev.DocumentStartEvent):
            return None, [Diagnostic(file.path, 1, 1, "the file is empty",
                                     "write the version's fields, or delete the file")]
        root = _Tree(file, events, problems, hides).build(next(events), 1)
        for event in events:
            if isinstance(event, ev.DocumentStartEvent):
                mark = event.start_mark
                problems.append(Diagnostic(file.path, mark.line + 1, mark.column + 1,
                                           "more than one YAML document ('---') in the file",
                                           "keep one document per file"))
                break
    except MarkedYAMLError as error:
        return None, [_syntax_error(file, error)]
    except _TooDeep:
        return None, problems
    return (None if any(not p.is_warning for p in problems) else root), problems


_VALUE_START = re.compile(r"^\s*(?:- +)?([^\s:#][^:#]*?): +(\S)")
_MARKUP_STARTS = {"*": "a reference to another value (an alias)", "&": "an anchor",
                  "@": "a reserved character", "`": "a reserved character",
                  "%": "a directive", "[": "the start of a list", "{": "the start of a mapping",
                  '"': "the start of quoted text", "'": "the start of quoted text",
                  "!": "a tag", "|": "the start of a block of text",
                  ">": "the start of a folded block of text"}


def _syntax_error(file: SourceFile, error: MarkedYAMLError) -> Diagnostic:
    """The parser's complaint, turned into what a non-programmer typed wrong, where."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or error.context or "invalid YAML").strip()
    found = _VALUE_START.match(file.line_text(line)) if mark else None
    if found and found.group(2) in _MARKUP_STARTS and found.start(2) < column:
        key, first = found.group(1), found.group(2)
        return Diagnostic(file.path, line, found.start(2) + 1,
                          f"the text of '{key}' starts with '{first}', which YAML reads "
                          f"as {_MARKUP_STARTS[first]}",
                          "put the whole text in quotes: " + _quoted_example(
                              key, file.line_text(line)[found.start(2):]))
    return Diagnostic(file.path, line, column, f"YAML syntax error: {problem}",
                      _syntax_hint(problem))


def _quoted_example(key: str, text: str) -> str:
    shown = text if len(text) <= 30 else text[:30] + "..."
    return f"{key}: '{shown.replace(chr(39), chr(39) * 2)}' (a ' inside is written '')"


def _refused(file: SourceFile, event: ev.Event, problems: list[Diagnostic]) -> None:
    """Anchors, aliases and tags: refused where they stand, before anything could expand."""
    anchor = getattr(event, "anchor", None)
    if isinstance(event, ev.AliasEvent) or anchor:
        what = "alias" if isinstance(event, ev.AliasEvent) else "anchor"
        problems.append(_at(file, event, f"YAML {what} '{anchor}' is not allowed",
                            "write the value out in full; policy source never shares values"))
    tag = getattr(event, "tag", None)
    if tag and not isinstance(event, ev.AliasEvent) and not _is_implicit(event):
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        problems.append(_at(file, event, f"YAML tag '{shown}' is not allowed",
                            "remove the tag; write the value as plain text"))


def _is_implicit(event: ev.Event) -> bool:
    implicit = getattr(event, "implicit", None)
    if isinstance(event, ev.ScalarEvent):
        return bool(implicit and (implicit[0] or implicit[1]))
    return bool(implicit)


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value that contains ': ' must be quoted, or the indentation is off"
    if "could not find expected ':'" in problem:
        return "a key needs a ':' after it; check the line's indentation"
    if "found character '\\t'" in problem:
        return "indent with spaces; YAML does not allow tabs"
    return "check indentation and quotes on this line and the one before"


def _at(file: SourceFile, event: ev.Event, message: str, hint: str = "") -> Diagnostic:
    mark = event.start_mark
    return Diagnostic(file.path, mark.line + 1, mark.column + 1, message, hint)


class _Tree:
    """One file's nodes, built from its events; about half a million at 200 versions, so the
    work per event is kept small."""

    def __init__(self, file: SourceFile, events: Iterator[ev.Event],
                 problems: list[Diagnostic], text_hides: bool):
        self.file, self.text, self.events, self.problems = file, file.text, events, problems
        # A value holds a hidden character only when the file's text holds one or through an
        # escape such as "\u0007": most values need no search, and those that hold only
        # escapes like "\n" need none either.
        self.text_hides = text_hides

    # `event` is a node's first event (a scalar, an alias or a collection's start), told apart
    # by its exact class: mypy cannot narrow by a class compared with `is`.
    def build(self, event: Any, depth: int) -> Node:
        kind = type(event)  # compared by identity: the parser makes these classes only
        start = event.start_mark
        line, column = start.line + 1, start.column + 1
        if event.anchor or kind is ev.AliasEvent or event.tag:  # rare: look closely
            _refused(self.file, event, self.problems)
            if kind is ev.AliasEvent:
                return Node(self.file, line, column, line, "scalar", None)
        if depth > MAX_DEPTH:
            self.problems.append(_at(self.file, event, f"nesting deeper than {MAX_DEPTH} levels",
                                     "policy source is never nested this deep; check the "
                                     "indentation"))
            # Not read on: libyaml's time grows with the square of the nesting (500,000
            # levels in a megabyte would take hours), and the file is refused already.
            raise _TooDeep

        if kind is ev.ScalarEvent:
            return self.scalar(event, line, column)
        if kind is ev.SequenceStartEvent:
            items: list[Node] = []
            for item in self.events:
                if type(item) is ev.SequenceEndEvent:
                    return Node(self.file, line, column, item.end_mark.line + 1, "seq", items)
                items.append(self.build(item, depth + 1))
        if kind is ev.MappingStartEvent:
            pairs: dict[str, tuple[Node, Node]] = {}
            for key_event in self.events:
                if type(key_event) is ev.MappingEndEvent:
                    return Node(self.file, line, column, key_event.end_mark.line + 1, "map",
                                pairs)
                key = self.build(key_event, depth + 1)
                value = self.build(next(self.events), depth + 1)
                if key.kind != "scalar" or key.value is None:
                    self.problems.append(key.error("a key must be a plain name"))
                    continue
                name = str(key.value)
                if name in pairs:
                    first = pairs[name][0]
                    self.problems.append(key.error(
                        f"duplicate key '{name}'",
                        f"it is already set on line {first.line}; keep one of the two"))
                    continue
                pairs[name] = (key, value)
        raise AssertionError(f"unexpected YAML event {event!r}")  # the parser guarantees shape

    def scalar(self, event: ev.ScalarEvent, line: int, column: int) -> Node:
        quoted = event.style not in (None, "")
        value = _scalar(event.value, quoted)
        if (self.text_hides or event.style == '"' and _ESCAPE.search(
                self.text, event.start_mark.index, event.end_mark.index)) and \
                isinstance(value, str) and _HIDDEN.search(value):
            hidden = _CONTROL.search(value) or _LONE_CR.search(value)
            if hidden and not _joins_letters(value, hidden.start()):
                # reached only through a quoted escape such as "\u0007": the raw text passed
                self.problems.append(_at(self.file, event, "the escape for "
                                         f"{_character_name(hidden.group())} is not allowed "
                                         "in policy text",
                                         "remove the escape; write only visible text"))
        if not quoted and isinstance(value, str) and value.endswith(_TRAILING):
            value = self.trailing_spaces(value, event)
        end = event.end_mark
        # A comment can only follow a plain value, after a space.
        comment = _comment_after(self.text, end.index, end.column) \
            if not quoted and self.text.startswith((" ", "\t"), end.index) else 0
        return Node(self.file, line, column, end.line + 1, "scalar", value, quoted, comment)


    def trailing_spaces(self, value: str, event: ev.ScalarEvent) -> str:
        """A plain value's trailing full-width (or other Unicode) spaces dropped, as YAML drops
        ordinary ones, with a warning: kept, they would change the text's hash invisibly (a
        title 'retitled' for a space no reader sees); refused, a Japanese input method's
        habit would stop a build."""
        kept = value.rstrip("".join(_TRAILING))
        end = event.end_mark
        gone = value[len(kept):]
        names = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in gone))
        self.problems.append(Diagnostic(
            self.file.path, end.line + 1, max(1, end.column - len(gone) + 1),
            f"trailing space{'s' if len(gone) > 1 else ''} ({names}) at the end of the text, "
            "dropped as YAML drops ordinary trailing spaces", "delete it; to keep it, put the "
            "whole text in quotes", severity="warning"))
        return kept


def _comment_after(text: str, end: int, column: int) -> int:
    """The column of a comment that follows a plain value ending at `end`, else 0."""
    newline = text.find("\n", end)
    rest = text[end:newline if newline >= 0 else len(text)]
    stripped = rest.lstrip(" \t")
    if stripped.startswith("#") and rest != stripped:
        return column + len(rest) - len(stripped) + 1
    return 0


class _TooDeep(Exception):
    """The file nests deeper than MAX_DEPTH: its reading stops there."""


# Plain scalars that are not text in YAML 1.2's core schema, numbers aside.
_PLAIN_CONSTANTS = {"": None, "~": None, "null": None, "Null": None, "NULL": None,
                    "true": True, "True": True, "TRUE": True,
                    "false": False, "False": False, "FALSE": False}


def _scalar(text: str, quoted: bool) -> Scalar:
    """YAML 1.2 core schema for plain scalars; dates stay text so the validator can say why."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        # one visible text, one stored form: a decomposed "が" and a composed one hash alike
        text = unicodedata.normalize("NFC", text)
    if quoted:
        return text
    if text in _PLAIN_CONSTANTS:
        return _PLAIN_CONSTANTS[text]
    if text[0] in "+-.0123456789":  # a number's first character: most text needs no regex
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
    return text


__all__ = ["Node", "SourceFile", "read_file", "parse", "display_path"]
