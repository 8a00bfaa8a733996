"""Reading a filled programme workbook into a Programme; every problem is reported at its cell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl.utils.cell import coordinate_to_tuple

from ...errors import Collector, DataError, Location
from ...model.programme import AXES, Action, ActionPlaces, Cofinancing, Programme, ProgrammePlaces, axis_number
from ...model.territory import Territory
from ...pending import PendingText, marked, pending
from ...text import slugify
from ...typography import french_amount
from ..instances import landlord_named
from ..programmes import commune_in, validate
from ..yaml_reader import MAX_TEXT
from .cells import (
    Sheet,
    amount_of,
    amount_or_provisional,
    cell_amount,
    cell_text,
    header_problems,
    is_empty,
    parse_split,
    provisional,
    qpv_code,
    total_problems,
)
from .layout import (
    ABATEMENT,
    ABATEMENT_COLUMN,
    ABATEMENT_HEADERS,
    ACTION_AMOUNT_KEYS,
    ACTION_COLUMNS,
    ACTIONS,
    CARRY_OVER_COLUMN,
    CODE_COLUMN,
    COLUMN,
    COMMUNE_CELL,
    FIRST_QPV_ROW,
    HEADER,
    INSTRUCTIONS,
    LANDLORD_CELL,
    NO,
    REQUIRED_SHEETS,
    SEVERAL,
    TOTAL_ROW,
    YEAR_CELL,
    YES,
    split_example,
)
from .opening import open_workbook


def read_programme_workbook(path: Path, shown_as: str, territory: Territory) -> Programme:
    """A programme filled in the workbook of `write_template`; every problem found is reported at its cell."""
    typed, computed = open_workbook(path, shown_as)
    sheets = {name: Sheet(typed[name], computed[name], shown_as) for name in REQUIRED_SHEETS}
    problems = Collector()
    identification = sheets[INSTRUCTIONS]

    def named(cell: str, label: str) -> tuple[str, Callable[[str], DataError]]:
        return _identification(identification, cell, label), lambda message: identification.error_at(cell, message)

    commune = problems.attempt(lambda: commune_in(territory, *named(COMMUNE_CELL, "Commune")))
    landlord = problems.attempt(lambda: landlord_named(territory.bailleurs, *named(LANDLORD_CELL, "Bailleur")))
    year = problems.attempt(lambda: _read_year(identification))
    abatement = _read_abatement(sheets[ABATEMENT], problems)
    actions = _read_actions(sheets[ACTIONS], problems)
    if commune is None or landlord is None or year is None:
        problems.raise_any()
    assert commune is not None and landlord is not None and year is not None  # raised otherwise
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


# --- Sheet « Actions » ----------------------------------------------------------------------
def _read_actions(sheet: Sheet, problems: Collector) -> tuple[Action, ...]:
    found = header_problems(sheet, [header for _key, header, _width in ACTION_COLUMNS], set())
    if found:
        problems.extend(found)
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
    problems.extend(total_problems(sheet, total_row, rows, [COLUMN[key] for key in ACTION_AMOUNT_KEYS]))
    return tuple(actions)


def _read_action(sheet: Sheet, row: int, problems: Collector) -> Action | None:
    """One row of the « Actions » sheet; None when it has problems (added to `problems`)."""
    before = len(problems.problems)
    attempt = problems.attempt
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
    if len(problems.problems) > before:
        return None
    assert axis is not None and title is not None and cost is not None and valued is not None and split is not None
    places = ActionPlaces(
        **{key: sheet.location(row, COLUMN[key]) for key in ("axe", "titre", "cout_total", "montant_valorise")},
        qpv=sheet.location(row, COLUMN["repartition" if _split_given(sheet, row) else "qpv"]),
        cofinancements=sheet.location(row, COLUMN["cofinanceurs"]),
    )
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
        places=places,
    )


def _missing(sheet: Sheet, row: int, key: str) -> DataError:
    return sheet.error(row, COLUMN[key], f"« {HEADER[key]} » n'est pas rempli pour cette action (obligatoire).")


def _optional_text(sheet: Sheet, row: int, key: str) -> str:
    """The text of a cell ('' when empty), of reasonable length; « à confirmer … » marks it not yet confirmed."""
    value = sheet.value(row, COLUMN[key])
    rest = provisional(value)
    text = cell_text(value) if rest is None else rest
    if len(text) > MAX_TEXT:
        raise sheet.error(
            row, COLUMN[key], f"« {HEADER[key]} » est trop long ({len(text)} caractères, {MAX_TEXT} au plus)."
        )
    return text if rest is None else PendingText(text, sheet.location(row, COLUMN[key]), HEADER[key])


def _required_text(sheet: Sheet, row: int, key: str) -> str:
    text = _optional_text(sheet, row, key)
    if not text and pending(text) is None:
        raise _missing(sheet, row, key)
    return text


def _required_amount(sheet: Sheet, row: int, key: str) -> Decimal:
    amount = cell_amount(sheet, row, COLUMN[key], HEADER[key])
    if amount is None:
        raise _missing(sheet, row, key)
    return amount


def _axis(sheet: Sheet, row: int) -> int:
    value = sheet.value(row, COLUMN["axe"])
    text = cell_text(value)
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


def _yes_no(sheet: Sheet, row: int) -> bool:
    text = cell_text(sheet.value(row, COLUMN["pluriannuelle"]))
    if slugify(text) not in ("", slugify(YES), slugify(NO)):
        raise sheet.error(
            row,
            COLUMN["pluriannuelle"],
            f"« {HEADER['pluriannuelle']} » vaut {YES}, {NO} ou reste vide (lu : « {text} »).",
        )
    return slugify(text) == slugify(YES)


# --- QPV and split -------------------------------------------------------------------------
def _split_given(sheet: Sheet, row: int) -> bool:
    return not is_empty(sheet.typed_value(row, COLUMN["repartition"]))


def _several(text: str) -> bool:
    return slugify(text) == slugify(SEVERAL)


def _single_code(sheet: Sheet, row: int) -> str:
    text = cell_text(sheet.value(row, COLUMN["qpv"]))
    return qpv_code(text, lambda message: sheet.error(row, COLUMN["qpv"], message))


def _repartition(sheet: Sheet, row: int, valued: Decimal | None) -> tuple[tuple[str, Decimal], ...]:
    """The valued amount per QPV: all of it on the QPV chosen, or the split given for « Plusieurs »."""
    qpv = cell_text(sheet.value(row, COLUMN["qpv"]))
    split_text = cell_text(sheet.value(row, COLUMN["repartition"]))
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
            f"l'action porte sur plusieurs QPV : indiquez la part de chacun, par exemple « {split_example([])} ».",
        )
    split = parse_split(split_text, lambda message: sheet.error(row, column, message))
    if len(split) == 1 and valued is not None and split[0][1] != valued:
        raise sheet.error(
            row,
            column,
            f"la répartition entre QPV ({french_amount(split[0][1])}) ne correspond pas au montant valorisé "
            f"({french_amount(valued)}).",
        )
    return tuple((code, marked(amount, valued)) for code, amount in split)  # parts of a provisional amount are too


# --- Co-funding ---------------------------------------------------------------------------
def _cofinancing(sheet: Sheet, row: int) -> tuple[Cofinancing, ...]:
    """Co-financers and their amounts, two lists separated by « ; » in the same order."""
    names_column, amounts_column = COLUMN["cofinanceurs"], COLUMN["montants_cofinances"]
    names = [n.strip() for n in cell_text(sheet.value(row, names_column)).replace("\n", ";").split(";") if n.strip()]
    raw_amounts = sheet.value(row, amounts_column)
    label = HEADER["montants_cofinances"]

    def error(message: str) -> DataError:
        return sheet.error(row, amounts_column, message)

    where = sheet.location(row, amounts_column)
    if isinstance(raw_amounts, int | float) and not isinstance(raw_amounts, bool):
        amounts = [amount_of(raw_amounts, error, label)]
    else:
        parts = cell_text(raw_amounts).replace("\n", ";").split(";")
        amounts = [amount_or_provisional(part, error, label, where) for part in parts if part.strip()]
    if amounts and not names:
        raise sheet.error(row, names_column, "des montants cofinancés sont indiqués sans leurs cofinanceurs.")
    if len(names) != len(amounts):
        raise error(
            f"{len(names)} cofinanceur(s) pour {len(amounts)} montant(s) : donnez un montant par "
            "cofinanceur, dans le même ordre, séparés par « ; »."
        )
    return tuple(Cofinancing(name, amount) for name, amount in zip(names, amounts, strict=True))
