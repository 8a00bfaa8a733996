"""A Word renderer over markdown-it tokens, shaped like markdown-it's HTML renderer."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from docx.blkcntnr import BlockItemContainer
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Cm, Pt, Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree
from markdown_it.token import Token

from ..errors import ClauseError, Location
from ..pending import PENDING_CLASS
from . import ooxml
from .tables import BODY, Room, TableData, column_widths

HEADING_STYLES = {
    "h1": "Heading 2",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "h4": "Heading 4",
    "h5": "Heading 4",
    "h6": "Heading 4",
}
PICTURE_WIDTH_CM = 15.5
ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


@dataclass
class Footnotes:
    """Footnotes made while rendering, stored into the document once it is laid out."""

    next_id: int
    elements: list[etree._Element] = field(default_factory=list)


@dataclass(frozen=True)
class Story:
    """Where renderers write: a body, the document it goes into, its footnotes and its style ids."""

    body: BlockItemContainer
    main: Document
    footnotes: Footnotes
    styles: ooxml.StyleIds
    pictures: Mapping[str, bytes] = field(default_factory=dict)  # PNG images a clause's « ![texte](nom) » names


@dataclass
class _Format:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    superscript: bool = False  # an ordinal's suffix (« 1er »), or « ^…^ » in a clause
    highlight: bool = False  # a value still to confirm


class WordRenderer:
    """Render a token stream into a python-docx document: one method per token type."""

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
        self.main = story.main
        self.footnotes = story.footnotes
        self.styles = story.styles
        self.pictures = story.pictures
        self.source = source
        self.first_line = first_line
        self.title_style = title_style
        self.centered = centered
        self.keep_together = keep_together
        self.compact = compact  # smaller type, for wide annex tables
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
        ooxml.set_style(self.paragraph._p, self.styles(style))

    def _heading_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.paragraph = None

    def _paragraph_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        if self.table is not None:
            return
        self.paragraph = self.document.add_paragraph()
        if self.centered:
            self.paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.keep_together:
            self.paragraph.paragraph_format.keep_with_next = True
        if self.lists:
            level = len(self.lists) - 1
            if not self.item_started[-1]:
                ooxml.set_list_level(self.paragraph, self.lists[-1], level)
                self.item_started[-1] = True
            else:
                ooxml.set_indent(self.paragraph, level)
            self.paragraph.paragraph_format.space_after = Pt(2)

    def _paragraph_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.paragraph = None

    def _bullet_list_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.lists.append(ooxml.new_list(self.main, ordered=False))

    def _ordered_list_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.lists.append(ooxml.new_list(self.main, ordered=True))

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
        ooxml.keep_last_paragraph_with_next(self.document)  # a table's introduction never ends a page alone

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
        table = self.document.add_table(len(table_data.rows), columns, Twips(ooxml.TEXT_WIDTH))
        ooxml.set_style(table._tbl, self.styles("Table Grid"))
        ooxml.full_width(table._tbl, column_widths(table_data, columns, self.room))
        row_elements = table._tbl.tr_lst  # python-docx's table.cell() is linear: rows are walked once here
        for r, row in enumerate(table_data.rows):
            header = r < table_data.header_rows
            ooxml.keep_row_on_one_page(row_elements[r], repeat=header)
            cells = row_elements[r].tc_lst
            for c, (inline, align) in enumerate(row):
                self.paragraph = _Cell(cells[c], table).paragraphs[0]
                self.paragraph.alignment = ALIGNMENTS.get(align, WD_ALIGN_PARAGRAPH.LEFT)  # never justified
                ooxml.no_hyphenation(self.paragraph._p)  # names, codes and amounts stay whole
                self._render_inline(inline, _Format(bold=header))
        self.paragraph = None
        self.document.add_paragraph()

    # --- inline ---------------------------------------------------------------------------
    def _inline(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        if self.table is not None:
            self.table.rows[-1].append((token, self.cell_align))
            return
        self._render_inline(token, _Format())

    def _render_inline(self, token: Token, fmt: _Format) -> None:
        assert self.paragraph is not None
        for child in token.children or ():
            if child.type == "text":
                if child.content:
                    self._add_text(child.content, fmt)
            elif child.type == "softbreak":
                self._add_text(" ", fmt)
            elif child.type == "hardbreak":
                self.paragraph.add_run().add_break()
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
                self._add_text(child.content, fmt).font.name = "Courier New"
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

    def _add_text(self, text: str, fmt: _Format):  # type: ignore[no-untyped-def]
        assert self.paragraph is not None
        run = self.paragraph.add_run(text)
        if self.compact:
            run.font.size = Pt(8)
        if fmt.bold:
            run.bold = True
        if fmt.italic:
            run.italic = True
        if fmt.strike:
            run.font.strike = True
        if fmt.superscript:
            run.font.superscript = True
        if fmt.highlight:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        return run

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
        shape = self.paragraph.add_run().add_picture(io.BytesIO(self.pictures[source]), width=Cm(PICTURE_WIDTH_CM))
        shape._inline.docPr.set("descr", image.content)
        self.paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.paragraph.paragraph_format.keep_together = True

    def _footnote(self, reference: Token, parent: Token) -> None:
        definition = self.definitions.get(reference.meta["id"])
        if not definition:
            raise ClauseError(f"la note « {reference.meta.get('label')} » n'a pas de texte.", self._where(parent))
        footnote_id = self.footnotes.next_id
        self.footnotes.next_id += 1
        element, first = ooxml.new_footnote(footnote_id)
        holder = self.paragraph
        for position, inline in enumerate(definition):
            if position:
                first = ooxml.deep_copy(first)
                for run in first.xpath("./w:r"):
                    first.remove(run)
                element.append(first)
            self.paragraph = Paragraph(first, self.document)
            self._render_inline(inline, _Format())
        self.paragraph = holder
        assert holder is not None
        ooxml.add_footnote_reference(holder, footnote_id)
        self.footnotes.elements.append(element)
