"""What a new project holds, computed from the referentials and the dwellings file before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from ..inputs.departements import Departement
from ..inputs.dwellings import DwellingRow
from ..inputs.epci import EpciEntry, EpciNames, epci_reference, population_by_departement
from ..inputs.referentials import official_communes, qpv_reference
from ..model.territory import Qpv
from ..text import slugify
from ..typography import french_list


@dataclass(frozen=True)
class Landlord:
    """A landlord of the dwellings file: its name as first written, and the other ways it was written."""

    nom: str
    slug: str
    autres_noms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Holding:
    """A landlord's dwellings in one commune, by QPV."""

    bailleur: str
    logements: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class QuarterPlan:
    """A QPV of a commune, with the communes of other EPCI it also covers (« Raismes (La Porte du Hainaut) »)."""

    qpv: Qpv
    elsewhere: tuple[str, ...]  # « Anzin et Valenciennes (Valenciennes Métropole, SIREN 245901160) »


@dataclass(frozen=True)
class CommunePlan:
    """A member commune with at least one QPV: the file `instances/communes/<slug>.yaml`."""

    insee: str
    nom: str
    slug: str
    quarters: tuple[QuarterPlan, ...]
    holdings: tuple[Holding, ...]


@dataclass(frozen=True)
class ProjectPlan:
    """Everything `init` writes, and where it comes from."""

    epci: EpciEntry
    names: EpciNames
    departements: tuple[tuple[Departement, int], ...]  # the most populated first
    communes: tuple[CommunePlan, ...]
    landlords: tuple[Landlord, ...]
    dwellings_file: str | None
    zero_rows: int  # rows of the file with no dwelling, not carried over
    prepared: date
    document_date: date | None

    @property
    def departement(self) -> Departement:
        return self.departements[0][0]

    @property
    def conventions(self) -> int:
        return sum(len(commune.holdings) for commune in self.communes)


def make_plan(
    epci: EpciEntry, rows: Sequence[DwellingRow], dwellings_file: str | None, prepared: date, when: date | None
) -> ProjectPlan:
    """The project of an EPCI: its communes with QPV, and the landlords of the dwellings file."""
    counted = [row for row in rows if row.logements > 0]
    landlords = _landlords(counted)
    by_slug = {landlord.slug: landlord for landlord in landlords}
    members = {member.insee for member in epci.members}
    slugs = _commune_slugs(epci)
    communes = [
        CommunePlan(
            insee=member.insee,
            nom=member.nom,
            slug=slugs[member.insee],
            quarters=tuple(QuarterPlan(q, _elsewhere(q, members)) for q in quarters_of(member.insee)),
            holdings=_holdings([row for row in counted if row.insee == member.insee], by_slug),
        )
        for member in epci.members
        if quarters_of(member.insee)
    ]
    return ProjectPlan(
        epci=epci,
        names=epci.names,
        departements=tuple(population_by_departement(epci)),
        communes=tuple(sorted(communes, key=lambda commune: commune.slug)),
        landlords=landlords,
        dwellings_file=dwellings_file,
        zero_rows=len(rows) - len(counted),
        prepared=prepared,
        document_date=when,
    )


@cache
def _quarters_by_commune() -> dict[str, tuple[Qpv, ...]]:
    index: dict[str, list[Qpv]] = {}
    for quarter in sorted(qpv_reference().values(), key=lambda q: q.code):
        for insee in quarter.insee_communes:
            index.setdefault(insee, []).append(quarter)
    return {insee: tuple(quarters) for insee, quarters in index.items()}


def quarters_of(insee: str) -> tuple[Qpv, ...]:
    """The QPV of 2024 covering a commune, by code."""
    return _quarters_by_commune().get(insee, ())


def _commune_slugs(epci: EpciEntry) -> dict[str, str]:
    """The file name of each member commune; two homonyms are told apart by their INSEE code."""
    slugs = [slugify(member.nom) for member in epci.members]
    return {
        member.insee: slug if slugs.count(slug) == 1 else f"{slug}-{member.insee.lower()}"
        for member, slug in zip(epci.members, slugs, strict=True)
    }


def _elsewhere(quarter: Qpv, members: set[str]) -> tuple[str, ...]:
    """The communes a QPV also covers outside the EPCI, grouped by their own EPCI: « Anzin et Valenciennes (…) »."""
    by_epci: dict[str, list[str]] = {}
    for insee, nom in zip(quarter.insee_communes, quarter.noms_communes, strict=True):
        if insee in members:
            continue
        commune = official_communes().get(insee)
        other = epci_reference().get(commune.siren_epci) if commune is not None else None
        where = f"{other.names.nom}, SIREN {other.siren}" if other else "hors EPCI à fiscalité propre"
        by_epci.setdefault(where, []).append(nom)
    return tuple(f"{french_list(names)} ({where})" for where, names in by_epci.items())


def _landlords(rows: Sequence[DwellingRow]) -> tuple[Landlord, ...]:
    """The landlords in the order the file first names them; spellings that differ only in case or accents merged."""
    spellings: dict[str, list[str]] = {}
    for row in rows:
        names = spellings.setdefault(slugify(row.bailleur), [])
        if row.bailleur not in names:
            names.append(row.bailleur)
    return tuple(Landlord(names[0], slug, tuple(names[1:])) for slug, names in spellings.items())


def _holdings(rows: Sequence[DwellingRow], landlords: dict[str, Landlord]) -> tuple[Holding, ...]:
    """A commune's landlords (in the file's order), each with its dwellings by QPV code."""
    by_landlord: dict[str, dict[str, int]] = {}
    for row in rows:
        by_landlord.setdefault(slugify(row.bailleur), {})[row.qpv] = row.logements
    return tuple(Holding(landlords[slug].nom, tuple(sorted(counts.items()))) for slug, counts in by_landlord.items())
