"""The build pipeline: assemble, render, convert, finish and check the planned documents of one project or several,
each project's documents rendered, converted and checked in the same shared passes."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..checks.expectations import expected_for, expected_for_bilan
from ..checks.report import FileReport, finding_line
from ..checks.run import check_lines
from ..errors import AtfpbError, Collector, raise_all
from ..inputs.project import Inputs, Project
from ..manifest import Entry, Placing, sha256_of
from ..pdf.convert import Converted, Converter, batch_size, soffice
from ..pdf.finish import PdfMetadata, SignatureSpot, finish_pdf
from ..reading.document import read_document
from ..render.docx import render_docx
from .environment import checkpoint
from .plan import Job, Planned, assemble, content_digest
from .work import Produced, Run, Work
from .workers import Outcome, Workers


class CheckFailed(AtfpbError):
    """A document the build produced does not pass its own checks."""


@dataclass(frozen=True)
class _Shared:
    """What the workers share: every project's planned documents, in one list, and each project's Word template
    digest (part of every document's content digest)."""

    works: Sequence[Work]
    planned: Sequence[tuple[int, Planned]]  # (index of its work, planned document)
    templates: Sequence[str]


class _Flow:
    """The documents on their way: rendered by the workers, converted as soon as a batch of them is ready, each
    batch finished and checked by the workers as soon as LibreOffice ends it (the three stages side by side)."""

    def __init__(self, works: Sequence[Work], run: Run, workers: Workers) -> None:
        self.works, self.run, self.workers = works, run, workers
        self.sources: dict[Path, tuple[Job, int]] = {}  # rendered Word file: its job and the index of its work
        self.finishing: dict[Path, Outcome[tuple[Finished, FileReport]]] = {}
        self.total = sum(len(work.planned) for work in works)  # documents to convert, until the rendering says
        self.done = 0
        self.started: dict[str, float] = {}  # when each stage began, for the run's durations

    def send(self, office: Converter, batch: list[Path]) -> None:
        """Rendered Word files to LibreOffice (the first batch starts its clock)."""
        self.started.setdefault("PDF (LibreOffice)", time.perf_counter())
        office.submit(batch)

    def converted(self, batch: Sequence[Converted], size: int) -> None:
        """A batch LibreOffice ended (from its thread): its PDFs to finish and check, the progress said."""
        self.started.setdefault("finition PDF et contrôles", time.perf_counter())
        for converted in batch:
            job, owner = self.sources[converted.docx]
            self.finishing[converted.docx] = self.workers.submit(_finish_and_check_one, (owner, job, converted))
        self.done += size
        if self.run.progress:
            self.run.progress(self.done, self.total)

    def ended(self, stage: str) -> None:
        """A stage's duration, from its beginning to now (the stages overlap: together they exceed the run)."""
        self.run.clock.add(stage, time.perf_counter() - self.started.get(stage, time.perf_counter()))


def produce(works: Sequence[Work], run: Run) -> tuple[list[Produced], list[str]]:
    """Render every project's planned documents, convert them through one LibreOffice pool as they are rendered,
    finish and check each batch as it is converted: for each work, its documents ready to place (or the error that
    stops it), and the conversion's incidents (French)."""
    produced = [Produced() for _work in works]
    planned = [(number, item) for number, work in enumerate(works) for item in work.planned]
    shared = _Shared(works, planned, [sha256_of(work.project.template) for work in works])
    soffice()  # LibreOffice is there, or a French error before any work
    with Workers(shared, run.workers, run.held) as workers:
        flow = _Flow(works, run, workers)
        flow.started["assemblage et Word"] = time.perf_counter()
        rendering = [workers.submit(_assemble_and_render_one, index) for index in range(len(planned))]
        with Converter(works[0].staging / "pdf", run.workers, flow.converted) as office:
            _render_into(office, flow, produced, zip((owner for owner, _item in planned), rendering, strict=True))
            checkpoint("assemblage")
            conversion = office.finish()
        flow.ended("PDF (LibreOffice)")
        checkpoint("conversion")
        finished = [(c, flow.finishing[c.docx].result()) for c in conversion.converted]
        flow.ended("finition PDF et contrôles")
    checkpoint("finition")
    for failure in conversion.failed:
        job, owner = flow.sources[failure.docx]
        produced[owner].failed.append((job.name, failure.reason))
    _collect(works, produced, flow.sources, finished)
    return produced, list(conversion.incidents)


def _render_into(
    office: Converter,
    flow: _Flow,
    produced: list[Produced],
    rendering: Iterable[tuple[int, Outcome[tuple[Path | None, Job | None, AtfpbError | None]]]],
) -> None:
    """Hand the rendered Word files to LibreOffice batch by batch, in the planned order, as the workers render
    them; a project whose documents have errors is stopped (its errors said once each, its documents no longer
    sent), the others go on."""
    size = batch_size(flow.total, flow.run.workers)
    errors: list[list[AtfpbError]] = [[] for _work in flow.works]
    batch: list[Path] = []
    for owner, pending in rendering:
        path, job, error = pending.result()
        if error is not None:
            errors[owner].append(error)
        if errors[owner]:
            continue
        assert path is not None and job is not None
        flow.sources[path] = (job, owner)
        batch.append(path)
        if len(batch) == size:
            flow.send(office, batch)
            batch = []
    flow.ended("assemblage et Word")
    for number, found in enumerate(errors):
        produced[number].error = _once_each(found)
    flow.total = len(flow.sources)
    if batch:
        flow.send(office, batch)


def _collect(
    works: Sequence[Work],
    produced: list[Produced],
    sources: dict[Path, tuple[Job, int]],
    finished: Sequence[tuple[Converted, tuple[Finished, FileReport]]],
) -> None:
    """Each project's checked documents to place; a project with a document failing its checks places none (nor
    does a project stopped by its errors, some of whose documents may have been converted meanwhile)."""
    for number, work in enumerate(works):
        if produced[number].error is not None:
            continue
        own = [(c, done, report) for c, (done, report) in finished if sources[c.docx][1] == number]
        try:
            _refuse_errors([report for _c, _done, report in own])
        except CheckFailed as error:
            produced[number].error = error
            continue
        produced[number].placing = [_record(work.project, sources[c.docx][0], c, d, report) for c, d, report in own]


def _once_each(errors: Iterable[AtfpbError]) -> AtfpbError | None:
    """The errors of a project's documents as one error, each said once (a clause's error repeats in every
    document using it); None when there are none."""
    problems = Collector()
    problems.extend(errors)
    try:
        raise_all(list({str(p): p for p in problems.problems}.values()))
    except AtfpbError as error:
        return error
    return None


def _assemble_and_render_one(shared: _Shared, index: int) -> tuple[Path | None, Job | None, AtfpbError | None]:
    """Assemble and render one planned document; the job comes back without its (bulky) text."""
    owner, planned = shared.planned[index]
    work = shared.works[owner]
    try:
        document = assemble(work.inputs, planned.spec)
        content = content_digest(document, shared.templates[owner])
        job = Job(document, planned.edition, planned.inputs, planned.spec.programme, content, planned.spec.bilan)
        path = work.staging / f"{work.tag}{job.name}.docx"
        render_docx(job.document, job.edition, work.project.template, path)
    except AtfpbError as error:
        return None, None, error
    light = replace(job.document, sections=(), articles=(), annexes=())
    return path, replace(job, document=light), None


@dataclass(frozen=True)
class Finished:
    """A finished PDF, its number of pages, its permanent identifier (see document_identifier), and the SHA-256 of
    it and of its Word file, for the manifest (taken by the worker that wrote it, not at the end of the build)."""

    pdf: Path
    pages: int
    identifier: bytes
    sha256: dict[str, str]


def _finish_and_check_one(shared: _Shared, task: tuple[int, Job, Converted]) -> tuple[Finished, FileReport]:
    owner, job, converted = task
    work = shared.works[owner]
    finished = finish_document(job, converted, work.staging / "final")
    return finished, _check(work.inputs, job, finished.pdf)


def finish_document(job: Job, converted: Converted, folder: Path) -> Finished:
    """PDF/A metadata from the document's own data and date, and one signature field per signatory."""
    folder.mkdir(exist_ok=True)
    document = job.document
    identifier = document_identifier(converted.docx)
    metadata = PdfMetadata(
        title=document.title,
        subject=document.subject,
        author=document.author,
        keywords=document.keywords,
        date=document.date,
        identifier=identifier,
    )
    spots = [
        SignatureSpot(f"signature-{s.key}", s.personne or s.qualite, f"Pour {s.partie}", s.key)
        for s in document.signatories
    ]
    destination = folder / converted.pdf.name
    pages = finish_pdf(converted.pdf, destination, metadata, spots, draft=not job.edition.final)
    return Finished(destination, pages, identifier, {"docx": sha256_of(converted.docx), "pdf": sha256_of(destination)})


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


def _record(project: Project, job: Job, converted: Converted, finished: Finished, report: FileReport) -> Placing:
    """A checked pair's record to be, and where its files wait in the staging folder."""
    folder = project.output / job.document.commune
    targets = {"docx": folder / f"{job.name}.docx", "pdf": folder / f"{job.name}.pdf"}
    sources = {"docx": converted.docx, "pdf": finished.pdf}
    document = job.document
    entry = Entry(
        kind=document.kind,
        commune=document.commune,
        bailleur=document.bailleur,
        docx=project.shown(targets["docx"]),
        pdf=project.shown(targets["pdf"]),
        pages=finished.pages,
        sha256=finished.sha256,
        date=document.date.isoformat(),
        year=document.year,
        version=job.edition.version,
        final=job.edition.final,
        inputs=job.inputs,
        findings=tuple(f.as_dict() for f in report.findings),
        identifier=finished.identifier.hex(),
        content=job.content,
    )
    return Placing(entry, {kind: str(path.resolve()) for kind, path in sources.items()})
