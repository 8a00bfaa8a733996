"""The chain of years: what a year receives on each QPV is what the previous avenant left unused and carried
there, after surpluses have covered overspends between the convention's QPV."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import AtfpbError
from generator.inputs.project import Project, load_inputs
from generator.model.totals import programme_totals

from ..helpers import GAMBETTA, SCHNEIDER, YEARS, chain


def error_of(project: Project) -> str:
    with pytest.raises(AtfpbError) as caught:
        load_inputs(project)
    return str(caught.value)


def test_a_consistent_chain_with_a_transfer_between_quarters(tmp_path: Path) -> None:
    inputs = load_inputs(chain(tmp_path))
    commune = inputs.territory.commune_named("lourches")
    assert commune is not None
    first = programme_totals(inputs.programme("lourches", "partenord-habitat", 2025), commune)  # type: ignore[arg-type]
    (transfer,) = first.transferts
    assert (transfer.depuis.code, transfer.vers.code, transfer.depuis.montant) == (GAMBETTA, SCHNEIDER, 500)
    assert [(r.code, r.montant) for r in first.reports] == [(GAMBETTA, Decimal(500))]
    second = programme_totals(inputs.programme("lourches", "partenord-habitat", 2026), commune)  # type: ignore[arg-type]
    assert second.transferts == () and [(r.code, r.montant) for r in second.reports] == [(SCHNEIDER, Decimal(200))]


def test_a_carry_over_larger_than_proposed(tmp_path: Path) -> None:
    abatement, _carried, valued = YEARS[2027]
    message = error_of(chain(tmp_path, y2027=(abatement, {SCHNEIDER: 500}, valued)))
    assert "instances/programmes/lourches-partenord-habitat-2027.yaml:8:3:" in message
    assert (
        f"report de 500,00\u00a0€ reçu sur {SCHNEIDER} (Schneider) en 2027, supérieur aux 200,00\u00a0€ que l'avenant "
        "2026 (instances/programmes/lourches-partenord-habitat-2026.yaml) laisse inutilisés sur ce quartier"
    ) in message


def test_a_carry_over_received_but_never_proposed(tmp_path: Path) -> None:
    abatement, _carried, valued = YEARS[2027]
    message = error_of(chain(tmp_path, y2027=(abatement, {GAMBETTA: 100, SCHNEIDER: 200}, valued)))
    assert "lourches-partenord-habitat-2027.yaml:8:3:" in message
    assert (
        f"report de 100,00\u00a0€ reçu sur {GAMBETTA} (Gambetta) en 2027, mais l'avenant 2026 "
        "(instances/programmes/lourches-partenord-habitat-2026.yaml) n'en propose aucun sur ce quartier."
    ) in message


def test_a_carry_over_into_the_first_year(tmp_path: Path) -> None:
    abatement, _carried, valued = YEARS[2025]
    message = error_of(chain(tmp_path, y2025=(abatement, {GAMBETTA: 2000}, valued)))
    assert "lourches-partenord-habitat-2025.yaml:8:3:" in message
    assert "en 2025, première année de la convention : aucune année antérieure ne peut en laisser." in message


def test_a_carry_over_with_no_previous_avenant(tmp_path: Path) -> None:
    message = error_of(chain(tmp_path, y2026=None))
    assert "lourches-partenord-habitat-2027.yaml:8:3:" in message
    assert "mais aucun programme 2026 de cette convention n'est décrit" in message


def test_a_carry_over_proposed_but_not_received(tmp_path: Path) -> None:
    abatement, _carried, valued = YEARS[2026]
    message = error_of(chain(tmp_path, y2026=(abatement, {}, valued)))
    assert "lourches-partenord-habitat-2026.yaml:5:3:" in message  # none received: at the abatement
    assert (
        "l'avenant 2025 (instances/programmes/lourches-partenord-habitat-2025.yaml) laisse 500,00\u00a0€ inutilisés "
        f"sur {GAMBETTA} (Gambetta), reportés sur 2026, mais ce programme ne les reçoit pas"
    ) in message


def test_warnings_on_much_left_unused_an_idle_quarter_and_a_carry_beyond_the_abatement(tmp_path: Path) -> None:
    project = chain(
        tmp_path,
        y2025=({GAMBETTA: 4000, SCHNEIDER: 2000}, {}, {GAMBETTA: 2000}),  # 4 000 € of 6 000 € unused; Schneider idle
        y2026=({GAMBETTA: 1000, SCHNEIDER: 1000}, {GAMBETTA: 2000, SCHNEIDER: 2000}, {GAMBETTA: 500}),
        y2027=None,
    )
    result = CliRunner().invoke(main, ["--projet", str(project.root), "validate"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "à confirmer" not in line]
    first, second = "lourches-partenord-habitat-2025.yaml", "lourches-partenord-habitat-2026.yaml"
    assert (
        f"Avertissement : instances/programmes/{first}:5:3: 4\u00a0000,00\u00a0€ sur 6\u00a0000,00\u00a0€ disponibles "
        "restent inutilisés en 2025 (plus du quart) : l'avenant l'explique."
    ) in warnings
    assert (
        f"Avertissement : instances/programmes/{first}:6:3: aucune action sur le quartier {SCHNEIDER} (Schneider) en "
        "2025, qui est pourtant couvert par la convention."
    ) in warnings
    beyond = [w for w in warnings if second in w and "dépasse l'abattement de l'année" in w]
    assert len(beyond) == 1 and "ne se reporte que sur N+1" in beyond[0]
    assert not [w for w in warnings if "2027" in w]
