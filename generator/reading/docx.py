"""Read a Word document's text in order: body paragraphs, tables, headers, footers, footnotes."""

from __future__ import annotations

import zipfile
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
from .lines import FOOTER, HEADER, NOTE, Line, Place, UnreadableDocument, normalise

HEADING_STYLES = ("heading", "titre", "title")


def read_docx(path: Path) -> tuple[Line, ...]:
    """Every non-empty paragraph of the document as a located line."""
    _refuse_dangerous_package(path)
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError, ValueError) as exc:
        raise UnreadableDocument(f"document Word illisible ou endommagé ({exc}).", Location(str(path))) from None
    lines: list[Line] = []
    for section in document.sections[:1]:
        lines += _paragraph_lines(section.header.paragraphs, HEADER)
    paragraph_number, table_number = 0, 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph_number += 1
            paragraph = Paragraph(child, document._body)
            text = normalise(paragraph.text)
            if text:
                lines.append(Line(text, Place.paragraph(paragraph_number), heading=_is_heading(child)))
        elif child.tag == qn("w:tbl"):
            table_number += 1
            lines += _table_lines(Table(child, document._body), table_number)
    for section in document.sections[:1]:
        lines += _paragraph_lines(section.footer.paragraphs, FOOTER)
    return tuple(lines + _footnote_lines(document))


MAX_PARTS = 2000
MAX_UNPACKED = 200 * 1024 * 1024  # bytes, all parts together
MAX_RATIO = 200  # a part that inflates more than this is a compression bomb


def _refuse_dangerous_package(path: Path) -> None:
    """Refuse a zip bomb or XML with a DTD (external or expanding entities) before any parsing."""
    where = Location(str(path))
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED:
                raise UnreadableDocument("document Word anormalement volumineux une fois décompressé : refusé.", where)
            for part in parts:
                if part.file_size > 1_000_000 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
                    raise UnreadableDocument(
                        f"document Word piégé (« {part.filename} » se décompresse démesurément) : refusé.", where
                    )
                if part.filename.endswith((".xml", ".rels")) and _declares_dtd(package, part):
                    raise UnreadableDocument(
                        f"document Word piégé (« {part.filename} » déclare des entités XML) : refusé.", where
                    )
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableDocument(f"document Word illisible ou endommagé ({exc}).", where) from None


def _declares_dtd(package: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    with package.open(part) as stream:
        head = stream.read(4096)  # a DTD comes before the root element
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def _is_heading(paragraph) -> bool:  # type: ignore[no-untyped-def]
    """Styled as a heading (looked up by style id: resolving style names is slow)."""
    style = paragraph.pPr.pStyle if paragraph.pPr is not None else None
    return style is not None and str(style.val).lower().startswith(HEADING_STYLES)


def _paragraph_lines(paragraphs: list[Paragraph], part: str) -> list[Line]:
    return [Line(text, Place(part)) for text in (normalise(p.text) for p in paragraphs) if text]


def _table_lines(table: Table, number: int) -> list[Line]:
    lines: list[Line] = []
    seen: list[object] = []  # the cell elements themselves: a merged cell is listed once per grid column
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row.cells, start=1):
            if any(cell._tc is other for other in seen):
                continue
            seen.append(cell._tc)
            for paragraph in cell.paragraphs:
                text = normalise(paragraph.text)
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
