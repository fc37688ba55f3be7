"""Which files of the record git tracks, asked of git at the edge: `lock` writes new files
under published/, which `git commit -am` leaves out, and a clone then lacks a published text
nobody can restore. Where policy_src is inside a git work tree (and git is on PATH), the
record's untracked or ignored files are named with the `git add` that carries them; a file a
clone lacks is said to have never been committed. Without git, or outside a work tree, nothing
is said: git is a help here, never a requirement.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.core.diagnostics import Diagnostic, warning
from generator.source.read import display_path

TIMEOUT = 5  # seconds: git answers these in milliseconds; a hung one must not hang a build


@dataclass(frozen=True, slots=True)
class Tracking:
    """What git knows of the files under the source root, by their path from it."""

    tracked: frozenset[str]  # in git's index
    ignored: frozenset[str]  # untracked, and ignored by a .gitignore rule


def _git(root: Path, *args: str) -> list[str] | None:
    """The NUL-separated paths git prints, or None when git cannot answer here."""
    if shutil.which("git") is None:
        return None
    try:
        run = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                             timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if run.returncode != 0:
        return None
    return [path for path in run.stdout.decode("utf-8", "surrogateescape").split("\0") if path]


def read(root: Path, names: tuple[str, ...]) -> Tracking | None:
    """What git tracks and ignores of `names` (files or folders under `root`); None outside
    a git work tree or without git."""
    if not root.is_dir() or _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return None
    tracked = _git(root, "ls-files", "-z", "--", *names)
    ignored = _git(root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--",
                   *names)
    if tracked is None or ignored is None:
        return None
    return Tracking(frozenset(tracked), frozenset(ignored))


def untracked(root: Path, files: list[Path], tracking: Tracking | None) -> list[Diagnostic]:
    """A warning for each of the record's `files` (present on disk) that git does not track,
    with the exact `git add` that carries it."""
    if tracking is None:
        return []
    found = []
    for path in files:
        name = path.relative_to(root).as_posix()
        if name in tracking.tracked:
            continue
        shown = display_path(path)
        if name in tracking.ignored:
            found.append(warning(shown, 1, 1, "this file of the published record is ignored "
                                 "by git, so no commit carries it and every clone lacks it",
                                 f"run `git add -f {shown}` and commit it; then remove the "
                                 f".gitignore rule that ignores it (`git check-ignore -v "
                                 f"{shown}` names it)"))
        else:
            found.append(warning(shown, 1, 1, "this file of the published record is not "
                                 "tracked by git: `git commit -a` leaves it out, and every "
                                 "clone then lacks it", f"run `git add {shown}` and commit it "
                                 "with the lock"))
    return found


def never_committed(root: Path, path: Path, tracking: Tracking | None
                    ) -> tuple[str, str] | None:
    """What to say of a kept text a clone lacks when git says it was never committed (while
    the lock that records it was): the message's end and the fix; None when git cannot tell."""
    if tracking is None or path.relative_to(root).as_posix() in tracking.tracked or \
            "policy.lock" not in tracking.tracked:
        return None
    shown = display_path(path)
    return (f"{shown} was never committed: the commit that recorded it in policy.lock left it "
            "out (`git commit -a` leaves new files out)",
            f"in the checkout where `policygen lock` wrote it, run `git add {shown}` and amend "
            "that commit to carry it (`git commit --amend`, or a new commit if it was pushed)")
