"""Where a build may write, and how it replaces the previous site without losing anything.

`--out` names a folder that policygen replaces as a whole, so it must be a folder policygen
built (it carries MARKER, listing every file policygen wrote), an empty folder, or a new one;
never the project, its source, catalogs or theme, nor a folder holding any of them.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.core.diagnostics import UsageError, stop_if_signalled
from generator.runtime import removal
from generator.source.read import display_path

MARKER = ".policygen-site"
_MARKER_HEAD = "policygen built this folder; it replaces the whole folder on every build.\n"
# A site built before the marker existed: its API index is policygen's own file.
_LEGACY_SIGN = Path("api") / "v1" / "policy.json"
_WORKSPACE = ".policygen-"  # a build's private folder beside the output


def marker_text(files: Iterable[str]) -> bytes:
    """The marker's content: every file of the site, so a file added by hand is noticed."""
    return (_MARKER_HEAD + "".join(f"{name}\n" for name in sorted(files))).encode("utf-8")


def check_output(out_dir: Path, project_root: Path, folders: Iterable[Path]
                 ) -> dict[str, list[int]] | None:
    """Refuse an output folder whose replacement would delete what policygen did not write:
    the project or a folder holding it, one of its `folders` (source, catalogs, theme), a
    folder inside one of those, a file, or a foreign non-empty folder. Returns the listing
    of a site policygen built there (a build compares it with its records)."""
    out, root = _real(out_dir), _real(project_root)
    if out == root or root.is_relative_to(out):
        _refuse(out_dir, "the project" if out == root else "a folder holding the project")
    for folder in folders:
        kept = _real(folder)
        if out == kept or kept.is_relative_to(out):
            _refuse(out_dir, display_path(folder) + "/" if out == kept
                    else f"a folder holding {display_path(folder)}/")
        if out.is_relative_to(kept):
            _refuse(out_dir, f"a folder inside {display_path(folder)}/")
    return _check_contents(out_dir, out)


def _refuse(out_dir: Path, what: str) -> None:
    raise UsageError(f"--out {out_dir} is {what}; a build replaces its output "
                     "folder as a whole, which would delete files policygen did not write",
                     "build into a folder of its own, such as the default 'site' or "
                     "--out /tmp/policy-site")


def _check_contents(shown: Path, out: Path) -> dict[str, list[int]] | None:
    for parent in (out, *out.parents):
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"--out {shown}: {display_path(parent)} is a file, "
                             "not a folder", "choose another output folder")
        if parent.exists():
            break
    if not out.exists() or not any(out.iterdir()):
        return None
    marker = out / MARKER
    if marker.is_file():
        listed = set(marker.read_text(encoding="utf-8", errors="replace").splitlines()[1:])
        found = listing(out)
        foreign = sorted(set(found) - listed - {MARKER})
        if foreign:
            raise UsageError(
                f"--out {shown} holds {len(foreign)} file"
                f"{'s' * (len(foreign) != 1)} policygen did not write, such as "
                f"{foreign[0]}; a build replaces the whole folder",
                "move those files elsewhere (add them to the site after the build), "
                "or build into another folder")
        return found
    if (out / _LEGACY_SIGN).is_file() and (out / "index.html").is_file():
        return None
    raise UsageError(f"--out {shown} is a folder policygen did not build, and it "
                     "is not empty; a build replaces the whole folder",
                     "build into a new or empty folder, such as --out /tmp/policy-site")


