"""Work spread over forked worker processes; what they share is handed over by the pool's initializer."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")

_shared: Any = None  # in a worker process only: what its pool's initializer handed over


def _initialise(shared: object) -> None:
    global _shared
    _shared = shared


def _call(function: Callable[[Any, int], T], index: int) -> T:
    return function(_shared, index)


def in_workers(function: Callable[[S, int], T], shared: S, count: int, workers: int) -> list[T]:
    """`function(shared, i)` for i in 0..count-1, in forked processes when there is more than one core and one item.

    Forked workers inherit `shared` from the initializer's arguments without pickling it (documents and inputs
    are large); only the indexes and the results cross process boundaries.
    """
    if workers <= 1 or count < 2:
        return [function(shared, index) for index in range(count)]
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_initialise,
        initargs=(shared,),
    ) as pool:
        return list(pool.map(partial(_call, function), range(count), chunksize=max(1, count // (workers * 4))))
