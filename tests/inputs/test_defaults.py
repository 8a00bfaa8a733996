"""The toolkit's clause library and Word template serve every project; a project's own replace them by id or add."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import AtfpbError
from generator.inputs.project import TOOLKIT, Project, load_inputs, own_clauses

from ..helpers import ROOT


def instances_only(destination: Path) -> Project:
    """A project as « atfpb init » makes one: instances/ and nothing else."""
    shutil.copytree(ROOT / "instances", destination / "instances")
    return Project(destination)


def test_a_project_needs_only_its_instances(tmp_path: Path) -> None:
    project = instances_only(tmp_path)
    inputs = load_inputs(project)
    assert len(inputs.clauses) == 15 and len(inputs.avenant_clauses) >= 10
    assert project.template == TOOLKIT / "templates" / "docx" / "convention.docx"
    assert own_clauses(project, inputs) == []


def test_a_projects_own_clause_replaces_the_toolkits_by_id_or_adds_one(tmp_path: Path) -> None:
    project = instances_only(tmp_path)
    own = project.clauses / "convention"
    own.mkdir(parents=True)
    text = (TOOLKIT / "clauses" / "convention" / "10-objet.md").read_text(encoding="utf-8")
    (own / "10-objet.md").write_text(text.replace("La présente convention", "Notre convention", 1), encoding="utf-8")
    (own / "85-locale.md").write_text(
        "---\nid: locale\ntitre: Disposition locale\nsection: article\n---\nUne disposition propre au territoire.\n",
        encoding="utf-8",
    )
    inputs = load_inputs(project)
    by_id = {c.id: c for c in inputs.clauses}
    assert by_id["objet"].file == "clauses/convention/10-objet.md" and "Notre convention" in by_id["objet"].body
    assert [c.id for c in inputs.clauses].index("locale") == [c.id for c in inputs.clauses].index("suivi-local") + 1
    assert own_clauses(project, inputs) == [
        "clauses/convention/10-objet.md (remplace la clause « objet »)",
        "clauses/convention/85-locale.md (ajoute la clause « locale »)",
    ]
    result = CliRunner().invoke(main, ["--projet", str(tmp_path), "validate"])
    assert "Clause propre au projet : clauses/convention/85-locale.md (ajoute la clause « locale »)" in result.output


@pytest.mark.parametrize("content", [b"", b"ceci n'est pas un document Word", b"PK\x03\x04 abime"])
def test_a_broken_template_is_a_located_error_from_validate(tmp_path: Path, content: bytes) -> None:
    project = instances_only(tmp_path)
    template = tmp_path / "templates" / "docx" / "convention.docx"
    template.parent.mkdir(parents=True)
    template.write_bytes(content)
    with pytest.raises(AtfpbError, match="modèle Word illisible") as caught:
        load_inputs(project)
    assert "templates/docx/convention.docx" in str(caught.value)
    result = CliRunner().invoke(main, ["--projet", str(tmp_path), "build"])
    assert result.exit_code == 1 and "templates/docx/convention.docx: modèle Word illisible" in result.stderr
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").rglob("*.pdf"))


def test_the_clauses_command_copies_the_library_once(tmp_path: Path) -> None:
    instances_only(tmp_path)
    result = CliRunner().invoke(main, ["clauses", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "clauses" / "convention" / "10-objet.md").is_file()
    assert (tmp_path / "templates" / "docx" / "convention.docx").is_file()
    again = CliRunner().invoke(main, ["clauses", str(tmp_path)])
    assert again.exit_code == 1 and "déjà ses propres clauses" in again.stderr
    empty = tmp_path / "vide"
    empty.mkdir()
    refused = CliRunner().invoke(main, ["clauses", str(empty)])
    assert refused.exit_code == 1 and "n'est pas un projet" in refused.stderr
