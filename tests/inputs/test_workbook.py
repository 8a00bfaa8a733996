"""The programme workbook: the template a landlord fills in, its reading, and one test per located problem."""

from __future__ import annotations

import datetime
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.errors import AtfpbError, DataError, Location, Problems
from generator.inputs.project import Project, load_inputs
from generator.inputs.workbook.reader import read_programme_workbook
from generator.inputs.workbook.template import write_template
from generator.model.programme import AXES, Action, Cofinancing, Programme
from generator.model.territory import Territory
from generator.pending import pending, pending_in

SHOWN = "instances/programmes/test.xlsx"
EXAMPLE = "instances/programmes/lourches-partenord-habitat-2025.xlsx"
NBSP = "\u00a0"
ACTION_HEADERS = [
    "N° action",
    "Axe",
    "Titre de l'action",
    "Description",
    "QPV",
    "Coût total (€)",
    "Montant valorisé ATFPB (€)",
    "Ville de Lourches (€)",
    "La Porte du Hainaut (€)",
    "État (€)",
    "Autre cofinanceur",
    "Montant de l'autre cofinanceur (€)",
    "Indicateurs",
    "Calendrier",
    "Pluriannuelle (Oui/Non)",
]
GAMBETTA, SCHNEIDER = "QN05954M – Gambetta", "QN05952M – Schneider"

# What a landlord types: Abattement rows 2-3 (Gambetta, Schneider); action 1 in row 3, action 2 over both QPV in
# rows 4 and 5 (same number), action 3 in row 7 (row 6 left empty).
FILLED: dict[str, object] = {
    "Abattement!D2": 4050,
    "Abattement!D3": "2 700,00 €",
    "Abattement!E2": 150.5,
    "Actions!A3": 1,
    "Actions!B3": f"1 - {AXES[0]}",
    "Actions!C3": "Présence renforcée du gardien",
    "Actions!D3": "Deux demi-journées de plus par mois.",
    "Actions!E3": GAMBETTA,
    "Actions!F3": 3200,
    "Actions!G3": 1800,
    "Actions!M3": "Nombre de demi-journées",
    "Actions!N3": "Janvier à décembre 2026",
    "Actions!O3": "Oui",
    "Actions!A4": 2,
    "Actions!B4": f"3 - {AXES[2]}",
    "Actions!C4": "Sur-entretien des parties communes",
    "Actions!E4": GAMBETTA,
    "Actions!F4": "1 440,00 €",
    "Actions!G4": 900,
    "Actions!H4": 500,
    "Actions!J4": "250,50",
    "Actions!O4": "Non",
    "Actions!A5": 2,
    "Actions!E5": SCHNEIDER,
    "Actions!F5": 960,
    "Actions!G5": 600,
    "Actions!A7": 3,
    "Actions!B7": f"5 - {AXES[4]}",
    "Actions!C7": "Médiation",
    "Actions!E7": "QN05952M",
    "Actions!F7": 1300,
    "Actions!G7": 950.5,
}


@pytest.fixture
def territory(project: Project) -> Territory:
    return load_inputs(project).territory


def template(
    project: Project,
    territory: Territory,
    commune: str = "lourches",
    landlord: str = "partenord-habitat",
    year: int = 2026,
    carried: dict[str, Decimal] | None = None,
) -> Path:
    """The template for a commune × landlord and a year (2026: its carry-over from 2025 typed by the landlord),
    written where the tests read it."""
    path = project.root / SHOWN
    chosen = next(c for c in territory.communes if c.slug == commune)
    write_template(path, territory, chosen, territory.landlord(landlord), year, carried)
    return path


def fill(path: Path, cells: dict[str, object]) -> None:
    """Type values into cells ('Actions!G3'), as a landlord would; None empties a cell."""
    workbook = load_workbook(path)
    for reference, value in cells.items():
        sheet, cell = reference.split("!")
        workbook[sheet][cell] = value
    workbook.save(path)


def read(project: Project, territory: Territory, changes: dict[str, object] | None = None) -> Programme:
    """The filled template, with some cells changed, read back."""
    path = template(project, territory)
    fill(path, {**FILLED, **(changes or {})})
    return read_programme_workbook(path, SHOWN, territory)


def error_of(project: Project, territory: Territory, changes: dict[str, object]) -> str:
    with pytest.raises(AtfpbError) as caught:
        read(project, territory, changes)
    return str(caught.value)


