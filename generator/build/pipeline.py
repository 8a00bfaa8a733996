"""The build pipeline: load, assemble, render, convert, finish, check, then place files atomically."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..checks.expectations import expected_for, expected_for_bilan
from ..checks.report import FileReport, finding_line
from ..checks.run import check_lines
from ..errors import AtfpbError, Collector, DataError, raise_all
from ..inputs.project import Inputs, Project, load_inputs, select_communes, select_landlord
from ..manifest import JOURNAL, MANIFEST, Entry, Placing, clear_journal, read_manifest, sha256_of, write_manifest
from ..pdf.convert import Conversion, Converted, convert_to_pdf
from ..pdf.finish import PdfMetadata, SignatureSpot, finish_pdf
from ..reading.document import read_document
from ..render.docx import render_docx
from .environment import checkpoint, environment_errors
from .plan import (
    Decided,
    Job,
    Planned,
    Selection,
    assemble,
    content_digest,
    plan,
    plan_finals,
    refuse_unconfirmed,
    specs_of,
)
from .records import STAGING_PREFIX, place, reconcile
from .workers import in_workers

LOCK = ".atfpb-output.lock"


class CheckFailed(AtfpbError):
    """A document the build produced does not pass its own checks."""


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, what it left alone (unchanged), what failed, and how long each stage took."""

    built: tuple[Entry, ...]
    unchanged: tuple[Entry, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (document, French reason)
    incidents: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Rendering:
    """What the workers that assemble and render share."""

    project: Project
    inputs: Inputs
    planned: Sequence[Planned]
    staging: Path
    template: str  # the Word template's digest, part of every document's content digest


@dataclass(frozen=True)
class _Finishing:
    """What the workers that finish and check PDFs share."""

    inputs: Inputs
    converted: Sequence[Converted]
    sources: dict[Path, Job]
    staging: Path


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
    timings: dict[str, float] = {}
    clock = _Clock(timings)
    with clock("lecture"):
        inputs = load_inputs(project)
        chosen = tuple(select_landlord(inputs.territory, name).slug for name in landlords)
        specs = specs_of(inputs, select_communes(inputs.territory, communes), Selection(chosen, kind, year))
        if final:
            refuse_unconfirmed(inputs, specs)
    with environment_errors(project):
        project.output.mkdir(parents=True, exist_ok=True)
        with output_lock(project.output) as lock:
            previous = reconcile(project, read_manifest(project.output, project.shown(project.output / MANIFEST)))
            drafts = plan(project, inputs, specs, previous, force)
            finals = plan_finals(project, inputs, specs, previous, new_version) if final else Decided([], [])
            planned, unchanged = drafts.planned + finals.planned, drafts.unchanged + finals.unchanged
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=project.output))
            try:
                built, conversion, sources = _build_into(
                    project, inputs, planned, staging, _Run(jobs or os.cpu_count() or 1, (lock,), clock, progress)
                )
            finally:
                if not (project.output / JOURNAL).exists():  # else kept: the next build completes the placement
                    shutil.rmtree(staging, ignore_errors=True)
    failed = tuple((sources[f.docx].name, f.reason) for f in conversion.failed)
    return BuildResult(tuple(built), tuple(unchanged), failed, tuple(conversion.incidents), timings)


@dataclass(frozen=True)
class _Run:
    """How a build runs: its processes, what its workers must not keep (the lock), its clock and progress bar."""

    workers: int
    held: tuple[int, ...]
    clock: _Clock
    progress: Callable[[int, int], None] | None


def _build_into(
    project: Project, inputs: Inputs, planned: Sequence[Planned], staging: Path, run: _Run
) -> tuple[list[Entry], Conversion, dict[Path, Job]]:
    """Render, convert, finish and check in the staging folder, then place the documents and record them."""
    workers, clock, progress = run.workers, run.clock, run.progress
    with clock("assemblage et Word"):
        rendered = in_workers(
            _assemble_and_render_one,
            _Rendering(project, inputs, planned, staging, sha256_of(project.template)),
            len(planned),
            workers,
            run.held,
        )
    _raise_once_each(error for _path, _job, error in rendered if error is not None)
    sources = {path: job for path, job, _error in rendered if path is not None and job is not None}
    checkpoint("assemblage")
    done = [0]

    def converted_batch(count: int) -> None:
        done[0] += count
        if progress:
            progress(done[0], len(sources))

    with clock("PDF (LibreOffice)"):
        conversion = convert_to_pdf(list(sources), staging / "pdf", workers, converted_batch)
    checkpoint("conversion")
    with clock("finition PDF et contrôles"):
        finishing = _Finishing(inputs, conversion.converted, sources, staging)
        outcomes = in_workers(_finish_and_check_one, finishing, len(conversion.converted), workers, run.held)
    _refuse_errors([report for _pdf, report in outcomes])
    checkpoint("finition")
    placing = [
        _record(project, sources[c.docx], c, pdf, report)
        for c, (pdf, report) in zip(conversion.converted, outcomes, strict=True)
    ]
    if not placing:
        return [], conversion, sources
    previous = read_manifest(project.output, project.shown(project.output / MANIFEST))
    with _signals_deferred():  # placing and recording take milliseconds: a Ctrl-C or TERM waits for them
        built = place(project, placing)
        checkpoint("placement")
        write_manifest(project.output, previous, built)
        clear_journal(project.output)
    return built, conversion, sources


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for the block (they are delivered right after); a KILL is the journal's."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _raise_once_each(errors: Iterable[AtfpbError]) -> None:
    """The errors of every document, each reported once: a clause's error repeats in every document using it."""
    problems = Collector()
    problems.extend(errors)
    raise_all(list({str(p): p for p in problems.problems}.values()))


