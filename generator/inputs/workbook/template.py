"""The programme workbook a landlord fills in, as a form: protected sheets where only the input cells (yellow) can be
typed in, drop-down lists and validations on every input, last year's carry-over already filled in, and a print
set-up (A4 landscape, fit to width, headers repeated, instructions on one page)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ...errors import DataError
from ...model.programme import AXES
from ...model.territory import Commune, Landlord, Territory
from ...pending import pending
from ...typography import french_of
from ..referentials import qpv_reference
from .instructions import help_rows
from .layout import (
    ABATEMENT,
    ABATEMENT_COLUMN,
    ACTION_AMOUNT_KEYS,
    ACTION_COLUMNS,
    ACTIONS,
    AMOUNT_KEYS,
    AXIS_LABELS,
    CARRY_OVER_COLUMN,
    CODE_COLUMN,
    COLUMN,
    DATE_CELL,
    DWELLINGS_COLUMN,
    FIRST_ACTION_ROW,
    FIRST_HELP_ROW,
    FIRST_QPV_ROW,
    HEADER,
    IDENTITY_PROPERTY,
    INSTRUCTIONS,
    LAST_ACTION_ROW,
    LAYOUT_PROPERTY,
    LAYOUT_VERSION,
    LISTS,
    NAME_COLUMN,
    NO,
    QPV_SEPARATOR,
    TITLE_CELL,
    TOTAL,
    TOTAL_ROW,
    YES,
    cofunder_headers,
)

AMOUNT_FORMAT = '#,##0.00 "€"'
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_LOCKED_FILL = PatternFill("solid", fgColor="DDEBF7")  # computed or fixed: read-only
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # typed by the landlord
_WRAP = Alignment(wrap_text=True, vertical="top")
_OPEN = Protection(locked=False)
_LINE_HEIGHT = 15  # points per line of 11-point text
_PENDING = 'LEFT(LOWER({cell}),11)="à confirmer"'  # « à confirmer 4050 » is accepted wherever an amount is


def write_template(
    destination: Path,
    territory: Territory,
    commune: Commune,
    landlord: Landlord,
    year: int,
    carried: Mapping[str, Decimal] | None = None,
) -> None:
    """Write the workbook a landlord fills in for one convention and one year (all in French). `carried` is what
    the previous year's avenant carries to this year on each QPV (prefilled and locked), None when not known yet."""
    holding = _holding(commune, landlord)
    workbook = Workbook()
    workbook.properties.title = f"Programme d'actions ATFPB {year} - {commune.nom} - {landlord.nom}"
    workbook.properties.creator = "atfpb"
    workbook.custom_doc_props.append(StringProperty(name=LAYOUT_PROPERTY, value=LAYOUT_VERSION))
    identity = f"{commune.slug}|{landlord.slug}|{year}"
    workbook.custom_doc_props.append(StringProperty(name=IDENTITY_PROPERTY, value=identity))
    first_year = year == territory.periode.debut
    known = {} if first_year else carried
    _write_instructions(workbook.active, territory, commune, landlord, year, known)
    _write_abatement_sheet(workbook.create_sheet(ABATEMENT), commune, holding, year, known)
    headers = {**HEADER, **cofunder_headers(french_of(commune.nom), territory.epci.nom)}
    _write_actions_sheet(workbook.create_sheet(ACTIONS), headers, len(holding))
    _write_lists(workbook.create_sheet(LISTS), [qpv_choice(commune, code) for code, _count in holding])
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


def qpv_name(commune: Commune, code: str) -> str:
    known = {q.code: q.nom for q in commune.qpv}
    reference = qpv_reference().get(code)
    return known.get(code) or (reference.nom if reference else "")


def qpv_choice(commune: Commune, code: str) -> str:
    """« QN05954M – Gambetta »: how the drop-down list shows a QPV."""
    name = qpv_name(commune, code)
    return f"{code}{QPV_SEPARATOR}{name}" if name else code


