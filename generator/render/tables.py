"""A Markdown table's cells gathered before it is written, and its columns sized to their content."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from .ooxml import TEXT_WIDTH, TEXT_WIDTH_LANDSCAPE
from .wordml import EMPTY_PARAGRAPH, escape

CELL_MARGINS = 13.0  # points: a cell's left and right margins (0.19 cm each), its borders and a little slack
BOLD = 1.08  # a bold text is about this much wider
# Advance widths of Arial (and Liberation Sans, metric-compatible), in thousandths of an em.
_ARIAL = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556)
        + (500, 722, 500, 500, 500, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667)
        + (778, 722, 667, 611, 722, 667, 944, 667, 667, 611),
        strict=True,
    )
)
_ARIAL |= {c: 278 for c in " \u00a0.,:;!/'"} | {c: 333 for c in "()[]-"} | {"%": 889, "—": 1000, "’": 222, "°": 400}


@dataclass(frozen=True)
class Room:
    """The room a table has: the width of the text and the size of the type, in points."""

    width: float
    size: float

    @property
    def line(self) -> float:
        """The width of the text, in ems."""
        return self.width / self.size

    @property
    def margins(self) -> float:
        """A cell's margins, in ems."""
        return CELL_MARGINS / self.size


BODY = Room(TEXT_WIDTH / 20, 10.5)  # a table in the body: portrait, 10.5 pt
ANNEX = {True: Room(TEXT_WIDTH_LANDSCAPE / 20, 8), False: Room(TEXT_WIDTH / 20, 8)}  # in an annex, by orientation


@dataclass
class TableData:
    """The cells of a table being read: (inline token, alignment) per cell, row by row."""

    rows: list[list[tuple[Token, str]]] = field(default_factory=list)
    header_rows: int = 0
    in_head: bool = False


@functools.lru_cache(maxsize=8192)  # the same cells (amounts, names, headers) recur from table to table
def text_width(text: str) -> float:
    """How wide a text is in Arial (Liberation Sans), in ems (accented letters as their base letter)."""
    return sum(_ARIAL.get(unicodedata.normalize("NFD", c)[0], 556) for c in text) / 1000


def column_widths(table: TableData, columns: int, room: Room) -> list[float]:
    """Each column's width (ems), laid out as browsers lay out automatic tables: each column at least as wide as its
    widest unbreakable group (a word; an amount, bound by non-breaking spaces), then the width left shared by what
    each column would still need for its longest text to stand on one line."""
    line, margins = room.line, room.margins
    narrowest, widest = [margins] * columns, [margins] * columns
    for r, row in enumerate(table.rows):
        for c, (inline, _align) in enumerate(row):
            text = "".join(child.content for child in inline.children or () if child.type == "text")
            scale = BOLD if r < table.header_rows or _bold(inline) else 1.0
            groups = max((text_width(group) for group in text.split(" ")), default=0.0)
            narrowest[c] = max(narrowest[c], groups * scale + margins)
            widest[c] = max(widest[c], text_width(text) * scale + margins)
    if sum(widest) <= line:
        return [line * w / sum(widest) for w in widest]
    if sum(narrowest) >= line:
        return narrowest
    left, wanted = line - sum(narrowest), [w - n for w, n in zip(widest, narrowest, strict=True)]
    return [n + left * x / sum(wanted) for n, x in zip(narrowest, wanted, strict=True)]


def _bold(inline: Token) -> bool:
    """A cell written all in bold (« **Total** »)."""
    children = inline.children or []
    return bool(children) and children[0].type == "strong_open"


def table_xml(
    style_id: str, weights: Sequence[float], rows: Sequence[Sequence[str]], properties: Sequence[Sequence[str]]
) -> str:
    """A table as wide as the text whatever the page's orientation, its columns shared by `weights`: each row's
    cells (paragraphs as WordprocessingML), missing cells left empty, and each row's properties (<w:trPr>)."""
    total = sum(weights)
    shares = [round(5000 * w / total) for w in weights]
    grid = "".join(f'<w:gridCol w:w="{round(share * TEXT_WIDTH / 5000)}"/>' for share in shares)
    body = "".join(_row(row, shares, row_properties) for row, row_properties in zip(rows, properties, strict=True))
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{escape(style_id)}"/>{_TABLE_LOOK}<w:tblW w:w="5000" w:type="pct"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


_TABLE_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" '
    'w:val="04A0"/>'
)


def _row(cells: Sequence[str], shares: Sequence[int], properties: Sequence[str]) -> str:
    padded = [*cells, *[EMPTY_PARAGRAPH] * (len(shares) - len(cells))]
    xml = "".join(
        f'<w:tc><w:tcPr><w:tcW w:type="pct" w:w="{share}"/></w:tcPr>{cell}</w:tc>'
        for cell, share in zip(padded, shares, strict=True)
    )
    return f"<w:tr><w:trPr>{''.join(properties)}</w:trPr>{xml}</w:tr>" if properties else f"<w:tr>{xml}</w:tr>"
