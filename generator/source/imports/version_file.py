"""An imported text written into the project: a new version file, or one language of an
existing version's sections. Round-trip YAML (ruamel), so that a file the legal team has
commented keeps its comments."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from generator.core.diagnostics import Diagnostic, UsageError
from generator.source.imports.text import ImportedSection, ImportedText
from generator.source.new_version import _yaml


def _text(value: str) -> str:
    # A body as a literal block: read as the legal team wrote it, line for line.
    return LiteralScalarString(value) if "\n" in value or len(value) > 80 else value


def _section(section: ImportedSection, language: str) -> CommentedMap:
    written = CommentedMap()
    written["id"] = section.id
    if section.level != 1:
        written["level"] = section.level
    written["title"] = CommentedMap({language: section.title})
    if section.body is not None:
        written["body"] = CommentedMap({language: _text(section.body)})
    return written


def new_version(imported: ImportedText, language: str, version_id: str,
                effective_date: dt.date, published: bool, facts_from: str, origin: str,
                title: str | None = None) -> str:
    """A version file of the imported text, titled `title` where it goes by a title of its
    own, with the facts of `facts_from` (the text of the version before it), which the
    import cannot know, and its labels where it words them itself."""
    yaml = _yaml()
    before = yaml.load(facts_from)
    data = CommentedMap()
    # A date-like id is written as the date, a distinct object (one object written twice
    # would be a YAML alias, which the reader refuses).
    data["id"] = dt.date.fromisoformat(version_id) \
        if version_id == effective_date.isoformat() else version_id
    data["effective_date"] = effective_date
    data["status"] = "published" if published else "draft"
    data["reconsent_required"] = False
    data["facts"] = before["facts"]
    if "labels" in before:
        data["labels"] = before["labels"]
    if title is not None:  # after the facts, whose last line may hold a comment
        data["title"] = CommentedMap({language: title})
    data["sections"] = CommentedSeq(_section(section, language)
                                    for section in imported.sections)
    data.yaml_set_start_comment(
        "yaml-language-server: $schema=../schema/version.schema.json\n\n"
        f"Imported by `policygen import` from {origin}." + (
            "\nA text published in the past: its effective date had passed when it was "
            "recorded, so no summary is asked for." if published else ""))
    data.yaml_set_comment_before_after_key(
        "facts", before="\nThe facts of the version before" +
        (" and its labels" if "labels" in before else "") + ": the import does not know them.")
    written = io.StringIO()
    yaml.dump(data, written)
    return written.getvalue()


def into(text: str, imported: ImportedText, language: str, authoritative: str,
         shown: str, policy_title: str | None = None) -> tuple[str, str, list[Diagnostic]]:
    """The version file `text` with the imported sections as its `language` text; returns
    the new text, how the sections were matched, and what did not match. The authoritative
    language's import replaces the sections (a corrected or re-imported text), keeping the
    translations of the ids that remain; a translation is matched to the sections by id,
    else by order when both have as many. The imported title is the version's own where it
    is not `policy_title` (policy.yaml's), or where the version has a title of its own."""
    yaml = _yaml()
    data = yaml.load(text)
    if imported.title is not None and ("title" in data or imported.title != policy_title):
        if "title" not in data:
            data.insert(list(data).index("sections"), "title", CommentedMap())
        data["title"][language] = imported.title
    existing = list(data["sections"])
    by_id = {str(section["id"]): section for section in existing}
    found: list[Diagnostic] = []
    if language == authoritative:
        kept = CommentedSeq()
        for section in imported.sections:
            new = _section(section, language)
            old = by_id.get(section.id)
            for key in ("title", "body"):
                for other, value in (old or {}).get(key, {}).items():
                    if other != language and key in new:
                        new[key][other] = value
            kept.append(new)
        data["sections"] = kept
        how = "sections replaced"
    else:
        if all(section.id in by_id for section in imported.sections):
            pairs = [(by_id[section.id], section) for section in imported.sections]
            how = "matched by id"
        elif len(imported.sections) == len(existing):
            pairs = list(zip(existing, imported.sections, strict=True))
            how = "matched by order (the ids differ)"
        else:
            unmatched = [s.id for s in imported.sections if s.id not in by_id]
            raise UsageError(f"{len(unmatched)} of the imported sections match no section "
                             f"of {shown} by id ({', '.join(unmatched[:5])}), and the counts "
                             f"differ ({len(imported.sections)} imported, {len(existing)} in "
                             "the version)", "give the headings the ids of the version's "
                             "sections ({#id} after a Markdown heading, id= in HTML)")
        for target, section in pairs:
            target["title"][language] = section.title
            if section.body is not None:
                target.setdefault("body", CommentedMap())[language] = _text(section.body)
        missing = {str(s["id"]) for s in existing} - {str(t["id"]) for t, _ in pairs}
        found += [Diagnostic(shown, 1, 1, f"section '{section_id}' has no '{language}' text "
                             "in the imported file", "translate it in the version file"
                             ).as_warning() for section_id in sorted(missing)]
    written = io.StringIO()
    yaml.dump(data, written)
    return written.getvalue(), how, found


def with_correction(text: str, day: dt.date, reason: dict[str, str]) -> str:
    """The version file `text` with one more correction entry (what `policygen lock
    --correct` records): the day and the reason readers are shown, in each language."""
    yaml = _yaml()
    data = yaml.load(text)
    if "corrections" not in data:
        data["corrections"] = CommentedSeq()
    data["corrections"].append(CommentedMap({"date": day, "reason": CommentedMap(reason)}))
    written = io.StringIO()
    yaml.dump(data, written)
    return written.getvalue()


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")
