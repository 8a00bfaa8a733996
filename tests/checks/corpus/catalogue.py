"""The corpus: 26 conventions and avenants in eight house styles, for communes of La Porte du Hainaut (the example
project), one of its communes the project has no file for, and three other territories; the defects planted in some,
and the findings each must give (a clean document: no error at all)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from .model import Article, Block, Case, Draft, Quarter
from .wording import AVENANT_TITLES, CONVENTION_TITLES, Action, _titled, avenant, convention, euros

BOTH = ("docx", "pdf")
# How each house style titles its articles: ours (a), the other offices' of the issue (b), others again (c).
STYLE_TITLES = {
    "liste-auto": "a", "style-article": "b", "article-premier": "b", "romains": "c",
    "gras": "c", "paragraphes": "a", "titre-seul": "b", "scan": "c",
}  # fmt: skip

# --- the facts (the reference convention's and the referentials'; people only where a public source names them) --
_CAPH = {
    "epci": "La Porte du Hainaut",
    "de_epci": "de La Porte du Hainaut",
    "seat": "Wallers",
    "prefet": "le Préfet du Nord",
    "prefet_name": "M. Bertrand GAUME",
    "president_name": "M. Aymeric ROBIN",
    "epci_deliberation": "D 24071 du 8 avril 2024",
    "contract_signed": "le 10 avril 2024",
}
_PARTENORD = {
    "landlord": "Partenord Habitat",
    "landlord_kind": "office public de l'habitat",
    "representative": "le Directeur territorial Hainaut Douaisis Cambrai",
    "representative_name": "M. Denis AUBOIS",
}
_MAISONS = {
    "landlord": "Maisons & Cités",
    "landlord_kind": "société anonyme d'HLM",
    "representative": "le Directeur général",
}
_SIGH = {
    "landlord": "Société Immobilière du Grand Hainaut",
    "landlord_kind": "société anonyme d'HLM",
    "representative": "le Directeur général",
}
_SIA = {"landlord": "SIA Habitat", "landlord_kind": "société anonyme d'HLM", "representative": "le Directeur général"}
GAMBETTA = ("QN05954M", "Gambetta")
SCHNEIDER = ("QN05952M", "Schneider")

LOURCHES = Case(
    commune="Lourches", de_commune="de Lourches", maire_name="Mme Dalila DUWEZ-GUESMIA",
    council_date="26 novembre 2024",
    quarters=(Quarter(*GAMBETTA, 9, ("Denain", "Escaudain")), Quarter(*SCHNEIDER, 6, ("Escaudain", "Rœulx"))),
    **_CAPH, **_PARTENORD,
)  # fmt: skip
DENAIN_MAISONS = Case(
    commune="Denain", de_commune="de Denain",
    quarters=(Quarter("QN05950M", "Denain", 412), Quarter(*GAMBETTA, 38, ("Escaudain", "Lourches"))),
    **_CAPH, **_MAISONS,
)  # fmt: skip
DENAIN_SIGH = Case(
    commune="Denain", de_commune="de Denain", quarters=(Quarter("QN05950M", "Denain", 265),), **_CAPH, **_SIGH
)
ESCAUDAIN_PARTENORD = Case(
    commune="Escaudain", de_commune="d'Escaudain",
    quarters=(Quarter("QN05953M", "Couture Savonnerie", 120), Quarter(*SCHNEIDER, 44, ("Lourches", "Rœulx"))),
    **_CAPH, **_PARTENORD,
)  # fmt: skip
ESCAUDAIN_SIA = Case(
    commune="Escaudain", de_commune="d'Escaudain", quarters=(Quarter("QN05953M", "Couture Savonnerie", 57),),
    **_CAPH, **_SIA,
)  # fmt: skip
ROEULX = Case(
    commune="Rœulx", de_commune="de Rœulx", quarters=(Quarter(*SCHNEIDER, 73, ("Escaudain", "Lourches")),),
    **_CAPH, **_MAISONS,
)  # fmt: skip
RAISMES = Case(  # a commune of the territory without a file in the project: its dwellings are illustrative
    commune="Raismes", de_commune="de Raismes",
    quarters=(
        Quarter("QN05955M", "Sabatier", 140),
        Quarter("QN05958M", "Arenberg", 60, ("Wallers",)),
        Quarter("QN05920M", "Verrerie - Square République", 35, ("Anzin",)),
    ),
    **_CAPH, **_SIA,
)  # fmt: skip
ANZIN = Case(  # another territory (Valenciennes Métropole): roles only, illustrative dwellings
    commune="Anzin", de_commune="d'Anzin", epci="Valenciennes Métropole", de_epci="de Valenciennes Métropole",
    seat="Valenciennes", prefet="le Préfet du Nord",
    quarters=(
        Quarter("QN05920M", "Verrerie - Square République", 80, ("Raismes",)),
        Quarter(
            "QN05930M", "Dutemple Chasse Royale Saint Waast - La Sentinelle", 150, ("La Sentinelle", "Valenciennes")
        ),
    ),
    **_SIGH,
)  # fmt: skip
AVIGNON = Case(
    commune="Avignon", de_commune="d'Avignon", epci="Le Grand Avignon", de_epci="du Grand Avignon", seat="Avignon",
    prefet="le Préfet de Vaucluse", landlord="Grand Avignon Résidences", landlord_kind="office public de l'habitat",
    representative="le Directeur général",
    quarters=(
        Quarter("QN08403M", "Reine Jeanne - Saint Jean - Grange d'Orel", 300),
        Quarter("QN08404I", "Saint Chamand", 180),
    ),
)  # fmt: skip
LE_PORT = Case(
    commune="Le Port", de_commune="du Port", epci="Le Territoire de la Côte Ouest",
    de_epci="du Territoire de la Côte Ouest",
    seat="Le Port", prefet="le Préfet de La Réunion", landlord="SIDR",
    landlord_kind="société anonyme d'économie mixte", representative="le Directeur général",
    quarters=(
        Quarter("QN97418M", "Le Port - Secteur Ouest", 420),
        Quarter("QN97417M", "Rivière des Galets - Moulin Joli", 150, ("La Possession",)),
    ),
)  # fmt: skip


def _actions(*spec: tuple[int, str, dict[str, int]]) -> tuple[Action, ...]:
    return tuple(Action(axis, title, cents) for axis, title, cents in spec)


LOURCHES_2027 = _actions(
    (1, "Présence renforcée du gardien en soirée", {"QN05954M": 220000}),
    (3, "Nettoyage renforcé des halls et des cages d'escalier", {"QN05954M": 90000, "QN05952M": 70000}),
    (6, "Réunions de concertation sur les travaux", {"QN05954M": 70000}),
    (8, "Éclairage des abords des immeubles", {"QN05952M": 180000}),
)
DENAIN_2026 = _actions(
    (1, "Médiation de proximité en fin de journée", {"QN05950M": 900000}),
    (4, "Enlèvement renforcé des encombrants", {"QN05950M": 600000, "QN05954M": 150000}),
    (5, "Surveillance des parkings", {"QN05950M": 400000}),
    (7, "Jardins partagés au pied des immeubles", {"QN05954M": 200000}),
)
ESCAUDAIN_2026 = _actions(
    (3, "Remise en propreté des parties communes", {"QN05953M": 400000, "QN05952M": 150000}),
    (6, "Ateliers sur les économies d'énergie", {"QN05953M": 120000}),
    (8, "Remplacement des boîtes aux lettres", {"QN05953M": 300000, "QN05952M": 100000}),
)
ROEULX_2025 = _actions(
    (2, "Formation des gardiens à la gestion des conflits", {"QN05952M": 150000}),
    (4, "Collecte renforcée des déchets verts", {"QN05952M": 250000}),
    (7, "Fête de quartier avec les associations", {"QN05952M": 120000}),
)
RAISMES_2026 = _actions(
    (1, "Permanences du gardien le samedi matin", {"QN05955M": 500000}),
    (3, "Lavage des façades en pied d'immeuble", {"QN05958M": 300000, "QN05920M": 200000}),
    (5, "Médiation de nuit pendant l'été", {"QN05955M": 250000, "QN05920M": 100000}),
)
AVIGNON_2026 = _actions(
    (1, "Agents de médiation en soirée", {"QN08403M": 1500000, "QN08404I": 800000}),
    (4, "Résorption des dépôts sauvages", {"QN08403M": 900000}),
    (8, "Réfection des halls d'entrée", {"QN08404I": 1200000}),
)
LE_PORT_2025 = _actions(
    (3, "Entretien renforcé des espaces extérieurs", {"QN97418M": 1000000, "QN97417M": 500000}),
    (6, "Concertation sur la résidentialisation", {"QN97417M": 300000}),
    (7, "Animations estivales de pied d'immeuble", {"QN97418M": 400000}),
)


# --- defects: changes made to a draft before it is laid out -----------------------------------------------------
Edit = Callable[[Draft], None]


def replaced(old: str, new: str, role: str | None = None, part: str = "articles") -> Edit:
    """The first `old` replaced by `new`: in one article (by role), the articles, the visas, parties or title."""

    def edit(draft: Draft) -> None:
        for texts, setter in _texts(draft, part, role):
            for index, text in enumerate(texts):
                if old in text:
                    setter(index, text.replace(old, new, 1))
                    return
        raise AssertionError(f"« {old} » absent ({part}, {role})")

    return edit


def added(role: str, text: str) -> Edit:
    """A paragraph added at the end of an article."""

    def edit(draft: Draft) -> None:
        _article(draft, role).blocks.append(Block("p", text))

    return edit


def removed_article(role: str, keep_numbers: bool) -> Edit:
    """An article left out; `keep_numbers`: the others keep theirs (a number is skipped), else they are renumbered."""

    def edit(draft: Draft) -> None:
        if keep_numbers:
            for number, article in enumerate(draft.articles, start=1):
                article.number = number
        draft.articles.remove(_article(draft, role))

    return edit


def renumbered(role: str, number: int) -> Edit:
    """From this article on, numbers start again at `number` (« Article 6 » then « Article 8 »)."""

    def edit(draft: Draft) -> None:
        start = draft.articles.index(_article(draft, role))
        for offset, article in enumerate(draft.articles[start:]):
            article.number = number + offset
        for counted, article in enumerate(draft.articles[:start], start=1):
            article.number = counted

    return edit


def restarted(role: str) -> Edit:
    """Word's list numbering started again at this article (« 1. » after « 6. »)."""

    def edit(draft: Draft) -> None:
        _article(draft, role).restart = True

    return edit


