"""The texts compared: a document's lines as units (Word paragraphs and cells, a PDF's lines rejoined into sentences),
each with a key that ignores what retyping changes (case, accents, quotes, dashes, spaces around punctuation)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from ..checks.document import Document
from ..reading.lines import PAGE, Line, Place
from ..text import fold

_TYPOGRAPHY = str.maketrans(
    {"–": "-", "—": "-", "‑": "-", "−": "-", "«": '"', "»": '"', "“": '"', "”": '"', "’": "'", "‘": "'", "…": "..."}
)
_AROUND_PUNCTUATION = re.compile(r"\s*([,.;:!?)\]\"'/-])\s*")
_AFTER_OPENING = re.compile(r"([(\[])\s+")
_BULLET = re.compile(r"^(?:[•▪◦·●■-]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.;:!?»)]$")
_PAGE_NUMBER = re.compile(r"^page \d+(?: (?:sur|/) \d+)?$")


@dataclass(frozen=True)
class Unit:
    """One paragraph, table cell or (in a PDF) sentence, with where it is and its comparison key."""

    text: str
    key: str
    place: Place  # its first line's place, with the article it belongs to
    lines: tuple[int, ...]  # its lines in the document
    heading: bool = False

    @property
    def article(self) -> int | None:
        return self.place.article

    def same_cell(self, other: Unit) -> bool:
        """Both are the cell of one row and column of a table (a figure retyped in its cell)."""
        mine, theirs = self.place, other.place
        return mine.row is not None and (mine.row, mine.column) == (theirs.row, theirs.column)


@dataclass(frozen=True)
class Text:
    """A document read for comparison: its lines as the rules see them, and its units."""

    document: Document
    units: tuple[Unit, ...]
    laid_out: bool = False  # read from a PDF: units are sentences rejoined from its lines

    @cached_property
    def signature_lines(self) -> frozenset[int]:
        """The lines of the signature block."""
        return frozenset(self.document.signature_zone())

    def line_places(self, unit: Unit) -> tuple[Place, ...]:
        """The places of a unit's lines, without their article (as the check rules locate findings)."""
        return tuple(self.document.lines[index].place for index in unit.lines)

    def row_of(self, unit: Unit) -> tuple[Unit, ...]:
        """The units of a table cell's row, in order (the unit alone when it is no cell)."""
        place = unit.place
        if place.row is None:
            return (unit,)
        same_row = [u for u in self.units if (u.place.number, u.place.row) == (place.number, place.row)]
        return tuple(u for u in same_row if u.place.part == place.part)


def key(text: str, laid_out: bool = False) -> str:
    """What two copies of a text must share to count as the same: folded, typography and spacing ignored."""
    text = _BULLET.sub("", text) if laid_out else text
    folded = fold(text.translate(_TYPOGRAPHY))
    return _AFTER_OPENING.sub(r"\1", _AROUND_PUNCTUATION.sub(r"\1", folded)).strip()


def text_of(lines: Sequence[Line], titles: Sequence[str]) -> Text:
    """A document's units: one per Word paragraph or cell; a PDF's lines rejoined into sentences, running headers and
    page numbers left out (their line breaks and page breaks are the layout's, not the text's)."""
    document = Document(lines, titles)
    laid_out = any(line.place.part == PAGE for line in lines)
    if not laid_out:
        units = [_unit(document, (index,), line.text, False) for index, line in enumerate(lines)]
        return Text(document, tuple(units))
    return Text(document, tuple(_sentences(document)), laid_out=True)


def _unit(document: Document, indexes: tuple[int, ...], text: str, laid_out: bool) -> Unit:
    first = document.lines[indexes[0]]
    article = None if first.place.in_margin else document.article_of[indexes[0]]
    heading = first.heading or any(h.index == indexes[0] for h in document.headings)
    return Unit(text, key(text, laid_out), replace(first.place, article=article), indexes, heading)


def _sentences(document: Document) -> list[Unit]:
    kept = _body_lines(document.lines)
    heading_lines = {h.index for h in document.headings}
    units: list[Unit] = []
    pending: list[int] = []

    def close() -> None:
        if pending:
            text = _BULLET.sub("", " ".join(document.lines[i].text for i in pending))
            units.append(_unit(document, tuple(pending), text, True))
            pending.clear()

    for index in kept:
        if index in heading_lines:
            close()
            units.append(_unit(document, (index,), document.lines[index].text, True))
            continue
        pending.append(index)
        if _SENTENCE_END.search(document.lines[index].text):
            close()
    close()
    return units


def _body_lines(lines: Sequence[Line]) -> list[int]:
    """The lines of a PDF's pages without those repeated on most pages (headers, footers) nor page numbers."""
    pages = {line.place.number for line in lines}
    shapes = [re.sub(r"\d+", "#", key(line.text)) for line in lines]
    on_pages = Counter(
        shape for shape, _page in {(s, line.place.number) for s, line in zip(shapes, lines, strict=True)}
    )
    repeated = {shape for shape, count in on_pages.items() if count > 1 and count * 2 >= len(pages)}
    return [i for i, line in enumerate(lines) if shapes[i] not in repeated and not _PAGE_NUMBER.match(key(line.text))]
