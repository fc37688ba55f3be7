"""Results of pure steps kept on disk and found again by their content, so that a rebuild
after one edit redoes only what that edit changed.

A key is the SHA-256 of everything a result depends on: the inputs' bytes, policygen's own
code and its dependencies' versions. Any change makes a new key, so an entry can be missing
but never stale. Every entry carries the SHA-256 of its payload; one that fails that check
(a full disk, a killed process, a hand edit) is ignored, the step runs again and its result
replaces the entry: a cache entry is never trusted, only verified. Nothing is written until
the command has succeeded. Entries are pickles written by policygen itself into
the project (`.policygen_cache/`, ignored by git); delete the folder at any time.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import io
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import platformdirs

from generator.core.diagnostics import CacheChanged
from generator.runtime import removal
from generator.runtime.atomic import replace_whole
from generator.runtime.content import Deferred

T = TypeVar("T")

DIRECTORY = ".policygen_cache"  # named like .mypy_cache; .policygen-* are build workspaces
_DIGEST = hashlib.sha256().digest_size


@functools.lru_cache(maxsize=1)
def fingerprint() -> bytes:
    """What every result depends on besides its inputs: policygen's code and templates, and
    the version of every installed distribution it requires."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]  # generator/, with its templates
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".html", ".js", ".css", ".json"):
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    for requirement in sorted(importlib.metadata.requires("policygen") or ()):
        name = requirement.split(";")[0].split("[")[0]
        for separator in "<>=!~ ":
            name = name.split(separator)[0]
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=absent\0".encode())
    return digest.digest()


def key(*parts: bytes | str) -> str:
    """The key of a result that depends on `parts` (and on the fingerprint)."""
    digest = hashlib.sha256(fingerprint())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)  # lengths keep parts apart
    return digest.hexdigest()


def user_directory(environ: dict[str, str]) -> Path | None:
    """$POLICYGEN_CACHE, else the user's cache directory of the platform, shared by every
    project: what is costly to make and keyed by its content alone (PDFs, compiled
    templates). None where POLICYGEN_CACHE is set empty (asking for no cache) or the platform
    has no home for the user. The platform's directory is platformdirs' (XDG_CACHE_HOME or
    ~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows), which it finds
    in this process's own environment."""
    if "POLICYGEN_CACHE" in environ:
        return Path(environ["POLICYGEN_CACHE"]) if environ["POLICYGEN_CACHE"] else None
    found = platformdirs.user_cache_path("policygen", appauthor=False)
    return found if found.is_absolute() else None  # "~" unresolved: no home


