"""Totals of a document's tables: each column's total equals the sum of its lines, in a Word table (its cells) and
on a PDF page (the amounts that end each row of the table, up to its « Total » line)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..pending import MARK
from ..reading.lines import TABLE
from ..text import fold
from ..typography import french_amount, read_printed_amount
from .document import ERROR, Document, Finding


def table_totals(doc: Document) -> Iterator[Finding]:
    yield from _word_table_totals(doc)
    yield from _laid_out_totals(doc)


def _word_table_totals(doc: Document) -> Iterator[Finding]:
    """In every Word table with a 'Total' row, each numeric column's total equals the sum of its lines."""
    tables: dict[int, dict[tuple[int, int], list[int]]] = {}
    for index, line in enumerate(doc.lines):
        place = line.place
        if place.part == TABLE and place.number is not None and place.row is not None and place.column is not None:
            tables.setdefault(place.number, {}).setdefault((place.row, place.column), []).append(index)
    for cells in tables.values():
        text = {key: _without_marks(" ".join(doc.lines[i].text for i in indexes)) for key, indexes in cells.items()}
        totals = [row for (row, column) in text if column == 1 and fold(text[(row, 1)]).startswith("total")]
        if not totals:
            continue
        total_row = totals[0]
        for column in sorted({c for (_r, c) in text if c > 1}):
            values = [read_printed_amount(text[(r, column)]) for r in range(2, total_row) if (r, column) in text]
            total = read_printed_amount(text.get((total_row, column), ""))
            if total is None or not values or any(v is None for v in values):
                continue
            computed = sum((v for v in values if v is not None), Decimal(0))
            if abs(computed - total) > Decimal("0.01"):
                index = cells[(total_row, column)][0]
                yield Finding(
                    "amount-mismatch",
                    ERROR,
                    f"le total ({text[(total_row, column)]}) ne correspond pas à "
                    f"la somme des lignes ({_amount_text(computed, text[(total_row, column)])}).",
                    doc.where(index),
                    text[(total_row, column)],
                )


def _without_marks(text: str) -> str:
    """A cell's text without the mark of a value still to confirm (« 412 (à confirmer) »)."""
    return text.replace(f"({MARK})", "").strip()


def _amount_text(value: Decimal, like: str) -> str:
    return french_amount(value).replace("\u00a0", " ") if "€" in like else str(value)


AMOUNT = r"[-\u2212]?\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d{1,2})?\s?€"
_TRAILING_AMOUNT = re.compile(rf"(?:^|\s)({AMOUNT})$")
_TRAILING_COUNT = re.compile(r"(?:^|\s)(\d{1,6})$")
_ROWS_ABOVE = 600  # lines a PDF table's rows are looked for above its total (beyond: its start is not found)
_SENTENCE = 100  # a line this long without numbers at its end is text (a full line of a paragraph), not a row


def _laid_out_totals(doc: Document) -> Iterator[Finding]:
    """On a PDF page, a « Total » line's amounts in euros against the sums of the rows above it with as many amounts
    (a total of counts is checked in Word tables only: a laid-out line cannot tell a count from a name's number)."""
    for index, line in enumerate(doc.lines):
        if not (line.place.laid_out and fold(line.text).startswith("total")):
            continue
        totals = _trailing_numbers(line.text)
        if not totals or "€" not in totals[0]:
            continue  # counts are left to Word tables: on a page, a quarter's name may end in numbers (« Fosse 11 12 »)
        rows = _rows_above(doc, index, len(totals))
        if not rows:
            continue
        for column, shown in enumerate(totals):
            total = read_printed_amount(shown)
            values = [read_printed_amount(row[column]) for row in rows]
            if total is None or any(v is None for v in values):
                continue
            computed = sum((v for v in values if v is not None), Decimal(0))
            if abs(computed - total) > Decimal("0.01"):
                yield Finding(
                    "amount-mismatch",
                    ERROR,
                    f"le total ({shown}) ne correspond pas à la somme des lignes ({_amount_text(computed, shown)}).",
                    doc.where(index),
                    shown,
                )


def _trailing_numbers(text: str) -> list[str]:
    """The amounts ending a line (« 900,00 € 700,00 € 1 600,00 € »), or the one count ending it (« Gambetta 9 »)."""
    text = _without_marks(text)
    amounts: list[str] = []
    while found := _TRAILING_AMOUNT.search(text):
        amounts.insert(0, found.group(1))
        text = text[: found.start()]
    if amounts:
        return amounts
    count = _TRAILING_COUNT.search(text)
    return [count.group(1)] if count and not re.search(r"\d\s*$", text[: count.start()]) else []


def _rows_above(doc: Document, total: int, width: int) -> list[list[str]]:
    """The rows of the table a total line closes: the lines above with `width` amounts at their end, up to the text
    before the table (a running header or footer skipped where the table crosses a page); none when a line in
    between has another number of them, or when the table's start is not found (a row read wrong is no row)."""
    rows: list[list[str]] = []
    headings = {h.index for h in doc.headings if h.number is not None}
    for index in range(total - 1, max(-1, total - 1 - _ROWS_ABOVE), -1):
        line = doc.lines[index]
        if not line.place.laid_out or index in headings:
            return rows
        if _page_margin(doc, index):
            continue
        numbers = _trailing_numbers(line.text)
        if numbers and "€" not in numbers[0]:
            numbers = []  # a year or a count in a table of amounts: its header (« Abattement 2026 »)
        if numbers and fold(line.text).startswith("total"):
            return rows  # the total of the table above
        if not numbers:
            if len(line.text) > _SENTENCE or line.text.rstrip().endswith((":", ".")):
                return rows
            continue
        if len(numbers) != width:
            return []
        rows.append(numbers)
    return rows if total - 1 - _ROWS_ABOVE < 0 else []


def _page_margin(doc: Document, index: int) -> bool:
    """Among the first or last lines of its page, where running headers and footers (« Page 3 sur 6 ») are."""
    place = doc.lines[index].place
    before = index - next((i for i in range(index, -1, -1) if doc.lines[i].place.number != place.number), -1) - 1
    return before < _HEADER_LINES or _PAGE_NUMBER.match(doc.lines[index].text) is not None


_HEADER_LINES = 1
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+\s*(?:sur|/)\s*\d+$", re.IGNORECASE)
