"""The checks on documents written elsewhere, rule by rule on small texts: headings in every form, articles by role,
names in context, recall of years and misspelt or disguised names, grammar of messages, PDF table totals, what is
read from a document of another territory."""

from __future__ import annotations

import pytest

from generator.checks.document import Document, Finding
from generator.checks.expectations import Expected, document_kind, expected_for
from generator.checks.landlords import landlords_named
from generator.checks.run import check_lines
from generator.checks.text import contracted
from generator.inputs.project import Inputs, Project, load_inputs
from generator.reading.lines import Line, Place, normalise

from ..helpers import ROOT

ISSUE_TITLES = [  # the wordings of other conventions the issue lists, and others alike
    "OBJET",
    "PATRIMOINE CONCERNÉ",
    "PROGRAMME D'ACTIONS",
    "CONCERTATION AVEC LES LOCATAIRES",
    "GOUVERNANCE",
    "BILAN ANNUEL",
    "ÉVALUATION",
    "MODALITÉS DE SUIVI LOCAL",
    "DURÉE",
    "REPORT DES SOMMES NON UTILISÉES",
    "DÉNONCIATION",
]


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(Project(ROOT), with_programmes=False)


def expected(inputs: Inputs, commune: str = "lourches", landlord: str = "partenord-habitat") -> Expected:
    territory = inputs.territory
    return expected_for(territory, territory.commune_named(commune), territory.landlord(landlord))  # type: ignore[arg-type]


def as_lines(texts: list[str], pdf: bool = False) -> list[Line]:
    return [Line(normalise(t), Place.page(1, n) if pdf else Place.paragraph(n)) for n, t in enumerate(texts, start=1)]


def findings(inputs: Inputs, texts: list[str], rule: str, pdf: bool = False, **who: str) -> list[Finding]:
    return [f for f in check_lines(as_lines(texts, pdf), expected(inputs, **who), inputs.rules) if f.rule == rule]


def headings(inputs: Inputs, texts: list[str]) -> list[tuple[int | None, str]]:
    document = Document(as_lines(texts), inputs.rules.known_titles("convention"))
    return [(h.number, h.title) for h in document.headings]


# --- headings and articles ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("texts", "numbers"),
    [
        (["ARTICLE PREMIER – OBJET", "Texte.", "ARTICLE 2 – PATRIMOINE CONCERNÉ"], [1, 2]),
        (["Article 1er : Objet de la convention", "Texte.", "Article 2 : Pilotage"], [1, 2]),
        (["I – OBJET", "Texte.", "II – PATRIMOINE CONCERNÉ", "Texte.", "III – GOUVERNANCE"], [1, 2, 3]),
        (["§ 1 – Objet", "Texte.", "§ 2 – Pilotage"], [1, 2]),
        (["ARTICLE 1", "OBJET DE LA CONVENTION", "Texte.", "ARTICLE 2", "PATRIMOINE CONCERNÉ"], [1, 2]),
        (["Art. 3 - Durée de la convention"], [3]),
        (  # an article of another title follows in sequence; the eight axes are a list, not articles
            [
                "1. Objet de la convention", "Texte.", "2. Engagements des parties", "Texte.", "3. Pilotage",
                "Les axes sont les suivants :", "1. Renforcement de la présence", "2. Formation spécifique",
                "3. Sur-entretien", "4. Gestion des déchets",
            ],
            [1, 2, 3],
        ),
        (["Article 1 – Objet ........ 3", "Article 2 – Pilotage ........ 5", "Article 1 – Objet"], [1]),  # contents
        (["Article 6 de la loi n° 2014-173 du 21 février 2014 prévoit le contrat de ville."], []),
    ],
)  # fmt: skip
def test_headings_in_every_form(inputs: Inputs, texts: list[str], numbers: list[int]) -> None:
    assert [n for n, _t in headings(inputs, texts) if n is not None] == numbers


def test_article_premier_then_article_2_is_no_gap(inputs: Inputs) -> None:
    texts = ["ARTICLE PREMIER – OBJET", "Texte.", "ARTICLE 2 – PATRIMOINE CONCERNÉ", "ARTICLE IV – PILOTAGE"]
    assert [f.message for f in findings(inputs, texts, "numbering-gap")] == [
        "numérotation interrompue : l'article 4 suit l'article 2 (3 manque)."
    ]


