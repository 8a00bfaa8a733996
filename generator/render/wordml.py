"""WordprocessingML written as text: paragraphs, runs and tables, their properties in the order python-docx gives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

_PARAGRAPH_ORDER = {  # the schema's order of <w:pPr>'s children (python-docx's CT_PPr)
    tag: rank
    for rank, tag in enumerate(
        (
            *("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl"),
            *("w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens"),
            *("w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN"),
            *("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing"),
            *("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment"),
            *("w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
        )
    )
}

KEEP_NEXT = "<w:keepNext/>"
KEEP_LINES = "<w:keepLines/>"
NO_HYPHENATION = "<w:suppressAutoHyphens/>"
EMPTY_PARAGRAPH = "<w:p/>"


def escape(text: str) -> str:
    """Text made safe for an element's content or an attribute's value."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@dataclass
class Paragraph:
    """A <w:p> being written: its properties (tag, XML) in the order python-docx would have put them, its runs."""

    properties: list[tuple[str, str]] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)

    def put(self, tag: str, xml: str) -> None:
        """Set a property as python-docx does: in place if present, else before its first successor found."""
        for position, (present, _) in enumerate(self.properties):
            if present == tag:
                self.properties[position] = (tag, xml)
                return
        rank = _PARAGRAPH_ORDER[tag]
        successors = [
            (_PARAGRAPH_ORDER[t], p) for p, (t, _) in enumerate(self.properties) if _PARAGRAPH_ORDER[t] > rank
        ]
        self.properties.insert(min(successors)[1] if successors else len(self.properties), (tag, xml))

    def append(self, tag: str, xml: str) -> None:
        """A property added last, whatever the schema's order (as our numbering has always been added)."""
        self.properties.append((tag, xml))

    def xml(self) -> str:
        if not self.properties:
            return f"<w:p>{''.join(self.runs)}</w:p>" if self.runs else EMPTY_PARAGRAPH
        properties = "".join(xml for _, xml in self.properties)
        return f"<w:p><w:pPr>{properties}</w:pPr>{''.join(self.runs)}</w:p>"


def style(style_id: str) -> str:
    return f'<w:pStyle w:val="{escape(style_id)}"/>'


def alignment(value: str) -> str:
    return f'<w:jc w:val="{value}"/>'


def space_after(twips: int) -> str:
    return f'<w:spacing w:after="{twips}"/>'


def left_indent(twips: int) -> str:
    return f'<w:ind w:left="{twips}"/>'


def list_level(num_id: int, level: int) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def outline_level(level: int) -> str:
    return f'<w:outlineLvl w:val="{level}"/>'


@dataclass
class Format:
    """How the text being read is set (changed by the markup as it opens and closes)."""

    bold: bool = False
    italic: bool = False
    strike: bool = False
    superscript: bool = False  # an ordinal's suffix (« 1er »), or « ^…^ » in a clause
    highlight: bool = False  # a value still to confirm


def run_properties(fmt: Format, half_points: int = 0, font: str = "") -> str:
    """A run's <w:rPr>, its children in the schema's order (empty when the run has none)."""
    parts = []
    if font:
        parts.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>')
    if fmt.bold:
        parts.append("<w:b/>")
    if fmt.italic:
        parts.append("<w:i/>")
    if fmt.strike:
        parts.append("<w:strike/>")
    if half_points:
        parts.append(f'<w:sz w:val="{half_points}"/>')
    if fmt.highlight:
        parts.append('<w:highlight w:val="yellow"/>')
    if fmt.superscript:
        parts.append('<w:vertAlign w:val="superscript"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def run(text: str, properties: str = "") -> str:
    """A <w:r> holding `text` as python-docx writes it: a tab as <w:tab/>, a line end as <w:br/>."""
    if "\t" in text or "\n" in text or "\r" in text:
        content = "".join(_content(piece) for piece in _pieces(text))
    else:
        content = _text(text)
    return f"<w:r>{properties}{content}</w:r>"


def _pieces(text: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    for char in text:
        if char in "\t\r\n":
            pieces += ["".join(current), char]
            current = []
        else:
            current.append(char)
    return [*pieces, "".join(current)]


def _content(piece: str) -> str:
    if piece == "\t":
        return "<w:tab/>"
    if piece in ("\r", "\n"):
        return "<w:br/>"
    return _text(piece) if piece else ""


def _text(text: str) -> str:
    if len(text.strip()) < len(text):
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>'
    return f"<w:t>{escape(text)}</w:t>"


LINE_BREAK = "<w:r><w:br/></w:r>"


def footnote_reference(footnote_id: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{footnote_id}"/></w:r>'


FOOTNOTE_STYLE = '<w:pStyle w:val="FootnoteText"/>'
FOOTNOTE_MARK = (
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
)


def footnote(footnote_id: int, paragraphs: Sequence[Paragraph]) -> str:
    """A <w:footnote>: its paragraphs, the first opening with the footnote's mark."""
    return f'<w:footnote w:id="{footnote_id}">{"".join(p.xml() for p in paragraphs)}</w:footnote>'


@dataclass
class Body:
    """The blocks of a body being written: paragraphs still open to changes, tables already written."""

    blocks: list[Paragraph | str] = field(default_factory=list)

    def add_paragraph(self) -> Paragraph:
        paragraph = Paragraph()
        self.blocks.append(paragraph)
        return paragraph

    def add(self, xml: str) -> None:
        self.blocks.append(xml)

    def xml(self) -> str:
        return "".join(block if isinstance(block, str) else block.xml() for block in self.blocks)

    def keep_last_with_next(self) -> None:
        """The body's last paragraph, if it ends the body, stays on the page of what follows it."""
        if self.blocks and isinstance(self.blocks[-1], Paragraph):
            self.blocks[-1].put("w:keepNext", KEEP_NEXT)
