"""The build pipeline: load, assemble, render, convert, finish, check, then place files atomically."""

from __future__ import annotations

import fcntl
import hashlib
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from .assemble import AssembledDocument, Edition, assemble_avenant, assemble_convention, convention_pairs
from .check import check_lines, expected_for
from .convert import Converted, convert_to_pdf
from .errors import AtfpbError, DataError, raise_all
from .manifest import Entry, latest_final, read_manifest, sha256_of, write_manifest
from .model import Commune, Landlord
from .pdf import PdfMetadata, SignatureSpot, finish_pdf
from .programme import Programme
from .project import Inputs, Project, input_hashes, load_inputs, select_communes
from .reading import read_document
from .report import FileReport, finding_line
from .word import render_docx

LOCK = ".atfpb-output.lock"
T = TypeVar("T")


class CheckFailed(AtfpbError):
    """A document the build produced does not pass its own checks."""


@dataclass(frozen=True)
class Job:
    """One document to build: what it says, which edition, from which inputs."""

    document: AssembledDocument
    edition: Edition
    inputs: dict[str, str]

    programme: Programme | None = None

    @property
    def name(self) -> str:
        d = self.document
        year = f"-{d.year}" if d.year else ""
        return f"{d.kind}-atfpb{year}-{d.commune}-{d.bailleur}{self.edition.suffix}"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, what it left alone (unchanged), what failed, and how long each stage took."""

    built: tuple[Entry, ...]
    unchanged: tuple[Entry, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (document, French reason)
    incidents: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Spec:
    """A document to be: a convention (no programme) or the avenant of a programme."""

    commune: Commune
    landlord: Landlord
    programme: Programme | None = None

    @property
    def key(self) -> tuple[str, str, str, int]:
        kind = "avenant" if self.programme else "convention"
        return (kind, self.commune.slug, self.landlord.slug, self.programme.annee if self.programme else 0)


def specs_of(inputs: Inputs, communes: Sequence[Commune], year: int | None = None) -> list[Spec]:
    """Every convention of the chosen communes and every avenant of their programmes (of `year` if given)."""
    specs = []
    for commune, landlord in convention_pairs(inputs.territory, communes):
        specs.append(Spec(commune, landlord))
        programmes = [p for p in inputs.programmes if (p.commune, p.bailleur) == (commune.slug, landlord.slug)]
        specs += [
            Spec(commune, landlord, p)
            for p in sorted(programmes, key=lambda p: p.annee)
            if year is None or p.annee == year
        ]
    return specs


def assemble(inputs: Inputs, spec: Spec) -> AssembledDocument:
    """The document a spec describes, assembled (pure)."""
    territory, commune, landlord = inputs.territory, spec.commune, spec.landlord
    if spec.programme is None:
        return assemble_convention(territory, commune, landlord, inputs.clauses, inputs.references)
    return assemble_avenant(territory, commune, landlord, spec.programme, inputs.avenant_clauses, inputs.references)


def build(
    project: Project,
    communes: Sequence[str] = (),
    final: bool = False,
    new_version: bool = False,
    year: int | None = None,
    force: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build the chosen communes' documents into output/; a document is placed only whole and checked.

    Unchanged inputs mean an unchanged document (unless `force`); documents LibreOffice cannot
    convert are reported in the result while the others are built.
    """
    timings: dict[str, float] = {}
    clock = _Clock(timings)
    with clock("lecture"):
        inputs = load_inputs(project)
        specs = specs_of(inputs, select_communes(inputs.territory, communes), year)
    project.output.mkdir(parents=True, exist_ok=True)
    with output_lock(project.output):
        previous = read_manifest(project.output, project.shown(project.output / "manifest.json"))
        hashes = [input_hashes(project, spec.commune, spec.programme) for spec in specs]
        planned, unchanged = _plan(project, specs, hashes, previous, final, new_version, force)
        staging = Path(tempfile.mkdtemp(prefix=".atfpb-", dir=project.output))
        try:
            workers = jobs or os.cpu_count() or 1
            _SHARED.update(project=project, inputs=inputs, planned=planned, staging=staging)
            with clock("assemblage et Word"):
                outcomes_word = _in_workers(_assemble_and_render_one, range(len(planned)), workers)
            problems = [error for _path, _job, error in outcomes_word if error is not None]
            raise_all(list({str(p): p for p in problems}.values()))  # a clause error repeats for every document
            sources = {path: job for path, job, _error in outcomes_word if path is not None and job is not None}
            todo = list(sources.values())
            done = [0]

            def converted_batch(count: int) -> None:
                done[0] += count
                if progress:
                    progress(done[0], len(todo))

            with clock("PDF (LibreOffice)"):
                conversion = convert_to_pdf(list(sources), staging / "pdf", jobs, converted_batch)
            _SHARED.update(converted=conversion.converted, sources=sources)
            with clock("finition PDF et contrôles"):
                outcomes = _in_workers(_finish_and_check_one, range(len(conversion.converted)), workers)
            finished = [
                (sources[c.docx], c, pdf) for c, (pdf, _report) in zip(conversion.converted, outcomes, strict=True)
            ]
            reports = [report for _pdf, report in outcomes]
            _refuse_errors(reports)
            built = [
                _place(project, job, c, pdf, report) for (job, c, pdf), report in zip(finished, reports, strict=True)
            ]
            if built:
                write_manifest(project.output, previous, built)
        finally:
            _SHARED.clear()
            shutil.rmtree(staging, ignore_errors=True)
    failed = tuple((sources[f.docx].name, f.reason) for f in conversion.failed)
    return BuildResult(tuple(built), tuple(unchanged), failed, tuple(conversion.incidents), timings)


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
def output_lock(output: Path) -> Iterator[None]:
    """One build at a time on an output folder; the second is told so at once."""
    with open(output.parent / LOCK, "w") as handle:  # beside output/, which stays as the build left it
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataError(
                "une autre construction est en cours sur ce dossier de sortie : attendez qu'elle se termine."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _plan(
    project: Project,
    specs: Sequence[Spec],
    hashes: Sequence[dict[str, str]],
    previous: Sequence[Entry],
    final: bool,
    new_version: bool,
    force: bool,
) -> tuple[list[tuple[Spec, Edition, dict[str, str]]], list[Entry]]:
    """What to build: a draft whose inputs and files are unchanged is kept; a final is never overwritten."""
    planned: list[tuple[Spec, Edition, dict[str, str]]] = []
    unchanged: list[Entry] = []
    problems: list[AtfpbError] = []
    for spec, used in zip(specs, hashes, strict=True):
        if not final:
            last = next((e for e in previous if not e.final and e.key[:4] == spec.key), None)
            if last is not None and not force and last.inputs == used and _intact(project, last):
                unchanged.append(last)
            else:
                planned.append((spec, Edition(), used))
            continue
        kind, commune, landlord, year = spec.key
        last = latest_final(previous, kind, commune, landlord, year or None)
        if last is not None and last.inputs == used:
            unchanged.append(last)
        elif last is not None and not new_version:
            changed = sorted(k for k in used.keys() | last.inputs.keys() if used.get(k) != last.inputs.get(k))
            problems.append(
                DataError(
                    f"la version finale {last.version} ({last.pdf}) existe déjà et ses données ont changé depuis "
                    f"({', '.join(changed)}) : une version finale n'est jamais remplacée. Relancez avec "
                    f"--new-version pour produire la version {(last.version or 0) + 1} à côté."
                )
            )
        else:
            planned.append((spec, Edition((last.version or 0) + 1 if last else 1), used))
    raise_all(problems)
    return planned, unchanged


def _intact(project: Project, entry: Entry) -> bool:
    """The files of a manifest entry are still there, as they were written (by size, then digest)."""
    for kind in ("docx", "pdf"):
        path = project.root / getattr(entry, kind)
        if not path.is_file() or sha256_of(path) != entry.sha256.get(kind):
            return False
    return True


_SHARED: dict[str, Any] = {}  # what forked workers inherit: no pickling of documents or inputs


def _in_workers(function: Callable[[int], T], indexes: range, workers: int) -> list[T]:
    """`function` over `indexes`, in forked processes when there is more than one core and one item."""
    if workers <= 1 or len(indexes) < 2:
        return [function(i) for i in indexes]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, indexes, chunksize=max(1, len(indexes) // (workers * 4))))


def _assemble_and_render_one(index: int) -> tuple[Path | None, Job | None, AtfpbError | None]:
    """Assemble and render one planned document; the job comes back without its (bulky) text."""
    spec, edition, used = _SHARED["planned"][index]
    try:
        job = Job(assemble(_SHARED["inputs"], spec), edition, used, spec.programme)
        path = _render(_SHARED["project"], job, _SHARED["staging"])
    except AtfpbError as error:
        return None, None, error
    light = replace(job.document, sections=(), articles=(), annexes=())
    return path, replace(job, document=light), None


def _finish_and_check_one(index: int) -> tuple[Path, FileReport]:
    converted: Converted = _SHARED["converted"][index]
    job: Job = _SHARED["sources"][converted.docx]
    pdf = _finish(job, converted, _SHARED["staging"] / "final")
    return pdf, _check(_SHARED["inputs"], job, converted.docx, pdf)


def _render(project: Project, job: Job, staging: Path) -> Path:
    path = staging / f"{job.name}.docx"
    render_docx(job.document, job.edition, project.template, path)
    return path


def _finish(job: Job, converted: Converted, folder: Path) -> Path:
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


def _check(inputs: Inputs, job: Job, docx: Path, pdf: Path) -> FileReport:
    """Check a freshly built document, both as Word and as PDF, against its own instance data."""
    document = job.document
    commune = next(c for c in inputs.territory.communes if c.slug == document.commune)
    expected = expected_for(inputs.territory, commune, inputs.territory.landlord(document.bailleur), job.programme)
    findings = tuple(f for path in (docx, pdf) for f in check_lines(read_document(path), expected, inputs.rules))
    return FileReport(job.name, document.commune, document.bailleur, findings)


def _refuse_errors(reports: Sequence[FileReport]) -> None:
    failing = [r for r in reports if r.errors]
    if failing:
        details = "\n".join(f"{r.file} :\n" + "\n".join(f"  {finding_line(f)}" for f in r.findings) for r in failing)
        raise CheckFailed(f"{len(failing)} document(s) ne passent pas les contrôles ; rien n'a été écrit.\n{details}")


def _place(project: Project, job: Job, converted: Converted, pdf: Path, report: FileReport) -> Entry:
    """Move a checked pair into output/<commune>/; a final never replaces an existing file."""
    folder = project.output / job.document.commune
    folder.mkdir(exist_ok=True)
    targets = {"docx": folder / f"{job.name}.docx", "pdf": folder / f"{job.name}.pdf"}
    sources = {"docx": converted.docx, "pdf": pdf}
    digests = {kind: sha256_of(path) for kind, path in sources.items()}
    identifier = document_identifier(converted.docx)
    for kind, source in sources.items():
        if job.edition.final:
            os.link(source, targets[kind])  # fails rather than overwrite a signed version
            source.unlink()
        else:
            os.replace(source, targets[kind])
    document = job.document
    return Entry(
        kind=document.kind,
        commune=document.commune,
        bailleur=document.bailleur,
        docx=project.shown(targets["docx"]),
        pdf=project.shown(targets["pdf"]),
        pages=converted.pages,
        sha256=digests,
        date=document.date.isoformat(),
        year=document.year,
        version=job.edition.version,
        final=job.edition.final,
        inputs=job.inputs,
        findings=tuple(asdict(f) for f in report.findings),
        identifier=identifier.hex(),
    )
