"""A chart as a plain value (what it shows, not how it is drawn): categories and series of amounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CHART_SCHEME = "graphique:"
AXIS_SHORT_LABELS = (  # the eight axes of the national framework as a chart's axis can show them
    "1 Présence de proximité",
    "2 Formation du personnel",
    "3 Sur-entretien",
    "4 Déchets, encombrants",
    "5 Tranquillité",
    "6 Concertation",
    "7 Animation, lien social",
    "8 Petits travaux",
)  # a clause's image « ![texte](graphique:axes) » names a chart of its document


@dataclass(frozen=True)
class BarChart:
    """Grouped bars: one group per category, one bar per series (« Programmé », « Réalisé »)."""

    name: str  # what a clause's image names (« axes » for « graphique:axes »)
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal, ...]], ...]
    unit: str = "€"

    @property
    def reference(self) -> str:
        return CHART_SCHEME + self.name
