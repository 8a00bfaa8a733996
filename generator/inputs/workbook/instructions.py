"""The « Instructions » sheet's text: who fills the workbook, what, when, and how each column is filled."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from ...model.programme import AXES
from ...model.territory import Commune, Landlord, Territory
from ...typography import french_amount, french_date, french_of
from .layout import ABATEMENT, ACTIONS, DATE_CELL, FIRST_ACTION_ROW, HEADER, NO, TOTAL_ROW, YES


def help_rows(
    territory: Territory, commune: Commune, landlord: Landlord, year: int, carried: Mapping[str, Decimal] | None
) -> list[tuple[str, str]]:
    """The explanations of the « Instructions » sheet, as (heading, text) rows."""
    deadline = french_date(date(year, 4, 30))
    if carried is None:
        carry = (
            f"Le montant de l'abattement {year - 1} non utilisé que l'avenant {year - 1} reporte sur {year} ; "
            "laissez la cellule vide s'il n'y en a pas."
        )
    elif not carried:
        carry = f"Déjà rempli : {year} est la première année de la convention, aucun report ne s'y ajoute."
    else:
        amounts = ", ".join(f"{french_amount(amount)} sur {code}" for code, amount in carried.items()) or "aucun"
        carry = f"Déjà rempli d'après l'avenant {year - 1} ({amounts}) : cette colonne ne se modifie pas."
    rows = [
        ("Qui", f"{landlord.nom}, pour ses logements des quartiers prioritaires (QPV) de {commune.nom}."),
        (
            "Quoi",
            f"Le programme des actions {year} financées par l'abattement de taxe foncière sur les propriétés "
            f"bâties (ATFPB), dans le cadre de la convention d'utilisation de l'abattement conclue avec la Ville "
            f"{french_of(commune.nom)} ({territory.epci.nom}).",
        ),
        ("Quand", f"Classeur complété à transmettre au plus tard le {deadline}."),
        (
            "Où saisir",
            "Seules les cellules jaunes se remplissent ; les autres (identification, codes, totaux) sont "
            "protégées. Une valeur refusée à la saisie est expliquée dans un message.",
        ),
        (
            "Montants",
            "Tous les montants sont en euros : des nombres positifs, avec au plus deux décimales (4050 ou 4 050,50).",
        ),
        (
            "À confirmer",
            "Un montant ou un texte qui n'est pas encore sûr s'écrit précédé de « à confirmer » (par exemple "
            "« à confirmer 4050 ») : l'avenant le montre surligné et ne peut pas être signé avant confirmation.",
        ),
        ("Date", f"La date de l'avenant (cellule {DATE_CELL}), si elle est connue ; sinon le {deadline}."),
        ("", ""),
        (
            f"Feuille « {ABATEMENT} »",
            "Une ligne par quartier de la convention ; les logements éligibles sont indiqués.",
        ),
        (f"Abattement {year} (€)", "Le montant de l'abattement de l'année pour ce quartier."),
        (f"Report de {year - 1} (€)", carry),
        ("", ""),
        (
            f"Feuille « {ACTIONS} »",
            f"Une ligne par action et par quartier, à partir de la ligne {FIRST_ACTION_ROW} (la ligne {TOTAL_ROW} "
            "est celle des totaux). Une action menée sur deux quartiers occupe deux lignes qui portent le même "
            "numéro : chacune donne la part de ce quartier ; l'axe, le titre et la description ne s'écrivent que "
            "sur la première.",
        ),
        (HEADER["numero"], "Le numéro de l'action (1, 2, 3…), le même sur toutes ses lignes."),
        (HEADER["axe"], "L'un des huit axes du cadre national d'utilisation de l'abattement, choisi dans la liste."),
        (HEADER["titre"], "Un titre court."),
        (HEADER["description"], "Ce qui est fait, où, pour qui et par qui."),
        (HEADER["qpv"], "Le quartier de cette ligne, choisi dans la liste."),
        (HEADER["cout_total"], "Le coût de l'action dans ce quartier, tous financements compris."),
        (
            HEADER["montant_valorise"],
            "La part de ce coût imputée sur l'abattement ; elle ne dépasse pas le coût de la ligne.",
        ),
        (
            "Cofinancements",
            f"Ce que financent la Ville {french_of(commune.nom)}, {territory.epci.nom} et l'État, chacun dans sa "
            "colonne ; un autre financeur : son nom, puis son montant.",
        ),
        (HEADER["indicateurs"], "Comment le résultat de l'action sera mesuré."),
        (HEADER["calendrier"], f"Quand l'action a lieu (par exemple : de mars à novembre {year})."),
        (HEADER["pluriannuelle"], f"« {YES} » si l'action se poursuit sur plusieurs années, « {NO} » ou vide sinon."),
        ("", ""),
        ("Les huit axes", "Le cadre national d'utilisation de l'abattement de TFPB (référentiel de juin 2024) :"),
    ]
    return rows + [(f"Axe {number}", label) for number, label in enumerate(AXES, start=1)]
