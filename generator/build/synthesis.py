"""`atfpb synthese`: the territory's synthesis of one year (workbook and its PDF by LibreOffice Calc), from the
programmes, the bilans and where each document stands; written whole into output/ or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ConversionError, DataError
from ..inputs.project import Inputs, Project, load_inputs
from ..model.synthesis import NOT_MADE, Synthesis, synthesis
from ..pdf.convert import CALC_PDF_EXPORT, convert_to_pdf
from ..pdf.finish import PdfMetadata, finish_pdf
from .environment import environment_errors
from .pipeline import document_identifier
from .projects import output_lock
from .records import STAGING_PREFIX
from .status import DocumentStatus, project_status


@dataclass(frozen=True)
class Written:
    """The synthesis written: its two files and what it says."""

    xlsx: Path
    pdf: Path
    figures: Synthesis


def build_synthesis(project: Project, year: int | None = None) -> Written:
    """The synthesis of `year` (by default the latest year with a bilan, else with a programme), in
    output/synthese-atfpb-<année>.xlsx and .pdf."""
    from ..inputs.workbook.synthesis import write_synthesis  # openpyxl is loaded only for workbooks

    inputs = load_inputs(project)
    years = sorted({p.annee for p in inputs.programmes or ()})
    if year is None:
        if not years:
            raise DataError("aucun programme d'actions dans instances/programmes/ : pas de synthèse à produire.")
        year = max((b.annee for b in inputs.bilans), default=years[-1])
    period = inputs.territory.periode
    if not period.debut <= year <= period.fin:
        raise DataError(f"l'année {year} sort de la période des conventions ({period.debut}-{period.fin}).")
    statuses = {document.key: status_label(document) for document in project_status(project).documents}
    figures = synthesis(inputs.territory, inputs.programmes or (), inputs.bilans, year, statuses)
    when = synthesis_date(inputs, year)
    name = f"synthese-atfpb-{year}"
    with environment_errors(project):
        project.output.mkdir(parents=True, exist_ok=True)
        with output_lock(project.output):
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=project.output))
            try:
                workbook = staging / f"{name}.xlsx"
                write_synthesis(workbook, figures, when)
                conversion = convert_to_pdf([workbook], staging / "pdf", 1, export=CALC_PDF_EXPORT)
                if conversion.failed or not conversion.converted:
                    reason = conversion.failed[0].reason if conversion.failed else "aucun PDF produit"
                    raise ConversionError(f"LibreOffice n'a pas converti la synthèse en PDF : {reason}.")
                pdf = staging / f"{name}.pdf"
                metadata = PdfMetadata(
                    title=f"Synthèse {year} de l'abattement de TFPB — {inputs.territory.epci.nom}",
                    subject=f"Conventions, avenants et bilans {year} de l'ATFPB",
                    author=inputs.territory.epci.nom,
                    keywords=tuple(sorted(c.nom for c in inputs.territory.communes)),
                    date=when,
                    identifier=document_identifier(workbook),
                )
                finish_pdf(conversion.converted[0].pdf, pdf, metadata, [])
                targets = (project.output / workbook.name, project.output / pdf.name)
                for source, target in zip((workbook, pdf), targets, strict=True):
                    os.replace(source, target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    return Written(targets[0], targets[1], figures)


def status_label(document: DocumentStatus) -> str:
    """« signé v1 », « final v2 », « projet », or « non produit »: the furthest a document has gone."""
    signed = [c.original.lineage.entry for c in document.signed if c.original.complete and c.original.lineage]
    versions = [entry.version for entry in signed if entry is not None and entry.version]
    if versions:
        return f"signé v{max(versions)}"
    if document.finals:
        return f"final v{document.finals[-1].version}"
    return "projet" if document.draft is not None else NOT_MADE


def synthesis_date(inputs: Inputs, year: int) -> date:
    """The synthesis is dated like the latest document it covers: the year's bilans, else its avenants (never the
    clock: the same data give the same files)."""
    dates = [b.date for b in inputs.bilans if b.annee == year]
    dates += [p.date_document or date(year, 4, 30) for p in inputs.programmes or () if p.annee == year]
    return max(dates, default=date(year + 1, 5, 31))
