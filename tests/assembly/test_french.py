"""French typography at assembly: apostrophes, non-breaking spaces, minus signs, raised ordinals, landlords' articles,
signatures by delegation; values still to confirm stay marked."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.assembly.assemble import assemble_avenant, assemble_convention
from generator.assembly.french import french_tokens
from generator.errors import AtfpbError, Location
from generator.inputs.clauses import parse_markdown
from generator.inputs.instances import load_territory
from generator.inputs.project import Inputs, Project, load_inputs
from generator.model.territory import Holder, Role, signatory_roles
from generator.pending import PendingText, pending
from generator.typography import (
    MINUS,
    NBSP,
    french_amount,
    french_date,
    french_of_named,
    ordinal_pieces,
    read_printed_amount,
    typeset,
    with_article,
)

from ..helpers import ROOT, copy_project


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(Project(ROOT))


@pytest.mark.parametrize(
    ("raw", "typeset_text"),
    [
        ("l'État et l'organisme", "l’État et l’organisme"),
        ("signé le 30 septembre 2021 par", f"signé le 30{NBSP}septembre{NBSP}2021 par"),
        ("au 1er janvier de l'année", f"au 1er{NBSP}janvier de l’année"),
        ("la loi n° 2014-173", f"la loi n°{NBSP}2014-173"),
        ("de 30 % sur", f"de 30{NBSP}% sur"),
        ("de 17 h à 19 h, sous 48 heures", f"de 17{NBSP}h à 19{NBSP}h, sous 48{NBSP}heures"),
        ("soit 1 584 QPV", f"soit 1{NBSP}584 QPV"),
        (f"un écart de -550,00{NBSP}€", f"un écart de {MINUS}550,00{NBSP}€"),
        ("l'année N-1 et 2025-2030", "l’année N-1 et 2025-2030"),  # hyphens that are no minus
        ("Janvier à décembre 2026", f"Janvier à décembre{NBSP}2026"),
        ("ce qui suit:", f"ce qui suit{NBSP}:"),
    ],
)
def test_typeset(raw: str, typeset_text: str) -> None:
    assert typeset(raw) == typeset_text


@given(st.text())
def test_typeset_is_idempotent_and_keeps_no_straight_apostrophe(text: str) -> None:
    once = typeset(text)
    assert typeset(once) == once and "'" not in once


def test_typeset_keeps_a_value_still_to_confirm_marked() -> None:
    value = PendingText("Préfet de l'Aude", Location("instances/territoire.yaml", 3, 5), "qualite")
    written = typeset(value)
    assert written == "Préfet de l’Aude" and pending(written) is not None and pending(written).location.line == 3
    assert pending(typeset(french_date(date(2024, 11, 26)))) is None


def test_dates_and_amounts_stay_plain_outside_the_documents() -> None:
    """YAML comments, messages and the checks use them: only the documents' typography binds and signs them."""
    assert french_date(date(2021, 9, 30)) == "30 septembre 2021"
    assert french_amount(Decimal("-45.5")) == f"-45,50{NBSP}€"
    assert read_printed_amount(f"{MINUS}550,00 €") == Decimal("-550.00")


def test_ordinal_suffixes_are_cut_to_be_raised() -> None:
    assert ordinal_pieces("au 1er janvier, la 2e année") == [
        ("au 1", False),
        ("er", True),
        (" janvier, la 2", False),
        ("e", True),
        (" année", False),
    ]
    assert ordinal_pieces("QN05954M, 1,5e, N-1e et 2025") == [("QN05954M, 1,5e, N-1e et 2025", False)]


def test_ordinals_become_superscript_tokens_once() -> None:
    tokens = french_tokens(parse_markdown("Au 1er janvier, M^me^ X.\n"))
    children = [(c.type, c.content) for t in tokens for c in t.children or ()]
    assert children == [
        ("text", "Au 1"),
        ("sup_open", ""),
        ("text", "er"),
        ("sup_close", ""),
        ("text", f"{NBSP}janvier, M"),
        ("sup_open", ""),
        ("text", "me"),
        ("sup_close", ""),
        ("text", " X."),
    ]


