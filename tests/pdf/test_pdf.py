"""Signature-ready, archivable PDFs: PDF/A-2b, fonts, bookmarks, four fields that four signers can sign."""

from __future__ import annotations

import hashlib
import re
import struct
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from generator.build.projects import build
from generator.cli import main
from generator.errors import DataError
from generator.inputs.project import Project
from generator.manifest import Entry, read_manifest
from generator.pdf.convert import convert_to_pdf
from generator.pdf.finish import PdfMetadata, SignatureSpot, finish_pdf, place_field
from generator.reading.poppler import LaidOutPage, TextLine, laid_out_pages

from ..helpers import ARTICLE_TITLES, confirm_values
from ..signing import FIELDS, SIGNERS, Authority, make_authority, sign_in_turn

pytestmark = pytest.mark.e2e
Built = tuple[Project, list[Entry]]


def lourches_pdf(built: Built) -> Path:
    project, documents = built
    return project.root / next(d.pdf for d in documents if d.commune == "lourches")


def test_pdfa_2b_declared_and_metadata_consistent(built: Built) -> None:
    reader = PdfReader(lourches_pdf(built))
    xmp = reader.root_object["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    info = reader.metadata
    assert info["/Title"] == "Convention d’utilisation de l’ATFPB — Ville de Lourches — Partenord Habitat"
    assert info["/Author"] == "La Porte du Hainaut"
    draft = "PROJET — document de travail, non signé"
    assert info["/Subject"] == f"{draft} — Ville de Lourches, Partenord Habitat, 2025-2030"
    assert info["/Keywords"] == "QN05954M, QN05952M"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20250314000000Z"
    for value in (
        "Convention d’utilisation de l’ATFPB — Ville de Lourches — Partenord Habitat",
        "PROJET — document de travail, non signé — Ville de Lourches",
        "QN05954M, QN05952M",
        "2025-03-14T00:00:00Z",
        "fr-FR",
    ):
        assert value in xmp
    assert reader.root_object["/Lang"] == "fr-FR"
    assert "/StructTreeRoot" in reader.root_object and reader.root_object["/MarkInfo"]["/Marked"]
    assert "/OutputIntents" in reader.root_object


def test_colour_profile_whole_and_dated_like_the_document(built: Built) -> None:
    """The PDF/A output intent's ICC profile still decodes (read by pypdf and poppler) and bears the document date."""
    path = lourches_pdf(built)
    intent = PdfReader(path).root_object["/OutputIntents"][0].get_object()
    profile = intent["/DestOutputProfile"].get_object().get_data()
    assert profile[36:40] == b"acsp" and len(profile) == int.from_bytes(profile[:4], "big")
    assert struct.unpack(">3H", profile[24:30]) == (2025, 3, 14)
    poppler = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    assert "error" not in poppler.stderr.lower(), poppler.stderr


def test_every_font_is_embedded(built: Built) -> None:
    for entry in built[1]:
        report = subprocess.run(
            ["pdffonts", str(built[0].root / entry.pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert report and all(line.split()[-5] == "yes" for line in report), report


def test_bookmarks_for_the_title_the_visas_each_article_and_the_signatures_shown_on_opening(built: Built) -> None:
    reader = PdfReader(lourches_pdf(built))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    articles = [f"Article {n} – {title}".replace("'", "’") for n, title in enumerate(ARTICLE_TITLES, start=1)]
    assert titles == [
        "Convention d’utilisation de l’abattement de la taxe foncière sur les propriétés bâties (ATFPB) dans les "
        "quartiers prioritaires de la politique de la ville",
        "Visas",
        *articles,
        "Signatures",
    ]
    assert reader.root_object["/PageMode"] == "/UseOutlines"
    signatures = next(item for item in reader.outline if not isinstance(item, list) and item.title == "Signatures")
    assert reader.get_destination_page_number(signatures) == len(reader.pages) - 1  # where « Fait à … » is


def test_a_final_version_says_nothing_of_a_draft_in_its_metadata(project: Project) -> None:
    confirm_values(project.instances)
    (final,) = finals(build(project, ["roeulx"], final=True).built)
    info = PdfReader(project.root / final.pdf).metadata
    assert info["/Subject"] == "Ville de Rœulx, Maisons & Cités, 2025-2030"
    assert "PROJET" not in str(PdfReader(project.root / final.pdf).root_object["/Metadata"].get_object().get_data())


def _text_positions(page) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    """(text, x, y) of each text chunk drawn on the page, read with pypdf's visitor."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            found.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return found


def test_four_unsigned_fields_each_inside_its_signatory_cell(built: Built) -> None:
    reader = PdfReader(lourches_pdf(built))
    page = reader.pages[-1]
    widgets = {a.get_object()["/T"]: a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig"}
    assert sorted(widgets) == sorted(FIELDS)
    assert all("/V" not in w for w in widgets.values())  # unsigned
    assert all(int(w["/F"]) & 4 for w in widgets.values())  # printable, as PDF/A requires
    positions = _text_positions(page)

    def position(text: str) -> tuple[float, float]:
        return next((x, y) for t, x, y in positions if t.startswith(text))

    names = {
        "signature-prefet": "M. Bertrand GAUME",
        "signature-president-epci": "M. Aymeric ROBIN",
        "signature-maire": "Mme Dalila DUWEZ-GUESMIA",
        "signature-bailleur": "M. Denis AUBOIS",
    }
    openings = {
        "signature-prefet": "Pour l’État",
        "signature-president-epci": "Pour La Porte du Hainaut",
        "signature-maire": "Pour la Ville de Lourches",
        "signature-bailleur": "Pour Partenord Habitat",
    }
    rows = sorted({round(position(t)[1]) for t in openings.values()}, reverse=True)
    assert len(rows) == 2
    for field, name in names.items():
        left, bottom, right, top = (float(v) for v in widgets[field]["/Rect"])
        name_x, name_y = position(name)
        assert widgets[field]["/TU"] == name
        assert left < name_x < right  # same column as the signatory's name
        assert top < name_y and name_y - top < 25  # just under the name
        assert top - bottom > 40 and right - left > 150  # room to sign
        opening_y = position(openings[field])[1]
        below = [r for r in rows if r < opening_y - 1]
        if below:  # the first row's fields stop before the second row starts
            assert bottom > below[0]
    rects = [[float(v) for v in w["/Rect"]] for w in widgets.values()]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], "fields overlap"


def _poppler_fields(pdf: Path, spots: list[SignatureSpot]) -> dict[str, tuple[float, ...]]:
    """Where poppler's laid-out lines put each field (the placement of templates without bookmarks)."""
    pages = len(PdfReader(pdf).pages)
    laid_out = laid_out_pages(pdf.read_bytes(), 1, pages)
    openings = [spot.opening for spot in spots]
    found = {spot.field: place_field(laid_out, spot, openings) for spot in spots}
    return {field: placed.box for field, placed in found.items() if placed is not None}


LOURCHES_SPOTS = [
    SignatureSpot("signature-prefet", "", "Pour l’État", "prefet"),
    SignatureSpot("signature-president-epci", "", "Pour La Porte du Hainaut", "president-epci"),
    SignatureSpot("signature-maire", "", "Pour la Ville de Lourches", "maire"),
    SignatureSpot("signature-bailleur", "", "Pour Partenord Habitat", "bailleur"),
]


def _field_boxes(pdf: Path) -> dict[str, tuple[float, ...]]:
    widgets = (a.get_object() for page in PdfReader(pdf).pages for a in page.get("/Annots", ()))
    return {str(w["/T"]): tuple(float(v) for v in w["/Rect"]) for w in widgets if w.get("/FT") == "/Sig"}


def test_the_fields_are_placed_from_the_templates_bookmarks_which_the_pdf_no_longer_carries(built: Built) -> None:
    """LibreOffice turns the signature table's hidden bookmarks into named destinations: the fields are placed from
    them, where poppler's reading of the page would put them, and the destinations are gone from the final PDF."""
    pdf = lourches_pdf(built)
    assert "/Dests" not in PdfReader(pdf).root_object
    placed, read = _field_boxes(pdf), _poppler_fields(pdf, LOURCHES_SPOTS)
    assert sorted(placed) == sorted(read) == sorted(FIELDS)
    for field, box in placed.items():
        assert max(abs(a - b) for a, b in zip(box, read[field], strict=True)) <= 1.5, (field, box, read[field])


def test_a_template_without_the_bookmarks_still_gets_its_fields(built: Built, tmp_path: Path) -> None:
    """A project's copy of an older template has no bookmarks in its signature table: poppler reads where the cells
    are, and the fields land where the bookmarks would have put them."""
    docx = lourches_pdf(built).with_suffix(".docx")
    old = tmp_path / docx.name
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = re.sub(rb"<w:bookmark(?:Start|End) [^>]*/>", b"", data)
            target.writestr(item, data)
    conversion = convert_to_pdf([old], tmp_path / "pdf", 1)
    raw = conversion.converted[0].pdf
    assert "/Dests" not in PdfReader(raw).root_object
    metadata = PdfMetadata("Titre", "Sujet", "Auteur", (), date(2025, 3, 14), bytes(16))
    finish_pdf(raw, tmp_path / "fini.pdf", metadata, LOURCHES_SPOTS, draft=True)
    placed, expected = _field_boxes(tmp_path / "fini.pdf"), _field_boxes(lourches_pdf(built))
    assert sorted(placed) == sorted(expected)
    for field, box in placed.items():
        assert max(abs(a - b) for a, b in zip(box, expected[field], strict=True)) <= 1.5, (field, box)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """Throwaway certificates, made here, for test signatures only."""
    return make_authority(tmp_path_factory.mktemp("certificats"), SIGNERS)


def test_a_field_below_a_long_name_wrapped_in_its_cell() -> None:
    """Found by the national benchmark: « Pour la Ville de Téteghem-Coudekerque-Village » wraps in its cell."""
    lines = [
        TextLine("Pour l'État", 110, 100, 190, 110),
        TextLine("Préfet du Nord", 105, 112, 195, 122),
        TextLine("Pour la Ville de Téteghem-", 350, 100, 490, 110),
        TextLine("Coudekerque-Village", 360, 112, 480, 122),
        TextLine("Maire de Téteghem-", 365, 124, 475, 134),
        TextLine("Coudekerque-Village", 360, 136, 480, 146),
        TextLine("Pour Habitat Essai Un", 110, 300, 190, 310),
    ]
    spot = SignatureSpot("signature-maire", "Maire", "Pour la Ville de Téteghem-Coudekerque-Village")
    openings = ["Pour l'État", "Pour La Porte", spot.opening, "Pour Habitat Essai Un"]
    placed = place_field({0: LaidOutPage(595.0, 842.0, lines)}, spot, openings)
    assert placed is not None
    left, low, right, high = placed.box
    assert 842 - high >= 146 + 4  # below the last line of the cell's text
    assert 842 - low <= 300  # above the next row
    assert left > 195 and right > 490  # in the second column, not over the first


def test_four_successive_signers(built: Built, authority: Authority, tmp_path: Path) -> None:
    signed = sign_in_turn(lourches_pdf(built), tmp_path, authority)
    context = ValidationContext(trust_roots=list(load_certs_from_pemder([str(authority.folder / "autorite.pem")])))
    for number in range(1, len(FIELDS) + 1):
        with open(signed.with_name(f"signe-{number}.pdf"), "rb") as handle:
            signatures = PdfFileReader(handle).embedded_signatures
            assert [s.field_name for s in signatures] == FIELDS[:number]
            for signature in signatures:  # the earlier signatures stay intact
                status = validate_pdf_signature(signature, context)
                assert status.intact and status.valid and status.trusted, status.pretty_print_details()
                assert status.docmdp_ok is not False
    trust = ["--confiance", str(authority.folder)]
    result = CliRunner().invoke(main, ["--projet", str(built[0].root), "verify", *trust, str(signed)])
    assert result.exit_code == 1, result.output  # every signature holds, but on a draft
    assert result.output.count(": signé par ") == 4 and "ajouté depuis : des signatures seulement." in result.output
    assert "fait sur un projet (document de travail), pas sur une version finale" in result.output


def test_verify_reports_archival_and_fields(built: Built) -> None:
    result = CliRunner().invoke(main, ["--projet", str(built[0].root), "verify", str(lourches_pdf(built))])
    assert result.exit_code == 1, result.output  # ours, but not signed yet
    assert "4 signature(s) à recueillir" in result.output
    assert "PDF/A : PDF/A-2b" in result.output and "toutes incorporées" in result.output
    assert "champs de signature : 4" in result.output and result.output.count(": à signer") == 4
    assert "signature-maire (« Mme Dalila DUWEZ-GUESMIA »)" in result.output
    assert "manifeste : conforme à l'entrée output/lourches/" in result.output


def test_drafts_are_marked_on_every_page(built: Built) -> None:
    project, documents = built
    entry = next(d for d in documents if d.commune == "lourches")
    pages = subprocess.run(
        ["pdftotext", str(project.root / entry.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:-1]
    assert len(pages) == entry.pages and all("PROJET — document de travail, non signé" in p for p in pages)
    header = Document(str(project.root / entry.docx)).sections[0].header.paragraphs[0].text
    assert header.startswith("PROJET — document de travail, non signé — ")


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_building_twice_gives_the_same_bytes(project: Project) -> None:
    first = build(project, ["roeulx"]).built[0]
    before = snapshot(project.output / "roeulx")
    assert build(project, ["roeulx"]).built == ()  # nothing changed: nothing rebuilt
    second = build(project, ["roeulx"], force=True).built[0]
    assert snapshot(project.output / "roeulx") == before
    assert first.sha256 == second.sha256


def finals(entries: tuple[Entry, ...]) -> list[Entry]:
    """A final build's finals (it also brings their drafts up to date)."""
    return [e for e in entries if e.final]


def test_finals_are_versioned_and_never_overwritten(project: Project) -> None:
    confirm_values(project.instances)  # a final is made only of confirmed values
    (first,) = finals(build(project, ["roeulx"], final=True).built)
    assert (first.final, first.version) == (True, 1) and first.pdf.endswith("-v1.pdf")
    assert "instances/communes/roeulx.yaml" in first.inputs and "templates/docx/convention.docx" in first.inputs
    text = subprocess.run(
        ["pdftotext", str(project.root / first.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "PROJET" not in text and "Version 1 — Convention ATFPB" in text
    kept = snapshot(project.output)

    again = build(project, ["roeulx"], final=True)
    assert again.built == () and [e.version for e in again.unchanged] == [None, 1]  # its draft, and itself
    assert snapshot(project.output) == kept

    commune = project.instances / "communes" / "roeulx.yaml"
    commune.write_text(commune.read_text(encoding="utf-8").replace("QN05952M: 73", "QN05952M: 74"), encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"la version finale 1 .* existe déjà et son contenu a changé depuis "
        r"\(instances/communes/roeulx.yaml\).*--new-version",
    ):
        build(project, ["roeulx"], final=True)
    assert snapshot(project.output) == kept

    (second,) = finals(build(project, ["roeulx"], final=True, new_version=True).built)
    assert second.version == 2 and second.pdf.endswith("-v2.pdf")
    assert {k: v for k, v in snapshot(project.output).items() if "-v1." in k} == {
        k: v for k, v in kept.items() if "-v1." in k
    }
    versions = [(e.version, e.final) for e in read_manifest(project.output, "manifest.json")]
    assert versions == [(None, False), (1, True), (2, True)]  # the draft follows the data
