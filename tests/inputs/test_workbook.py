"""The programme workbook: the template a landlord fills in, its reading, and one test per located problem."""

from __future__ import annotations

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
    "Axe",
    "Titre de l'action",
    "Description",
    "QPV",
    "Répartition entre QPV",
    "Coût total (€)",
    "Montant valorisé ATFPB (€)",
    "Cofinanceurs",
    "Montants cofinancés (€)",
    "Indicateurs",
    "Calendrier",
    "Pluriannuelle (Oui/Non)",
]

# What a landlord types: Abattement rows 2-3 (Gambetta, Schneider); actions in rows 3, 4 and 6 (row 5 left empty).
FILLED: dict[str, object] = {
    "Abattement!D2": 4050,
    "Abattement!D3": "2 700,00 €",
    "Abattement!E2": 150.5,
    "Actions!A3": f"1 - {AXES[0]}",
    "Actions!B3": "Présence renforcée du gardien",
    "Actions!C3": "Deux demi-journées de plus par mois.",
    "Actions!D3": "QN05954M",
    "Actions!F3": 3200,
    "Actions!G3": 1800,
    "Actions!J3": "Nombre de demi-journées",
    "Actions!K3": "Janvier à décembre 2025",
    "Actions!L3": "Oui",
    "Actions!A4": f"3 - {AXES[2]}",
    "Actions!B4": "Sur-entretien des parties communes",
    "Actions!D4": "Plusieurs",
    "Actions!E4": "QN05954M=900; QN05952M=600",
    "Actions!F4": "2 400,00 €",
    "Actions!G4": 1500,
    "Actions!H4": "Ville de Lourches; État",
    "Actions!I4": "500; 250,50",
    "Actions!L4": "Non",
    "Actions!A6": f"5 - {AXES[4]}",
    "Actions!B6": "Médiation",
    "Actions!D6": "QN05952M",
    "Actions!F6": 1300,
    "Actions!G6": 950.5,
}


@pytest.fixture
def territory(project: Project) -> Territory:
    return load_inputs(project).territory


def template(
    project: Project, territory: Territory, commune: str = "lourches", landlord: str = "partenord-habitat"
) -> Path:
    """The template for a commune × landlord, 2025, written where the tests read it."""
    path = project.root / SHOWN
    chosen = next(c for c in territory.communes if c.slug == commune)
    write_template(path, territory, chosen, territory.landlord(landlord), 2025)
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
    assert [(instructions[f"A{r}"].value, instructions[f"B{r}"].value) for r in (3, 4, 5)] == [
        ("Commune", "Lourches"),
        ("Bailleur", "Partenord Habitat"),
        ("Année", 2025),
    ]
    text = " ".join(str(c.value) for row in instructions.iter_rows() for c in row if c.value is not None)
    for expected in (
        "30 avril 2025",
        "en euros",
        "atfpb recalcule lui-même les totaux",
        "« QN05954M=1200; QN05952M=800 »",
        "Report de 2024 (€)",
        "Sur-entretien",
    ):
        assert expected in text


def test_template_prefills_the_qpv_of_the_convention(project: Project, territory: Territory) -> None:
    sheet = load_workbook(template(project, territory))["Abattement"]
    assert [c.value for c in sheet[1]] == [
        "Code QPV",
        "Nom du quartier",
        "Logements éligibles",
        "Abattement 2025 (€)",
        "Report de 2024 (€)",
    ]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["QN05954M", "Gambetta", 9, None, None],
        ["QN05952M", "Schneider", 6, None, None],
        ["Total", None, "=SUM(C2:C3)", "=SUM(D2:D3)", "=SUM(E2:E3)"],
    ]
    assert sheet["D2"].number_format == '#,##0.00 "€"'
    assert sheet.freeze_panes == "A2"


def test_template_of_a_landlord_with_one_qpv(project: Project, territory: Territory) -> None:
    workbook = load_workbook(template(project, territory, "denain", "societe-immobiliere-du-grand-hainaut"))
    assert [c.value for c in workbook["Abattement"]["A"]] == ["Code QPV", "QN05950M", "Total"]
    assert [c.value for c in workbook["Listes"]["B"] if c.value] == ["QN05950M", "Plusieurs"]


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
    assert {sheet[f"{col}202"].number_format for col in "FGI"} == {'#,##0.00 "€"'}
    assert sheet.column_dimensions["C"].width == 50


def test_template_drop_down_lists(project: Project, territory: Territory) -> None:
    workbook = load_workbook(template(project, territory))
    validations = {str(v.sqref): v for v in workbook["Actions"].data_validations.dataValidation}
    assert {cells: (v.type, v.formula1) for cells, v in validations.items()} == {
        "A3:A202": ("list", "=Listes!$A$1:$A$8"),
        "D3:D202": ("list", "=Listes!$B$1:$B$3"),
        "L3:L202": ("list", "=Listes!$C$1:$C$2"),
    }
    assert all(v.showErrorMessage for v in validations.values())
    lists = workbook["Listes"]
    assert [lists[f"A{n}"].value for n in range(1, 9)] == [f"{n} - {label}" for n, label in enumerate(AXES, 1)]
    assert lists["A1"].value == "1 - Renforcement de la présence du personnel de proximité"
    assert [lists[f"B{n}"].value for n in (1, 2, 3)] == ["QN05954M", "QN05952M", "Plusieurs"]
    assert [lists["C1"].value, lists["C2"].value] == ["Oui", "Non"]


