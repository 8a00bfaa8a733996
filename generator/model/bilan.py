"""The yearly bilan of a programme (per commune × landlord × year): what each action realised, its status and the
qualitative part, as plain immutable values matched to the programme's actions by their number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..errors import Location
from ..text import fold

# The four statuses an action of the programme can have at the end of its year.
STATUSES = ("réalisée", "en cours", "reportée", "abandonnée")


def status_named(text: str) -> str | None:
    """A status however typed (« Réalisée », « realisee », « En cours »), or None."""
    wanted = " ".join(fold(text).split())
    return next((status for status in STATUSES if fold(status) == wanted), None)


@dataclass(frozen=True)
class RealisationPlaces:
    """Where an action's realisation was written (a YAML line or a workbook cell), for located messages."""

    numero: Location | None = None
    statut: Location | None = None
    realise: dict[str, Location] = field(default_factory=dict)  # per QPV code: its realised amount


@dataclass(frozen=True)
class Realisation:
    """What one action of the programme (its number in the avenant) realised, QPV by QPV, and where it stands."""

    numero: int
    realise: tuple[tuple[str, Decimal], ...]  # per QPV code of the action
    statut: str  # one of STATUSES
    commentaire: str = ""
    places: RealisationPlaces = field(default_factory=RealisationPlaces, compare=False, hash=False)


@dataclass(frozen=True)
class Qualitative:
    """The qualitative bilan: results, difficulties, what follows (free texts of the landlord)."""

    resultats: str
    difficultes: str = ""
    perspectives: str = ""


@dataclass(frozen=True)
class BilanPlaces:
    """Where a bilan's fields were written."""

    commune: Location | None = None
    bailleur: Location | None = None
    annee: Location | None = None
    actions: Location | None = None
    validation: Location | None = None


@dataclass(frozen=True)
class Bilan:
    """A landlord's bilan of one year's programme for one commune."""

    commune: str  # slug
    bailleur: str  # slug
    annee: int
    realisations: tuple[Realisation, ...]
    qualitatif: Qualitative
    source: str
    validation_conseil_municipal: date | None = None  # the Conseil municipal's validation, once it has met
    date_document: date | None = None  # the bilan's date; by default 31 May of the following year
    places: BilanPlaces = field(default_factory=BilanPlaces, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.commune, self.bailleur, self.annee)

    @property
    def date(self) -> date:
        return self.date_document or date(self.annee + 1, 5, 31)
