"""A build run over one project or several: each project loaded, locked and planned on its own; what needs making
made in one shared pass (one worker pool, one LibreOffice pool); each project placed and recorded on its own."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import AtfpbError, DataError
from ..inputs.project import Project, load_inputs, select_communes, select_landlord
from ..manifest import JOURNAL, MANIFEST, Entry, Placing, clear_journal, read_manifest, write_manifest
from .environment import checkpoint, environment_errors
from .plan import Decided, Selection, plan, plan_finals, refuse_unconfirmed, specs_of
from .records import STAGING_PREFIX, place, reconcile
from .work import Clock, Produced, Run, Work

LOCK = ".atfpb-output.lock"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, what it left alone (unchanged), what failed, and how long each stage took."""

    built: tuple[Entry, ...]
    unchanged: tuple[Entry, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (document, French reason)
    incidents: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    """What a build makes in each project: the documents of these communes, landlords, kind and year (all by default),
    drafts or finals."""

    communes: Sequence[str] = ()
    landlords: Sequence[str] = ()
    kind: str | None = None
    year: int | None = None
    final: bool = False
    new_version: bool = False
    force: bool = False


@dataclass(frozen=True)
class RunResult:
    """Each project's build (or the French error that stopped it, the others going on), and the run's shared
    conversion incidents and stage times."""

    outcomes: tuple[tuple[Project, BuildResult | AtfpbError], ...]
    incidents: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)

    def single(self) -> BuildResult:
        """The result of a run over one project, with the run's incidents and stage times; its error raised."""
        ((_project, outcome),) = self.outcomes
        if isinstance(outcome, AtfpbError):
            raise outcome
        return replace(outcome, incidents=self.incidents, timings=self.timings)


def build(
    project: Project,
    communes: Sequence[str] = (),
    final: bool = False,
    new_version: bool = False,
    year: int | None = None,
    force: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    landlords: Sequence[str] = (),
    kind: str | None = None,
) -> BuildResult:
    """Build the chosen documents into output/ (of these communes, landlords, kind, year; all by default); a
    document is placed only whole and checked. A final build also brings the same documents' drafts up to date.

    Unchanged inputs mean an unchanged draft (unless `force`); documents LibreOffice cannot
    convert are reported in the result while the others are built.
    """
    choice = Choice(tuple(communes), tuple(landlords), kind, year, final, new_version, force)
    return build_projects([project], choice, jobs, progress).single()


def build_projects(
    projects: Sequence[Project],
    choice: Choice = Choice(),
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Build several projects in one run: one lock, staging folder and manifest each, one pool for all. A project
    whose inputs or documents fail is reported in the result while the others are built."""
    timings: dict[str, float] = {}
    clock = Clock(timings)
    outcomes: dict[int, BuildResult | AtfpbError] = {}
    with ExitStack() as held:
        prepared: dict[int, _Prepared] = {}
        for number, project in enumerate(projects):
            try:
                prepared[number] = _prepare(project, choice, clock, held, number if len(projects) > 1 else None)
            except AtfpbError as error:
                outcomes[number] = error
        run = Run(jobs or os.cpu_count() or 1, tuple(p.lock for p in prepared.values()), clock, progress)
        produced, incidents = _produce([p.work for p in prepared.values()], run)
        for (number, ready), made in zip(prepared.items(), produced, strict=True):
            try:
                outcomes[number] = ready.result(_placed(ready, made), made)
            except AtfpbError as error:
                outcomes[number] = error
    return RunResult(tuple((p, outcomes[n]) for n, p in enumerate(projects)), tuple(incidents), timings)


@dataclass(frozen=True)
class _Prepared:
    """A project ready for the shared pass: its lock held, its documents planned, its staging folder made."""

    work: Work
    lock: int
    unchanged: list[Entry]
    recorded: list[Entry]  # the manifest as reconciled (the lock held: nothing else writes it until placement)

    def result(self, built: list[Entry], made: Produced) -> BuildResult:
        return BuildResult(tuple(built), tuple(self.unchanged), tuple(made.failed))


def _prepare(project: Project, choice: Choice, clock: Clock, held: ExitStack, number: int | None) -> _Prepared:
    """Read and check a project's inputs, take its lock, bring its records in line and plan its documents; its lock
    and staging folder are released with `held` (the staging folder kept if a placement was interrupted)."""
    with clock("lecture"):
        inputs = load_inputs(project)
        chosen = tuple(select_landlord(inputs.territory, name).slug for name in choice.landlords)
        selection = Selection(chosen, choice.kind, choice.year)
        specs = specs_of(inputs, select_communes(inputs.territory, choice.communes), selection)
        if choice.final:
            refuse_unconfirmed(inputs, specs)
    with environment_errors(project), ExitStack() as own:
        project.output.mkdir(parents=True, exist_ok=True)
        lock = own.enter_context(output_lock(project.output))
        previous = reconcile(project, read_manifest(project.output, project.shown(project.output / MANIFEST)))
        drafts = plan(project, inputs, specs, previous, choice.force)
        finals = plan_finals(project, inputs, specs, previous, choice.new_version) if choice.final else Decided([], [])
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=project.output))
        own.callback(_remove_staging, project, staging)
        held.push(own.pop_all())  # kept until the run ends
    tag = "" if number is None else f"{number + 1}-"
    work = Work(project, inputs, drafts.planned + finals.planned, staging, tag)
    return _Prepared(work, lock, drafts.unchanged + finals.unchanged, previous)


def _remove_staging(project: Project, staging: Path) -> None:
    if not (project.output / JOURNAL).exists():  # else kept: the next build completes the placement
        shutil.rmtree(staging, ignore_errors=True)


def _produce(works: Sequence[Work], run: Run) -> tuple[list[Produced], list[str]]:
    """Make what the projects need, in one shared pass; nothing to make, nothing loaded."""
    if not any(work.planned for work in works):
        return [Produced() for _work in works], []
    from .pipeline import produce  # Word, LibreOffice and pyHanko (about 1 s to load): only when there is work

    with environment_errors(works[0].project):
        return produce(works, run)


def _placed(ready: _Prepared, made: Produced) -> list[Entry]:
    """A project's checked documents placed and recorded (its error, when it has one, raised instead)."""
    if made.error is not None:
        raise made.error
    if not made.placing:
        return []
    project = ready.work.project
    with environment_errors(project):
        return _place_and_record(project, ready.recorded, made.placing)


def _place_and_record(project: Project, previous: Sequence[Entry], placing: Sequence[Placing]) -> list[Entry]:
    with _signals_deferred():  # placing and recording take milliseconds: a Ctrl-C or TERM waits for them
        built = place(project, placing)
        checkpoint("placement")
        write_manifest(project.output, previous, built)
        clear_journal(project.output)
    return built


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for the block (they are delivered right after); a KILL is the journal's."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    blocked = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)


@contextmanager
def output_lock(output: Path) -> Iterator[int]:
    """One build at a time on an output folder; the second is told so at once. The lock belongs to the build's
    own process (its workers close their copy): the kernel releases it when that process ends, however it ends."""
    with open(output.parent / LOCK, "w") as handle:  # beside output/, which stays as the build left it
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataError(
                "une autre construction est en cours sur ce dossier de sortie : attendez qu'elle se termine."
            ) from None
        try:
            yield handle.fileno()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