# --- Reading --------------------------------------------------------------------------------
def test_filled_template_reads_back(project: Project, territory: Territory) -> None:
    programme = read(project, territory)
    assert programme == Programme(
        commune="lourches",
        bailleur="partenord-habitat",
        annee=2025,
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
                calendrier="Janvier à décembre 2025",
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
        "axe": f"{SHOWN}:Actions!A3",
        "titre": f"{SHOWN}:Actions!B3",
        "qpv": f"{SHOWN}:Actions!D3",
        "cout_total": f"{SHOWN}:Actions!F3",
        "montant_valorise": f"{SHOWN}:Actions!G3",
    }
    assert str(split.places.qpv) == f"{SHOWN}:Actions!E4"  # a split is located at its « Répartition » cell
    assert str(last.places.montant_valorise) == f"{SHOWN}:Actions!G6"  # row 5, empty, was skipped


@pytest.mark.parametrize("typed", ["3", "3 - Sur-entretien", "Sur-entretien", " sur-entretien ", 3, 3.0])
def test_an_axis_is_read_by_number_or_label(project: Project, territory: Territory, typed: object) -> None:
    assert read(project, territory, {"Actions!A3": typed}).actions[0].axe == 3


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(4050, "4050.00"), (4050.5, "4050.50"), ("4 050,50", "4050.50"), ("4 050,50 €", "4050.50"), (1234.567, "1234.57")],
)
def test_amounts_typed_as_numbers_or_text(project: Project, territory: Territory, typed: object, expected: str) -> None:
    assert read(project, territory, {"Abattement!D2": typed}).abattement[0] == ("QN05954M", Decimal(expected))


def test_totals_typed_by_hand_that_agree_are_accepted(project: Project, territory: Territory) -> None:
    programme = read(project, territory, {"Actions!G2": 4250.5, "Actions!F2": 6900, "Abattement!D4": "6 750,00 €"})
    assert len(programme.actions) == 3


def test_the_example_workbook(project: Project, territory: Territory) -> None:
    path = project.root / EXAMPLE
    programme = read_programme_workbook(path, EXAMPLE, territory)
    assert (programme.commune, programme.bailleur, programme.annee) == ("lourches", "partenord-habitat", 2025)
    assert programme.abattement == (("QN05954M", Decimal("4050.00")), ("QN05952M", Decimal("2700.00")))
    assert programme.report == ()
    assert len(programme.actions) == 6
    assert {a.axe for a in programme.actions} == {1, 3, 4, 5, 7, 8}
    valued = sum((a.montant_valorise for a in programme.actions), Decimal(0))
    assert valued == Decimal("6450.00")  # 300 € left of 6 750 €: a carry-over to 2026
    assert all(a.cout_total > a.montant_valorise for a in programme.actions)
    assert any(len(a.repartition) == 2 for a in programme.actions)
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


