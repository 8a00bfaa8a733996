"""The Word template compiled once per process: its package read, its Jinja fields compiled as docxtpl compiles them."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, cast

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import CT_Types, serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.opc.spec import default_content_types
from docx.oxml.parser import parse_xml
from docx.parts.numbering import NumberingPart
from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from lxml import etree
from markupsafe import Markup

from ..assembly.jinja import make_environment
from ..errors import ClauseError, Location
from . import ooxml
from .archive import Entry, entry
from .properties import FileProperties, fill_core_properties, only_the_application

BODIES = ("corps", "annexes")  # the template's {{p …}} fields the rendered text fills
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # docxtpl renders these
_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_RECOVER = etree.XMLParser(recover=True)  # the parser docxtpl reads the rendered body with


@dataclass(frozen=True)
class StoryTemplate:
    """A part whose XML docxtpl renders: compiled once, rendered for each document."""

    part: Part
    compiled: Template


@dataclass(frozen=True)
class Filled:
    """The template's fields filled for one document: the document part's root, the other parts it changes (headers,
    footers, core properties) by name, and the template's footnotes part rendered, if it has one."""

    document: etree._Element
    parts: dict[PackURI, bytes]
    footnotes: bytes | None


@dataclass(frozen=True)
class CompiledTemplate:
    """A template read and compiled once: its parts as python-docx reads them, its fields compiled, its unchanging
    parts deflated. Nothing in it is changed by a document's rendering."""

    path: Path
    docx: WordDocument  # read-only: each document writes its own copies of the parts it changes
    numbering: NumberingPart
    core: CorePropertiesPart
    engine: DocxTemplate
    body: Template
    stories: tuple[StoryTemplate, ...]  # headers and footers, as docxtpl renders them
    footnotes: StoryTemplate | None  # the template's footnotes, if it has some
    first_footnote_id: int
    properties: Mapping[str, Template | str]  # a property without any Jinja field: its text, rendered once
    styles: ooxml.StyleIds
    shape_id: int  # python-docx's next shape id in the template's document part
    entries: Mapping[str, Entry]  # parts no document changes, deflated once
    last_num_id: int  # the numbering's last numId: a document's lists take the next ones
    numberings: dict[tuple[bool, ...], Entry] = field(default_factory=dict, compare=False)  # see package.py

    def fill(self, context: Mapping[str, Any], bodies: Mapping[str, str], wanted: FileProperties) -> Filled:
        """Every field of the template filled as docxtpl fills them, the rendered bodies in their {{p …}} fields and
        the file's properties set."""
        parts = {story.part.partname: self.story_xml(story, context) for story in self.stories}
        parts[self.core.partname] = self.core_xml(context, wanted)
        notes = self.rendered(self.footnotes.compiled, context).encode() if self.footnotes is not None else None
        return Filled(self.document_xml(context, bodies), parts, notes)

    def document_xml(self, context: Mapping[str, Any], bodies: Mapping[str, str]) -> etree._Element:
        """The document part's root for `context`, the rendered bodies in place of their {{p …}} fields."""
        sentinels = {name: Markup(f"<!--atfpb:{name}-->") for name in bodies}
        xml = _PARAGRAPH_MARK.sub(r"<w:p\1", self.body.render({**context, **sentinels}))
        for name, body in bodies.items():  # the bodies hold no line end: no paragraph mark to undo in them
            xml = xml.replace(sentinels[name], body)
        xml = self._listed(_unescaped_braces(xml))
        tree = etree.fromstring(xml, parser=_RECOVER)
        if "<w:tbl" in xml and not _tables_whole(tree):
            tree = self.engine.fix_tables(xml)  # docxtpl's grids fixed where a row has more or fewer cells
        for number, picture in enumerate(tree.iter(_DOCPR), start=1001):  # docxtpl renumbers every picture
            picture.attrib["id"] = str(number)
        root = copy.deepcopy(self.shell)
        root.replace(root.body, tree)
        return root

    @cached_property
    def shell(self) -> etree._Element:
        """The document part's root with an empty body, copied for each document (its body is replaced)."""
        root = copy.deepcopy(self.docx.element)
        for child in list(root.body):
            root.body.remove(child)
        return root

    def story_xml(self, story: StoryTemplate, context: Mapping[str, Any]) -> bytes:
        """A header's or footer's part rendered, serialized as python-docx saves it."""
        return _saved(self.rendered(story.compiled, context))

    def core_xml(self, context: Mapping[str, Any], wanted: FileProperties) -> bytes:
        """The template's core properties rendered as docxtpl renders them, then set to the document's own."""
        element = copy.deepcopy(self.core.element)
        properties = CoreProperties(element)
        for name, value in self.properties.items():
            setattr(properties, name, value if isinstance(value, str) else value.render(context))
        fill_core_properties(properties, wanted)
        return serialize_part_xml(element)

    def rendered(self, template: Template, context: Mapping[str, Any]) -> str:
        """docxtpl's rendering of a part's XML (its render_xml_part), the Jinja template compiled once."""
        xml = _PARAGRAPH_MARK.sub(r"<w:p\1", template.render(context))
        return self._listed(_unescaped_braces(xml))

    def _listed(self, xml: str) -> str:
        """Tabs, line ends, bells and form feeds in a text turned into Word's as docxtpl turns them (rare: only then
        is its costly pass made)."""
        return self.engine.resolve_listing(xml) if any(c in xml for c in "\t\n\a\f") else xml


@lru_cache(maxsize=256)
def _saved(xml: str) -> bytes:
    """A part's XML serialized as python-docx saves it (remembered: a footer is the same in every document)."""
    return serialize_part_xml(parse_xml(xml.encode("utf-8")))


