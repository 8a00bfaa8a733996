"""Eight house styles, each laying a draft out in Word as other offices do: Word's automatic numbering, custom styles
with their own numbering, « ARTICLE PREMIER », roman numerals, bold body text as headings, « § », a number alone above
its title, and a scanned-like page with broken lines; parties as text or a numbered list, signatures as text or a
2×2 table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from .model import Article, Block, Draft, Signatory

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV")
FRENCH_ORDINALS = ("PREMIER",)


class Word:
    """A Word document being written, with the numbering definitions a style adds to it."""

    def __init__(self) -> None:
        self.document: WordDocument = Document()
        self.numbering = self.document.part.numbering_part.element
        self.next_id = 50

    def abstract(self, levels: list[tuple[str, str]], style: str | None = None) -> str:
        """A numbering definition: one (format, text) per level; its first level linked to `style`."""
        self.next_id += 1
        abstract_id = str(self.next_id)
        xml = [f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">']
        xml.append('<w:multiLevelType w:val="multilevel"/>')
        for level, (number_format, text) in enumerate(levels):
            linked = f'<w:pStyle w:val="{style}"/>' if style and level == 0 else ""
            xml.append(
                f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>{linked}'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
            )
        xml.append("</w:abstractNum>")
        first_num = self.numbering.find(f"{{{self.numbering.nsmap['w']}}}num")
        element = parse_xml("".join(xml))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self.numbering.append(element)
        return abstract_id

    def instance(self, abstract_id: str, restart: bool = False) -> str:
        """A list using a definition; `restart`: a new list starting again at 1."""
        self.next_id += 1
        override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
        self.numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{self.next_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                f"{override}</w:num>"
            )
        )
        return str(self.next_id)

    def paragraph(
        self, text: str = "", bold: bool = False, centred: bool = False, style: str | None = None
    ) -> Paragraph:
        paragraph = self.document.add_paragraph(style=style)
        if text:
            paragraph.add_run(text).bold = bold
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    def listed(self, text: str, num_id: str, level: int = 0, bold: bool = False) -> Paragraph:
        paragraph = self.paragraph(text, bold=bold)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
        )
        return paragraph

    def style(
        self,
        style_id: str,
        name: str,
        based_on: str | None,
        outline: int | None = None,
        num_id: str | None = None,
        bold: bool = True,
    ) -> str:
        """A paragraph style of the house, with its outline level and numbering (which styles based on it inherit)."""
        style = self.document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(f"{{{self.numbering.nsmap['w']}}}styleId", style_id)
        if based_on:
            style.base_style = self.document.styles[based_on]
        style.font.bold = bold
        ppr = style.element.get_or_add_pPr()
        if num_id:
            ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num_id}"/></w:numPr>'))
        if outline is not None:
            ppr.append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{outline}"/>'))
        return name

    def table(self, rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = self.document.styles["Table Grid"]
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text

    def save(self, path: Path) -> Path:
        self.document.save(str(path))
        return path


# --- what every style shares: title, parties, visas, body blocks, signatures ------------------------------------
def _title(word: Word, draft: Draft, upper: bool = False) -> None:
    for number, line in enumerate(draft.title):
        word.paragraph(line.upper() if upper and number == 0 else line, bold=number == 0, centred=True)


def _visas(word: Word, draft: Draft, agreed: str = "Il est convenu ce qui suit :") -> None:
    for visa in draft.visas:
        word.paragraph(visa)
    word.paragraph(agreed)


def _blocks(word: Word, blocks: list[Block], numbers: Callable[[Word, list[str]], None], bullets: str | None) -> None:
    for block in blocks:
        if block.kind == "p":
            word.paragraph(block.text)
        elif block.kind == "table":
            word.table(block.rows)
        elif block.kind == "numbers":
            numbers(word, block.items)
        elif block.kind == "bullets":
            for item in block.items:
                if bullets is None:
                    word.paragraph(f"– {item}")
                else:
                    word.listed(item, bullets)
        elif block.kind == "sub":
            word.paragraph(block.text, bold=True)


def _typed_numbers(word: Word, items: list[str]) -> None:
    for number, item in enumerate(items, start=1):
        word.paragraph(f"{number}. {item}")


def _dashed(word: Word, items: list[str]) -> None:
    for item in items:
        word.paragraph(f"- {item}")


def _auto_numbers(word: Word, items: list[str], text: str = "%1.") -> None:
    num_id = word.instance(word.abstract([("decimal", text)]), restart=True)
    for item in items:
        word.listed(item, num_id)


def _signature_text(word: Word, draft: Draft, place: bool = True) -> None:
    word.paragraph(draft.place_date if place else "SIGNATURES")
    for signatory in draft.signatories:
        for line in _signature_lines(signatory):
            word.paragraph(line)
        word.paragraph("")


def _signature_lines(signatory: Signatory) -> list[str]:
    """« Pour l'État, », « Le Préfet du Nord », the person when named (nothing for a block left out)."""
    role = signatory.role[:1].upper() + signatory.role[1:]
    return [line for line in (signatory.party, role, signatory.person) if line]


