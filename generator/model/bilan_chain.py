"""Where a bilan exists, it is what the next year's programme receives: the carry-over of year N+1, QPV by QPV, must
be what the bilan of year N leaves unused there (realised amounts, after transfers), not what its avenant foresaw."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..errors import DataError
from ..typography import french_amount
from .bilan import Bilan
from .bilan_totals import bilan_totals
from .programme import Programme
from .territory import Territory
from .totals import ZERO


def followed_by_bilan(programmes: Sequence[Programme], bilans: Sequence[Bilan]) -> list[Programme]:
    """The programmes whose previous year has a bilan (and a programme): the bilan sets what they receive."""
    keys = {b.key for b in bilans}
    years = {p.key for p in programmes}
    return [
        p
        for p in programmes
        if (p.commune, p.bailleur, p.annee - 1) in keys and (p.commune, p.bailleur, p.annee - 1) in years
    ]


def bilan_chain_breaks(
    programmes: Sequence[Programme], bilans: Sequence[Bilan], territory: Territory
) -> list[DataError]:
    """Every carry-over received that differs from what the previous year's bilan carries, located where it is
    received, naming both files."""
    by_key = {p.key: p for p in programmes}
    reports = {b.key: b for b in bilans}
    problems = []
    for programme in sorted(followed_by_bilan(programmes, bilans), key=lambda p: p.key):
        commune = territory.commune_named(programme.commune)
        if commune is None:
            continue
        before = (programme.commune, programme.bailleur, programme.annee - 1)
        bilan, previous = reports[before], by_key[before]
        carried = bilan_totals(bilan, previous, commune)
        received = dict(programme.report)
        names = {q.code: q.nom for q in commune.qpv}
        for code, _dwellings in commune.convention_qpv(programme.bailleur) or ():
            got, proposed = received.get(code, ZERO), carried.report_de(code)
            if got != proposed:
                quarter = f"{code} ({names[code]})" if code in names else code
                where = programme.places.report_codes.get(code) or programme.places.abattement
                problems.append(DataError(_reason(bilan, programme.annee, quarter, got, proposed), where))
    return problems


def _reason(bilan: Bilan, year: int, quarter: str, got: Decimal, proposed: Decimal) -> str:
    source = f"le bilan {bilan.annee} ({bilan.source})"
    if proposed == 0:
        return (
            f"report de {french_amount(got)} reçu sur {quarter} en {year}, mais {source} ne laisse rien d'inutilisé "
            "sur ce quartier."
        )
    if got == 0:
        return (
            f"{source} laisse {french_amount(proposed)} inutilisés sur {quarter}, à reporter sur {year}, mais ce "
            "programme ne les reçoit pas : indiquez ce report."
        )
    comparison = "supérieur" if got > proposed else "inférieur"
    return (
        f"report de {french_amount(got)} reçu sur {quarter} en {year}, {comparison} aux {french_amount(proposed)} que "
        f"{source} laisse inutilisés sur ce quartier (montants réalisés) : le report suit le bilan."
    )
