"""Vetting documents: `check` (content rules, on any Word or PDF file) and `verify` (PDF/A, fonts, fields, manifest)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..checks.expectations import Expected, infer_expected
from ..checks.report import FileReport, Verification
from ..checks.run import check_lines
from ..inputs.project import Inputs, ProgrammeFinder, Project, select_communes, select_landlord
from ..manifest import read_manifest, sha256_of
from ..pdf.inspect import inspect_pdf
from ..reading.document import read_document
from ..reading.lines import Line, UnreadableDocument
from ..text import slugify


def check_files(
    project: Project, inputs: Inputs, paths: Sequence[Path], commune: str | None, landlord: str | None
) -> list[FileReport]:
    """Check received or generated documents; unreadable files are reported, the others still checked."""
    reports = []
    programmes = ProgrammeFinder(project, inputs)
    for path in paths:
        try:
            lines = read_document(path)
        except UnreadableDocument as error:
            reports.append(FileReport(str(path), None, None, unreadable=error.message))
            continue
        expected = _expected(inputs, programmes, lines, commune, landlord)
        reports.append(
            FileReport(
                str(path),
                slugify(expected.commune_name) if expected.commune_name else None,
                expected.landlord.slug if expected.landlord else None,
                tuple(check_lines(lines, expected, inputs.rules)),
            )
        )
    return reports


def _expected(
    inputs: Inputs, programmes: ProgrammeFinder, lines: Sequence[Line], commune: str | None, landlord: str | None
) -> Expected:
    inferred = infer_expected(lines, inputs.territory)
    chosen_commune = select_communes(inputs.territory, [commune])[0] if commune else inferred.commune
    chosen_landlord = select_landlord(inputs.territory, landlord) if landlord else inferred.landlord
    name = chosen_commune.nom if chosen_commune else inferred.commune_name
    programme = None
    if inferred.kind == "avenant" and chosen_commune and chosen_landlord and inferred.year:
        programme = programmes.find(chosen_commune.slug, chosen_landlord, inferred.year)
    return Expected(inputs.territory, name, chosen_commune, chosen_landlord, inferred.kind, inferred.year, programme)


def verify_pdf(project: Project, path: Path) -> Verification:
    """The PDF's archival and signature facts, and whether it is the file its manifest entry describes."""
    facts = inspect_pdf(path)
    digest = sha256_of(path)
    entries = read_manifest(project.output, project.shown(project.output / "manifest.json"))
    shown = project.shown(path)
    same_file = (e for e in entries if e.sha256.get("pdf") == digest)
    same_document = (e for e in entries if e.pdf == shown or (facts.identifier and e.identifier == facts.identifier))
    entry = next(same_file, None) or next(same_document, None)
    return Verification(facts, entry, entry is not None and entry.sha256.get("pdf") == digest)
