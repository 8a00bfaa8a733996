"""The command line through click's CliRunner: French messages, exit codes, never a traceback."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import pipeline as build_module
from generator.cli import main
from generator.inputs.project import Project


def run(project: Project, *arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--projet", str(project.root), *arguments])


def test_validate_ok(project: Project) -> None:
    result = run(project, "validate")
    assert result.exit_code == 0, result.output
    assert "Données valides : 4 commune(s), 4 bailleur(s), 6 convention(s) à produire" in result.output


def test_validate_reports_located_errors(project: Project) -> None:
    path = project.instances / "communes" / "lourches.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nom: Lourches", "nom: Louches"), encoding="utf-8")
    clause = project.clauses / "convention" / "10-objet.md"
    clause.write_text(clause.read_text(encoding="utf-8").replace("section: article", "sektion: article"))
    result = run(project, "validate")
    assert result.exit_code == 1
    assert "instances/communes/lourches.yaml:2:6: le nom officiel de la commune 59361 est « Lourches »" in result.output
    assert (
        "clauses/convention/10-objet.md:4:1: champ inconnu « sektion ». Vouliez-vous dire « section » ?"
        in result.output
    )
    assert "Traceback" not in result.output


def test_build_unknown_commune(project: Project) -> None:
    result = run(project, "build", "lourche")
    assert result.exit_code == 1
    assert "Erreur : commune « lourche » inconnue. Vouliez-vous dire « lourches » ?" in result.output
    assert not project.output.exists()


@pytest.mark.e2e
def test_build_json_manifest(project: Project) -> None:
    result = run(project, "build", "Rœulx", "--json")
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    (entry,) = manifest["documents"]
    assert (entry["kind"], entry["commune"], entry["bailleur"]) == ("convention", "roeulx", "maisons-et-cites")
    assert entry["docx"] == "output/roeulx/convention-atfpb-roeulx-maisons-et-cites.docx"
    for kind in ("docx", "pdf"):
        assert hashlib.sha256((project.root / entry[kind]).read_bytes()).hexdigest() == entry["sha256"][kind]
    assert json.loads((project.output / "manifest.json").read_text(encoding="utf-8")) == manifest


def test_unexpected_error_gives_a_short_french_message(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_arguments: object) -> None:
        raise RuntimeError("bogue interne")

    monkeypatch.setattr(build_module, "load_inputs", broken)
    result = run(project, "build")
    assert result.exit_code == 3
    assert "Erreur interne inattendue : merci de la signaler avec le fichier" in result.output
    log = Path(result.output.rsplit("fichier ", 1)[1].strip().rstrip("."))
    assert "RuntimeError: bogue interne" in log.read_text(encoding="utf-8")
    assert "Traceback" not in result.output
