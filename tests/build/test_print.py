"""Print quality, read back from the produced files: rows never split, headings never alone at a page's foot, French
typography (apostrophes, non-breaking spaces, raised ordinals, the landlords' articles), a one-line header, room to
sign, clean Word properties. On the examples and on a synthetic territory: 1 to 12 QPV, 1 to 300 actions."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from docx import Document
from docx.shared import Cm
from pypdf import PdfReader

from generator.build.projects import build
from generator.build.review import check_files
from generator.cli import main
from generator.inputs.project import Project, load_inputs
from generator.manifest import Entry
from generator.render import ooxml

from ..helpers import copy_project, pdf_text, render
from . import printed

pytestmark = pytest.mark.e2e
Built = tuple[Project, list[Entry]]
TOULOUSE = ("QN03106I", "QN03107M", "QN03108M", "QN03109M", "QN03110M", "QN03111I")
TOULOUSE += ("QN03112M", "QN03113M", "QN03115I", "QN03117N", "QN03118N", "QN03119N")
# (name, article, short name, QPV held, {year: number of actions})
LANDLORDS = (
    ("Habitat Essai Un", "", "Essai Un", 1, {2025: 1}),
    ("Société Essai Deux du Grand Toulouse", "la", "SED", 3, {2025: 12}),
    ("Résidences Essai Quatre", "les", "REQ", 5, {2025: 7}),
    ("Office public Essai Trois de l'habitat de la Métropole toulousaine", "l'", "Office Essai Trois", 12,
     {2025: 40, 2026: 300}),
)  # fmt: skip
TITLES = (
    "Gardiennage renforcé",
    "Nettoyage supplémentaire des halls, des cages d'escalier et des abords des immeubles",
    "Médiation de soirée",
    "Enlèvement des encombrants et des dépôts sauvages au pied des immeubles, avec affichage préalable",
    "Fête des voisins",
    "Petits travaux d'éclairage des parkings et des cheminements piétons",
)


def _landlord_yaml(name: str, article: str, short: str) -> str:
    article_line = f'    article: "{article}"\n' if article else ""
    return (
        f'  - nom: "{name}"\n{article_line}    nom_court: "{short}"\n'
        f'    representant:\n      qualite: "Directeur général"\n'
        "      titulaires:\n        - civilite: Mme\n          prenom: Anne\n          nom: ESSAI\n"
    )


TERRITORY = """\
epci:
  nom: Toulouse Métropole
  nom_officiel: Toulouse Métropole
  siren: "243100518"
  siege: Toulouse
  president:
    qualite: Président de Toulouse Métropole
    titulaires:
      - civilite: M.
        prenom: Jean
        nom: ESSAI
etat:
  departement: Haute-Garonne
  prefet:
    qualite: Préfet de la Haute-Garonne
    titulaires:
      - civilite: M.
        prenom: Pierre
        nom: PRÉFET
    par_delegation:
      qualite: Secrétaire général de la préfecture de la Haute-Garonne
      titulaires:
        - civilite: Mme
          prenom: Claire
          nom: DÉLÉGUÉE
