"""Publish a site: build every language with the chosen engine in a private folder beside
the output, add the files policygen makes itself, and only then put the finished site in
place in one exchange (output.py), so that a failed build leaves the previous site
untouched. Knows no engine.

With a `records` folder, the engines may carry over from the previous output what an
unchanged input made, and so may policygen's own files whose bytes are unchanged, but only
when that output is intact: every file it had, with the size, modification time and inode
it had when this build's predecessor put it in place. A file edited, added or removed by
hand, or a missing or unreadable record, means a full build. A carried file is never
written: it is the previous output's own file, hard-linked.

The new site is made in one of two ways, alike in what they give:
- from the spare: the site before the previous one, which the last build kept in `records`
  (on the output's file system) when it put its own in place. It is brought to the new
  state file by file: only the files that changed since are replaced, so a one-word edit
  no longer re-creates thousands of folders and links, nor removes an old site of as many.
- afresh: a new folder in the workspace, carried files linked from the previous output.
Either way, the site it replaces becomes the spare; a spare found changed, or whose records
are missing (a build killed while bringing it up to date), is never used, only removed."""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator, Set
from dataclasses import dataclass
from pathlib import Path

from generator.core.diagnostics import CacheChanged
from generator.outputs.pages import LanguageSite
from generator.outputs.routes import folder
from generator.runtime.content import Content, Deferred
from generator.runtime.workers import pool as worker_pool
from generator.site import engines, output
from generator.site.engines import RECORDS, EngineSettings


@dataclass(frozen=True, slots=True)
class BuildResult:
    out_dir: Path
    pages: int
    files: int
    seconds: float
    log: tuple[str, ...]


def publish(sites: tuple[LanguageSite, ...], extra_files: dict[str, Content], out_dir: Path,
            engine: str, settings: EngineSettings, jobs: int | None = None,
            records: Path | None = None, found: dict[str, list[int]] | None = None
            ) -> BuildResult:
    """Build every language and write the extra files, then put the result in `out_dir`;
    `records` keeps what the next build into `out_dir` needs to redo only what changed.
    `found`: the output's files, where the build has listed them already."""
    started = time.perf_counter()
    engines.load(engine)  # a missing engine is reported before anything is written
    out_dir = out_dir.resolve()
    work = output.workspace(out_dir)
    try:
        with _held(records) as records:
            previous = Previous.read(out_dir, records, found) if records is not None \
                else None
            spare = Spare.read(records, out_dir) if records is not None else None
            if previous is not None:
                settings = dataclasses.replace(settings, previous=out_dir, records=records)
            staged = work / "site"
            built = _run_engine(engine, sites, work, staged, settings, jobs)
            carried = {f"{folder(language)}/{name}" for language, made in built
                       for name in made.carried}
            by_engine = {f"{folder(language)}/{name}" for language, made in built
                         for name in made.files}
            digests = _write(staged, extra_files, previous, carried, by_engine)
            if spare is not None:
                try:
                    listing = spare.update(staged, carried, previous)
                    replaced = output.swap_into_place(spare.site, out_dir, work, listing)
                except FileNotFoundError:
                    # The spare was moved while it changed (another policygen's build, of
                    # other code, removes this code's cache folder): never swapped in
                    # half made. Its record is gone already, so it is not used again.
                    raise CacheChanged(f"the site kept in {records} to make {out_dir} was "
                                     "removed during the build, by another policygen command",
                                     f"build again; {out_dir} was not changed") from None
            else:
                _link(staged, carried, previous)
                listing = output.listing(staged)
                replaced = output.swap_into_place(staged, out_dir, work, listing)
            listing[output.MARKER] = _stat(out_dir / output.MARKER)
            if records is not None:
                _keep(work / RECORDS, records, out_dir, listing, digests, replaced, previous)
    finally:
        output.discard(work)
    pages = sum(len(s.pages) for s in sites)
    return BuildResult(out_dir, pages, len(listing), time.perf_counter() - started,
                       tuple(line for _, made in built for line in made.log))


def _build_language(engine: str, site: LanguageSite, work: Path, staged: Path,
                    settings: EngineSettings) -> engines.Built:
    return engines.load(engine).build_language(site, work, staged / folder(site.language),
                                               settings)