# --- Template -----------------------------------------------------------------------------
def test_template_sheets_and_identification(project: Project, territory: Territory) -> None:
    workbook = load_workbook(template(project, territory))
    assert workbook.sheetnames == ["Instructions", "Abattement", "Actions", "Listes"]
    assert workbook.active.title == "Instructions"
    assert workbook["Listes"].sheet_state == "hidden"
    instructions = workbook["Instructions"]
    assert [(instructions[f"A{r}"].value, instructions[f"B{r}"].value) for r in (3, 4, 5, 6)] == [
        ("Commune", "Lourches"),
        ("Bailleur", "Partenord Habitat"),
        ("Année", 2026),
        ("Date de l'avenant", None),
    ]
    properties = {p.name: p.value for p in workbook.custom_doc_props.props}
    assert properties == {"atfpb-modele": "2", "atfpb-identification": "lourches|partenord-habitat|2026"}
    text = " ".join(str(c.value) for row in instructions.iter_rows() for c in row if c.value is not None)
    for expected in (
        "30 avril 2026",
        "en euros",
        "Seules les cellules jaunes",
        "portent le même numéro",
        "Sur-entretien",
    ):
        assert expected in text


def test_every_sheet_is_protected_but_its_input_cells(project: Project, territory: Territory) -> None:
    workbook = load_workbook(template(project, territory))
    for sheet in workbook:
        assert sheet.protection.sheet, sheet.title  # a locked cell cannot be typed in without unprotecting
    instructions, abatement, actions = workbook["Instructions"], workbook["Abattement"], workbook["Actions"]
    assert [instructions[c].protection.locked for c in ("B3", "B4", "B5", "B6", "B10")] == [True] * 3 + [False, True]
    assert [abatement[c].protection.locked for c in ("A2", "B2", "C2", "D2", "E2", "D4")] == [True] * 3 + [
        False
    ] * 2 + [True]
    assert all(actions.cell(1, c).protection.locked and actions.cell(2, c).protection.locked for c in range(1, 16))
    assert not any(actions.cell(r, c).protection.locked for r in (3, 100, 202) for c in range(1, 16))
    assert actions.cell(203, 1).protection.locked
    assert {actions[f"F{r}"].fill.fgColor.rgb for r in (3, 202)} == {"00FFF2CC"}  # inputs are yellow


def test_template_prefills_the_qpv_and_a_known_carry_over(project: Project, territory: Territory) -> None:
    sheet = load_workbook(template(project, territory, carried={"QN05952M": Decimal("300")}))["Abattement"]
    assert [c.value for c in sheet[1]] == [
        "Code QPV",
        "Nom du quartier",
        "Logements éligibles",
        "Abattement 2026 (€)",
        "Report de 2025 (€)",
    ]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["QN05954M", "Gambetta", 9, None, 0],
        ["QN05952M", "Schneider", 6, None, 300],
        ["Total", None, "=SUM(C2:C3)", "=SUM(D2:D3)", "=SUM(E2:E3)"],
    ]
    assert sheet["E3"].protection.locked and not sheet["D3"].protection.locked
    assert sheet["D2"].number_format == '#,##0.00 "€"'
    assert sheet.freeze_panes == "A2"
    first = load_workbook(template(project, territory, year=2025))["Abattement"]
    assert [first["E2"].value, first["E3"].value] == [0, 0] and first["E2"].protection.locked  # no year before


def test_template_of_a_landlord_with_one_qpv(project: Project, territory: Territory) -> None:
    workbook = load_workbook(template(project, territory, "denain", "societe-immobiliere-du-grand-hainaut"))
    assert [c.value for c in workbook["Abattement"]["A"]] == ["Code QPV", "QN05950M", "Total"]
    assert [c.value for c in workbook["Listes"]["B"] if c.value] == ["QN05950M – Denain"]


def test_template_refuses_a_landlord_without_dwellings_in_the_commune(project: Project, territory: Territory) -> None:
    with pytest.raises(DataError, match="SIA Habitat n'a pas de logements déclarés à Lourches"):
        template(project, territory, "lourches", "sia-habitat")