def test_a_restarted_numbering_is_said_once(inputs: Inputs) -> None:
    texts = ["1. Objet", "T.", "2. Pilotage", "T.", "1. Suivi et bilan", "T.", "2. Durée de la convention"]
    assert [f.message for f in findings(inputs, texts, "numbering-gap")] == [
        "numérotation désordonnée : la numérotation repart à 1 après l'article 2."
    ]


def test_articles_are_recognised_by_their_role(inputs: Inputs) -> None:
    texts = [line for n, title in enumerate(ISSUE_TITLES, start=1) for line in (f"ARTICLE {n} – {title}", "Texte.")]
    assert findings(inputs, texts, "missing-article") == []
    without = [t for t in texts if "DÉNONCIATION" not in t]
    assert [f.message for f in findings(inputs, without, "missing-article")] == [
        "article obligatoire absent : « Conditions de dénonciation »."
    ]


# --- names in context -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("texts", "why"),
    [
        (["Le quartier Gambetta est partagé avec les communes d'Escaudain et de Denain."], None),
        (["Le document « Charte de la Ville de Denain » est joint."], None),
        (["Les habitants de Denain fréquentent aussi le centre social."], None),
        (["Le quartier Denain présente les mêmes difficultés."], None),  # QN05950M is named like its commune
        (["Des actions inter-bailleurs avec la SIGH et Maisons & Cités sont possibles."], None),
        (["Entre :", "La Porte du Hainaut, dont le siège est à Wallers, représentée par le Président ;", "Vu"], None),
        (["La Ville de Denain s'engage à relayer les réunions."], "comme partie (« La Ville de Denain »)"),
        (["Denain s'engage à relayer les réunions."], "comme partie qui agit (« Denain s'engage »)"),
        (["Les programmes sont présentés par le bailleur SIGH."], "comme partie (« le bailleur SIGH »)"),
        (["Entre :", "la Ville de Denain, représentée par son Maire ;", "Vu la loi ;"], "parmi les parties"),
        (["Fait à Wallers, le 14 mars.", "Pour Maisons & Cités,", "Le Directeur général"], "dans le bloc de signature"),
    ],
)  # fmt: skip
def test_a_name_is_a_foreign_party_only_where_it_acts_as_one(inputs: Inputs, texts: list[str], why: str | None) -> None:
    found = findings(inputs, texts, "foreign-party")
    if why is None:
        assert found == []
    else:
        assert len(found) == 1 and why in found[0].message, found


def test_the_message_says_why(inputs: Inputs) -> None:
    (finding,) = findings(
        inputs, ["Entre :", "la Ville d'Escaudain, représentée par son Maire ;", "Vu ;"], "foreign-party"
    )
    assert finding.message == (
        "la commune « Escaudain » n'est pas partie à cette convention ; elle y est nommée parmi les parties."
    )


# --- recall -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Le bilan porte sur l'année 2024.", True),
        ("Le programme d'actions de l'exercice 2031 sera arrêté.", True),
        ("Au titre de l'année 2031, aucun abattement n'est prévu.", True),
        ("Vu la loi de finances pour 2024 ;", False),
        ("Vu l'avenant signé le 30 septembre 2021 au cadre national ;", False),
        ("Depuis fin 2023, les instances de concertation sont ouvertes.", False),
        ("Le précédent contrat de ville couvrait les années 2015-2023.", False),
        ("Le bilan porte sur l'année 2026.", False),
    ],
)
def test_a_single_year_of_application_out_of_the_period(inputs: Inputs, text: str, flagged: bool) -> None:
    assert bool(findings(inputs, [text], "inconsistent-period")) == flagged


