"""What changed between two versions, in one language: one model, rendered three ways.

Sections are aligned by their stable id, never by position, so a moved or retitled section
is reported as such. Text is compared as the reader sees it (Markdown syntax removed), at a
grain that suits the language: words where words are spaced, and for Japanese and Chinese
runs of one script (kanji, hiragana, katakana, Latin), so a changed particle marks the
particle, not the sentence. Structured facts are compared field by field.

site_overrides/assets/javascripts/compare.js runs this same algorithm in the reader's
browser to compare any two versions. The rules both must share (tokens, whitespace, field
order) are data that Python owns and hands to it (`browser_rules`); the algorithm itself is
written twice, held together by the test vectors in tests/diff_vectors.json, which pytest and
`node --test` both run, and by a browser test over every pair of three versions.
"""
from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from generator.core import markup, processing_changes, tokens
from generator.core.i18n import N_
from generator.core.model import Category, Facts, Labels, Localized, Section, Version, doc

# Field names as readers see them, translated by the renderers.
FIELD_NAMES = {
    "title": N_("Title of the policy"),
    "company": N_("Company name"),
    "representative.title": N_("Representative's title"),
    "representative.name": N_("Representative"),
    "officer.title": N_("Officer's title"),
    "officer.name": N_("Personal information protection administrator"),
    "officer.contact": N_("Officer's contact"),
    "inquiry_desk.name": N_("Inquiry desk"),
    "inquiry_desk.address": N_("Inquiry desk address"),
    "inquiry_desk.email": N_("Inquiry desk e-mail"),
    "complaint_organization.name": N_("Complaint organization"),
    "complaint_organization.complaint_desk": N_("Complaint desk"),
    "complaint_organization.address": N_("Complaint desk address"),
    "complaint_organization.phones": N_("Complaint desk phone numbers"),
    "address": N_("Company address"),
    "officer.email": N_("Officer's e-mail"),
    "inquiry_desk.form": N_("Inquiry form"),
    "inquiry_desk.phone": N_("Inquiry desk phone number"),
    "complaint_organization.website": N_("Complaint organization's website"),
    "controllers.name": N_("Controller"),
    "controllers.address": N_("Controller's address"),
    "controllers.registration": N_("Controller's registration"),
    "controllers.email": N_("Controller's e-mail"),
    "representatives.role": N_("Representative's role"),
    "representatives.name": N_("Representative"),
    "representatives.address": N_("Representative's address"),
    "representatives.email": N_("Representative's e-mail"),
    "representatives.phone": N_("Representative's phone number"),
    "supervisory_authority.name": N_("Supervisory authority"),
    "supervisory_authority.address": N_("Supervisory authority's address"),
    "supervisory_authority.website": N_("Supervisory authority's website"),
    "supervisory_authority.phone": N_("Supervisory authority's phone number"),
    "name": N_("Category"),
    "details": N_("Details"),
    "purpose": N_("Purpose of use"),
    "note": N_("Note"),
    "block": N_("Structured block"),
    "level": N_("Heading level"),
}
# A link's target is legal text: a section's links are fields "link:<its text>" (with " (2)"
# and so on for a second link of the same text), so a changed target is shown old -> new and
# an added or removed link as added or removed, wherever field changes are shown.
LINK_FIELD = "link:"

Op = Literal["equal", "insert", "delete"]
RowOp = Literal["equal", "insert", "delete", "changed"]
TextKind = Literal["unchanged", "wording", "formatting", "whitespace"]
SectionStatus = Literal["added", "removed", "changed", "unchanged"]


