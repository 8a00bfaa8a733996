"""Reading the first sheet of a landlords' dwellings workbook (.xlsx) as rows of cell values."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ...errors import DataError, Location


@dataclass(frozen=True)
class SheetRows:
    """The non-empty rows of a sheet: each with its number (1-based) and its values as last computed."""

    title: str
    rows: tuple[tuple[int, tuple[object, ...]], ...]


def cell_reference(title: str, row: int, column: int) -> str:
    """'Feuil1!B4' for row 4, column 2 (1-based)."""
    return f"{title}!{get_column_letter(column)}{row}"


def read_first_sheet(path: Path, shown_as: str) -> SheetRows:
    """The first sheet's rows; a clear French error when the file is not a readable .xlsx workbook."""
    try:
        with warnings.catch_warnings():  # openpyxl warns about Excel features it ignores
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = tuple(
                (number, tuple(values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                if any(not _blank(value) for value in values)
            )
            workbook.close()
    except OSError as exc:
        if exc.errno is not None:
            raise DataError(f"lecture impossible ({exc.strerror}).", Location(shown_as)) from None
        raise _not_a_workbook(shown_as) from None
    except (InvalidFileException, BadZipFile, KeyError, ValueError, TypeError, SyntaxError, IndexError):
        raise _not_a_workbook(shown_as) from None
    return SheetRows(sheet.title, rows)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _not_a_workbook(shown_as: str) -> DataError:
    return DataError(
        "classeur illisible : ce n'est pas un classeur Excel .xlsx (enregistrez-le au format .xlsx ou .csv).",
        Location(shown_as),
    )
