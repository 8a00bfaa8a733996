"""The bilan workbook a landlord fills in after the year: the programme's actions already listed (one row per action
and QPV, protected), the realised amount, status and comment to type in (yellow), the qualitative part, and the
Conseil municipal's validation date once known."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ...model.bilan import STATUSES
from ...model.programme import AXES
from ...model.territory import Commune, Landlord
from ...model.totals import ProgrammeTotals
from .layout import IDENTITY_PROPERTY, INSTRUCTIONS, TOTAL
from .template import (
    _INPUT_FILL,
    _LOCKED_FILL,
    _OPEN,
    _WRAP,
    AMOUNT_FORMAT,
    _amount_cell,
    _print_setup,
    _protect,
    _style_header,
    _style_total,
    _validation,
)

BILAN_LAYOUT_PROPERTY, BILAN_LAYOUT_VERSION = "atfpb-bilan-modele", "1"
REALISED, QUALITATIVE, STATUS_LIST = "Réalisations", "Qualitatif", "Statuts"
BILAN_SHEETS = (INSTRUCTIONS, REALISED, QUALITATIVE)
COMMUNE_CELL, LANDLORD_CELL, YEAR_CELL, DATE_CELL, VALIDATION_CELL = "B3", "B4", "B5", "B6", "B7"
FIRST_ROW, TOTAL_ROW = 3, 2  # « Réalisations »: header, total (formulas), then one row per action and QPV
# (key, header, width): columns A to H of « Réalisations »; A to E come from the avenant and are locked.
COLUMNS = (
    ("numero", "N° action", 9),
    ("axe", "Axe", 34),
    ("titre", "Titre de l'action", 36),
    ("qpv", "QPV", 26),
    ("programme", "Montant programmé (€)", 16),
    ("realise", "Montant réalisé (€)", 16),
    ("statut", "État de l'action", 16),
    ("commentaire", "Commentaire", 48),
)
COLUMN = {key: index for index, (key, _header, _width) in enumerate(COLUMNS, start=1)}
QUALITATIVE_ROWS = (  # « Qualitatif »: the label in A, the text in B
    ("resultats", "Résultats obtenus"),
    ("difficultes", "Difficultés rencontrées"),
    ("perspectives", "Perspectives"),
)
HELP = (
    ("Quoi", "Le bilan quantitatif et qualitatif du programme d'actions de l'année, à transmettre avant le 31 mai."),
    ("Réalisations", "Une ligne par action et par quartier, comme dans l'avenant : indiquez le montant réalisé (au "
     "plus le montant programmé), l'état de l'action et, si besoin, un commentaire court."),
    ("États", "réalisée, en cours, reportée ou abandonnée."),
    ("Qualitatif", "Les résultats obtenus (obligatoire), les difficultés rencontrées et les perspectives."),
    ("Validation", "La date de la délibération du Conseil municipal qui valide le bilan, une fois connue."),
)


def write_bilan_template(
    destination: Path, commune: Commune, landlord: Landlord, year: int, programme: ProgrammeTotals
) -> None:
    """Write the bilan workbook of one convention's programme of `year` (all in French)."""
    workbook = Workbook()
    workbook.properties.title = f"Bilan ATFPB {year} - {commune.nom} - {landlord.nom}"
    workbook.properties.creator = "atfpb"
    workbook.custom_doc_props.append(StringProperty(name=BILAN_LAYOUT_PROPERTY, value=BILAN_LAYOUT_VERSION))
    identity = f"{commune.slug}|{landlord.slug}|{year}"
    workbook.custom_doc_props.append(StringProperty(name=IDENTITY_PROPERTY, value=identity))
    _instructions(workbook.active, commune, landlord, year)
    _realised(workbook.create_sheet(REALISED), programme)
    _qualitative(workbook.create_sheet(QUALITATIVE))
    lists = workbook.create_sheet(STATUS_LIST)
    for row, status in enumerate(STATUSES, start=1):
        lists.cell(row, 1, status)
    lists.sheet_state = "hidden"
    _protect(lists)
    workbook.active = 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(destination)


