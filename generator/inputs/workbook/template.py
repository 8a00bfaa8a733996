"""The programme workbook a landlord fills in: instructions, abatement per QPV, actions with drop-down lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ...errors import DataError
from ...model.programme import AXES
from ...model.territory import Commune, Landlord, Territory
from ...typography import french_date, french_of
from ..referentials import qpv_reference
from .layout import (
    ABATEMENT,
    ABATEMENT_COLUMN,
    ACTION_AMOUNT_KEYS,
    ACTION_COLUMNS,
    ACTIONS,
    AXIS_LABELS,
    CARRY_OVER_COLUMN,
    CODE_COLUMN,
    COLUMN,
    COMMUNE_CELL,
    DWELLINGS_COLUMN,
    FIRST_ACTION_ROW,
    FIRST_HELP_ROW,
    FIRST_QPV_ROW,
    HEADER,
    INSTRUCTIONS,
    LANDLORD_CELL,
    LAST_ACTION_ROW,
    LISTS,
    NAME_COLUMN,
    NO,
    SEVERAL,
    TITLE_CELL,
    TOTAL,
    TOTAL_ROW,
    YEAR_CELL,
    YES,
    split_example,
)

AMOUNT_FORMAT = '#,##0.00 "€"'
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_template(destination: Path, territory: Territory, commune: Commune, landlord: Landlord, year: int) -> None:
    """Write the workbook a landlord fills in for one commune and one year (all in French)."""
    codes = convention_codes(commune, landlord)
    workbook = Workbook()
    workbook.properties.title = f"Programme d'actions ATFPB {year} - {commune.nom} - {landlord.nom}"
    workbook.properties.creator = "atfpb"
    _write_instructions(workbook.active, territory, commune, landlord, year, codes)
    _write_abatement_sheet(workbook.create_sheet(ABATEMENT), commune, landlord, year)
    _write_actions_sheet(workbook.create_sheet(ACTIONS), len(codes))
    _write_lists(workbook.create_sheet(LISTS), codes)
    workbook.active = 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(destination)


def convention_codes(commune: Commune, landlord: Landlord) -> list[str]:
    """The QPV codes of the convention: those where the landlord has eligible dwellings in the commune."""
    return [code for code, _count in _holding(commune, landlord)]


def _holding(commune: Commune, landlord: Landlord) -> list[tuple[str, int]]:
    dwellings = commune.convention_qpv(landlord.slug)
    if dwellings is None:
        raise DataError(
            f"{landlord.nom} n'a pas de logements déclarés à {commune.nom} : pas de convention, "
            "donc pas de programme d'actions."
        )
    return list(dwellings)


def _qpv_name(commune: Commune, code: str) -> str:
    known = {q.code: q.nom for q in commune.qpv}
    reference = qpv_reference().get(code)
    return known.get(code) or (reference.nom if reference else "")


def _help_rows(
    territory: Territory, commune: Commune, landlord: Landlord, year: int, codes: list[str]
) -> list[tuple[str, str]]:
    """The explanations of the « Instructions » sheet, as (heading, text) rows."""
    deadline = french_date(date(year, 4, 30))
    rows = [
        ("Qui", f"{landlord.nom}, pour ses logements des quartiers prioritaires (QPV) de {commune.nom}."),
        (
            "Quoi",
            f"Le programme des actions {year} financées par l'abattement de taxe foncière sur les propriétés "
            f"bâties (ATFPB), dans le cadre de la convention d'utilisation de l'abattement conclue avec la Ville de "
            f"{commune.nom} ({territory.epci.nom}).",
        ),
        ("Quand", f"Classeur complété à transmettre au plus tard le {deadline}."),
        (
            "Montants",
            "Tous les montants sont en euros : des nombres positifs, avec au plus deux décimales (4050 ou 4 050,50).",
        ),
        (
            "À confirmer",
            "Un montant ou un texte qui n'est pas encore sûr s'écrit précédé de « à confirmer » (par exemple "
            "« à confirmer 4050 ») : l'avenant le montre surligné et ne peut pas être signé avant confirmation.",
        ),
        (
            "Totaux",
            "Les lignes « Total » sont des formules, pour votre seule lecture : atfpb recalcule lui-même "
            "les totaux à partir des lignes. N'y saisissez pas de montant à la main.",
        ),
        (
            "Identification",
            "Les cellules Commune, Bailleur et Année ci-dessus identifient le programme : ne les modifiez pas.",
        ),
        ("", ""),
        (
            f"Feuille « {ABATEMENT} »",
            "Une ligne par quartier de la convention ; le nombre de logements éligibles est déjà indiqué.",
        ),
        (f"Abattement {year} (€)", "Le montant de l'abattement de l'année pour ce quartier."),
        (
            f"Report de {year - 1} (€)",
            f"Le montant de l'abattement {year - 1} non utilisé et reporté sur {year} ; "
            "laissez la cellule vide s'il n'y en a pas.",
        ),
        ("", ""),
        (
            f"Feuille « {ACTIONS} »",
            f"Une ligne par action, à partir de la ligne {FIRST_ACTION_ROW} (la ligne "
            f"{TOTAL_ROW} est celle des totaux). Ne déplacez pas les colonnes. Colonnes "
            "obligatoires : Axe, Titre, QPV, Coût total, Montant valorisé.",
        ),
        (HEADER["axe"], "L'un des huit axes du cadre national d'utilisation de l'abattement, choisi dans la liste."),
        (HEADER["titre"], "Un titre court."),
        (HEADER["description"], "Ce qui est fait, où, pour qui et par qui."),
        (
            HEADER["qpv"],
            f"Le quartier concerné, choisi dans la liste ; « {SEVERAL} » si l'action porte sur plusieurs quartiers.",
        ),
        (
            HEADER["repartition"],
            f"Seulement si la colonne QPV vaut « {SEVERAL} » : la part du montant valorisé "
            f"de chaque quartier, par exemple « {split_example(codes)} ». La somme des parts "
            "est égale au montant valorisé.",
        ),
        (HEADER["cout_total"], "Le coût complet de l'action, tous financements compris."),
        (HEADER["montant_valorise"], "La part du coût imputée sur l'abattement ; elle ne dépasse pas le coût total."),
        (
            HEADER["cofinanceurs"],
            "Les autres financeurs de l'action, séparés par « ; » "
            f"(par exemple : Ville {french_of(commune.nom)}; État).",
        ),
        (
            HEADER["montants_cofinances"],
            "Le montant de chaque cofinanceur, dans le même ordre, séparés par « ; » (par exemple : 1500; 800).",
        ),
        (HEADER["indicateurs"], "Comment le résultat de l'action sera mesuré."),
        (HEADER["calendrier"], f"Quand l'action a lieu (par exemple : de mars à novembre {year})."),
        (HEADER["pluriannuelle"], f"« {YES} » si l'action se poursuit sur plusieurs années, « {NO} » ou vide sinon."),
        ("", ""),
        ("Les huit axes", "Le cadre national d'utilisation de l'abattement de TFPB (référentiel de juin 2024) :"),
    ]
    return rows + [(f"Axe {number}", label) for number, label in enumerate(AXES, start=1)]


def _write_instructions(
    sheet: Worksheet, territory: Territory, commune: Commune, landlord: Landlord, year: int, codes: list[str]
) -> None:
    sheet.title = INSTRUCTIONS
    sheet[TITLE_CELL] = f"Abattement de TFPB - programme d'actions {year}"
    sheet[TITLE_CELL].font = Font(bold=True, size=14)
    for label_cell, value_cell, label, value in (
        ("A3", COMMUNE_CELL, "Commune", commune.nom),
        ("A4", LANDLORD_CELL, "Bailleur", landlord.nom),
        ("A5", YEAR_CELL, "Année", year),
    ):
        sheet[label_cell], sheet[value_cell] = label, value
        sheet[label_cell].font = Font(bold=True)
        sheet[value_cell].fill = _TOTAL_FILL
        sheet[value_cell].alignment = Alignment(horizontal="left")
    for offset, (heading, text) in enumerate(_help_rows(territory, commune, landlord, year, codes)):
        row = FIRST_HELP_ROW + offset
        sheet.cell(row, 1, heading or None).font = Font(bold=True)
        sheet.cell(row, 2, text or None).alignment = _WRAP
        sheet.cell(row, 1).alignment = _WRAP
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 100


def _style_header(sheet: Worksheet, headers: list[str], widths: list[int]) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(1, column, header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 32


def _style_total(sheet: Worksheet, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row, column)
        cell.font, cell.fill = Font(bold=True), _TOTAL_FILL


def _write_abatement_sheet(sheet: Worksheet, commune: Commune, landlord: Landlord, year: int) -> None:
    headers = [
        "Code QPV",
        "Nom du quartier",
        "Logements éligibles",
        f"Abattement {year} (€)",
        f"Report de {year - 1} (€)",
    ]
    _style_header(sheet, headers, [14, 30, 14, 20, 20])
    holding = _holding(commune, landlord)
    for row, (code, count) in enumerate(holding, start=FIRST_QPV_ROW):
        sheet.cell(row, CODE_COLUMN, code)
        sheet.cell(row, NAME_COLUMN, _qpv_name(commune, code))
        sheet.cell(row, DWELLINGS_COLUMN, count)
        for column in (ABATEMENT_COLUMN, CARRY_OVER_COLUMN):
            sheet.cell(row, column).number_format = AMOUNT_FORMAT
            sheet.cell(row, column).fill = _INPUT_FILL
    last, total = FIRST_QPV_ROW + len(holding) - 1, FIRST_QPV_ROW + len(holding)
    sheet.cell(total, CODE_COLUMN, TOTAL)
    for column in (DWELLINGS_COLUMN, ABATEMENT_COLUMN, CARRY_OVER_COLUMN):
        letter = get_column_letter(column)
        sheet.cell(total, column, f"=SUM({letter}{FIRST_QPV_ROW}:{letter}{last})")
    sheet.cell(total, ABATEMENT_COLUMN).number_format = AMOUNT_FORMAT
    sheet.cell(total, CARRY_OVER_COLUMN).number_format = AMOUNT_FORMAT
    _style_total(sheet, total, len(headers))
    sheet.freeze_panes = f"A{FIRST_QPV_ROW}"


def _write_actions_sheet(sheet: Worksheet, qpv_count: int) -> None:
    _style_header(
        sheet, [header for _key, header, _width in ACTION_COLUMNS], [width for _key, _header, width in ACTION_COLUMNS]
    )
    sheet.cell(TOTAL_ROW, 1, TOTAL)
    for key in ACTION_AMOUNT_KEYS:
        letter = get_column_letter(COLUMN[key])
        sheet.cell(TOTAL_ROW, COLUMN[key], f"=SUM({letter}{FIRST_ACTION_ROW}:{letter}{LAST_ACTION_ROW})")
    _style_total(sheet, TOTAL_ROW, len(ACTION_COLUMNS))
    for row in range(FIRST_ACTION_ROW, LAST_ACTION_ROW + 1):
        for key in ("cout_total", "montant_valorise", "montants_cofinances"):
            sheet.cell(row, COLUMN[key]).number_format = AMOUNT_FORMAT
        for key in ("titre", "description", "repartition", "indicateurs"):
            sheet.cell(row, COLUMN[key]).alignment = _WRAP
    for key, source, title, prompt in (
        ("axe", f"$A$1:$A${len(AXES)}", "Axe", "Choisissez l'un des huit axes dans la liste."),
        (
            "qpv",
            f"$B$1:$B${qpv_count + 1}",
            "QPV",
            f"Choisissez le quartier, ou « {SEVERAL} » et remplissez la colonne Répartition.",
        ),
        ("pluriannuelle", "$C$1:$C$2", "Pluriannuelle", f"{YES} ou {NO}."),
    ):
        sheet.add_data_validation(_drop_down(f"={LISTS}!{source}", title, prompt, _action_range(key)))
    sheet.freeze_panes = f"C{FIRST_ACTION_ROW}"


def _action_range(key: str) -> str:
    letter = get_column_letter(COLUMN[key])
    return f"{letter}{FIRST_ACTION_ROW}:{letter}{LAST_ACTION_ROW}"


def _drop_down(source: str, title: str, prompt: str, cells: str) -> DataValidation:
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=f"{title} : valeur refusée",
        error=f"Valeur hors de la liste. {prompt}",
        promptTitle=title,
        prompt=prompt,
    )
    validation.add(cells)
    return validation


def _write_lists(sheet: Worksheet, codes: list[str]) -> None:
    """The values of the drop-down lists, in a hidden sheet: axes (A), QPV (B), yes/no (C)."""
    for column, values in enumerate((list(AXIS_LABELS), [*codes, SEVERAL], [YES, NO]), start=1):
        for row, value in enumerate(values, start=1):
            sheet.cell(row, column, value)
    sheet.sheet_state = "hidden"
