"""`policygen import`: a policy as published (Markdown or HTML) made a version of the
project, or one language of a draft. Reading the text is pure (markdown.py, html.py, down to
text.py's sections); this module is the edge that reads FILE and writes the version file."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from generator.core.diagnostics import Diagnostic, UsageError
from generator.core.i18n import N_
from generator.core.model import SLUG_PATTERN
from generator.source.convert import POLICY_FILE, RESERVED_VERSION_IDS, VERSIONS_DIR
from generator.source.imports import html, markdown, version_file
from generator.source.imports.text import ImportedText, Links
from generator.source.read import display_path
from generator.source.slug import windows_reserved
from generator.source.start import PLACEHOLDER

# The title of the section holding the text before the first heading, from the catalogs.
INTRODUCTION = N_("Introduction")
NO_LINKS = Links()  # relative links are reported, not resolved
READERS = {".md": markdown.parse, ".markdown": markdown.parse, ".html": html.parse,
           ".htm": html.parse}


@dataclass(frozen=True, slots=True)
class Imported:
    path: Path  # the version file written
    summary: str  # what was written, in one line
    diagnostics: tuple[Diagnostic, ...]  # what FILE holds that could not be kept as it is
    text: ImportedText
    untranslated: tuple[str, ...] = ()  # the policy's other languages, which it lacks yet
    # The draft `policygen init` wrote, whose facts the version took: its texts are still
    # placeholders, so the imported text replaces it.
    replaces: Path | None = None


def read(file: Path, introduction: str, links: Links = NO_LINKS) -> ImportedText:
    """FILE's text as sections, by its suffix."""
    reader = READERS.get(file.suffix.lower())
    if reader is None:
        raise UsageError(f"{display_path(file)} is neither Markdown nor HTML (by its name)",
                         "name it .md or .html")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{display_path(file)} does not exist", "check the path") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"{display_path(file)} is not UTF-8 text ({error.reason} at byte "
                         f"{error.start})", "save it as UTF-8") from None
    return reader(text.replace("\r\n", "\n"), display_path(file), introduction, links)


def import_file(source: Path, file: Path, language: str, introduction: str,
                effective_date: dt.date | None = None, version_id: str | None = None,
                published: bool = False, into: str | None = None,
                links: Links = NO_LINKS, locked: bool = False) -> Imported:
    """Import FILE as a new version (`effective_date`) or as the `language` text of the
    version `into`. `locked`: whether the project has locked a version yet."""
    policy = _policy_info(source)
    if language not in policy["languages"]:
        raise UsageError(f"'{language}' is not a language of the policy "
                         f"({', '.join(policy['languages'])})",
                         f"add it to 'languages' in {POLICY_FILE} first")
    imported = read(file, introduction, links)
    titled = policy["title"].get(language)
    folder = source / VERSIONS_DIR
    if into is not None:
        target = _version_path(folder, into)
        if target is None:
            raise UsageError(f"there is no version '{into}' in {display_path(folder)}",
                             "name an existing draft, or import with --effective-date")
        text = version_file.read_text(target)
        if re.search(r"^status:\s*published\b", text, re.M):
            raise UsageError(f"version {into} is published: its text is locked",
                             "start a draft (policygen new-version) and import into it")
        written, how, found = version_file.into(text, imported, language,
                                                policy["authoritative_language"],
                                                display_path(target), titled)
        target.write_text(written, encoding="utf-8")
        return Imported(target, f"the '{language}' text of {len(imported.sections)} "
                        f"sections, {how}", imported.diagnostics + tuple(found), imported)
    assert effective_date is not None
    version_id = version_id or effective_date.isoformat()
    if (not re.match(SLUG_PATTERN, version_id) or version_id in RESERVED_VERSION_IDS
            or windows_reserved(version_id)):
        raise UsageError(f"'{version_id}' cannot be a version id", "use lowercase letters, "
                         "digits and inner hyphens, such as the effective date 2028-04-01")
    if _version_path(folder, version_id) is not None:
        raise UsageError(f"version {version_id} already exists",
                         f"import into it with --into {version_id}, or choose another --id")
    before = _facts_source(folder, effective_date)
    target = folder / f"{version_id}.yaml"
    # A version goes by the title its text has, where that is not the policy's.
    own_title = imported.title if imported.title != titled else None
    target.write_text(version_file.new_version(
        imported, language, version_id, effective_date, published,
        version_file.read_text(before), file.name, own_title), encoding="utf-8")
    levels = sorted({section.level for section in imported.sections})
    own = f" titled '{own_title}' (policy.yaml's: '{titled}')" if own_title else ""
    return Imported(target, f"{'published' if published else 'draft'} version "
                    f"{version_id}{own}, {len(imported.sections)} sections (levels "
                    f"{', '.join(map(str, levels))}), facts from {before.stem}" +
                    _enacted_by(source, effective_date, locked), imported.diagnostics, imported,
                    tuple(code for code in policy["languages"] if code != language),
                    before if PLACEHOLDER in version_file.read_text(before) else None)


def _enacted_by(source: Path, effective_date: dt.date, locked: bool) -> str:
    """policy.yaml's enactment date moved back to an earlier version's, while nothing is
    locked (the date is part of every locked text); what was done, for the summary."""
    path = source / POLICY_FILE
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^enactment_date:\s*(\d{4}-\d{2}-\d{2})\s*$", text, re.M)
    if match is None or dt.date.fromisoformat(match.group(1)) <= effective_date:
        return ""
    if locked:
        return (f"; policy.yaml's enactment_date ({match.group(1)}) is after it: locked "
                "texts state that date, so it is left as it is")
    path.write_text(text[:match.start(1)] + effective_date.isoformat() + text[match.end(1):],
                    encoding="utf-8")
    return f"; policy.yaml's enactment_date moved from {match.group(1)} to {effective_date}"


def policy_title(source: Path, language: str) -> str | None:
    """policy.yaml's title in `language`: the one a version goes by unless it has its own."""
    return _policy_info(source)["title"].get(language)


def _policy_info(source: Path) -> dict:
    from ruamel.yaml import YAML

    path = source / POLICY_FILE
    if not path.is_file():
        raise UsageError(f"{display_path(path)} does not exist: no project here",
                         "start one with policygen init DIR, or pass --project DIR")
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) or {}
    return {"languages": [str(tag) for tag in data.get("languages") or []],
            "authoritative_language": str(data.get("authoritative_language", "")),
            "title": {str(k): str(v) for k, v in (data.get("title") or {}).items()}}


def _version_path(folder: Path, version_id: str) -> Path | None:
    return next((path for path in (folder / f"{version_id}.yaml", folder / f"{version_id}.yml")
                 if path.is_file()), None)


def _facts_source(folder: Path, effective_date: dt.date) -> Path:
    """The version whose facts the new one starts with: the latest before it, else the
    earliest (the draft `policygen init` wrote)."""
    from ruamel.yaml import YAML

    dated = []
    for path in sorted(folder.glob("*.y*ml")):
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) or {}
        day = data.get("effective_date")
        if isinstance(day, dt.date) and "facts" in data:
            dated.append((day, path))
    if not dated:
        raise UsageError(f"no version in {display_path(folder)} to take the facts from",
                         "start the project with policygen init, which writes one")
    earlier = [item for item in sorted(dated) if item[0] < effective_date]
    return (earlier[-1] if earlier else sorted(dated)[0])[1]
