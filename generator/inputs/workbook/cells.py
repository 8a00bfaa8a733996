"""Reading a programme workbook's cells: values as typed and as computed, text, amounts, QPV codes, splits."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from ...errors import AtfpbError, DataError, Location
from ...pending import PendingAmount
from ...text import fold, slugify
from ...typography import french_amount, read_amount
from ..referentials import QPV_CODE, qpv_reference
from ..yaml_reader import parse_amount
from .layout import NO, TOTAL, YES

CENT = Decimal("0.01")
PENDING_WORDS = "a confirmer"  # folded: « À confirmer », « à confirmer : »


@dataclass(frozen=True)
class Sheet:
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
        """The value typed in an input cell; a formula there is refused (its saved result may be stale: atfpb
        reads what is typed, and computes the totals itself)."""
        typed = self.typed_value(row, column)
        if is_formula(typed):
            raise self.error(
                row,
                column,
                "formule dans une cellule de saisie : saisissez la valeur elle-même (atfpb calcule les totaux).",
            )
        return typed

    def saved_result(self, row: int, column: int) -> object:
        """The result the spreadsheet program saved for a formula cell (None if it saved none)."""
        return self.computed.cell(row, column).value

    def is_empty_row(self, row: int, columns: int) -> bool:
        return all(is_empty(self.typed_value(row, column)) for column in range(1, columns + 1))

    def is_total_row(self, row: int) -> bool:
        return slugify(cell_text(self.typed_value(row, 1))) == slugify(TOTAL)


def is_formula(value: object) -> bool:
    return isinstance(value, ArrayFormula | DataTableFormula) or (isinstance(value, str) and value.startswith("="))


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
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
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), str(value)).strip()


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how Excel writes a control character (« _x000D_ »)


def amount_of(value: object, error: Callable[[str], DataError], label: str) -> Decimal:
    """A non-negative amount in euros, typed as a number or as text (« 4 050,50 € »)."""
    if isinstance(value, date | time):
        raise error(
            f"« {label} » contient une date (lu : « {cell_text(value)} ») : la cellule est au format date ; "
            "mettez-la au format nombre et saisissez le montant."
        )
    if isinstance(value, bool):
        raise error(f"« {label} » doit être un montant en euros (lu : « {cell_text(value)} »).")
    if isinstance(value, int | float):
        amount = Decimal(str(value))
        if not amount.is_finite() or amount < 0:
            raise error(f"« {label} » doit être un montant positif ou nul (lu : « {cell_text(value)} »).")
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return parse_amount(cell_text(value), error, label)


def provisional(value: object) -> str | None:
    """What follows « à confirmer » when a cell starts with it (a value not yet confirmed), else None."""
    text = cell_text(value)
    if not fold(text).startswith(PENDING_WORDS):
        return None
    return text[len(PENDING_WORDS) :].lstrip(" :").strip()


def amount_or_provisional(value: object, error: Callable[[str], DataError], label: str, where: Location) -> Decimal:
    """An amount, or « à confirmer 4 050 »: a provisional amount, marked so (generator.pending)."""
    rest = provisional(value)
    if rest is None:
        return amount_of(value, error, label)
    if not rest:
        raise error(
            f"« {label} » à confirmer : écrivez un montant provisoire après « à confirmer » (à confirmer 4050)."
        )
    return PendingAmount(parse_amount(rest, error, label), where, label)


def cell_amount(sheet: Sheet, row: int, column: int, label: str) -> Decimal | None:
    """The amount of a cell (perhaps provisional), None when the cell is empty."""
    value = sheet.value(row, column)
    if is_empty(value):
        return None
    return amount_or_provisional(
        value, lambda message: sheet.error(row, column, message), label, sheet.location(row, column)
    )


def _quiet_sum(sheet: Sheet, rows: list[int], column: int) -> Decimal | None:
    """The sum of a column over some rows; None when a cell cannot be read (its row reports it)."""
    try:
        return sum((cell_amount(sheet, row, column, "") or Decimal(0) for row in rows), Decimal(0))
    except DataError:
        return None


def _typed_total(value: object) -> Decimal | None:
    """A total typed by hand (a number, not the template's formula); None otherwise."""
    if is_formula(value) or is_empty(value) or isinstance(value, bool | date | time):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    amount = read_amount(cell_text(value))
    if amount is None or amount < 0 or amount != amount.quantize(CENT):
        return None
    return amount.quantize(CENT)


def total_problems(sheet: Sheet, total_row: int | None, rows: list[int], columns: list[int]) -> list[AtfpbError]:
    """Totals typed by hand over the template's formulas, when they disagree with their lines."""
    problems: list[AtfpbError] = []
    if total_row is None:
        return problems
    for column in columns:
        typed = _typed_total(sheet.typed_value(total_row, column))
        lines = _quiet_sum(sheet, rows, column)
        if is_formula(sheet.typed_value(total_row, column)):
            problems.extend(_stale_total(sheet, total_row, column, lines))
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


def _stale_total(sheet: Sheet, row: int, column: int, lines: Decimal | None) -> list[AtfpbError]:
    """The template's total formula: what the spreadsheet saved must be what the lines add up to."""
    saved = sheet.saved_result(row, column)
    if lines is None or not isinstance(saved, int | float) or isinstance(saved, bool):
        return []  # nothing saved (a file written by a program), or lines reported on their own
    if Decimal(str(saved)).quantize(CENT, rounding=ROUND_HALF_UP) == lines:
        return []
    return [
        sheet.error(
            row,
            column,
            f"le total enregistré ({french_amount(Decimal(str(saved)))}) ne correspond pas à la somme des lignes "
            f"({french_amount(lines)}) : le classeur n'a pas été recalculé ; ouvrez-le et enregistrez-le à nouveau.",
        )
    ]


def header_problems(sheet: Sheet, expected: list[str], prefix_only: set[int]) -> list[AtfpbError]:
    """Headers moved or renamed: the columns would be misread, so the sheet is not read further."""
    problems: list[AtfpbError] = []
    for column, header in enumerate(expected, start=1):
        found = cell_text(sheet.typed_value(1, column))
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


def qpv_code(text: str, error: Callable[[str], DataError]) -> str:
    """A QPV code of the 2024 geography, however spaced or cased."""
    code = text.replace(" ", "").upper()
    if not QPV_CODE.match(code):
        raise error(f"code QPV « {text} » mal formé : un code de la géographie 2024 s'écrit comme QN05954M.")
    if code not in qpv_reference():
        raise error(f"le code {code} n'est pas celui d'un quartier prioritaire de la géographie 2024.")
    return code
