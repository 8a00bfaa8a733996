"""The build pipeline: load, validate, assemble, render, convert, then place files atomically."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .assemble import AssembledDocument, assemble_convention, convention_pairs
from .check import Expected, check_lines, expected_for, infer_expected
from .clauses import Clause, load_library
from .convert import convert_to_pdf
from .errors import AtfpbError, DataError, Location, raise_all
from .instances import load_territory
from .legal import LegalReference, load_legal_references
from .model import Commune, Landlord, Territory
from .reading import UnreadableDocument, read_document
from .report import FileReport, finding_line
from .rules import Rules, load_rules
from .slug import slugify
from .word import render_docx

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Project:
    """Where a project's inputs and outputs live."""

    root: Path

    @property
    def instances(self) -> Path:
        return self.root / "instances"

    @property
    def clauses(self) -> Path:
        return self.root / "clauses"

    @property
    def template(self) -> Path:
        return self.root / "templates" / "docx" / "convention.docx"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def shown(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, loaded and validated."""

    territory: Territory
    clauses: tuple[Clause, ...]
    references: tuple[LegalReference, ...]
    rules: Rules


@dataclass(frozen=True)
class BuiltDocument:
    """One document written to output/, as the manifest records it."""

    kind: str
    commune: str
    bailleur: str
    docx: str
    pdf: str
    pages: int
    sha256: dict[str, str]
    findings: tuple[dict[str, str], ...] = ()


def load_inputs(project: Project) -> Inputs:
    """Read and validate instances, clauses and the legal registry; report every problem found."""
    problems: list[AtfpbError] = []
    loaded: dict[str, Any] = {}
    references_file = project.clauses / "references.yaml"
    steps = {
        "territory": lambda: load_territory(project.instances, project.root),
        "clauses": lambda: load_library(project.clauses / "convention", project.root),
        "references": lambda: load_legal_references(references_file, project.shown(references_file)),
    }
    for name, step in steps.items():
        try:
            loaded[name] = step()
        except AtfpbError as error:
            problems.extend(getattr(error, "problems", (error,)))
    raise_all(problems)
    rules_file = project.clauses / "controles.yaml"
    rules = load_rules(rules_file, project.shown(rules_file), loaded["clauses"], loaded["references"])
    return Inputs(loaded["territory"], loaded["clauses"], loaded["references"], rules)


def select_communes(territory: Territory, wanted: Sequence[str]) -> list[Commune]:
    """The communes named on the command line (by slug or name), or all of them."""
    if not wanted:
        return list(territory.communes)
    by_slug = {c.slug: c for c in territory.communes}
    chosen = []
    for name in wanted:
        slug = slugify(name)
        if slug not in by_slug:
            close = difflib.get_close_matches(slug, list(by_slug), n=1)
            hint = f" Vouliez-vous dire « {close[0]} » ?" if close else f" Communes connues : {', '.join(by_slug)}."
            raise DataError(f"commune « {name} » inconnue.{hint}")
        chosen.append(by_slug[slug])
    return chosen


def assemble_all(inputs: Inputs, communes: Sequence[Commune]) -> list[AssembledDocument]:
    """Every convention of the chosen communes, assembled (pure), problems reported together."""
    documents: list[AssembledDocument] = []
    problems: list[AtfpbError] = []
    for commune, landlord in convention_pairs(inputs.territory, communes):
        try:
            documents.append(
                assemble_convention(inputs.territory, commune, landlord, inputs.clauses, inputs.references)
            )
        except AtfpbError as error:
            problems.extend(getattr(error, "problems", (error,)))
    # the same clause error repeats for every document: report it once
    raise_all(list({str(p): p for p in problems}.values()))
    return documents


def document_name(document: AssembledDocument) -> str:
    return f"{document.kind}-atfpb-{document.commune}-{document.bailleur}"


def build(project: Project, communes: Sequence[str] = ()) -> list[BuiltDocument]:
    """Build the conventions of the chosen communes into output/; nothing is placed unless it is whole."""
    inputs = load_inputs(project)
    documents = assemble_all(inputs, select_communes(inputs.territory, communes))
    project.output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".atfpb-", dir=project.output))
    try:
        sources = []
        for document in documents:
            path = staging / f"{document_name(document)}.docx"
            render_docx(document, project.template, path)
            sources.append(path)
        converted = convert_to_pdf(sources, staging / "pdf")
        pairs = list(zip(documents, converted, strict=True))
        reports = [_check_built(inputs, document, result.docx, result.pdf) for document, result in pairs]
        _refuse_errors(reports)
        built = [
            _place(project, document, result.docx, result.pdf, result.pages, report)
            for (document, result), report in zip(pairs, reports, strict=True)
        ]
        _write_manifest(project, built)
        return built
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_built(inputs: Inputs, document: AssembledDocument, docx: Path, pdf: Path) -> FileReport:
    """Check a freshly built document, both as Word and as PDF, against its own instance data."""
    commune = next(c for c in inputs.territory.communes if c.slug == document.commune)
    expected = expected_for(inputs.territory, commune, inputs.territory.landlord(document.bailleur))
    findings = tuple(f for path in (docx, pdf) for f in check_lines(read_document(path), expected, inputs.rules))
    return FileReport(document_name(document), document.commune, document.bailleur, findings)


def _refuse_errors(reports: Sequence[FileReport]) -> None:
    failing = [r for r in reports if r.errors]
    if failing:
        details = "\n".join(f"{r.file} :\n" + "\n".join(f"  {finding_line(f)}" for f in r.findings) for r in failing)
        raise CheckFailed(f"{len(failing)} document(s) ne passent pas les contrôles ; rien n'a été écrit.\n{details}")


class CheckFailed(AtfpbError):
    """A document the build produced does not pass its own checks."""


def check_files(inputs: Inputs, paths: Sequence[Path], commune: str | None, landlord: str | None) -> list[FileReport]:
    """Check received or generated documents; unreadable files are reported, the others still checked."""
    reports = []
    for path in paths:
        try:
            lines = read_document(path)
        except UnreadableDocument as error:
            reports.append(FileReport(str(path), None, None, unreadable=error.message))
            continue
        expected = _expected(inputs, lines, commune, landlord)
        reports.append(
            FileReport(
                str(path),
                slugify(expected.commune_name) if expected.commune_name else None,
                expected.landlord.slug if expected.landlord else None,
                tuple(check_lines(lines, expected, inputs.rules)),
            )
        )
    return reports


def _expected(inputs: Inputs, lines: Sequence[object], commune: str | None, landlord: str | None) -> Expected:
    inferred = infer_expected(lines, inputs.territory)  # type: ignore[arg-type]
    chosen_commune = select_communes(inputs.territory, [commune])[0] if commune else inferred.commune
    chosen_landlord = select_landlord(inputs.territory, landlord) if landlord else inferred.landlord
    name = chosen_commune.nom if chosen_commune else inferred.commune_name
    return Expected(inputs.territory, name, chosen_commune, chosen_landlord)


def select_landlord(territory: Territory, name: str) -> Landlord:
    by_slug = {slugify(n): b for b in territory.bailleurs for n in (b.slug, *b.names)}
    if slugify(name) not in by_slug:
        known = ", ".join(b.slug for b in territory.bailleurs)
        raise DataError(f"bailleur « {name} » inconnu. Bailleurs connus : {known}.")
    return by_slug[slugify(name)]


def _place(
    project: Project, document: AssembledDocument, docx: Path, pdf: Path, pages: int, report: FileReport
) -> BuiltDocument:
    folder = project.output / document.commune
    folder.mkdir(exist_ok=True)
    targets = {"docx": folder / docx.name, "pdf": folder / pdf.name}
    digests = {kind: _sha256(source) for kind, source in (("docx", docx), ("pdf", pdf))}
    os.replace(docx, targets["docx"])
    os.replace(pdf, targets["pdf"])
    return BuiltDocument(
        document.kind,
        document.commune,
        document.bailleur,
        project.shown(targets["docx"]),
        project.shown(targets["pdf"]),
        pages,
        digests,
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(built: Sequence[BuiltDocument]) -> dict[str, Any]:
    return {"documents": [asdict(b) for b in built]}


def _write_manifest(project: Project, built: Sequence[BuiltDocument]) -> None:
    """Merge this build's entries into output/manifest.json, written atomically."""
    path = project.output / MANIFEST
    entries: dict[tuple[str, str, str], dict[str, Any]] = {}
    if path.is_file():
        try:
            for entry in json.loads(path.read_text(encoding="utf-8")).get("documents", []):
                entries[(entry["kind"], entry["commune"], entry["bailleur"])] = entry
        except (ValueError, KeyError, AttributeError):
            raise DataError(
                "le manifeste existant est illisible : supprimez-le ou restaurez-le.", Location(project.shown(path))
            ) from None
    for b in built:
        entries[(b.kind, b.commune, b.bailleur)] = asdict(b)
    content = {"documents": [entries[key] for key in sorted(entries)]}
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
