"""Results of pure steps kept on disk and found again by their content, so that a rebuild
after one edit redoes only what that edit changed.

A key is the SHA-256 of everything a result depends on: the inputs' bytes, policygen's own
code and its dependencies' versions. Any change makes a new key, so an entry can be missing
but never stale. Every entry carries the SHA-256 of its payload; one that fails that check
(a full disk, a killed process, a hand edit) is ignored, the step runs again and its result
replaces the entry: a cache entry is never trusted, only verified. Nothing is written until
the command has succeeded. Entries are pickles written by policygen itself into
the project (`.policygen_cache/`, ignored by git); delete the folder at any time.

`Cache` is what the build asks; it holds its ideas apart: the folder of this policygen's
results (generation.py), the results held in memory between builds (memory.py), what this
command found and made (gathered.py), pickled results (pickled.py) and files that carry
their hash (verified.py).
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import platformdirs

from generator.runtime.content import Deferred
from generator.runtime.gathered import Gained, Gathered
from generator.runtime.generation import Generation
from generator.runtime.memory import Memory

T = TypeVar("T")

DIRECTORY = ".policygen_cache"  # named like .mypy_cache; .policygen-* are build workspaces


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


class Cache:
    """The results of pure steps, found by their key: in memory, then on disk, else made."""

    def __init__(self, directory: Path | None, held: dict | None = None):
        # Each fingerprint has its own folder, and `commit` removes the others.
        self.generation = Generation(directory, fingerprint()) if directory else None
        self.memory = Memory(held)
        # What this command found and made: new results are written only by `commit`, once
        # the command has succeeded, so a failed build or validation leaves the project as it
        # found it.
        self.gathered = Gathered()
        # The key of each source file's bytes, by what it holds (a version id, or the policy
        # file's name), recorded as the build reads them: later steps key their results on
        # the sources they were computed from.
        self.sources: dict[str, str] = {}

    @property
    def directory(self) -> Path | None:
        """This policygen's folder of results; None for a command that keeps none."""
        return self.generation.directory if self.generation else None

    @property
    def hits(self) -> int:
        return self.gathered.hits

    @property
    def missed(self) -> dict[str, int]:
        return self.gathered.missed

    @property
    def misses(self) -> int:
        return self.gathered.misses

    def keeps(self, kind: str) -> bool:
        """Whether results of `kind` were kept by an earlier build (in memory or on disk)."""
        return self.memory.keeps(kind) or (
            self.generation is not None and self.generation.keeps(kind))

    def apart(self) -> Callable[[], Gained]:
        """For a worker process working on its own copy of this cache: from now on, what it
        finds and makes is gathered apart, and the function returned gives it, for the parent
        to `merge` (a worker's new results would otherwise be lost with its copy)."""
        self.gathered = Gathered()
        known = self.memory.known()
        return lambda: Gained(self.gathered, self.memory.added_since(known))

    def merge(self, gained: Gained) -> None:
        """What a worker's copy of this cache found and made (see `apart`)."""
        self.gathered.add(gained.gathered)
        self.memory.add(gained.held)

    def records(self, out_dir: Path) -> Path | None:
        """Where the site engine keeps its records of the builds into `out_dir`."""
        return self.generation.records(out_dir) if self.generation else None

    def memo(self, kind: str, depends_on: tuple[str, ...], compute: Callable[[], T]) -> T:
        """compute(), or its kept result when the sources it `depends_on` are unchanged."""
        if self.generation is None or not all(name in self.sources for name in depends_on):
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
        if self.generation is None or not all(name in self.sources for name in depends_on):
            value = compute()
            return lambda: value
        entry = key(kind, *(self.sources[name] for name in depends_on))
        if (kind, entry) not in self.memory and not self.generation.has(kind, entry):
            value = self.memo(kind, depends_on, compute)
            return lambda: value
        self.gathered.use(kind, entry)
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
        if self.generation is None:
            made = make()
            return made, hashlib.sha256(encode(made)).hexdigest()
        entry = key(kind, inputs)
        self.gathered.use(kind, entry)
        if (kind, entry) in self.memory:
            self.gathered.hits += 1
            return self.memory[kind, entry]  # type: ignore[return-value]
        found: tuple[T | Deferred, str] | None = self.generation.read_text(kind, entry)
        if found is not None:
            self.gathered.hits += 1
        else:
            self.gathered.miss(kind)
            made = make()
            data = encode(made)
            found = (made, hashlib.sha256(data).hexdigest())
            self.gathered.texts[kind, entry] = (data, found[1])
        self.memory.keep(kind, entry, found)
        return found

    def get(self, kind: str, entry: str) -> object | None:
        if self.generation is None:
            return None
        self.gathered.use(kind, entry)
        if (kind, entry) in self.memory:
            self.gathered.hits += 1
            return self.memory[kind, entry]
        found, value = self.generation.read_result(kind, entry)
        if not found:
            self.gathered.miss(kind)  # missing or damaged: computed again, replaced on commit
            return None
        self.gathered.hits += 1
        self.memory.keep(kind, entry, value)
        return value

    def put(self, kind: str, entry: str, value: object) -> None:
        if self.generation is not None:
            self.gathered.use(kind, entry)
            self.gathered.results[kind, entry] = value
            self.memory.keep(kind, entry, value)

    def commit(self, prune: bool = False) -> None:
        """Write the new results; with `prune`, also forget what this command did not use
        (results for sources as they were before an edit), so the cache holds one build's
        worth, not the whole editing history."""
        if self.generation is None:
            return
        self.generation.remove_others()
        gathered = self.gathered
        for (kind, entry), value in gathered.results.items():
            self.generation.write_result(kind, entry, value)
        gathered.results.clear()
        for (kind, entry), (data, sha256) in gathered.texts.items():
            self.generation.write_text(kind, entry, data, sha256)
        gathered.texts.clear()
        if prune:
            for kind, entries in gathered.used.items():
                self.generation.forget_except(kind, entries)
            self.memory.forget_unused(gathered.used)
