"""The Word file's properties: core (title, subject, author, QPV codes, French description, status), extended (the
application only: no statistics LibreOffice or Word would have to correct), and no stale thumbnail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties

PROPERTY_LIMIT = 255  # characters python-docx accepts in a core property
APPLICATION = "atfpb"
_EXTENDED = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Application>{APPLICATION}</Application></Properties>"
)


@dataclass(frozen=True)
class FileProperties:
    """What the Word file says about itself, all in French (keywords: the QPV codes)."""

    title: str
    subject: str
    author: str
    keywords: str
    description: str
    status: str  # « PROJET — document de travail, non signé » or « Version 1 »
    when: datetime | None = None


def set_properties(document: Document, wanted: FileProperties) -> None:
    """Core properties from the document's own data, dated by the document date (not the clock); the template's
    leftovers (empty properties, extended statistics, thumbnail) removed."""
    fill_core_properties(document.core_properties, wanted)
    only_the_application(document)


def fill_core_properties(properties: CoreProperties, wanted: FileProperties) -> None:
    """Core properties from the document's own data, dated by the document date; empty ones removed."""
    properties.title, properties.subject = _fitting(wanted.title), _fitting(wanted.subject)
    properties.author = properties.last_modified_by = _fitting(wanted.author)
    properties.keywords, properties.comments = _fitting(wanted.keywords), _fitting(wanted.description)
    properties.content_status, properties.language = _fitting(wanted.status), "fr-FR"
    properties.revision = 1
    if wanted.when is not None:
        properties.created = properties.modified = wanted.when
    for element in list(properties._element):
        if not (element.text or "").strip():
            properties._element.remove(element)  # « <cp:category/> », « <dc:identifier></dc:identifier> »


def only_the_application(document: Document) -> None:
    """Extended properties that say which application wrote the file and nothing untrue (no pages, words, lines
    counted before any layout); no thumbnail of a page that was never drawn."""
    package = document.part.package
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = _EXTENDED.encode("utf-8")
    for rel_id, relationship in list(package.rels.items()):
        if relationship.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)


def _fitting(text: str) -> str:
    """The text, or as much of it as fits, cut after a whole item (« QN01303I, …, QN01341I, … »)."""
    if len(text) <= PROPERTY_LIMIT:
        return text
    cut = text[: PROPERTY_LIMIT - 2]
    return cut[: max(cut.rfind(", "), cut.rfind(" "), 1)].rstrip(", ") + " …"
