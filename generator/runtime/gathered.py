"""What one command, or one of its workers, found in the cache and made for it: counted for
the benchmark and the tests, the entries it used (a pruning commit keeps only those), and
the new results, written only once the command has succeeded."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Gathered:
    """The hits, misses and used entries of one command, and its results still to write."""

    hits: int = 0
    missed: dict[str, int] = field(default_factory=dict)  # misses by kind of result
    used: dict[str, set[str]] = field(default_factory=dict)  # entries by kind of result
    # New results by kind and key: pickled values, and texts as (UTF-8 bytes, SHA-256)
    results: dict[tuple[str, str], object] = field(default_factory=dict)
    texts: dict[tuple[str, str], tuple[bytes, str]] = field(default_factory=dict)

    @property
    def misses(self) -> int:
        return sum(self.missed.values())

    def use(self, kind: str, entry: str) -> None:
        self.used.setdefault(kind, set()).add(entry)

    def miss(self, kind: str) -> None:
        self.missed[kind] = self.missed.get(kind, 0) + 1

    def add(self, other: Gathered) -> None:
        """What another process gathered (a worker's, see Cache.apart), as if gathered here."""
        self.hits += other.hits
        for kind, count in other.missed.items():
            self.missed[kind] = self.missed.get(kind, 0) + count
        for kind, entries in other.used.items():
            self.used.setdefault(kind, set()).update(entries)
        self.results.update(other.results)
        self.texts.update(other.texts)


@dataclass(frozen=True, slots=True)
class Gained:
    """What a worker's copy of a Cache gathered and added to memory, for the parent's."""

    gathered: Gathered
    held: dict
