"""The « Actions » sheet: one row per action and QPV, rows sharing an action number making one action over several
QPV, co-funders in named columns; every problem reported at its cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ...errors import Collector, DataError, Location
from ...model.programme import AXES, Action, ActionPlaces, Cofinancing, axis_number
from ...model.territory import Commune
from ...pending import PendingText, pending, total
from ...text import slugify
from ...typography import french_of
from ..yaml_reader import MAX_TEXT
from .cells import Sheet, cell_amount, cell_text, header_problems, is_empty, provisional, qpv_code, total_problems
from .layout import (
    ACTION_AMOUNT_KEYS,
    ACTION_COLUMNS,
    COFUNDER_KEYS,
    COLUMN,
    FIRST_ACTION_ROW,
    HEADER,
    NO,
    QPV_SEPARATOR,
    SHARED_KEYS,
    TOTAL_ROW,
    YES,
    cofunder_headers,
    cofunder_name,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class _Line:
    """One row: its action number (None: an action of its own), what it says of the action, and this QPV's part."""

    row: int
    number: int | None
    shared: dict[str, object]  # axe, titre, description, indicateurs, calendrier, pluriannuelle, autre_financeur
    qpv: str
    cost: Decimal
    valued: Decimal
    cofunding: dict[str, Decimal] = field(default_factory=dict)  # co-funder's name -> amount


def read_actions(sheet: Sheet, commune: Commune, epci_name: str, problems: Collector) -> tuple[Action, ...]:
    """The actions of the sheet, each made of its rows; problems are added to `problems`."""
    headers = {**HEADER, **cofunder_headers(french_of(commune.nom), epci_name)}
    found = header_problems(sheet, [headers[key] for key, _header, _width in ACTION_COLUMNS], set())
    if found:
        problems.extend(found)
        return ()
    lines, rows, total_row, failed = [], [], None, set()
    for row in range(TOTAL_ROW, sheet.typed.max_row + 1):
        if sheet.is_total_row(row):
            total_row = row
        elif row >= FIRST_ACTION_ROW and not sheet.is_empty_row(row, len(ACTION_COLUMNS)):
            rows.append(row)
            line = _read_line(sheet, row, headers, problems)
            if line is None:
                failed.add(_number_or_none(sheet, row))  # its action's other rows would only repeat the problem
            else:
                lines.append(line)
    problems.extend(total_problems(sheet, total_row, rows, [COLUMN[key] for key in ACTION_AMOUNT_KEYS]))
    groups: dict[object, list[_Line]] = {}
    for line in lines:
        if line.number is None or line.number not in failed:
            groups.setdefault(line.number if line.number is not None else ("ligne", line.row), []).append(line)
    actions = [problems.attempt(lambda group=group: _action(sheet, group)) for group in groups.values()]  # type: ignore[misc]
    return tuple(a for a in actions if a is not None)


def _read_line(sheet: Sheet, row: int, headers: dict[str, str], problems: Collector) -> _Line | None:
    """One row of the sheet; None when it has problems (added to `problems`)."""
    before = len(problems.problems)
    attempt = problems.attempt
    number = attempt(lambda: _number(sheet, row))
    shared: dict[str, object] = {
        "axe": attempt(lambda: _axis(sheet, row)),
        "pluriannuelle": attempt(lambda: _yes_no(sheet, row)),
        **{key: attempt(lambda key=key: _optional_text(sheet, row, key)) for key in SHARED_KEYS[1:-2]},  # type: ignore[misc]
        "autre_financeur": attempt(lambda: _optional_text(sheet, row, "autre_financeur")),
    }
    qpv = attempt(lambda: _qpv(sheet, row))
    cost = attempt(lambda: _required_amount(sheet, row, "cout_total"))
    valued = attempt(lambda: _required_amount(sheet, row, "montant_valorise"))
    cofunding = attempt(lambda: _cofunding(sheet, row, headers, str(shared.get("autre_financeur") or "")))
    if len(problems.problems) > before:
        return None
    assert qpv is not None and cost is not None and valued is not None
    return _Line(row, number, shared, qpv, cost, valued, cofunding or {})


