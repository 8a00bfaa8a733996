"""The Excel workbook of a landlord's yearly programme: the template to fill in, and its reading into a Programme."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TypeVar
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from .errors import AtfpbError, DataError, Location, raise_all
from .model import Commune, Landlord, Territory
from .programme import AXES, Action, Cofinancing, Programme, axis_number, validate
from .referentials import QPV_CODE, qpv_reference
from .slug import slugify
from .typography import french_amount, french_date, french_of
from .yamldata import MAX_TEXT, parse_amount

T = TypeVar("T")

# --- Layout --------------------------------------------------------------------------------
INSTRUCTIONS, ABATEMENT, ACTIONS, LISTS = "Instructions", "Abattement", "Actions", "Listes"
REQUIRED_SHEETS = (INSTRUCTIONS, ABATEMENT, ACTIONS)

# Sheet « Instructions »: a title, a free remark, then the identification table the reader uses.
TITLE_CELL = "A1"
NOTE_CELL = "A2"  # free remark, e.g. « Exemple : montants illustratifs » (not read)
COMMUNE_CELL, LANDLORD_CELL, YEAR_CELL = "B3", "B4", "B5"  # labels in A3:A5
FIRST_HELP_ROW = 8

# Sheet « Abattement »: header in row 1, one row per QPV of the convention from row 2, then the « Total » row.
FIRST_QPV_ROW = 2
CODE_COLUMN, NAME_COLUMN, DWELLINGS_COLUMN, ABATEMENT_COLUMN, CARRY_OVER_COLUMN = 1, 2, 3, 4, 5

# Sheet « Actions »: header in row 1, « Total » row in row 2 (formulas), actions from row 3.
TOTAL_ROW = 2
FIRST_ACTION_ROW = 3
ACTION_ROWS = 200  # empty rows prepared with drop-down lists and formats
LAST_ACTION_ROW = FIRST_ACTION_ROW + ACTION_ROWS - 1

# (key, header, width): the order of the columns A to L of the « Actions » sheet.
ACTION_COLUMNS = (
    ("axe", "Axe", 48),
    ("titre", "Titre de l'action", 34),
    ("description", "Description", 50),
    ("qpv", "QPV", 14),
    ("repartition", "Répartition entre QPV", 32),
    ("cout_total", "Coût total (€)", 17),
    ("montant_valorise", "Montant valorisé ATFPB (€)", 19),
    ("cofinanceurs", "Cofinanceurs", 28),
    ("montants_cofinances", "Montants cofinancés (€)", 20),
    ("indicateurs", "Indicateurs", 36),
    ("calendrier", "Calendrier", 22),
    ("pluriannuelle", "Pluriannuelle (Oui/Non)", 15),
)
COLUMN = {key: index for index, (key, _header, _width) in enumerate(ACTION_COLUMNS, start=1)}
HEADER = {key: header for key, header, _width in ACTION_COLUMNS}
ACTION_AMOUNT_KEYS = ("cout_total", "montant_valorise")

TOTAL = "Total"
SEVERAL = "Plusieurs"
YES, NO = "Oui", "Non"
AXIS_LABELS = tuple(f"{number} - {label}" for number, label in enumerate(AXES, start=1))
AMOUNT_FORMAT = '#,##0.00 "€"'
CENT = Decimal("0.01")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


# --- Template --------------------------------------------------------------------------------
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


def _split_example(codes: list[str]) -> str:
    first, second = codes[:2] if len(codes) >= 2 else ("QN05954M", "QN05952M")
    return f"{first}=1200; {second}=800"


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
            f"de chaque quartier, par exemple « {_split_example(codes)} ». La somme des parts "
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


# --- Reading ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Sheet:
    """One sheet seen twice: as typed (formulas) and as last computed by the spreadsheet program."""

    typed: Worksheet
    computed: Worksheet
    shown_as: str

    def location(self, row: int, column: int) -> Location:
        return Location(self.shown_as, cell=f"{self.typed.title}!{get_column_letter(column)}{row}")

    def error(self, row: int, column: int, message: str) -> DataError:
        return DataError(message, self.location(row, column))

    def location_at(self, reference: str) -> Location:
        """The location of a cell given by its reference, 'B3'."""
        row, column = coordinate_to_tuple(reference)
        return self.location(row, column)

    def error_at(self, reference: str, message: str) -> DataError:
        return DataError(message, self.location_at(reference))

    def typed_value(self, row: int, column: int) -> object:
        return self.typed.cell(row, column).value

    def value(self, row: int, column: int) -> object:
        """The cell's value; a formula gives its last computed result, which must have been saved."""
        typed = self.typed_value(row, column)
        if not _is_formula(typed):
            return typed
        computed = self.computed.cell(row, column).value
        if computed is None:
            raise self.error(
                row,
                column,
                "formule sans résultat enregistré : saisissez le montant en chiffres, "
                "ou enregistrez le classeur depuis votre tableur.",
            )
        return computed

    def is_empty_row(self, row: int, columns: int) -> bool:
        return all(_is_empty(self.typed_value(row, column)) for column in range(1, columns + 1))

    def is_total_row(self, row: int) -> bool:
        return slugify(_text(self.typed_value(row, 1))) == slugify(TOTAL)