def test_template_actions_sheet(project: Project, territory: Territory) -> None:
    sheet = load_workbook(template(project, territory))["Actions"]
    assert [c.value for c in sheet[1]] == ACTION_HEADERS
    assert sheet["A2"].value == "Total"
    assert sheet["F2"].value == "=SUM(F3:F202)"
    assert sheet["G2"].value == "=SUM(G3:G202)"
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("1F4E78")
    assert sheet.freeze_panes == "C3"
    assert {sheet[f"{col}202"].number_format for col in "FGHIJL"} == {'#,##0.00 "€"'}
    assert sheet.row_dimensions[1].height >= 45  # « Montant de l'autre cofinanceur (€) » wraps on three lines


def test_template_validations_on_every_input(project: Project, territory: Territory) -> None:
    workbook = load_workbook(template(project, territory))
    validations = {str(v.sqref): v for v in workbook["Actions"].data_validations.dataValidation}
    kinds = {cells: (v.type, v.formula1) for cells, v in validations.items()}
    assert kinds["A3:A202"] == ("whole", "1")
    assert kinds["B3:B202"] == ("list", "Listes!$A$1:$A$8")
    assert kinds["E3:E202"] == ("list", "Listes!$B$1:$B$2")
    assert kinds["O3:O202"] == ("list", "Listes!$C$1:$C$2")
    assert kinds["G3:G202"][0] == "custom" and "G3<=F3" in kinds["G3:G202"][1]  # valued ≤ cost, by formula
    for column in "FHIJL":  # every other amount: positive, or « à confirmer … »
        kind, formula = kinds[f"{column}3:{column}202"]
        assert kind == "custom" and f"{column}3>=0" in formula and "à confirmer" in formula
    assert all(v.showErrorMessage and v.error for v in validations.values())
    abatement = {str(v.sqref): v.type for v in workbook["Abattement"].data_validations.dataValidation}
    assert abatement == {"D2:D3": "custom", "E2:E3": "custom"}
    (date,) = workbook["Instructions"].data_validations.dataValidation
    assert (str(date.sqref), date.type, date.formula1, date.formula2) == (
        "B6",
        "date",
        "DATE(2026,1,1)",
        "DATE(2026,12,31)",
    )
    lists = workbook["Listes"]
    assert [lists[f"A{n}"].value for n in range(1, 9)] == [f"{n} - {label}" for n, label in enumerate(AXES, 1)]
    assert [lists[f"B{n}"].value for n in (1, 2)] == [GAMBETTA, SCHNEIDER]
    assert [lists["C1"].value, lists["C2"].value] == ["Oui", "Non"]


def test_template_prints_on_a4_landscape(project: Project, territory: Territory) -> None:
    workbook = load_workbook(template(project, territory))
    for sheet in (workbook["Instructions"], workbook["Abattement"], workbook["Actions"]):
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth) == ("landscape", 9, 1), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert workbook["Instructions"].page_setup.fitToHeight == 1  # the instructions on one page
    assert workbook["Actions"].print_title_rows == "$1:$2" and workbook["Abattement"].print_title_rows == "$1:$1"


# --- Reading --------------------------------------------------------------------------------
def test_filled_template_reads_back(project: Project, territory: Territory) -> None:
    programme = read(project, territory)
    assert programme == Programme(
        commune="lourches",
        bailleur="partenord-habitat",
        annee=2026,
        abattement=(("QN05954M", Decimal("4050.00")), ("QN05952M", Decimal("2700.00"))),
        report=(("QN05954M", Decimal("150.50")),),
        actions=(
            Action(
                axe=1,
                titre="Présence renforcée du gardien",
                description="Deux demi-journées de plus par mois.",
                repartition=(("QN05954M", Decimal("1800.00")),),
                cout_total=Decimal("3200.00"),
                montant_valorise=Decimal("1800.00"),
                indicateurs="Nombre de demi-journées",
                calendrier="Janvier à décembre 2026",
                pluriannuelle=True,
            ),
            Action(
                axe=3,
                titre="Sur-entretien des parties communes",
                description="",
                repartition=(("QN05954M", Decimal("900.00")), ("QN05952M", Decimal("600.00"))),
                cout_total=Decimal("2400.00"),
                montant_valorise=Decimal("1500.00"),
                cofinancements=(
                    Cofinancing("Ville de Lourches", Decimal("500.00")),
                    Cofinancing("État", Decimal("250.50")),
                ),
            ),
            Action(
                axe=5,
                titre="Médiation",
                description="",
                repartition=(("QN05952M", Decimal("950.50")),),
                cout_total=Decimal("1300.00"),
                montant_valorise=Decimal("950.50"),
            ),
        ),
        source=SHOWN,
    )
    assert all(amount.as_tuple().exponent == -2 for _code, amount in programme.abattement)