def _action(sheet: Sheet, lines: list[_Line]) -> Action:
    """The rows of one action merged: what they share written once (or identically), amounts added per QPV."""
    first = lines[0]
    shared = dict(first.shared)
    for line in lines[1:]:
        for key, value in line.shared.items():
            if value in (None, "", False):
                continue
            if shared.get(key) in (None, "", False):
                shared[key] = value
            elif value != shared[key]:
                raise sheet.error(
                    line.row,
                    COLUMN[key],
                    f"l'action n° {first.number} indique déjà autre chose ligne {first.row} "
                    f"(« {HEADER[key]} ») : laissez cette cellule vide ou écrivez la même chose.",
                )
    seen: dict[str, int] = {}
    for line in lines:
        if line.qpv in seen:
            raise sheet.error(
                line.row,
                COLUMN["qpv"],
                f"le QPV {line.qpv} figure déjà ligne {seen[line.qpv]} pour l'action n° {first.number} : une ligne "
                "par quartier.",
            )
        seen[line.qpv] = line.row
    if shared.get("axe") is None:
        raise _missing(sheet, first.row, "axe")
    if not shared.get("titre") and pending(shared.get("titre")) is None:
        raise _missing(sheet, first.row, "titre")
    names = list(dict.fromkeys(name for line in lines for name in line.cofunding))
    return Action(
        axe=int(shared["axe"]),  # type: ignore[call-overload]
        titre=str(shared["titre"]) if pending(shared["titre"]) is None else shared["titre"],  # type: ignore[arg-type]
        description=_kept(shared.get("description")),
        repartition=tuple((line.qpv, line.valued) for line in lines),
        cout_total=total((line.cost for line in lines), ZERO),
        montant_valorise=total((line.valued for line in lines), ZERO),
        cofinancements=tuple(
            Cofinancing(name, total((line.cofunding.get(name, ZERO) for line in lines), ZERO)) for name in names
        ),
        indicateurs=_kept(shared.get("indicateurs")),
        calendrier=_kept(shared.get("calendrier")),
        pluriannuelle=bool(shared.get("pluriannuelle")),
        places=ActionPlaces(
            **{
                key: sheet.location(first.row, COLUMN[key])
                for key in ("axe", "titre", "cout_total", "montant_valorise")
            },
            qpv=sheet.location(first.row, COLUMN["qpv"]),
            cofinancements=sheet.location(first.row, COLUMN["ville"]),
        ),
    )


def _kept(value: object) -> str:
    """A text field as read (a text still to confirm keeps its mark)."""
    return value if isinstance(value, str) else ""


def _missing(sheet: Sheet, row: int, key: str) -> DataError:
    return sheet.error(row, COLUMN[key], f"« {HEADER[key]} » n'est pas rempli pour cette action (obligatoire).")


def _number(sheet: Sheet, row: int) -> int | None:
    value = sheet.value(row, COLUMN["numero"])
    if is_empty(value):
        return None
    text = cell_text(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit() or int(text) < 1:
        raise sheet.error(row, COLUMN["numero"], f"« {HEADER['numero']} » : un numéro 1, 2, 3… (lu : « {text} »).")
    return int(text)


def _number_or_none(sheet: Sheet, row: int) -> int | None:
    try:
        return _number(sheet, row)
    except DataError:
        return None


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


def _required_amount(sheet: Sheet, row: int, key: str) -> Decimal:
    amount = cell_amount(sheet, row, COLUMN[key], HEADER[key])
    if amount is None:
        raise sheet.error(row, COLUMN[key], f"« {HEADER[key]} » n'est pas rempli sur cette ligne (obligatoire).")
    return amount


def _axis(sheet: Sheet, row: int) -> int | None:
    text = cell_text(sheet.value(row, COLUMN["axe"]))
    if not text:
        return None  # said when the action has no axis on any of its rows
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


def _qpv(sheet: Sheet, row: int) -> str:
    """The QPV of the row, as the list shows it (« QN05954M – Gambetta ») or as a bare code."""
    text = cell_text(sheet.value(row, COLUMN["qpv"]))
    if not text:
        raise sheet.error(row, COLUMN["qpv"], f"« {HEADER['qpv']} » n'est pas rempli sur cette ligne (obligatoire).")
    code = text.split(QPV_SEPARATOR.strip(), 1)[0].split(" - ", 1)[0].strip()
    return qpv_code(code, lambda message: sheet.error(row, COLUMN["qpv"], message))


def _cofunding(sheet: Sheet, row: int, headers: dict[str, str], other: str) -> dict[str, Decimal]:
    """The co-funders' amounts of the row: the named columns, and the other co-funder with its name."""
    amounts = {}
    for key in COFUNDER_KEYS:
        amount = cell_amount(sheet, row, COLUMN[key], headers[key])
        if amount:
            amounts[cofunder_name(headers[key])] = amount
    other_amount = cell_amount(sheet, row, COLUMN["autre_montant"], HEADER["autre_montant"])
    if other_amount and not other:
        raise sheet.error(
            row, COLUMN["autre_financeur"], "un montant d'autre cofinanceur est indiqué sans le nom de ce cofinanceur."
        )
    if other and other_amount:
        amounts[other] = other_amount
    return amounts


def location_of(sheet: Sheet, row: int, key: str) -> Location:
    return sheet.location(row, COLUMN[key])
