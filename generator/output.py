"""Where a build may write, and how it replaces the previous site without losing anything.

`--out` names a folder that policygen replaces as a whole, so it must be a folder policygen
built (it carries MARKER, listing every file policygen wrote), an empty folder, or a new one;
never the project, its source, catalogs or theme, nor a folder holding any of them.
"""
from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .diagnostics import UsageError, stop_if_signalled
from .source import display_path

MARKER = ".policygen-site"
_MARKER_HEAD = "policygen built this folder; it replaces the whole folder on every build.\n"
# A site built before the marker existed: its API index is policygen's own file.
_LEGACY_SIGN = Path("api") / "v1" / "policy.json"


def marker_text(files: Iterable[str]) -> bytes:
    """The marker's content: every file of the site, so a file added by hand is noticed."""
    return (_MARKER_HEAD + "".join(f"{name}\n" for name in sorted(files))).encode("utf-8")


def check_output(out_dir: Path, project_root: Path, folders: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would delete what policygen did not write:
    the project or a folder holding it, one of its `folders` (source, catalogs, theme), a
    folder inside one of those, a file, or a foreign non-empty folder."""
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
    _check_contents(out_dir, out)


def _refuse(out_dir: Path, what: str) -> None:
    raise UsageError(f"--out {out_dir} is {what}; a build replaces its output "
                     "folder as a whole, which would delete files policygen did not write",
                     "build into a folder of its own, such as the default 'site' or "
                     "--out /tmp/policy-site")


def _check_contents(shown: Path, out: Path) -> None:
    for parent in (out, *out.parents):
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"--out {shown}: {display_path(parent)} is a file, "
                             "not a folder", "choose another output folder")
        if parent.exists():
            break
    if not out.exists() or not any(out.iterdir()):
        return
    marker = out / MARKER
    if marker.is_file():
        listed = set(marker.read_text(encoding="utf-8", errors="replace").splitlines()[1:])
        foreign = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                         if (p.is_file() or p.is_symlink()) and p != marker
                         and p.relative_to(out).as_posix() not in listed)
        if foreign:
            raise UsageError(
                f"--out {shown} holds {len(foreign)} file"
                f"{'s' * (len(foreign) != 1)} policygen did not write, such as "
                f"{foreign[0]}; a build replaces the whole folder",
                "move those files elsewhere (add them to the site after the build), "
                "or build into another folder")
        return
    if (out / _LEGACY_SIGN).is_file() and (out / "index.html").is_file():
        return
    raise UsageError(f"--out {shown} is a folder policygen did not build, and it "
                     "is not empty; a build replaces the whole folder",
                     "build into a new or empty folder, such as --out /tmp/policy-site")


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def workspace(out_dir: Path) -> Path:
    """A private folder beside `out_dir` (so the final swap is a rename on one file system)."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".policygen-", dir=out_dir.parent))
    except OSError as error:
        raise UsageError(f"cannot write the site into {out_dir}: "
                         f"{error.strerror or error}",
                         "choose a folder you may write to, with --out DIR") from None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the old site is moved aside and the new one into
    place; they are delivered right after, when the folder is whole again."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def swap_into_place(staged: Path, out_dir: Path, work: Path) -> None:
    """Two renames on one file system: readers see the old site or the new, never a mix."""
    (staged / MARKER).write_bytes(marker_text(
        p.relative_to(staged).as_posix() for p in staged.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.name != MARKER))
    with _signals_held():
        stop_if_signalled()
        if out_dir.exists():
            old = work / "previous"
            os.rename(out_dir, old)
            try:
                os.rename(staged, out_dir)
            except OSError:
                os.rename(old, out_dir)
                raise
        else:
            os.rename(staged, out_dir)
