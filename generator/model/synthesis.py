"""The territory's synthesis for one year: one row per convention (commune × landlord) with what it received,
programmed, realised and carried over, and where its documents stand; totals per commune, landlord and axis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..pending import total
from .bilan import Bilan
from .bilan_totals import bilan_totals, percent, rate
from .programme import AXES, Programme
from .territory import Territory, convention_pairs
from .totals import ZERO, programme_totals

KINDS = ("convention", "avenant", "bilan")
NOT_MADE = "non produit"


@dataclass(frozen=True)
class SynthesisRow:
    """One convention in the year: figures from its programme (avenant) and bilan, and its documents' status."""

    commune: str
    bailleur: str
    logements: int
    abattement: Decimal | None  # None: no programme this year
    report_recu: Decimal | None
    valorise: Decimal | None
    realise: Decimal | None  # None: no bilan this year
    reporte: Decimal | None  # the bilan's carry-over, else the avenant's proposal
    statuts: tuple[str, str, str]  # convention, avenant, bilan: « projet », « final v1 », « signé v1 »…
    par_axe_valorise: tuple[Decimal, ...]
    par_axe_realise: tuple[Decimal, ...]

    @property
    def taux(self) -> str:
        if self.realise is None or self.valorise is None:
            return "—"
        return percent(rate(self.realise, self.valorise))


@dataclass(frozen=True)
class Totals:
    """A group's sums (a commune's, a landlord's, the territory's)."""

    nom: str
    conventions: int
    logements: int
    abattement: Decimal
    valorise: Decimal
    realise: Decimal
    reporte: Decimal


@dataclass(frozen=True)
class Synthesis:
    annee: int
    epci: str
    rows: tuple[SynthesisRow, ...]

    def _group(self, name: str, rows: Sequence[SynthesisRow]) -> Totals:
        def sum_of(values: Sequence[Decimal | None]) -> Decimal:
            return total((v for v in values if v is not None), ZERO)

        return Totals(
            name,
            len(rows),
            sum(r.logements for r in rows),
            sum_of([r.abattement for r in rows]),
            sum_of([r.valorise for r in rows]),
            sum_of([r.realise for r in rows]),
            sum_of([r.reporte for r in rows]),
        )

    @property
    def by_commune(self) -> tuple[Totals, ...]:
        names = list(dict.fromkeys(r.commune for r in self.rows))
        return tuple(self._group(n, [r for r in self.rows if r.commune == n]) for n in names)

    @property
    def by_landlord(self) -> tuple[Totals, ...]:
        names = sorted({r.bailleur for r in self.rows})
        return tuple(self._group(n, [r for r in self.rows if r.bailleur == n]) for n in names)

    @property
    def overall(self) -> Totals:
        return self._group("Total", list(self.rows))

    @property
    def by_axis(self) -> tuple[tuple[int, str, Decimal, Decimal], ...]:
        """Each axis: its number, label, valued (programmes) and realised (bilans) over the territory."""
        return tuple(
            (
                n,
                label,
                total((r.par_axe_valorise[n - 1] for r in self.rows), ZERO),
                total((r.par_axe_realise[n - 1] for r in self.rows), ZERO),
            )
            for n, label in enumerate(AXES, start=1)
        )


def synthesis(
    territory: Territory,
    programmes: Sequence[Programme],
    bilans: Sequence[Bilan],
    year: int,
    statuses: Mapping[tuple[str, str, str, int], str],
) -> Synthesis:
    """The year's synthesis over every convention of the territory; `statuses` by (kind, commune, landlord, year)."""
    rows = []
    for commune, landlord in convention_pairs(territory, territory.communes):
        key = (commune.slug, landlord.slug, year)
        programme = next((p for p in programmes if p.key == key), None)
        bilan = next((b for b in bilans if b.key == key), None)
        planned = programme_totals(programme, commune) if programme else None
        done = bilan_totals(bilan, programme, commune) if bilan and programme else None
        nothing = tuple(ZERO for _axis in AXES)
        rows.append(
            SynthesisRow(
                commune=commune.nom,
                bailleur=landlord.nom,
                logements=sum(count for _code, count in commune.convention_qpv(landlord.slug) or ()),
                abattement=planned.total_abattement if planned else None,
                report_recu=planned.total_report if planned else None,
                valorise=planned.total_valorise if planned else None,
                realise=done.total_realise if done else None,
                reporte=done.report_propose if done else planned.report_propose if planned else None,
                statuts=(
                    statuses.get(("convention", commune.slug, landlord.slug, 0), NOT_MADE),
                    statuses.get(("avenant", *key), NOT_MADE) if programme else "pas de programme",
                    statuses.get(("bilan", *key), NOT_MADE) if bilan else "pas de bilan",
                ),
                par_axe_valorise=tuple(a.total_valorise for a in planned.axes) if planned else nothing,
                par_axe_realise=tuple(a.realise for a in done.axes) if done else nothing,
            )
        )
    return Synthesis(year, territory.epci.nom, tuple(rows))
