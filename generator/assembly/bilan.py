"""Pure assembly of a yearly bilan: the convention's fields, the programme and what it realised, every figure computed
here, and the chart by axis the document draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ..inputs.clauses import Clause
from ..inputs.legal import LegalReference
from ..model.bilan import Bilan
from ..model.bilan_totals import BilanTotals, bilan_totals
from ..model.charts import AXIS_SHORT_LABELS, BarChart
from ..model.programme import Programme
from ..model.territory import Commune, Landlord, Territory
from ..model.totals import ZERO, programme_totals
from ..pending import total
from ..typography import french_of
from .assemble import _assemble, _Texts
from .context import convention_context, signed_on
from .document import AssembledDocument

AXES_CHART = "axes"


def assemble_bilan(
    territory: Territory,
    commune: Commune,
    landlord: Landlord,
    programme: Programme,
    bilan: Bilan,
    following: Programme | None,
    clauses: Sequence[Clause],
    references: Sequence[LegalReference],
) -> AssembledDocument:
    """Assemble the bilan of a year's programme; `following` is next year's programme, when described."""
    when = bilan.date
    year, town = bilan.annee, f"Ville {french_of(commune.nom)}"
    texts = _Texts(
        title=f"Bilan {year} de la convention d'utilisation de l'ATFPB — {town} — {landlord.nom}",
        short_title=f"Bilan ATFPB {year} — {commune.nom} — {landlord.nom_court}",
        subject=f"Bilan du programme d'actions {year} — {town}, {landlord.nom}",
    )
    figures = bilan_totals(bilan, programme, commune)
    context = bilan_context(territory, commune, landlord, programme, bilan, figures, following, references)
    document = _assemble("bilan", year, territory, commune, landlord, clauses, context, when, texts)
    return replace(document, charts=(axes_chart(figures),))


def bilan_context(
    territory: Territory,
    commune: Commune,
    landlord: Landlord,
    programme: Programme,
    bilan: Bilan,
    figures: BilanTotals,
    following: Programme | None,
    references: Sequence[LegalReference],
) -> dict[str, Any]:
    """The convention's fields, plus the year, the programme, the bilan's figures, its qualitative part, its
    validation and what the next year's programme receives (documented in clauses/README.md)."""
    year = bilan.annee
    received = total((amount for _code, amount in following.report), ZERO) if following else ZERO
    return {
        **convention_context(territory, commune, landlord, references, bilan.date),
        "annee": year,
        "annee_precedente": year - 1,
        "annee_suivante": year + 1,
        "convention": {"date": territory.periode.date_document, "signee_le": signed_on(commune, landlord)},
        "avenant": {"numero": programme.number(territory.periode.debut)},
        "programme": programme_totals(programme, commune),
        "bilan": figures,
        "qualitatif": bilan.qualitatif,
        "validation": {"date": bilan.validation_conseil_municipal, "limite": date(year + 1, 5, 31)},
        "suivant": {"decrit": following is not None, "report": received},
        "graphique_axes": BarChart(AXES_CHART, "", (), ()).reference,
    }


def axes_chart(figures: BilanTotals) -> BarChart:
    """Programmed and realised amounts of the axes the programme used."""
    axes = figures.axes_actifs
    return BarChart(
        name=AXES_CHART,
        title="Montants programmés et réalisés par axe (€)",
        categories=tuple(AXIS_SHORT_LABELS[a.numero - 1] for a in axes),
        series=(("Programmé", tuple(a.programme for a in axes)), ("Réalisé", tuple(a.realise for a in axes))),
    )
