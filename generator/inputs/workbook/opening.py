"""Opening a programme workbook safely and as a human sees it: package limits, no macros, no hidden or merged
data, a bounded extent; every refusal a French message naming the file, sheet or cell."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from zipfile import BadZipFile, ZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ...errors import Collector, DataError, Location, raise_all
from ...zipguard import package_problem
from .layout import ABATEMENT, ACTIONS, FIRST_ACTION_ROW, FIRST_QPV_ROW, INSTRUCTIONS, LAST_ACTION_ROW, REQUIRED_SHEETS

MAX_BYTES = 10_000_000  # a filled template weighs some 30 kB
MAX_UNPACKED = 50_000_000
MAX_ROWS = {INSTRUCTIONS: 200, ABATEMENT: 200, ACTIONS: LAST_ACTION_ROW + 300}
MAX_COLUMNS = 40
OTHER_MAX_ROWS = 1000  # another workbook's sheet (the bilan's)
DATA_FROM = {ABATEMENT: FIRST_QPV_ROW, ACTIONS: FIRST_ACTION_ROW, INSTRUCTIONS: 3}  # where typed data begins


def open_workbook(
    path: Path, shown_as: str, sheets: Sequence[str] = REQUIRED_SHEETS
) -> tuple[Workbook, Workbook]:
    """The workbook as typed and as computed, once it is known to be safe and its `sheets` shown whole."""
    _refuse_package(path, shown_as)
    typed, computed = _load(path, shown_as, sheets)
    problems = Collector()
    for name in sheets:
        problems.extend(_sheet_problems(typed[name], shown_as))
    problems.raise_any()
    return typed, computed


def _refuse_package(path: Path, shown_as: str) -> None:
    """A file too large, a compression bomb or a workbook with macros is refused before openpyxl reads it."""
    where = Location(shown_as)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataError("classeur introuvable.", where) from None
    except OSError as exc:
        raise DataError(f"lecture impossible ({exc.strerror}).", where) from None
    if size > MAX_BYTES:
        raise DataError(
            f"classeur trop volumineux ({size // 1_000_000} Mo, {MAX_BYTES // 1_000_000} Mo au plus) : partez du "
            "modèle produit par atfpb.",
            where,
        )
    if path.suffix.lower() == ".xlsm" or _has_macros(path):
        raise DataError(
            "classeur avec macros : refusé. Enregistrez-le au format « Classeur Excel (.xlsx) », sans macros.", where
        )
    problem = package_problem(path, "classeur", MAX_UNPACKED)
    if problem is not None and "illisible ou endommagé" not in problem:
        raise DataError(problem, where)


def _has_macros(path: Path) -> bool:
    try:
        with ZipFile(path) as package:
            return any(name.lower().endswith("vbaproject.bin") for name in package.namelist())
    except (BadZipFile, OSError):
        return False  # not a workbook at all: said by the loader


def _load(path: Path, shown_as: str, sheets: Sequence[str]) -> tuple[Workbook, Workbook]:
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
    missing = [name for name in sheets if name not in typed.sheetnames]
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


def _sheet_problems(sheet: Worksheet, shown_as: str) -> list[DataError]:
    """A sheet the programme is read from: visible, of a bounded extent, no hidden rows or columns holding data,
    no merged cells where data is typed."""
    title = sheet.title
    if sheet.sheet_state != "visible":
        return [
            DataError(
                f"la feuille « {title} » est masquée : affichez-la (clic droit sur les onglets, « Afficher ») et "
                "vérifiez son contenu ; atfpb ne lit que ce qu'un lecteur voit.",
                Location(shown_as),
            )
        ]
    if sheet.max_row > MAX_ROWS.get(title, OTHER_MAX_ROWS) or sheet.max_column > MAX_COLUMNS:
        corner = f"{get_column_letter(sheet.max_column)}{sheet.max_row}"
        return [
            DataError(
                f"la feuille « {title} » s'étend jusqu'à la cellule {corner} : supprimez les lignes et colonnes "
                f"au-delà du tableau ({MAX_ROWS.get(title, OTHER_MAX_ROWS)} lignes et {MAX_COLUMNS} colonnes au plus).",
                Location(shown_as, cell=f"{title}!{corner}"),
            )
        ]
    return _hidden_data(sheet, shown_as) + _merged_data(sheet, shown_as)


def _hidden_data(sheet: Worksheet, shown_as: str) -> list[DataError]:
    problems = []
    for row, dimension in sorted(sheet.row_dimensions.items()):
        if dimension.hidden and row <= sheet.max_row and _row_has_data(sheet, row):
            problems.append(
                DataError(
                    f"la ligne {row} de la feuille « {sheet.title} » est masquée et contient des données : "
                    "affichez-la ou videz-la.",
                    Location(shown_as, cell=f"{sheet.title}!A{row}"),
                )
            )
    for letter, dimension in sorted(sheet.column_dimensions.items()):
        hidden = [get_column_letter(c) for c in range(dimension.min or 1, (dimension.max or 0) + 1)] or [letter]
        for column in hidden if dimension.hidden else ():
            if _column_has_data(sheet, column):
                problems.append(
                    DataError(
                        f"la colonne {column} de la feuille « {sheet.title} » est masquée et contient des données : "
                        "affichez-la ou videz-la.",
                        Location(shown_as, cell=f"{sheet.title}!{column}1"),
                    )
                )
    return problems


def _row_has_data(sheet: Worksheet, row: int) -> bool:
    return any(cell.value not in (None, "") for cell in sheet[row])


def _column_has_data(sheet: Worksheet, column: str) -> bool:
    return any(cell.value not in (None, "") for cell in sheet[column][DATA_FROM.get(sheet.title, 2) - 1 :])


def _merged_data(sheet: Worksheet, shown_as: str) -> list[DataError]:
    return [
        DataError(
            f"cellules fusionnées ({merged.coord}) là où se saisissent les données : défusionnez-les et écrivez "
            "chaque valeur dans sa cellule.",
            Location(shown_as, cell=f"{sheet.title}!{merged.coord}"),
        )
        for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
        if merged.max_row >= DATA_FROM.get(sheet.title, 2)
    ]
