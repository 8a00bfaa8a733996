"""Work spread over forked worker processes; what they share is handed over by the pool's initializer."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")

PR_SET_PDEATHSIG = 1
_shared: Any = None  # in a worker process only: what its pool's initializer handed over


def _initialise(shared: object, inherited: tuple[int, ...]) -> None:
    """In each worker: die with the build (a killed build leaves no worker behind), let go of what the build holds
    (its output lock: only the build's own process keeps it), then keep what the tasks share."""
    global _shared
    _die_with_parent()
    for descriptor in inherited:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    _shared = shared


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere, nothing."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request: follow it now
        os._exit(1)


def _call(function: Callable[[Any, int], T], index: int) -> T:
    return function(_shared, index)


def in_workers(
    function: Callable[[S, int], T], shared: S, count: int, workers: int, inherited: tuple[int, ...] = ()
) -> list[T]:
    """`function(shared, i)` for i in 0..count-1, in forked processes when there is more than one core and one item.

    Forked workers inherit `shared` from the initializer's arguments without pickling it (documents and inputs
    are large); only the indexes and the results cross process boundaries.
    """
    if workers <= 1 or count < 2:
        return [function(shared, index) for index in range(count)]
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_initialise,
        initargs=(shared, inherited),
    )
    try:
        results = list(pool.map(partial(_call, function), range(count), chunksize=max(1, count // (workers * 4))))
    except BaseException:  # interrupted: stop at once, workers included, rather than finish the queue
        pool.shutdown(wait=False, cancel_futures=True)
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        raise
    pool.shutdown()
    return results