def _instructions(sheet, commune: Commune, landlord: Landlord, year: int) -> None:  # type: ignore[no-untyped-def]
    sheet.title = INSTRUCTIONS
    sheet["A1"] = f"Abattement de TFPB - bilan du programme d'actions {year}"
    sheet["A1"].font = Font(bold=True, size=14)
    rows = (
        ("Commune", commune.nom),
        ("Bailleur", landlord.nom),
        ("Année", year),
        ("Date du bilan", None),
        ("Validation par le Conseil municipal", None),
    )
    for row, (label, value) in enumerate(rows, start=3):
        sheet.cell(row, 1, label).font = Font(bold=True)
        cell = sheet.cell(row, 2, value)
        cell.fill = _LOCKED_FILL
    for reference in (DATE_CELL, VALIDATION_CELL):
        sheet[reference].fill, sheet[reference].protection = _INPUT_FILL, _OPEN
        sheet[reference].number_format = "DD/MM/YYYY"
    sheet.add_data_validation(
        _validation("date", f"{DATE_CELL}:{VALIDATION_CELL}", "Date", "Une date (JJ/MM/AAAA), ou rien.",
                    operator="greaterThan", formula1="36526")
    )
    for row, (label, text) in enumerate(HELP, start=9):
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 2, text).alignment = _WRAP
        sheet.row_dimensions[row].height = 15 * (1 + len(text) // 90)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 34, 100
    _print_setup(sheet, one_page=True)
    _protect(sheet)


def _realised(sheet, programme: ProgrammeTotals) -> None:  # type: ignore[no-untyped-def]
    _style_header(sheet, [h for _k, h, _w in COLUMNS], [w for _k, _h, w in COLUMNS])
    rows = [(a, q) for a in programme.actions for q in a.qpv]
    last = FIRST_ROW + max(len(rows), 1) - 1
    sheet.cell(TOTAL_ROW, 1, TOTAL)
    for key in ("programme", "realise"):
        letter = get_column_letter(COLUMN[key])
        sheet.cell(TOTAL_ROW, COLUMN[key], f"=SUM({letter}{FIRST_ROW}:{letter}{last})").number_format = AMOUNT_FORMAT
    _style_total(sheet, TOTAL_ROW, len(COLUMNS))
    for row, (action, share) in enumerate(rows, start=FIRST_ROW):
        values = (action.numero, f"{action.axe} - {AXES[action.axe - 1]}", action.titre, f"{share.code} – {share.nom}")
        for column, value in enumerate(values, start=1):
            sheet.cell(row, column, value).alignment = _WRAP
        sheet.cell(row, COLUMN["programme"], _amount_cell(share.montant)).number_format = AMOUNT_FORMAT
        for key in ("realise", "statut", "commentaire"):
            cell = sheet.cell(row, COLUMN[key])
            cell.fill, cell.protection = _INPUT_FILL, _OPEN
        sheet.cell(row, COLUMN["realise"]).number_format = AMOUNT_FORMAT
        sheet.cell(row, COLUMN["commentaire"]).alignment = _WRAP
    planned, realised = (f"{get_column_letter(COLUMN[k])}{FIRST_ROW}" for k in ("programme", "realise"))
    sheet.add_data_validation(
        _validation(
            "custom",
            f"{realised}:{get_column_letter(COLUMN['realise'])}{last}",
            "Montant réalisé",
            "Un montant positif, au plus le montant programmé (ou « à confirmer » suivi du montant).",
            formula1=(
                f'OR(LEFT(LOWER({realised}),11)="à confirmer",AND(ISNUMBER({realised}),{realised}>=0,'
                f"OR(NOT(ISNUMBER({planned})),{realised}<={planned})))"
            ),
        )
    )
    status = get_column_letter(COLUMN["statut"])
    choice = _validation("list", f"{status}{FIRST_ROW}:{status}{last}", "État de l'action",
                         "Choisissez l'état de l'action dans la liste.", formula1=f"{STATUS_LIST}!$A$1:$A$4")
    sheet.add_data_validation(choice)
    sheet.freeze_panes = f"A{FIRST_ROW}"
    _print_setup(sheet, title_rows=f"1:{TOTAL_ROW}")
    _protect(sheet)


def _qualitative(sheet) -> None:  # type: ignore[no-untyped-def]
    _style_header(sheet, ["Rubrique", "Texte"], [28, 110])
    for row, (_key, label) in enumerate(QUALITATIVE_ROWS, start=2):
        sheet.cell(row, 1, label).font = Font(bold=True)
        cell = sheet.cell(row, 2)
        cell.fill, cell.protection, cell.alignment = _INPUT_FILL, _OPEN, Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 90
    _print_setup(sheet, one_page=True)
    _protect(sheet)
