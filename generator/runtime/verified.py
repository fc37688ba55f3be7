"""Files that name the SHA-256 of their data on their first line, so that one damaged by a
full disk, a killed process or a hand edit is found and ignored: the cache's texts, the
user's cache of PDFs and of compiled templates."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator.core.diagnostics import CacheChanged
from generator.runtime.atomic import replace_whole


def read_verified(path: Path | None, header: bytes) -> tuple[bytes, str] | None:
    """A file that `write_verified` wrote: its data and their SHA-256, or None when it is
    missing or its data do not match the hash its first line names."""
    if path is None:
        return None
    try:
        line, _, data = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    sha256 = hashlib.sha256(data).hexdigest()
    return (data, sha256) if line == header + sha256.encode() else None


def write_verified(path: Path, header: bytes, data: bytes, sha256: str) -> bool:
    """`data` after a line naming their SHA-256 (after `header`), so that a damaged file is
    found and ignored by `read_verified`."""
    return write_whole(path, header + sha256.encode() + b"\n" + data)


def verified_size(header: bytes, size: int) -> int:
    """The size of a file `write_verified` wrote of `size` bytes: its header line (the
    label, 64 hex digits, a newline) and the data."""
    return len(header) + 65 + size


def write_whole(path: Path, content: bytes) -> bool:
    """atomic.replace_whole, without flushing to the disk (a lost entry is made again).
    False when the cache could not be written, which only costs time."""
    try:
        replace_whole(path, content, durable=False)
    except OSError:  # a read-only or full disk: the build goes on without keeping this
        return False
    return True


@dataclass(frozen=True, slots=True)
class VerifiedFile:
    """A file an earlier build wrote (write_verified), read again only when it is needed,
    and then checked against the hash it was found with."""

    path: Path
    header: bytes
    sha256: str

    def read(self) -> bytes:
        found = read_verified(self.path, self.header)
        if found is None or found[1] != self.sha256:
            raise CacheChanged(f"{self.path} in policygen's cache changed during the build",
                             "build again; a changed or damaged entry is then made anew")
        return found[0]
