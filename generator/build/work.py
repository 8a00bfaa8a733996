"""What a build run hands its pipeline: each project's share of the work, how the run goes, and what comes back."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AtfpbError
from ..inputs.project import Inputs, Project
from ..manifest import Placing
from .plan import Planned


@dataclass(frozen=True)
class Work:
    """One project's share of a run: the documents it builds, from which inputs, and where they wait meanwhile."""

    project: Project
    inputs: Inputs
    planned: Sequence[Planned]
    staging: Path
    tag: str = ""  # before its staged file names: several projects' documents share one conversion folder


@dataclass
class Produced:
    """What one project's share became: its checked documents to place and those LibreOffice could not convert
    (document, French reason); or the error that stops this project alone."""

    placing: list[Placing] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    error: AtfpbError | None = None


class Clock:
    """Times a run's stages for its report (a stage run several times adds up)."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - start)

    def add(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds


@dataclass(frozen=True)
class Run:
    """How a build runs: its processes, what its workers must not keep (the locks), its clock and progress bar."""

    workers: int
    held: tuple[int, ...]
    clock: Clock
    progress: Callable[[int, int], None] | None
