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
