"""A received Word file's own markup: its tracked changes and comments (with authors), and its text as proposed."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from ..errors import Location
from ..reading.lines import Place, UnreadableDocument, normalise
from ..zipguard import package_problem

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT_PART, COMMENTS_PART = "word/document.xml", "word/comments.xml"
INSERTION, DELETION, MOVE = "insertion", "suppression", "déplacement"
_KINDS = {f"{W}ins": INSERTION, f"{W}del": DELETION, f"{W}moveTo": MOVE, f"{W}moveFrom": MOVE}
_REMOVED = (f"{W}del", f"{W}moveFrom")  # gone once the changes are accepted
_KEPT = (f"{W}ins", f"{W}moveTo")  # their content stays once the changes are accepted
_MARKERS = (f"{W}rPr", f"{W}pPr", f"{W}trPr")  # a change noted on a paragraph mark or a row: no text of its own
_ANCHORS = (f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}commentReference")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True)
class TrackedChange:
    """A change the partner recorded with Word's change tracking (not yet accepted or rejected)."""

    kind: str
    author: str
    date: str
    text: str
    place: Place


@dataclass(frozen=True)
class Comment:
    """A comment left in the margin, with the text it is anchored to."""

    author: str
    date: str
    text: str
    anchor: str
    place: Place | None


@dataclass(frozen=True)
class Markup:
    """A received Word file's tracked changes and comments."""

    changes: tuple[TrackedChange, ...] = ()
    comments: tuple[Comment, ...] = ()


def read_markup(path: Path) -> Markup:
    """The tracked changes and comments of a .docx (an empty markup for a PDF)."""
    if not zipfile.is_zipfile(path):
        return Markup()
    _refuse_dangerous(path)
    with zipfile.ZipFile(path) as package:
        body = _part(package, DOCUMENT_PART, path)
        comments = _part(package, COMMENTS_PART, path) if COMMENTS_PART in package.namelist() else None
    if body is None:
        raise UnreadableDocument("document Word sans texte (word/document.xml manque).", Location(str(path)))
    places = _places(body)
    changes = tuple(_merged(_tracked(body, places)))
    return Markup(changes, tuple(_comments(comments, body, places)) if comments is not None else ())


def accepted_copy(path: Path, folder: Path) -> Path:
    """A copy of a .docx with every tracked change accepted (the text the partner proposes), or the file itself when
    it holds none: python-docx reads neither inserted nor deleted runs, so a document is read once accepted."""
    return _edited_copy(path, folder / f"{path.stem}-acceptee.docx", _accept, (*_REMOVED, *_KEPT))


def uncommented_copy(path: Path, folder: Path) -> Path:
    """A copy of a .docx without its comments' anchors, or the file itself when it has none: a headless LibreOffice
    without its interface files (libreoffice-writer-nogui) stops on a document with comments."""
    return _edited_copy(path, folder / f"{path.stem}-sans-commentaires.docx", _uncomment, _ANCHORS)


def _edited_copy(path: Path, copy: Path, edit: Callable[[etree._Element], None], tags: tuple[str, ...]) -> Path:
    if not zipfile.is_zipfile(path):
        return path
    _refuse_dangerous(path)
    with zipfile.ZipFile(path) as package:
        body = _part(package, DOCUMENT_PART, path)
        if body is None or not any(True for _ in body.iter(*tags)):
            return path
        edit(body)
        data = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as edited:
            for info in package.infolist():
                edited.writestr(info, data if info.filename == DOCUMENT_PART else package.read(info))
    return copy


def _refuse_dangerous(path: Path) -> None:
    """A zip bomb or XML declaring entities is refused before any part is parsed."""
    problem = package_problem(path, "document Word")
    if problem is not None:
        raise UnreadableDocument(problem, Location(str(path)))


def _part(package: zipfile.ZipFile, name: str, path: Path) -> etree._Element | None:
    if name not in package.namelist():
        return None
    try:
        return etree.fromstring(package.read(name), _PARSER)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as exc:
        raise UnreadableDocument(f"document Word endommagé ({name} : {exc}).", Location(str(path))) from None