def _is_formula(value: object) -> bool:
    return isinstance(value, ArrayFormula | DataTableFormula) or (isinstance(value, str) and value.startswith("="))


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text, the way a French reader typed it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value).strip()


def _collect(problems: list[AtfpbError], step: Callable[[], T]) -> T | None:
    try:
        return step()
    except AtfpbError as error:
        problems.extend(getattr(error, "problems", (error,)))
        return None


def read_programme_workbook(path: Path, shown_as: str, territory: Territory) -> Programme:
    """A programme filled in the workbook of `write_template`; every problem found is reported at its cell."""
    typed, computed = _open(path, shown_as)
    sheets = {name: _Sheet(typed[name], computed[name], shown_as) for name in REQUIRED_SHEETS}
    problems: list[AtfpbError] = []
    commune = _collect(problems, lambda: _read_commune(sheets[INSTRUCTIONS], territory))
    landlord = _collect(problems, lambda: _read_landlord(sheets[INSTRUCTIONS], territory))
    year = _collect(problems, lambda: _read_year(sheets[INSTRUCTIONS]))
    abatement, carry_over, where = _read_abatement(sheets[ABATEMENT], problems)
    actions = _read_actions(sheets[ACTIONS], problems)
    if commune is None or landlord is None or year is None:
        raise_all(problems)
    assert commune is not None and landlord is not None and year is not None  # raise_all has raised otherwise
    where |= {
        key: sheets[INSTRUCTIONS].location_at(cell)
        for key, cell in (("commune", COMMUNE_CELL), ("bailleur", LANDLORD_CELL), ("annee", YEAR_CELL))
    }
    programme = Programme(
        commune=commune,
        bailleur=landlord,
        annee=year,
        abattement=abatement,
        report=carry_over,
        actions=actions,
        source=shown_as,
        where=where,
    )
    reported = {problem.location for problem in problems}  # one message per cell: the reading's comes first
    problems.extend(p for p in validate(programme, territory) if p.location not in reported)
    raise_all(problems)
    return programme


def _open(path: Path, shown_as: str) -> tuple[Workbook, Workbook]:
    """The workbook as typed and as computed; a clear error when it is not a readable .xlsx file."""
    try:
        with warnings.catch_warnings():  # openpyxl warns about Excel features it ignores (extensions, styles)
            warnings.simplefilter("ignore")
            typed = load_workbook(path, data_only=False)
            computed = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise DataError("classeur introuvable.", Location(shown_as)) from None
    except OSError as exc:
        if exc.errno is not None:  # the system could not read it (openpyxl raises OSError without errno too)
            raise DataError(f"lecture impossible ({exc.strerror}).", Location(shown_as)) from None
        raise _not_a_workbook(shown_as) from None
    except (InvalidFileException, BadZipFile, KeyError, ValueError, TypeError, SyntaxError):
        raise _not_a_workbook(shown_as) from None
    missing = [name for name in REQUIRED_SHEETS if name not in typed.sheetnames]
    raise_all(
        [
            DataError(
                f"feuille « {name} » introuvable dans le classeur (feuilles présentes : "
                f"{', '.join(typed.sheetnames)}) : partez du modèle produit par atfpb.",
                Location(shown_as),
            )
            for name in missing
        ]
    )
    return typed, computed


