"""The checker's formalities: a date left blank to be written by hand only on a paper original, the avenant's number
in its title, the visas in legal order."""

from __future__ import annotations

import dataclasses

import pytest

from generator.checks.expectations import NATIONAL, Expected, document_kind, expected_for
from generator.checks.report import FileReport
from generator.checks.run import check_lines
from generator.inputs.project import Inputs, Project, load_inputs
from generator.reading.lines import Line, Place

from ..helpers import ROOT
from .test_check import rules_of

PAPER_DONE = "Fait à Lourches, le ________________________, en quatre exemplaires originaux."
ELECTRONIC_DONE = "Fait à Lourches, à la date de la dernière des signatures électroniques des parties."
SIGNATURES = ["Pour l'État", "Préfet du Nord", "Pour la Ville de Lourches", "Maire de Lourches"]


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(Project(ROOT))


def expected(inputs: Inputs, signature: str = "electronique", year: int | None = None) -> Expected:
    territory = inputs.territory
    territory = dataclasses.replace(territory, periode=dataclasses.replace(territory.periode, signature=signature))
    commune = next(c for c in territory.communes if c.slug == "lourches")
    programme = inputs.programme("lourches", "partenord-habitat", year) if year else None
    return expected_for(territory, commune, territory.landlord("partenord-habitat"), programme)


def findings(inputs: Inputs, texts: list[str], expect: Expected, pdf: bool = True) -> dict[str, list[str]]:
    lines = [
        Line(text, Place.page(1, n)) if pdf else Line(text, Place.paragraph(n)) for n, text in enumerate(texts, start=1)
    ]
    return rules_of(FileReport("x", None, None, tuple(check_lines(lines, expect, inputs.rules))))


@pytest.mark.parametrize("pdf", [True, False])
def test_the_paper_date_to_fill_by_hand_is_intentional(inputs: Inputs, pdf: bool) -> None:
    found = findings(inputs, ["Article 1 – Objet", "Texte.", PAPER_DONE, *SIGNATURES], expected(inputs, "papier"), pdf)
    assert "empty-field" not in found, found


def test_the_same_blank_is_a_field_left_empty_when_signing_electronically(inputs: Inputs) -> None:
    found = findings(inputs, ["Article 1 – Objet", PAPER_DONE, *SIGNATURES], expected(inputs, "electronique"))
    assert any("ligne laissée à compléter" in f for f in found["empty-field"]), found


@pytest.mark.parametrize("signature", ["papier", "electronique"])
def test_a_blank_anywhere_else_is_never_intentional(inputs: Inputs, signature: str) -> None:
    texts = ["Article 1 – Objet", "Le référent de la Ville est ________________ .", PAPER_DONE, *SIGNATURES]
    found = findings(inputs, texts, expected(inputs, signature))
    flagged = [f for f in found.get("empty-field", []) if "référent" in f]
    assert flagged, found


def test_a_signing_date_left_empty_is_found(inputs: Inputs) -> None:
    texts = ["Article 1 – Objet", "Fait à Lourches, le , en quatre exemplaires originaux.", *SIGNATURES]
    found = findings(inputs, texts, expected(inputs, "electronique"))
    assert any("date de signature laissée à compléter" in f for f in found["empty-field"]), found


def test_the_electronic_formula_is_no_blank(inputs: Inputs) -> None:
    found = findings(inputs, ["Article 1 – Objet", ELECTRONIC_DONE, *SIGNATURES], expected(inputs, "electronique"))
    assert "empty-field" not in found, found


def test_outside_a_project_the_count_of_originals_says_paper(inputs: Inputs) -> None:
    national = dataclasses.replace(expected(inputs, "electronique"), scope=NATIONAL)
    paper = findings(inputs, ["Article 1 – Objet", PAPER_DONE, *SIGNATURES], national)
    assert "empty-field" not in paper, paper
    undated = "Fait à Lourches, le ________________________."  # no originals counted: not signed on paper
    assert "empty-field" in findings(inputs, ["Article 1 – Objet", undated, *SIGNATURES], national)


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Avenant n° 2 à la convention d'utilisation de l'ATFPB — programme d'actions 2026", None),
        ("Avenant n° 3 à la convention d'utilisation de l'ATFPB — programme d'actions 2026", "pas le n° 3"),
        ("Avenant 2026 à la convention d'utilisation de l'ATFPB — programme d'actions 2026", "ne dit pas son numéro"),
    ],
)
def test_an_avenant_says_its_number(inputs: Inputs, title: str, message: str | None) -> None:
    found = findings(inputs, [title, "Article 1 – Objet de l'avenant", "Texte."], expected(inputs, year=2026))
    if message is None:
        assert "avenant-number" not in found, found
    else:
        assert any(message in f and "n° 2" in f for f in found["avenant-number"]), found


CONVENTION_VISA = (
    "Vu la convention d'utilisation de l'ATFPB conclue entre l'État, La Porte du Hainaut, la Ville de Lourches et "
    "Partenord Habitat pour les années 2025 à 2030 ;"
)
AUTHORISATION = (
    "Vu la délibération n° 2026-12 du conseil municipal de la Ville de Lourches en date du 2 mars 2026 autorisant "
    "la signature du présent avenant ;"
)
LAW = "Vu l'article 1388 bis du code général des impôts ;"
CONTRACT = "Vu le « Contrat Quartiers 2030 » de La Porte du Hainaut, signé le 10 avril 2024 ;"


@pytest.mark.parametrize(
    ("visas", "wrong"),
    [
        ([LAW, CONTRACT, CONVENTION_VISA, AUTHORISATION], None),
        ([CONVENTION_VISA, LAW, CONTRACT, AUTHORISATION], "Vu l'article 1388 bis"),  # the convention ahead of laws
        ([LAW, AUTHORISATION, CONVENTION_VISA], "Vu la convention"),  # the authorisation is the last visa
        ([CONTRACT, LAW, AUTHORISATION], None),  # the contract is not ranked against the texts
    ],
)
def test_the_visas_follow_the_legal_order(inputs: Inputs, visas: list[str], wrong: str | None) -> None:
    found = findings(inputs, ["Avenant n° 2 à la convention", *visas, "Il est convenu ce qui suit :"], expected(inputs))
    if wrong is None:
        assert "visas-order" not in found, found
    else:
        (finding,) = found["visas-order"]
        assert wrong in finding and "ordre : lois, code, décrets" in finding, finding


def test_a_visa_over_several_pdf_lines_is_read_whole(inputs: Inputs) -> None:
    texts = ["Avenant n° 2", "Vu la convention d'utilisation de l'ATFPB conclue entre", "l'État et la Ville ;", LAW]
    assert "visas-order" in findings(inputs, texts, expected(inputs))


def test_a_numbered_avenant_is_read_as_the_avenant_of_its_programmes_year() -> None:
    title = [
        "Avenant n° 2 à la convention d'utilisation de l'ATFPB — programme d'actions 2026",
        "Quartiers prioritaires Gambetta (QN05954M) et Schneider (QN05952M)",
    ]
    lines = [Line(text, Place.paragraph(n)) for n, text in enumerate(title, start=1)]
    assert document_kind(lines) == ("avenant", 2026)