def _accept(body: etree._Element) -> None:
    for element in list(body.iter(*_REMOVED)):
        element.getparent().remove(element)
    for element in list(body.iter(*_KEPT)):
        parent = element.getparent()
        if parent.tag in _MARKERS:
            parent.remove(element)
            continue
        index = parent.index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        parent.remove(element)


def _uncomment(body: etree._Element) -> None:
    for element in list(body.iter(*_ANCHORS)):
        parent = element.getparent()
        holder = parent if element.tag == f"{W}commentReference" and parent.tag == f"{W}r" else element
        holder.getparent().remove(holder)


def _places(body: etree._Element) -> dict[etree._Element, Place]:
    """The place of every top-level paragraph and table cell, numbered as the Word reader numbers them."""
    places: dict[etree._Element, Place] = {}
    container = body.find(f"{W}body")
    paragraphs = tables = 0
    for child in container if container is not None else ():
        if child.tag == f"{W}p":
            paragraphs += 1
            places[child] = Place.paragraph(paragraphs)
        elif child.tag == f"{W}tbl":
            tables += 1
            for row_number, row in enumerate(child.iterchildren(f"{W}tr"), start=1):
                for column, cell in enumerate(row.iterchildren(f"{W}tc"), start=1):
                    places[cell] = Place.cell(tables, row_number, column)
    return places


def _place_of(element: etree._Element, places: dict[etree._Element, Place]) -> Place:
    for ancestor in element.iterancestors():
        if ancestor in places:
            return places[ancestor]
    return places.get(element, Place("document"))


def _tracked(body: etree._Element, places: dict[etree._Element, Place]) -> Iterator[TrackedChange]:
    for element in body.iter(*_KINDS):
        if element.getparent().tag in _MARKERS:
            continue
        texts = element.iter(f"{W}t", f"{W}delText")
        text = "".join(t.text or "" for t in texts)
        if text.strip():
            yield TrackedChange(_KINDS[element.tag], _author(element), _date(element), text, _place_of(element, places))


def _merged(changes: Iterator[TrackedChange]) -> Iterator[TrackedChange]:
    """Word splits one edit into several runs: consecutive pieces of one kind, author and place read as one."""
    current: TrackedChange | None = None
    for change in changes:
        if current and (current.kind, current.author, current.place) == (change.kind, change.author, change.place):
            current = TrackedChange(
                current.kind, current.author, current.date, current.text + change.text, change.place
            )
            continue
        if current:
            yield _tidied(current)
        current = change
    if current:
        yield _tidied(current)


def _tidied(change: TrackedChange) -> TrackedChange:
    return replace(change, text=normalise(change.text))


def _comments(comments: etree._Element, body: etree._Element, places: dict[etree._Element, Place]) -> Iterator[Comment]:
    anchors = _anchors(body, places)
    for comment in comments.iter(f"{W}comment"):
        paragraphs = ("".join(t.text or "" for t in p.iter(f"{W}t")) for p in comment.iter(f"{W}p"))
        text = normalise(" ".join(paragraphs))
        anchor, place = anchors.get(comment.get(f"{W}id", ""), ("", None))
        yield Comment(_author(comment), _date(comment), text, anchor, place)


def _anchors(body: etree._Element, places: dict[etree._Element, Place]) -> dict[str, tuple[str, Place | None]]:
    """For each comment id, the text between its range start and end, and where it starts."""
    open_ranges: dict[str, list[str]] = {}
    found: dict[str, tuple[str, Place | None]] = {}
    starts: dict[str, Place] = {}
    for element in body.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}commentReference", f"{W}t"):
        identifier = element.get(f"{W}id", "")
        if element.tag == f"{W}commentRangeStart":
            open_ranges[identifier], starts[identifier] = [], _place_of(element, places)
        elif element.tag == f"{W}t":
            for texts in open_ranges.values():
                texts.append(element.text or "")
        elif identifier in open_ranges:
            found[identifier] = (normalise("".join(open_ranges.pop(identifier))), starts[identifier])
        elif identifier not in found:  # a reference without a range: the comment is on its paragraph
            found[identifier] = ("", _place_of(element, places))
    return found


def _author(element: etree._Element) -> str:
    return normalise(element.get(f"{W}author", "")) or "auteur inconnu"


def _date(element: etree._Element) -> str:
    return (element.get(f"{W}date") or "")[:10]
