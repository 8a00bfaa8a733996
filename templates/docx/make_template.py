"""Build templates/docx/convention.docx, the Word template of the conventions (run once by a developer)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from generator.pdf.marks import SIGNATURE_MARKS  # noqa: E402
from generator.render.ooxml import add_field, no_hyphenation  # noqa: E402
from generator.render.properties import FileProperties, set_properties  # noqa: E402

FONT = "Arial"  # LibreOffice renders it with the metric-compatible Liberation Sans
BLUE = RGBColor(0x1F, 0x3A, 0x5F)


def _font(style, size: float, bold: bool = False, color: RGBColor | None = None) -> None:  # type: ignore[no-untyped-def]
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    fonts = style.element.rPr.find(qn("w:rFonts"))
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:cs"), FONT)


def build(destination: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    styles = document.styles

    _font(styles["Normal"], 10.5)
    normal = styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(6), 1.1
    normal.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _font(styles["Title"], 16, bold=True, color=BLUE)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Title"].paragraph_format.space_after = Pt(12)
    title_border = styles["Title"].element.pPr.find(qn("w:pBdr"))
    if title_border is not None:
        styles["Title"].element.pPr.remove(title_border)
    for name, size in (("Heading 1", 12), ("Heading 2", 11), ("Heading 3", 10.5), ("Heading 4", 10.5)):
        _font(styles[name], size, bold=True, color=BLUE)
        styles[name].font.italic = False
        styles[name].paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
        styles[name].paragraph_format.space_after = Pt(4)
        styles[name].paragraph_format.keep_with_next = True
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT  # a heading is never justified
    note = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    _font(note, 8.5)
    note.paragraph_format.space_after = Pt(0)
    mark = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    mark.font.superscript = True
    for name in ("Header", "Footer"):
        _font(styles[name], 8, color=RGBColor(0x55, 0x55, 0x55))

    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = defaults.find(qn("w:lang"))
    language.set(qn("w:val"), "fr-FR")
    language.set(qn("w:eastAsia"), "fr-FR")

    header = section.header.paragraphs[0]  # one line: the short title names the landlord by its short name
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    mention = header.add_run("{{ mention }}")  # "PROJET — …" on drafts, the version number on finals
    mention.bold = True
    mention.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    header.add_run("{{ titre_court }}")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    add_field(footer.add_run(), "PAGE")
    footer.add_run(" sur ")
    add_field(footer.add_run(), "NUMPAGES")

    body = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    body.add_run("{{p corps }}")
    _signature_table(document)
    document.add_paragraph().add_run("{{p annexes }}")  # annexes follow the signatures, in their own section
    _hyphenation(document)
    _clean_properties(document)
    document.save(str(destination))


SIGNATURE_SPACE = Cm(4)  # below each signatory's name: a signature and an official stamp


def _signature_table(document) -> None:  # type: ignore[no-untyped-def]
    """Four cells (State, EPCI, commune, landlord): the party, the delegation formula when there is one, the role and
    the person, then 4 cm to sign and stamp; rows never split, the first kept with the second (and « Fait à … »
    with the table, by the renderer)."""
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = (cell for row in table.rows for cell in row.cells)
    for index, (cell, key) in enumerate(zip(cells, SIGNATURE_MARKS, strict=True)):
        signatory = f"signataires.{key}"
        first = cell.paragraphs[0]
        first.add_run(f"Pour {{{{ {signatory}.partie }}}}").bold = True
        lines = (
            f"{{%p if {signatory}.delegation %}}",
            f"{{{{ {signatory}.delegation }}}}",
            "{%p endif %}",
            f"{{{{ {signatory}.qualite }}}}",
            f"{{{{ {signatory}.personne }}}}",
        )
        for text in lines:
            cell.add_paragraph().add_run(text)
        blank = cell.add_paragraph()  # where the signature goes: a hairline paragraph, then the space
        blank.paragraph_format.line_spacing = Pt(1)
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            no_hyphenation(paragraph._p)
        first.paragraph_format.space_after = Pt(4)
        blank.paragraph_format.space_after = SIGNATURE_SPACE
        _mark(first, SIGNATURE_MARKS[key][0], 2 * index)
        _mark(blank, SIGNATURE_MARKS[key][1], 2 * index + 1)
    for cell in table.rows[0].cells:  # the two rows stay on one page
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _mark(paragraph, name: str, number: int) -> None:  # type: ignore[no-untyped-def]
    """An empty hidden bookmark at the start of `paragraph`: LibreOffice exports it as a named destination giving
    where the paragraph starts on its page (generator/pdf/finish.py places the signature fields from them)."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    properties = paragraph._p.pPr
    at = 1 if properties is not None else 0
    paragraph._p.insert(at, start)
    paragraph._p.insert(at + 1, end)


def _hyphenation(document) -> None:  # type: ignore[no-untyped-def]
    """French hyphenation of the body text, so that justified lines stay even; never in titles, headings, the page
    header and footer, table cells or names in capitals."""
    settings = document.settings.element
    tab_stop = settings.find(qn("w:defaultTabStop"))
    for tag, value in (("w:doNotHyphenateCaps", None), ("w:hyphenationZone", "357"), ("w:autoHyphenation", None)):
        element = OxmlElement(tag)
        if value is not None:
            element.set(qn("w:val"), value)
        tab_stop.addnext(element)  # in the schema's order: autoHyphenation, hyphenationZone, doNotHyphenateCaps
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Header", "Footer"):
        no_hyphenation(document.styles[name].element)


def _clean_properties(document) -> None:  # type: ignore[no-untyped-def]
    """The template's own properties, without python-docx's default description, statistics and thumbnail."""
    set_properties(
        document,
        FileProperties(
            title="Modèle des conventions et avenants ATFPB",
            subject="Modèle Word d’atfpb",
            author="atfpb",
            keywords="",
            description="Modèle Word d’atfpb : en-tête, pied de page, styles et tableau des signatures.",
            status="",
            when=datetime(2025, 1, 1),
        ),
    )


if __name__ == "__main__":
    build(Path(__file__).with_name("convention.docx"))
