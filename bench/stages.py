"""Per-stage profile for make bench: the CPU each Python stage spends on one document, replayed in one process."""

from __future__ import annotations

import resource
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.assembly.document import Edition
from generator.build.pipeline import finish_document
from generator.build.plan import Job, assemble, content_digest, specs_of
from generator.checks.expectations import expected_for
from generator.checks.run import check_lines
from generator.inputs.project import Project, load_inputs
from generator.pdf.convert import Converted
from generator.reading.document import read_document
from generator.render.docx import render_docx

STAGES = ("assemblage", "Word", "finition PDF", "lecture PDF", "règles")


def cpu_seconds() -> float:
    """CPU of this process and of the children it waited for (pdftotext), to the microsecond."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Profile:
    """CPU seconds of each stage, document by document."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {stage: [] for stage in STAGES}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = cpu_seconds()
        yield
        self.samples[name].append(cpu_seconds() - started)

    def lines(self) -> list[str]:
        """The per-stage table: median and highest milliseconds per document, and the sum of the medians."""
        rows = [f"  {'étape':<14} {'médiane':>8} {'max':>8}   (ms de CPU par document)"]
        total = 0.0
        for stage, values in self.samples.items():
            median = statistics.median(values) * 1000
            total += median
            rows.append(f"  {stage:<14} {median:>8.1f} {max(values) * 1000:>8.1f}")
        rows.append(f"  {'total':<14} {total:>8.1f}")
        return rows


def stage_profile(folder: Path, converted: dict[str, Path], sample: int, scratch: Path) -> Profile:
    """Replay assembly, Word, PDF finishing and the build's check on `sample` documents of a built project, the
    PDFs being LibreOffice's own output for the same Word files (`converted`, by document name)."""
    project = Project(folder)
    inputs = load_inputs(project)
    territory = inputs.territory
    specs = specs_of(inputs, list(territory.communes))[:sample]
    profile = Profile()
    scratch.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        with profile.stage("assemblage"):  # with the digest the build keeps of what the document says
            document = assemble(inputs, spec)
            content = content_digest(document, "bench")
        job = Job(document, Edition(), {}, spec.programme, content)
        docx = scratch / f"{job.name}.docx"
        with profile.stage("Word"):
            render_docx(document, job.edition, project.template, docx)
        raw = converted.get(job.name)
        if raw is None:
            continue
        with profile.stage("finition PDF"):
            pdf = finish_document(job, Converted(docx, raw), scratch / "final").pdf
        with profile.stage("lecture PDF"):
            lines = read_document(pdf)
        commune = territory.commune_named(document.commune)
        assert commune is not None
        expected = expected_for(territory, commune, territory.landlord(document.bailleur), spec.programme)
        with profile.stage("règles"):
            check_lines(lines, expected, inputs.rules)
    return profile
