"""What a programme's figures call attention to without being wrong: much of the amount left unused, a quarter of
the convention with no action, a carry-over larger than the year's own abatement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Location
from ..typography import french_amount
from .programme import Programme
from .territory import Commune, Territory
from .totals import programme_totals

# The carry-over rule applied: an amount unused in year N is carried to N+1 only, with the signatories' agreement
# (reference convention of Lourches, article 10 « Conditions de report de l'ATFPB »; domain brief, calendar). An
# amount already carried once cannot be carried again, so what a year carries cannot exceed its own abatement.
CARRY_RULE = (
    "un montant non utilisé en année N ne se reporte que sur N+1 (conditions de report de la convention, "
    "article « Conditions de report de l'ATFPB ») : un montant déjà reporté une fois ne se reporte plus"
)


@dataclass(frozen=True)
class Alert:
    """A warning on a programme: what it says, where."""

    message: str
    location: Location | None


def programmes_alerts(territory: Territory, programmes: Sequence[Programme]) -> list[Alert]:
    """The warnings of every programme, each located (in its file when nothing more precise is known)."""
    alerts = []
    for programme in programmes:
        commune = territory.commune_named(programme.commune)
        for alert in programme_alerts(programme, commune) if commune else ():
            alerts.append(alert if alert.location else Alert(alert.message, Location(programme.source)))
    return alerts


def programme_alerts(programme: Programme, commune: Commune) -> list[Alert]:
    """The warnings `validate` gives on a programme, and that its avenant explains."""
    totals = programme_totals(programme, commune)
    places = programme.places
    alerts = []
    if totals.inutilise_eleve:
        alerts.append(
            Alert(
                f"{french_amount(totals.report_propose)} sur {french_amount(totals.total_disponible)} disponibles "
                f"restent inutilisés en {programme.annee} (plus du quart) : l'avenant l'explique.",
                places.abattement,
            )
        )
    for quarter in totals.quartiers_sans_action:
        named = f"{quarter.code} ({quarter.nom})" if quarter.nom != quarter.code else quarter.code
        alerts.append(
            Alert(
                f"aucune action sur le quartier {named} en {programme.annee}, qui est pourtant couvert par la "
                "convention.",
                places.abattement_codes.get(quarter.code) or places.abattement,
            )
        )
    if totals.report_au_dela_abattement:
        alerts.append(
            Alert(
                f"le report proposé ({french_amount(totals.report_propose)}) dépasse l'abattement de l'année "
                f"({french_amount(totals.total_abattement)}) : {CARRY_RULE}.",
                places.abattement,
            )
        )
    return alerts