def _not_a_workbook(shown_as: str) -> DataError:
    return DataError(
        "ce fichier n'est pas un classeur Excel (.xlsx) lisible : enregistrez-le au format « Classeur Excel (.xlsx) » "
        "depuis votre tableur.",
        Location(shown_as),
    )


# --- Identification ----------------------------------------------------------------------------
def _identification(sheet: _Sheet, cell: str, label: str) -> str:
    """The text of an identification cell of the « Instructions » sheet, which must not be empty."""
    text = _text(sheet.value(*coordinate_to_tuple(cell)))
    if not text:
        raise sheet.error_at(cell, f"la cellule « {label} » est vide : gardez l'identification du modèle.")
    return text


def _read_commune(sheet: _Sheet, territory: Territory) -> str:
    text = _identification(sheet, COMMUNE_CELL, "Commune")
    by_name = {slugify(n): c.slug for c in territory.communes for n in (c.nom, c.slug)}
    if slugify(text) not in by_name:
        raise sheet.error_at(COMMUNE_CELL, f"commune « {text} » inconnue des fichiers d'instances.")
    return by_name[slugify(text)]


def _read_landlord(sheet: _Sheet, territory: Territory) -> str:
    text = _identification(sheet, LANDLORD_CELL, "Bailleur")
    by_name = {slugify(n): b.slug for b in territory.bailleurs for n in (*b.names, b.slug)}
    if slugify(text) not in by_name:
        raise sheet.error_at(LANDLORD_CELL, f"bailleur « {text} » inconnu du fichier du territoire.")
    return by_name[slugify(text)]


def _read_year(sheet: _Sheet) -> int:
    text = _identification(sheet, YEAR_CELL, "Année")
    if not text.isdigit() or int(text) < 2000:
        raise sheet.error_at(
            YEAR_CELL, f"« Année » doit être une année écrite en chiffres, comme 2025 (lu : « {text} »)."
        )
    return int(text)


# --- Amounts ---------------------------------------------------------------------------------
def _amount(value: object, error: Callable[[str], DataError], label: str) -> Decimal:
    """A non-negative amount in euros, typed as a number or as text (« 4 050,50 € »)."""
    if isinstance(value, bool | date | time):
        raise error(f"« {label} » doit être un montant en euros (lu : « {_text(value)} »).")
    if isinstance(value, int | float):
        amount = Decimal(str(value))
        if not amount.is_finite() or amount < 0:
            raise error(f"« {label} » doit être un montant positif ou nul (lu : « {_text(value)} »).")
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return parse_amount(_text(value), error, label)


def _cell_amount(sheet: _Sheet, row: int, column: int, label: str) -> Decimal | None:
    """The amount of a cell, None when the cell is empty."""
    value = sheet.value(row, column)
    if _is_empty(value):
        return None
    return _amount(value, lambda message: sheet.error(row, column, message), label)


def _quiet_sum(sheet: _Sheet, rows: list[int], column: int) -> Decimal | None:
    """The sum of a column over some rows; None when a cell cannot be read (its row reports it)."""
    try:
        return sum((_cell_amount(sheet, row, column, "") or Decimal(0) for row in rows), Decimal(0))
    except DataError:
        return None


def _typed_total(value: object) -> Decimal | None:
    """A total typed by hand (a number, not the template's formula); None otherwise."""
    if _is_formula(value) or _is_empty(value) or isinstance(value, bool | date | time):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    try:
        return parse_amount(_text(value), DataError, "")
    except DataError:
        return None


def _total_problems(sheet: _Sheet, total_row: int | None, rows: list[int], columns: list[int]) -> list[AtfpbError]:
    """Totals typed by hand over the template's formulas, when they disagree with their lines."""
    problems: list[AtfpbError] = []
    if total_row is None:
        return problems
    for column in columns:
        typed = _typed_total(sheet.typed_value(total_row, column))
        lines = _quiet_sum(sheet, rows, column)
        if typed is not None and lines is not None and typed != lines:
            problems.append(
                sheet.error(
                    total_row,
                    column,
                    (
                        f"total saisi à la main ({french_amount(typed)}) différent de la somme des lignes "
                        f"({french_amount(lines)}) : remettez la formule du modèle ou videz la cellule."
                    ),
                )
            )
    return problems