def test_filled_template_keeps_every_location(project: Project, territory: Territory) -> None:
    programme = read(project, territory)
    places = programme.places
    assert [str(p) for p in (places.commune, places.bailleur, places.annee, places.abattement)] == [
        f"{SHOWN}:Instructions!B3",
        f"{SHOWN}:Instructions!B4",
        f"{SHOWN}:Instructions!B5",
        f"{SHOWN}:Abattement!D2",
    ]
    assert {code: str(location) for code, location in places.abattement_codes.items()} == {
        "QN05954M": f"{SHOWN}:Abattement!A2",
        "QN05952M": f"{SHOWN}:Abattement!A3",
    }
    assert {code: str(location) for code, location in places.report_codes.items()} == {
        "QN05954M": f"{SHOWN}:Abattement!A2"
    }
    first, split, last = programme.actions
    assert {k: str(getattr(first.places, k)) for k in ("axe", "titre", "qpv", "cout_total", "montant_valorise")} == {
        "axe": f"{SHOWN}:Actions!B3",
        "titre": f"{SHOWN}:Actions!C3",
        "qpv": f"{SHOWN}:Actions!E3",
        "cout_total": f"{SHOWN}:Actions!F3",
        "montant_valorise": f"{SHOWN}:Actions!G3",
    }
    assert str(split.places.qpv) == f"{SHOWN}:Actions!E4"  # an action over two QPV: at its first row
    assert str(last.places.montant_valorise) == f"{SHOWN}:Actions!G7"  # row 6, empty, was skipped


def test_the_date_of_the_avenant(project: Project, territory: Territory) -> None:
    assert read(project, territory).date_document is None
    when = read(project, territory, {"Instructions!B6": datetime.datetime(2026, 4, 24)}).date_document
    assert when == datetime.date(2026, 4, 24)
    assert error_of(project, territory, {"Instructions!B6": datetime.datetime(2025, 4, 24)}) == (
        f"{SHOWN}:Instructions!B6: « Date de l'avenant » : une date de l'année 2026, ou rien (lu : « 2025-04-24 »)."
    )


@pytest.mark.parametrize("typed", ["3", "3 - Sur-entretien", "Sur-entretien", " sur-entretien ", 3, 3.0])
def test_an_axis_is_read_by_number_or_label(project: Project, territory: Territory, typed: object) -> None:
    assert read(project, territory, {"Actions!B3": typed}).actions[0].axe == 3


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(4050, "4050.00"), (4050.5, "4050.50"), ("4 050,50", "4050.50"), ("4 050,50 €", "4050.50"), (1234.567, "1234.57")],
)
def test_amounts_typed_as_numbers_or_text(project: Project, territory: Territory, typed: object, expected: str) -> None:
    assert read(project, territory, {"Abattement!D2": typed}).abattement[0] == ("QN05954M", Decimal(expected))


def test_a_qpv_typed_as_a_bare_code(project: Project, territory: Territory) -> None:
    assert read(project, territory, {"Actions!E3": "qn05954m"}).actions[0].repartition[0][0] == "QN05954M"


def test_rows_without_a_number_are_actions_of_their_own(project: Project, territory: Territory) -> None:
    programme = read(project, territory, {"Actions!A3": None, "Actions!A7": None})
    assert [a.titre for a in programme.actions] == [
        "Présence renforcée du gardien",
        "Sur-entretien des parties communes",
        "Médiation",
    ]


def test_the_rows_of_an_action_may_repeat_what_it_shares(project: Project, territory: Territory) -> None:
    same = {"Actions!B5": f"3 - {AXES[2]}", "Actions!C5": "Sur-entretien des parties communes", "Actions!H5": 100}
    action = read(project, territory, same).actions[1]
    assert action.cofinancements[0] == Cofinancing("Ville de Lourches", Decimal("600.00"))  # 500 + 100


def test_another_cofunder_by_name(project: Project, territory: Territory) -> None:
    action = read(project, territory, {"Actions!K3": "Département du Nord", "Actions!L3": 400}).actions[0]
    assert action.cofinancements == (Cofinancing("Département du Nord", Decimal("400.00")),)


