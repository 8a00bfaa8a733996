"""Finalising precisely: one pair at a time, a new version only when the document says something new, drafts never
behind a final, and a replaced final that says so."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner, Result

from generator.build.plan import assemble, content_digest, specs_of
from generator.cli import main
from generator.inputs.project import Project, load_inputs
from generator.manifest import read_manifest

from ..helpers import copy_project, pdf_text


def run(project: Project, *args: str) -> Result:
    return CliRunner().invoke(main, ["--projet", str(project.root), *args])


def hashes(folder: Path) -> dict[str, str]:
    """Every document file of output/ (not the manifest, which records every build) with its digest."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".pdf", ".docx")
    }


def test_finalising_one_pair_leaves_every_other_document_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path, confirm=True)
    assert run(project, "build", "--jobs", "2").exit_code == 0
    before = hashes(project.output)
    result = run(project, "build", "denain", "--bailleur", "SIGH", "--kind", "convention", "--final")
    assert result.exit_code == 0, result.output
    after = hashes(project.output)
    made = sorted(set(after) - set(before))
    assert made == [
        "denain/convention-atfpb-denain-societe-immobiliere-du-grand-hainaut-v1.docx",
        "denain/convention-atfpb-denain-societe-immobiliere-du-grand-hainaut-v1.pdf",
    ]
    assert {name: after[name] for name in before} == before  # every other file, byte for byte
    finals = [e for e in read_manifest(project.output, "manifest.json") if e.final]
    assert [(e.commune, e.bailleur, e.kind) for e in finals] == [
        ("denain", "societe-immobiliere-du-grand-hainaut", "convention")
    ]
    assert "1 version(s) finale(s) produite(s)" in result.output


def test_the_year_and_kind_select_one_avenant(tmp_path: Path) -> None:
    project = copy_project(tmp_path, confirm=True)
    result = run(project, "build", "lourches", "--kind", "avenant", "--year", "2026", "--final")
    assert result.exit_code == 0, result.output
    finals = [e.pdf for e in read_manifest(project.output, "manifest.json") if e.final]
    assert finals == ["output/lourches/avenant-atfpb-2026-lourches-partenord-habitat-v1.pdf"]


def test_a_landlord_written_where_a_commune_goes_is_explained(tmp_path: Path) -> None:
    project = copy_project(tmp_path, confirm=True)
    result = run(project, "build", "denain", "sigh", "--final")
    assert result.exit_code == 2
    assert "« sigh » est un bailleur, pas une commune : écrivez --bailleur sigh." in result.output
    assert not project.output.exists() or not any(project.output.rglob("*.pdf"))
    unknown = run(project, "build", "denain", "--bailleur", "Vilogia", "--final")
    assert unknown.exit_code == 2 and "bailleur « Vilogia » inconnu" in unknown.output


def test_a_new_version_only_when_the_document_says_something_new(tmp_path: Path) -> None:
    project = copy_project(tmp_path, confirm=True)
    commune = project.instances / "communes" / "roeulx.yaml"
    assert run(project, "build", "roeulx", "--final").exit_code == 0
    v1 = project.output / "roeulx" / "convention-atfpb-roeulx-maisons-et-cites-v1.pdf"
    # The commune file changes but not what the document says: no version 2, even when asked for.
    commune.write_text(commune.read_text(encoding="utf-8") + "# relu le 28/11\n", encoding="utf-8")
    same = run(project, "build", "roeulx", "--final", "--new-version")
    assert same.exit_code == 0, same.output
    assert "0 version(s) finale(s) produite(s), 1 inchangée(s)" in same.output
    assert not (v1.parent / "convention-atfpb-roeulx-maisons-et-cites-v2.pdf").exists()
    # A dwelling count changes: a final is never replaced, a version 2 is made on request, the draft follows.
    commune.write_text(commune.read_text(encoding="utf-8").replace("QN05952M: 73", "QN05952M: 79"), encoding="utf-8")
    refused = run(project, "build", "roeulx", "--final")
    assert refused.exit_code == 1 and "son contenu a changé depuis (instances/communes/roeulx.yaml)" in refused.output
    made = run(project, "build", "roeulx", "--final", "--new-version")
    assert made.exit_code == 0, made.output
    v2 = v1.with_name("convention-atfpb-roeulx-maisons-et-cites-v2.pdf")
    draft = v1.with_name("convention-atfpb-roeulx-maisons-et-cites.pdf")
    assert all(re.search(r"\b79\b", pdf_text(path)) for path in (v2, draft)) and not re.search(r"\b79\b", pdf_text(v1))
    # The replaced final says so, and names its successor.
    checked = run(project, "verify", str(v1))
    assert checked.exit_code == 1
    assert "remplacée par la version 2 (output/roeulx/convention-atfpb-roeulx-maisons-et-cites-v2.pdf" in checked.output
    assert "données modifiées depuis : instances/communes/roeulx.yaml" in checked.output
    assert "version remplacée par la version 2" in checked.output
    status = json.loads(run(project, "status", "--format", "json").output)
    roeulx = next(d for d in status["documents"] if d["commune"] == "roeulx")
    assert [(f["version"], f["remplacee_par"]) for f in roeulx["versions_finales"]] == [(1, 2), (2, None)]


def test_the_content_digest_sees_every_word_but_not_where_a_clause_was_read(tmp_path: Path) -> None:
    project = copy_project(tmp_path, confirm=True)
    inputs = load_inputs(project)
    (spec,) = [s for s in specs_of(inputs, inputs.territory.communes) if s.commune.slug == "roeulx"]
    document = assemble(inputs, spec)
    digest = content_digest(document, "modèle")
    moved = [replace(a, source="ailleurs/autre.md") for a in document.articles]
    assert content_digest(replace(document, articles=tuple(moved)), "modèle") == digest
    assert content_digest(document, "autre modèle") != digest
    article = document.articles[2]
    inline = next(t for t in article.tokens if t.type == "inline" and t.children)
    retyped = inline.copy(children=[c.copy(content=c.content.replace("e", "é", 1)) for c in inline.children or []])
    tokens = tuple(retyped if t is inline else t for t in article.tokens)
    articles = (*document.articles[:2], replace(article, tokens=tokens), *document.articles[3:])
    changed = replace(document, articles=articles)
    assert content_digest(changed, "modèle") != digest