def _run_engine(engine: str, sites: tuple[LanguageSite, ...], work: Path, staged: Path,
                settings: EngineSettings, jobs: int | None
                ) -> list[tuple[str, engines.Built]]:
    """One build per language, in parallel where there are cores."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(sites)))
    if workers == 1:
        made = [_build_language(engine, s, work, staged, settings) for s in sites]
    else:
        with worker_pool(workers) as pool:
            futures = [pool.submit(_build_language, engine, s, work, staged, settings)
                       for s in sites]
            made = [future.result() for future in futures]
    return [(site.language, built) for site, built in zip(sites, made, strict=True)]


def _write(staged: Path, files: dict[str, Content], previous: Previous | None,
           carried: set[str], by_engine: Set[str] = frozenset()) -> dict[str, str]:
    """Each file whose bytes the previous output does not have already, written into
    `staged`; one it has is added to `carried` (writing the thousands of API documents and
    PDFs again was most of an incremental build's writing). A file of the same name the
    engine made (`by_engine`: its sitemap) gives way. Returns every file's SHA-256, for the
    next build to compare with. A deferred file's bytes are read only now, one file at a
    time."""
    digests = {}
    made = set()
    for relative_path, content in sorted(files.items()):
        digests[relative_path] = digest = content.sha256 if isinstance(content, Deferred) \
            else hashlib.sha256(content).hexdigest()
        target = staged / relative_path
        if relative_path in by_engine:
            carried.discard(relative_path)
            target.unlink(missing_ok=True)
        if previous is not None and previous.digests.get(relative_path) == digest \
                and relative_path in previous.files:
            carried.add(relative_path)
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        data = content.read() if isinstance(content, Deferred) else content
        with open(target, "xb") as stream:
            stream.write(data)
    return digests


def _link(staged: Path, carried: set[str], previous: Previous | None,
          copy: bool = True) -> None:
    """The carried files into a new site: links to the previous output's (copies where the
    file system cannot link, unless not to `copy`)."""
    made = set()
    for name in sorted(carried):
        target = staged / name
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        assert previous is not None  # only an intact previous output has carried files
        try:
            os.link(previous.out_dir / name, target)
        except OSError:
            if not copy:
                raise
            shutil.copy2(previous.out_dir / name, target)


def prepare_spare(out_dir: Path, records: Path) -> None:
    """Where the output has no spare yet (after a first build), one made now: the output's
    own files, linked into a new folder. For a long-lived process (serve), so that its
    first rebuild is as quick as the next."""
    with _held(records) as held:
        if held is None or (held / _SPARE_SITE).exists():
            return
        previous = Previous.read(out_dir.resolve(), held)
        if previous is None:
            return
        try:
            _link(held / _SPARE_SITE, set(previous.files), previous, copy=False)
            # Links share their file's size, time and inode: the spare's record is the
            # output's.
            (held / _SPARE).write_text(json.dumps(previous.files), encoding="utf-8")
        except OSError:  # another file system, or a full disk: no spare, removed next time
            return


_WHERE = "output"  # the output's path, so that records kept for a folder gone are removed
_OUTPUT = "output.json"  # the stat of every file of the output, as this build left it
_OWN = "own.json"  # the SHA-256 of each file policygen wrote itself into the output
_SPARE = "spare.json"  # the stat of every file of the spare, as it was put aside
_SPARE_SITE = "spare"  # the spare site's folder, beside the records


def _stat(path: Path) -> list[int]:
    stat = path.lstat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


@dataclass(frozen=True, slots=True)
class Previous:
    """The previous output, verified intact, with what the build that made it recorded."""

    out_dir: Path
    files: dict[str, list[int]]  # every file with its size, modification time and inode
    digests: dict[str, str]  # policygen's own files: path -> SHA-256

    @classmethod
    def read(cls, out_dir: Path, records: Path, found: dict[str, list[int]] | None = None
             ) -> Previous | None:
        """The previous output if it is, file for file (as `found` or a walk now lists it),
        what the build that kept `records` left; None when it is not (or there is none):
        build everything."""
        try:
            kept = json.loads((records / _OUTPUT).read_text(encoding="utf-8"))
            digests = json.loads((records / _OWN).read_text(encoding="utf-8"))
            if not out_dir.is_dir() or kept != (found or output.listing(out_dir)):
                return None
        except (OSError, ValueError):
            return None
        return cls(out_dir, kept, digests if isinstance(digests, dict) else {})


@dataclass(frozen=True, slots=True)
class Spare:
    """The site before the previous one, kept to be made into the next, verified to be
    file for file what was put aside."""

    site: Path
    files: dict[str, list[int]]
    record: Path  # its record, removed as it starts to change

    @classmethod
    def read(cls, records: Path, out_dir: Path) -> Spare | None:
        """The spare, if it is intact and on the output's file system (an exchange and a
        rename work only there); a spare found otherwise is removed."""
        site = records / _SPARE_SITE
        try:
            kept = json.loads((records / _SPARE).read_text(encoding="utf-8"))
            if site.stat().st_dev == out_dir.parent.stat().st_dev and \
                    kept == output.listing(site):
                return cls(site, kept, records / _SPARE)
        except (OSError, ValueError):
            pass
        (records / _SPARE).unlink(missing_ok=True)
        output.remove_aside(site)
        return None

    def update(self, staged: Path, carried: set[str], previous: Previous | None
               ) -> dict[str, list[int]]:
        """The spare made into the new site: the files it has and the new one has not,
        removed; each carried file linked from the previous output unless the spare has
        that very file; each new file moved in from `staged`. Returns the new site's files
        with their stats."""
        self.record.unlink()  # a build killed while the spare changes leaves no record of
        # it: the spare is then never used again, only removed
        fresh = output.listing(staged) if staged.is_dir() else {}  # all carried: none
        wanted = carried | set(fresh)
        for name in sorted(set(self.files) - wanted):
            (self.site / name).unlink()
            _remove_empty_folders(self.site, name)
        made: dict[str, list[int]] = {}
        for name in sorted(carried):
            assert previous is not None  # only an intact previous output has carried files
            made[name] = stat = previous.files[name]
            if self.files.get(name) != stat:  # the spare's file is not that one: link it
                _replace(self.site, self.site / name, lambda target, name=name: os.link(
                    previous.out_dir / name, target))
        for name in sorted(fresh):
            _replace(self.site, self.site / name,
                     lambda target, name=name: os.rename(staged / name, target))
            made[name] = _stat(self.site / name)
        return made


def _replace(root: Path, target: Path, place) -> None:
    """`place(target)`, in place of a file there and in folders made as needed below `root`
    (never `root` itself: a spare removed meanwhile raises FileNotFoundError, instead of
    being made anew with only the files placed after)."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    try:
        place(target)
    except FileNotFoundError:
        missing = []
        for folder_ in target.parents:
            if folder_ == root or folder_.is_dir():
                break
            missing.append(folder_)
        for folder_ in reversed(missing):
            folder_.mkdir(exist_ok=True)  # without parents: see above
        place(target)


