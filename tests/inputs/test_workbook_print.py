"""The programme workbook printed by LibreOffice Calc: each sheet on A4 landscape, the instructions on one page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from generator.inputs.project import Project, load_inputs
from generator.inputs.workbook.template import write_template

pytestmark = pytest.mark.e2e


def printed(workbook: Path, sheet: str, folder: Path) -> PdfReader:
    """One sheet of the workbook alone, converted to PDF by LibreOffice Calc with the workbook's print set-up."""
    copy = load_workbook(workbook)
    for other in [s for s in copy.sheetnames if s != sheet]:
        del copy[other]
    alone = folder / f"{sheet}.xlsx"
    copy.save(alone)
    profile = (folder / "profil").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
        + [str(alone)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return PdfReader(folder / f"{sheet}.pdf")


def test_the_instructions_print_on_one_a4_landscape_page(project: Project, tmp_path: Path) -> None:
    territory = load_inputs(project, with_programmes=False).territory
    commune = territory.commune_named("lourches")
    assert commune is not None
    workbook = tmp_path / "programme.xlsx"
    write_template(workbook, territory, commune, territory.landlord("partenord-habitat"), 2026)
    instructions = printed(workbook, "Instructions", tmp_path)
    assert len(instructions.pages) == 1
    page = instructions.pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (842, 595)  # A4 landscape, in points
    text = instructions.pages[0].extract_text()
    assert "Petits travaux d'amélioration de la qualité de service" in text  # the last line, on the page too
    actions = printed(workbook, "Actions", tmp_path)
    assert all(round(float(p.mediabox.width)) == 842 for p in actions.pages)
    assert all("Titre de l'action" in p.extract_text() for p in actions.pages)  # the header on every page