def signed_by(index: int, party: str, role: str) -> Edit:
    """A signatory's block written for another party (left from the convention copied)."""

    def edit(draft: Draft) -> None:
        signatory = draft.signatories[index]
        signatory.party, signatory.role, signatory.person = party, role, ""

    return edit


def without_signatory(index: int) -> Edit:
    def edit(draft: Draft) -> None:
        signatory = draft.signatories[index]
        signatory.party = signatory.role = signatory.person = ""

    return edit


def without_visa(words: str) -> Edit:
    def edit(draft: Draft) -> None:
        draft.visas = [v for v in draft.visas if words not in v]

    return edit


def wrong_total(column: int, cents: int) -> Edit:
    """The total row of the article's table given a wrong amount in one column."""

    def edit(draft: Draft) -> None:
        table = next(b for b in _article(draft, "financement").blocks if b.kind == "table")
        table.rows[-1][column] = euros(cents)

    return edit


def _article(draft: Draft, role: str) -> Article:
    return next(a for a in draft.articles if a.role == role)


def _texts(draft: Draft, part: str, role: str | None):  # type: ignore[no-untyped-def]
    if part == "visas":
        yield draft.visas, lambda i, t: draft.visas.__setitem__(i, t)
    elif part == "parties":
        yield draft.parties, lambda i, t: draft.parties.__setitem__(i, t)
    elif part == "title":
        yield draft.title, lambda i, t: draft.title.__setitem__(i, t)
    else:
        for article in draft.articles:
            if role is None or article.role == role:
                for block in article.blocks:
                    if block.kind == "p":
                        yield [block.text], lambda _i, t, b=block: setattr(b, "text", t)
                    elif block.kind == "table":
                        for row in block.rows:
                            yield row, row.__setitem__


