"""A convention's programmes as a chain of years: the carry-over a year receives on each QPV is what the previous
year's avenant left unused there and carried (none into the first year, none without a previous avenant)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..errors import DataError
from ..typography import french_amount
from .programme import Programme
from .territory import Commune, Territory
from .totals import ZERO, programme_totals


def chain_breaks(programmes: Sequence[Programme], territory: Territory) -> list[DataError]:
    """Every carry-over that does not follow from the previous year, located where it is received, naming both
    files."""
    by_year = {p.key: p for p in programmes}
    problems = []
    for programme in sorted(programmes, key=lambda p: p.key):
        commune = territory.commune_named(programme.commune)
        if commune is None:
            continue  # said by the programme's own validation
        previous = by_year.get((programme.commune, programme.bailleur, programme.annee - 1))
        left = programme_totals(previous, commune) if previous is not None else None
        received = dict(programme.report)
        for code, _dwellings in commune.convention_qpv(programme.bailleur) or ():
            proposed = left.report_de(code) if left is not None else ZERO
            got = received.get(code, ZERO)
            if got != proposed:
                problems.append(_break(programme, previous, territory, code, got, proposed))
    return problems


def numbering_breaks(programmes: Sequence[Programme], territory: Territory) -> list[DataError]:
    """Each convention's avenants numbered in the order of their years, never twice the same number; a break is
    located at the later programme's number (or year, when its number is the one counted from it)."""
    first = territory.periode.debut
    problems = []
    ordered = sorted(programmes, key=lambda p: p.key)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.key[:2] != after.key[:2] or after.number(first) > before.number(first):
            continue
        where = after.places.numero_avenant or after.places.annee
        problems.append(
            DataError(
                f"l'avenant {after.annee} porterait le n° {after.number(first)}, alors que l'avenant {before.annee} "
                f"({before.source}) porte le n° {before.number(first)} : les avenants d'une convention se numérotent "
                f"dans l'ordre des années ; indiquez « numero_avenant: {before.number(first) + 1} » (ou plus) dans "
                "ce programme.",
                where,
            )
        )
    return problems


def carried_from(previous: Programme | None, commune: Commune, year: int, first_year: int) -> Decimal | None:
    """What the avenant of `year` receives from the year before: nothing in the first year, what the previous
    avenant left unused and carried when its programme is known, else unknown (None)."""
    if year <= first_year:
        return ZERO
    return programme_totals(previous, commune).report_propose if previous is not None else None


def _break(
    programme: Programme,
    previous: Programme | None,
    territory: Territory,
    code: str,
    got: Decimal,
    proposed: Decimal,
) -> DataError:
    """One carry-over that does not follow: where it is received (or the year's abatement when nothing is), why."""
    year, before = programme.annee, programme.annee - 1
    where = programme.places.report_codes.get(code) or programme.places.abattement
    quarter = f"{code}{_name(territory, programme, code)}"
    amount = french_amount(got)
    if year == territory.periode.debut:
        reason = (
            f"report de {amount} reçu sur {quarter} en {year}, première année de la convention : aucune année "
            "antérieure ne peut en laisser."
        )
    elif previous is None:
        reason = (
            f"report de {amount} reçu sur {quarter} en {year}, mais aucun programme {before} de cette convention "
            f"n'est décrit (instances/programmes/) : ajoutez-le, ou retirez ce report."
        )
    else:
        reason = _mismatch(previous, quarter, year, got, proposed)
    return DataError(reason, where)


def _mismatch(previous: Programme, quarter: str, year: int, got: Decimal, proposed: Decimal) -> str:
    avenant = f"l'avenant {previous.annee} ({previous.source})"
    if proposed == 0:
        return (
            f"report de {french_amount(got)} reçu sur {quarter} en {year}, mais {avenant} n'en propose aucun sur ce "
            "quartier."
        )
    if got == 0:
        return (
            f"{avenant} laisse {french_amount(proposed)} inutilisés sur {quarter}, reportés sur {year}, mais ce "
            f"programme ne les reçoit pas : indiquez ce report."
        )
    comparison = "supérieur" if got > proposed else "inférieur"
    return (
        f"report de {french_amount(got)} reçu sur {quarter} en {year}, {comparison} aux {french_amount(proposed)} que "
        f"{avenant} laisse inutilisés sur ce quartier et reporte."
    )


def _name(territory: Territory, programme: Programme, code: str) -> str:
    commune = territory.commune_named(programme.commune)
    name = next((q.nom for q in commune.qpv if q.code == code), "") if commune else ""
    return f" ({name})" if name else ""
