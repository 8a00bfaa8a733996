"""Reading a filled programme workbook into a Programme: its identification, its date, the abatement per QPV (the
actions are read by actions.py); every problem is reported at its cell."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl.utils.cell import coordinate_to_tuple

from ...errors import Collector, DataError, Location
from ...model.programme import Programme, ProgrammePlaces
from ...model.territory import Territory
from ...text import slugify
from ..instances import landlord_named
from ..programmes import commune_in, validate
from .actions import read_actions
from .cells import (
    Sheet,
    cell_amount,
    cell_text,
    header_problems,
    is_empty,
    qpv_code,
    total_problems,
)
from .layout import (
    ABATEMENT,
    ABATEMENT_COLUMN,
    ABATEMENT_HEADERS,
    ACTIONS,
    CARRY_OVER_COLUMN,
    CODE_COLUMN,
    COMMUNE_CELL,
    DATE_CELL,
    FIRST_QPV_ROW,
    IDENTITY_PROPERTY,
    INSTRUCTIONS,
    LANDLORD_CELL,
    LAYOUT_PROPERTY,
    LAYOUT_VERSION,
    REQUIRED_SHEETS,
    YEAR_CELL,
)
from .opening import open_workbook


def read_programme_workbook(path: Path, shown_as: str, territory: Territory) -> Programme:
    """A programme filled in the workbook of `write_template`; every problem found is reported at its cell."""
    typed, computed = open_workbook(path, shown_as)
    properties = {p.name: str(p.value) for p in typed.custom_doc_props.props}
    if properties.get(LAYOUT_PROPERTY) != LAYOUT_VERSION:
        raise DataError(
            "ce classeur n'est pas fait sur le modèle actuel d'atfpb (ancien modèle, ou classeur fait à la main) : "
            "préparez-le à nouveau avec « atfpb programme-template COMMUNE BAILLEUR ANNÉE » et recopiez-y le "
            "programme.",
            Location(shown_as),
        )
    sheets = {name: Sheet(typed[name], computed[name], shown_as) for name in REQUIRED_SHEETS}
    problems = Collector()
    identification = sheets[INSTRUCTIONS]

    def named(cell: str, label: str) -> tuple[str, Callable[[str], DataError]]:
        return _identification(identification, cell, label), lambda message: identification.error_at(cell, message)

    commune = problems.attempt(lambda: commune_in(territory, *named(COMMUNE_CELL, "Commune")))
    landlord = problems.attempt(lambda: landlord_named(territory.bailleurs, *named(LANDLORD_CELL, "Bailleur")))
    year = problems.attempt(lambda: _read_year(identification))
    if commune is None or landlord is None or year is None:
        problems.raise_any()
    assert commune is not None and landlord is not None and year is not None  # raised otherwise
    problems.extend(_identity_problems(identification, properties, (commune, landlord.slug, year), territory, path))
    problems.raise_any()  # a changed identification would make every other message misleading
    when = problems.attempt(lambda: _read_date(identification, year))
    abatement = _read_abatement(sheets[ABATEMENT], problems)
    owner = territory.commune_named(commune)
    assert owner is not None
    actions = read_actions(sheets[ACTIONS], owner, territory.epci.nom, problems)
    programme = Programme(
        commune=commune,
        bailleur=landlord.slug,
        annee=year,
        abattement=abatement.amounts["abattement"],
        report=abatement.amounts["report"],
        actions=actions,
        source=shown_as,
        places=ProgrammePlaces(
            commune=identification.location_at(COMMUNE_CELL),
            bailleur=identification.location_at(LANDLORD_CELL),
            annee=identification.location_at(YEAR_CELL),
            abattement=sheets[ABATEMENT].location(FIRST_QPV_ROW, ABATEMENT_COLUMN),
            abattement_codes=abatement.codes["abattement"],
            report_codes=abatement.codes["report"],
        ),
        date_document=when,
    )
    reported = {problem.location for problem in problems.problems}  # one message per cell: the reading's comes first
    problems.extend(p for p in validate(programme, territory) if p.location not in reported)
    problems.raise_any()
    return programme


# --- Identification ----------------------------------------------------------------------------
def _identification(sheet: Sheet, cell: str, label: str) -> str:
    """The text of an identification cell of the « Instructions » sheet, which must not be empty."""
    text = cell_text(sheet.value(*coordinate_to_tuple(cell)))
    if not text:
        raise sheet.error_at(cell, f"la cellule « {label} » est vide : gardez l'identification du modèle.")
    return text


def _identity_problems(
    sheet: Sheet, properties: dict[str, str], read: tuple[str, str, int], territory: Territory, path: Path
) -> list[DataError]:
    """The identification cells must still name the convention and year the workbook was prepared for, and a file
    name that names a commune or a year must agree with them."""
    made_for = properties.get(IDENTITY_PROPERTY, "").split("|")
    commune, landlord, year = read
    problems = []
    for cell, label, found, expected in (
        (COMMUNE_CELL, "Commune", commune, made_for[0] if made_for else ""),
        (LANDLORD_CELL, "Bailleur", landlord, made_for[1] if len(made_for) > 1 else ""),
        (YEAR_CELL, "Année", str(year), made_for[2] if len(made_for) > 2 else ""),
    ):
        if found != expected:
            problems.append(
                sheet.error_at(
                    cell,
                    f"« {label} » a été modifié : ce classeur a été préparé pour « {expected} » et indique "
                    f"« {found} ». L'identification ne se modifie pas : préparez le classeur voulu avec "
                    "« atfpb programme-template ».",
                )
            )
    if problems:
        return problems
    stem = slugify(path.stem)
    named_year = re.search(r"(?<!\d)(20\d\d)(?!\d)", stem)
    if named_year and int(named_year.group(1)) != year:
        problems.append(
            sheet.error_at(
                YEAR_CELL,
                f"le nom du fichier ({path.name}) désigne l'année {named_year.group(1)}, le classeur l'année {year} : "
                "renommez le fichier ou déposez le bon classeur.",
            )
        )
    others = [c for c in territory.communes if c.slug != commune and re.search(rf"(^|-){c.slug}(-|$)", stem)]
    if others and not re.search(rf"(^|-){commune}(-|$)", stem):
        problems.append(
            sheet.error_at(
                COMMUNE_CELL,
                f"le nom du fichier ({path.name}) désigne {others[0].nom}, le classeur la commune « {commune} » : "
                "renommez le fichier ou déposez le bon classeur.",
            )
        )
    return problems


def _read_date(sheet: Sheet, year: int) -> date | None:
    """The avenant's date, when given (a date of the programme's year)."""
    value = sheet.value(*coordinate_to_tuple(DATE_CELL))
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date) or value.year != year:
        raise sheet.error_at(
            DATE_CELL, f"« Date de l'avenant » : une date de l'année {year}, ou rien (lu : « {value} »)."
        )
    return value


def _read_year(sheet: Sheet) -> int:
    text = _identification(sheet, YEAR_CELL, "Année")
    if not text.isdigit() or int(text) < 2000:
        raise sheet.error_at(
            YEAR_CELL, f"« Année » doit être une année écrite en chiffres, comme 2025 (lu : « {text} »)."
        )
    return int(text)


# --- Sheet « Abattement » ---------------------------------------------------------------------
_KINDS = {"abattement": ABATEMENT_COLUMN, "report": CARRY_OVER_COLUMN}  # amount kinds and their columns


@dataclass(frozen=True)
class _Abatement:
    """The « Abattement » sheet read: amounts per QPV code, and where each code is written."""

    amounts: dict[str, tuple[tuple[str, Decimal], ...]] = field(default_factory=lambda: dict.fromkeys(_KINDS, ()))
    codes: dict[str, dict[str, Location]] = field(default_factory=lambda: {kind: {} for kind in _KINDS})


def _read_abatement(sheet: Sheet, problems: Collector) -> _Abatement:
    found = header_problems(sheet, list(ABATEMENT_HEADERS), set(_KINDS.values()))
    if found:
        problems.extend(found)
        return _Abatement()
    amounts: dict[str, list[tuple[str, Decimal]]] = {kind: [] for kind in _KINDS}
    codes: dict[str, dict[str, Location]] = {kind: {} for kind in _KINDS}
    seen: set[str] = set()
    rows, total_row = [], None
    for row in range(FIRST_QPV_ROW, sheet.typed.max_row + 1):
        if sheet.is_total_row(row):
            total_row = row
        elif not sheet.is_empty_row(row, CARRY_OVER_COLUMN):
            rows.append(row)
            code = problems.attempt(lambda row=row: _abatement_code(sheet, row, seen))  # type: ignore[misc]
            for kind, column in _KINDS.items():
                amount = problems.attempt(lambda row=row, column=column: _header_amount(sheet, row, column))  # type: ignore[misc]
                if code is not None and amount is not None:
                    amounts[kind].append((code, amount))
                    codes[kind][code] = sheet.location(row, CODE_COLUMN)  # like YAML: where the code is written
    problems.extend(total_problems(sheet, total_row, rows, list(_KINDS.values())))
    return _Abatement({kind: tuple(pairs) for kind, pairs in amounts.items()}, codes)


def _header_amount(sheet: Sheet, row: int, column: int) -> Decimal | None:
    """A cell's amount, named in messages by its column's header."""
    return cell_amount(sheet, row, column, cell_text(sheet.typed_value(1, column)))


def _abatement_code(sheet: Sheet, row: int, seen: set[str]) -> str:
    text = cell_text(sheet.value(row, CODE_COLUMN))
    if not text:
        raise sheet.error(row, CODE_COLUMN, "code QPV manquant sur cette ligne.")
    code = qpv_code(text, lambda message: sheet.error(row, CODE_COLUMN, message))
    if code in seen:
        raise sheet.error(row, CODE_COLUMN, f"le QPV {code} figure sur deux lignes.")
    seen.add(code)
    return code
