"""Several projects in one build: one pool for all, one lock, staging folder and manifest each, one summary; a
project whose inputs fail does not stop the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.run import make_territory, pairs_by_epci
from generator.cli import main
from generator.inputs.project import Project
from generator.manifest import sha256_of

from ..helpers import copy_project, pdf_text

pytestmark = pytest.mark.e2e


def communes_only(project: Project, *kept: str) -> Project:
    """The example project reduced to these communes (their programmes and bilans go with the others)."""
    for folder in ("communes", "programmes", "bilans"):
        for path in (project.instances / folder).iterdir():
            if not any(path.name.startswith(commune) for commune in kept):
                path.unlink()
    return project


def other_epci(folder: Path) -> Project:
    """Another intercommunality's project, as the benchmark makes one: one commune and landlord, a programme."""
    siren, communes = sorted(pairs_by_epci().items())[0]
    make_territory(folder, siren, communes, 1)
    return Project(folder)


def assert_built_from_its_own_inputs(project: Project, said: str) -> list[str]:
    """Every document the project's manifest records is there as recorded, and says what its own inputs say."""
    entries = json.loads((project.output / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert entries
    for entry in entries:
        for kind in ("docx", "pdf"):
            assert sha256_of(project.root / entry[kind]) == entry["sha256"][kind]
        assert said in pdf_text(project.root / entry["pdf"])
    assert not list(project.output.glob(".atfpb-*"))
    return sorted(entry["pdf"] for entry in entries)


def test_three_territories_in_one_build(tmp_path: Path) -> None:
    first = communes_only(copy_project(tmp_path / "hainaut-roeulx"), "roeulx")
    second = communes_only(copy_project(tmp_path / "hainaut-denain"), "roeulx", "denain")  # same names as the first
    third = other_epci(tmp_path / "autre-epci")
    arguments = ["build", "--projet", str(first.root), "--projet", str(second.root), "--projet", str(third.root)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert ["output/roeulx/convention-atfpb-roeulx-maisons-et-cites.pdf"] == assert_built_from_its_own_inputs(
        first, "Rœulx"
    )
    assert len(assert_built_from_its_own_inputs(second, "Porte du Hainaut")) == 3
    assert len(assert_built_from_its_own_inputs(third, "Intercommunalité d'essai")) == 2  # convention, avenant
    for project in (first, second, third):
        assert f"Projet « {project.root} » :" in result.output
    assert "Total (3 projets, 0 arrêté(s) par une erreur) : 6 projet(s) produit(s), 0 inchangé(s), 0 en échec." in (
        result.output
    )
    assert result.output.count("Durées : ") == 1  # one run: one pool, one set of stage times

    again = CliRunner().invoke(main, ["build", "--projets", str(tmp_path), "-q"])
    assert again.exit_code == 0, again.output
    assert "Total (3 projets, 0 arrêté(s) par une erreur) : 0 projet(s) produit(s), 6 inchangé(s)" in again.output


def test_a_failing_project_is_said_and_the_others_are_built(tmp_path: Path) -> None:
    good = communes_only(copy_project(tmp_path / "parent" / "bon"), "roeulx")
    bad = communes_only(copy_project(tmp_path / "parent" / "casse"), "roeulx")
    commune = bad.instances / "communes" / "roeulx.yaml"
    commune.write_text(commune.read_text(encoding="utf-8").replace("insee:", "insse:"), encoding="utf-8")
    (tmp_path / "parent" / "notes").mkdir()  # not a project: left alone

    result = CliRunner().invoke(main, ["build", "--projets", str(tmp_path / "parent")])
    assert result.exit_code == 1
    assert_built_from_its_own_inputs(good, "Rœulx")
    assert not (bad.output / "manifest.json").exists() and not list(bad.output.glob("*/*.pdf"))
    assert f"Projet « {bad.root} » : arrêté par une erreur (voir ci-dessous)." in result.output
    assert f"Erreur dans le projet « {bad.root} » :" in result.output
    assert "instances/communes/roeulx.yaml:" in result.output and "insse" in result.output
    assert "Total (2 projets, 1 arrêté(s) par une erreur) : 1 projet(s) produit(s)" in result.output
    assert "Traceback" not in result.output


def test_naming_communes_with_several_projects_is_refused_in_french(tmp_path: Path) -> None:
    first, second = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    result = CliRunner().invoke(main, ["build", "roeulx", "--projet", str(first.root), "--projet", str(second.root)])
    assert result.exit_code == 2
    assert "avec plusieurs projets, toutes leurs communes" in result.output
    assert not first.output.exists() and not second.output.exists()


def test_a_parent_folder_without_projects_is_refused_in_french(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--projets", str(tmp_path)])
    assert result.exit_code == 2 and f"aucun projet atfpb dans « {tmp_path} »" in result.output
