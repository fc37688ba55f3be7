"""The build's worker pool: an interrupted build stops its workers instead of waiting for the
work it had queued (which, for 2,000 PDFs, would be many minutes)."""
from __future__ import annotations

import gc
import time

import pytest

from generator.runtime import workers


def test_an_interrupted_pool_cancels_its_queue_and_stops_its_running_workers():
    with pytest.raises(KeyboardInterrupt):
        with workers.pool(2) as pool:
            futures = [pool.submit(time.sleep, 120) for _ in range(4)]
            while not futures[0].running():
                time.sleep(0.01)
            processes = list(pool._processes.values())
            raise KeyboardInterrupt  # as Ctrl-C does in the parent
    assert processes and not any(process.is_alive() for process in processes)
    assert all(future.cancelled() or future.exception() is not None for future in futures)


def test_a_pool_that_ends_normally_returns_every_result():
    with workers.pool(2) as pool:
        results = list(pool.map(abs, [-1, -2, -3]))
    assert results == [1, 2, 3]


def _frozen_in_worker() -> int:
    return gc.get_freeze_count()


def test_a_forked_worker_s_collector_never_examines_the_objects_it_inherited():
    inherited = [[] for _ in range(50_000)]  # a parent holding a large model (lists, tracked)
    with workers.pool(2) as pool:
        frozen = pool.submit(_frozen_in_worker).result()
    assert frozen >= len(inherited)
    assert gc.get_freeze_count() == 0  # the parent collects as before once the pool is closed


def test_the_parent_s_objects_are_unfrozen_even_when_a_worker_fails():
    with pytest.raises(ZeroDivisionError):
        with workers.pool(2) as pool:
            pool.submit(divmod, 1, 0).result()
    assert gc.get_freeze_count() == 0
