"""The départements referential: every département once, with the preposition an official title gives it."""

from __future__ import annotations

import re

import pytest

from generator.inputs.departements import departements

PREPOSITION = re.compile(r"^(de la |de l'|du |des |de |d')")


def test_every_departement_once() -> None:
    codes = list(departements())
    metropolitan = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    assert sorted(codes) == sorted(metropolitan + ["971", "972", "973", "974", "976"])
    assert len({d.nom for d in departements().values()}) == 101


@pytest.mark.parametrize(
    ("code", "de"),
    [
        ("59", "du Nord"),
        ("80", "de la Somme"),
        ("01", "de l'Ain"),
        ("13", "des Bouches-du-Rhône"),
        ("84", "de Vaucluse"),
        ("75", "de Paris"),
        ("28", "d'Eure-et-Loir"),
        ("35", "d'Ille-et-Vilaine"),
        ("37", "d'Indre-et-Loire"),
        ("36", "de l'Indre"),
        ("41", "de Loir-et-Cher"),
        ("47", "de Lot-et-Garonne"),
        ("49", "de Maine-et-Loire"),
        ("54", "de Meurthe-et-Moselle"),
        ("71", "de Saône-et-Loire"),
        ("77", "de Seine-et-Marne"),
        ("82", "de Tarn-et-Garonne"),
        ("89", "de l'Yonne"),
        ("90", "du Territoire de Belfort"),
        ("2A", "de la Corse-du-Sud"),
        ("971", "de la Guadeloupe"),
        ("974", "de La Réunion"),
        ("976", "de Mayotte"),
    ],
)
def test_the_preposition_of_a_title(code: str, de: str) -> None:
    assert departements()[code].de == de


def test_each_form_is_a_preposition_then_the_name() -> None:
    for departement in departements().values():
        found = PREPOSITION.match(departement.de)
        assert found, departement
        assert departement.de[found.end() :].lower() == departement.nom.lower(), departement
        assert "\u2019" not in departement.de + departement.nom  # the plain apostrophe, like the other data
