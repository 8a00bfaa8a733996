"""Values not yet confirmed (YAML tag « !a_confirmer », or an empty field that must be filled): typed like the values
they stand for, carrying where they were written, so that drafts show them and a final version refuses them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from .errors import Location

MARK = "à confirmer"
PENDING_CLASS = "a-confirmer"  # the Markdown span « [valeur (à confirmer)]{.a-confirmer} » the Word renderer highlights
UNKNOWN_DATE = date(1, 1, 1)  # an unknown date's stand-in: never printed, never compared (see PendingDate.known)
T = TypeVar("T")


class Pending:
    """What every value not yet confirmed has: where it was written, under which label, and whether it is known."""

    location: Location
    label: str

    @property
    def known(self) -> bool:
        return True

    def describe(self) -> str:
        """« numero » (vide) or « qualite » (valeur provisoire : Préfet de Vaucluse), for messages."""
        shown = self.shown_value()
        return f"« {self.label} » " + (f"(valeur provisoire : {shown})" if self.known else "(inconnu)")

    def shown_value(self) -> str:
        return str(self)


class PendingText(str, Pending):
    """A text not yet confirmed; an empty one is unknown."""

    def __new__(cls, value: str, location: Location, label: str) -> PendingText:
        text = super().__new__(cls, value)
        text.location, text.label = location, label
        return text

    @property
    def known(self) -> bool:
        return bool(str(self))

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (PendingText, (str(self), self.location, self.label))  # crosses process boundaries whole


class PendingDate(date, Pending):
    """A date not yet confirmed; UNKNOWN_DATE when unknown."""

    def __new__(cls, value: date, location: Location, label: str) -> PendingDate:
        day = super().__new__(cls, value.year, value.month, value.day)
        day.location, day.label = location, label
        return day

    @property
    def known(self) -> bool:
        return date(self.year, self.month, self.day) != UNKNOWN_DATE

    def shown_value(self) -> str:
        return date(self.year, self.month, self.day).isoformat()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (PendingDate, (date(self.year, self.month, self.day), self.location, self.label))


class PendingInt(int, Pending):
    """A whole number (dwellings) not yet confirmed."""

    def __new__(cls, value: int, location: Location, label: str) -> PendingInt:
        number = super().__new__(cls, value)
        number.location, number.label = location, label
        return number

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (PendingInt, (int(self), self.location, self.label))


class PendingAmount(Decimal, Pending):
    """An amount in euros not yet confirmed."""

    def __new__(cls, value: Decimal, location: Location, label: str) -> PendingAmount:
        amount = super().__new__(cls, value)
        amount.location, amount.label = location, label
        return amount

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (PendingAmount, (Decimal(self), self.location, self.label))


def pending(value: object) -> Pending | None:
    """The value itself when it is not yet confirmed, else None."""
    return value if isinstance(value, Pending) else None


def like(source: object, text: str) -> str:
    """`text`, derived from `source`, still marked not confirmed when `source` is (« 26 novembre 2024 » of a date)."""
    mark = pending(source)
    if mark is None:
        return text
    return PendingText(text if mark.known else "", mark.location, mark.label)


def combined(text: str, *sources: object) -> str:
    """`text`, made from several values, marked not confirmed when any of them is (the first one's place)."""
    marks = [mark for mark in map(pending, sources) if mark is not None]
    return PendingText(text, marks[0].location, marks[0].label) if marks else text


def marked(value: T, *sources: object) -> T:
    """A number computed from `sources` (a total, a difference), still to confirm when any of them is."""
    mark = next((m for m in map(pending, sources) if m is not None), None)
    if mark is None or isinstance(value, Pending):
        return value
    if isinstance(value, Decimal):
        return PendingAmount(value, mark.location, mark.label)  # type: ignore[return-value]
    if isinstance(value, int) and not isinstance(value, bool):
        return PendingInt(value, mark.location, mark.label)  # type: ignore[return-value]
    return value


def total(values: Iterable[T], start: T) -> T:
    """The sum of `values`, still to confirm when any of them is."""
    items = list(values)
    return marked(sum(items, start), *items)  # type: ignore[call-overload]


def pending_in(*values: object) -> list[Pending]:
    """Every value not yet confirmed inside `values` (dataclasses, tuples, lists, dicts), once each, in order."""
    found: dict[tuple[str, int | None, int | None, str | None, str], Pending] = {}
    for mark in _walk(values):
        key = (mark.location.file, mark.location.line, mark.location.column, mark.location.cell, mark.label)
        found.setdefault(key, mark)
    return sorted(found.values(), key=lambda mark: _reading_order(mark.location))


def _reading_order(location: Location) -> tuple[str, int, int, str, int, str]:
    """Files in order, then lines and columns, or sheets, rows and columns (« Actions!G3 » before « Actions!F10 »)."""
    sheet, _, cell = (location.cell or "").rpartition("!")
    letters = cell.rstrip("0123456789")
    row = int(cell[len(letters) :] or 0)
    return (location.file, location.line or 0, location.column or 0, sheet, row, letters.rjust(3))


def _walk(value: Any) -> Iterator[Pending]:
    if isinstance(value, Pending):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _walk(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
