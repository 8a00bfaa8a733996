"""Work spread over forked worker processes; what they share is handed over by the pool's initializer."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, Protocol, TypeVar

A = TypeVar("A")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

PR_SET_PDEATHSIG = 1
_shared: Any = None  # in a worker process only: what its pool's initializer handed over


class Outcome(Protocol[T_co]):
    """A task's outcome to come: its result, or the exception it raised."""

    def result(self) -> T_co: ...


class _Deferred(Generic[T]):
    """A task run in the thread that asks for its result, once (one worker: no process to fork)."""

    def __init__(self, task: Callable[[], T]) -> None:
        self._task: Callable[[], T] | None = task
        self._value: T | None = None

    def result(self) -> T:
        if self._task is not None:
            self._value, self._task = self._task(), None
        return self._value  # type: ignore[return-value]


class Workers:
    """`submit(function, argument)` runs `function(shared, argument)` in forked worker processes (in the caller's
    thread, when asked for, with one worker). Forked workers inherit `shared` without pickling it (documents and
    inputs are large); only the arguments and the results cross process boundaries. Tasks may be submitted from any
    thread; leaving the block on an exception (Ctrl-C, TERM, a failure) kills the workers at once."""

    def __init__(self, shared: object, workers: int, inherited: tuple[int, ...] = ()) -> None:
        self.shared = shared
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1:
            gc.freeze()  # the objects inherited stay where they are: no copy-on-write page for the collector's sake
            self.pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_initialise,
                initargs=(shared, inherited),
            )

    def submit(self, function: Callable[[Any, A], T], argument: A) -> Outcome[T]:
        if self.pool is None:
            return _Deferred(lambda: function(self.shared, argument))
        future: Future[T] = self.pool.submit(_call, function, argument)
        return future

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: object, *_rest: object) -> None:
        if self.pool is None:
            return
        if kind is None:
            self.pool.shutdown()
        else:  # interrupted or failing: stop at once, workers included, rather than finish the queue
            processes = list((getattr(self.pool, "_processes", None) or {}).values())
            self.pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.kill()
        gc.unfreeze()


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


def _call(function: Callable[[Any, A], T], argument: A) -> T:
    return function(_shared, argument)
