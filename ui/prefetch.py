"""Warm the caches for what an officer is most likely to open next, in the background.

After Kabupaten/Kota draws one commodity of a region, the region's other commodities are
computed (query results, figures, tables) in one low-priority thread, once per data
version, region and language, so the next change of the commodity is served from the cache.
A warm-up that fails costs nothing but a cache miss: the page then computes the view itself
and shows any problem the usual way.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Hashable, Iterable

LOG = logging.getLogger("jsw.dashboard")
NICENESS = 10  # the warm-up yields the CPU to page renders
MAX_REMEMBERED = 1024

_lock = threading.Lock()
_started: dict[Hashable, None] = {}


def warm_in_background(key: Hashable, jobs: Iterable[Callable[[], object]]) -> bool:
    """Run ``jobs`` one after another in a thread, unless ``key`` was warmed before.

    Not a daemon thread: a process that exits waits for the few seconds it takes, rather
    than killing it inside DuckDB.

    Returns True when a warm-up was started.
    """
    with _lock:
        if key in _started:
            return False
        _started[key] = None
        while len(_started) > MAX_REMEMBERED:  # forget the oldest keys
            _started.pop(next(iter(_started)))
    thread = threading.Thread(
        target=_run, args=(key, list(jobs)), name="jsw-prefetch", daemon=False
    )
    thread.start()
    return True


def _run(key: Hashable, jobs: list[Callable[[], object]]) -> None:
    with contextlib.suppress(OSError, AttributeError):  # per-thread niceness (Linux)
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
    for job in jobs:
        try:
            job()
        except Exception:  # noqa: BLE001 - a failed warm-up is only a later cache miss
            LOG.info("cache warm-up %r stopped", key, exc_info=True)
            return


def forget() -> None:
    """Forget which warm-ups ran (tests, or after clearing the caches)."""
    with _lock:
        _started.clear()
