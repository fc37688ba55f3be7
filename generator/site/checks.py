"""Warnings about the project around the policy: a setting left in mkdocs.yml that the build
replaces, a language whose interface has no catalog. Both would otherwise pass in silence.
And two errors the engine would meet later and report in its own words: a mkdocs.yml that
is not YAML, and a theme override that is a symbolic link checked out as a text file, which
it would render as the page. They read the project's files (this is the edge) and
place each problem at file:line:column."""
from __future__ import annotations

import os
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from generator.core import i18n, languages
from generator.core.diagnostics import Diagnostic
from generator.site.engines import REPLACED_IN_LOOK, SHARED_OVERRIDES
from generator.source.convert import POLICY_FILE
from generator.source.project import DEFAULTS, LOCALES, LOOK, OVERRIDES, Project
from generator.source.read import Node, display_path, read_file


def warnings(project: Project, policy_languages: tuple[str, ...]) -> list[Diagnostic]:
    return [*unusable_parts(project),
            *look_syntax(project.look),
            *replaced_in_look(project.look),
            *missing_catalogs(project, policy_languages),
            *links_checked_out_as_text(project.overrides)]


def unusable_parts(project: Project) -> list[Diagnostic]:
    """Each of the project's own look, overrides and catalogs that cannot stand in for the
    package's default of the same name: a broken link, a file where a folder belongs (or the
    reverse), an overrides folder without a template the pages need. The engine would fail
    on it later, naming a file of its temporary workspace."""
    found = []
    for part, folder in ((LOOK, False), (OVERRIDES, True), (LOCALES, True)):
        own = project.own(part)
        if own is None:
            continue
        shown = display_path(own)
        use_default = f"or delete {part} to use policygen's default"
        if not own.exists():
            found.append(Diagnostic(shown, 1, 1, f"{part} is a link to '{os.readlink(own)}', "
                                    "which does not exist", f"point it at the project's own "
                                    f"{part}, {use_default}"))
        elif own.is_dir() != folder:
            found.append(Diagnostic(shown, 1, 1, f"{part} is a {'file' if folder else 'folder'}"
                                    f", not the {'folder' if folder else 'file'} it must be",
                                    f"replace it with the project's own {part}, {use_default}"))
    own = project.own(OVERRIDES)
    if own is not None and own.is_dir():
        default = DEFAULTS / OVERRIDES
        for path in sorted(default.rglob("*")):
            name = path.relative_to(default)
            if path.is_file() and not (own / name).is_file():
                found.append(Diagnostic(
                    display_path(own / name), 1, 1, f"{OVERRIDES}/ has no {name.as_posix()}, "
                    "which the pages need: a project's own overrides replace the default "
                    "ones whole", f"copy it from {path} and change what the project needs, "
                    f"or delete {OVERRIDES}/ to use policygen's default"))
    return found


def look_syntax(look: Path) -> list[Diagnostic]:
    """mkdocs.yml's YAML syntax, at the place it breaks. Only composed, not constructed: the
    look may use tags (!!python/name:...) that the engine resolves."""
    if not look.is_file():
        return []
    try:
        YAML(typ="rt", pure=True).compose(look.read_text(encoding="utf-8", errors="replace"))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return [Diagnostic(display_path(look), line, column,
                           f"{look.name} is not valid YAML: {error.problem or error.context}",
                           f"fix the YAML at this place ({look.name} holds the site's look: "
                           "theme, palette, Markdown extensions)")]
    return []


def replaced_in_look(look: Path) -> list[Diagnostic]:
    """Each key of mkdocs.yml that the build replaces. A look the reader refuses is left to
    the engine, which reports it with its own words."""
    root = _mapping(look)
    if root is None:
        return []
    return [key.error(f"'{name}' in {look.name} is ignored: policygen sets it", fix).as_warning()
            for name, (key, _) in root.items.items()
            for fix in [REPLACED_IN_LOOK.get(name)] if fix]


def missing_catalogs(project: Project, policy_languages: tuple[str, ...]) -> list[Diagnostic]:
    """Each language of the policy without an interface catalog: its pages would show the
    interface in English, the language of the catalogs' source strings."""
    missing = [language for language in policy_languages
               if languages.locale(language).language != "en"
               and not i18n.catalog_path(project.locales, language).is_file()]
    if not missing:
        return []
    policy_file = project.source / POLICY_FILE
    listed = _listed_languages(policy_file)
    found = []
    for language in missing:
        name = i18n.catalog_path(project.locales, language).parts[-3]
        where = listed.get(language)
        message = (f"language '{language}' has no interface catalog "
                   f"({display_path(i18n.catalog_path(project.locales, language))}): its "
                   f"pages would show the interface in English")
        hint = (f"create it with .venv/bin/pybabel init -i locales/messages.pot -d locales "
                f"-l {name}, then translate its strings")
        if project.own(LOCALES) is None:  # a project's own catalogs replace the defaults whole
            hint = f"copy {DEFAULTS / LOCALES} to {LOCALES}/, then {hint}"
        found.append((where.error(message, hint) if where else
                      Diagnostic(display_path(policy_file), 1, 1, message, hint)).as_warning())
    return found


def links_checked_out_as_text(overrides: Path) -> list[Diagnostic]:
    """Each template holding nothing but the path of another file: a symbolic link that git
    wrote as a text file (core.symlinks=false, as on Windows). policygen's own overrides use
    no links; a project made from an older copy may still have them."""
    found = []
    for path in sorted(overrides.rglob("*.html")) if overrides.is_dir() else ():
        if path.is_symlink() or path.stat().st_size > 256:
            continue
        target = path.read_text(encoding="utf-8", errors="replace").strip()
        if target and not any(c.isspace() or c in "{<" for c in target) and \
                (path.parent / target).is_file():
            found.append(Diagnostic(
                display_path(path), 1, 1,
                f"this template holds only the path '{target}': a symbolic link checked out "
                "as a text file (git's core.symlinks=false, as on Windows)",
                f"delete it if it names a file of {overrides.name}/{SHARED_OVERRIDES}/, which "
                "both engines read without links; else replace it with a copy of the file "
                "it names"))
    return found


def _mapping(path: Path) -> Node | None:
    if not path.is_file():
        return None
    root, problems = read_file(path)
    return root if root is not None and not problems and root.kind == "map" else None


def _listed_languages(policy_file: Path) -> dict[str, Node]:
    """Each language of policy.yaml's `languages` list, at its item."""
    root = _mapping(policy_file)
    value = root.items.get("languages", (None, None))[1] if root else None
    if value is None or value.kind != "seq":
        return {}
    return {item.value: item for item in value.elements if isinstance(item.value, str)}