# --- Sheet « Abattement » ---------------------------------------------------------------------
def _header_problems(sheet: _Sheet, expected: list[str], prefix_only: set[int]) -> list[AtfpbError]:
    """Headers moved or renamed: the columns would be misread, so the sheet is not read further."""
    problems: list[AtfpbError] = []
    for column, header in enumerate(expected, start=1):
        found = _text(sheet.typed_value(1, column))
        matches = (
            slugify(found).startswith(slugify(header)) if column in prefix_only else (slugify(found) == slugify(header))
        )
        if not matches:
            problems.append(
                sheet.error(
                    1,
                    column,
                    f"colonne « {header} » attendue ici (lu : « {found} ») : gardez "
                    "les colonnes du modèle, dans leur ordre.",
                )
            )
    return problems


def _qpv_code(text: str, error: Callable[[str], DataError]) -> str:
    """A QPV code of the 2024 geography, however spaced or cased."""
    code = text.replace(" ", "").upper()
    if not QPV_CODE.match(code):
        raise error(f"code QPV « {text} » mal formé : un code de la géographie 2024 s'écrit comme QN05954M.")
    if code not in qpv_reference():
        raise error(f"le code {code} n'est pas celui d'un quartier prioritaire de la géographie 2024.")
    return code


def _read_abatement(
    sheet: _Sheet, problems: list[AtfpbError]
) -> tuple[tuple[tuple[str, Decimal], ...], tuple[tuple[str, Decimal], ...], dict[str, Location]]:
    where = {"abattement": sheet.location(FIRST_QPV_ROW, ABATEMENT_COLUMN)}
    headers = ["Code QPV", "Nom du quartier", "Logements éligibles", "Abattement", "Report"]
    header_problems = _header_problems(sheet, headers, {ABATEMENT_COLUMN, CARRY_OVER_COLUMN})
    if header_problems:
        problems.extend(header_problems)
        return (), (), where
    amounts: dict[str, list[tuple[str, Decimal]]] = {"abattement": [], "report": []}
    seen: set[str] = set()
    rows, total_row = [], None
    for row in range(FIRST_QPV_ROW, sheet.typed.max_row + 1):
        if sheet.is_total_row(row):
            total_row = row
        elif not sheet.is_empty_row(row, CARRY_OVER_COLUMN):
            rows.append(row)
            _read_abatement_row(sheet, row, seen, amounts, where, problems)
    problems.extend(_total_problems(sheet, total_row, rows, [ABATEMENT_COLUMN, CARRY_OVER_COLUMN]))
    return tuple(amounts["abattement"]), tuple(amounts["report"]), where


def _read_abatement_row(
    sheet: _Sheet,
    row: int,
    seen: set[str],
    amounts: dict[str, list[tuple[str, Decimal]]],
    where: dict[str, Location],
    problems: list[AtfpbError],
) -> None:
    """One QPV row: its code, its abatement and its carry-over (each kept only when given)."""

    def amount_in(column: int) -> Decimal | None:
        return _collect(problems, lambda: _cell_amount(sheet, row, column, _text(sheet.typed_value(1, column))))

    code = _collect(problems, lambda: _abatement_code(sheet, row, seen))
    abatement, carry_over = amount_in(ABATEMENT_COLUMN), amount_in(CARRY_OVER_COLUMN)
    for key, amount in (("abattement", abatement), ("report", carry_over)):
        if code is not None and amount is not None:
            amounts[key].append((code, amount))
            where[f"{key}:{code}"] = sheet.location(row, CODE_COLUMN)  # like YAML: where the code is written


def _abatement_code(sheet: _Sheet, row: int, seen: set[str]) -> str:
    text = _text(sheet.value(row, CODE_COLUMN))
    if not text:
        raise sheet.error(row, CODE_COLUMN, "code QPV manquant sur cette ligne.")
    code = _qpv_code(text, lambda message: sheet.error(row, CODE_COLUMN, message))
    if code in seen:
        raise sheet.error(row, CODE_COLUMN, f"le QPV {code} figure sur deux lignes.")
    seen.add(code)
    return code