contrat:
  nom: Contrat de ville
  deliberation:
    numero: DEL-24-0001
    date: 2024-03-28
  date_signature: 2024-04-01
  debut: 2024
  fin: 2030
  signataires: [l'État, la Région Occitanie]
  orientations: [Améliorer le cadre de vie et le logement]
convention:
  debut: 2025
  fin: 2030
  date_document: 2025-03-01
bailleurs:
"""


def commune_yaml() -> str:
    holdings = "".join(
        f'  - nom: "{name}"\n    logements:\n' + "".join(f"      {code}: {20 + i}\n" for i, code in enumerate(codes))
        for name, _article, _short, codes in ((n, a, s, TOULOUSE[:h]) for n, a, s, h, _y in LANDLORDS)
    )
    qpv = "".join(f"  - {code}\n" for code in TOULOUSE)
    return (
        'nom: Toulouse\ninsee: "31555"\nmaire:\n  titulaires:\n    - civilite: M.\n      prenom: Paul\n'
        '      nom: MAIRE\ndeliberation:\n  numero: "2024-12-01"\n  date: 2024-12-01\n'
        f"qpv:\n{qpv}bailleurs:\n{holdings}"
    )


def programme_yaml(name: str, held: int, year: int, count: int) -> str:
    codes = TOULOUSE[:held]
    abatement = "".join(
        f"  {code}: {'!a_confirmer ' if i % 3 == 0 else ''}{1500 + 40 * count}\n" for i, code in enumerate(codes)
    )
    actions = "".join(_action(n, codes) for n in range(count))
    return f'commune: Toulouse\nbailleur: "{name}"\nannee: {year}\nabattement:\n{abatement}actions:\n{actions}'


def _action(n: int, codes: tuple[str, ...]) -> str:
    valued = 100 * (n % 17 + 3)
    pending = "!a_confirmer " if n % 4 == 1 else ""
    if len(codes) > 1 and n % 3 == 2:
        first = valued // 2
        spread = f"\n      {codes[n % len(codes)]}: {first}\n      {codes[(n + 1) % len(codes)]}: {valued - first}"
    else:
        spread = f" {codes[n % len(codes)]}"
    text = f'  - axe: {n % 8 + 1}\n    titre: "{TITLES[n % len(TITLES)]}"\n'
    if n % 2 == 0:
        text += "    description: Une action décrite en une phrase, au 1er trimestre, pour 30 % des logements.\n"
    text += f"    qpv:{spread}\n    cout_total: {pending}{valued + 50 * (n % 5)}\n    montant_valorise: {valued}\n"
    if n % 5 == 0:
        text += "    cofinancements:\n      - financeur: Ville de Toulouse\n        montant: 150\n"
    if n % 3 == 0:
        text += "    indicateurs: Nombre de passages ; satisfaction des locataires (enquête annuelle)\n"
    if n % 4 == 0:
        text += "    calendrier: Du 1er janvier au 31 décembre\n    pluriannuelle: true\n"
    return text


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A territory made for these tests (Toulouse, its 12 QPV), its Préfet signing by delegation, built as drafts."""
    project = copy_project(tmp_path_factory.mktemp("impression"))
    for folder in ("communes", "programmes", "bilans"):
        for path in (project.instances / folder).iterdir():
            path.unlink()
    landlords = "".join(_landlord_yaml(name, article, short) for name, article, short, _h, _y in LANDLORDS)
    (project.instances / "territoire.yaml").write_text(TERRITORY + landlords, encoding="utf-8")
    (project.instances / "communes" / "toulouse.yaml").write_text(commune_yaml(), encoding="utf-8")
    for index, (name, _article, _short, held, years) in enumerate(LANDLORDS):
        for year, count in years.items():
            path = project.instances / "programmes" / f"bailleur-{index}-{year}.yaml"
            path.write_text(programme_yaml(name, held, year, count), encoding="utf-8")
    return project, list(build(project).built)


def documents(built: Built) -> list[tuple[Entry, Path, Path]]:
    project, entries = built
    return [(e, project.root / e.docx, project.root / e.pdf) for e in entries]


@pytest.fixture(scope="module")
def everything(built: Built, synthetic: Built) -> list[tuple[Entry, Path, Path, list[printed.Page]]]:
    """Every document of the examples and of the synthetic territory, with its PDF laid out."""
    return [(e, docx, pdf, printed.laid_out(pdf)) for b in (built, synthetic) for e, docx, pdf in documents(b)]


def test_the_synthetic_territory_spans_one_to_twelve_quarters_and_one_to_three_hundred_actions(
    synthetic: Built,
) -> None:
    avenants = [e for e in synthetic[1] if e.kind == "avenant"]
    conventions = [e for e in synthetic[1] if e.kind == "convention"]
    assert len(avenants) == 5 and len(conventions) == 4
    longest = max(avenants, key=lambda e: e.pages)
    text = pdf_text(synthetic[0].root / longest.pdf)
    assert "Action 300 –" in text and all(code in text for code in TOULOUSE)
    assert "Action 1 –" in pdf_text(synthetic[0].root / min(avenants, key=lambda e: e.pages).pdf)


def test_no_table_row_is_split_across_pages(everything) -> None:  # type: ignore[no-untyped-def]
    for entry, docx, _pdf, pages in everything:
        assert printed.split_cells(docx, pages) == [], entry.pdf
        assert printed.signature_cells_split(docx, pages) == [], entry.pdf


def test_the_split_row_reader_sees_a_split_row(synthetic: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader above is not blind: the longest avenant, with rows allowed to split, shows split rows."""
    folder = synthetic[0].root.parent / "lignes-coupees"
    for part in ("instances", "clauses", "templates"):
        shutil.copytree(synthetic[0].root / part, folder / part)
    project = Project(folder)
    for path in (project.instances / "programmes").glob("*.yaml"):
        if "2026" not in path.name:
            path.unlink()
    monkeypatch.setattr(ooxml, "keep_row_on_one_page", lambda row, repeat=False: None)
    avenant = next(e for e in build(project, force=True).built if e.kind == "avenant")
    docx, pdf = project.root / avenant.docx, project.root / avenant.pdf
    assert printed.split_cells(docx, printed.laid_out(pdf)) != []


def test_no_heading_is_the_last_line_of_a_page(everything) -> None:  # type: ignore[no-untyped-def]
    for entry, docx, _pdf, pages in everything:
        assert printed.headings(docx)
        assert printed.headings_ending_a_page(docx, pages) == [], entry.pdf


def test_dates_numbers_percentages_and_amounts_are_never_cut(everything) -> None:  # type: ignore[no-untyped-def]
    for entry, docx, _pdf, pages in everything:
        assert printed.broken_bindings(pages) == [], entry.pdf
        text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
        assert not re.search(rf"\b\d{{1,2}}(?:er)? (?:{printed.MONTHS})\b", text), entry.docx
        assert not re.search(rf"\b(?:{printed.MONTHS}) \d{{4}}\b", text) and "n° " not in text, entry.docx
        assert not re.search(r"\d %|-\d[\d\u00a0]*,\d\d\u00a0€", text), entry.docx  # « 30 % », the minus sign


def test_ordinals_are_raised(everything) -> None:  # type: ignore[no-untyped-def]
    for entry, docx, _pdf, pages in everything:
        assert printed.unraised_ordinals(docx) == [], entry.docx
        if entry.kind == "convention":  # « au 1er janvier de l'année d'imposition »
            assert "er" in printed.raised_suffixes(docx)
            raised = [
                (line.words[i - 1], word)
                for _page, line in printed.words(pages)
                for i, word in enumerate(line.words)
                if word[0] == "er" and i and line.words[i - 1][0].endswith("1")
            ]
            assert raised and all(word[4] - word[2] < 0.8 * (digit[4] - digit[2]) for digit, word in raised)


def test_no_straight_apostrophe_in_any_text_or_property(everything) -> None:  # type: ignore[no-untyped-def]
    for entry, docx, pdf, _pages in everything:
        assert printed.straight_apostrophes(docx) == [], entry.docx
        reader = PdfReader(pdf)
        assert "'" not in "".join(page.extract_text() for page in reader.pages), entry.pdf
        assert all("'" not in str(value) for value in (reader.metadata or {}).values()), entry.pdf
        xmp = ElementTree.fromstring(reader.root_object["/Metadata"].get_object().get_data())
        assert all("'" not in (element.text or "") for element in xmp.iter()), entry.pdf
        assert all("'" not in item.title for item in _outline(reader.outline)), entry.pdf
        assert "’" in str(reader.metadata["/Title"]), entry.pdf


def _outline(items):  # type: ignore[no-untyped-def]
    for item in items:
        yield from _outline(item) if isinstance(item, list) else (item,)


def test_every_landlord_is_named_with_its_article(built: Built, synthetic: Built) -> None:
    examples = load_inputs(built[0]).territory
    cases = [(built, b.nom, b.article) for b in examples.bailleurs] + [
        (synthetic, name, article) for name, article, _short, _held, _years in LANDLORDS
    ]
    for project_built, name, article in cases:
        for entry, docx, pdf in documents(project_built):
            landlord = load_inputs(project_built[0]).territory.landlord(entry.bailleur)
            if landlord.nom != name:
                continue
            for text in (pdf_text(pdf), "\n".join(p.text for p in Document(str(docx)).paragraphs)):
                assert name.replace("'", "’").split()[0] in text
                assert printed.landlord_without_article(text, name, article) == [], entry.pdf
    sigh = next(e for e in built[1] if e.bailleur == "societe-immobiliere-du-grand-hainaut")
    text = pdf_text(built[0].root / sigh.pdf)
    assert "Pour la Société Immobilière du Grand Hainaut" in text and "dont la Société Immobilière" in text


def test_the_page_header_is_one_line_on_every_page(everything) -> None:  # type: ignore[no-untyped-def]
    for entry, _docx, _pdf, pages in everything:
        assert all(len(page.header_lines()) == 1 for page in pages), entry.pdf


def test_the_signatures_keep_text_of_the_contract_and_room_to_sign(everything) -> None:  # type: ignore[no-untyped-def]
    for entry, docx, pdf, pages in everything:
        page, done = printed.signature_page(pages)
        above = [line for line in page.body_lines() if line.bottom < done.top]
        assert above, f"{entry.pdf}: page {page.number} has the signatures alone"
        cells = printed.signature_cells(docx)
        assert all(c.paragraphs[-1].paragraph_format.space_after >= Cm(4) for c in cells), entry.docx
        fields = [a.get_object() for a in PdfReader(pdf).pages[page.number - 1]["/Annots"]]
        heights = [float(f["/Rect"][3]) - float(f["/Rect"][1]) for f in fields if f.get("/FT") == "/Sig"]
        assert len(heights) == 4 and min(heights) > 3.4 / 2.54 * 72, entry.pdf  # 4 cm, less the field's margins
        first_row_gap = _first_row_room(page, done)
        assert first_row_gap >= 3.9 / 2.54 * 72, (entry.pdf, first_row_gap)


def _first_row_room(page: printed.Page, done: printed.Line) -> float:
    """The blank height below the first row's text, down to the second row's first line (positions as laid out)."""
    lines = [line for line in page.body_lines() if line.top > done.bottom]
    openings = sorted({round(line.top) for line in lines if line.text.startswith("Pour ")})
    second = next(top for top in openings if top > openings[0] + 30)
    first_row = [line for line in lines if line.top < second - 2]
    return second - max(line.bottom for line in first_row)


def test_a_delegation_is_written_in_the_signature_cell(synthetic: Built) -> None:
    convention = next(e for e in synthetic[1] if e.kind == "convention")
    cell, other, *_others = printed.signature_cells(synthetic[0].root / convention.docx)
    assert [p.text for p in cell.paragraphs] == [
        "Pour l’État",
        "Pour le Préfet et par délégation",
        "Secrétaire général de la préfecture de la Haute-Garonne",
        "Mme Claire DÉLÉGUÉE",
        "",  # the blank part, where the signature goes (its bookmark places the PDF's field)
    ]
    assert len(other.paragraphs) == 4  # no delegation: no line for it


def test_word_properties_exactly(everything) -> None:  # type: ignore[no-untyped-def]
    for entry, docx, _pdf, _pages in everything:
        properties = Document(str(docx)).core_properties
        assert properties.keywords == ", ".join(q for q in _codes(docx)), entry.docx
        assert properties.comments.endswith("Document préparé avec atfpb.") and "python-docx" not in properties.comments
        assert properties.content_status == "PROJET — document de travail, non signé"
        assert properties.language == "fr-FR" and properties.revision == 1
        with zipfile.ZipFile(docx) as package:
            names = package.namelist()
            core = ElementTree.fromstring(package.read("docProps/core.xml"))
            app = ElementTree.fromstring(package.read("docProps/app.xml"))
            relationships = package.read("_rels/.rels").decode("utf-8")
            types = package.read("[Content_Types].xml").decode("utf-8")
        tags = [element.tag.split("}")[1] for element in core]
        assert len(tags) == len(set(tags)) and all((element.text or "").strip() for element in core), tags
        cp = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
        assert core.find(f"{cp}keywords").text == properties.keywords  # type: ignore[union-attr]
        assert all(element.tag.startswith(("{http://purl.org/dc/", cp)) for element in core)
        assert [(element.tag.split("}")[1], element.text) for element in app] == [("Application", "atfpb")]
        assert not any("thumbnail" in name for name in names) and "thumbnail" not in relationships + types


def _codes(docx: Path) -> list[str]:
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs[:4])
    return re.findall(r"QN\d{3}\d{2}[MINC]|QN0\d[AB]\d{2}[MINC]", text)


def test_checks_and_verify_report_nothing_on_every_document(synthetic: Built) -> None:
    project, entries = synthetic
    paths = [project.root / e.pdf for e in entries] + [project.root / e.docx for e in entries]
    reports = check_files(project, load_inputs(project), paths, None, None)
    assert [(r.file, f) for r in reports for f in r.findings] == []
    for entry in entries:
        result = CliRunner().invoke(main, ["--projet", str(project.root), "verify", str(project.root / entry.pdf)])
        assert result.exit_code == 1, result.output  # not signed yet: 1 until the four signatures are in
        assert "PDF/A : PDF/A-2b" in result.output and "manifeste : conforme à l'entrée" in result.output


def test_an_avenant_is_the_same_bytes_when_built_again(project: Project) -> None:
    first = next(e for e in build(project, ["lourches"], year=2026).built if e.kind == "avenant")
    digest = hashlib.sha256((project.root / first.pdf).read_bytes()).hexdigest()
    again = next(e for e in build(project, ["lourches"], year=2026, force=True).built if e.kind == "avenant")
    assert again.sha256 == first.sha256 and digest == again.sha256["pdf"]


def test_the_page_readers_see_a_heading_alone_and_a_cut_date(tmp_path: Path) -> None:
    """The readers above are not blind: a heading ending a page, a date or « n° » cut at a line's end."""
    docx = render("## Sous-partie\n\nTexte.\n", tmp_path)

    def page(number: int, *texts: str) -> printed.Page:
        lines = [printed.Line(text, 60, 100 + 14 * i, 500, 112 + 14 * i) for i, text in enumerate(texts)]
        return printed.Page(number, 595, 842, [printed.Block(number, lines)])

    pages = [page(1, "Un texte", "Sous-partie"), page(2, "Texte.", "signé le 30"), page(3, "septembre 2021, n°", "12")]
    assert printed.headings_ending_a_page(docx, pages) == ["page 1: Souspartie"]
    assert printed.broken_bindings(pages) == ["signé le 30 | septembre 2021, n°", "septembre 2021, n° | 12"]
