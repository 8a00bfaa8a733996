"""Values not yet confirmed: « !a_confirmer » in YAML, « à confirmer » in workbooks, typed and located."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.errors import AtfpbError
from generator.inputs.instances import load_territory
from generator.inputs.project import Project
from generator.inputs.workbook.reader import read_programme_workbook
from generator.inputs.workbook.template import write_template
from generator.inputs.yaml_reader import parse_yaml
from generator.pending import PendingAmount, PendingDate, PendingInt, PendingText, pending, pending_in

from ..helpers import COMMUNE_BASE, location_of

COMMUNE = "instances/communes/test.yaml"


def commune_with(project: Project, old: str, new: str) -> tuple[str, object]:
    """The base commune file with one change, alone in the project, loaded."""
    text = COMMUNE_BASE.replace(old, new)
    assert text != COMMUNE_BASE
    for path in (project.instances / "communes").glob("*.yaml"):
        path.unlink()
    (project.root / COMMUNE).write_text(text, encoding="utf-8")
    (commune,) = load_territory(project.instances, project.root).communes
    return text, commune


def test_a_tagged_value_keeps_its_type_its_value_and_its_place(project: Project) -> None:
    text, commune = commune_with(project, 'numero: "2024-01"', "numero: !a_confirmer 2024-11-26-04")
    numero = commune.deliberation.numero  # type: ignore[attr-defined]
    assert isinstance(numero, PendingText) and numero == "2024-11-26-04" and numero.known
    assert str(numero.location) == f"{COMMUNE}:{location_of(text, '!a_confirmer')}"


def test_an_empty_required_field_is_an_unknown_value_to_confirm(project: Project) -> None:
    text, commune = commune_with(project, 'numero: "2024-01"\n  date: 2024-11-26', "numero:\n  date: !a_confirmer")
    deliberation = commune.deliberation  # type: ignore[attr-defined]
    assert isinstance(deliberation.numero, PendingText) and not deliberation.numero.known
    assert isinstance(deliberation.date, PendingDate) and not deliberation.date.known
    assert [m.label for m in pending_in(commune)] == ["numero", "date"]


def test_a_whole_role_may_be_unknown(project: Project) -> None:
    old = "maire:\n  titulaires:\n    - civilite: Mme\n      prenom: Dalila\n      nom: DUWEZ-GUESMIA\n"
    _text, commune = commune_with(project, old, "maire: !a_confirmer\n")
    maire = commune.maire  # type: ignore[attr-defined]
    assert maire.qualite == "Maire de Lourches" and maire.titulaires == ()
    assert pending(maire.to_confirm) is not None


def test_provisional_counts_and_dates_are_typed(project: Project) -> None:
    _text, commune = commune_with(project, "QN05954M: 9", "QN05954M: !a_confirmer 9")
    (code, count), _second = commune.patrimoine[0].logements  # type: ignore[attr-defined]
    assert isinstance(count, PendingInt) and count == 9 and count + 6 == 15


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("nom: Lourches", "nom: !a_confirmer Lourches", "« nom » ne peut pas rester à confirmer"),
        ('insee: "59361"', 'insee: !a_confirmer "59361"', "« insee » ne peut pas rester à confirmer"),
        ("  - QN05952M\nbailleurs", "  - !a_confirmer QN05952M\nbailleurs", "ne peut pas rester à confirmer"),
        ("QN05954M: 9", "QN05954M: !a_confirmer", "indiquez une valeur provisoire"),
        ('numero: "2024-01"', 'numero: !aconfirmer "2024-01"', "étiquette inconnue"),
        ("civilite: Mme", "civilite: !a_confirmer", "indiquez une valeur provisoire"),
    ],
)
def test_what_identifies_a_document_cannot_stay_to_confirm(project: Project, old: str, new: str, message: str) -> None:
    with pytest.raises(AtfpbError) as caught:
        commune_with(project, old, new)
    assert message in str(caught.value)
    assert f"{COMMUNE}:" in str(caught.value)


def test_every_reader_types_a_tagged_value() -> None:
    root = parse_yaml("a: !a_confirmer 12,50\nb: !a_confirmer 2024-11-26\nc: !a_confirmer texte\n", "x.yaml", "x")
    f = root.mapping({"a", "b", "c"})
    assert isinstance(f["a"].amount(), PendingAmount) and f["a"].amount() == Decimal("12.50")
    assert isinstance(f["b"].date(confirmable=True), PendingDate) and f["b"].date(confirmable=True) == date(
        2024, 11, 26
    )
    assert isinstance(f["c"].text(confirmable=True), PendingText)
    with pytest.raises(AtfpbError, match="ne peut pas rester à confirmer"):
        f["b"].date()


def test_a_workbook_cell_written_a_confirmer_is_provisional(project: Project, tmp_path: Path) -> None:
    territory = load_territory(project.instances, project.root)
    commune = territory.commune_named("lourches")
    landlord = territory.landlord_named("partenord-habitat")
    assert commune is not None and landlord is not None
    path = tmp_path / "programme.xlsx"
    write_template(path, territory, commune, landlord, 2027)
    workbook = load_workbook(path)
    workbook["Abattement"]["D2"] = "à confirmer 4 050,50"
    workbook["Abattement"]["D3"] = 2700
    row = [1, "3 - Sur-entretien", "Nettoyage", "", "QN05954M", "À confirmer : 1200", 800]
    for column, value in enumerate(row, start=1):
        workbook["Actions"].cell(3, column, value)
    workbook.save(path)
    programme = read_programme_workbook(path, "p.xlsx", territory)
    abatement = dict(programme.abattement)
    assert isinstance(abatement["QN05954M"], PendingAmount) and abatement["QN05954M"] == Decimal("4050.50")
    assert pending(abatement["QN05952M"]) is None
    (action,) = programme.actions
    assert isinstance(action.cout_total, PendingAmount) and action.cout_total == Decimal("1200.00")
    assert [str(m.location) for m in pending_in(programme)] == ["p.xlsx:Abattement!D2", "p.xlsx:Actions!F3"]
    workbook["Actions"]["F3"] = "à confirmer"
    workbook.save(path)
    with pytest.raises(AtfpbError, match="montant provisoire"):
        read_programme_workbook(path, "p.xlsx", territory)
