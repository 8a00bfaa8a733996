"""Three years that hold together, built: each avenant states what it receives and carries, quartier by quartier,
and the transfer of a surplus between quartiers; check finds nothing in any of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.projects import build
from generator.build.review import check_files
from generator.inputs.project import load_inputs

from ..helpers import GAMBETTA, SCHNEIDER, chain, pdf_text

pytestmark = pytest.mark.e2e


def test_a_chain_of_three_years_with_a_transfer_builds_three_consistent_avenants(tmp_path: Path) -> None:
    project = chain(tmp_path)
    built = [e for e in build(project, ["lourches"], kind="avenant").built]
    texts = {e.year: pdf_text(project.root / e.pdf) for e in built}
    assert sorted(texts) == [2025, 2026, 2027]
    first, second, third = texts[2025], texts[2026], texts[2027]
    assert (
        "Le programme en fait usage : 500,00 € non utilisés dans le quartier Gambetta (QN05954M) couvrent le "
        "dépassement du quartier Schneider (QN05952M)."
    ) in first
    assert (
        "laisse donc inutilisé un montant de 500,00 €, soit 500,00 € pour le quartier Gambetta (QN05954M)."
    ) in first
    assert "Ce report se répartit ainsi : 500,00 € pour le quartier Gambetta (QN05954M)." in second
    assert "inutilisé un montant de 200,00 €, soit 200,00 € pour le quartier Schneider (QN05952M)." in second
    assert "Ce report se répartit ainsi : 200,00 € pour le quartier Schneider (QN05952M)." in third
    assert "est entièrement utilisé et aucun report" in third
    paths = [project.root / e.pdf for e in built] + [project.root / e.docx for e in built]
    reports = check_files(project, load_inputs(project, with_programmes=False), paths, None, None)
    assert [(r.file, f.message) for r in reports for f in r.findings if f.severity == "error"] == []


def test_the_avenant_explains_what_validate_warns_of(tmp_path: Path) -> None:
    project = chain(
        tmp_path,
        y2025=({GAMBETTA: 4000, SCHNEIDER: 2000}, {}, {GAMBETTA: 2000}),  # 4 000 € of 6 000 € unused; Schneider idle
        y2026=({GAMBETTA: 1000, SCHNEIDER: 1000}, {GAMBETTA: 2000, SCHNEIDER: 2000}, {GAMBETTA: 500}),
        y2027=None,
    )
    built = {e.year: e for e in build(project, ["lourches"], kind="avenant").built}
    first, second = (pdf_text(project.root / built[year].pdf) for year in (2025, 2026))
    assert "Aucune action du programme 2025 ne porte sur le quartier Schneider (QN05952M)" in first
    assert "Ce montant dépasse le quart du montant disponible" in first
    assert "dépasse aussi l" not in first  # 4 000 € carried, under the year's 6 000 €
    assert "Il dépasse aussi l" in second and "abattement de l" in second
