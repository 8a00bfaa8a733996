"""Our few OOXML tweaks, kept apart: footnotes, list numbering, fields, page flow, outline, reproducible packages."""

from __future__ import annotations

import copy
from datetime import datetime, time

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.run import Run
from lxml import etree

FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
BULLETS = ("•", "◦", "▪")
NUMBER_FORMATS = (("decimal", "%{n}."), ("lowerLetter", "%{n})"), ("lowerRoman", "%{n}."))


# --- styles ------------------------------------------------------------------------------
class StyleIds:
    """Style names resolved to ids once per document (python-docx rescans every style at each use)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.ids: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self.ids:
            self.ids[name] = self.document.styles[name].style_id
        return self.ids[name]


# --- footnotes ---------------------------------------------------------------------------
def append_footnotes(root: etree._Element, footnotes: list[str]) -> None:
    """Append footnotes (<w:footnote> as text) to the root of a footnotes part."""
    for footnote in footnotes:
        root.append(parse_xml(footnote.replace("<w:footnote ", f"<w:footnote {nsdecls('w')} ", 1)))


def first_free_footnote_id(document: Document) -> int:
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            ids = [int(i) for i in parse_xml(rel.target_part.blob).xpath("//w:footnote/@w:id")]
            return max([0, *ids]) + 1
    return 1


# --- numbering ---------------------------------------------------------------------------
class ListNumbering:
    """A numbering part's root that Markdown lists are added to, the ids it gives remembered (python-docx's xpath is
    slow): each list a fresh numbering instance (restarting at 1) of the bullets' or the numbers' abstract list."""

    def __init__(self, numbering: etree._Element) -> None:
        self.numbering = numbering
        self.last_num_id = max([0, *(int(n) for n in numbering.xpath("./w:num/@w:numId"))])
        self.abstract_ids: dict[bool, int] = {}

    def new_list(self, ordered: bool) -> int:
        """The numId of a new numbering instance, one more than the last one."""
        if ordered not in self.abstract_ids:
            self.abstract_ids[ordered] = _abstract_list(self.numbering, ordered)
        self.last_num_id += 1
        self.numbering.append(_list_instance(self.last_num_id, self.abstract_ids[ordered]))
        return self.last_num_id


def _list_instance(num_id: int, abstract_id: int) -> etree._Element:
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride>' for level in range(9)
    )
    return parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
    )


def _abstract_list(numbering: etree._Element, ordered: bool) -> int:
    name = "atfpb-numbers" if ordered else "atfpb-bullets"
    found = numbering.xpath(f'./w:abstractNum[w:name/@w:val="{name}"]/@w:abstractNumId')
    if found:
        return int(found[0])
    ids = [int(i) for i in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
    abstract_id = max([0, *ids]) + 1
    levels = []
    for level in range(9):
        if ordered:
            fmt, text = NUMBER_FORMATS[level % len(NUMBER_FORMATS)]
            text = text.format(n=level + 1)
        else:
            fmt, text = "bullet", BULLETS[level % len(BULLETS)]
        indent = 567 * (level + 1)
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="283"/></w:pPr></w:lvl>'
        )
    element = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{name}"/>{"".join(levels)}</w:abstractNum>'
    )
    # abstractNum elements must precede num elements
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(element)
    else:
        first_num.addprevious(element)
    return abstract_id


# --- fields and breaks -------------------------------------------------------------------
def add_field(run: Run, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a run; its value is computed at layout."""
    w = nsdecls("w")
    for xml in (
        f'<w:fldChar {w} w:fldCharType="begin"/>',
        f'<w:instrText {w} xml:space="preserve"> {instruction} </w:instrText>',
        f'<w:fldChar {w} w:fldCharType="separate"/>',
        f"<w:t {w}>1</w:t>",
        f'<w:fldChar {w} w:fldCharType="end"/>',
    ):
        run._r.append(parse_xml(xml))


def keep_row_on_one_page(properties: list[str], repeat: bool = False) -> None:
    """A table row (its <w:trPr> children) never split across two pages; a header row (`repeat`) repeated at the top
    of each page."""
    properties.append("<w:cantSplit/>")
    if repeat:
        properties.append("<w:tblHeader/>")


def no_hyphenation(paragraph: etree._Element) -> None:
    """A paragraph whose words are never cut at a line's end (names, codes, amounts in a table cell)."""
    paragraph.get_or_add_pPr().insert_element_before(OxmlElement("w:suppressAutoHyphens"), *_AFTER_SUPPRESS_HYPHENS)


_AFTER_SUPPRESS_HYPHENS = (  # what follows <w:suppressAutoHyphens> in <w:pPr>, in the schema's order
    *("w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi"),
    *("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents"),
    *("w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl"),
    *("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
)


TEXT_WIDTH = 9355  # twips: A4 portrait between the template's margins (2.2 cm each side)
TEXT_WIDTH_LANDSCAPE = 14345  # twips: A4 landscape between the same margins


def landscape_from(root: etree._Element, first_heading: str) -> None:
    """Lay the pages of the document part's `root` from the paragraph `first_heading` to the end in landscape (a new
    section)."""
    body = root.find(qn("w:body"))
    start = next(p for p in body.iter(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t"))) == first_heading)
    final = body.find(qn("w:sectPr"))
    portrait = copy.deepcopy(final)
    breaker = OxmlElement("w:p")
    breaker.append(OxmlElement("w:pPr"))
    breaker[0].append(portrait)
    start.addprevious(breaker)  # ends the portrait section, headers and footers included
    size = final.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")


def midnight(day: object) -> datetime:
    return datetime.combine(day, time())  # type: ignore[arg-type]
