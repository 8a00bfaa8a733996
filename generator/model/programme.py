"""Annual programmes of actions (per commune × landlord × year) as plain immutable values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..errors import Location
from ..text import slugify

# The eight axes of the national framework (cadre national d'utilisation de l'ATFPB, référentiel juin 2024).
AXES = (
    "Renforcement de la présence du personnel de proximité",
    "Formation spécifique et soutien au personnel de proximité",
    "Sur-entretien",
    "Gestion des déchets et encombrants / épaves",
    "Tranquillité résidentielle",
    "Concertation / sensibilisation des locataires",
    "Animation, lien social, vivre ensemble",
    "Petits travaux d'amélioration de la qualité de service",
)


@dataclass(frozen=True)
class Cofinancing:
    financeur: str
    montant: Decimal


@dataclass(frozen=True)
class ActionPlaces:
    """Where an action's fields were written (a YAML line or a workbook cell), for located messages."""

    axe: Location | None = None
    titre: Location | None = None
    qpv: Location | None = None  # the split, when the action gives one
    cout_total: Location | None = None
    montant_valorise: Location | None = None
    cofinancements: Location | None = None


@dataclass(frozen=True)
class Action:
    """One action of the programme; `repartition` splits its valued amount between QPV."""

    axe: int  # 1 to 8
    titre: str
    description: str
    repartition: tuple[tuple[str, Decimal], ...]
    cout_total: Decimal
    montant_valorise: Decimal
    cofinancements: tuple[Cofinancing, ...] = ()
    indicateurs: str = ""
    calendrier: str = ""
    pluriannuelle: bool = False
    places: ActionPlaces = field(default_factory=ActionPlaces, compare=False, hash=False)


@dataclass(frozen=True)
class ProgrammePlaces:
    """Where a programme's fields were written, and each QPV code of its abatement and carry-over."""

    commune: Location | None = None
    bailleur: Location | None = None
    annee: Location | None = None
    abattement: Location | None = None
    abattement_codes: dict[str, Location] = field(default_factory=dict)
    report_codes: dict[str, Location] = field(default_factory=dict)
    numero_avenant: Location | None = None
    autorisation_date: Location | None = None


AUTHORISING_ACTS = ("deliberation", "decision")  # of the municipal council, of the mayor


@dataclass(frozen=True)
class Authorisation:
    """The act authorising the signature of an avenant: a deliberation of the municipal council or a decision of
    the mayor, with its number and date."""

    acte: str  # one of AUTHORISING_ACTS
    numero: str
    date: date


@dataclass(frozen=True)
class Programme:
    """A landlord's programme of actions for one commune and one year, with the abatement per QPV."""

    commune: str  # slug
    bailleur: str  # slug
    annee: int
    abattement: tuple[tuple[str, Decimal], ...]
    report: tuple[tuple[str, Decimal], ...]
    actions: tuple[Action, ...]
    source: str
    places: ProgrammePlaces = field(default_factory=ProgrammePlaces, compare=False, hash=False)
    date_document: date | None = None  # the avenant's date; by default 30 April of its year
    numero_avenant: int | None = None  # the avenant's number when the data sets it (else from the year)
    autorisation: Authorisation | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.commune, self.bailleur, self.annee)

    @property
    def document_date(self) -> date:
        """The avenant's date: the one given, else 30 April of its year (the programme's deadline)."""
        return self.date_document or date(self.annee, 4, 30)

    def number(self, first_year: int) -> int:
        """The avenant's number in its convention: the one the data sets, else counted from the convention's first
        year (the programme of the first year is avenant n° 1, whenever it is built)."""
        return self.numero_avenant or self.annee - first_year + 1


def axis_number(text: str) -> int | None:
    """An axis given by its number (« 3 ») or its label, however typed (« Sur-entretien », « 3 - Sur-entretien »)."""
    cleaned = text.strip()
    head = cleaned.split(" ", 1)[0].rstrip(".-)")
    if head.isdigit():
        return int(head) if 1 <= int(head) <= len(AXES) else None
    wanted = slugify(cleaned)
    return next((n for n, label in enumerate(AXES, start=1) if slugify(label) == wanted), None)
