"""A language added to a policy already published: the source edits a legal team makes."""
from __future__ import annotations

import re


def _entries(lines: list[str], language: str) -> list[tuple[int, int]]:
    """Where each text in `language` stands: (first line, line after it), a block scalar's
    indented lines included."""
    key = re.compile(rf"^(\s*){re.escape(language)}:( |$)")
    found, index = [], 0
    while index < len(lines):
        match = key.match(lines[index])
        index += 1
        if not match:
            continue
        start, indent = index - 1, len(match.group(1))
        while index < len(lines):
            following = next((line for line in lines[index:] if line.strip()), "")
            if _indent(following) <= indent or (lines[index].strip() and
                                                _indent(lines[index]) <= indent):
                break
            index += 1
        found.append((start, index))
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def translate(text: str, language: str) -> str:
    """A version file with a `language` text after every English one: the English, with the
    company's name as `language` writes it, stands for the translator's work."""
    lines, out, done = text.split("\n"), [], 0
    for start, end in _entries(lines, "en"):
        out += lines[done:end]
        copy = "\n".join(lines[start:end]).replace("en:", f"{language}:", 1)
        out += copy.replace("ISAO Corporation", "la société ISAO").split("\n")
        done = end
    return "\n".join(out + lines[done:])


def without(text: str, language: str) -> str:
    """A version file with every text in `language` removed."""
    lines, out, done = text.split("\n"), [], 0
    for start, end in _entries(lines, language):
        out += lines[done:start]
        done = end
    return "\n".join(out + lines[done:])


def add_language(project, language: str, name: str, versions: tuple[str, ...]) -> None:
    """List `language` in policy.yaml (its title `name`) and translate only `versions`."""
    project.replace("policy.yaml", "languages: [ja, en]", f"languages: [ja, en, {language}]")
    project.replace("policy.yaml", "  en: Privacy Policy\n",
                    f"  en: Privacy Policy\n  {language}: {name}\n")
    for version_id in versions:
        relative = f"versions/{version_id}.yaml"
        project.write(relative, translate(project.read(relative), language))
