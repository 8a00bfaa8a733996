"""The carry-over an avenant says it receives from the year before, against what the previous avenant left to carry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..reading.lines import TABLE, Place
from ..text import fold
from ..typography import french_amount, read_printed_amount
from .document import ERROR, WHOLE_DOCUMENT, Document, Finding
from .expectations import Expected
from .tables import AMOUNT

_AMOUNT = re.compile(AMOUNT)  # an amount as a table prints it
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÉÈÀÇ«])")
_CARRY_WORD = re.compile(r"\breport(?:e|es|ee|ees|er|s)?\b|\breliquats?\b")
_NONE = re.compile(r"\b(?:aucun|pas de|neant|nul)\b")
_MOST_AMOUNTS = 3  # more amounts than a sentence about the carry holds: a table's rows run together
_PREVIOUS = r"\b(?:annee|exercice)s? (?:precedente?|anterieure?)\b|\bn-1\b"


@dataclass(frozen=True)
class Statement:
    """A sentence or table row saying what is carried from the previous year, and the amount it states."""

    line: int
    text: str
    amount: Decimal


def carry_mismatches(doc: Document, expected: Expected) -> Iterator[Finding]:
    """A carry-over received from the previous year other than the one the previous avenant left (rule
    `amount-mismatch`); checked only when that avenant's programme, or the period's first year, says what it is."""
    if expected.carried_in is None or expected.year is None:
        return
    due, before = expected.carried_in, expected.year - 1
    statements = list(_carry_statements(doc, before))
    source = expected.carry_source or f"l'avenant {before}"
    if any(s.amount == due for s in statements):
        return
    if statements:
        first = statements[0]
        if expected.year <= expected.territory.periode.debut:
            why = f"{expected.year} est la première année de la convention, qui ne reçoit aucun report"
        else:
            why = f"{source} a " + (f"laissé {_shown(due)} à reporter" if due else "rien laissé à reporter")
        yield Finding(
            "amount-mismatch",
            ERROR,
            f"le report reçu de {before} indiqué ici ({_shown(first.amount)}) ne suit pas de l'année précédente : "
            f"{why}.",
            doc.where(first.line),
            first.text[:160],
        )
    elif due and _shown(due) not in doc.text.replace("\u00a0", " "):  # a table's column may hold it: not read
        yield Finding(
            "amount-mismatch",
            ERROR,
            f"{source} a laissé {_shown(due)} à reporter sur {expected.year} : ce report n'est pas indiqué.",
            WHOLE_DOCUMENT,
            "",
        )


def _shown(amount: Decimal) -> str:
    return french_amount(amount).replace("\u00a0", " ")


def _carry_statements(doc: Document, before: int) -> Iterator[Statement]:
    """Sentences (and Word table rows) naming a carry-over from `before` or from « l'année précédente », with the
    amount nearest to the word « report » (zero when they say there is none); a PDF table's run of amounts is left
    aside."""
    previous = re.compile(rf"\b{before}\b|{_PREVIOUS}")
    for line, text in _units(doc):
        folded = fold(text)
        words = list(_CARRY_WORD.finditer(folded))
        if not words or not previous.search(folded):
            continue
        if any(_NONE.search(folded[max(0, w.start() - 20) : w.start()]) for w in words):
            yield Statement(line, text, Decimal(0))  # « aucun report d'une année antérieure »
            continue
        amounts = [(m.start(), read_printed_amount(m.group(0))) for m in _AMOUNT.finditer(text)]
        known = [(at, value) for at, value in amounts if value is not None]
        if len(known) > _MOST_AMOUNTS and " | " not in text:
            continue  # a PDF table read as a run of words: which amount is the carry cannot be told
        if known:
            nearest = min(known, key=lambda pair: min(abs(pair[0] - w.start()) for w in words))
            yield Statement(line, text, nearest[1])


def _units(doc: Document) -> Iterator[tuple[int, str]]:
    """Each table row on its own (a Word row's cells joined), and the sentences of the running text (a sentence may
    run over lines and pages; a heading stands alone), with the line each starts on."""
    run: list[int] = []
    row: list[int] = []
    headings = {heading.index for heading in doc.headings}
    for index, line in enumerate(doc.lines):
        if line.place.in_margin:
            continue
        cell = line.place.part == TABLE
        if row and not (cell and _same_row(doc.lines[row[0]].place, line.place)):
            yield row[0], " | ".join(doc.lines[i].text for i in row)
            row = []
        if cell:
            yield from _sentences(doc, run)
            run = []
            row.append(index)
        elif index in headings:
            yield from _sentences(doc, run)
            run = []
            yield index, line.text
        else:
            run.append(index)
    if row:
        yield row[0], " | ".join(doc.lines[i].text for i in row)
    yield from _sentences(doc, run)


def _same_row(first: Place, other: Place) -> bool:
    return (first.number, first.row) == (other.number, other.row)


def _sentences(doc: Document, indexes: list[int]) -> Iterator[tuple[int, str]]:
    if not indexes:
        return
    starts, position = [], 0
    for index in indexes:
        starts.append(position)
        position += len(doc.lines[index].text) + 1
    text = " ".join(doc.lines[index].text for index in indexes)
    offset = 0
    for sentence in _SENTENCE_END.split(text):
        at = text.find(sentence, offset)
        offset = at + len(sentence)
        line = max(i for i, start in enumerate(starts) if start <= at)
        yield indexes[line], sentence