def _signature_table(word: Word, draft: Draft, place: bool = True) -> None:
    if place:
        word.paragraph(draft.place_date)
    table = word.document.add_table(rows=2, cols=2)
    for index, signatory in enumerate(draft.signatories):
        cell = table.cell(index // 2, index % 2)
        _cell_lines(cell, signatory)


def _cell_lines(cell, signatory: Signatory) -> None:  # type: ignore[no-untyped-def]
    lines = _signature_lines(signatory) or [""]
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _number(article: Article, counted: int) -> int:
    return article.number if article.number is not None else counted


# --- the eight styles -----------------------------------------------------------------------------------------------
def automatic_list(draft: Draft, path: Path) -> Path:
    """« Liste automatique »: headings and parties are items of Word lists (numbering.xml), no digit in the text."""
    word = Word()
    _title(word, draft)
    word.paragraph("Entre les parties suivantes :")
    parties = word.instance(word.abstract([("lowerLetter", "%1)")]))
    for party in draft.parties:
        word.listed(party, parties)
    _visas(word, draft)
    heading_format = ("upperRoman", "%1 –") if draft.kind == "avenant" else ("decimal", "%1.")
    abstract = word.abstract([heading_format, ("decimal", "%1.%2")])
    headings = word.instance(abstract)
    bullets = word.instance(word.abstract([("bullet", "•")]))
    for article in draft.articles:
        if article.restart:  # « Recommencer la numérotation » in Word: a new list instance starting at 1
            headings = word.instance(abstract, restart=True)
        word.listed(article.title, headings, bold=True)
        _blocks(word, article.blocks, _auto_numbers, bullets)
    _signature_table(word, draft)
    return word.save(path)


def custom_style(draft: Draft, path: Path) -> Path:
    """« Style Article »: a house style « Titre article » numbered « ARTICLE %1 : » with an outline level, and the
    style the headings use based on it (the numbering is inherited)."""
    word = Word()
    abstract = word.abstract([("decimal", "ARTICLE %1 :"), ("decimal", "%1.%2")], style="TitreArticle")
    numbering = word.instance(abstract)
    word.style("TitreArticle", "Titre article", "Normal", outline=0, num_id=numbering)
    heading = word.style("ArticleConvention", "Article de convention", "Titre article")
    _title(word, draft, upper=True)
    word.paragraph("ENTRE")
    for party in draft.parties:
        word.paragraph(f"– {party}")
    _visas(word, draft)
    for article in draft.articles:
        word.paragraph(article.title.upper(), style=heading)
        _blocks(word, article.blocks, lambda w, items: _auto_numbers(w, items, "%1)"), None)
    _signature_text(word, draft)
    return word.save(path)


def article_premier(draft: Draft, path: Path) -> Path:
    """« ARTICLE PREMIER – OBJET », then « ARTICLE 2 – … », typed and bold."""
    word = Word()
    _title(word, draft, upper=True)
    word.paragraph("ENTRE LES SOUSSIGNÉS :")
    for party in draft.parties:
        word.paragraph(party)
    _visas(word, draft, "IL A ÉTÉ CONVENU CE QUI SUIT :")
    for counted, article in enumerate(draft.articles, start=1):
        number = _number(article, counted)
        shown = "PREMIER" if number == 1 else str(number)
        word.paragraph(f"ARTICLE {shown} – {article.title.upper()}", bold=True, centred=True)
        _blocks(word, article.blocks, _typed_numbers, None)
    _signature_table(word, draft)
    return word.save(path)


def roman(draft: Draft, path: Path) -> Path:
    """Roman numerals typed in Word's own heading style (« II – Patrimoine concerné »); parties typed « 1° »; a running
    header on every page."""
    word = Word()
    word.document.sections[0].header.paragraphs[0].text = draft.title[2]
    _title(word, draft)
    word.paragraph("Entre :")
    for number, party in enumerate(draft.parties, start=1):
        word.paragraph(f"{number}° {party}")
    _visas(word, draft)
    for counted, article in enumerate(draft.articles, start=1):
        word.paragraph(f"{ROMAN[_number(article, counted) - 1]} – {article.title}", style="Heading 1")
        _blocks(word, article.blocks, _auto_numbers, None)
    _signature_table(word, draft)
    return word.save(path)


def bold_text(draft: Draft, path: Path) -> Path:
    """Bold body text as headings (« Article 1er : Objet »), no heading style; parties as a bulleted list."""
    word = Word()
    _title(word, draft)
    word.paragraph("Entre les soussignés :")
    bullets = word.instance(word.abstract([("bullet", "–")]))
    for party in draft.parties:
        word.listed(party, bullets)
    _visas(word, draft)
    for counted, article in enumerate(draft.articles, start=1):
        number = _number(article, counted)
        shown = "1er" if number == 1 else str(number)
        word.paragraph(f"Article {shown} : {article.title}", bold=True)
        _blocks(word, article.blocks, _dashed, None)
    _signature_text(word, draft, place=False)
    return word.save(path)


def section_sign(draft: Draft, path: Path) -> Path:
    """« § 3 – Élaboration des programmes d'actions » in a house style without outline level."""
    word = Word()
    heading = word.style("ParagrapheTitre", "Paragraphe titre", "Normal")
    _title(word, draft, upper=True)
    word.paragraph("Entre :")
    word.table([[who, f"représent{rest}"] for who, _s, rest in (p.partition(", représent") for p in draft.parties)])
    _visas(word, draft)
    for counted, article in enumerate(draft.articles, start=1):
        word.paragraph(f"§ {_number(article, counted)} – {article.title}", style=heading)
        _blocks(word, article.blocks, _typed_numbers, None)
    _signature_text(word, draft)
    return word.save(path)


def number_above_title(draft: Draft, path: Path) -> Path:
    """« ARTICLE 3 » alone, shown by Word's numbering from its style, its title on the next line."""
    word = Word()
    abstract = word.abstract([("decimal", "ARTICLE %1"), ("decimal", "%1.%2")], style="ArticleNumero")
    article_numbering = word.instance(abstract)
    word.style("ArticleNumero", "Article numéro", "Normal", outline=0, num_id=article_numbering)
    title = word.style("ArticleIntitule", "Article intitulé", "Normal")
    _title(word, draft)
    word.paragraph("Conclue entre :")
    parties = word.instance(word.abstract([("decimal", "%1.")]))
    for party in draft.parties:
        word.listed(party, parties)
    _visas(word, draft)
    for article in draft.articles:
        word.paragraph(style="Article numéro").alignment = WD_ALIGN_PARAGRAPH.CENTER
        word.paragraph(article.title.upper(), style=title, centred=True)
        for block in article.blocks:
            if block.kind == "sub":  # « 3.1 », « 3.2 »: the second level of the articles' numbering
                word.listed(block.text, article_numbering, level=1, bold=True)
            else:
                _blocks(word, [block], _auto_numbers, None)
    _signature_table(word, draft, place=False)
    return word.save(path)


def scanned(draft: Draft, path: Path) -> Path:
    """A scanned, retyped look: narrow page, monospaced type, lines broken by hand (words cut with a hyphen)."""
    word = Word()
    section = word.document.sections[0]
    section.page_width, section.page_height = Mm(148), Mm(210)
    section.left_margin = section.right_margin = Mm(12)
    normal = word.document.styles["Normal"]
    normal.font.name, normal.font.size = "Liberation Mono", Pt(8.5)
    _broken(word, " ".join(draft.title), bold=True)
    word.paragraph("Entre :")
    for party in draft.parties:
        _broken(word, party)
    for visa in draft.visas:
        _broken(word, visa)
    word.paragraph("Il est convenu ce qui suit :")
    for counted, article in enumerate(draft.articles, start=1):
        word.paragraph(f"Art. {_number(article, counted)} - {article.title}", bold=True)
        for block in article.blocks:
            if block.kind == "p":
                _broken(word, block.text)
            elif block.kind == "table":
                word.table(block.rows)
            else:
                for item in block.items:
                    _broken(word, f"- {item}")
    _signature_text(word, draft)
    return word.save(path)


def _broken(word: Word, text: str, bold: bool = False, width: int = 44) -> None:
    """A paragraph broken by hand every `width` characters or so, every third break cutting a word with a hyphen."""
    paragraph = word.paragraph()
    words, line, pieces, breaks = text.split(" "), "", [], 0
    for token in words:
        if len(line) + len(token) + 1 <= width:
            line = f"{line} {token}".strip()
            continue
        breaks += 1
        if breaks % 3 == 0 and len(token) >= 8 and token.isalpha():
            cut = len(token) // 2
            pieces.append(f"{line} {token[:cut]}-".strip())
            line = token[cut:]
        else:
            pieces.append(line)
            line = token
    pieces.append(line)
    for number, piece in enumerate(pieces):
        run = paragraph.add_run(piece)
        run.bold = bold
        if number < len(pieces) - 1:
            run.add_break(WD_BREAK.LINE)


STYLES: dict[str, Callable[[Draft, Path], Path]] = {
    "liste-auto": automatic_list,
    "style-article": custom_style,
    "article-premier": article_premier,
    "romains": roman,
    "gras": bold_text,
    "paragraphes": section_sign,
    "titre-seul": number_above_title,
    "scan": scanned,
}