# --- One located French message per problem -------------------------------------------------
# (case, cells changed in the filled template, expected error: location and message)
CASES = [
    (
        "axe inconnu",
        {"Actions!A3": "9 - Autre"},
        "Actions!A3: axe inconnu « 9 - Autre » : un numéro de 1 à 8 ou l'intitulé d'un axe, choisi dans la liste.",
    ),
    (
        "code QPV mal formé",
        {"Actions!D3": "QN123"},
        "Actions!D3: code QPV « QN123 » mal formé : un code de la géographie 2024 s'écrit comme QN05954M.",
    ),
    (
        "code QPV absent de la géographie 2024",
        {"Actions!D3": "QN05999M"},
        "Actions!D3: le code QN05999M n'est pas celui d'un quartier prioritaire de la géographie 2024.",
    ),
    (
        "QPV hors convention",
        {"Actions!D3": "QN05950M"},
        "Actions!D3: le QPV QN05950M n'est pas couvert par la convention.",
    ),
    (
        "QPV de l'abattement hors convention",
        {"Abattement!A3": "QN05950M"},
        "Abattement!A3: le QPV QN05950M n'est pas couvert par la convention (abattement).",
    ),
    (
        "répartition illisible",
        {"Actions!E4": "Gambetta 900, Schneider 600"},
        "Actions!E4: répartition illisible « Gambetta 900, Schneider 600 » : écrivez « code=montant » pour chaque "
        "QPV, séparés par « ; », par exemple « QN05954M=1200; QN05952M=800 ».",
    ),
    (
        "répartition avec un code mal formé",
        {"Actions!E4": "QN05954M=900; QN0595=600"},
        "Actions!E4: code QPV « QN0595 » mal formé : un code de la géographie 2024 s'écrit comme QN05954M.",
    ),
    (
        "répartition avec un montant illisible",
        {"Actions!E4": "QN05954M=900; QN05952M=six cents"},
        "Actions!E4: « part de QN05952M » doit être un montant en euros (lu : « six cents »).",
    ),
    (
        "répartition différente du montant valorisé",
        {"Actions!E4": "QN05954M=900; QN05952M=500"},
        "Actions!E4: la répartition entre QPV (1\u00a0400,00\u00a0€) ne correspond pas au montant valorisé "
        "(1\u00a0500,00\u00a0€).",
    ),
    (
        "plusieurs QPV sans répartition",
        {"Actions!E4": None},
        "Actions!E4: l'action porte sur plusieurs QPV : indiquez la part de chacun, par exemple "
        "« QN05954M=1200; QN05952M=800 ».",
    ),
    (
        "répartition pour un seul QPV",
        {"Actions!E3": "QN05954M=1800"},
        "Actions!E3: une répartition ne se donne que pour une action sur plusieurs QPV : choisissez « Plusieurs » "
        "dans la colonne QPV, ou videz cette cellule.",
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
        "Abattement!D2: « Abattement 2025 (€) » doit être un montant positif ou nul (lu : « -4 050 »).",
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
        {"Actions!B3": None},
        "Actions!B3: « Titre de l'action » n'est pas rempli pour cette action (obligatoire).",
    ),
    ("axe manquant", {"Actions!A3": None}, "Actions!A3: « Axe » n'est pas rempli pour cette action (obligatoire)."),
    ("QPV manquant", {"Actions!D3": "  "}, "Actions!D3: « QPV » n'est pas rempli pour cette action (obligatoire)."),
    (
        "coût manquant",
        {"Actions!F6": None},
        "Actions!F6: « Coût total (€) » n'est pas rempli pour cette action (obligatoire).",
    ),
    (
        "montant valorisé manquant",
        {"Actions!G4": None},
        "Actions!G4: « Montant valorisé ATFPB (€) » n'est pas rempli pour cette action (obligatoire).",
    ),
    (
        "pluriannuelle ni oui ni non",
        {"Actions!L3": "Peut-être"},
        "Actions!L3: « Pluriannuelle (Oui/Non) » vaut Oui, Non ou reste vide (lu : « Peut-être »).",
    ),
    (
        "cofinanceurs et montants en nombres différents",
        {"Actions!I4": "500"},
        "Actions!I4: 2 cofinanceur(s) pour 1 montant(s) : donnez un montant par cofinanceur, dans le même ordre, "
        "séparés par « ; ».",
    ),
    (
        "montants cofinancés sans cofinanceur",
        {"Actions!I3": 300},
        "Actions!H3: des montants cofinancés sont indiqués sans leurs cofinanceurs.",
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
        "commune inconnue",
        {"Instructions!B3": "Valenciennes"},
        "Instructions!B3: commune « Valenciennes » inconnue des fichiers d'instances.",
    ),
    (
        "bailleur inconnu",
        {"Instructions!B4": "Habitat du Nord"},
        # the one landlord lookup of every data file, with its suggestion
        "Instructions!B4: bailleur « Habitat du Nord » inconnu du fichier du territoire. "
        "Vouliez-vous dire « SIA Habitat » ?",
    ),
    (
        "bailleur sans convention dans la commune",
        {"Instructions!B4": "SIGH"},
        "Instructions!B4: aucune convention entre la Ville de Lourches et ce bailleur.",
    ),
    (
        "commune effacée",
        {"Instructions!B3": None},
        "Instructions!B3: la cellule « Commune » est vide : gardez l'identification du modèle.",
    ),
    (
        "année illisible",
        {"Instructions!B5": "deux mille vingt-cinq"},
        "Instructions!B5: « Année » doit être une année écrite en chiffres, comme 2025 "
        "(lu : « deux mille vingt-cinq »).",
    ),
    (
        "année hors période",
        {"Instructions!B5": 2031},
        "Instructions!B5: l'année 2031 sort de la période de la convention (2025-2030).",
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
        read(project, territory, {"Actions!A3": "Autre", "Actions!G4": "beaucoup", "Actions!G6": 2000})
    assert [str(p.location) for p in caught.value.problems] == [
        f"{SHOWN}:Actions!A3",
        f"{SHOWN}:Actions!G4",
        f"{SHOWN}:Actions!G6",  # found by the validation of the programme, after the reading
    ]


def test_a_cell_gets_one_message_even_when_the_validation_would_add_one(project: Project, territory: Territory) -> None:
    message = error_of(project, territory, {"Abattement!D2": "beaucoup", "Abattement!D3": None})
    assert (
        message == f"{SHOWN}:Abattement!D2: « Abattement 2025 (€) » doit être un montant en euros (lu : « beaucoup »)."
    )


def test_cofinancers_on_several_lines_of_a_cell(project: Project, territory: Territory) -> None:
    programme = read(project, territory, {"Actions!H4": "Ville de Lourches\nÉtat", "Actions!I4": "500\n250,50"})
    assert [c.financeur for c in programme.actions[1].cofinancements] == ["Ville de Lourches", "État"]


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
