"""Copies of a convention as a partner sends them back: edited with python-docx, with a tracked change and a comment
written in the package's XML as Word writes them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
TRACKER = "Mme Martin (Ville de Lourches)"
COMMENTER = "M. Durand (Partenord Habitat)"
RETYPED = "Elle peut être modifiée par avenant signé par les seules parties concernées."
TRACKED_OLD = "Un comité de suivi local"
TRACKED = (
    "Un comité de suivi local de la programmation de l'ATFPB est institué ; il se réunit au moins deux fois par an. "
    "Une synthèse des bilans est présentée au comité de suivi territorial organisé par La Porte du Hainaut."
)
OBLIGATION = "la production chaque année d"
COMMENT = "Nous proposons de limiter la signature des avenants aux parties concernées."
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


def returned_copy(sent: Path, destination: Path) -> Path:
    """The commune's copy: a sentence retyped, another replaced as a tracked change, an obligation deleted, a
    dwelling count changed (9 → 12 for QN05954M), and a comment on the retyped sentence."""
    document = Document(str(sent))
    paragraph = _paragraph(document, "Elle peut être modifiée par avenant")
    paragraph.runs[0].text = RETYPED
    for run in paragraph.runs[1:]:
        run.text = ""
    obligation = _paragraph(document, OBLIGATION)
    obligation._p.getparent().remove(obligation._p)
    cell = document.tables[0].cell(1, 2).paragraphs[0]
    assert cell.text == "9"
    cell.runs[0].text = "12"
    document.save(str(destination))
    track_replacement(destination, TRACKED_OLD, TRACKED, TRACKER)
    add_comment(destination, RETYPED[:30], COMMENT, COMMENTER)
    return destination


def resaved_copy(sent: Path, destination: Path) -> Path:
    """The copy opened and saved again, unchanged."""
    Document(str(sent)).save(str(destination))
    return destination


def _paragraph(document, start: str):  # type: ignore[no-untyped-def]
    return next(p for p in document.paragraphs if p.text.replace("\u2019", "'").startswith(start))


def track_replacement(path: Path, start: str, text: str, author: str) -> None:
    """The paragraph starting with `start` replaced as Word records it: its runs deleted, a new run inserted."""

    def edit(parts: dict[str, bytes]) -> None:
        body = etree.fromstring(parts["word/document.xml"])
        paragraph = _xml_paragraph(body, start)
        for number, run in enumerate(paragraph.findall(f"{W}r")):
            for t in run.findall(f"{W}t"):
                t.tag = f"{W}delText"
            deleted = etree.Element(f"{W}del", {f"{W}id": str(900 + number), f"{W}author": author, f"{W}date": _DATE})
            run.addprevious(deleted)
            deleted.append(run)
        inserted = etree.SubElement(paragraph, f"{W}ins", {f"{W}id": "950", f"{W}author": author, f"{W}date": _DATE})
        run = etree.SubElement(inserted, f"{W}r")
        etree.SubElement(run, f"{W}t").text = text
        parts["word/document.xml"] = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)

    _rewrite(path, edit)


def add_comment(path: Path, start: str, text: str, author: str) -> None:
    """A comment on the paragraph starting with `start`, in word/comments.xml with its relationship and type."""

    def edit(parts: dict[str, bytes]) -> None:
        body = etree.fromstring(parts["word/document.xml"])
        paragraph = _xml_paragraph(body, start)
        first_run = paragraph.find(f"{W}r")
        assert first_run is not None
        first_run.addprevious(etree.Element(f"{W}commentRangeStart", {f"{W}id": "0"}))
        paragraph.append(etree.Element(f"{W}commentRangeEnd", {f"{W}id": "0"}))
        reference = etree.SubElement(paragraph, f"{W}r")
        etree.SubElement(reference, f"{W}commentReference", {f"{W}id": "0"})
        parts["word/document.xml"] = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
        parts["word/comments.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="{W_NS}">'
            f'<w:comment w:id="0" w:author="{author}" w:date="{_DATE}" w:initials="MD"><w:p><w:r><w:t>{text}</w:t>'
            "</w:r></w:p></w:comment></w:comments>"
        ).encode()
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/word/comments.xml" ContentType="{COMMENTS_TYPE}"/></Types>'.encode()
        )
        rels = "word/_rels/document.xml.rels"
        parts[rels] = parts[rels].replace(
            b"</Relationships>",
            f'<Relationship Id="rIdComments1" Type="{COMMENTS_REL}" Target="comments.xml"/></Relationships>'.encode(),
        )

    _rewrite(path, edit)


_DATE = "2025-05-02T10:00:00Z"


def _xml_paragraph(body: etree._Element, start: str) -> etree._Element:
    for paragraph in body.iter(f"{W}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t")).replace("\u2019", "'")
        if text.startswith(start):
            return paragraph
    raise AssertionError(f"no paragraph starts with {start!r}")


def _rewrite(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    edit(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
