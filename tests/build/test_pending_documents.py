"""Drafts show what is still to confirm; a final version refuses it, then is made once it is confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from generator.build.projects import build
from generator.build.review import check_files
from generator.cli import main
from generator.inputs.project import Project, load_inputs

from ..helpers import confirm_values, copy_project, pdf_text

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The example territory as shipped (values still to confirm), built as drafts."""
    project = copy_project(tmp_path_factory.mktemp("a-confirmer"))
    build(project)
    return project


def run(project: Project, *arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--projet", str(project.root), *arguments])


def test_validate_lists_each_value_to_confirm_and_succeeds(project: Project) -> None:
    result = run(project, "validate")
    assert result.exit_code == 0, result.output
    assert "instances/communes/denain.yaml:7:11: à confirmer : « numero » (inconnu)." in result.stderr
    assert (
        "instances/communes/denain.yaml:15:17: à confirmer : « QN05950M » (valeur provisoire : 412)." in result.stderr
    )
    assert "instances/territoire.yaml:95:18: à confirmer : « date_document »" in result.stderr
    assert "lourches-partenord-habitat-2025.xlsx:Abattement!D2: à confirmer" in result.stderr


def test_a_draft_shows_every_value_to_confirm_highlighted_and_marked(drafts: Project) -> None:
    docx = drafts.output / "denain" / "convention-atfpb-denain-maisons-et-cites.docx"
    highlighted = [
        run.text
        for paragraph in Document(str(docx)).paragraphs
        + [p for t in Document(str(docx)).tables for c in t._cells for p in c.paragraphs]
        for run in paragraph.runs
        if run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    assert "[à confirmer]" in highlighted  # the deliberation's unknown number and date
    assert any("412" in text and "(à confirmer)" in text for text in highlighted)  # a provisional count
    text = pdf_text(docx.with_suffix(".pdf"))
    assert "Vu la délibération n° [à confirmer] du conseil municipal" in text
    assert "412 (à confirmer)" in text
    assert "2024-ILL" not in text and "illustratif" not in text.lower()


def test_drafts_with_values_to_confirm_pass_every_check(drafts: Project) -> None:
    paths = sorted(drafts.output.glob("*/*.pdf")) + sorted(drafts.output.glob("*/*.docx"))
    assert len(paths) == 18  # with the 2025 bilan of Lourches
    reports = check_files(drafts, load_inputs(drafts), paths, None, None)
    assert [(r.file, f) for r in reports for f in r.findings] == []


def test_a_final_version_is_refused_while_a_value_is_to_confirm(project: Project) -> None:
    result = run(project, "build", "--final", "roeulx")
    assert result.exit_code == 1
    assert "version finale refusée : 5 valeur(s)" in result.stderr
    for line in (
        "instances/communes/roeulx.yaml:7:11: à confirmer : « numero » (inconnu).",
        "instances/communes/roeulx.yaml:8:9: à confirmer : « date » (inconnu).",
        "instances/communes/roeulx.yaml:14:17: à confirmer : « QN05952M » (valeur provisoire : 73).",
        "instances/communes/roeulx.yaml:20:19: à confirmer : « validation_bilan » (valeur provisoire : "
        "conseil_municipal).",
        "instances/territoire.yaml:95:18: à confirmer : « date_document » (valeur provisoire : 2025-03-14).",
    ):
        assert line in result.stderr
    assert not list(project.output.rglob("*.pdf")) if project.output.exists() else True


def test_once_confirmed_the_final_version_is_made(project: Project) -> None:
    confirm_values(project.instances)
    result = run(project, "build", "--final", "roeulx")
    assert result.exit_code == 0, result.stderr
    final = project.output / "roeulx" / "convention-atfpb-roeulx-maisons-et-cites-v1.pdf"
    text = pdf_text(final)
    assert "à confirmer" not in text and "délibération n° 2024-117 du conseil municipal" in text


def test_a_programme_amount_to_confirm_blocks_its_avenant(project: Project, tmp_path: Path) -> None:
    confirm_values(project.instances)
    programme = project.instances / "programmes" / "lourches-partenord-habitat-2026.yaml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("cout_total: 3600", "cout_total: !a_confirmer 3600"), encoding="utf-8")
    result = run(project, "build", "--final", "lourches", "--year", "2026")
    assert result.exit_code == 1
    assert "lourches-partenord-habitat-2026.yaml:23:17: à confirmer : « cout_total »" in result.stderr
