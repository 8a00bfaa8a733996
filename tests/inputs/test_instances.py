"""Instance files: one fixture per failure mode, each with its French message and location."""

from __future__ import annotations

from datetime import date

import pytest

from generator.errors import AtfpbError, Problems
from generator.inputs.instances import load_territory
from generator.inputs.project import Project, load_inputs

from ..helpers import COMMUNE_BASE as BASE
from ..helpers import COMMUNE_CASES as CASES
from ..helpers import ROOT, location_of

COMMUNE = "instances/communes/test.yaml"


def only_commune(project: Project, text: str) -> None:
    for path in (project.instances / "communes").glob("*.yaml"):
        path.unlink()
    (project.root / COMMUNE).write_text(text, encoding="utf-8")


def error_of(project: Project) -> str:
    with pytest.raises(AtfpbError) as caught:
        load_territory(project.instances, project.root)
    return str(caught.value)


def test_the_base_commune_loads(project: Project) -> None:
    only_commune(project, BASE)
    territory = load_territory(project.instances, project.root)
    (commune,) = territory.communes
    assert commune.slug == "lourches"
    assert [q.code for q in commune.qpv] == ["QN05954M", "QN05952M"]
    assert commune.patrimoine[0].bailleur == "partenord-habitat"
    assert commune.patrimoine[0].logements == (("QN05954M", 9), ("QN05952M", 6))
    assert commune.maire.qualite == "Maire de Lourches"
    assert commune.maire.holder_at(date(2025, 3, 1)).personne == "Mme Dalila DUWEZ-GUESMIA"


@pytest.mark.parametrize(("case", "old", "new", "message", "needle"), CASES, ids=[c[0] for c in CASES])
def test_commune_file_error(project: Project, case: str, old: str, new: str, message: str, needle: str) -> None:
    assert old in BASE, case
    text = BASE.replace(old, new, 1)
    only_commune(project, text)
    error = error_of(project)
    assert message in error
    where = location_of(text, needle)
    assert f"{COMMUNE}:{where}: " in error, error
    assert "Traceback" not in error


def test_empty_commune_file(project: Project) -> None:
    only_commune(project, "")
    assert f"{COMMUNE}:1:1: le contenu YAML est vide." in error_of(project)


def test_duplicate_landlord_in_a_commune(project: Project) -> None:
    text = BASE + "  - nom: Partenord\n    logements:\n      QN05954M: 1\n"
    only_commune(project, text)
    assert (
        f"{COMMUNE}:{location_of(text, 'Partenord' + chr(10))}: le bailleur « Partenord » est cité deux fois."
        in error_of(project)
    )


def test_every_broken_file_is_reported_at_once(project: Project) -> None:
    only_commune(project, BASE.replace("nom: Lourches", "nom: Louches"))
    (project.instances / "communes" / "autre.yaml").write_text(BASE.replace("QN05952M: 6", "QN05952M: x"))
    with pytest.raises(Problems) as caught:
        load_territory(project.instances, project.root)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(COMMUNE) and "Louches" in m for m in messages)
    assert any(m.startswith("instances/communes/autre.yaml:18:") and "nombre entier" in m for m in messages)


def test_same_commune_described_twice(project: Project) -> None:
    only_commune(project, BASE)
    (project.instances / "communes" / "doublon.yaml").write_text(BASE)
    assert "la commune Lourches est déjà décrite dans" in error_of(project)


def replace_in_territory(project: Project, old: str, new: str) -> str:
    path = project.instances / "territoire.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def test_overlapping_mandates(project: Project) -> None:
    text = replace_in_territory(
        project,
        "      - civilite: M.\n        prenom: Bertrand",
        "      - civilite: M.\n        prenom: Paul\n        nom: DUPONT\n"
        "      - civilite: M.\n        prenom: Bertrand",
    )
    error = error_of(project)
    assert "se chevauchent" in error
    assert error.startswith(
        f"instances/territoire.yaml:{location_of(text, '- civilite: M.' + chr(10) + '        prenom: Paul')}"
    )


def test_unknown_key_in_a_landlord(project: Project) -> None:
    text = replace_in_territory(project, "    nom_court: Partenord\n", "    nom_court: Partenord\n    priorite: x\n")
    error = error_of(project)
    assert f"instances/territoire.yaml:{location_of(text, 'priorite: x')}: champ inconnu « priorite »" in error
    assert "Vouliez-vous dire « priorites »" in error


def test_invalid_siren(project: Project) -> None:
    replace_in_territory(project, 'siren: "200042190"', 'siren: "200042191"')
    assert "aucun EPCI à fiscalité propre n'a le SIREN 200042191" in error_of(project)


def test_the_person_in_office_at_the_document_date_is_named(project: Project) -> None:
    text = BASE.replace(
        "      nom: DUWEZ-GUESMIA\n",
        "      nom: DUWEZ-GUESMIA\n      au: 2026-03-21\n    - civilite: M.\n      prenom: Jean\n      nom: NOUVEAU\n"
        "      du: 2026-03-22\n",
    )
    only_commune(project, text)
    mayor = load_territory(project.instances, project.root).communes[0].maire
    assert mayor.holder_at(date(2025, 3, 14)).nom == "DUWEZ-GUESMIA"
    assert mayor.holder_at(date(2026, 4, 1)).nom == "NOUVEAU"


def test_shipped_examples_are_valid() -> None:
    inputs = load_inputs(Project(ROOT))
    names = {c.nom for c in inputs.territory.communes}
    assert {"Lourches", "Rœulx"} <= names and len(names) >= 4
    assert "Maisons & Cités" in {b.nom for b in inputs.territory.bailleurs}


@pytest.mark.parametrize(
    "written", ["Société Immobilière Grand Hainaut", "SIGH", "societe-immobiliere-du-grand-hainaut"]
)
def test_a_commune_file_names_a_landlord_as_every_other_file_does(project: Project, written: str) -> None:
    """One landlord lookup: its other known names (`autres_noms`) and its slug count in commune files too."""
    only_commune(project, BASE.replace("nom: Partenord Habitat", f"nom: {written}"))
    (commune,) = load_territory(project.instances, project.root).communes
    assert commune.patrimoine[0].bailleur == "societe-immobiliere-du-grand-hainaut"
