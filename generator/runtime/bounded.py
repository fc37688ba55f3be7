"""Reading a file the user controls without trusting what it is: only a regular file, only up
to a limit, never waiting. `/dev/zero`, a FIFO, a sparse file of gigabytes, a directory or a
symbolic link going round in a loop, put where a file is expected, would otherwise take all
memory or hang the command; each is refused, by what it is, before anything is read."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# Non-blocking: opening a FIFO for reading waits for a writer otherwise (forever, in a build).
# Windows has neither FIFOs nor the flag.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class Unreadable(Exception):
    """What is wrong with the file, and how to fix it, for a located message."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, refused (Unreadable) when it is something
    else, holds more than `limit` bytes, or cannot be opened."""
    try:
        descriptor = os.open(path, _FLAGS)
    except OSError as error:
        raise _unopenable(error) from error
    try:
        kind = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(kind):
            raise Unreadable(f"this is {_kind(kind)}, not a regular file",
                             "replace it with an ordinary file (or remove it)")
        size = os.fstat(descriptor).st_size
        if size > limit:  # a sparse file says its size without a byte being read
            raise Unreadable(_too_large(size, limit), _SPLIT)
        chunks, total = [], 0
        while total <= limit:  # the file may grow while it is read: read one byte past
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise Unreadable(_too_large(total, limit), _SPLIT)
        return b"".join(chunks)
    except OSError as error:  # EISDIR on platforms that open folders, EIO of a bad disk
        raise _unopenable(error) from error
    finally:
        os.close(descriptor)


_SPLIT = "split the text, or remove what was pasted by mistake"


def _too_large(size: int, limit: int) -> str:
    return f"the file is {size:,} bytes, larger than the {limit:,} bytes it may have"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device (such as /dev/zero)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _unopenable(error: OSError) -> Unreadable:
    if error.errno == errno.ELOOP:
        return Unreadable("this is a symbolic link that leads back to itself (a loop)",
                          "point the link at a real file, or replace it with the file")
    if error.errno == errno.EISDIR:
        return Unreadable("this is a folder, not a regular file",
                          "replace it with an ordinary file (or remove it)")
    if error.errno == errno.ENOENT:
        return Unreadable("the file does not exist (or is a link to nothing)",
                          "create the file, or fix the link")
    return Unreadable(f"the file cannot be read ({error.strerror or error})",
                      "check that the file exists and may be read")
