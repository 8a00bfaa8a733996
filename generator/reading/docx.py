"""Read a Word document's text in order: body paragraphs, tables, headers, footers, footnotes."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from ..errors import Location
from ..zipguard import package_problem
from .lines import FOOTER, HEADER, NOTE, Line, Place, UnreadableDocument, normalise
from .numbering import Numbering, read_numbering
from .pdf import join_hyphenated


def read_docx(path: Path) -> tuple[Line, ...]:
    """Every non-empty paragraph of the document as a located line; a damaged file is an unreadable document."""
    _refuse_dangerous_package(path)
    try:
        return _read(path)
    except _DAMAGED as exc:  # a truncated part, a broken relationship, malformed XML: never an internal error
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise UnreadableDocument(f"document Word illisible ou endommagé ({reason}).", Location(str(path))) from None


_DAMAGED = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    AttributeError,
    TypeError,
    ValueError,
    XMLSyntaxError,
)


def _read(path: Path) -> tuple[Line, ...]:
    document = Document(str(path))
    numbering = read_numbering(document)
    lines: list[Line] = []
    for section in document.sections[:1]:
        lines += _paragraph_lines(section.header.paragraphs, HEADER)
    paragraph_number, table_number = 0, 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph_number += 1
            text, heading = _shown(Paragraph(child, document._body), numbering)
            if text:
                lines.append(Line(text, Place.paragraph(paragraph_number), heading=heading))
        elif child.tag == qn("w:tbl"):
            table_number += 1
            lines += _table_lines(Table(child, document._body), table_number, numbering)
    for section in document.sections[:1]:
        lines += _paragraph_lines(section.footer.paragraphs, FOOTER)
    return tuple(lines + _footnote_lines(document))


def _refuse_dangerous_package(path: Path) -> None:
    """Refuse a zip bomb or XML with a DTD (external or expanding entities) before any parsing."""
    problem = package_problem(path, "document Word")
    if problem is not None:
        raise UnreadableDocument(problem, Location(str(path)))


def _shown(paragraph: Paragraph, numbering: Numbering) -> tuple[str, bool]:
    """A paragraph's text as Word shows it, its automatic number first, and whether it is a heading."""
    label, heading = numbering.paragraph(paragraph._p)
    # a line break inside a paragraph reads as a PDF's: a word cut by a hyphen at its end is joined again
    text = normalise(" ".join(part for part in join_hyphenated(paragraph.text.split("\n")) if part))
    return (normalise(label + text) if label else text), heading


def _paragraph_lines(paragraphs: list[Paragraph], part: str) -> list[Line]:
    return [Line(text, Place(part)) for text in (normalise(p.text) for p in paragraphs) if text]


def _table_lines(table: Table, number: int, numbering: Numbering) -> list[Line]:
    lines: list[Line] = []
    seen: list[object] = []  # the cell elements themselves: a merged cell is listed once per grid column
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row.cells, start=1):
            if any(cell._tc is other for other in seen):
                continue
            seen.append(cell._tc)
            for paragraph in cell.paragraphs:
                text, _heading = _shown(paragraph, numbering)
                if text:
                    lines.append(Line(text, Place.cell(number, r, c)))
    return lines


def _footnote_lines(document: WordDocument) -> list[Line]:
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            root = parse_xml(rel.target_part.blob)
            lines = []
            for note in root.iterchildren(qn("w:footnote")):
                number = int(note.get(qn("w:id")))
                text = normalise("".join(t.text or "" for t in note.iter(qn("w:t"))))
                if number > 0 and text:
                    lines.append(Line(text, Place(NOTE, number)))
            return lines
    return []