# --- Sheet « Actions » ----------------------------------------------------------------------
def _read_actions(sheet: _Sheet, problems: list[AtfpbError]) -> tuple[Action, ...]:
    header_problems = _header_problems(sheet, [header for _key, header, _width in ACTION_COLUMNS], set())
    if header_problems:
        problems.extend(header_problems)
        return ()
    actions, rows, total_row = [], [], None
    for row in range(TOTAL_ROW, sheet.typed.max_row + 1):
        if sheet.is_total_row(row):
            total_row = row
        elif not sheet.is_empty_row(row, len(ACTION_COLUMNS)):
            rows.append(row)
            action = _read_action(sheet, row, problems)
            if action is not None:
                actions.append(action)
    columns = [COLUMN[key] for key in ACTION_AMOUNT_KEYS]
    problems.extend(_total_problems(sheet, total_row, rows, columns))
    return tuple(actions)


def _read_action(sheet: _Sheet, row: int, problems: list[AtfpbError]) -> Action | None:
    """One row of the « Actions » sheet; None when it has problems (added to `problems`)."""
    before = len(problems)

    def attempt(step: Callable[[], T]) -> T | None:
        return _collect(problems, step)

    axis = attempt(lambda: _axis(sheet, row))
    title = attempt(lambda: _required_text(sheet, row, "titre"))
    description = attempt(lambda: _optional_text(sheet, row, "description"))
    indicators = attempt(lambda: _optional_text(sheet, row, "indicateurs"))
    schedule = attempt(lambda: _optional_text(sheet, row, "calendrier"))
    cost = attempt(lambda: _required_amount(sheet, row, "cout_total"))
    valued = attempt(lambda: _required_amount(sheet, row, "montant_valorise"))
    split = attempt(lambda: _repartition(sheet, row, valued))
    cofinancing = attempt(lambda: _cofinancing(sheet, row))
    multi_year = attempt(lambda: _yes_no(sheet, row))
    if len(problems) > before:
        return None
    assert axis is not None and title is not None and cost is not None and valued is not None and split is not None
    where = {key: sheet.location(row, COLUMN[key]) for key, _header, _width in ACTION_COLUMNS}
    where["qpv"] = sheet.location(row, COLUMN["repartition" if _split_given(sheet, row) else "qpv"])
    where["cofinancements"] = sheet.location(row, COLUMN["cofinanceurs"])
    return Action(
        axe=axis,
        titre=title,
        description=description or "",
        repartition=split,
        cout_total=cost,
        montant_valorise=valued,
        cofinancements=cofinancing or (),
        indicateurs=indicators or "",
        calendrier=schedule or "",
        pluriannuelle=bool(multi_year),
        where=where,
    )


def _missing(sheet: _Sheet, row: int, key: str) -> DataError:
    return sheet.error(row, COLUMN[key], f"« {HEADER[key]} » n'est pas rempli pour cette action (obligatoire).")


def _optional_text(sheet: _Sheet, row: int, key: str) -> str:
    """The text of a cell ('' when empty), of reasonable length."""
    text = _text(sheet.value(row, COLUMN[key]))
    if len(text) > MAX_TEXT:
        raise sheet.error(
            row, COLUMN[key], f"« {HEADER[key]} » est trop long ({len(text)} caractères, {MAX_TEXT} au plus)."
        )
    return text


def _required_text(sheet: _Sheet, row: int, key: str) -> str:
    text = _optional_text(sheet, row, key)
    if not text:
        raise _missing(sheet, row, key)
    return text


def _required_amount(sheet: _Sheet, row: int, key: str) -> Decimal:
    amount = _cell_amount(sheet, row, COLUMN[key], HEADER[key])
    if amount is None:
        raise _missing(sheet, row, key)
    return amount


def _axis(sheet: _Sheet, row: int) -> int:
    value = sheet.value(row, COLUMN["axe"])
    text = _text(value)
    if not text:
        raise _missing(sheet, row, "axe")
    axis = axis_number(text)
    if axis is None:
        raise sheet.error(
            row,
            COLUMN["axe"],
            f"axe inconnu « {text} » : un numéro de 1 à {len(AXES)} ou l'intitulé d'un axe, choisi dans la liste.",
        )
    return axis


def _yes_no(sheet: _Sheet, row: int) -> bool:
    text = _text(sheet.value(row, COLUMN["pluriannuelle"]))
    if slugify(text) not in ("", slugify(YES), slugify(NO)):
        raise sheet.error(
            row,
            COLUMN["pluriannuelle"],
            f"« {HEADER['pluriannuelle']} » vaut {YES}, {NO} ou reste vide (lu : « {text} »).",
        )
    return slugify(text) == slugify(YES)


