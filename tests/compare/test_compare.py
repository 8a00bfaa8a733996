"""`atfpb compare` end to end: a convention built, sent, returned edited; LibreOffice's redline read back by
python-docx and by LibreOffice; the French report by article; exit codes 0, 1 and 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from lxml import etree
from pypdf import PdfReader

from generator.build.projects import build
from generator.cli import main as atfpb
from generator.compare import Selection, as_json, as_text, compare_documents, exit_code
from generator.inputs.project import Project
from generator.pdf.convert import convert_to_pdf
from generator.reading.lines import UnreadableDocument

from ..helpers import copy_project
from .returned import COMMENT, COMMENTER, TRACKER, W, resaved_copy, returned_copy

pytestmark = pytest.mark.e2e
SENT = "output/lourches/convention-atfpb-lourches-partenord-habitat.docx"
LOURCHES = Selection("lourches", "partenord-habitat")
FIELD = (
    "instances/communes/lourches.yaml:19:17, bailleurs › Partenord Habitat › logements › QN05954M : "
    "9 selon les données, 12 dans le document reçu"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The example project with Lourches built (its values to confirm confirmed)."""
    project = copy_project(tmp_path_factory.mktemp("compare"), confirm=True)
    build(project, ["lourches"])
    return project


@pytest.fixture(scope="module")
def returned(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return returned_copy(project.root / SENT, tmp_path_factory.mktemp("recu") / "convention-lourches-retour.docx")


@pytest.fixture(scope="module")
def compared(project: Project, returned: Path) -> tuple[object, str, Path]:
    out = returned.with_name("redline.docx")
    comparison = compare_documents(project, [returned], LOURCHES, out)
    return comparison, as_text(comparison), out


def test_the_report_names_the_articles_the_obligation_and_the_instance_field(
    compared: tuple[object, str, Path],
) -> None:
    comparison, text, _out = compared
    assert exit_code(comparison) == 1  # type: ignore[arg-type]
    assert "Article 2 – Identification du patrimoine concerné (article obligatoire)" in text
    assert "« 9 » devient « 12 »" in text
    assert FIELD in text
    assert "Article 3 – Élaboration des programmes d'actions (article obligatoire)" in text
    assert "supprimé — paragraphe 53 du document envoyé : « la production chaque année d'un bilan" in text
    assert "obligation supprimée." in text
    assert "Article 9 – Durée de la convention" in text
    assert "« l'ensemble des parties. » devient « les seules parties concernées. »" in text
    assert "Article 6 – Suivi et bilan" in text  # the sentence replaced as a tracked change, read accepted
    assert "modifié — paragraphe 126 : « une » devient « deux »" in text
    assert "obligation modifiée ; elle disait : « Un comité de suivi local" in text


def test_the_partners_tracked_changes_and_comments_are_listed_with_their_authors(
    compared: tuple[object, str, Path],
) -> None:
    _comparison, text, _out = compared
    assert f"suppression par {TRACKER}, le 2 mai 2025, paragraphe 126 (article 6) : « Un comité de suivi local" in text
    assert f"insertion par {TRACKER}, le 2 mai 2025, paragraphe 126 (article 6) :" in text
    assert f"{COMMENTER}, le 2 mai 2025, paragraphe 185 (article 9) sur « Elle peut être modifiée" in text
    assert f"« {COMMENT} »" in text


def test_the_redline_has_tracked_changes_at_those_places_and_python_docx_reads_it(
    compared: tuple[object, str, Path],
) -> None:
    _comparison, text, out = compared
    assert f"Document Word annoté : {out} (" in text
    assert "les commentaires du document reçu n'y sont pas repris" in text
    Document(str(out))  # python-docx opens it
    with zipfile.ZipFile(out) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    inserted = [_text(e) for e in body.iter(f"{W}ins")]
    deleted = [_text(e) for e in body.iter(f"{W}del")]
    assert any("les seules parties concernées" in t for t in inserted), inserted
    assert any("l’ensemble des parties" in t for t in deleted), deleted
    assert any(t.startswith("la production chaque année d’un bilan") for t in deleted), deleted
    assert any("deux" in t for t in inserted) and any("une" in t for t in deleted)
    cells = [e for e in body.iter(f"{W}ins", f"{W}del") if any(a.tag == f"{W}tc" for a in e.iterancestors())]
    assert {"12", "9"} <= {_text(e) for e in cells}
    retyped = next(p for p in body.iter(f"{W}p") if "Elle peut être modifiée" in _all_text(p))
    assert retyped.find(f".//{W}ins") is not None and retyped.find(f".//{W}del") is not None


def test_libreoffice_opens_the_redline(compared: tuple[object, str, Path], tmp_path: Path) -> None:
    _comparison, _text, out = compared
    conversion = convert_to_pdf([out], tmp_path / "pdf")
    assert not conversion.failed and len(PdfReader(conversion.converted[0].pdf).pages) >= 8


def test_json_report(compared: tuple[object, str, Path]) -> None:
    comparison, _text, _out = compared
    content = json.loads(as_json(comparison))  # type: ignore[arg-type]
    assert content["identical"] is False
    article2 = next(s for s in content["sections"] if s["article"] == 2)
    concern = article2["changes"][0]["concerns"][0]
    assert concern["kind"] == "donnee" and concern["field"].endswith("QN05954M")
    assert concern["where"] == "instances/communes/lourches.yaml:19:17" and concern["found"] == "12"
    assert content["comments"][0]["author"] == COMMENTER
    assert content["redline"]["insertions"] > 0


def test_an_identical_copy_exits_0_without_a_redline(project: Project, tmp_path: Path) -> None:
    copy = resaved_copy(project.root / SENT, tmp_path / "copie.docx")
    result = CliRunner().invoke(atfpb, ["--projet", str(project.root), "compare", str(project.root / SENT), str(copy)])
    assert result.exit_code == 0, result.output
    assert "aucune différence" in result.output
    assert not (tmp_path / "copie-comparaison.docx").exists()


def test_the_command_line_finds_the_sent_document_in_the_manifest(project: Project, returned: Path) -> None:
    out = returned.with_name("cli.docx")
    arguments = ["compare", "--commune", "lourches", "--bailleur", "partenord-habitat", str(returned)]
    result = CliRunner().invoke(atfpb, ["--projet", str(project.root), *arguments, "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert f"document envoyé : {SENT} (projet du 14 mars 2025)" in result.output
    assert FIELD in result.output and out.is_file()


def test_an_unreadable_copy_exits_2(project: Project, tmp_path: Path) -> None:
    damaged = tmp_path / "recu.docx"
    damaged.write_bytes(b"PK\x03\x04 not really a Word file")
    with pytest.raises(UnreadableDocument) as raised:
        compare_documents(project, [project.root / SENT, damaged])
    assert raised.value.exit_code == 2
    arguments = ["--projet", str(project.root), "compare", str(project.root / SENT), str(damaged)]
    result = CliRunner().invoke(atfpb, arguments)
    assert result.exit_code == 2 and "illisible" in result.output, result.output


def test_a_pdf_copy_is_compared_without_a_redline(project: Project, returned: Path, tmp_path: Path) -> None:
    docx = shutil.copy(returned, tmp_path / "retour.docx")
    pdf = convert_to_pdf([Path(docx)], tmp_path).converted[0].pdf
    comparison = compare_documents(project, [pdf], LOURCHES)
    text = as_text(comparison)
    assert exit_code(comparison) == 1
    assert "pas de document Word annoté pour un PDF reçu" in text
    assert FIELD in text
    assert "obligation supprimée." in text
    assert "« l'ensemble des parties. » devient « les seules parties concernées. »" in text
    assert "déplacé" not in text  # page breaks move footnotes and table rows, not the text


def test_misuse_is_said_in_french_with_exit_code_2(project: Project, returned: Path) -> None:
    runner, root = CliRunner(), str(project.root)
    alone = runner.invoke(atfpb, ["--projet", root, "compare", str(returned)])
    assert alone.exit_code == 2 and "--commune et --bailleur" in alone.output
    landlord = ["compare", "--commune", "lourches", "--bailleur", "x", str(returned)]
    unknown = runner.invoke(atfpb, ["--projet", root, *landlord])
    assert unknown.exit_code == 2 and "bailleur « x » inconnu" in unknown.output
    version = ["compare", "--commune", "lourches", "--bailleur", "partenord-habitat", "--version", "3", str(returned)]
    missing = runner.invoke(atfpb, ["--projet", root, *version])
    assert missing.exit_code == 2 and "version 3" in missing.output
    avenants = ["compare", "--commune", "lourches", "--bailleur", "partenord-habitat", "--kind", "avenant"]
    several = runner.invoke(atfpb, ["--projet", root, *avenants, str(returned)])
    assert several.exit_code == 2 and "(2025, 2026) : précisez --year" in several.output
    overwrite = runner.invoke(
        atfpb, ["--projet", root, "compare", str(project.root / SENT), str(returned), "--out", str(returned)]
    )
    assert overwrite.exit_code == 2 and "désigne un des documents comparés" in overwrite.output


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t", f"{W}delText"))


def _all_text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t", f"{W}delText"))


def test_a_libreoffice_that_does_not_answer_is_stopped_with_its_group(
    project: Project, returned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATFPB_DELAI_LIBREOFFICE", "1")
    comparison = compare_documents(project, [returned], LOURCHES, returned.with_name("lent.docx"))
    assert comparison.redline is not None and comparison.redline.path is None
    assert "LibreOffice ne répondait plus après 1 s" in as_text(comparison)
    assert exit_code(comparison) == 1  # the report is whole all the same
    running = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    assert "name=atfpb-compare-" not in running


def test_a_python_without_uno_says_what_to_install(
    project: Project, returned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATFPB_PYTHON_UNO", sys.executable)  # the venv's Python has no « uno »
    comparison = compare_documents(project, [returned], LOURCHES, returned.with_name("sans-uno.docx"))
    assert "sudo apt-get install python3-uno" in as_text(comparison)


def test_an_avenant_amount_changed_names_the_programme_field(project: Project, tmp_path: Path) -> None:
    document = Document(str(project.root / "output/lourches/avenant-atfpb-2026-lourches-partenord-habitat.docx"))
    cell = document.tables[0].cell(1, 1).paragraphs[0]
    assert cell.text.replace("\u202f", " ").replace("\u00a0", " ") == "2 200,00 €"
    cell.runs[0].text = "9 999,00 €"
    for run in cell.runs[1:]:
        run.text = ""
    document.save(str(tmp_path / "avenant.docx"))
    selection = Selection("lourches", "partenord-habitat", "avenant", 2026)
    text = as_text(compare_documents(project, [tmp_path / "avenant.docx"], selection, redline=False))
    assert "Article 3 – Récapitulatif financier (article obligatoire)" in text
    assert (
        "instances/programmes/lourches-partenord-habitat-2026.yaml:24:23, action 1 « Présence renforcée du gardien en "
        "fin de journée » › montant valorisé : 2 200,00 € selon les données, 9 999,00 € dans le document reçu"
    ) in text


def test_a_legal_reference_and_a_signatory_changed_are_named(project: Project, tmp_path: Path) -> None:
    document = Document(str(project.root / SENT))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            run.text = run.text.replace("2014-173", "2014-172")
    for row in document.tables[-1].rows:
        for paragraph in (p for cell in row.cells for p in cell.paragraphs):
            for run in paragraph.runs:
                run.text = run.text.replace("Mme Dalila DUWEZ-GUESMIA", "M. Jean DUPONT")
    document.save(str(tmp_path / "retour.docx"))
    text = as_text(compare_documents(project, [tmp_path / "retour.docx"], LOURCHES, redline=False))
    assert "modifié — paragraphe 10 : « 2014-173 » devient « 2014-172 »" in text
    assert (
        "la référence juridique (obligatoire) l'article 6 de la loi n° 2014-173 du 21 février 2014 de programmation "
        "pour la ville et la cohésion urbaine n'est plus citée."
    ) in text
    assert "contrôle (erreur, wrong-legal-reference) : numéro de texte erroné « 2014-172 »" in text
    assert "« Mme Dalila DUWEZ-GUESMIA » devient « M. Jean DUPONT »" in text
    where = "instances/communes/lourches.yaml:5:3, maire"
    assert f"le Maire de la commune : Dalila DUWEZ-GUESMIA (selon {where}) n'est plus nommé(e) ici." in text
