"""Files in versions/ that are not read as versions, said by name: a draft saved as `.YAML`,
`.yaml.txt` or left as an editor's backup would otherwise be missing from the site without a
word ("OK (3 versions)")."""
from __future__ import annotations

import re
from pathlib import Path

from generator.core.diagnostics import Diagnostic
from generator.source.read import display_path

# What a folder may hold besides versions without a word: git's placeholder, the files
# operating systems leave.
_QUIET = frozenset({".gitkeep", ".keep", ".DS_Store", "Thumbs.db", "desktop.ini"})
# A version's name with its extension in other letters, or another extension after it.
_VERSION_LIKE = re.compile(r"^(?P<stem>[^.].*?)\.(?P<ext>ya?ml)(?P<rest>.*)$", re.IGNORECASE)
_BACKUP = re.compile(r"(~|\.(swp|swo|swx|bak|orig|tmp|rej)|#)$", re.IGNORECASE)


def misnamed_versions(folder: Path) -> list[Diagnostic]:
    """A warning for each file of `folder` that is not read: what it would be read as."""
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        name = path.name
        if name in _QUIET or re.fullmatch(r"[^.].*\.ya?ml", name):
            continue  # read as a version (a folder so named too: read_file refuses it)
        found.append(Diagnostic(display_path(path), 1, 1, *_advice(name), severity="warning"))
    return found


def _advice(name: str) -> tuple[str, str]:
    like = _VERSION_LIKE.match(name)
    if _BACKUP.search(name):
        return (f"'{name}' is not read: it looks like an editor's backup or temporary file",
                "delete it once the editor is closed (or move it out of versions/)")
    if like and not like.group("stem").startswith("."):
        stem = like.group("stem")
        ending = "in .yaml (lowercase)" if not like.group("rest") else "in .yaml"
        return (f"'{name}' is not read: only files ending {ending} are versions",
                f"rename it to {stem}.yaml to have it read as version '{stem}', or move it "
                "out of versions/")
    return (f"'{name}' is not read: only files ending in .yaml are versions",
            "rename it to <version id>.yaml to have it read, or move it out of versions/")
