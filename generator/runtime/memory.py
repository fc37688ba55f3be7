"""Results a long-lived process (serve) keeps in memory from one build to the next, by kind
and key: found again without reading, checking or unpickling a file."""
from __future__ import annotations

from collections.abc import Mapping


class Memory:
    """The results held in memory, in the caller's dict; without one, none are held."""

    __slots__ = ("held",)

    def __init__(self, held: dict | None):
        self.held = held

    def __contains__(self, found: tuple[str, str]) -> bool:
        return self.held is not None and found in self.held

    def __getitem__(self, found: tuple[str, str]) -> object:
        assert self.held is not None  # asked only for what it contains
        return self.held[found]

    def keep(self, kind: str, entry: str, value: object) -> None:
        if self.held is not None:
            self.held[kind, entry] = value

    def keeps(self, kind: str) -> bool:
        """Whether any result of `kind` is held."""
        return self.held is not None and any(found == kind for found, _ in self.held)

    def known(self) -> frozenset[tuple[str, str]]:
        return frozenset(self.held) if self.held is not None else frozenset()

    def added_since(self, known: frozenset[tuple[str, str]]) -> dict:
        """What was held after `known` was: a worker's additions, for its parent's memory."""
        return {} if self.held is None else {
            found: value for found, value in self.held.items() if found not in known}

    def add(self, added: Mapping) -> None:
        if self.held is not None:
            self.held.update(added)

    def forget_unused(self, used: Mapping[str, set[str]]) -> None:
        """Keep only what one build used: memory holds one build's worth, like the disk."""
        if self.held is not None:
            for kind, entry in list(self.held):
                if entry not in used.get(kind, ()):
                    del self.held[kind, entry]