@pytest.mark.parametrize(
    ("commune", "landlord", "text", "words"),
    [
        ("denain", "maisons-et-cites", "La Ville de Denian s'engage.", "« Denian » ressemble"),
        ("denain", "maisons-et-cites", "La Ville de Dénain s'engage.", "« Dénain » n'a pas les accents"),
        ("roeulx", "maisons-et-cites", "La Ville de Rœlux s'engage.", "« Rœlux » ressemble"),
        ("escaudain", "partenord-habitat", "Les quartiers d'Escaudin sont concernés.", "« Escaudin » ressemble"),
        ("denain", "maisons-et-cites", "La Ville de Den\u200bain s'engage.", "caractère invisible (U+200B)"),
        ("lourches", "partenord-habitat", "La Ville de D\u0435nain s'engage.", "« е », lettre d'un autre alphabet"),
    ],
)
def test_misspelt_and_disguised_names(inputs: Inputs, commune: str, landlord: str, text: str, words: str) -> None:
    found = findings(inputs, [text], "inconsistent-name", commune=commune, landlord=landlord)
    assert len(found) == 1 and words in found[0].message, found


@pytest.mark.parametrize("text", ["DENAIN", "ESCAUDAIN", "La Ville de ROEULX", "Demain, le bailleur agit.", "Roeulx"])
def test_capitals_without_accents_and_common_words_are_no_misspelling(inputs: Inputs, text: str) -> None:
    for commune, landlord in (("denain", "maisons-et-cites"), ("roeulx", "maisons-et-cites")):
        assert findings(inputs, [text], "inconsistent-name", commune=commune, landlord=landlord) == []


# --- messages, legal references, totals, what is read from a document ------------------------------------------
def test_messages_contract_de_le_into_du() -> None:
    assert contracted("le bloc de signature de le Maire ; De les bailleurs ; à le Préfet, à les communes") == (
        "le bloc de signature du Maire ; Des bailleurs ; au Préfet, aux communes"
    )
    assert Finding("x", "error", "le bloc de signature de le Maire", Place.paragraph(1), "").message == (
        "le bloc de signature du Maire"
    )


def test_the_signatory_message_reads_du_maire(inputs: Inputs) -> None:
    texts = ["Fait à Wallers.", "Le Préfet du Nord Bertrand GAUME", "Le Président Aymeric ROBIN", "Le Maire",
             "Partenord Habitat Denis AUBOIS"]  # fmt: skip
    (finding,) = findings(inputs, texts, "missing-signatory")
    assert finding.message.startswith("le bloc de signature du Maire de la commune ne nomme pas Dalila DUWEZ-GUESMIA")


def test_a_law_cited_by_its_date_and_title_without_its_number_is_cited(inputs: Inputs) -> None:
    texts = [
        "Vu l'article 6 de la loi du 21 février 2014 de programmation pour la ville et la cohésion urbaine ;",
        "Vu la loi de finances pour 2024 ;",
        "Vu le code général des impôts, et notamment son article 1388 bis ;",
    ]
    assert [f.message for f in findings(inputs, texts, "missing-legal-reference")] == [
        "référence obligatoire absente : le cadre national d'utilisation de l'abattement de taxe foncière sur les "
        "propriétés bâties dans les quartiers prioritaires de la politique de la ville, signé le 29 avril 2015, et son "
        "avenant signé le 30 septembre 2021 par l'État, l'Union sociale pour l'habitat (USH) et les associations de "
        "collectivités Ville et Banlieue, Intercommunalités de France, France urbaine, l'Association des maires de "
        "France (AMF) et Villes de France."
    ]


def test_a_pdf_table_of_dwellings_with_a_quarter_named_with_numbers_is_no_mismatch(inputs: Inputs) -> None:
    """Found by the national benchmark at Avion: « Les Blanches Laines Fosse 11 12 13 » cut by its cell reads as
    rows of counts; a total of counts is checked in Word tables only."""
    texts = [
        "Ils se répartissent comme suit :",
        "Quartier prioritaire Code QPV Logements éligibles",
        "République - Cité 4 QN06219M 10",
        "Les Blanches Laines Fosse 11",
        "12 13",
        "QN06233M 11",
        "Total 21",
    ]
    assert findings(inputs, texts, "amount-mismatch", pdf=True) == []


