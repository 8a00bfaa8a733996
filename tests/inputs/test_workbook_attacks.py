"""Workbooks read as a human sees them, or refused: each attack found by trying to smuggle figures into an avenant,
with its located French message, quickly and in little memory."""

from __future__ import annotations

import resource
import shutil
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from generator.errors import AtfpbError
from generator.inputs.project import Project, load_inputs
from generator.inputs.workbook.reader import read_programme_workbook
from generator.model.territory import Territory

from ..helpers import ROOT, confirm_values

SHOWN = "p.xlsx"


@pytest.fixture(scope="module")
def territory() -> Territory:
    return load_inputs(Project(ROOT), with_programmes=False).territory


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    """The example workbook, its amounts confirmed (plain numbers), that a test attacks."""
    folder = tmp_path / "instances" / "programmes"
    folder.mkdir(parents=True)
    path = folder / "p.xlsx"
    shutil.copy(ROOT / "instances" / "programmes" / "lourches-partenord-habitat-2025.xlsx", path)
    confirm_values(tmp_path / "instances")
    return path


def edited(path: Path, change: Callable[[Workbook], None]) -> Path:
    workbook = load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


@pytest.fixture(autouse=True)
def quickly_and_in_little_memory() -> Iterator[None]:
    """Each attack is refused in under 10 s and without growing the process by 500 MB."""
    started, before = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    yield
    assert time.monotonic() - started < 10
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 500


def refusal(path: Path, territory: Territory) -> str:
    with pytest.raises(AtfpbError) as caught:
        read_programme_workbook(path, SHOWN, territory)
    return str(caught.value)


def test_the_confirmed_example_reads(workbook_path: Path, territory: Territory) -> None:
    assert len(read_programme_workbook(workbook_path, SHOWN, territory).actions) == 6


def test_merged_cells_in_the_abatement_are_refused(workbook_path: Path, territory: Territory) -> None:
    edited(workbook_path, lambda wb: wb["Abattement"].merge_cells("D2:D3"))
    assert "p.xlsx:Abattement!D2:D3: cellules fusionnées (D2:D3)" in refusal(workbook_path, territory)


def test_a_hidden_actions_sheet_is_refused(workbook_path: Path, territory: Territory) -> None:
    def hide(wb: Workbook) -> None:
        wb["Actions"].sheet_state = "hidden"
        wb.create_sheet("Actions visibles")

    edited(workbook_path, hide)
    assert "p.xlsx: la feuille « Actions » est masquée" in refusal(workbook_path, territory)


def test_a_very_hidden_sheet_is_refused(workbook_path: Path, territory: Territory) -> None:
    edited(workbook_path, lambda wb: setattr(wb["Abattement"], "sheet_state", "veryHidden"))
    assert "la feuille « Abattement » est masquée" in refusal(workbook_path, territory)


def test_a_hidden_row_with_data_is_refused(workbook_path: Path, territory: Territory) -> None:
    edited(workbook_path, lambda wb: setattr(wb["Actions"].row_dimensions[5], "hidden", True))
    assert "p.xlsx:Actions!A5: la ligne 5 de la feuille « Actions » est masquée et contient des données" in refusal(
        workbook_path, territory
    )


def test_a_hidden_column_with_data_is_refused(workbook_path: Path, territory: Territory) -> None:
    edited(workbook_path, lambda wb: setattr(wb["Actions"].column_dimensions["G"], "hidden", True))
    assert "la colonne G de la feuille « Actions » est masquée et contient des données" in refusal(
        workbook_path, territory
    )


def test_a_formula_in_an_input_cell_is_refused(workbook_path: Path, territory: Territory) -> None:
    edited(workbook_path, lambda wb: wb["Actions"].__setitem__("G3", "=1800+99000"))
    assert "p.xlsx:Actions!G3: formule dans une cellule de saisie" in refusal(workbook_path, territory)


