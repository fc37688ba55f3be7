"""One policygen's results in the project's cache folder: a folder per fingerprint (results
of another policygen or dependency version can never be found again), holding a folder per
kind of result, one file per key, and the site engine's records of each output."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Collection
from pathlib import Path

from generator.runtime import pickled, removal
from generator.runtime.content import Deferred
from generator.runtime.verified import VerifiedFile, read_verified, write_verified, write_whole

_TEXT_HEADER = b"policygen text sha256="


class Generation:
    """The folder of results made by this policygen, by kind and key."""

    __slots__ = ("root", "directory")

    def __init__(self, root: Path, fingerprint: bytes):
        self.root = root
        self.directory = root / fingerprint.hex()[:16]

    def has(self, kind: str, entry: str) -> bool:
        return (self.directory / kind / entry).is_file()

    def keeps(self, kind: str) -> bool:
        """Whether results of `kind` were kept by an earlier build."""
        try:
            with os.scandir(self.directory / kind) as entries:
                return any(True for _ in entries)
        except OSError:
            return False

    def read_result(self, kind: str, entry: str) -> tuple[bool, object]:
        """(True, the value) kept for `entry`; (False, None) when it is missing or damaged
        (then computed again, and replaced on commit)."""
        try:
            data = (self.directory / kind / entry).read_bytes()
        except OSError:
            return False, None
        return pickled.unsealed(data)

    def read_text(self, kind: str, entry: str) -> tuple[Deferred, str] | None:
        """The text kept for `entry`, checked whole now but read again only where it is
        needed, and its SHA-256; None when it is missing or damaged."""
        path = self.directory / kind / entry
        found = read_verified(path, _TEXT_HEADER)
        if found is None:
            return None
        return Deferred(found[1], VerifiedFile(path, _TEXT_HEADER, found[1]).read), found[1]

    def write_result(self, kind: str, entry: str, value: object) -> None:
        write_whole(self.directory / kind / entry, pickled.sealed(value))

    def write_text(self, kind: str, entry: str, data: bytes, sha256: str) -> None:
        write_verified(self.directory / kind / entry, _TEXT_HEADER, data, sha256)

    def forget_except(self, kind: str, entries: Collection[str]) -> None:
        """Remove the results of `kind` but `entries`."""
        folder = self.directory / kind
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name not in entries and not path.name.startswith("."):
                path.unlink(missing_ok=True)

    def remove_others(self) -> None:
        """Remove the folders of other policygen versions, which nothing can find again."""
        if not self.root.is_dir():
            return
        for other in self.root.iterdir():
            if other != self.directory and other.is_dir() and \
                    not other.name.startswith("."):  # being removed already
                # by a detached process where it holds sites kept for the next build
                removal.remove_aside(other, large=any(other.glob("sites/*/spare")))

    def records(self, out_dir: Path) -> Path:
        """Where the site engine keeps its records of the builds into `out_dir` (and the
        spare site it brings up to date next time)."""
        where = hashlib.sha256(os.fsencode(os.path.realpath(out_dir))).hexdigest()[:16]
        return self.directory / "sites" / where