@pytest.mark.parametrize(("total", "flagged"), [("5 000,00 €", False), ("4 000,00 €", True)])
def test_a_pdf_table_row_longer_than_a_short_sentence_is_a_row(inputs: Inputs, total: str, flagged: bool) -> None:
    """Found by the national benchmark at Clermont-Ferrand: a quarter's name, its code and a long axis label make a
    row's first line longer than 70 characters; it was taken for the text above the table and two rows were lost."""
    texts = [
        "Par quartier prioritaire :",
        "Quartier prioritaire Axe Montant",
        "Saint-Jacques (QN06301M) 5 – Tranquillité résidentielle 1 000,00 €",
        "Quartiers Nord",
        "(QN06302I)",
        "1 – Renforcement de la présence du personnel de",
        "proximité",
        "1 000,00 €",
        "La Gauthière (QN06303I) 2 – Formation spécifique et soutien au personnel",
        "de proximité",
        "1 000,00 €",
        "Fontaine Du Bac (QN06304I) 3 – Sur-entretien 1 000,00 €",
        "Centre (QN06307N) 4 – Gestion des déchets et encombrants / épaves 1 000,00 €",
        f"Total {total}",
    ]
    assert bool(findings(inputs, texts, "amount-mismatch", pdf=True)) == flagged


@pytest.mark.parametrize(("total", "flagged"), [("1 700,00 €", False), ("1 800,00 €", True)])
def test_a_pdf_tables_total(inputs: Inputs, total: str, flagged: bool) -> None:
    texts = [
        "Les montants valorisés se répartissent ainsi :",
        "Axe Gambetta Schneider Total",
        "1 – Renforcement de la présence",
        "du personnel de proximité",
        "1 000,00 € 500,00 € 1 500,00 €",
        "3 – Sur-entretien 200,00 € 0,00 € 200,00 €",
        f"Total 1 200,00 € 500,00 € {total}",
    ]
    found = findings(inputs, texts, "amount-mismatch", pdf=True)
    assert bool(found) == flagged
    if flagged:
        assert found[0].message == "le total (1 800,00 €) ne correspond pas à la somme des lignes (1 700,00 €)."


def test_the_landlords_a_document_names() -> None:
    lines = as_lines(
        [
            "Parc social de Grand Avignon Résidences sur le territoire de la Ville d'Avignon",
            "Entre :",
            "4. Grand Avignon Résidences, office public de l'habitat, représenté par son Directeur général ;",
            "Les actions sont présentées par le bailleur Erilia.",
        ]
    )
    assert landlords_named(lines) == ("Grand Avignon Résidences", ("Erilia",))


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("AVENANT N° 2 À LA CONVENTION D'UTILISATION DE L'ATFPB — PROGRAMME D'ACTIONS 2026", ("avenant", 2026)),
        ("Avenant 2027 à la convention d'utilisation de l'abattement", ("avenant", 2027)),
        ("Convention d'utilisation de l'ATFPB — Avenant au « Contrat Quartiers 2030 »", ("convention", None)),
    ],
)
def test_the_kind_of_document_from_its_title(title: str, kind: tuple[str, int | None]) -> None:
    assert document_kind(as_lines([title])) == kind


@pytest.mark.parametrize(("total", "flagged"), [("75 000,00 €", False), ("76 000,00 €", True)])
def test_a_long_pdf_table_with_years_in_its_header(inputs: Inputs, total: str, flagged: bool) -> None:
    """Found by the benchmark: Paris's 25 quarters, a header « Abattement 2026 … Report de 2025 » repeated on each
    page of a table longer than a page (« Report de » is no article)."""
    header = ["QPV Abattement", "2026", "Report de", "2025", "Disponible"]
    rows = [line for n in range(25) for line in (f"Quartier numéro {n}", "3 000,00 € 0,00 € 3 000,00 €")]
    first = ["Comparaison par quartier :", *header, *rows[:24], "Page 3 sur 6"]
    second = ["PROJET — en-tête courant", *header, *rows[24:], f"Total {total} 0,00 € 75 000,00 €"]
    lines = [Line(t, Place.page(3, n)) for n, t in enumerate(first, 1)]
    lines += [Line(t, Place.page(4, n)) for n, t in enumerate(second, 1)]
    found = [f for f in check_lines(lines, expected(inputs), inputs.rules) if f.rule == "amount-mismatch"]
    assert bool(found) == flagged, found
