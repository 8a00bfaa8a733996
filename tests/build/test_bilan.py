"""The yearly bilan and the territory's synthesis, built with real LibreOffice and read back with independent readers:
totals equal the sums of their lines, the rate and the carry-over equal what the 2026 programme receives, the chart is
an image in the Word file and in the PDF, the workbook is a real table with its formulas and charts."""

from __future__ import annotations

import json
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from generator.cli import main
from generator.inputs.project import Project, load_inputs
from generator.typography import read_printed_amount

from ..helpers import copy_project, normalise, pdf_text

pytestmark = pytest.mark.e2e
NAME = "bilan-atfpb-2025-lourches-partenord-habitat"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The example project built as `make run` does: build, then the synthesis."""
    project = copy_project(tmp_path_factory.mktemp("bilan"))
    runner = CliRunner()
    for command in (["build", "lourches"], ["synthese"]):
        result = runner.invoke(main, ["--projet", str(project.root), *command])
        assert result.exit_code == 0, result.output
    return project


def _amount(text: str) -> Decimal:
    value = read_printed_amount(text.replace("(à confirmer)", "").strip())
    assert value is not None, text
    return value


def _table(document: Document, first_header: str, second_header: str) -> list[list[str]]:  # type: ignore[valid-type]
    table = next(
        t
        for t in document.tables
        if (t.rows[0].cells[0].text, t.rows[0].cells[1].text) == (first_header, second_header)
    )
    return [[normalise(c.text) for c in row.cells] for row in table.rows]


def test_the_bilan_is_built_recorded_and_checked(built: Project) -> None:
    manifest = json.loads((built.output / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["documents"] if e["kind"] == "bilan")
    assert (entry["commune"], entry["bailleur"], entry["year"]) == ("lourches", "partenord-habitat", 2025)
    assert entry["docx"] == f"output/lourches/{NAME}.docx" and entry["pdf"] == f"output/lourches/{NAME}.pdf"
    assert [f for f in entry["findings"] if f["severity"] == "error"] == []
    assert "instances/bilans/lourches-partenord-habitat-2025.yaml" in entry["inputs"]
    with pytest.raises(Exception):  # noqa: B017 - the PDF is PDF/A like the others
        assert "pdfaid:part" not in PdfReader(built.root / entry["pdf"]).xmp_metadata.xml.toxml()  # type: ignore[union-attr]


def test_the_word_bilan_totals_rate_and_carry_over(built: Project) -> None:
    document = Document(str(built.output / "lourches" / f"{NAME}.docx"))
    actions = _table(document, "N°", "Action")
    lines, total = actions[1:-1], actions[-1]
    assert total[0] == "Total" and len(lines) == 6
    for column in (5, 6):  # programmed, realised
        assert sum(_amount(row[column]) for row in lines) == _amount(total[column])
    assert _amount(total[5]) == Decimal("6450") and _amount(total[6]) == Decimal("6270") and total[4] == "97,2 %"
    axes = _table(document, "Axe", "Taux")
    assert sum(_amount(row[3]) for row in axes[1:-1]) == _amount(axes[-1][3]) == Decimal("6270")
    quarters = _table(document, "QPV", "Disponible")
    assert [(row[0], _amount(row[4])) for row in quarters[1:-1]] == [
        ("Gambetta (QN05954M)", Decimal("0")),
        ("Schneider (QN05952M)", Decimal("480")),
    ]
    inputs = load_inputs(built)
    following = inputs.programme("lourches", "partenord-habitat", 2026)
    assert following is not None and dict(following.report) == {"QN05952M": _amount(quarters[-1][4])}
    text = normalise(" ".join(p.text for p in document.paragraphs))
    assert "Le programme d'actions 2026 reçoit ce report, soit 480,00 €" in text
    assert "soumis à la validation du Conseil municipal de la Ville de Lourches, au plus tard le 31 mai 2026" in text


def test_the_chart_is_an_image_in_the_word_file_and_in_the_pdf(built: Project) -> None:
    docx = built.output / "lourches" / f"{NAME}.docx"
    with zipfile.ZipFile(docx) as package:
        images = [n for n in package.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        assert images and package.read(images[0])[:8] == b"\x89PNG\r\n\x1a\n"
        assert b'descr="Montants programm' in package.read("word/document.xml")
    reader = PdfReader(built.output / "lourches" / f"{NAME}.pdf")
    pictures = [
        name
        for page in reader.pages
        for name, xobject in (page["/Resources"].get("/XObject") or {}).items()  # type: ignore[union-attr]
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    assert pictures
    text = pdf_text(built.output / "lourches" / f"{NAME}.pdf")
    assert "Le programme d'actions 2025 a été réalisé à hauteur de 97,2 %" in text


def test_the_synthesis_workbook_is_a_table_with_totals_and_charts(built: Project) -> None:
    path = built.output / "synthese-atfpb-2025.xlsx"
    workbook = load_workbook(path)
    sheet = workbook["Synthèse"]
    assert sheet.freeze_panes == "C2" and list(sheet.tables) == ["Conventions"]
    assert sheet.tables["Conventions"].ref == "A1:L7"  # header and six conventions: filters on every column
    rows = {(r[0], r[1]): r for r in sheet.iter_rows(min_row=2, max_row=7, values_only=True)}
    lourches = rows[("Lourches", "Partenord Habitat")]
    assert lourches[2:9] == (15, 6750, 0, 6450, 6270, pytest.approx(6270 / 6450), 480)
    assert lourches[9:] == ("projet", "projet", "projet")
    assert rows[("Denain", "Maisons & Cités")][3] is None  # no programme in 2025
    assert sheet["A8"].value == "Total" and sheet["G8"].value == "=SUM(G2:G7)"
    assert sheet["D8"].number_format.endswith('"€"')
    by_axis = workbook["Par axe"]
    realised = [by_axis.cell(row, 3).value for row in range(2, 10)]
    assert sum(realised) == 6270 and by_axis["C10"].value == "=SUM(C2:C9)"
    for name in ("Par commune", "Par bailleur", "Par axe"):
        assert len(workbook[name]._charts) == 1
    with zipfile.ZipFile(path) as package:
        assert sum(1 for n in package.namelist() if n.startswith("xl/charts/chart")) == 3
    layout = subprocess.run(
        ["pdftotext", "-layout", str(built.output / "synthese-atfpb-2025.pdf"), "-"], capture_output=True, text=True
    ).stdout
    lines = [normalise(line) for line in layout.splitlines()]
    row = "Lourches Partenord Habitat 15 6 750,00 € 0,00 € 6 450,00 € 6 270,00 € 97,2% 480,00 € projet projet projet"
    assert row in lines
    assert "Total 1024 6 750,00 € 0,00 € 6 450,00 € 6 270,00 € 97,2% 480,00 €" in lines
    assert "Valorisé et réalisé par axe (€)" in pdf_text(built.output / "synthese-atfpb-2025.pdf")


def test_the_same_data_give_the_same_bytes(built: Project, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in built.output.glob("synthese-*")}
    bilan = built.output / "lourches" / f"{NAME}.pdf"
    first = bilan.read_bytes()
    runner = CliRunner()
    for command in (["bilan", "lourches", "partenord-habitat", "2025", "--force"], ["synthese", "2025"]):
        result = runner.invoke(main, ["--projet", str(built.root), *command])
        assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in built.output.glob("synthese-*")} == before
    assert bilan.read_bytes() == first
    assert subprocess.run(["pdftotext", str(bilan), "-"], capture_output=True, check=True).returncode == 0
