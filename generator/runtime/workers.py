"""The build's worker processes (validation, PDFs, the engine's languages): one pool rule.

A `with ProcessPoolExecutor()` block that fails still waits, on its way out, for every task
already queued: a Ctrl-C or SIGTERM during a cold build of 2,000 PDFs would keep rendering for
many minutes while the command seems to hang. This pool abandons the queue and stops its
workers instead; nothing a worker makes is published before the parent has it, so nothing
half-made survives."""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


# How workers start, chosen once for the system. Python's default where the system can fork
# (fork on Linux; spawn on macOS, where a process that has loaded system frameworks, as the
# PDF renderer's Pango does, may crash when forked), else spawn (Windows has no fork): a
# spawned worker imports what it runs and receives its arguments pickled, which every pool's
# task already allows.
_START = multiprocessing.get_context(None if hasattr(os, "fork") else "spawn")
# Whether workers can inherit this process's memory (map_inherited): only forked on Linux.
CAN_INHERIT = hasattr(os, "fork") and sys.platform.startswith("linux")


def leave_signals_to_parent() -> None:
    """Ctrl-C reaches every process of the terminal's group: a worker ignores it, and the
    parent alone stops the build (stopping its workers) and removes its workspace."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def pool(workers: int, inherit: bool = False) -> Iterator[ProcessPoolExecutor]:
    """A process pool that, when its block fails or is interrupted, cancels what is queued
    and terminates its workers rather than waiting for them. While it runs, this process's
    objects are frozen (gc.freeze): a forked worker's garbage collector otherwise writes into
    every object it inherited and so copies the parent's heap (at 200x10 without PDFs the
    build's peak, all processes as PSS, fell from 1,260 to 858 MiB)."""
    context = multiprocessing.get_context("fork") if inherit else _START
    gc.freeze()
    try:
        with _stopping(ProcessPoolExecutor(workers, context, initializer=leave_signals_to_parent)
                       ) as executor:
            yield executor
    finally:
        gc.unfreeze()


# The function `map_inherited` calls in its workers: forked after it is set, they find it (and
# all it holds: the model, the catalogs) in their own copy of this process's memory.
_inherited: Callable | None = None


def map_inherited(function: Callable[[T], R], items: Iterable[T], workers: int,
                  here: Callable[[T], R] | None = None) -> list[R]:
    """`function` over `items`, in `workers` forked processes that inherit it and the data it
    holds instead of receiving them pickled (the model of a long history is hundreds of
    megabytes); only the items and the results cross. Where there is one worker, one item or
    no safe fork (CAN_INHERIT), `here` (by default `function`) is called in this process."""
    global _inherited
    items = list(items)
    if workers < 2 or len(items) < 2 or not CAN_INHERIT:
        return [(here or function)(item) for item in items]
    _inherited = function
    try:
        with pool(min(workers, len(items)), inherit=True) as executor:
            return list(executor.map(_call_inherited, items))
    finally:
        _inherited = None


def _call_inherited(item):
    assert _inherited is not None  # set by map_inherited before the workers were forked
    return _inherited(item)


@contextmanager
def _stopping(executor: ProcessPoolExecutor) -> Iterator[ProcessPoolExecutor]:
    try:
        yield executor
    except BaseException:
        # The executor offers no public way to stop a running task: its processes (the
        # multiprocessing.Process objects it started) are terminated, and its manager thread,
        # which then finds them gone, is joined before the interpreter's exit wakes it (a
        # race that prints "Exception ignored ... Bad file descriptor" otherwise).
        running = list((getattr(executor, "_processes", None) or {}).values())
        manager = getattr(executor, "_executor_manager_thread", None)
        executor.shutdown(wait=False, cancel_futures=True)
        for process in running:
            process.terminate()
        for process in running:
            process.join()
        if manager is not None:
            manager.join()
        raise
    executor.shutdown(wait=True)