def test_a_saved_total_that_disagrees_with_its_formula_is_refused(workbook_path: Path, territory: Territory) -> None:
    """Excel saved 100 800 € for =SUM(G3:G202) while the lines add up to 6 450 €: a workbook not recalculated."""
    with zipfile.ZipFile(workbook_path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/") and b"SUM(G3:G202)" in parts[n])
    parts[sheet] = parts[sheet].replace(b"<f>SUM(G3:G202)</f><v></v>", b"<f>SUM(G3:G202)</f><v>100800</v>")
    parts[sheet] = parts[sheet].replace(b"<f>SUM(G3:G202)</f></c>", b"<f>SUM(G3:G202)</f><v>100800</v></c>")
    assert b"<v>100800</v>" in parts[sheet]
    with zipfile.ZipFile(workbook_path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    message = refusal(workbook_path, territory)
    assert "p.xlsx:Actions!G2: le total enregistré (100" in message and "n'a pas été recalculé" in message


def test_a_workbook_with_macros_is_refused(workbook_path: Path, territory: Territory) -> None:
    macro = workbook_path.with_suffix(".xlsm")
    shutil.copy(workbook_path, macro)
    with zipfile.ZipFile(macro, "a") as package:
        package.writestr("xl/vbaProject.bin", b"\x00" * 64)
    with pytest.raises(AtfpbError, match="classeur avec macros : refusé"):
        read_programme_workbook(macro, "p.xlsm", territory)


def test_an_xlsm_in_the_programmes_folder_is_not_ignored(workbook_path: Path) -> None:
    project = Project(workbook_path.parents[2])
    shutil.copytree(ROOT / "instances" / "communes", project.instances / "communes")
    shutil.copy(ROOT / "instances" / "territoire.yaml", project.instances / "territoire.yaml")
    workbook_path.rename(workbook_path.with_suffix(".xlsm"))
    with pytest.raises(AtfpbError, match=r"p\.xlsm: classeur avec macros"):
        load_inputs(project)


def test_a_gigantic_sheet_is_refused_before_it_is_read(workbook_path: Path, territory: Territory) -> None:
    """A 3 MB workbook holding 100 MB of rows: refused from its package, not loaded."""
    with zipfile.ZipFile(workbook_path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    row = b'<row r="9"><c r="B9" t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
    with zipfile.ZipFile(workbook_path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            if name == "xl/worksheets/sheet3.xml":
                with package.open(name, "w") as stream:
                    head, _, tail = data.partition(b"</sheetData>")
                    stream.write(head)
                    for _ in range(100_000):
                        stream.write(row)
                    stream.write(b"</sheetData>" + tail)
            else:
                package.writestr(name, data)
    assert workbook_path.stat().st_size < 3_000_000
    assert "p.xlsx: classeur anormalement volumineux une fois décompressé : refusé." in refusal(
        workbook_path, territory
    )


def test_a_cell_far_away_is_refused_without_reading_a_million_rows(workbook_path: Path, territory: Territory) -> None:
    edited(workbook_path, lambda wb: wb["Actions"].__setitem__("A1000000", "x"))
    assert "p.xlsx:Actions!O1000000: la feuille « Actions » s'étend jusqu'à la cellule O1000000" in refusal(
        workbook_path, territory
    )


def test_excel_escapes_are_read_as_the_characters_they_stand_for(workbook_path: Path, territory: Territory) -> None:
    edited(workbook_path, lambda wb: wb["Actions"].__setitem__("C3", "Présence_x000D_\nrenforcée"))  # the title (C)
    programme = read_programme_workbook(workbook_path, SHOWN, territory)
    assert "_x000D_" not in programme.actions[0].titre and programme.actions[0].titre.startswith("Présence")


def test_an_amount_formatted_as_a_date_is_refused_as_such(workbook_path: Path, territory: Territory) -> None:
    def as_date(wb: Workbook) -> None:
        wb["Abattement"]["D2"].number_format = "dd/mm/yyyy"

    edited(workbook_path, as_date)
    assert "p.xlsx:Abattement!D2: « Abattement 2025 (€) » contient une date" in refusal(workbook_path, territory)
