"""Content known by its SHA-256 before it is read: a PDF or a page's Markdown kept in a cache
by an earlier build. A build that only needs to know whether it changed compares hashes; the
bytes are read (and checked against the hash) only where they are written or rendered."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Deferred:
    """Bytes not held in memory: their SHA-256, known already, and what reads them, checking
    them against it (a kept file changed since it was found is never used)."""

    sha256: str
    read: Callable[[], bytes]


Content = bytes | Deferred
