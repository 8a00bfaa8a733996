"""The command line through click's CliRunner: French messages, exit codes, never a traceback."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import projects as build_module
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
    assert result.exit_code == 2  # misuse: what was asked cannot be done; 1 stays « errors found »
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


# --- anywhere: the project found from where the command runs, and misuse (exit 2) --------------
def bare(*arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(arguments))


def test_a_command_finds_the_project_it_runs_in(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.instances / "communes")
    result = bare("validate")
    assert result.exit_code == 0, result.output
    assert "Données valides : 4 commune(s)" in result.output


def test_no_project_where_one_is_needed_is_misuse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["validate"], ["build"], ["programme-template", "lourches", "partenord", "2027"]):
        result = bare(*command)
        assert result.exit_code == 2, result.output
        assert "aucun projet atfpb ici" in result.stderr and "atfpb init DOSSIER --epci SIREN" in result.stderr
    result = bare("--projet", str(tmp_path), "build")
    assert result.exit_code == 2 and "n'est pas un projet atfpb" in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["build", "--vite"], "Erreur : option inconnue : --vite."),
        (["check"], "Erreur : argument manquant : FICHIERS."),
        (["check", "--format", "xml", "x.pdf"], "Erreur : valeur invalide pour --format"),
        (["commande"], "Erreur : commande inconnue : « commande »"),
    ],
)
def test_click_misuse_is_said_in_french_with_exit_2(project: Project, arguments: list[str], message: str) -> None:
    result = run(project, *arguments)
    assert result.exit_code == 2
    assert message in result.stderr and "Aide : atfpb" in result.stderr


def test_an_unknown_commune_or_landlord_given_to_check_is_misuse(project: Project, tmp_path: Path) -> None:
    document = tmp_path / "x.pdf"
    document.write_bytes(b"%PDF-1.4")
    result = run(project, "check", str(document), "--commune", "Lourche")
    assert result.exit_code == 2 and "commune « Lourche » inconnue. Vouliez-vous dire « lourches » ?" in result.stderr
    result = run(project, "check", str(document), "--bailleur", "Partenor")
    assert result.exit_code == 2 and "bailleur « Partenor » inconnu" in result.stderr


def test_outside_a_project_check_refuses_a_landlord_and_an_unknown_commune(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    result = bare("check", "x.pdf", "--bailleur", "Partenord Habitat")
    assert result.exit_code == 2 and "--bailleur ne s'emploie que dans un projet" in result.stderr
    result = bare("check", "x.pdf", "--commune", "Lourche")
    assert result.exit_code == 2 and "commune « Lourche » inconnue parmi les communes" in result.stderr


@pytest.mark.e2e
def test_check_and_verify_run_from_any_directory(
    built: tuple[Project, list[Entry]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, documents = built
    monkeypatch.chdir(tmp_path)  # no project here: national referentials and the toolkit's legal registry
    paths = [str(source.root / getattr(d, kind)) for d in documents for kind in ("pdf", "docx")]
    result = bare("check", *paths)
    assert result.exit_code == 0, result.output
    assert f"{len(paths)} fichier(s) vérifié(s) : 0 erreur(s)" in result.output
    assert "(lourches)" in result.output  # the commune is read from the document itself
    verified = bare("verify", paths[0])
    assert verified.exit_code == 1 and "manifeste : aucun projet ici" in verified.output  # 1: not signed
    assert "4 signature(s) à recueillir" in verified.output
    inside = bare("--projet", str(source.root), "verify", paths[0])
    assert "manifeste : conforme" in inside.output
