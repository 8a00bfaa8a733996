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
from generator.manifest import Entry

from .helpers import copy_project


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


def test_new_version_without_final_is_a_usage_error_in_french(project: Project) -> None:
    result = run(project, "build", "--new-version")
    assert result.exit_code == 2
    assert "Erreur : --new-version ne s'emploie qu'avec --final." in result.output
    assert not project.output.exists()


def break_another_commune_and_a_programme(project: Project) -> None:
    """A broken file elsewhere in the project: another commune's, and a programme of another year."""
    denain = project.instances / "communes" / "denain.yaml"
    denain.write_text(denain.read_text(encoding="utf-8").replace("nom: Denain", "nom: [Denain"), encoding="utf-8")
    programme = project.instances / "programmes" / "lourches-partenord-habitat-2026.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("annee:", "anee:"), encoding="utf-8")


def test_programme_template_reads_only_the_territory_and_that_commune(project: Project) -> None:
    break_another_commune_and_a_programme(project)
    assert run(project, "validate").exit_code == 1  # the project as a whole is broken
    result = run(project, "programme-template", "lourches", "partenord-habitat", "2027")
    assert result.exit_code == 0, result.output
    assert (project.output / "programmes" / "lourches-partenord-habitat-2027.xlsx").is_file()


def test_programme_template_still_reports_the_communes_own_problem(project: Project) -> None:
    break_another_commune_and_a_programme(project)
    result = run(project, "programme-template", "denain", "maisons-et-cites", "2027")
    assert result.exit_code == 1
    assert "instances/communes/denain.yaml:" in result.output


@pytest.mark.e2e
def test_checking_a_convention_reads_no_programme(built: tuple[Project, list[Entry]], tmp_path: Path) -> None:
    source, documents = built
    project = copy_project(tmp_path / "projet")
    programme = project.instances / "programmes" / "lourches-partenord-habitat-2026.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("annee:", "anee:"), encoding="utf-8")
    convention = next(d for d in documents if d.kind == "convention" and d.commune == "lourches")
    result = run(project, "check", str(source.root / convention.pdf))
    assert result.exit_code == 0, result.output
    assert "aucune anomalie" in result.output
    avenant = next(d for d in documents if d.kind == "avenant" and d.year == 2026)
    result = run(project, "check", str(source.root / avenant.pdf))  # its programme is the broken one: said so
    assert result.exit_code == 1
    assert "lourches-partenord-habitat-2026.yaml" in result.output and "anee" in result.output