def _remove_empty_folders(root: Path, name: str) -> None:
    """The folders of a removed file that it left empty, up to `root`."""
    folder_ = (root / name).parent
    while folder_ != root:
        try:
            folder_.rmdir()
        except OSError:  # not empty (or already gone): the folders above are not either
            return
        folder_ = folder_.parent


@contextlib.contextmanager
def _held(records: Path | None) -> Iterator[Path | None]:
    """`records`, held by this build alone (a lock on its folder, which needs no file of its
    own): another build into the same output at the same time (a second terminal, a
    script) builds in full without them, and keeps none."""
    if records is None:
        yield None
        return
    try:
        import fcntl

        records.mkdir(parents=True, exist_ok=True)
        handle = os.open(records, os.O_RDONLY)
    except (ImportError, OSError):
        yield None  # no locks here, or no cache to write: build in full, keep nothing
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield None
            return
        yield records
    finally:
        os.close(handle)


def _keep(made: Path, records: Path, out_dir: Path, listing: dict[str, list[int]],
          digests: dict[str, str], replaced: Path | None, previous: Previous | None) -> None:
    """This build's records in place of the previous ones, and the site this build replaced
    as the next build's spare; the output's stats last, so that records left half-written by
    a crash are never found intact."""
    try:
        (records / _OUTPUT).unlink(missing_ok=True)
        for old in records.glob("*.json"):
            old.unlink()
        for path in made.glob("*.json") if made.is_dir() else ():
            shutil.copyfile(path, records / path.name)
        (records / _OWN).write_text(json.dumps(digests), encoding="utf-8")
        (records / _WHERE).write_text(str(out_dir), encoding="utf-8")
        _set_aside(replaced, records, previous)
        (records / _OUTPUT).write_text(json.dumps(listing), encoding="utf-8")
    except OSError:
        # A read-only or full disk: no records, and so no carried files next time.
        for path in records.glob("*.json"):
            path.unlink(missing_ok=True)
    _forget_gone(records)


def _forget_gone(records: Path) -> None:
    """The records (and spare site) kept for outputs that no longer exist: a preview folder
    deleted, `serve`'s private folder. A spare holds a whole site, which would stay on disk
    until the cache is deleted."""
    for other in records.parent.iterdir():
        if other == records or not other.is_dir() or other.name.startswith("."):
            continue
        try:
            gone = not Path(other.joinpath(_WHERE).read_text(encoding="utf-8")).is_dir()
        except (OSError, ValueError):
            gone = True  # no record of where: not records this code kept
        if gone:
            output.remove_aside(other, large=(other / _SPARE_SITE).is_dir())


def _set_aside(replaced: Path | None, records: Path, previous: Previous | None) -> None:
    """The site this build replaced, kept as the spare: moved beside the records (unless the
    exchange left it there already) and its files recorded, as the previous output's
    records knew them or else as they are found now. One that cannot be moved there (another
    file system) stays in the workspace, to be removed."""
    spare = records / _SPARE_SITE
    if replaced is None:
        return
    if replaced != spare:
        if spare.exists():
            return
        try:
            os.rename(replaced, spare)
        except OSError:
            return
    files = previous.files if previous is not None else output.listing(spare)
    (records / _SPARE).write_text(json.dumps(files), encoding="utf-8")