# --- QPV and split -------------------------------------------------------------------------
def _split_given(sheet: _Sheet, row: int) -> bool:
    return not _is_empty(sheet.typed_value(row, COLUMN["repartition"]))


def _several(text: str) -> bool:
    return slugify(text) == slugify(SEVERAL)


def _single_code(sheet: _Sheet, row: int) -> str:
    text = _text(sheet.value(row, COLUMN["qpv"]))
    return _qpv_code(text, lambda message: sheet.error(row, COLUMN["qpv"], message))


def _repartition(sheet: _Sheet, row: int, valued: Decimal | None) -> tuple[tuple[str, Decimal], ...]:
    """The valued amount per QPV: all of it on the QPV chosen, or the split given for « Plusieurs »."""
    qpv = _text(sheet.value(row, COLUMN["qpv"]))
    split_text = _text(sheet.value(row, COLUMN["repartition"]))
    column = COLUMN["repartition"]
    if qpv and not _several(qpv):
        code = _single_code(sheet, row)
        if split_text:
            raise sheet.error(
                row,
                column,
                f"une répartition ne se donne que pour une action sur plusieurs QPV : "
                f"choisissez « {SEVERAL} » dans la colonne QPV, ou videz cette cellule.",
            )
        return ((code, valued if valued is not None else Decimal(0)),)
    if not split_text:
        if not qpv:
            raise _missing(sheet, row, "qpv")
        raise sheet.error(
            row,
            column,
            f"l'action porte sur plusieurs QPV : indiquez la part de chacun, par exemple « {_split_example([])} ».",
        )
    split = _parse_split(split_text, lambda message: sheet.error(row, column, message))
    if len(split) == 1 and valued is not None and split[0][1] != valued:
        raise sheet.error(
            row,
            column,
            f"la répartition entre QPV ({french_amount(split[0][1])}) ne correspond pas au montant valorisé "
            f"({french_amount(valued)}).",
        )
    return split


def _parse_split(text: str, error: Callable[[str], DataError]) -> tuple[tuple[str, Decimal], ...]:
    """« QN05954M=1200; QN05952M=800 » (also « : » for « = », and line breaks for « ; »)."""
    pairs: list[tuple[str, Decimal]] = []
    for part in (p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        separator = "=" if "=" in part else ":"
        if part.count(separator) != 1:
            raise error(
                f"répartition illisible « {text} » : écrivez « code=montant » pour chaque QPV, séparés par "
                f"« ; », par exemple « {_split_example([])} »."
            )
        raw_code, raw_amount = part.split(separator)
        code = _qpv_code(raw_code.strip(), error)
        if code in {c for c, _amount in pairs}:
            raise error(f"le QPV {code} figure deux fois dans la répartition.")
        pairs.append((code, parse_amount(raw_amount, error, f"part de {code}")))
    if not pairs:
        raise error(f"répartition vide : indiquez la part de chaque QPV, par exemple « {_split_example([])} ».")
    return tuple(pairs)


# --- Cofinancing ---------------------------------------------------------------------------
def _cofinancing(sheet: _Sheet, row: int) -> tuple[Cofinancing, ...]:
    """Co-financers and their amounts, two lists separated by « ; » in the same order."""
    names_column, amounts_column = COLUMN["cofinanceurs"], COLUMN["montants_cofinances"]
    names = [n.strip() for n in _text(sheet.value(row, names_column)).replace("\n", ";").split(";") if n.strip()]
    raw_amounts = sheet.value(row, amounts_column)
    label = HEADER["montants_cofinances"]

    def error(message: str) -> DataError:
        return sheet.error(row, amounts_column, message)

    if isinstance(raw_amounts, int | float) and not isinstance(raw_amounts, bool):
        amounts = [_amount(raw_amounts, error, label)]
    else:
        parts = _text(raw_amounts).replace("\n", ";").split(";")
        amounts = [parse_amount(part, error, label) for part in parts if part.strip()]
    if amounts and not names:
        raise sheet.error(row, names_column, "des montants cofinancés sont indiqués sans leurs cofinanceurs.")
    if len(names) != len(amounts):
        raise error(
            f"{len(names)} cofinanceur(s) pour {len(amounts)} montant(s) : donnez un montant par "
            "cofinanceur, dans le même ordre, séparés par « ; »."
        )
    return tuple(Cofinancing(name, amount) for name, amount in zip(names, amounts, strict=True))