# --- Instructions ----------------------------------------------------------------------------
def _write_instructions(
    sheet: Worksheet,
    territory: Territory,
    commune: Commune,
    landlord: Landlord,
    year: int,
    carried: Mapping[str, Decimal] | None,
) -> None:
    sheet.title = INSTRUCTIONS
    sheet[TITLE_CELL] = f"Abattement de TFPB - programme d'actions {year}"
    sheet[TITLE_CELL].font = Font(bold=True, size=14)
    for row, (label, value) in enumerate(
        (("Commune", commune.nom), ("Bailleur", landlord.nom), ("Année", year), ("Date de l'avenant", None)), start=3
    ):
        sheet.cell(row, 1, label).font = Font(bold=True)
        cell = sheet.cell(row, 2, value)
        cell.fill, cell.alignment = _LOCKED_FILL, Alignment(horizontal="left")
    date_cell = sheet[DATE_CELL]
    date_cell.fill, date_cell.protection, date_cell.number_format = _INPUT_FILL, _OPEN, "DD/MM/YYYY"
    sheet.add_data_validation(
        _validation(
            "date",
            DATE_CELL,
            "Date de l'avenant",
            f"Une date de l'année {year} (JJ/MM/AAAA), ou rien.",
            operator="between",
            formula1=f"DATE({year},1,1)",
            formula2=f"DATE({year},12,31)",
        )
    )
    widths = {"A": 30, "B": 110}
    for offset, (heading, text) in enumerate(help_rows(territory, commune, landlord, year, carried)):
        row = FIRST_HELP_ROW + offset
        sheet.cell(row, 1, heading or None).font = Font(bold=True)
        sheet.cell(row, 1).alignment = sheet.cell(row, 2).alignment = _WRAP
        sheet.cell(row, 2, text or None)
        sheet.row_dimensions[row].height = max(_height([(heading, widths["A"])], 0.85), _height([(text, widths["B"])]))
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    _print_setup(sheet, one_page=True)
    _protect(sheet)


def _height(texts: list[tuple[str, int]], per_unit: float = 1.05) -> float:
    """A row's height that shows its wrapped texts whole (about one character per unit of column width, fewer in
    bold)."""
    lines = max((max(1, math.ceil(len(text) / (width * per_unit))) for text, width in texts), default=1)
    return lines * _LINE_HEIGHT + 2


# --- Abatement --------------------------------------------------------------------------------
def _write_abatement_sheet(
    sheet: Worksheet, commune: Commune, holding: list[tuple[str, int]], year: int, carried: Mapping[str, Decimal] | None
) -> None:
    headers = [
        "Code QPV",
        "Nom du quartier",
        "Logements éligibles",
        f"Abattement {year} (€)",
        f"Report de {year - 1} (€)",
    ]
    _style_header(sheet, headers, [14, 30, 14, 20, 20])
    for row, (code, count) in enumerate(holding, start=FIRST_QPV_ROW):
        for column, value in ((CODE_COLUMN, code), (NAME_COLUMN, qpv_name(commune, code)), (DWELLINGS_COLUMN, count)):
            sheet.cell(row, column, value).fill = _LOCKED_FILL
        _input(sheet.cell(row, ABATEMENT_COLUMN))
        carry = sheet.cell(row, CARRY_OVER_COLUMN)
        carry.number_format = AMOUNT_FORMAT
        if carried is None:
            _input(carry)
        else:
            carry.value, carry.fill = _amount_cell(carried.get(code, Decimal(0))), _LOCKED_FILL
    last, total = FIRST_QPV_ROW + len(holding) - 1, FIRST_QPV_ROW + len(holding)
    sheet.cell(total, CODE_COLUMN, TOTAL)
    for column in (DWELLINGS_COLUMN, ABATEMENT_COLUMN, CARRY_OVER_COLUMN):
        letter = get_column_letter(column)
        sheet.cell(total, column, f"=SUM({letter}{FIRST_QPV_ROW}:{letter}{last})")
    for column in (ABATEMENT_COLUMN, CARRY_OVER_COLUMN):
        sheet.cell(total, column).number_format = AMOUNT_FORMAT
    _style_total(sheet, total, len(headers))
    columns = [ABATEMENT_COLUMN] + ([CARRY_OVER_COLUMN] if carried is None else [])
    for column in columns:
        letter = get_column_letter(column)
        cells = f"{letter}{FIRST_QPV_ROW}:{letter}{last}"
        sheet.add_data_validation(_amount_validation(cells, headers[column - 1]))
    sheet.freeze_panes = f"A{FIRST_QPV_ROW}"
    _print_setup(sheet, title_rows="1:1")
    _protect(sheet)


def _amount_cell(amount: Decimal) -> float | str:
    """An amount as the cell holds it: a number, or « à confirmer 300.00 » when it is not confirmed yet."""
    return f"à confirmer {amount}" if pending(amount) is not None else float(amount)


def _input(cell: object) -> None:
    cell.fill, cell.protection, cell.number_format = _INPUT_FILL, _OPEN, AMOUNT_FORMAT  # type: ignore[attr-defined]


