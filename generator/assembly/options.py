"""The clause options as fields: the values the data gives and the French words the clauses need to say them."""

from __future__ import annotations

from typing import Any

from ..model.territory import SIGNATORY_KEYS, CityContract, Commitment, CommuneOptions, Epci, Period
from ..pending import like

# Who validates the yearly bilan, as a sentence names it.
BILAN_VALIDATED_BY = {"commune": "la commune", "conseil_municipal": "le conseil municipal", "maire": "le Maire"}
NUMBERS = ("zéro", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze")
COPIES = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six"}  # « en quatre exemplaires originaux »
LINE_TO_FILL = "_" * 24  # where the date is written by hand on paper


def grouped_siren(number: str) -> str:
    """« 200 042 190 »: a SIREN as the INSEE prints it, its groups held together (filter « siren »)."""
    digits = str(number)
    return like(number, "\u00a0".join(digits[i : i + 3] for i in range(0, len(digits), 3)))


def commune_option_fields(options: CommuneOptions) -> dict[str, Any]:
    """A commune's options, and how the sentences say them."""
    meetings = options.comite_suivi_local
    return {
        "veto": options.veto,
        "validation_bilan": options.validation_bilan,
        "bilan_valide_par": like(options.validation_bilan, BILAN_VALIDATED_BY[str(options.validation_bilan)]),
        "mise_a_jour_diagnostic": options.mise_a_jour_diagnostic,
        "comite_technique": options.comite_technique,
        "comite_suivi_local": meetings,
        "comite_suivi_frequence": f"{NUMBERS[meetings] if meetings < len(NUMBERS) else meetings} fois par an",
        "siren": options.siren,
        "siege": options.siege,
    }


def commitment_fields(commitment: Commitment) -> dict[str, Any]:
    """A landlord's commitment: its heading and its paragraphs and lists (`.blocs`, each a `.texte` or a
    `.liste`), and the whole text on one line (`.texte`)."""
    return {
        "titre": commitment.titre,
        "blocs": [{"texte": block.texte, "liste": list(block.liste)} for block in commitment.blocs],
        "texte": commitment.texte,
    }


def epci_option_fields(epci: Epci) -> dict[str, Any]:
    """The EPCI's legal name with its article, and the department that runs the scheme."""
    return {
        "le_nom_officiel": official_with_article(epci.nom_officiel),
        "direction": epci.direction,
        "charge_de_suivi": epci.charge_de_suivi,
        "actions_soutenues": list(epci.actions_soutenues),
    }


def official_with_article(name: str) -> str:
    """« la Communauté d'agglomération de … », « la Métropole … », « l'Eurométropole … »; a name that says no kind
    (« Valenciennes Métropole ») has none."""
    if name.startswith(("Communauté", "Métropole")):
        return like(name, f"la {name}")
    if name.startswith(("Eurométropole", "Établissement")):
        return like(name, f"l'{name}")
    return name


def contract_option_fields(contract: CityContract) -> dict[str, Any]:
    """The contract's orientation that carries the abatement, its ambitions and its yearly communal document."""
    axis = contract.axe_atfpb
    return {
        "axe_atfpb": {"numero": axis, "intitule": contract.orientations[axis - 1]} if axis else None,
        "ambitions": list(contract.ambitions),
        "document_communal": contract.document_communal,
    }


def signature_fields(period: Period) -> dict[str, Any]:
    """How the documents are signed: electronically (the date is that of the last signature) or on paper (a line
    for the date written by hand, one original per signatory)."""
    copies = len(SIGNATORY_KEYS)
    return {
        "mode": period.signature,
        "electronique": period.signature == "electronique",
        "papier": period.signature == "papier",
        "exemplaires": copies,
        "exemplaires_lettres": COPIES.get(copies, str(copies)),
        "blanc": LINE_TO_FILL,
    }
