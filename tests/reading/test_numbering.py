"""Word's automatic numbering read as Word shows it: formats, start values, overrides, restarts, styles and the styles
they are based on, outline levels; and a line break inside a paragraph read as a PDF's."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from generator.reading.docx import read_docx
from generator.reading.numbering import format_number

from ..checks.corpus.styles import Word


def lines(word: Word, path: Path) -> list[tuple[str, bool]]:
    return [(line.text, line.heading) for line in read_docx(word.save(path))]


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (4, "decimal", "4"),
        (4, "upperRoman", "IV"),
        (14, "lowerRoman", "xiv"),
        (3, "upperLetter", "C"),
        (28, "lowerLetter", "bb"),
        (7, "decimalZero", "07"),
        (1, "ordinal", "1er"),
        (2, "ordinal", "2e"),
        (1, "ordinalText", "premier"),
        (3, "cardinalText", "trois"),
    ],
)
def test_number_formats(value: int, number_format: str, shown: str) -> None:
    assert format_number(value, number_format) == shown


def test_levels_restarts_and_lists_sharing_a_definition(tmp_path: Path) -> None:
    word = Word()
    abstract = word.abstract([("decimal", "ARTICLE %1 :"), ("decimal", "%1.%2")])
    first, second = word.instance(abstract), word.instance(abstract)
    word.listed("Objet", first)
    word.listed("Contenu", first, level=1)
    word.listed("Patrimoine", first)
    word.listed("Logements", first, level=1)  # the second level starts again under a new article
    word.listed("Pilotage", second)  # another list of the same definition goes on, as in Word and LibreOffice
    word.listed("Bilan", word.instance(abstract, restart=True))  # « Recommencer à 1 »
    assert [text for text, _h in lines(word, tmp_path / "a.docx")] == [
        "ARTICLE 1 : Objet",
        "1.1 Contenu",
        "ARTICLE 2 : Patrimoine",
        "2.1 Logements",
        "ARTICLE 3 : Pilotage",
        "ARTICLE 1 : Bilan",
    ]


def test_numbering_and_outline_level_inherited_from_a_base_style(tmp_path: Path) -> None:
    word = Word()
    abstract = word.abstract([("upperRoman", "%1 –")], style="TitreArticle")
    word.style("TitreArticle", "Titre article", "Normal", outline=0, num_id=word.instance(abstract))
    derived = word.style("ArticleAvenant", "Article avenant", "Titre article")
    word.paragraph("Objet de l'avenant", style=derived)
    word.paragraph("Texte de l'article.")
    word.paragraph("Programme d'actions", style=derived)
    assert lines(word, tmp_path / "b.docx") == [
        ("I – Objet de l'avenant", True),
        ("Texte de l'article.", False),
        ("II – Programme d'actions", True),
    ]


def test_a_start_value_a_suffix_and_no_numbering(tmp_path: Path) -> None:
    word = Word()
    word.next_id += 1
    abstract = str(word.next_id)
    word.numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract}"><w:lvl w:ilvl="0"><w:start w:val="3"/>'
            '<w:numFmt w:val="decimal"/><w:suff w:val="nothing"/><w:lvlText w:val="§ %1 – "/></w:lvl></w:abstractNum>'
        ),
    )
    num = word.instance(abstract)
    word.listed("Pilotage", num)
    word.listed("Bilan", num)
    word.listed("Sans numéro", "0")  # numId 0: no numbering
    assert [text for text, _h in lines(word, tmp_path / "c.docx")] == ["§ 3 – Pilotage", "§ 4 – Bilan", "Sans numéro"]


def test_bullets_are_not_read(tmp_path: Path) -> None:
    word = Word()
    word.listed("l'État, représenté par le Préfet ;", word.instance(word.abstract([("bullet", "•")])))
    assert lines(word, tmp_path / "d.docx") == [("l'État, représenté par le Préfet ;", False)]


def test_a_line_break_inside_a_paragraph_reads_as_a_pdfs(tmp_path: Path) -> None:
    word = Word()
    paragraph = word.paragraph()
    for piece, last in (("la Ville d'Escau-", False), ("dain et Saint-", False), ("Amand-les-Eaux s'engagent", True)):
        run = paragraph.add_run(piece)
        if not last:
            run.add_break()
    assert lines(word, tmp_path / "e.docx") == [("la Ville d'Escaudain et Saint-Amand-les-Eaux s'engagent", False)]
