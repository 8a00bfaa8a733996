"""Finding an EPCI by SIREN or name, and the names it takes in the documents."""

from __future__ import annotations

import pytest

from generator.errors import DataError
from generator.inputs.epci import epci_names, epci_reference, find_epci, population_by_departement


@pytest.mark.parametrize(
    ("referential", "kind", "nom", "nom_officiel", "de"),
    [
        ("CA Valenciennes Métropole", "CA", "Valenciennes Métropole",
         "Communauté d'agglomération Valenciennes Métropole", "de Valenciennes Métropole"),
        ("CA de la Porte du Hainaut", "CA", "La Porte du Hainaut",
         "Communauté d'agglomération de la Porte du Hainaut", "de La Porte du Hainaut"),
        ("CA du Grand Avignon (COGA)", "CA", "Le Grand Avignon",
         "Communauté d'agglomération du Grand Avignon", "du Grand Avignon"),
        ("CC des Savanes", "CC", "Les Savanes", "Communauté de communes des Savanes", "des Savanes"),
        ("CU d'Arras", "CU", "Communauté urbaine d'Arras", "Communauté urbaine d'Arras",
         "de la Communauté urbaine d'Arras"),
        ("CA Lorient Agglomération", "CA", "Lorient Agglomération", "Lorient Agglomération",
         "de Lorient Agglomération"),
        ("CU Le Havre Seine Métropole", "CU", "Le Havre Seine Métropole",
         "Communauté urbaine Le Havre Seine Métropole", "du Havre Seine Métropole"),
        ("CA Intercommunale du Nord de la Réunion (CINOR)", "CA", "CINOR",
         "Communauté intercommunale du Nord de la Réunion", "de la CINOR"),
        ("Métropole de Lyon", "MET69", "Métropole de Lyon", "Métropole de Lyon", "de la Métropole de Lyon"),
        ("Toulouse Métropole", "METRO", "Toulouse Métropole", "Toulouse Métropole", "de Toulouse Métropole"),
        ("Eurométropole de Strasbourg", "METRO", "Eurométropole de Strasbourg", "Eurométropole de Strasbourg",
         "de l'Eurométropole de Strasbourg"),
        ("CA de Blois ''Agglopolys''", "CA", "Communauté d'agglomération de Blois « Agglopolys »",
         "Communauté d'agglomération de Blois « Agglopolys »",
         "de la Communauté d'agglomération de Blois « Agglopolys »"),
    ],
)  # fmt: skip
def test_names_from_the_referential(referential: str, kind: str, nom: str, nom_officiel: str, de: str) -> None:
    names = epci_names(referential, kind)
    assert (names.nom, names.nom_officiel, names.de) == (nom, nom_officiel, de)


@pytest.mark.parametrize(
    ("referential", "kind", "dans"),
    [
        ("CA Valenciennes Métropole", "CA", "Valenciennes Métropole"),
        ("CA de la Porte du Hainaut", "CA", "La Porte du Hainaut"),
        ("CA du Grand Avignon (COGA)", "CA", "le Grand Avignon"),
        ("CC des Savanes", "CC", "les Savanes"),
        ("CU d'Arras", "CU", "la Communauté urbaine d'Arras"),
        ("Eurométropole de Strasbourg", "METRO", "l'Eurométropole de Strasbourg"),
        ("CA Intercommunale du Nord de la Réunion (CINOR)", "CA", "la CINOR"),
        ("CA Agglo du Pays de Dreux", "CA", "Agglo du Pays de Dreux"),
    ],
)
def test_the_name_after_dans(referential: str, kind: str, dans: str) -> None:
    assert epci_names(referential, kind).dans == dans


def test_found_by_siren_or_by_its_exact_name() -> None:
    assert find_epci("245901160").referential_name == "CA Valenciennes Métropole"
    assert find_epci(" 245 901 160 ").siren == "245901160"
    assert find_epci("la porte du hainaut").siren == "200042190"
    assert find_epci("CA du Grand Avignon (COGA)").siren == "248400251"


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ("245901161", "n'a le SIREN 245901161. Vouliez-vous dire Valenciennes Métropole (245901160)"),
        ("24590116", "un SIREN compte 9 chiffres (lu : « 24590116 »). Vouliez-vous dire Valenciennes Métropole"),
        ("Valencienne Métropole", "« Valencienne Métropole ». Vouliez-vous dire Valenciennes Métropole (245901160)"),
        ("Grand Avignon", "Vouliez-vous dire Le Grand Avignon (248400251)"),
        ("Xyzzy", "Indiquez le SIREN de l'EPCI (9 chiffres"),
    ],
)  # fmt: skip
def test_an_unknown_epci_suggests_the_closest(wanted: str, message: str) -> None:
    with pytest.raises(DataError) as raised:
        find_epci(wanted)
    assert message in str(raised.value)


def test_every_epci_gets_names_and_a_departement() -> None:
    for epci in epci_reference().values():
        names = epci.names
        assert names.nom and names.nom_officiel and names.de.startswith(("de ", "d'", "du ", "des ", "de la ", "de l'"))
        assert population_by_departement(epci)
