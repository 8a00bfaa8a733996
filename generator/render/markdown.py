"""A Word renderer over markdown-it tokens, shaped like markdown-it's HTML renderer, writing WordprocessingML text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from docx.shared import Cm
from lxml import etree
from markdown_it.token import Token

from ..errors import ClauseError, Location
from ..pending import PENDING_CLASS
from . import ooxml, wordml
from .package import DocumentPackage
from .tables import BODY, Room, TableData, column_widths, table_xml
from .wordml import Format, Paragraph

HEADING_STYLES = {
    "h1": "Heading 2",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "h4": "Heading 4",
    "h5": "Heading 4",
    "h6": "Heading 4",
}
PICTURE_WIDTH_CM = 15.5
ALIGNMENTS = {"left": "left", "center": "center", "right": "right"}
LIST_INDENT = 567  # twips per level of a list
COMPACT_SIZE = 16  # half-points: the type of wide annex tables (8 pt)


@dataclass
class Footnotes:
    """Footnotes made while rendering (<w:footnote> as text), stored into the document once it is laid out."""

    next_id: int
    elements: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Story:
    """Where renderers write: a body, the package it goes into, its footnotes and its style ids."""

    body: wordml.Body
    package: DocumentPackage
    footnotes: Footnotes
    styles: ooxml.StyleIds
    pictures: Mapping[str, bytes] = field(default_factory=dict)  # PNG images a clause's « ![texte](nom) » names


class WordRenderer:
    """Render a token stream into WordprocessingML paragraphs and tables: one method per token type."""

    def __init__(
        self,
        story: Story,
        *,
        source: str,
        first_line: int = 1,
        title_style: str | None = None,
        centered: bool = False,
        keep_together: bool = False,
        compact: bool = False,
        room: Room = BODY,
    ) -> None:
        self.document = story.body
        self.package = story.package
        self.footnotes = story.footnotes
        self.styles = story.styles
        self.pictures = story.pictures
        self.source = source
        self.first_line = first_line
        self.title_style = title_style
        self.centered = centered
        self.keep_together = keep_together
        self.size = COMPACT_SIZE if compact else 0  # smaller type, for wide annex tables
        self.room = room  # the width of the text and the size of the type (sets the columns' widths)
        self.paragraph: Paragraph | None = None
        self.lists: list[int] = []
        self.item_started: list[bool] = []
        self.table: TableData | None = None
        self.cell_align = ""
        self.definitions: dict[int, list[Token]] = {}

    # --- driver ---------------------------------------------------------------------------
    def render(self, tokens: Sequence[Token]) -> None:
        body = self._collect_footnote_definitions(tokens)
        for index, token in enumerate(body):
            handler = getattr(self, "_" + token.type, None)
            if handler is None:
                raise self._unsupported(token)
            handler(token, body, index)

    def _collect_footnote_definitions(self, tokens: Sequence[Token]) -> list[Token]:
        body: list[Token] = []
        current: int | None = None
        in_block = False
        for token in tokens:
            if token.type == "footnote_block_open":
                in_block = True
            elif token.type == "footnote_block_close":
                in_block = False
            elif token.type == "footnote_open":
                current = token.meta["id"]
                self.definitions[current] = []
            elif in_block and token.type == "inline" and current is not None:
                self.definitions[current].append(token)
            elif not in_block:
                body.append(token)
        return body

    def _unsupported(self, token: Token) -> ClauseError:
        return ClauseError(f"élément Markdown non pris en charge : « {token.type} ».", self._where(token))

    def _where(self, token: Token) -> Location:
        line = token.map[0] + self.first_line if token.map else None
        return Location(self.source, line)

    # --- blocks ---------------------------------------------------------------------------
    def _heading_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        style = self.title_style if (token.tag == "h1" and self.title_style) else HEADING_STYLES[token.tag]
        self.paragraph = self.document.add_paragraph()
        self.paragraph.put("w:pStyle", wordml.style(self.styles(style)))

    def _heading_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.paragraph = None

    def _paragraph_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        if self.table is not None:
            return
        self.paragraph = paragraph = self.document.add_paragraph()
        if self.centered:
            paragraph.put("w:jc", wordml.alignment("center"))
        if self.keep_together:
            paragraph.put("w:keepNext", wordml.KEEP_NEXT)
        if self.lists:
            level = len(self.lists) - 1
            if not self.item_started[-1]:
                paragraph.append("w:numPr", wordml.list_level(self.lists[-1], level))
                self.item_started[-1] = True
            else:
                paragraph.put("w:ind", wordml.left_indent(LIST_INDENT * (level + 1)))
            paragraph.put("w:spacing", wordml.space_after(40))

    def _paragraph_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.paragraph = None

    def _bullet_list_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.lists.append(self.package.new_list(ordered=False))

    def _ordered_list_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.lists.append(self.package.new_list(ordered=True))

    def _bullet_list_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.item_started.append(False)

    def _list_item_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.item_started.pop()

    # --- tables ---------------------------------------------------------------------------
    def _table_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.table = TableData()
        self.document.keep_last_with_next()  # a table's introduction never ends a page alone

    def _thead_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        assert self.table is not None
        self.table.in_head = True

    def _thead_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        assert self.table is not None
        self.table.in_head = False

    def _tbody_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        pass

    _tbody_close = _tbody_open

    def _tr_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        assert self.table is not None
        self.table.rows.append([])
        if self.table.in_head:
            self.table.header_rows += 1

    def _tr_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        pass

    def _th_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        style = str(token.attrs.get("style", ""))
        self.cell_align = style.removeprefix("text-align:")

    _td_open = _th_open

    def _th_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.cell_align = ""

    _td_close = _th_close

    def _table_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        table_data, self.table = self.table, None
        assert table_data is not None
        columns = max(len(row) for row in table_data.rows)
        rows, properties = [], []
        for r, row in enumerate(table_data.rows):
            header = r < table_data.header_rows
            row_properties: list[str] = []
            ooxml.keep_row_on_one_page(row_properties, repeat=header)
            properties.append(row_properties)
            rows.append([self._cell(inline, align, header) for inline, align in row])
        widths = column_widths(table_data, columns, self.room)
        self.document.add(table_xml(self.styles("Table Grid"), widths, rows, properties))
        self.document.add(wordml.EMPTY_PARAGRAPH)

    def _cell(self, inline: Token, align: str, header: bool) -> str:
        """A cell's paragraph: never justified, its words never cut (names, codes and amounts stay whole)."""
        self.paragraph = paragraph = Paragraph()
        paragraph.put("w:jc", wordml.alignment(ALIGNMENTS.get(align, "left")))
        paragraph.put("w:suppressAutoHyphens", wordml.NO_HYPHENATION)
        self._render_inline(inline, Format(bold=header))
        self.paragraph = None
        return paragraph.xml()

    # --- inline ---------------------------------------------------------------------------
    def _inline(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        if self.table is not None:
            self.table.rows[-1].append((token, self.cell_align))
            return
        self._render_inline(token, Format())

    def _render_inline(self, token: Token, fmt: Format) -> None:
        assert self.paragraph is not None
        for child in token.children or ():
            if child.type == "text":
                if child.content:
                    self._add_text(child.content, fmt)
            elif child.type == "softbreak":
                self._add_text(" ", fmt)
            elif child.type == "hardbreak":
                self.paragraph.runs.append(wordml.LINE_BREAK)
            elif child.type in ("strong_open", "strong_close"):
                fmt.bold = child.type == "strong_open"
            elif child.type in ("em_open", "em_close"):
                fmt.italic = child.type == "em_open"
            elif child.type in ("s_open", "s_close"):
                fmt.strike = child.type == "s_open"
            elif child.type in ("sup_open", "sup_close"):
                fmt.superscript = child.type == "sup_open"
            elif child.type == "span_open" and child.attrs.get("class") == PENDING_CLASS:
                fmt.highlight = True
            elif child.type == "span_close" and fmt.highlight:
                fmt.highlight = False
            elif child.type == "code_inline":
                self._add_text(child.content, fmt, font="Courier New")
            elif child.type in ("link_open", "link_close", "footnote_anchor"):
                continue
            elif child.type == "footnote_ref":
                self._footnote(child, token)
            elif child.type == "image":
                self._picture(child, token)
            else:
                raise self._unsupported_inline(child, token)

    def _unsupported_inline(self, child: Token, parent: Token) -> ClauseError:
        return ClauseError(f"élément Markdown non pris en charge : « {child.type} ».", self._where(parent))

    def _add_text(self, text: str, fmt: Format, font: str = "") -> None:
        assert self.paragraph is not None
        self.paragraph.runs.append(wordml.run(text, wordml.run_properties(fmt, self.size, font)))

    def _picture(self, image: Token, parent: Token) -> None:
        """An image the document provides (a chart), centred on the text's width, its text as its description."""
        assert self.paragraph is not None
        source = str(image.attrs.get("src", ""))
        if source not in self.pictures:
            raise ClauseError(
                f"élément Markdown non pris en charge : image « {source} » (seuls les graphiques que le document "
                "fournit, « graphique:… », s'insèrent).",
                self._where(parent),
            )
        inline = self.package.new_picture(self.pictures[source], Cm(PICTURE_WIDTH_CM))
        inline.docPr.set("descr", image.content)
        self.paragraph.runs.append(f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>")
        self.paragraph.put("w:jc", wordml.alignment("center"))
        self.paragraph.put("w:keepLines", wordml.KEEP_LINES)

    def _footnote(self, reference: Token, parent: Token) -> None:
        definition = self.definitions.get(reference.meta["id"])
        if not definition:
            raise ClauseError(f"la note « {reference.meta.get('label')} » n'a pas de texte.", self._where(parent))
        footnote_id = self.footnotes.next_id
        self.footnotes.next_id += 1
        holder, paragraphs = self.paragraph, []
        for position, inline in enumerate(definition):
            mark = [] if position else [wordml.FOOTNOTE_MARK]  # the first paragraph opens with the footnote's mark
            self.paragraph = Paragraph([("w:pStyle", wordml.FOOTNOTE_STYLE)], mark)
            paragraphs.append(self.paragraph)
            self._render_inline(inline, Format())
        self.paragraph = holder
        assert holder is not None
        holder.runs.append(wordml.footnote_reference(footnote_id))
        self.footnotes.elements.append(wordml.footnote(footnote_id, paragraphs))