def test_totals_typed_by_hand_that_agree_are_accepted(project: Project, territory: Territory) -> None:
    programme = read(project, territory, {"Actions!G2": 4250.5, "Actions!F2": 6900, "Abattement!D4": "6 750,00 €"})
    assert len(programme.actions) == 3


def test_the_example_workbook(project: Project, territory: Territory) -> None:
    path = project.root / EXAMPLE
    programme = read_programme_workbook(path, EXAMPLE, territory)
    assert (programme.commune, programme.bailleur, programme.annee) == ("lourches", "partenord-habitat", 2025)
    assert programme.abattement == (("QN05954M", Decimal("4050.00")), ("QN05952M", Decimal("2700.00")))
    assert programme.report == (("QN05954M", Decimal(0)), ("QN05952M", Decimal(0)))  # the first year: none
    assert len(programme.actions) == 6
    assert {a.axe for a in programme.actions} == {1, 3, 4, 5, 7, 8}
    valued = sum((a.montant_valorise for a in programme.actions), Decimal(0))
    assert valued == Decimal("6450.00")  # 300 € left of 6 750 €: a carry-over to 2026
    assert all(a.cout_total > a.montant_valorise for a in programme.actions)
    assert sum(1 for a in programme.actions if len(a.repartition) == 2) == 2
    assert any(c.financeur == "Ville de Lourches" for a in programme.actions for c in a.cofinancements)
    # no source gives these amounts: each is still to confirm, where it was typed (« à confirmer 4050 »)
    assert [str(mark.location) for mark in pending_in(programme.abattement)] == [
        f"{EXAMPLE}:Abattement!D2",
        f"{EXAMPLE}:Abattement!D3",
    ]
    assert all(pending(a.montant_valorise) and pending(a.cout_total) for a in programme.actions)
    workbook = load_workbook(path)
    assert workbook["Instructions"]["A2"].value.startswith("Exemple sans source publique : montants à confirmer")
    assert workbook["Actions"]["G2"].value == "=SUM(G3:G202)"
    assert workbook["Abattement"]["D4"].value == "=SUM(D2:D3)"


def test_a_workbook_of_the_old_layout_is_refused_with_what_to_do(project: Project, territory: Territory) -> None:
    path = template(project, territory)
    workbook = load_workbook(path)
    workbook.custom_doc_props.props = []  # as the workbooks before this layout, or one made by hand
    workbook.save(path)
    with pytest.raises(DataError) as caught:
        read_programme_workbook(path, SHOWN, territory)
    assert str(caught.value) == (
        f"{SHOWN}: ce classeur n'est pas fait sur le modèle actuel d'atfpb (ancien modèle, ou classeur fait à la "
        "main) : préparez-le à nouveau avec « atfpb programme-template COMMUNE BAILLEUR ANNÉE » et recopiez-y le "
        "programme."
    )


@pytest.mark.parametrize(
    ("cell", "typed", "made_for"),
    [("B3", "Denain", "lourches"), ("B4", "SIGH", "partenord-habitat"), ("B5", 2027, "2026")],
)
def test_a_changed_identification_is_refused_at_its_cell(
    project: Project, territory: Territory, cell: str, typed: object, made_for: str
) -> None:
    message = error_of(project, territory, {f"Instructions!{cell}": typed})
    assert message.startswith(f"{SHOWN}:Instructions!{cell}: « ")
    assert f"a été modifié : ce classeur a été préparé pour « {made_for} »" in message
    assert "L'identification ne se modifie pas" in message


def test_a_file_name_naming_another_convention_is_refused(project: Project, territory: Territory) -> None:
    path = template(project, territory)
    fill(path, FILLED)
    for name, cell, said in (
        ("denain-sigh-2026.xlsx", "B3", "désigne Denain"),
        ("lourches-partenord-habitat-2027.xlsx", "B5", "désigne l'année 2027"),
    ):
        renamed = path.with_name(name)
        shutil.copy(path, renamed)
        with pytest.raises(AtfpbError) as caught:
            read_programme_workbook(renamed, f"instances/programmes/{name}", territory)
        assert f"instances/programmes/{name}:Instructions!{cell}: le nom du fichier ({name}) {said}" in str(
            caught.value
        )