class _Clock:
    """Times the build's stages for its report."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start


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


def _assemble_and_render_one(shared: _Rendering, index: int) -> tuple[Path | None, Job | None, AtfpbError | None]:
    """Assemble and render one planned document; the job comes back without its (bulky) text."""
    planned = shared.planned[index]
    try:
        document = assemble(shared.inputs, planned.spec)
        content = content_digest(document, shared.template)
        job = Job(document, planned.edition, planned.inputs, planned.spec.programme, content, planned.spec.bilan)
        path = shared.staging / f"{job.name}.docx"
        render_docx(job.document, job.edition, shared.project.template, path)
    except AtfpbError as error:
        return None, None, error
    light = replace(job.document, sections=(), articles=(), annexes=())
    return path, replace(job, document=light), None


def _finish_and_check_one(shared: _Finishing, index: int) -> tuple[Path, FileReport]:
    converted = shared.converted[index]
    job = shared.sources[converted.docx]
    pdf = finish_document(job, converted, shared.staging / "final")
    return pdf, _check(shared.inputs, job, pdf)


def finish_document(job: Job, converted: Converted, folder: Path) -> Path:
    """PDF/A metadata from the document's own data and date, and one signature field per signatory."""
    folder.mkdir(exist_ok=True)
    document = job.document
    metadata = PdfMetadata(
        title=document.title,
        subject=document.subject,
        author=document.author,
        keywords=document.keywords,
        date=document.date,
        identifier=document_identifier(converted.docx),
    )
    spots = [
        SignatureSpot(f"signature-{s.key}", s.personne or s.qualite, f"Pour {s.partie}") for s in document.signatories
    ]
    destination = folder / converted.pdf.name
    finish_pdf(converted.pdf, destination, metadata, spots)
    return destination


def document_identifier(docx: Path) -> bytes:
    """The PDF's permanent identifier: derived from the Word file, hence stable across identical builds."""
    return hashlib.md5(docx.read_bytes()).digest()


def _check(inputs: Inputs, job: Job, pdf: Path) -> FileReport:
    """Check a freshly built document against its own instance data, in its PDF: LibreOffice's rendering of the
    Word file, so what the Word content gets wrong shows there too (the Word file passes `atfpb check` alike, which
    tests/checks/test_check.py keeps true)."""
    document = job.document
    commune = inputs.territory.commune_named(document.commune)
    assert commune is not None
    landlord = inputs.territory.landlord(document.bailleur)
    if job.bilan is not None and job.programme is not None:
        expected = expected_for_bilan(inputs.territory, commune, landlord, job.programme, job.bilan)
    else:
        expected = expected_for(inputs.territory, commune, landlord, job.programme)
    findings = tuple(check_lines(read_document(pdf), expected, inputs.rules))
    return FileReport(job.name, document.commune, document.bailleur, findings)


def _refuse_errors(reports: Sequence[FileReport]) -> None:
    failing = [r for r in reports if r.errors]
    if failing:
        details = "\n".join(f"{r.file} :\n" + "\n".join(f"  {finding_line(f)}" for f in r.findings) for r in failing)
        raise CheckFailed(f"{len(failing)} document(s) ne passent pas les contrôles ; rien n'a été écrit.\n{details}")


def _record(project: Project, job: Job, converted: Converted, pdf: Path, report: FileReport) -> Placing:
    """A checked pair's record to be, and where its files wait in the staging folder."""
    folder = project.output / job.document.commune
    targets = {"docx": folder / f"{job.name}.docx", "pdf": folder / f"{job.name}.pdf"}
    sources = {"docx": converted.docx, "pdf": pdf}
    document = job.document
    entry = Entry(
        kind=document.kind,
        commune=document.commune,
        bailleur=document.bailleur,
        docx=project.shown(targets["docx"]),
        pdf=project.shown(targets["pdf"]),
        pages=converted.pages,
        sha256={kind: sha256_of(path) for kind, path in sources.items()},
        date=document.date.isoformat(),
        year=document.year,
        version=job.edition.version,
        final=job.edition.final,
        inputs=job.inputs,
        findings=tuple(f.as_dict() for f in report.findings),
        identifier=document_identifier(converted.docx).hex(),
        content=job.content,
    )
    return Placing(entry, {kind: str(path.resolve()) for kind, path in sources.items()})