# --- the documents -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Expect:
    """A finding a document must give: its rule and words of its message or excerpt, in these formats."""

    rule: str
    words: str
    formats: tuple[str, ...] = BOTH


@dataclass(frozen=True)
class Entry:
    """One document of the corpus: how it is made, in which house style, what it must report."""

    name: str
    style: str
    make: Callable[[], Draft]
    edits: tuple[Edit, ...] = ()
    expect: tuple[Expect, ...] = ()
    scope: str = "projet"  # projet, commune sans données, national: how much local data it is checked against
    notes: tuple[str, ...] = field(default_factory=tuple)

    def draft(self) -> Draft:
        draft = copy.deepcopy(self.make())
        titles = (CONVENTION_TITLES if draft.kind == "convention" else AVENANT_TITLES)[STYLE_TITLES[self.style]]
        year = next((int(w) for w in draft.title[0].split() if w.isdigit()), None)
        _titled(draft.articles, titles, year)
        for edit in self.edits:
            edit(draft)
        return draft

    @property
    def clean(self) -> bool:
        return not self.expect


def _with_seat_in_parties(case: Case) -> Callable[[], Draft]:
    def make() -> Draft:
        draft = convention(case)
        draft.parties[1] = draft.parties[1].replace(", représentée", f", dont le siège est à {case.seat}, représentée")
        return draft

    return make