_PARAGRAPH_MARK = re.compile(r"\n<w:p([ >])")
_CACHE: dict[str, CompiledTemplate] = {}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tables_whole(tree: etree._Element) -> bool:
    """Whether docxtpl's fix_tables leaves the tree as it is: in every table, no row has more cells than the grid has
    columns, and one has as many (none spans several: then, and for a tree it reads otherwise, it is left to run)."""
    if tree.nsmap.get("w") != _W[1:-1]:
        return False
    for table in tree.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        if grid is None or table.find(f".//{_W}gridSpan") is not None:
            return False
        cells = max((len(row.findall(f"{_W}tc")) for row in table.iter(f"{_W}tr")), default=0)
        if cells != len(grid.findall(f"{_W}gridCol")):
            return False
    return True


def _unescaped_braces(xml: str) -> str:
    if "{_" not in xml and "_}" not in xml:  # each escape holds one or the other: two reads of the text, not four
        return xml
    return xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")


def compiled_template(path: Path) -> CompiledTemplate:
    """The template at `path`, compiled once per process for each content it has had."""
    data = path.read_bytes()
    key = hashlib.sha256(data).hexdigest()
    if key not in _CACHE:
        _CACHE[key] = _compile(path, data)
    return _CACHE[key]


def _compile(path: Path, data: bytes) -> CompiledTemplate:
    try:
        engine = DocxTemplate(str(path))  # read by python-docx from the path, for its own messages
        engine.init_docx()
        docx = engine.docx
    except Exception as exc:  # a template Word cannot open is the user's file, not our bug
        raise ClauseError(f"modèle Word illisible ({exc}).", Location(str(path))) from None
    numbering = docx.part.numbering_part  # created now if the template has none, as a document's lists would
    docx.core_properties  # noqa: B018  (created now if the template has none, as python-docx creates it)
    core = cast(CorePropertiesPart, docx.part.package.part_related_by(RT.CORE_PROPERTIES))
    only_the_application(docx)
    environment = make_environment(markdown=False)
    environment.autoescape = True
    try:
        body = environment.from_string(_source(engine, engine.get_xml()))
        stories = tuple(
            StoryTemplate(part, environment.from_string(_source(engine, engine.get_part_xml(part))))
            for part in _story_parts(docx)
        )
        footnotes = next(
            (StoryTemplate(p, environment.from_string(_source(engine, _text(p.blob)))) for p in _footnotes_parts(docx)),
            None,
        )
        properties = {name: _property(environment, getattr(docx.core_properties, name)) for name in PROPERTIES}
    except Exception as exc:
        raise ClauseError(f"champ invalide dans le modèle Word : {exc}", Location(str(path))) from None
    parts = list(docx.part.package.iter_parts())
    return CompiledTemplate(
        path=path,
        docx=docx,
        numbering=numbering,
        core=core,
        engine=engine,
        body=body,
        stories=stories,
        footnotes=footnotes,
        first_footnote_id=ooxml.first_free_footnote_id(docx),
        properties=properties,
        styles=ooxml.StyleIds(docx),
        shape_id=docx.part.next_id,
        entries=_constant_entries(parts, docx.part.package.rels.xml),
        last_num_id=ooxml.ListNumbering(numbering.element).last_num_id,
    )


def _property(environment: Environment, source: str) -> Template | str:
    """A core property of the template, compiled; rendered already when it holds no field (no brace: text alone,
    which no document's context changes)."""
    compiled = environment.from_string(source)
    return compiled.render({}) if "{" not in source else compiled


def _source(engine: DocxTemplate, xml: str) -> str:
    """A part's XML as docxtpl hands it to Jinja."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", engine.patch_xml(xml))


def _story_parts(docx: WordDocument) -> list[Part]:
    """The headers then the footers docxtpl renders besides the body, in the document's relationships' order."""
    rels = docx.part.rels.values()
    headers = [rel.target_part for rel in rels if rel.reltype == RT.HEADER and rel.target_part.blob]
    footers = [rel.target_part for rel in rels if rel.reltype == RT.FOOTER and rel.target_part.blob]
    return [*headers, *footers]


def _footnotes_parts(docx: WordDocument) -> list[Part]:
    return [rel.target_part for rel in docx.part.rels.values() if rel.reltype == RT.FOOTNOTES]


def _text(blob: bytes | str) -> str:
    return blob.decode("utf-8") if isinstance(blob, bytes) else blob


def content_types(parts: Sequence[Any]) -> bytes:
    """[Content_Types].xml for `parts`, as python-docx composes it: defaults by extension, then overrides, sorted."""
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides = {}
    for part in parts:
        ext = part.partname.ext
        if (ext.lower(), part.content_type) in default_content_types:
            defaults[ext.lower()] = part.content_type
        else:
            overrides[part.partname] = part.content_type
    types = CT_Types.new()
    for ext in sorted(defaults):
        types.add_default(ext, defaults[ext])
    for partname in sorted(overrides):
        types.add_override(partname, overrides[partname])
    return serialize_part_xml(types)


def _constant_entries(parts: Sequence[Part], package_rels: bytes) -> dict[str, Entry]:
    """The template's package entries, deflated once: those a document does not change are written as they are."""
    entries = {
        "[Content_Types].xml": entry("[Content_Types].xml", content_types(parts)),
        "_rels/.rels": entry("_rels/.rels", package_rels),
    }
    for part in parts:
        entries[part.partname.membername] = entry(part.partname.membername, part.blob)
        if len(part.rels):
            name = part.partname.rels_uri.membername
            entries[name] = entry(name, part.rels.xml)
    return entries