def listing(root: Path) -> dict[str, list[int]]:
    """Every file (not folder) under `root` with its size, modification time and inode, by
    its path from `root`: one walk with os.scandir, which reads each folder's entries once."""
    found: dict[str, list[int]] = {}
    folders = [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((prefix + entry.name + "/", entry.path))
                else:
                    stat = entry.stat(follow_symlinks=False)
                    found[prefix + entry.name] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return found


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def workspace(out_dir: Path) -> Path:
    """A private folder beside `out_dir` (so the final swap is a rename on one file system)."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=_WORKSPACE, dir=out_dir.parent))
    except OSError as error:
        raise UsageError(f"cannot write the site into {out_dir}: "
                         f"{error.strerror or error}",
                         "choose a folder you may write to, with --out DIR") from None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the old site is moved aside and the new one into
    place; they are delivered right after, when the folder is whole again."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        with _signals_deferred(held):
            yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def _signals_deferred(held: set[signal.Signals]) -> Iterator[None]:
    """The same where signals cannot be blocked: each is noted while the block runs and
    raised again, to the handler it would have reached, when it ends. Python runs handlers
    in the main thread only, so a block in another thread is never interrupted by them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {number: signal.signal(number, lambda number, frame: received.append(number))
                for number in held}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for caught in dict.fromkeys(received):
            signal.raise_signal(caught)


def swap_into_place(staged: Path, out_dir: Path, work: Path, files: Iterable[str]
                    ) -> Path | None:
    """Replace `out_dir` by `staged` (whose every file `files` names) in one step where the
    system can exchange two folders atomically (Linux), else in two renames (macOS, Windows)
    with Ctrl-C and SIGTERM held between them: readers see the old site or the new, never a
    mix, and a build stopped at any instant leaves one of them whole. Returns where the
    replaced site is now: at `staged`'s path, or in `work` (see `discard`); None where there
    was none."""
    marker = staged / MARKER
    marker.unlink(missing_ok=True)  # a new file: the old one may be the replaced site's too
    marker.write_bytes(marker_text(name for name in files if name != MARKER))
    with _signals_held():
        stop_if_signalled()
        if not out_dir.exists():
            os.rename(staged, out_dir)
            return None
        if _exchange(staged, out_dir):
            return staged
        old = work / "previous"
        os.rename(out_dir, old)
        try:
            os.rename(staged, out_dir)
        except OSError:
            _put_back(old, out_dir, work)
            raise
        return old


_KEEP = "KEEP"  # in a workspace that holds the only copy of the site: never removed


def _put_back(old: Path, out_dir: Path, work: Path) -> None:
    """The replaced site back in place when the new one could not take it. Where that fails
    too (on Windows a folder whose file another program holds open cannot be renamed), the
    workspace holding it is kept, not removed with the build's other leftovers."""
    try:
        os.rename(old, out_dir)
    except OSError as error:
        (work / _KEEP).write_text(f"{out_dir}\n", encoding="utf-8")
        raise UsageError(f"could not put the previous site back in {out_dir}: "
                         f"{error.strerror or error}",
                         f"it is whole in {old}: close what holds its files open and move "
                         f"it back to {out_dir}, or build again") from None


def _renameat2():
    """Linux's renameat2 (glibc 2.28+), or None where the system has none (macOS, Windows,
    older or other C libraries): looked up once, when the module is loaded."""
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):  # TypeError: Windows loads no library None
        return None


_RENAMEAT2 = _renameat2()
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2  # linux/fcntl.h, linux/fs.h


def _exchange(one: Path, other: Path) -> bool:
    """Swap two paths in one system call (renameat2 with RENAME_EXCHANGE); False where the
    system or its file system cannot, and nothing was changed (the caller then swaps by two
    renames)."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(one), _AT_FDCWD, os.fsencode(other),
                  _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(other))


def discard(work: Path) -> None:
    """Remove a build's workspace, which holds the previous site after a swap. Removing a
    large site (thousands of files and folders) takes seconds, most of an incremental
    build's time on a file system that discards freed blocks, so its workspace is renamed as
    removable and removed by a detached low-priority process while the command ends; one
    that a killed build or remover left is removed with the next build's. One that holds
    the only copy of the site (`_put_back`) is left as it is."""
    if (work / _KEEP).exists():
        return
    if any(_listed_bytes(work / name) > _LARGE for name in ("site", "previous")):
        try:
            os.rename(work, work.with_name(removal.DISCARDED + work.name[len(_WORKSPACE):]))
            removal.start_remover(work.parent)
            return
        except OSError:
            pass  # removed here and now
    shutil.rmtree(work, ignore_errors=True)
    for leftover in work.parent.glob(removal.DISCARDED + "*"):
        shutil.rmtree(leftover, ignore_errors=True)


def remove_aside(folder: Path, large: bool | None = None) -> None:
    """removal.remove_aside, `large` by default when the folder is a site whose marker lists
    over a thousand files."""
    removal.remove_aside(folder, large if large is not None else _listed_bytes(folder) > _LARGE)


_LARGE = 64 * 1024  # bytes of a site's marker: a line per file, so over a thousand files


def _listed_bytes(site: Path) -> int:
    try:
        return (site / MARKER).stat().st_size
    except OSError:
        return 0
