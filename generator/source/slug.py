"""Identifiers made from text: a heading's anchor as GitHub makes it (the anchors a policy
published as Markdown already has, which its readers' links name), and an ASCII slug for
ids that become file names."""
from __future__ import annotations

import re
import unicodedata


def github_anchor(text: str) -> str:
    """GitHub's heading anchor: lowercased, punctuation removed, each space a hyphen
    ("Changes & questions" -> "changes--questions")."""
    kept = "".join(c for c in text.strip().lower()
                   if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens ("Société Générale" ->
    "societe-generale")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# Names Windows gives its devices, in any folder, whatever follows a dot: a site holding a
# file or folder of one of these names cannot be checked out, copied or unzipped there.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                              *(f"lpt{n}" for n in range(10))})


def windows_reserved(name: str) -> bool:
    """Whether Windows refuses `name` as a file or folder name (CON, nul.txt, com1.yaml)."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_RESERVED
