"""One document's package: the template's parts, those the document changes or adds, in python-docx's order."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from docx.image.image import Image
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import CT_Relationships, serialize_part_xml
from docx.opc.packuri import PackURI
from docx.oxml.parser import parse_xml
from docx.oxml.shape import CT_Inline
from docx.shared import Length
from lxml import etree

from . import ooxml
from .archive import Entry, entry, shared_entry
from .template import CompiledTemplate, content_types

_FOOTNOTES = PackURI("/word/footnotes.xml")


@dataclass(frozen=True)
class _Added:
    """A part a document adds to the template's (an image, the footnotes), related to the document part."""

    partname: PackURI
    content_type: str
    blob: bytes
    rels: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class _Relation:
    """A relationship from the document part to a part the document adds."""

    rId: str
    reltype: str
    target_part: _Added
    target_ref: str
    is_external: bool = False


class DocumentPackage:
    """What one document changes in the template's package: its lists, its pictures, its footnotes; the rest is the
    template's, shared by every document of the process."""

    def __init__(self, template: CompiledTemplate) -> None:
        self.template = template
        self.main = template.docx.part
        self.lists: list[bool] = []  # each Markdown list, ordered or not: the numbering part is written from them
        self.relations: list[_Relation] = []
        self.images: dict[str, _Relation] = {}  # by SHA-1, as python-docx shares one part per image

    def new_list(self, ordered: bool) -> int:
        """A fresh numbering instance for one Markdown list; returns its numId (one more than the last one)."""
        self.lists.append(ordered)
        return self.template.last_num_id + len(self.lists)

    def new_picture(self, blob: bytes, width: Length) -> CT_Inline:
        """A <wp:inline> showing the PNG `blob` at `width`, its image part added as python-docx adds it."""
        image = Image.from_blob(blob)
        if image.sha1 not in self.images:
            partname = self._next_image_partname(image.ext)
            self.images[image.sha1] = self._relate(_Added(partname, image.content_type, blob), RT.IMAGE)
        rId = self.images[image.sha1].rId
        cx, cy = image.scaled_dimensions(width, None)
        return CT_Inline.new_pic_inline(self.template.shape_id, rId, image.filename, cx, cy)

    def _next_image_partname(self, ext: str) -> PackURI:
        used = {part.partname.idx for part in self.main.package.image_parts}
        used |= {relation.target_part.partname.idx for relation in self.images.values()}
        number = next(n for n in range(1, len(used) + 2) if n not in used)
        return PackURI(f"/word/media/image{number}.{ext}")

    def _relate(self, part: _Added, reltype: str) -> _Relation:
        taken = set(self.main.rels) | {relation.rId for relation in self.relations}
        rId = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        relation = _Relation(rId, reltype, part, part.partname.relative_ref(self.main.partname.baseURI))
        self.relations.append(relation)
        return relation

    def store_footnotes(self, rendered: bytes | None, footnotes: list[str]) -> bytes | None:
        """The template's footnotes part (`rendered`) with the document's footnotes; when the template has none, they
        go to a new part (and None is returned)."""
        if not footnotes:
            return rendered
        root = parse_xml(rendered if rendered is not None else ooxml.FOOTNOTES_XML.encode())
        ooxml.append_footnotes(root, footnotes)
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if rendered is not None:
            return blob
        self._relate(_Added(_FOOTNOTES, CT.WML_FOOTNOTES, blob), RT.FOOTNOTES)
        return None

    def entries(self, changed: Mapping[str, bytes]) -> list[Entry]:
        """The package's entries as python-docx writes them: content types, package relationships, then each part
        (by a depth-first walk of the relationships) followed by its own relationships. `changed`: new blobs by
        part name."""
        numbering = _numbering_entry(self.template, tuple(self.lists)) if self.lists else None
        constant = self.template.entries
        parts = list(self._parts())
        types = shared_entry("[Content_Types].xml", content_types(parts)) if self.relations else None
        result = [types or constant["[Content_Types].xml"]]
        result.append(constant["_rels/.rels"])
        for part in parts:
            name = part.partname.membername
            if numbering is not None and part.partname == self.template.numbering.partname:
                result.append(numbering)
            elif part.partname in changed:
                blob = changed[part.partname]
                result.append(entry(name, blob) if part is self.main else shared_entry(name, blob))
            else:
                result.append(constant[name] if name in constant else entry(name, part.blob))
            if part is self.main and self.relations:
                result.append(shared_entry(part.partname.rels_uri.membername, self._main_rels()))
            elif len(part.rels):
                result.append(constant[part.partname.rels_uri.membername])
        return result

    def _parts(self) -> Iterator[Any]:
        """The template's parts and the document's added ones, as python-docx's depth-first walk finds them."""
        visited: set[int] = set()

        def walk(relations: Iterable[Any]) -> Iterator[Any]:
            for relation in relations:
                if relation.is_external or id(relation.target_part) in visited:
                    continue
                part = relation.target_part
                visited.add(id(part))
                yield part
                yield from walk(self._relations_of(part))

        yield from walk(self.main.package.rels.values())

    def _relations_of(self, part: Any) -> list[Any]:
        if part is self.main:
            return [*part.rels.values(), *self.relations]
        return list(part.rels.values())

    def _main_rels(self) -> bytes:
        rels = CT_Relationships.new()
        for relation in [*self.main.rels.values(), *self.relations]:
            rels.add_rel(relation.rId, relation.reltype, relation.target_ref, relation.is_external)
        return rels.xml


def _numbering_entry(template: CompiledTemplate, lists: tuple[bool, ...]) -> Entry:
    """The template's numbering part with a numbering instance for each list (ordered or not), deflated; remembered
    for the template, whose documents have few sequences of lists (a convention's, an avenant's)."""
    if lists not in template.numberings:
        if len(template.numberings) >= NUMBERINGS_REMEMBERED:
            template.numberings.clear()
        numbering = ooxml.ListNumbering(copy.deepcopy(template.numbering.element))
        numbers = [numbering.new_list(ordered) for ordered in lists]
        # the numIds new_list handed out to the document's lists, before this part was written
        assert numbers == [template.last_num_id + n for n in range(1, len(lists) + 1)], numbers
        xml = serialize_part_xml(numbering.numbering)
        template.numberings[lists] = entry(template.numbering.partname.membername, xml)
    return template.numberings[lists]


NUMBERINGS_REMEMBERED = 64
