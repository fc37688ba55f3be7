"""Files written whole or not at all: a reader, a killed command or a full disk never
leaves half a file, in the record (durably) or in the cache (where losing one only costs
time)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from generator.core.diagnostics import UsageError


def replace_whole(path: Path, content: bytes, durable: bool = True) -> None:
    """`content` at `path`: written under a temporary name of its own (two threads or
    commands may write the same file at once; a dot first, so that no reader of the folder
    takes it for a file of its own), then renamed over the file; `durable`: flushed to the
    disk first, the rename too. OSError leaves the file as it was and no temporary file."""
    partial = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as file:
            file.write(content)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(path.parent)


def write_atomically(path: Path, content: bytes, shown: str) -> None:
    """A file of the record, durably (replace_whole); `shown` names it in the error."""
    try:
        replace_whole(path, content)
    except OSError as error:
        raise UsageError(f"could not write {shown}: {error.strerror or error}",
                         "free some disk space or fix the folder's permissions, then run "
                         "the command again: nothing was changed") from None


def _sync_folder(folder: Path) -> None:
    """The rename itself made durable, where the system can open a folder (not Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
