"""A document's text as located, normalised lines: the one value every reader produces and every check reads."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ..errors import AtfpbError

# Typographic apostrophes, quotes and spaces, and their plain forms. No plain form holds a character of the list, so
# replacing them one after the other replaces each character once, as str.translate would (several times slower on
# non-ASCII text, French text).
_PLAIN = (
    ("’", "'"),
    ("‘", "'"),
    ("ʼ", "'"),
    ("`", "'"),
    ("“", '"'),
    ("”", '"'),
    ("„", '"'),
    ("\u00a0", " "),
    ("\u202f", " "),
    ("\u2009", " "),
    ("\u00ad", ""),
    ("\t", " "),
)
_SPACES = re.compile(r"[ ]{2,}")

PAGE, PARAGRAPH, TABLE, HEADER, FOOTER, NOTE = "page", "paragraphe", "tableau", "en-tête", "pied de page", "note"
DOCUMENT, SIGNATURES = "document", "signatures"  # what a finding may be about as a whole
MARGINS = (HEADER, FOOTER, NOTE)


class UnreadableDocument(AtfpbError):
    """A file that is neither a readable Word document nor a readable PDF."""

    exit_code = 2


@dataclass(frozen=True)
class Place:
    """Where something is in a document: a PDF page's line, a Word paragraph, table cell, header, footer or note,
    or the document (or its signatures) as a whole; with the article it belongs to, once known."""

    part: str
    number: int | None = None  # the page, paragraph, table or note
    line: int | None = None  # a PDF page's line
    row: int | None = None  # a Word table's cell
    column: int | None = None
    article: int | None = None

    @classmethod
    def page(cls, page: int, line: int) -> Place:
        return _page_line(page, line)

    @classmethod
    def paragraph(cls, number: int) -> Place:
        return cls(PARAGRAPH, number)

    @classmethod
    def cell(cls, table: int, row: int, column: int) -> Place:
        return cls(TABLE, table, row=row, column=column)

    @property
    def laid_out(self) -> bool:
        """A line of a laid-out page (PDF): its sentence may go on at the next line."""
        return self.part == PAGE

    @property
    def in_margin(self) -> bool:
        """In a header, a footer or a note rather than the body."""
        return self.part in MARGINS

    def __str__(self) -> str:
        if self.part == PAGE:
            where = f"page {self.number}, ligne {self.line}"
        elif self.part == TABLE:
            where = f"tableau {self.number}, ligne {self.row}, colonne {self.column}"
        elif self.number is not None:
            where = f"{self.part} {self.number}"
        else:
            where = self.part
        return where + (f" (article {self.article})" if self.article is not None else "")


@functools.lru_cache(maxsize=8192)
def _page_line(page: int, line: int) -> Place:
    """A PDF page's line, made once for all the documents read: the same places recur from one to the next, and a
    place cannot change."""
    return Place(PAGE, page, line)


@dataclass(frozen=True)
class Line:
    """One line of a document's text and where it is."""

    text: str
    place: Place
    heading: bool = False  # styled as a heading in a Word document


def normalise(text: str) -> str:
    """Ligatures unfolded, typographic apostrophes and quotes made plain, spaces collapsed."""
    return _SPACES.sub(" ", _unfolded(text)).strip()


def normalised_lines(text: str) -> list[str]:
    """normalise() of each of the text's lines (str.splitlines), done for all of them at once: the normalisation
    makes, removes and crosses no line break (tests/reading/test_lines.py), but may empty the last line (a soft
    hyphen alone), which splitlines() would then drop."""
    lines = [line.strip() for line in _SPACES.sub(" ", _unfolded(text)).splitlines()]
    return lines + [""] * (len(text.splitlines()) - len(lines))


def _unfolded(text: str) -> str:
    """Ligatures unfolded (NFKC), typographic characters made plain, accents composed (NFC)."""
    text = unicodedata.normalize("NFKC", text)
    for typographic, plain in _PLAIN:
        text = text.replace(typographic, plain)
    return unicodedata.normalize("NFC", text)
