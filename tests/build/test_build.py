"""End to end: real LibreOffice, documents read back by independent readers (pandoc, pdftotext)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from generator.build.projects import build
from generator.errors import AtfpbError, ToolMissingError
from generator.inputs.project import Project, load_inputs
from generator.inputs.referentials import DATA
from generator.manifest import Entry

from ..helpers import ARTICLE_TITLES, docx_text, normalise, pdf_text
from .printed import squash

pytestmark = pytest.mark.e2e
Built = tuple[Project, list[Entry]]


def document(built: Built, commune: str, landlord: str) -> tuple[Path, Path]:
    project, documents = built
    entry = next(d for d in documents if (d.commune, d.bailleur) == (commune, landlord))
    return project.root / entry.docx, project.root / entry.pdf


@pytest.fixture(scope="module")
def lourches_texts(built: Built) -> dict[str, str]:
    docx, pdf = document(built, "lourches", "partenord-habitat")
    return {"docx": docx_text(docx), "pdf": pdf_text(pdf)}


def test_a_docx_and_a_pdf_per_commune_and_landlord(built: Built) -> None:
    project, everything = built
    documents = [d for d in everything if d.kind == "convention"]
    inputs = load_inputs(project)
    expected = {(c.slug, h.bailleur) for c in inputs.territory.communes for h in c.patrimoine}
    assert {(d.commune, d.bailleur) for d in documents} == expected
    assert len(expected) >= 6
    for entry in documents:
        docx, pdf = project.root / entry.docx, project.root / entry.pdf
        assert docx.parent == project.output / entry.commune
        assert entry.bailleur in docx.name and "convention" in docx.name
        assert hashlib.sha256(docx.read_bytes()).hexdigest() == entry.sha256["docx"]
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == entry.sha256["pdf"]
        assert len(PdfReader(pdf).pages) == entry.pages > 3
    manifest = json.loads((project.output / "manifest.json").read_text(encoding="utf-8"))
    conventions = {(d["commune"], d["bailleur"]) for d in manifest["documents"] if d["kind"] == "convention"}
    assert conventions == expected
    assert not list(project.output.glob(".atfpb-*")), "staging folder left behind"


@pytest.mark.parametrize("reader", ["docx", "pdf"])
def test_lourches_articles_in_order(lourches_texts: dict[str, str], reader: str) -> None:
    text = lourches_texts[reader]
    positions = [text.index(f"Article {n} – {title}") for n, title in enumerate(ARTICLE_TITLES, start=1)]
    assert positions == sorted(positions)
    assert "Article 12" not in text


SIGNATORIES = [
    ("Pour l'État", "Préfet du Nord", "M. Bertrand GAUME"),
    ("Pour La Porte du Hainaut", "Président de La Porte du Hainaut", "M. Aymeric ROBIN"),
    ("Pour la Ville de Lourches", "Maire de Lourches", "Mme Dalila DUWEZ-GUESMIA"),
    (
        "Pour Partenord Habitat",
        "Directeur territorial Hainaut Douaisis Cambrai de Partenord Habitat",
        "M. Denis AUBOIS",
    ),
]


@pytest.mark.parametrize("reader", ["docx", "pdf"])
def test_lourches_parties_name_the_four_signatories(lourches_texts: dict[str, str], reader: str) -> None:
    text = lourches_texts[reader]
    for _party, role, name in SIGNATORIES:
        assert squash(f"{name}, {role}") in squash(text)  # a line may end anywhere in it, hyphenated
    assert "Fait à Lourches, à la date de la dernière des signatures électroniques des parties." in text
    assert "14 mars 2025" not in text  # the document's date is not printed as the date of signature


def test_lourches_signature_table(built: Built, lourches_texts: dict[str, str]) -> None:
    docx, _pdf = document(built, "lourches", "partenord-habitat")
    cells = [normalise(c.text) for row in Document(str(docx)).tables[-1].rows for c in row.cells]
    assert cells == [" ".join(s) for s in SIGNATORIES]
    for party, role, name in SIGNATORIES:  # pdftotext reads the bold party line across the row
        assert party in lourches_texts["pdf"] and f"{role} {name}" in lourches_texts["pdf"]


@pytest.mark.parametrize("reader", ["docx", "pdf"])
def test_lourches_qpv_table(lourches_texts: dict[str, str], reader: str) -> None:
    assert "Gambetta QN05954M 9 Schneider QN05952M 6 Total 15" in lourches_texts[reader]


@pytest.mark.parametrize("reader", ["docx", "pdf"])
def test_every_legal_reference_with_its_exact_title(built: Built, lourches_texts: dict[str, str], reader: str) -> None:
    references = load_inputs(built[0]).references
    assert len(references) >= 7
    for reference in references:
        assert f"Vu {normalise(reference.citation)} ;" in lourches_texts[reader], reference.id
    text = lourches_texts[reader]
    assert "loi n° 2014-173 du 21 février 2014 de programmation pour la ville et la cohésion urbaine" in text
    assert "cohésion sociale" not in text and "2023-322" not in text


def _epci_communes() -> set[str]:
    with open(DATA / "epci-communes.csv", encoding="utf-8") as handle:
        return {row["nom_commune"] for row in csv.DictReader(handle) if row["siren_epci"] == "200042190"}


@pytest.mark.parametrize("reader", ["docx", "pdf"])
def test_no_text_of_another_commune_or_landlord(built: Built, lourches_texts: dict[str, str], reader: str) -> None:
    text = lourches_texts[reader]
    # the communes the convention's quarters span are named once, in the sentence saying so, and nowhere else
    spanned = "s'étend aussi sur les communes de Denain et d'Escaudain."
    assert text.count(spanned) == 1 and text.count("s'étend aussi sur les communes d'Escaudain et de Rœulx.") == 1
    text = text.replace(spanned, "").replace("s'étend aussi sur les communes d'Escaudain et de Rœulx.", "")
    assert text.count("dont le siège est à Wallers") == 1  # the seat of the EPCI, in the parties
    text = text.replace("dont le siège est à Wallers", "")
    others = _epci_communes() - {"Lourches"}
    landlords = load_inputs(built[0]).territory.bailleurs
    others |= {name for b in landlords if b.slug != "partenord-habitat" for name in (b.nom, b.nom_court)}
    found = [name for name in others if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    assert found == []
    assert "Louches" not in text and "SIGH" not in text


@pytest.mark.parametrize("reader", ["docx", "pdf"])
def test_ampersand_and_ligature_intact(built: Built, reader: str) -> None:
    docx, pdf = document(built, "denain", "maisons-et-cites")
    text = docx_text(docx) if reader == "docx" else pdf_text(pdf)
    assert "Maisons & Cités" in text and "Pour Maisons & Cités" in text
    assert "Maisons &amp; Cités" not in text
    docx, pdf = document(built, "roeulx", "maisons-et-cites")
    text = docx_text(docx) if reader == "docx" else pdf_text(pdf)
    assert "Ville de Rœulx" in text and "Maire de Rœulx" in text


def test_pdf_fonts_are_embedded_and_pages_numbered(built: Built) -> None:
    _docx, pdf = document(built, "lourches", "partenord-habitat")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    pages = len(PdfReader(pdf).pages)
    assert f"Page 1 sur {pages}" in pdf_text(pdf) and f"Page {pages} sur {pages}" in pdf_text(pdf)


def test_french_typography_in_the_output(lourches_texts: dict[str, str], built: Built) -> None:
    docx, _pdf = document(built, "lourches", "partenord-habitat")
    raw = " ".join(p.text for p in Document(str(docx)).paragraphs)  # pdftotext turns NBSP into spaces
    assert "ce qui suit\u00a0:" in raw
    assert "«\u00a0Contrat Quartiers 2030\u00a0»" in raw
    assert " :" not in raw and "« " not in raw and " »" not in raw
    assert re.search(r"1 ?er janvier de l'année d'imposition", lourches_texts["pdf"])  # « er » raised: a word


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_failing_build_leaves_output_untouched(project: Project) -> None:
    (project.output / "lourches").mkdir(parents=True)
    (project.output / "lourches" / "ancienne.docx").write_bytes(b"une version precedente")
    before = snapshot(project.output)
    clause = project.clauses / "convention" / "20-patrimoine.md"
    clause.write_text(clause.read_text(encoding="utf-8").replace("{{ total_logements }}", "{{ total_logement }}"))
    with pytest.raises(AtfpbError, match=r"clauses/convention/20-patrimoine.md:\d+: le champ « total_logement »"):
        build(project)
    assert snapshot(project.output) == before
    assert [p.name for p in project.output.iterdir()] == ["lourches"]


def test_missing_libreoffice_is_reported_and_output_untouched(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "vide"))
    with pytest.raises(ToolMissingError, match="LibreOffice est introuvable : installez-le avec"):
        build(project, ["roeulx"])
    assert snapshot(project.output) == {}
