"""The build pipeline: assemble, render, convert, finish and check the planned documents of one project or several,
each project's documents rendered, converted and checked in the same shared passes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..checks.expectations import expected_for, expected_for_bilan
from ..checks.report import FileReport, finding_line
from ..checks.run import check_lines
from ..errors import AtfpbError, Collector, raise_all
from ..inputs.project import Inputs, Project
from ..manifest import Entry, Placing, sha256_of
from ..pdf.convert import Conversion, Converted, convert_to_pdf
from ..pdf.finish import PdfMetadata, SignatureSpot, finish_pdf
from ..reading.document import read_document
from ..render.docx import render_docx
from .environment import checkpoint
from .plan import Job, Planned, assemble, content_digest
from .work import Produced, Run, Work
from .workers import in_workers


class CheckFailed(AtfpbError):
    """A document the build produced does not pass its own checks."""


@dataclass(frozen=True)
class _Rendering:
    """What the workers that assemble and render share: every project's planned documents, in one list."""

    works: Sequence[Work]
    planned: Sequence[tuple[int, Planned]]  # (index of its work, planned document)
    templates: Sequence[str]  # each work's Word template digest, part of every document's content digest


@dataclass(frozen=True)
class _Finishing:
    """What the workers that finish and check PDFs share."""

    converted: Sequence[Converted]
    sources: dict[Path, tuple[Job, Work]]


def produce(works: Sequence[Work], run: Run) -> tuple[list[Produced], list[str]]:
    """Render every project's planned documents, convert them all at once, finish and check them: for each work, its
    documents ready to place (or the error that stops it), and the conversion's incidents (French)."""
    produced = [Produced() for _work in works]
    sources = _render(works, produced, run)
    checkpoint("assemblage")
    conversion = _convert(works, sources, run)
    checkpoint("conversion")
    for failure in conversion.failed:
        job, work = sources[failure.docx]
        produced[next(n for n, w in enumerate(works) if w is work)].failed.append((job.name, failure.reason))
    with run.clock("finition PDF et contrôles"):
        finishing = _Finishing(conversion.converted, sources)
        outcomes = in_workers(_finish_and_check_one, finishing, len(conversion.converted), run.workers, run.held)
    checkpoint("finition")
    _collect(works, produced, sources, list(zip(conversion.converted, outcomes, strict=True)))
    return produced, list(conversion.incidents)


def _render(works: Sequence[Work], produced: list[Produced], run: Run) -> dict[Path, tuple[Job, Work]]:
    """Assemble and render every planned document in one pass; a project whose documents have errors is stopped
    (its errors said once each), the others go on. The Word files rendered, with their job and work."""
    planned = [(number, item) for number, work in enumerate(works) for item in work.planned]
    templates = [sha256_of(work.project.template) for work in works]
    with run.clock("assemblage et Word"):
        rendered = in_workers(
            _assemble_and_render_one, _Rendering(works, planned, templates), len(planned), run.workers, run.held
        )
    for number in range(len(works)):
        errors = [
            error
            for (owner, _item), (_path, _job, error) in zip(planned, rendered, strict=True)
            if owner == number and error is not None
        ]
        produced[number].error = _once_each(errors)
    return {
        path: (job, works[owner])
        for (owner, _item), (path, job, _error) in zip(planned, rendered, strict=True)
        if path is not None and job is not None and produced[owner].error is None
    }


def _convert(works: Sequence[Work], sources: dict[Path, tuple[Job, Work]], run: Run) -> Conversion:
    """Every project's Word files through one LibreOffice pool, into the first project's staging folder."""
    done = [0]

    def converted_batch(count: int) -> None:
        done[0] += count
        if run.progress:
            run.progress(done[0], len(sources))

    with run.clock("PDF (LibreOffice)"):
        return convert_to_pdf(list(sources), works[0].staging / "pdf", run.workers, converted_batch)


def _collect(
    works: Sequence[Work],
    produced: list[Produced],
    sources: dict[Path, tuple[Job, Work]],
    finished: Sequence[tuple[Converted, tuple[Finished, FileReport]]],
) -> None:
    """Each project's checked documents to place; a project with a document failing its checks places none."""
    for number, work in enumerate(works):
        own = [(c, done, report) for c, (done, report) in finished if sources[c.docx][1] is work]
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


def _assemble_and_render_one(shared: _Rendering, index: int) -> tuple[Path | None, Job | None, AtfpbError | None]:
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
    """A finished PDF, its number of pages and its permanent identifier (see document_identifier)."""

    pdf: Path
    pages: int
    identifier: bytes


def _finish_and_check_one(shared: _Finishing, index: int) -> tuple[Finished, FileReport]:
    converted = shared.converted[index]
    job, work = shared.sources[converted.docx]
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
    return Finished(destination, pages, identifier)


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
        sha256={kind: sha256_of(path) for kind, path in sources.items()},
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
