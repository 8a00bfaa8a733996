"""The Markdown -> Word renderer: each construct, read back with python-docx and pandoc."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ClauseError

from ..helpers import docx_text, render


def body_paragraphs(path: Path):  # type: ignore[no-untyped-def]
    return [p for p in Document(str(path)).paragraphs if p.text.strip()]


def numbering(paragraph) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    num_pr = paragraph._p.pPr.find(qn("w:numPr")) if paragraph._p.pPr is not None else None
    if num_pr is None:
        return None
    return int(num_pr.find(qn("w:numId")).get(qn("w:val"))), int(num_pr.find(qn("w:ilvl")).get(qn("w:val")))


def test_article_heading_and_subheadings(tmp_path: Path) -> None:
    paragraphs = body_paragraphs(render("## Sous-partie\n\n### Détail\n\nTexte.\n", tmp_path))
    styles = {p.text: p.style.name for p in paragraphs}
    assert styles["Article 1 – Premier article"] == "Heading 1"
    assert styles["Sous-partie"] == "Heading 2"
    assert styles["Détail"] == "Heading 3"
    assert styles["Le titre"] == "Title"


def test_bold_italic_and_strike(tmp_path: Path) -> None:
    (paragraph,) = [
        p
        for p in body_paragraphs(render("Un **gras** et *italique* et ~~barré~~.\n", tmp_path))
        if p.text.startswith("Un ")
    ]
    runs = {r.text: r for r in paragraph.runs}
    assert runs["gras"].bold and not runs["Un "].bold
    assert runs["italique"].italic
    assert runs["barré"].font.strike
    assert paragraph.text == "Un gras et italique et barré."


def test_superscript(tmp_path: Path) -> None:
    paragraphs = body_paragraphs(render("M^me^ Dupont, au 1^er^ janvier.\n", tmp_path))
    (paragraph,) = [p for p in paragraphs if "Dupont" in p.text]
    assert paragraph.text == "Mme Dupont, au 1er janvier."
    assert [r.text for r in paragraph.runs if r.font.superscript] == ["me", "er"]


def test_table_rows_never_split_and_columns_follow_their_content(tmp_path: Path) -> None:
    markdown = (
        "| Axe | Montant |\n|---|---:|\n"
        "| 1 – Renforcement de la présence du personnel de proximité | 2\u00a0200,00\u00a0€ |\n"
    )
    table = Document(str(render(markdown, tmp_path))).tables[0]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    label, amount = (int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol")))
    assert label > 3 * amount  # the label wide, the amount just wide enough
    assert all(c.paragraphs[0]._p.pPr.find(qn("w:suppressAutoHyphens")) is not None for c in table.rows[1].cells)


def test_nested_bullet_list(tmp_path: Path) -> None:
    path = render("- un\n- deux\n  - deux-a\n  - deux-b\n- trois\n", tmp_path)
    items = {p.text: numbering(p) for p in body_paragraphs(path) if numbering(p)}
    assert items["un"][1] == 0 and items["deux-a"][1] == 1 and items["trois"][1] == 0
    assert items["un"][0] == items["trois"][0] != items["deux-a"][0]
    plain = subprocess.run(["pandoc", "-t", "plain", str(path)], capture_output=True, text=True, check=True).stdout
    assert "-   deux\n\n    -   deux-a" in plain or "-   deux\n    -   deux-a" in plain


def test_each_ordered_list_restarts_at_one(tmp_path: Path) -> None:
    path = render("1. premier\n2. second\n\nEntre deux.\n\n1. encore un\n", tmp_path)
    items = {p.text: numbering(p) for p in body_paragraphs(path) if numbering(p)}
    assert items["premier"][0] == items["second"][0] != items["encore un"][0]
    numbering_xml = zipfile.ZipFile(path).read("word/numbering.xml").decode()
    assert numbering_xml.count('<w:startOverride w:val="1"/>') >= 9 * 2
    assert 'w:numFmt w:val="decimal"' in numbering_xml
    plain = subprocess.run(["pandoc", "-t", "plain", str(path)], capture_output=True, text=True, check=True).stdout
    assert "1.  premier" in plain and "2.  second" in plain and "1.  encore un" in plain


def test_table_with_header_and_alignment(tmp_path: Path) -> None:
    path = render("| Quartier | Logements |\n|---|---:|\n| Gambetta | 9 |\n| **Total** | **9** |\n", tmp_path)
    document = Document(str(path))
    table = document.tables[0]  # the signature table of the template comes after the body
    assert [c.text for c in table.rows[0].cells] == ["Quartier", "Logements"]
    assert [c.text for c in table.rows[1].cells] == ["Gambetta", "9"]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # right
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_real_word_footnote(tmp_path: Path) -> None:
    path = render("Une phrase avec une note[^n].\n\n[^n]: Le texte de la **note**.\n", tmp_path)
    archive = zipfile.ZipFile(path)
    document_xml = archive.read("word/document.xml").decode()
    footnotes_xml = archive.read("word/footnotes.xml").decode()
    assert "<w:footnoteReference" in document_xml
    assert "Le texte de la " in footnotes_xml and "note" in footnotes_xml
    assert "footnotes" in archive.read("word/_rels/document.xml.rels").decode()
    assert "Le texte de la" not in document_xml  # not a superscript digit plus text in the body
    text = docx_text(path)
    assert "Une phrase avec une note[1]." in text and "[1] Le texte de la note." in text


def test_signature_table_names_every_signatory(tmp_path: Path) -> None:
    table = Document(str(render("Texte.\n", tmp_path))).tables[-1]
    cells = [c.text for row in table.rows for c in row.cells]
    # each cell ends with the empty paragraph opening the space to sign (its bookmark places the PDF's field)
    assert cells[0] == "Pour Partie prefet\nQualité prefet\nPersonne prefet\n"
    assert cells[3] == "Pour Partie bailleur\nQualité bailleur\nPersonne bailleur\n"


def test_header_footer_and_properties(tmp_path: Path) -> None:
    path = render("Texte.\n", tmp_path)
    document = Document(str(path))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "PROJET — document de travail, non signé — Titre court"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    properties = document.core_properties
    assert (properties.title, properties.author, properties.keywords) == ("Titre", "Auteur", "QN05954M")
    assert properties.created.year == 2025 and properties.language == "fr-FR"


def test_word_properties_are_true_and_french(tmp_path: Path) -> None:
    path = render("Texte.\n", tmp_path)
    properties = Document(str(path)).core_properties
    assert properties.comments == "Titre. PROJET — document de travail, non signé. Document préparé avec atfpb."
    assert properties.content_status == "PROJET — document de travail, non signé"
    with zipfile.ZipFile(path) as package:
        app = ElementTree.fromstring(package.read("docProps/app.xml"))
        assert [(e.tag.split("}")[1], e.text) for e in app] == [("Application", "atfpb")]
        assert not [name for name in package.namelist() if "thumbnail" in name]
        core = ElementTree.fromstring(package.read("docProps/core.xml"))
        assert all((e.text or "").strip() for e in core)  # no empty « category », « identifier »


def test_french_hyphenation_in_the_text_never_in_titles_headings_or_the_header(tmp_path: Path) -> None:
    document = Document(str(render("## Sous-partie\n\nTexte.\n", tmp_path)))
    settings = document.settings.element
    assert settings.find(qn("w:autoHyphenation")) is not None and settings.find(qn("w:doNotHyphenateCaps")) is not None
    for name in ("Title", "Heading 1", "Heading 2", "Header"):
        assert document.styles[name].element.pPr.find(qn("w:suppressAutoHyphens")) is not None, name
    assert document.styles["Normal"].element.pPr.find(qn("w:suppressAutoHyphens")) is None


def test_core_properties_are_in_their_own_namespace(tmp_path: Path) -> None:
    """Read without python-docx, whose namespace map docxcompose (once a dependency) rewrote on import: the
    keywords and last author were then written under the custom-properties namespace, and read back empty."""
    with zipfile.ZipFile(render("Texte.\n", tmp_path)) as package:
        xml = package.read("docProps/core.xml").decode("utf-8")
    ns = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    wanted = (f"{ns}keywords", f"{ns}lastModifiedBy")
    assert sorted((e.tag, e.text) for e in ElementTree.fromstring(xml) if e.tag in wanted) == [
        (f"{ns}keywords", "QN05954M"),
        (f"{ns}lastModifiedBy", "Auteur"),
    ]
    assert "officeDocument/2006/custom-properties" not in xml


def test_a_commune_with_forty_quarters_keeps_its_keywords_within_word_limits(tmp_path: Path) -> None:
    """Found by the national benchmark: Marseille's 41 QPV codes overflowed Word's 255-character property."""
    codes = tuple(f"QN013{n:02d}M" for n in range(41))
    keywords = Document(str(render("Texte.\n", tmp_path, keywords=codes))).core_properties.keywords
    assert len(keywords) <= 255 and keywords.startswith("QN01300M, QN01301M") and keywords.endswith("M …")


@pytest.mark.parametrize("markdown", ["```\ncode\n```\n", "> citation\n", "---\n", "![image](x.png)\n"])
def test_unsupported_markdown_is_an_error_located_in_the_clause(tmp_path: Path, markdown: str) -> None:
    with pytest.raises(ClauseError, match=r"^clauses/essai/a.md:\d+: élément Markdown non pris en charge"):
        render(markdown, tmp_path)


words = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(st.lists(words, min_size=1, max_size=8), min_size=1, max_size=4), as_list=st.booleans())
def test_any_text_comes_back_from_word(tmp_path: Path, paragraphs: list[list[str]], as_list: bool) -> None:
    prefix = "- " if as_list else ""
    markdown = "\n\n".join(prefix + " ".join(p) for p in paragraphs) + "\n"
    path = render(markdown, tmp_path)
    text = " ".join(p.text for p in Document(str(path)).paragraphs)
    for paragraph in paragraphs:
        assert " ".join(paragraph) in text