@dataclass(frozen=True, slots=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class CellChange:
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class RowChange:
    op: RowOp
    cells: tuple[CellChange, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text, or a table compared cell by cell (its first row is its header)."""

    segments: tuple[Segment, ...] = field(default=(), metadata=doc(
        "The run of text's changes; empty for a table."))
    rows: tuple[RowChange, ...] = field(default=(), metadata=doc(
        "The table's rows, its header first, each inserted, deleted, equal or changed cell "
        "by cell; empty for a run of text."))


@dataclass(frozen=True, slots=True)
class TextChange:
    kind: TextKind
    segments: tuple[Segment, ...]
    blocks: tuple[Block, ...] = field(default=(), metadata=doc(
        "Where either text has a table: the text as runs of text and tables, each table "
        "compared cell by cell.", omit_when_absent=True))

    @property
    def parts(self) -> tuple[Block, ...]:
        """What a redline shows: the runs of text and tables, or the one run of text."""
        return self.blocks or (Block(self.segments),)


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # a key of FIELD_NAMES, "<category id>.<key>" for a category's field, or
    # "<list>.<number>.<key>" for an item of a list of facts (controllers.2.name)
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class SectionChange:
    id: str
    status: SectionStatus
    old_title: str | None
    new_title: str | None
    old_position: int | None  # 1-based
    new_position: int | None
    moved: bool
    body: TextChange | None
    fields: tuple[FieldChange, ...]

    @property
    def retitled(self) -> bool:
        return None not in (self.old_title, self.new_title) and self.old_title != self.new_title


@dataclass(frozen=True, slots=True)
class VersionDiff:
    language: str
    old_id: str
    new_id: str
    summary: str | None  # the new version's change summary, which heads the diff
    sections: tuple[SectionChange, ...]
    facts: tuple[FieldChange, ...]
    # Ids of sections whose authoritative text changed while this language's did not
    # (translations.changes fills it: the diff alone does not know the authoritative language).
    untranslated: frozenset[str] = frozenset()
    # What changed in the processing, by meaning (processing_changes.py).
    processing: tuple[processing_changes.ProcessingChange, ...] = ()

    @property
    def unchanged(self) -> bool:
        return not self.facts and not self.processing and all(
            s.status == "unchanged" and not s.moved for s in self.sections)


# --- text ----------------------------------------------------------------------------------

def compare_text(old: str, new: str, language: str, markdown: bool = True) -> TextChange:
    if old == new:
        return _unchanged(new)
    old_plain = markup.plain_text(old) if markdown else old
    new_plain = markup.plain_text(new) if markdown else new
    if tokens.fold_space(old_plain) == tokens.fold_space(new_plain):
        same_source = tokens.fold_space(old) == tokens.fold_space(new)
        kind: TextKind = "whitespace" if same_source else "formatting"
        return TextChange(kind, (Segment("equal", new_plain),))
    blocks = _blocks(old_plain, new_plain, language) \
        if _has_table(old_plain) or _has_table(new_plain) else ()
    return TextChange("wording", segments(old_plain, new_plain, language), blocks)


# --- tables --------------------------------------------------------------------------------
# compare.js does exactly this too (tests/diff_vectors.json holds both to it).

def _has_table(plain: str) -> bool:
    return plain.startswith(markup.CELL) or "\n" + markup.CELL in plain


def split_blocks(plain: str) -> list[str | list[list[str]]]:
    """A plain text as runs of text and tables (each a list of rows of cells)."""
    blocks: list[str | list[list[str]]] = []
    text: list[str] = []
    table: list[list[str]] = []
    for line in plain.split("\n"):
        if line.startswith(markup.CELL):
            if text:
                blocks.append("\n".join(text))
                text = []
            table.append(line[1:].split(markup.CELL))
            continue
        if table:
            blocks.append(table)
            table = []
            if not line:
                continue  # the empty line that ends a table is the table's
        text.append(line)
    if table:
        blocks.append(table)
    if text:
        blocks.append("\n".join(text))
    return blocks


def _blocks(old: str, new: str, language: str) -> tuple[Block, ...]:
    """The texts' runs of text and tables aligned by kind, in order: text compared with text
    and table with table, cell by cell; what has no counterpart inserted or deleted."""
    a, b = split_blocks(old), split_blocks(new)
    kinds = lambda blocks: ["t" if isinstance(x, list) else "p" for x in blocks]  # noqa: E731
    result: list[Block] = []
    matcher = difflib.SequenceMatcher(None, kinds(a), kinds(b), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result += [_block(x, y, language) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            result += [_block(x, None, language) for x in a[i1:i2]]
            result += [_block(None, y, language) for y in b[j1:j2]]
    return tuple(result)


def _block(old, new, language: str) -> Block:
    if isinstance(old, list) or isinstance(new, list):
        return Block(rows=_rows(old or [], new or [], language))
    if old is None or new is None:
        op: Op = "delete" if new is None else "insert"
        text = old if new is None else new
        return Block(segments=(Segment(op, text),) if text else ())
    return Block(segments=(_unchanged(new).segments if old == new
                           else segments(old, new, language)))


def _rows(old: list[list[str]], new: list[list[str]], language: str
          ) -> tuple[RowChange, ...]:
    """The header compared with the header, then the body's rows aligned as difflib aligns
    them (by their whole text): rows in a changed run paired in order, cell by cell."""
    rows = [_row(old[0] if old else None, new[0] if new else None, language)]
    a, b = old[1:], new[1:]
    matcher = difflib.SequenceMatcher(None, [markup.CELL.join(r) for r in a],
                                      [markup.CELL.join(r) for r in b], autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        paired = min(i2 - i1, j2 - j1)
        rows += [_row(a[i1 + k], b[j1 + k], language) for k in range(paired)]
        rows += [_row(x, None, language) for x in a[i1 + paired:i2]]
        rows += [_row(None, y, language) for y in b[j1 + paired:j2]]
    return tuple(rows)


def _row(old: list[str] | None, new: list[str] | None, language: str) -> RowChange:
    if old is None or new is None:
        op: Op = "delete" if new is None else "insert"
        whole = old if new is None else new
        return RowChange(op, tuple(CellChange((Segment(op, c),) if c else ())
                                   for c in whole or ()))
    if old == new:
        return RowChange("equal", tuple(CellChange(_unchanged(c).segments) for c in new))
    cells: list[CellChange] = []
    for k in range(max(len(old), len(new))):
        before, after = (old[k] if k < len(old) else ""), (new[k] if k < len(new) else "")
        cells.append(CellChange(_unchanged(after).segments if before == after
                                else segments(before, after, language)))
    return RowChange("changed", tuple(cells))


# Most texts are unchanged from one version to the next: each is reported by one shared
# value, not by three new objects per pair and language that the garbage collector walks
# again and again (at 200 versions x 10 languages, half of the time of all the diffs).
@lru_cache(maxsize=65536)
def _unchanged(text: str) -> TextChange:
    return TextChange("unchanged", (Segment("equal", text),) if text else ())


def segments(old: str, new: str, language: str) -> tuple[Segment, ...]:
    a, b = tokens.tokens(old, language), tokens.tokens(new, language)
    # The unchanged start and end are set aside first, as every diff tool does: edits are
    # local, and difflib's matching costs grow with the square of what is left to match.
    prefix = _common_length(a, b)
    suffix = _common_length(reversed(a[prefix:]), reversed(b[prefix:]))
    middle_a, middle_b = a[prefix:len(a) - suffix], b[prefix:len(b) - suffix]
    runs: list[list[str]] = []  # ["equal", text, text] or ["change", old text, new text]
    if prefix:
        runs.append(["equal", "".join(a[:prefix]), "".join(b[:prefix])])
    matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "equal" if op == "equal" else "change"
        old_text, new_text = "".join(middle_a[i1:i2]), "".join(middle_b[j1:j2])
        if runs and runs[-1][0] == kind:
            runs[-1][1] += old_text
            runs[-1][2] += new_text
        else:
            runs.append([kind, old_text, new_text])
    if suffix:
        tail = ["equal", "".join(a[len(a) - suffix:]), "".join(b[len(b) - suffix:])]
        if runs and runs[-1][0] == "equal":
            runs[-1][1] += tail[1]
            runs[-1][2] += tail[2]
        else:
            runs.append(tail)
    return tuple(_as_segments(_fold_short_equalities(runs)))


def _common_length(a: Iterable[str], b: Iterable[str]) -> int:
    """How many tokens `a` and `b` start with in common."""
    length = 0
    for x, y in zip(a, b, strict=False):  # the shorter one ends the common prefix
        if x != y:
            break
        length += 1
    return length


def _fold_short_equalities(runs: list[list[str]]) -> list[list[str]]:
    """Fold an unchanged run into the edits around it when it is no longer than the edit on
    either side (diff-match-patch's semantic cleanup): "the" kept between two rewritten
    clauses is noise to a reader, who wants to see the clause replaced."""
    changed = True
    while changed:
        changed = False
        for i in range(1, len(runs) - 1):
            before, equal, after = runs[i - 1], runs[i], runs[i + 1]
            if equal[0] != "equal" or before[0] != "change" or after[0] != "change":
                continue
            size = len(equal[1])
            if size <= max(len(before[1]), len(before[2])) and \
                    size <= max(len(after[1]), len(after[2])):
                runs[i - 1:i + 2] = [["change", before[1] + equal[1] + after[1],
                                      before[2] + equal[2] + after[2]]]
                changed = True
                break
    return runs


def _as_segments(runs: list[list[str]]) -> list[Segment]:
    result: list[Segment] = []
    for kind, old_text, new_text in runs:
        if kind == "equal":
            result.append(Segment("equal", new_text))
            continue
        if old_text:
            result.append(Segment("delete", old_text))
        if new_text:
            result.append(Segment("insert", new_text))
    return result


# --- structured data -----------------------------------------------------------------------

def flatten(value: object, language: str, prefix: str = "") -> dict[str, str]:
    """A model value as field path -> the text a reader sees in `language`."""
    if value is None:
        return {}
    if isinstance(value, Localized):
        return {prefix: value[language]}
    if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        # A list of objects (the controllers, say): each item under its number, from 1.
        items: dict[str, str] = {}
        for number, item in enumerate(value, 1):
            items.update(flatten(item, language, f"{prefix}.{number}"))
        return items
    if isinstance(value, tuple):
        return {prefix: ", ".join(map(str, value))}
    if dataclasses.is_dataclass(value):
        fields: dict[str, str] = {}
        for field in dataclasses.fields(value):
            key = f"{prefix}.{field.name}" if prefix else field.name
            fields.update(flatten(getattr(value, field.name), language, key))
        return fields
    return {prefix: str(value)}


def field_paths(cls: type, prefix: str = "") -> list[str]:
    """The paths `flatten` gives a value of dataclass `cls`, in the order it gives them."""
    paths: list[str] = []
    hints = typing.get_type_hints(cls)
    for member in dataclasses.fields(cls):
        key = f"{prefix}.{member.name}" if prefix else member.name
        hint = hints[member.name]
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        item = typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else None
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            paths += field_paths(item, key)  # each item's, under its number: key.1.name
            continue
        nested = dataclasses.is_dataclass(hint) and hint is not Localized
        paths += field_paths(hint, key) if nested else [key]
    return paths


def browser_rules() -> dict:
    """What compare.js must do exactly as this module does, as JSON data: the tokenizer and
    whitespace (generator/core/tokens.py) and the order fields are reported in, which a JSON
    document's sorted keys no longer tell."""
    return {**tokens.browser_rules(), "fieldOrder": {
        "facts": field_paths(Facts), "labels": field_paths(Labels, "labels"),
        "category": [f for f in field_paths(Category) if f != "id"]}}


def compare_fields(old: dict[str, str], new: dict[str, str]) -> tuple[FieldChange, ...]:
    keys = list(old) + [k for k in new if k not in old]
    return tuple(FieldChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k))


def _section_fields(section: Section, language: str, level: bool = True) -> dict[str, str]:
    """A section's fields; a section added or removed (`level` False) shows its links in
    its text, not each as a field added or removed."""
    fields = {"level": str(section.level)} if level else {}
    for category in section.categories:
        fields.update(flatten(dataclasses.replace(category, id="x"), language, category.id))
        fields.pop(f"{category.id}.id", None)
    fields.update(flatten(section.note, language, "note"))
    if section.block:
        fields["block"] = section.block
    if level:
        fields.update(link_fields(_body(section, language)))
    return fields


def link_fields(body: str) -> dict[str, str]:
    """The text's links as fields: "link:<its text>" -> its target, as written."""
    fields: dict[str, str] = {}
    for link in markup.links(body):
        key, number = LINK_FIELD + link.label, 2
        while key in fields:
            key, number = f"{LINK_FIELD}{link.label} ({number})", number + 1
        fields[key] = markup.link_as_written(link.href)
    return fields


# --- versions ------------------------------------------------------------------------------

def _moved(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Ids of common sections outside the longest run kept in order: those that moved."""
    common = [i for i in new_ids if i in old_ids]
    order = [old_ids.index(i) for i in common]
    # Longest increasing subsequence of old positions, in new order.
    best: list[list[int]] = []
    for position in order:
        candidates = [run for run in best if run[-1] < position]
        longest = max(candidates, key=len, default=[])
        best.append(longest + [position])
    kept = {old_ids[p] for p in max(best, key=len, default=[])}
    return set(common) - kept


@dataclass(frozen=True, slots=True)
class _Aligned:
    """A section of either version, matched by id, with what a redline says of it in every
    language: where it stood, whether it moved, whether anything in it changed."""

    before: Section | None
    after: Section | None
    old_position: int | None  # 1-based
    new_position: int | None
    moved: bool
    same: bool  # the whole section, in every language

    @property
    def id(self) -> str:
        section = self.after or self.before
        assert section is not None
        return section.id


def _align(old: Version, new: Version) -> list[_Aligned]:
    """Both versions' sections in the order a redline shows them: the new version's, each
    removed one where it stood, after the section that preceded it if that is still there."""
    old_ids = [s.id for s in old.sections]
    new_ids = {s.id for s in new.sections}
    moved = _moved(old_ids, [s.id for s in new.sections])
    old_sections = {s.id: (position, s) for position, s in enumerate(old.sections, 1)}
    aligned = []
    for position, section in enumerate(new.sections, 1):
        old_position, before = old_sections.get(section.id, (None, None))
        same = before == section
        aligned.append(_Aligned(before, section, old_position, position,
                                section.id in moved, same))
    for index, section in enumerate(old.sections):
        if section.id not in new_ids:
            anchor = next((c for c, a in enumerate(aligned)
                           if index > 0 and a.id == old_ids[index - 1]), -1)
            aligned.insert(anchor + 1, _Aligned(section, None, index + 1, None, False, False))
    return aligned


def compare(old: Version, new: Version, language: str) -> VersionDiff:
    return compare_each(old, new, (language,))[language]


def compare_each(old: Version, new: Version, languages: tuple[str, ...]
                 ) -> dict[str, VersionDiff]:
    """`compare` in each of `languages`. Which sections moved and which are equal is the same
    in every language, so it is found once: most of a policy is equal from one version to
    the next, and an equal section is reported from one look at its text."""
    aligned = _align(old, new)
    same_facts, same_labels = old.facts == new.facts, old.labels == new.labels
    same_processing = old.processing == new.processing
    diffs = {}
    for language in languages:
        facts = () if same_facts else compare_fields(flatten(old.facts, language),
                                                     flatten(new.facts, language))
        labels = () if same_labels else compare_fields(
            flatten(old.labels, language, "labels"), flatten(new.labels, language, "labels"))
        diffs[language] = VersionDiff(
            language, old.id, new.id, new.summary[language] if new.summary else None,
            tuple(_section_change(a, language) for a in aligned), facts + labels,
            processing=() if same_processing else processing_changes.compare_processing(
                old.processing, new.processing, language))
    return diffs


def _section_change(aligned: _Aligned, language: str) -> SectionChange:
    before, after = aligned.before, aligned.after
    if after is None:
        assert before is not None
        return SectionChange(
            before.id, "removed", before.title[language], None, aligned.old_position, None,
            False, compare_text(_body(before, language), "", language),
            compare_fields(_section_fields(before, language, level=False), {}))
    new_body = _body(after, language)
    if before is None:
        return SectionChange(
            after.id, "added", None, after.title[language], None, aligned.new_position, False,
            compare_text("", new_body, language),
            compare_fields({}, _section_fields(after, language, level=False)))
    if aligned.same:
        title = after.title[language]
        return SectionChange(after.id, "unchanged", title, title, aligned.old_position,
                             aligned.new_position, aligned.moved,
                             compare_text(new_body, new_body, language), ())
    old_title, new_title = before.title[language], after.title[language]
    body = compare_text(_body(before, language), new_body, language)
    fields = compare_fields(_section_fields(before, language), _section_fields(after, language))
    status: SectionStatus = "changed" if (body.kind != "unchanged" or fields or
                                          old_title != new_title) else "unchanged"
    return SectionChange(after.id, status, old_title, new_title, aligned.old_position,
                         aligned.new_position, aligned.moved, body, fields)


def _body(section: Section, language: str) -> str:
    return section.body[language] if section.body else ""


# --- renderings ----------------------------------------------------------------------------

def to_json(diff: VersionDiff, gettext=None, section=None) -> dict:
    """The diff as plain data: what the API publishes and `policygen diff --format json` prints.
    With a catalog's `gettext`, each changed field also carries its name in that language.
    `section(change, stale, gettext)`, where given, stands for `section_json` (the API
    splices in each section's JSON, written once for every document it recurs in)."""
    return {"language": diff.language, "from": diff.old_id, "to": diff.new_id,
            "summary": diff.summary, "unchanged": diff.unchanged,
            "sections": [(section or section_json)(c, c.id in diff.untranslated, gettext)
                         for c in diff.sections],
            "facts": [_field_json(f, gettext) for f in diff.facts],
            "processing": [processing_changes.to_json(c, gettext) for c in diff.processing]}


def section_json(change: SectionChange, stale: bool, gettext=None) -> dict:
    """One section of `to_json`; `stale`: its translation did not follow the authoritative
    text."""
    body: dict[str, object] | None = None if change.body is None else {
        "kind": change.body.kind, "segments": _segments_json(change.body.segments)}
    if change.body is not None and change.body.blocks and body is not None:
        body["blocks"] = [{"segments": _segments_json(block.segments), "rows": [
            {"op": row.op, "cells": [{"segments": _segments_json(cell.segments)}
                                     for cell in row.cells]} for row in block.rows]}
            for block in change.body.blocks]
    return {"id": change.id, "status": change.status, "old_title": change.old_title,
            "new_title": change.new_title, "old_position": change.old_position,
            "new_position": change.new_position, "moved": change.moved,
            "body": body, "fields": [_field_json(f, gettext) for f in change.fields],
            "retitled": change.retitled, "translation_stale": stale}


def _segments_json(segments: tuple[Segment, ...]) -> list[dict]:
    return [{"op": s.op, "text": s.text} for s in segments]


def _field_json(change: FieldChange, gettext) -> dict:
    data = {"field": change.field, "old": change.old, "new": change.new}
    if gettext is not None:
        data["name"] = field_name(change.field, gettext)
    return data


def field_name(field: str, gettext) -> str:
    """A changed field's name in the reader's language."""
    if field in FIELD_NAMES:
        return gettext(FIELD_NAMES[field])
    if field.startswith(LINK_FIELD):
        return gettext("Link “%(text)s”") % {"text": field[len(LINK_FIELD):]}
    head, number, key = (field.split(".", 2) + ["", ""])[:3]
    if number.isdigit() and f"{head}.{key}" in FIELD_NAMES:  # an item of a list of facts
        return f"{gettext(FIELD_NAMES[f'{head}.{key}'])} ({number})"
    head, _, key = field.partition(".")
    if head == "labels":
        return gettext("Wording of the label '%(name)s'") % {"name": key}
    if key in FIELD_NAMES:  # a category's field: "<category id>.<key>"
        return gettext("%(field)s of category '%(category)s'") % {
            "field": gettext(FIELD_NAMES[key]), "category": head}
    return field


_COLOURS = {"delete": ("\033[31m[-", "-]\033[0m"), "insert": ("\033[32m{+", "+}\033[0m")}
_PLAIN = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}


def to_text(diff: VersionDiff, gettext, colour: bool = False) -> str:
    """The diff for a terminal: [-deleted-] {+inserted+}, coloured when asked."""
    marks = _COLOURS if colour else _PLAIN
    lines = [gettext("Changes from %(old)s to %(new)s (%(language)s)") % {
        "old": diff.old_id, "new": diff.new_id, "language": diff.language}]
    if diff.summary:
        lines += ["", diff.summary]
    if diff.unchanged:
        lines += ["", gettext("No changes.")]
    for change in diff.facts:
        lines.append(_field_line(change, gettext))
    if diff.processing:
        lines += ["", gettext("What changed in the processing")]
        lines += ["- " + processing_changes.sentence(c, gettext) for c in diff.processing]
    for section in diff.sections:
        notes = section_notes(section, gettext, diff.untranslated)
        if not notes and section.status == "unchanged":
            continue
        lines += ["", f"## {section.new_title or section.old_title} [{section.id}]: " +
                  "; ".join(notes)]
        if section.body and section.body.kind == "wording":
            lines.append("".join(s.text if s.op == "equal" else
                                 marks[s.op][0] + s.text + marks[s.op][1]
                                 for s in section.body.segments))
        for change in section.fields:
            lines.append(_field_line(change, gettext))
    return "\n".join(lines) + "\n"


def _field_line(change: FieldChange, gettext) -> str:
    empty = gettext("(none)")
    return f"{field_name(change.field, gettext)}: {change.old or empty} -> {change.new or empty}"


def section_notes(section: SectionChange, gettext,
                  untranslated: frozenset[str] = frozenset()) -> list[str]:
    notes = []
    if section.status == "added":
        notes.append(gettext("added"))
    elif section.status == "removed":
        notes.append(gettext("removed"))
    if section.moved:
        notes.append(gettext("moved from position %(old)s to %(new)s") % {
            "old": section.old_position, "new": section.new_position})
    if section.retitled:
        notes.append(gettext("retitled from “%(old)s”") % {"old": section.old_title})
    if section.status == "changed" and section.body:
        kind = section.body.kind
        if kind == "wording":
            notes.append(gettext("wording changed"))
        elif kind == "whitespace":
            notes.append(gettext("whitespace only"))
        elif kind == "formatting" and any(f.field.startswith(LINK_FIELD)
                                          for f in section.fields):
            notes.append(gettext("link changed"))
        elif kind == "formatting":
            notes.append(gettext("formatting only"))
    if section.id in untranslated:
        notes.append(gettext("translation not updated"))
    return notes