# --- One located French message per problem -------------------------------------------------
# (case, cells changed in the filled template, expected error: location and message)
# (case, cells changed in the filled template, expected error: location and message)
CASES = [
    (
        "axe inconnu",
        {"Actions!B3": "9 - Autre"},
        "Actions!B3: axe inconnu « 9 - Autre » : un numéro de 1 à 8 ou l'intitulé d'un axe, choisi dans la liste.",
    ),
    (
        "code QPV mal formé",
        {"Actions!E3": "QN123"},
        "Actions!E3: code QPV « QN123 » mal formé : un code de la géographie 2024 s'écrit comme QN05954M.",
    ),
    (
        "code QPV absent de la géographie 2024",
        {"Actions!E3": "QN05999M"},
        "Actions!E3: le code QN05999M n'est pas celui d'un quartier prioritaire de la géographie 2024.",
    ),
    (
        "QPV hors convention",
        {"Actions!E3": "QN05950M – Denain"},
        "Actions!E3: le QPV QN05950M n'est pas couvert par la convention.",
    ),
    (
        "QPV de l'abattement hors convention",
        {"Abattement!A3": "QN05950M"},
        "Abattement!A3: le QPV QN05950M n'est pas couvert par la convention (abattement).",
    ),
    (
        "même QPV sur deux lignes d'une action",
        {"Actions!E5": GAMBETTA},
        "Actions!E5: le QPV QN05954M figure déjà ligne 4 pour l'action n° 2 : une ligne par quartier.",
    ),
    (
        "deux titres pour une action",
        {"Actions!C5": "Nettoyage"},
        "Actions!C5: l'action n° 2 indique déjà autre chose ligne 4 (« Titre de l'action ») : laissez cette cellule "
        "vide ou écrivez la même chose.",
    ),
    (
        "numéro d'action illisible",
        {"Actions!A3": "premier"},
        "Actions!A3: « N° action » : un numéro 1, 2, 3… (lu : « premier »).",
    ),
    (
        "texte au lieu d'un montant",
        {"Actions!G3": "beaucoup"},
        "Actions!G3: « Montant valorisé ATFPB (€) » doit être un montant en euros (lu : « beaucoup »).",
    ),
    (
        "montant négatif",
        {"Actions!F3": -100},
        "Actions!F3: « Coût total (€) » doit être un montant positif ou nul (lu : « -100 »).",
    ),
    (
        "montant négatif écrit en texte",
        {"Abattement!D2": "-4 050"},
        "Abattement!D2: « Abattement 2026 (€) » doit être un montant positif ou nul (lu : « -4 050 »).",
    ),
    (
        "montant valorisé supérieur au coût",
        {"Actions!G3": 3500},
        "Actions!G3: le montant valorisé (3\u00a0500,00\u00a0€) dépasse le coût total (3\u00a0200,00\u00a0€).",
    ),
    (
        "total des actions saisi à la main",
        {"Actions!G2": 999},
        f"Actions!G2: total saisi à la main (999,00{NBSP}€) différent de la somme des lignes "
        f"(4{NBSP}250,50{NBSP}€) : remettez la formule du modèle ou videz la cellule.",
    ),
    (
        "total de l'abattement saisi à la main",
        {"Abattement!D4": 7000},
        f"Abattement!D4: total saisi à la main (7{NBSP}000,00{NBSP}€) différent de la somme des lignes "
        f"(6{NBSP}750,00{NBSP}€) : remettez la formule du modèle ou videz la cellule.",
    ),
    (
        "titre manquant",
        {"Actions!C3": None},
        "Actions!C3: « Titre de l'action » n'est pas rempli pour cette action (obligatoire).",
    ),
    ("axe manquant", {"Actions!B3": None}, "Actions!B3: « Axe » n'est pas rempli pour cette action (obligatoire)."),
    ("QPV manquant", {"Actions!E3": "  "}, "Actions!E3: « QPV » n'est pas rempli sur cette ligne (obligatoire)."),
    (
        "coût manquant",
        {"Actions!F7": None},
        "Actions!F7: « Coût total (€) » n'est pas rempli sur cette ligne (obligatoire).",
    ),
    (
        "montant valorisé manquant",
        {"Actions!G4": None},
        "Actions!G4: « Montant valorisé ATFPB (€) » n'est pas rempli sur cette ligne (obligatoire).",
    ),
    (
        "pluriannuelle ni oui ni non",
        {"Actions!O3": "Peut-être"},
        "Actions!O3: « Pluriannuelle (Oui/Non) » vaut Oui, Non ou reste vide (lu : « Peut-être »).",
    ),
    (
        "montant d'un autre cofinanceur sans son nom",
        {"Actions!L3": 300},
        "Actions!K3: un montant d'autre cofinanceur est indiqué sans le nom de ce cofinanceur.",
    ),
    (
        "formule dans une cellule de saisie",
        {"Actions!F3": "=1000+2200"},
        "Actions!F3: formule dans une cellule de saisie : saisissez la valeur elle-même (atfpb calcule les totaux).",
    ),
    (
        "colonne déplacée",
        {"Actions!F1": "Montant"},
        "Actions!F1: colonne « Coût total (€) » attendue ici (lu : « Montant ») : gardez les colonnes du modèle, "
        "dans leur ordre.",
    ),
    (
        "commune effacée",
        {"Instructions!B3": None},
        "Instructions!B3: la cellule « Commune » est vide : gardez l'identification du modèle.",
    ),
    (
        "année illisible",
        {"Instructions!B5": "deux mille vingt-six"},
        "Instructions!B5: « Année » doit être une année écrite en chiffres, comme 2025 "
        "(lu : « deux mille vingt-six »).",
    ),
    (
        "aucun abattement",
        {"Abattement!D2": None, "Abattement!D3": None},
        "Abattement!D2: le montant de l'abattement de l'année n'est indiqué pour aucun QPV.",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_bad_workbook_is_reported_at_its_cell(
    project: Project, territory: Territory, changes: dict[str, object], expected: str
) -> None:
    assert error_of(project, territory, changes) == f"{SHOWN}:{expected}"


def test_all_the_problems_are_reported_together(project: Project, territory: Territory) -> None:
    with pytest.raises(Problems) as caught:
        read(project, territory, {"Actions!B3": "Autre", "Actions!G4": "beaucoup", "Actions!G7": 2000})
    assert [str(p.location) for p in caught.value.problems] == [
        f"{SHOWN}:Actions!B3",
        f"{SHOWN}:Actions!G4",
        f"{SHOWN}:Actions!G7",  # found by the validation of the programme, after the reading
    ]


def test_a_cell_gets_one_message_even_when_the_validation_would_add_one(project: Project, territory: Territory) -> None:
    message = error_of(project, territory, {"Abattement!D2": "beaucoup", "Abattement!D3": None})
    assert (
        message == f"{SHOWN}:Abattement!D2: « Abattement 2026 (€) » doit être un montant en euros (lu : « beaucoup »)."
    )


@pytest.mark.parametrize("content", ["text", "empty", "word", "zip"])
def test_a_file_that_is_not_a_workbook(project: Project, territory: Territory, content: str) -> None:
    path = project.root / SHOWN
    path.parent.mkdir(parents=True, exist_ok=True)
    if content == "word":  # a Word document renamed .xlsx: a zip, but no workbook in it
        shutil.copy(project.template, path)
    elif content == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("programme.csv", "axe;titre\n")
    else:
        path.write_text("commune: Lourches\n" if content == "text" else "", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_programme_workbook(path, SHOWN, territory)
    assert str(caught.value) == (
        f"{SHOWN}: ce fichier n'est pas un classeur Excel (.xlsx) lisible : enregistrez-le au format "
        "« Classeur Excel (.xlsx) » depuis votre tableur."
    )
    assert caught.value.location == Location(SHOWN)  # the file itself, no cell


def test_a_missing_workbook(project: Project, territory: Territory) -> None:
    with pytest.raises(DataError, match="classeur introuvable"):
        read_programme_workbook(project.root / SHOWN, SHOWN, territory)


def test_a_missing_sheet(project: Project, territory: Territory) -> None:
    path = template(project, territory)
    workbook = load_workbook(path)
    del workbook["Actions"]
    workbook.save(path)
    with pytest.raises(DataError) as caught:
        read_programme_workbook(path, SHOWN, territory)
    assert str(caught.value) == (
        f"{SHOWN}: feuille « Actions » introuvable dans le classeur (feuilles présentes : Instructions, Abattement, "
        "Listes) : partez du modèle produit par atfpb."
    )
