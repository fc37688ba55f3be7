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
from pathlib import Path

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

from generator.runtime import cache, verified

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
        found = verified.read_verified(self._path(key), _HEADER)
        return None if found is None else found[0]

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path is not None:
            verified.write_verified(path, _HEADER, data, hashlib.sha256(data).hexdigest())
