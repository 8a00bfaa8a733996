"""Bilans read and checked: every mistake located (file:line:column or the workbook's cell), the carry-over of the
next year tied to the bilan, and the bilan workbook filled and read back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from generator.cli import main
from generator.errors import AtfpbError
from generator.inputs.project import Project, load_inputs
from generator.model.bilan_totals import bilan_totals

from ..helpers import confirmed, copy_project, location_of

BILAN = "instances/bilans/lourches-partenord-habitat-2025.yaml"
NEXT = "instances/programmes/lourches-partenord-habitat-2026.yaml"


def error_of(project: Project) -> str:
    with pytest.raises(AtfpbError) as caught:
        load_inputs(project)
    return str(caught.value)


def with_bilan(tmp_path: Path, old: str, new: str) -> tuple[Project, str]:
    project = copy_project(tmp_path)
    path = project.root / BILAN
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return project, text


def test_the_example_bilan_carries_what_the_next_programme_receives() -> None:
    inputs = load_inputs(Project(Path(__file__).resolve().parents[2]))
    bilan = inputs.bilan("lourches", "partenord-habitat", 2025)
    programme = inputs.programme("lourches", "partenord-habitat", 2025)
    following = inputs.programme("lourches", "partenord-habitat", 2026)
    commune = inputs.territory.commune_named("lourches")
    assert bilan is not None and programme is not None and following is not None and commune is not None
    figures = bilan_totals(bilan, programme, commune)
    assert figures.total_programme == sum(a.programme for a in figures.actions) == Decimal("6450.00")
    assert figures.total_realise == sum(a.realise for a in figures.actions) == Decimal("6270.00")
    assert figures.total_realise == sum(a.realise for a in figures.axes) == sum(q.realise for q in figures.qpvs)
    assert figures.taux == "97,2 %"
    assert [(r.code, r.montant) for r in figures.reports] == list(following.report) == [("QN05952M", Decimal("480"))]


def test_a_realised_amount_above_the_programmed_one(tmp_path: Path) -> None:
    project, text = with_bilan(tmp_path, "realise: !a_confirmer 880", "realise: !a_confirmer 1880")
    message = error_of(project)
    assert f"{BILAN}:{location_of(text, '!a_confirmer 1880')}:" in message
    above = "le montant réalisé sur QN05952M (1\u00a0880,00\u00a0€) dépasse le montant programmé (950,00\u00a0€)"
    assert above in message


def test_a_missing_status(tmp_path: Path) -> None:
    old = "    realise: !a_confirmer 1100\n    statut: réalisée\n"
    project, text = with_bilan(tmp_path, old, "    realise: 1100\n")
    message = error_of(project)
    assert f"{BILAN}:{location_of(text, 'numero: 4')}:" in message
    assert "statut manquant pour l'action n° 4 : « réalisée », « en cours », « reportée » ou « abandonnée »." in message


def test_an_action_absent_from_the_programme(tmp_path: Path) -> None:
    project, text = with_bilan(tmp_path, "  - numero: 6\n", "  - numero: 9\n")
    message = error_of(project)
    line, column = location_of(text, "numero: 9").split(":")
    assert f"{BILAN}:{line}:{int(column) + len('numero: ')}:" in message
    assert "l'action n° 9 n'existe pas dans le programme 2025" in message
    missing = "l'action n° 6 « Petits travaux d'éclairage des halls et des abords » du programme 2025 n'a pas de ligne"
    assert missing in message


def test_a_bilan_for_a_year_with_no_avenant(tmp_path: Path) -> None:
    project, text = with_bilan(tmp_path, "annee: 2025", "annee: 2027")
    message = error_of(project)
    assert f"{BILAN}:{location_of(text, '2027')}:" in message
    assert "bilan de l'année 2027, mais aucun programme 2027 de cette convention n'est décrit" in message


def test_the_next_programme_must_receive_the_bilan_carry_over(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    path = project.root / NEXT
    path.write_text(path.read_text(encoding="utf-8").replace("480.00", "300.00"), encoding="utf-8")
    message = error_of(project)
    assert f"{NEXT}:16:3:" in message
    assert (
        "report de 300,00\u00a0€ reçu sur QN05952M (Schneider) en 2026, inférieur aux 480,00\u00a0€ que le bilan 2025 "
        f"({BILAN}) laisse inutilisés sur ce quartier"
    ) in message


def test_the_bilan_workbook_prefilled_filled_and_read_back(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = CliRunner().invoke(
        main, ["--projet", str(project.root), "bilan-template", "lourches", "partenord-habitat", "2025"]
    )
    assert result.exit_code == 0, result.output
    workbook_path = project.output / "bilans" / "lourches-partenord-habitat-2025.xlsx"
    workbook = load_workbook(workbook_path)
    sheet = workbook["Réalisations"]
    assert sheet.protection.sheet and sheet["F3"].protection.locked is False and sheet["E3"].protection.locked
    rows = [[c.value for c in row[:5]] for row in sheet.iter_rows(min_row=3, max_row=10)]
    assert rows[0][:4] == [1, "1 - Renforcement de la présence du personnel de proximité",
                           "Présence de proximité renforcée du gardien", "QN05954M – Gambetta"]
    assert len(rows) == 8 and sheet["E2"].value == "=SUM(E3:E10)"
    realised = {3: 1800, 4: 900, 5: 600, 6: 950, 7: 1100, 8: 250, 9: 150, 10: 0}
    for row, amount in realised.items():
        sheet.cell(row, 6, amount)
        sheet.cell(row, 7, "reportée" if row == 10 else "réalisée")
    sheet["H10"] = "Travaux décalés à 2026."
    workbook["Qualitatif"]["B2"] = "Actions menées comme prévu, sauf l'éclairage."
    workbook.save(workbook_path)
    (project.instances / "bilans" / "lourches-partenord-habitat-2025.yaml").unlink()
    workbook_path.rename(project.instances / "bilans" / workbook_path.name)
    next_year = project.root / NEXT
    next_year.write_text(next_year.read_text(encoding="utf-8").replace("480.00", "1000.00"), encoding="utf-8")
    inputs = load_inputs(project)
    bilan = inputs.bilan("lourches", "partenord-habitat", 2025)
    assert bilan is not None and bilan.source.endswith(".xlsx")
    assert [(r.numero, r.statut) for r in bilan.realisations][-1] == (6, "reportée")
    assert bilan.realisations[-1].commentaire == "Travaux décalés à 2026."
    # the status left empty is located at its cell
    workbook = load_workbook(project.instances / "bilans" / workbook_path.name)
    workbook["Réalisations"]["G7"] = None
    workbook.save(project.instances / "bilans" / workbook_path.name)
    assert "lourches-partenord-habitat-2025.xlsx:Réalisations!G7: état manquant pour l'action n° 4" in error_of(project)


def test_validate_with_the_example_confirmed(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    text = (project.root / BILAN).read_text(encoding="utf-8")
    (project.root / BILAN).write_text(confirmed(text), encoding="utf-8")
    result = CliRunner().invoke(main, ["--projet", str(project.root), "validate"])
    assert result.exit_code == 0, result.output
