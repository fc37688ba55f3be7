"""Files of the record written whole or not at all: a reader, a killed command or a full
disk never leaves half a file where the record keeps one."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from generator.core.diagnostics import UsageError


def write_atomically(path: Path, content: bytes, shown: str) -> None:
    """`content` at `path`: written under a temporary name of its own (two commands may
    write at once), flushed to the disk, then renamed over the file. `shown` names the file
    in the error, which leaves the file as it was."""
    partial = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
        _sync_folder(path.parent)
    except OSError as error:
        partial.unlink(missing_ok=True)
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