def read_verified(path: Path | None, header: bytes) -> tuple[bytes, str] | None:
    """A user-cache file that `write_verified` wrote: its data and their SHA-256, or None when
    it is missing or its data do not match the hash its first line names."""
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
class Kept:
    """A text an earlier build kept (write_verified), read again only when it is needed,
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


_TEXT_HEADER = b"policygen text sha256="


@dataclass(frozen=True, slots=True)
class Gained:
    """What a worker's copy of a Cache found and made, for the parent's (Cache.apart)."""

    pending: dict
    pending_texts: dict
    used: dict
    held: dict
    hits: int
    missed: dict


class Cache:
    """A folder of verified entries, one file per key, grouped by kind of result."""

    def __init__(self, directory: Path | None, held: dict | None = None):
        # Results of another policygen or dependency version can never be found again: each
        # fingerprint has its own folder, and `commit` removes the others.
        self.root = directory
        # Results a long-lived process (serve) keeps in memory from one build to the next,
        # by kind and key: found again without reading, checking or unpickling a file.
        self.held = held
        self.directory = directory / fingerprint().hex()[:16] if directory else None
        self.hits = 0
        self.missed: dict[str, int] = {}  # misses by kind of result
        self.used: dict[str, set[str]] = {}
        # New results are written only by `commit`, once the command has succeeded: a failed
        # build or validation leaves the project as it found it.
        self.pending: dict[tuple[str, str], object] = {}
        self.pending_texts: dict[tuple[str, str], tuple[bytes, str]] = {}
        # The key of each source file's bytes, by what it holds (a version id, or the policy
        # file's name), recorded as the build reads them: later steps key their results on
        # the sources they were computed from.
        self.sources: dict[str, str] = {}

    def keeps(self, kind: str) -> bool:
        """Whether results of `kind` were kept by an earlier build (in memory or on disk)."""
        if self.held is not None and any(found == kind for found, _ in self.held):
            return True
        if self.directory is None:
            return False
        try:
            with os.scandir(self.directory / kind) as entries:
                return any(True for _ in entries)
        except OSError:
            return False

    def apart(self) -> Callable[[], Gained]:
        """For a worker process working on its own copy of this cache: from now on, what it
        finds and makes is gathered apart, and the function returned gives it, for the parent
        to `merge` (a worker's new results would otherwise be lost with its copy)."""
        self.pending, self.pending_texts, self.used, self.missed = {}, {}, {}, {}
        self.hits = 0
        known = set(self.held) if self.held is not None else set()

        def gained() -> Gained:
            held = {} if self.held is None else {
                key: value for key, value in self.held.items() if key not in known}
            return Gained(self.pending, self.pending_texts, self.used, held, self.hits,
                          self.missed)
        return gained

    def merge(self, gained: Gained) -> None:
        """What a worker's copy of this cache found and made (see `apart`)."""
        self.pending.update(gained.pending)
        self.pending_texts.update(gained.pending_texts)
        for kind, entries in gained.used.items():
            self.used.setdefault(kind, set()).update(entries)
        if self.held is not None:
            self.held.update(gained.held)
        self.hits += gained.hits
        for kind, count in gained.missed.items():
            self.missed[kind] = self.missed.get(kind, 0) + count

    @property
    def misses(self) -> int:
        return sum(self.missed.values())

    def records(self, out_dir: Path) -> Path | None:
        """Where the site engine keeps its records of the builds into `out_dir`."""
        if self.directory is None:
            return None
        where = hashlib.sha256(os.fsencode(os.path.realpath(out_dir))).hexdigest()[:16]
        return self.directory / "sites" / where

    def memo(self, kind: str, depends_on: tuple[str, ...], compute: Callable[[], T]) -> T:
        """compute(), or its kept result when the sources it `depends_on` are unchanged."""
        if self.directory is None or not all(name in self.sources for name in depends_on):
            return compute()
        entry = key(kind, *(self.sources[name] for name in depends_on))
        value = self.get(kind, entry)
        if value is None:
            value = compute()
            self.put(kind, entry, value)
        return value  # type: ignore[return-value]

    def later(self, kind: str, depends_on: tuple[str, ...], compute: Callable[[], T]
              ) -> Callable[[], T]:
        """`memo`, in two steps: a result that is kept is read only when the function returned
        is called (if ever: a step that needs few of many results reads only those), one that
        is not is computed now. Either way it counts as used, and so stays kept."""
        if self.directory is None or not all(name in self.sources for name in depends_on):
            value = compute()
            return lambda: value
        entry = key(kind, *(self.sources[name] for name in depends_on))
        if not (self.held is not None and (kind, entry) in self.held) and \
                not (self.directory / kind / entry).is_file():
            value = self.memo(kind, depends_on, compute)
            return lambda: value
        self.used.setdefault(kind, set()).add(entry)
        return functools.partial(self.memo, kind, depends_on, compute)

    def text(self, kind: str, inputs: str, make: Callable[[], str]
             ) -> tuple[str | Deferred, str]:
        """The text `make` makes of `inputs` (described as text), and its SHA-256 (of its
        UTF-8 bytes), as `data` keeps bytes."""
        return self._kept(kind, inputs, make, lambda text: text.encode("utf-8"))

    def data(self, kind: str, inputs: str, make: Callable[[], bytes]
             ) -> tuple[bytes | Deferred, str]:
        """The bytes `make` makes of `inputs` (described as text), and their SHA-256: those an
        earlier build kept for the same inputs, checked whole now (a damaged entry is made
        again) but held as a Deferred, read again only where they are needed; else made now
        and kept on commit."""
        return self._kept(kind, inputs, make, lambda data: data)

    def _kept(self, kind: str, inputs: str, make: Callable[[], T],
              encode: Callable[[T], bytes]) -> tuple[T | Deferred, str]:
        if self.directory is None:
            made = make()
            return made, hashlib.sha256(encode(made)).hexdigest()
        entry = key(kind, inputs)
        self.used.setdefault(kind, set()).add(entry)
        if self.held is not None and (kind, entry) in self.held:
            self.hits += 1
            return self.held[kind, entry]
        path = self.directory / kind / entry
        found = read_verified(path, _TEXT_HEADER)
        if found is not None:
            self.hits += 1
            kept: tuple[T | Deferred, str] = (
                Deferred(found[1], Kept(path, _TEXT_HEADER, found[1]).read), found[1])
        else:
            self._missed(kind)
            made = make()
            data = encode(made)
            kept = (made, hashlib.sha256(data).hexdigest())
            self.pending_texts[kind, entry] = (data, kept[1])
        if self.held is not None:
            self.held[kind, entry] = kept
        return kept

    def get(self, kind: str, entry: str) -> object | None:
        if self.directory is None:
            return None
        self.used.setdefault(kind, set()).add(entry)
        if self.held is not None and (kind, entry) in self.held:
            self.hits += 1
            return self.held[kind, entry]
        path = self.directory / kind / entry
        try:
            data = path.read_bytes()
        except OSError:
            self._missed(kind)
            return None
        payload = data[_DIGEST:]
        if hashlib.sha256(payload).digest() != data[:_DIGEST]:
            self._missed(kind)  # damaged: computed again, and replaced on commit
            return None
        try:
            value = pickle.loads(payload)  # noqa: S301 - our own, verified entry
        except Exception:  # a payload that verifies but does not load: not ours to trust
            self._missed(kind)
            return None
        self.hits += 1
        if self.held is not None:
            self.held[kind, entry] = value
        return value

    def _missed(self, kind: str) -> None:
        self.missed[kind] = self.missed.get(kind, 0) + 1

    def put(self, kind: str, entry: str, value: object) -> None:
        if self.directory is not None:
            self.used.setdefault(kind, set()).add(entry)
            self.pending[kind, entry] = value
            if self.held is not None:
                self.held[kind, entry] = value

    def commit(self, prune: bool = False) -> None:
        """Write the new results; with `prune`, also forget what this command did not use
        (results for sources as they were before an edit), so the cache holds one build's
        worth, not the whole editing history."""
        if self.root is None or self.directory is None:
            return
        if self.root.is_dir():
            for other in self.root.iterdir():
                if other != self.directory and other.is_dir() and \
                        not other.name.startswith("."):  # being removed already
                    # by a detached process where it holds sites kept for the next build
                    removal.remove_aside(other, large=any(other.glob("sites/*/spare")))
        for (kind, entry), value in self.pending.items():
            self._write(self.directory / kind, entry, value)
        self.pending.clear()
        for (kind, entry), (data, sha256) in self.pending_texts.items():
            write_verified(self.directory / kind / entry, _TEXT_HEADER, data, sha256)
        self.pending_texts.clear()
        for kind, entries in self.used.items() if prune else ():
            folder = self.directory / kind
            for path in folder.iterdir() if folder.is_dir() else ():
                if path.name not in entries and not path.name.startswith("."):
                    path.unlink(missing_ok=True)
        if prune and self.held is not None:  # memory holds one build's worth, like the disk
            for kind, entry in list(self.held):
                if entry not in self.used.get(kind, ()):
                    del self.held[kind, entry]

    @staticmethod
    def _write(folder: Path, entry: str, value: object) -> None:
        payload = dumps(value)
        write_whole(folder / entry, hashlib.sha256(payload).digest() + payload)


def dumps(value: object) -> bytes:
    """`value` pickled, its frozen dataclasses as their field values: Python's own pickling
    of a slotted dataclass looks its fields up again for every object it loads, which made
    most of `validate`'s time at 200 versions."""
    stream = io.BytesIO()
    _Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return stream.getvalue()


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        names = _field_names(type(obj))
        if names is None:
            return NotImplemented
        return _rebuild, (type(obj), tuple(getattr(obj, name) for name in names))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of one of policygen's slotted dataclasses, else None."""
    if not (dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__
            and cls.__module__.startswith("generator.")):
        return None
    return tuple(field.name for field in dataclasses.fields(cls))


def _rebuild(cls: type, values: tuple) -> object:
    names = _field_names(cls)
    assert names is not None  # _Pickler reduces only the dataclasses that have field names
    made: object = object.__new__(cls)
    for name, value in zip(names, values, strict=True):
        object.__setattr__(made, name, value)
    return made