@pytest.mark.parametrize(
    ("name", "article", "le", "de"),
    [
        ("Société Immobilière du Grand Hainaut", "la", "la Société Immobilière du Grand Hainaut", "de la Société"),
        ("Logement du Nord", "le", "le Logement du Nord", "du Logement"),
        ("Résidences du Nord", "les", "les Résidences du Nord", "des Résidences"),
        ("Office public de l'habitat", "l'", "l'Office public de l'habitat", "de l'Office"),
        ("Partenord Habitat", "", "Partenord Habitat", "de Partenord"),
        ("ICF Habitat", "", "ICF Habitat", "d'ICF"),
    ],
)
def test_a_landlord_with_its_article(name: str, article: str, le: str, de: str) -> None:
    assert with_article(name, article) == le
    assert french_of_named(name, article).startswith(de)


def test_the_example_sigh_takes_its_article_everywhere(inputs: Inputs) -> None:
    territory = inputs.territory
    denain = next(c for c in territory.communes if c.slug == "denain")
    sigh = territory.landlord("societe-immobiliere-du-grand-hainaut")
    document = assemble_convention(territory, denain, sigh, inputs.clauses, inputs.references)
    assert document.signatories[-1].partie == "la Société Immobilière du Grand Hainaut"
    assert document.short_title == "Convention ATFPB 2025-2030 — Denain — SIGH"  # the page header: one line
    text = " ".join(c.content for _s, tokens in document.sections for t in tokens for c in t.children or ())
    text += " ".join(c.content for a in document.articles for t in a.tokens for c in t.children or ())
    assert "Parc social de la Société Immobilière du Grand Hainaut" in text
    assert "dont la Société Immobilière du Grand Hainaut" in text and "La Société Immobilière du Grand" in text
    assert text.count("Société Immobilière du Grand Hainaut") == text.count("a Société Immobilière du Grand Hainaut")


def test_titles_subjects_and_parties_are_set_in_french(inputs: Inputs) -> None:
    territory = inputs.territory
    lourches = next(c for c in territory.communes if c.slug == "lourches")
    landlord = territory.landlord("partenord-habitat")
    programme = inputs.programme("lourches", "partenord-habitat", 2026)
    document = assemble_avenant(territory, lourches, landlord, programme, inputs.avenant_clauses, inputs.references)
    assert document.title.startswith("Avenant n°\u00a02 à la convention d’utilisation de l’ATFPB")
    assert document.subject == "Avenant n°\u00a02, programme d’actions 2026 — Ville de Lourches, Partenord Habitat"
    assert document.signatories[0].partie == "l’État"


def test_a_role_signed_by_delegation(inputs: Inputs) -> None:
    delegate = Role("Sous-préfet de Valenciennes", "le Sous-préfet de Valenciennes", (Holder("Mme", "Claire", "X"),))
    territory = inputs.territory
    prefet = dataclasses.replace(territory.etat.prefet, par_delegation=delegate)
    territory = dataclasses.replace(territory, etat=dataclasses.replace(territory.etat, prefet=prefet))
    assert prefet.delegation_formula == "Pour le Préfet et par délégation"
    assert signatory_roles(territory, None, None)["prefet"] is delegate  # the checks expect who signs
    lourches = next(c for c in territory.communes if c.slug == "lourches")
    document = assemble_convention(
        territory, lourches, territory.landlord("partenord-habitat"), inputs.clauses, inputs.references
    )
    cell = document.signatories[0]
    assert (cell.delegation, cell.qualite, cell.personne) == (
        "Pour le Préfet et par délégation",
        "Sous-préfet de Valenciennes",
        "Mme Claire X",
    )
    assert "M. Bertrand GAUME, Préfet du Nord" in " ".join(
        c.content for t in document.section("parties") for c in t.children or ()
    )  # the parties still name who the State is represented by


def test_a_wrong_article_is_a_located_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    path = project.instances / "territoire.yaml"
    text = path.read_text(encoding="utf-8").replace("    article: la\n", "    article: de la\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AtfpbError, match=r"instances/territoire.yaml:\d+:\d+: « article » vaut « la », « le »"):
        load_territory(project.instances, project.root)
