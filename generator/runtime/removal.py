"""Folders of policygen's own removed without holding up the command: renamed as removable
at once, so nothing uses them again, and removed by a detached low-priority process where
they are large (thousands of files take seconds on a file system that discards freed
blocks)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

DISCARDED = ".policygen-removed-"  # a folder's name once only what is to be removed


# Removes every discarded workspace beside the output, at the lowest priority.
REMOVER = ("import os, shutil, sys\n"
            "hasattr(os, 'nice') and os.nice(19)\n"
            "for name in os.listdir(sys.argv[1]):\n"
            "    if name.startswith(sys.argv[2]):\n"
            "        shutil.rmtree(os.path.join(sys.argv[1], name), ignore_errors=True)\n")



def remove_aside(folder: Path, large: bool) -> None:
    """Remove a folder of policygen's own (an old spare site, records kept for an output
    that is gone), by the detached remover when it is `large`; it is first renamed as
    removable, so nothing ever uses it again, and a remover killed before it finished is
    followed by another."""
    if not folder.exists():
        return
    aside = folder.with_name(f"{DISCARDED}{folder.name}-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(folder, aside)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    if large:
        start_remover(aside.parent)
    else:
        shutil.rmtree(aside, ignore_errors=True)


# Detached from the command's terminal, so that its Ctrl-C does not stop the remover: a
# session of its own on POSIX (the remover lowers its priority itself, with os.nice), a
# process group of its own at idle priority on Windows, which has neither.
_DETACHED: dict = ({"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
                    | getattr(subprocess, "IDLE_PRIORITY_CLASS", 0)} if os.name == "nt"
                   else {"start_new_session": True})


def start_remover(where: Path) -> None:
    """Remove every removable folder in `where`, in a detached process of the lowest priority."""
    subprocess.Popen([sys.executable, "-I", "-S", "-c", REMOVER, str(where), DISCARDED],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, **_DETACHED)
