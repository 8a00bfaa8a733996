"""What a programme's figures call attention to without being wrong: much of the amount left unused, a quarter of
the convention with no action, a carry-over larger than the year's own abatement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..errors import Location
from ..typography import french_amount
from .programme import Programme
from .territory import Commune, Territory
from .totals import ProgrammeTotals, programme_totals

UNUSED_SHARE = Decimal("0.25")  # more than a quarter of the amount available left unused deserves a word
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
    if unused_share_high(totals):
        alerts.append(
            Alert(
                f"{french_amount(totals.report_propose)} sur {french_amount(totals.total_disponible)} disponibles "
                f"restent inutilisés en {programme.annee} (plus du quart) : l'avenant l'explique.",
                places.abattement,
            )
        )
    for quarter in idle_quarters(totals):
        alerts.append(
            Alert(
                f"aucune action sur le quartier {quarter} en {programme.annee}, qui est pourtant couvert par la "
                "convention.",
                places.abattement_codes.get(quarter.split(" ")[0]) or places.abattement,
            )
        )
    if carry_beyond_abatement(totals):
        alerts.append(
            Alert(
                f"le report proposé ({french_amount(totals.report_propose)}) dépasse l'abattement de l'année "
                f"({french_amount(totals.total_abattement)}) : {CARRY_RULE}.",
                places.abattement,
            )
        )
    return alerts


def unused_share_high(totals: ProgrammeTotals) -> bool:
    return totals.total_disponible > 0 and totals.report_propose > totals.total_disponible * UNUSED_SHARE


def idle_quarters(totals: ProgrammeTotals) -> list[str]:
    """The convention's QPV no action of the programme concerns (« QN05952M (Schneider) »)."""
    concerned = {share.code for action in totals.actions for share in action.qpv}
    return [f"{q.code} ({q.nom})" if q.nom != q.code else q.code for q in totals.qpvs if q.code not in concerned]


def carry_beyond_abatement(totals: ProgrammeTotals) -> bool:
    return totals.report_propose > totals.total_abattement