CORPUS: tuple[Entry, ...] = (
    Entry("c01-lourches-partenord", "liste-auto", lambda: convention(LOURCHES, extra=True), edits=(
        added("suivi-local", "Le document « Priorités communales de Lourches et de Denain » sert de référence."),
    )),
    Entry("c02-lourches-partenord", "scan", lambda: convention(LOURCHES), edits=(
        replaced("À Lourches", "À Louches", "suivi-local"),
        replaced("cohésion urbaine", "cohésion sociale", part="visas"),
        replaced("2025-2026", "2024-2026", "evaluation"),
        added("pilotage", "Les programmes sont présentés par le bailleur SIGH en comité technique."),
        replaced("délibération du conseil municipal", "délibération n° du conseil municipal", part="visas"),
    ), expect=(
        Expect("inconsistent-name", "« Louches »"),
        Expect("wrong-legal-reference", "2014-173"),
        Expect("inconsistent-period", "2024-2026"),
        Expect("foreign-party", "SIGH"),
        Expect("empty-field", "numéro manquant"),
    )),
    Entry("c03-denain-maisons", "style-article", lambda: convention(DENAIN_MAISONS), edits=(
        added("programmes", "Des actions inter-bailleurs peuvent être menées avec la SIGH et Partenord Habitat sur le "
              "quartier Denain."),
    )),
    Entry("c04-denain-sigh", "article-premier", lambda: convention(DENAIN_SIGH), edits=(
        replaced("À Denain", "À Denian", "suivi-local"),
        removed_article("denonciation", keep_numbers=True),
    ), expect=(
        Expect("inconsistent-name", "« Denian »"),
        Expect("missing-article", "dénonciation"),
    )),
    Entry("c05-escaudain-partenord", "gras", lambda: convention(ESCAUDAIN_PARTENORD), edits=(
        replaced("prioritaires d'Escaudain", "prioritaires d'Escaudin", "objet"),
        added("locataires", "La Ville de Denain s'engage à relayer ces réunions auprès des habitants."),
        renumbered("evaluation", 8),
    ), expect=(
        Expect("inconsistent-name", "« Escaudin »"),
        Expect("foreign-party", "Denain"),
        Expect("numbering-gap", "7 manque"),
    )),
    Entry("c06-escaudain-sia", "romains", lambda: convention(ESCAUDAIN_SIA, extra=True), edits=(
        replaced("la loi n° 2014-173 du 21 février 2014", "la loi du 21 février 2014", part="visas"),
    )),
    Entry("c07-roeulx-maisons", "paragraphes", lambda: convention(ROEULX), edits=(
        replaced("À Rœulx", "À Rœlux", "suivi-local"),
        added("patrimoine", "Ce quartier reprend une partie de l'ancien quartier QP059054 de la géographie de 2015."),
        added("report", "Aucun report ne peut porter sur l'exercice 2031."),
    ), expect=(
        Expect("inconsistent-name", "« Rœlux »"),
        Expect("inconsistent-data", "QP059054"),
        Expect("inconsistent-period", "2031"),
    )),
    Entry("c08-roeulx-maisons", "titre-seul", _with_seat_in_parties(ROEULX)),
    Entry("c09-lourches-partenord", "article-premier", lambda: convention(LOURCHES), edits=(
        without_signatory(2),
        without_visa("1388 bis"),
        replaced("L'article 1388 bis du code général des impôts permet", "La loi permet", "objet"),
        replaced("2023-1322", "2023-322", part="visas"),
    ), expect=(
        Expect("missing-signatory", "Maire"),
        Expect("missing-legal-reference", "1388 bis"),
        Expect("wrong-legal-reference", "2023-322"),
        Expect("missing-legal-reference", "2023-1322"),
    )),
    Entry("c10-denain-maisons", "scan", lambda: convention(DENAIN_MAISONS)),
    Entry("c11-raismes-sia", "liste-auto", lambda: convention(RAISMES), scope="commune sans données"),
    Entry("c12-denain-maisons", "gras", lambda: convention(DENAIN_MAISONS), edits=(
        replaced("À Denain", "À D\u0435nain", "suivi-local"),
        replaced("prioritaires de Denain", "prioritaires de Den\u200bain", "objet"),
        replaced("38", "83", "patrimoine"),
        replaced("450", "495", "patrimoine"),
        added("duree", "Les conditions de sa reconduction sont précisées ainsi : [à compléter]."),
    ), expect=(
        Expect("inconsistent-name", "cyrillique"),
        Expect("inconsistent-name", "U+200B", formats=("docx",)),  # LibreOffice drops it from the PDF's text
        Expect("inconsistent-data", "83 logements"),
        Expect("empty-field", "passage laissé"),
    )),
    Entry("c13-anzin-sigh", "style-article", lambda: convention(ANZIN, extra=True), edits=(
        added("objet", "Depuis 2015, le bailleur mène des actions de proximité dans ces quartiers."),
        added("objet", "Le précédent contrat de ville couvrait les années 2015-2023."),
    ), scope="national"),
    Entry("c14-avignon-gar", "titre-seul", lambda: convention(AVIGNON), edits=(
        replaced("À Avignon", "À Avigon", "suivi-local"),
        added("pilotage", "Les actions inter-bailleurs sont présentées par le bailleur Erilia en comité technique."),
    ), expect=(
        Expect("inconsistent-name", "« Avigon »"),
        Expect("foreign-party", "Erilia"),
    ), scope="national"),
    Entry("c15-le-port-sidr", "paragraphes", lambda: convention(LE_PORT), scope="national"),
    Entry("c16-anzin-sigh", "romains", lambda: convention(ANZIN), edits=(
        added("locataires", "La Ville de Valenciennes s'engage à accueillir ces réunions."),
        added("objet", "Cette convention est prévue à l'article 5 de la loi n° 2014-173 du 21 février 2014."),
    ), expect=(
        Expect("foreign-party", "Valenciennes"),
        Expect("wrong-legal-reference", "pas l'article 5"),
    ), scope="national"),
    Entry("c17-roeulx-maisons", "liste-auto", lambda: convention(ROEULX), edits=(
        restarted("evaluation"),
        replaced("la Ville de Rœulx, représentée", "la Ville de Denain, représentée", part="parties"),
    ), expect=(
        Expect("numbering-gap", "repart à 1 après l'article 6"),
        Expect("foreign-party", "Denain"),
    )),
    Entry("c18-escaudain-partenord", "titre-seul", lambda: convention(ESCAUDAIN_PARTENORD), edits=(
        signed_by(3, "Pour SIA Habitat,", "le Directeur général"),
    ), expect=(
        Expect("foreign-party", "SIA Habitat"),
        Expect("missing-signatory", "représentant du bailleur"),
    )),
    Entry("a01-lourches-partenord-2027", "romains", lambda: avenant(LOURCHES, 2027, LOURCHES_2027, 700000)),
    Entry("a02-lourches-partenord-2027", "liste-auto", lambda: avenant(LOURCHES, 2027, LOURCHES_2027, 700000), edits=(
        wrong_total(1, 390000),
        added("calendrier", "Un bilan de l'exercice 2031 sera également présenté."),
    ), expect=(
        Expect("amount-mismatch", "3 900,00"),
        Expect("inconsistent-period", "2031"),
    )),
    Entry("a03-denain-maisons-2026", "article-premier", lambda: avenant(DENAIN_MAISONS, 2026, DENAIN_2026, 2500000),
          edits=(replaced("Ville de Denain", "Ville de Dénain", part="parties"),),
          expect=(Expect("inconsistent-name", "« Dénain »"),)),
    Entry("a04-escaudain-partenord-2026", "gras", lambda: avenant(ESCAUDAIN_PARTENORD, 2026, ESCAUDAIN_2026, 1200000),
          edits=(removed_article("calendrier", keep_numbers=True),),
          expect=(Expect("missing-article", "Calendrier"), Expect("numbering-gap", "5 manque"))),
    Entry("a05-roeulx-maisons-2025", "scan", lambda: avenant(ROEULX, 2025, ROEULX_2025, 600000)),
    Entry("a06-raismes-sia-2026", "style-article", lambda: avenant(RAISMES, 2026, RAISMES_2026, 1500000),
          scope="commune sans données"),
    Entry("a07-avignon-gar-2026", "paragraphes", lambda: avenant(AVIGNON, 2026, AVIGNON_2026, 5000000), edits=(
        replaced("conseil municipal d'Avignon", "conseil municipal d'Avignon en date du __/__/____", part="visas"),
        wrong_total(3, 4500000),
    ), expect=(
        Expect("empty-field", "date laissée"),
        Expect("amount-mismatch", "45 000,00"),
    ), scope="national"),
    Entry("a08-le-port-sidr-2025", "titre-seul", lambda: avenant(LE_PORT, 2025, LE_PORT_2025, 3000000),
          scope="national"),
)  # fmt: skip