# --- Actions --------------------------------------------------------------------------------
def _write_actions_sheet(sheet: Worksheet, headers: Mapping[str, str], quarters: int) -> None:
    _style_header(sheet, [headers[key] for key, _h, _w in ACTION_COLUMNS], [width for _k, _h, width in ACTION_COLUMNS])
    sheet.cell(TOTAL_ROW, 1, TOTAL)
    for key in ACTION_AMOUNT_KEYS:
        letter = get_column_letter(COLUMN[key])
        sheet.cell(TOTAL_ROW, COLUMN[key], f"=SUM({letter}{FIRST_ACTION_ROW}:{letter}{LAST_ACTION_ROW})")
        sheet.cell(TOTAL_ROW, COLUMN[key]).number_format = AMOUNT_FORMAT
    _style_total(sheet, TOTAL_ROW, len(ACTION_COLUMNS))
    for row in range(FIRST_ACTION_ROW, LAST_ACTION_ROW + 1):
        for key, column in COLUMN.items():
            cell = sheet.cell(row, column)
            cell.fill, cell.protection = _INPUT_FILL, _OPEN
            if key in AMOUNT_KEYS:
                cell.number_format = AMOUNT_FORMAT
            elif key in ("titre", "description", "indicateurs", "calendrier", "autre_financeur"):
                cell.alignment = _WRAP
    for validation in _action_validations(headers, quarters):
        sheet.add_data_validation(validation)
    sheet.freeze_panes = f"C{FIRST_ACTION_ROW}"
    _print_setup(sheet, title_rows=f"1:{TOTAL_ROW}")
    _protect(sheet)


def _action_validations(headers: Mapping[str, str], quarters: int) -> list[DataValidation]:
    first = FIRST_ACTION_ROW
    cost, valued = (f"{get_column_letter(COLUMN[k])}{first}" for k in ("cout_total", "montant_valorise"))
    validations = [
        _validation(
            "whole",
            _range("numero"),
            HEADER["numero"],
            "Un numéro d'action : 1, 2, 3… (le même sur les lignes d'une action menée sur plusieurs quartiers).",
            operator="between",
            formula1="1",
            formula2="999",
        ),
        _list(f"$A$1:$A${len(AXES)}", HEADER["axe"], "Choisissez l'un des huit axes dans la liste.", _range("axe")),
        _list(f"$B$1:$B${quarters}", HEADER["qpv"], "Choisissez le quartier de cette ligne.", _range("qpv")),
        _list("$C$1:$C$2", HEADER["pluriannuelle"], f"{YES} ou {NO}.", _range("pluriannuelle")),
        _validation(
            "custom",
            _range("montant_valorise"),
            HEADER["montant_valorise"],
            "Un montant positif, qui ne dépasse pas le coût de la ligne (ou « à confirmer » suivi du montant).",
            formula1=(
                f"OR({_PENDING.format(cell=valued)},AND(ISNUMBER({valued}),{valued}>=0,"
                f"OR(NOT(ISNUMBER({cost})),{valued}<={cost})))"
            ),
        ),
    ]
    for key in ("cout_total", "ville", "epci", "etat", "autre_montant"):
        validations.append(_amount_validation(_range(key), headers[key]))
    return validations


def _range(key: str) -> str:
    letter = get_column_letter(COLUMN[key])
    return f"{letter}{FIRST_ACTION_ROW}:{letter}{LAST_ACTION_ROW}"


def _amount_validation(cells: str, title: str) -> DataValidation:
    """A positive amount in euros, or « à confirmer » followed by one."""
    top = cells.split(":")[0]
    return _validation(
        "custom",
        cells,
        title,
        "Un montant positif en euros (par exemple 4050 ou 4050,50), ou « à confirmer » suivi du montant.",
        formula1=f"OR({_PENDING.format(cell=top)},AND(ISNUMBER({top}),{top}>=0))",
    )


def _list(source: str, title: str, prompt: str, cells: str) -> DataValidation:
    return _validation("list", cells, title, prompt, formula1=f"{LISTS}!{source}")


def _validation(kind: str, cells: str, title: str, prompt: str, **options: str) -> DataValidation:
    """A validation that explains itself: a prompt when the cell is selected, a refusal that says why."""
    validation = DataValidation(
        type=kind,
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=f"{title[:24]} : valeur refusée",
        error=f"Valeur refusée. {prompt}"[:255],
        promptTitle=title[:32],
        prompt=prompt[:255],
        **options,
    )
    validation.add(cells)
    return validation


# --- Shared: headers, totals, lists, protection, printing ------------------------------------
def _style_header(sheet: Worksheet, headers: list[str], widths: list[int]) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(1, column, header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = _height(list(zip(headers, widths, strict=True)), per_unit=0.85)


def _style_total(sheet: Worksheet, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row, column)
        cell.font, cell.fill = Font(bold=True), _LOCKED_FILL


def _write_lists(sheet: Worksheet, choices: list[str]) -> None:
    """The values of the drop-down lists, in a hidden sheet: axes (A), QPV « code – nom » (B), yes/no (C)."""
    for column, values in enumerate((list(AXIS_LABELS), choices, [YES, NO]), start=1):
        for row, value in enumerate(values, start=1):
            sheet.cell(row, column, value)
    sheet.sheet_state = "hidden"
    _protect(sheet)


def _protect(sheet: Worksheet) -> None:
    """Only the unlocked (yellow) cells can be typed in; widths and heights can still be changed."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _print_setup(sheet: Worksheet, title_rows: str | None = None, one_page: bool = False) -> None:
    """A4 landscape, as wide as the page (and as tall, for the instructions), the headers on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if title_rows:
        sheet.print_title_rows = title_rows
