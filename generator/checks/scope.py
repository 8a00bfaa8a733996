"""What a check could not verify for lack of local data, said in one line with how to get it verified."""

from __future__ import annotations

from ..text import slugify
from .expectations import LOCAL, NATIONAL, NO_COMMUNE_DATA, Expected

_WITHOUT_PROJECT = "noms des signataires en fonction, délibération municipale, logements par QPV"
_WITHOUT_COMMUNE = "nom du maire, délibération municipale, logements par QPV"


def skipped_note(expected: Expected) -> str | None:
    """The one line saying which rules were not applied and how to add the commune; None when nothing was skipped."""
    if expected.scope == LOCAL:
        return None
    name = expected.commune_name
    territory = expected.territory
    if expected.scope == NO_COMMUNE_DATA and name:
        return (
            f"règles non appliquées faute de données locales pour {name} ({_WITHOUT_COMMUNE}) : ajoutez "
            f"instances/communes/{slugify(name)}.yaml (voir « Ajouter une commune » dans le README)."
        )
    if expected.scope == NATIONAL and name and territory.epci.siren:
        where = ", ".join(x for x in (territory.epci.nom, territory.etat.departement) if x)
        skipped = _WITHOUT_PROJECT + (", totaux du programme d'actions" if expected.kind == "avenant" else "")
        if expected.landlord is None:
            skipped += ", nom du bailleur"
        return (
            f"règles non appliquées faute de données locales pour {name} ({where}) : {skipped} ; pour les "
            f"appliquer, créez le projet de l'intercommunalité (« atfpb init DOSSIER --epci {territory.epci.siren} ») "
            "et vérifiez le document dans son dossier."
        )
    return (
        "commune non reconnue dans le titre ni dans les parties : seules les règles sans données locales ont été "
        "appliquées ; indiquez-la avec --commune."
    )
