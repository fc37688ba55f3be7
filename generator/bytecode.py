"""Compiled Jinja templates, kept in the user's cache beside the PDFs and found again by
their source.

Compiling templates is a fixed cost of every build, paid in every process and for every
language: Material's theme alone takes longer to compile than a small site takes to render.
Jinja keeps compiled code in a bytecode cache and recompiles when a template's source
changes (its checksum); the code also depends on the environment's settings (delimiters,
whitespace options, extensions, the Python and Jinja versions), so they are part of every
key, with policygen's fingerprint. Each file carries the SHA-256 of its bytes: a damaged one
is ignored and the template compiled again, never loaded.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

from . import cache

_HEADER = b"policygen jinja sha256="


def settings_of(environment: Environment) -> str:
    """What, besides a template's source, shapes the code Jinja compiles it to."""
    plain = sorted((name, value) for name, value in vars(environment).items()
                   if isinstance(value, (str, bool, int, type(None))))
    named = {name: _name(getattr(environment, name)) for name in ("autoescape", "finalize")}
    return repr((plain, sorted(environment.extensions), named))


def _name(value: object) -> str:
    return value if isinstance(value, (bool, type(None))) else (  # type: ignore[return-value]
        f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}")


class Compiled(BytecodeCache):
    """Compiled templates shared by every environment of the process, and kept in
    `directory` (when it is not None) for the next process."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self.compiled: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        key = cache.key(settings_of(environment), name, filename or "")
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.compiled.get(bucket.key)
        if data is None:
            data = self._read(bucket.key)
        if data is not None:  # Jinja itself refuses the code of another Python or Jinja
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.compiled[bucket.key] = data
        self._write(bucket.key, data)

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / f"{key}.jinja" if self.directory else None

    def _read(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            stored = path.read_bytes() if path else None
        except OSError:
            return None
        if stored is None:
            return None
        header, _, data = stored.partition(b"\n")
        return data if header == _HEADER + hashlib.sha256(data).hexdigest().encode() else None

    def _write(self, key: str, data: bytes) -> None:
        """Under a temporary name, then renamed: a reader never finds half a file."""
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(_HEADER + hashlib.sha256(data).hexdigest().encode() + b"\n"
                                + data)
            os.replace(partial, path)
        except OSError:
            pass  # an unwritable cache only costs time
