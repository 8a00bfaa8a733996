"""The fields a clause can use (documented in clauses/README.md), computed from the data at the document's date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ..inputs.epci import epci_reference
from ..inputs.legal import LegalReference
from ..inputs.referentials import official_communes
from ..model.programme import Programme
from ..model.territory import Commune, Deliberation, Landlord, Role, Territory
from ..model.totals import ProgrammeTotals, programme_totals
from ..pending import combined, total
from .options import (
    commitment_fields,
    commune_option_fields,
    contract_option_fields,
    epci_option_fields,
    signature_fields,
)

# The visas' legal order: laws, codes, decrees, then the other texts (national framework, référentiel).
LEGAL_ORDER = {"loi": 0, "code": 1, "decret": 2, "texte": 3}


def convention_context(
    territory: Territory, commune: Commune, landlord: Landlord, references: Sequence[LegalReference], when: date
) -> dict[str, Any]:
    """The fields a convention clause can use (documented in clauses/README.md), people named as at `when`."""
    qpvs = _qpv_rows(commune, landlord, territory.epci.siren)
    epci, contrat = territory.epci, territory.contrat
    return {
        "commune": {
            "nom": commune.nom,
            "insee": commune.insee,
            "maire": signatory_fields(commune.maire, when),
            "deliberation": _deliberation_fields(commune.deliberation),
            "priorites": list(commune.priorites),
            "diagnostic": commune.diagnostic,
            "modalites_locales": list(commune.modalites_locales),
            **commune_option_fields(commune.options),
        },
        "bailleur": {
            "nom": landlord.nom,
            "nom_court": landlord.nom_court,
            "article": landlord.article,
            "le": landlord.le,  # « la Société Immobilière du Grand Hainaut », « Partenord Habitat »
            "Le": landlord.opening,  # « La Société Immobilière du Grand Hainaut », opening a sentence
            "de": landlord.de,  # « de la Société Immobilière du Grand Hainaut », « de Partenord Habitat »
            "representant": signatory_fields(landlord.representant, when),
            "priorites": list(landlord.priorites),
            "engagements": [commitment_fields(e) for e in landlord.engagements],
            "siren": landlord.siren,
            "siege": landlord.siege,
            "outil_suivi": landlord.outil_suivi,
        },
        "epci": {
            "nom": epci.nom,
            "nom_officiel": epci.nom_officiel,
            "siren": epci.siren,
            "siege": epci.siege,
            "president": signatory_fields(epci.president, when),
            **epci_option_fields(epci),
        },
        "etat": {
            "departement": territory.etat.departement,
            "prefet": signatory_fields(territory.etat.prefet, when),
            "services": territory.etat.services,
        },
        "contrat": {
            "nom": contrat.nom,
            "deliberation": _deliberation_fields(contrat.deliberation),
            "date_signature": contrat.date_signature,
            "signataires": list(contrat.signataires),
            "orientations": list(contrat.orientations),
            **contract_option_fields(contrat),
        },
        "qpvs": qpvs,
        "total_logements": total((q["logements"] for q in qpvs), 0),
        "qpv_intercommunal": any(q["intercommunal"] for q in qpvs),
        "periode": {"debut": territory.periode.debut, "fin": territory.periode.fin},
        "date_document": when,
        "lieu_signature": commune.nom,
        "signature": signature_fields(territory.periode),
        "references": {r.id: _reference_fields(r) for r in references},
        "references_liste": [_reference_fields(r) for r in in_legal_order(references)],
    }


def in_legal_order(references: Sequence[LegalReference]) -> list[LegalReference]:
    """Laws, codes, decrees, then the other texts; within each kind, the oldest first (undated last)."""
    return sorted(references, key=lambda r: (LEGAL_ORDER.get(r.type, len(LEGAL_ORDER)), r.date or date.max))


def _holding(commune: Commune, landlord_slug: str) -> tuple[tuple[str, int], ...]:
    """The QPV of the convention of this commune and landlord, with their dwellings (it exists here)."""
    return commune.convention_qpv(landlord_slug) or ()


def _qpv_rows(commune: Commune, landlord: Landlord, epci_siren: str) -> list[dict[str, Any]]:
    by_code = {q.code: q for q in commune.qpv}
    rows = []
    for code, count in _holding(commune, landlord.slug):
        qpv = by_code[code]
        others = [
            (i, name) for i, name in zip(qpv.insee_communes, qpv.noms_communes, strict=True) if i != commune.insee
        ]
        rows.append(
            {
                "code": qpv.code,
                "nom": qpv.nom,
                "logements": count,
                "intercommunal": qpv.intercommunal,
                "autres_communes": [name for _insee, name in others],
                "hors_epci": _other_intercommunalities(others, epci_siren),
            }
        )
    return rows


def _other_intercommunalities(communes: list[tuple[str, str]], epci_siren: str) -> list[dict[str, Any]]:
    """The communes of a quarter that belong to another intercommunality, grouped by it (« de La Porte du Hainaut »)."""
    members = official_communes()
    grouped: dict[str, list[str]] = {}
    for insee, name in communes:
        siren = members[insee].siren_epci if insee in members else ""
        if siren and siren != epci_siren:
            grouped.setdefault(siren, []).append(name)
    if not grouped:
        return []  # the EPCI referential (35,000 communes read) only for a quarter that needs it
    epcis = epci_reference()
    return [
        {"de": epcis[siren].names.de if siren in epcis else "", "communes": names} for siren, names in grouped.items()
    ]


def signatory_fields(role: Role, when: date) -> dict[str, str]:
    """A signatory as sentences name them: the person in office at `when` and the role, or the role alone."""
    holder = role.holder_at(when)
    personne = holder.personne if holder else (role.to_confirm or "")
    return {
        "qualite": role.qualite,
        "personne": personne,
        "designation": combined(f"{personne}, {role.qualite}", personne, role.qualite, role.to_confirm)
        if holder
        else combined(role.article, role.article, role.to_confirm),
    }


def _deliberation_fields(deliberation: Deliberation) -> dict[str, Any]:
    return {"numero": deliberation.numero, "date": deliberation.date}


def _reference_fields(reference: LegalReference) -> dict[str, Any]:
    return {
        "id": reference.id,
        "citation": reference.citation,
        "titre": reference.titre,
        "numero": reference.numero,
        "date": reference.date,
        "article": reference.article,
    }


def avenant_context(
    territory: Territory,
    commune: Commune,
    landlord: Landlord,
    programme: Programme,
    references: Sequence[LegalReference],
    when: date,
) -> dict[str, Any]:
    """The convention's fields, plus the year and the programme with every total computed (never typed in)."""
    year = programme.annee
    totals: ProgrammeTotals = programme_totals(programme, commune)
    return {
        **convention_context(territory, commune, landlord, references, when),
        "annee": year,
        "annee_precedente": year - 1,
        "annee_suivante": year + 1,
        "convention": {"date": territory.periode.date_document, "signee_le": signed_on(commune, landlord)},
        "avenant": {"numero": programme.number(territory.periode.debut), "autorisation": _authorisation(programme)},
        "programme": totals,
    }


def signed_on(commune: Commune, landlord: Landlord) -> date | None:
    """The date the convention was signed (its last signature), once the commune's file gives it."""
    holding = commune.holding(landlord.slug)
    return holding.convention_signee_le if holding else None


def _authorisation(programme: Programme) -> dict[str, Any] | None:
    """The act authorising the avenant's signature, when the programme gives it."""
    act = programme.autorisation
    if act is None:
        return None
    return {"acte": act.acte, "deliberation": act.acte == "deliberation", "numero": act.numero, "date": act.date}
