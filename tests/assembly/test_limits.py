"""Clauses and data files that would exhaust the machine are stopped with a French message, quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.assembly.assemble import assemble_convention
from generator.errors import AtfpbError
from generator.inputs.clauses import load_library
from generator.inputs.project import Project, load_inputs
from generator.inputs.yaml_reader import read_yaml

from ..helpers import ROOT


def clause(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "clauses" / "essai"
    folder.mkdir(parents=True)
    (folder / "10-boucle.md").write_text(
        f"---\nid: boucle\ntitre: Boucle\nsection: article\n---\n{body}\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    "body",
    [
        "{% for i in range(10**9) %}x{% endfor %}",  # once a crash (OverflowError)
        "{% for i in range(9999) %}{% for j in range(9999) %}{% for k in range(9999) %}{% endfor %}{% endfor %}"
        "{% endfor %}",  # 10¹² turns: once a hang
        "{% for i in range(10000) %}{% for j in range(10000) %}xxxxxxxxxx{% endfor %}{% endfor %}",  # 1 GB of text
    ],
    ids=["range géant", "boucles imbriquées", "texte géant"],
)
def test_a_clause_that_would_run_forever_is_stopped(tmp_path: Path, body: str) -> None:
    inputs = load_inputs(Project(ROOT), with_programmes=False)
    territory = inputs.territory
    commune = territory.commune_named("lourches")
    assert commune is not None
    clauses = load_library([clause(tmp_path, body)], tmp_path)
    started = time.monotonic()
    with pytest.raises(AtfpbError) as caught:
        assemble_convention(territory, commune, territory.landlord("partenord-habitat"), clauses, inputs.references)
    assert time.monotonic() - started < 30
    assert "clauses/essai/10-boucle.md:" in str(caught.value)
    assert "trop de texte ou tourne trop longtemps" in str(caught.value)


def test_a_huge_yaml_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gros.yaml"
    path.write_text("liste:\n" + "  - une ligne de données répétée\n" * 120_000, encoding="utf-8")
    with pytest.raises(AtfpbError, match=r"gros\.yaml: fichier trop volumineux \(\d Mo, 2 Mo au plus\)"):
        read_yaml(path, "gros.yaml")


@pytest.mark.parametrize("nested", ["[" * 10_000 + "]" * 10_000, "{a: " * 5_000 + "1" + "}" * 5_000])
def test_yaml_nested_ten_thousand_deep_is_refused(tmp_path: Path, nested: str) -> None:
    path = tmp_path / "profond.yaml"
    path.write_text(f"valeur: {nested}\n", encoding="utf-8")
    with pytest.raises(AtfpbError, match=r"profond\.yaml:1:\d+: syntaxe YAML invalide : trop de niveaux imbriqués"):
        read_yaml(path, "profond.yaml")
