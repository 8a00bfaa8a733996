"""What a document should say: its kind, commune, landlord, people in office and programme, from the instance files
or inferred from its own first lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ..inputs.referentials import epci_commune_names
from ..model.programme import Programme
from ..model.territory import Commune, Landlord, Territory, signatory_roles
from ..reading.lines import Line, normalise
from .text import name_pattern


@dataclass(frozen=True)
class Expected:
    """What the document should be about, from the instance files or inferred from its text."""

    territory: Territory
    commune_name: str | None
    commune: Commune | None = None
    landlord: Landlord | None = None
    kind: str = "convention"
    year: int | None = None
    programme: Programme | None = None

    @cached_property
    def foreign_communes(self) -> tuple[str, ...]:
        names = set(epci_commune_names(self.territory.epci.siren)) | {c.nom for c in self.territory.communes}
        return tuple(sorted(names - {self.commune_name}))

    @cached_property
    def names_written_right(self) -> tuple[str, ...]:
        """The names a document may write as they are, whatever communes' names they contain: the commune's, its
        quarters', the territory's landlords', the EPCI's own names and the contract's signatories (« Valenciennes
        Métropole » names no commune of Valenciennes)."""
        territory = self.territory
        names = [n for b in territory.bailleurs for n in b.names]
        names += [self.commune_name] if self.commune_name else []
        names += [q.nom for q in self.commune.qpv] if self.commune else []
        names += [territory.epci.nom, territory.epci.nom_officiel, *territory.contrat.signataires]
        names = [normalise(_ARTICLE.sub("", name)) for name in names]
        return tuple(sorted({name for name in names if len(name) > 2}))

    @cached_property
    def foreign_landlords(self) -> tuple[Landlord, ...]:
        own = self.landlord.slug if self.landlord else None
        return tuple(b for b in self.territory.bailleurs if b.slug != own)

    @cached_property
    def neighbours(self) -> dict[str, tuple[str, ...]]:
        """For each other commune a quarter of the convention spans, the codes of the quarters it shares."""
        shared: dict[str, list[str]] = {}
        for qpv in self.commune.qpv if self.commune else ():
            for name in qpv.noms_communes:
                if name != self.commune_name:
                    shared.setdefault(name, []).append(qpv.code)
        return {name: tuple(codes) for name, codes in shared.items()}

    def person(self, role_key: str) -> str | None:
        """The first name and name of whoever holds a signatory's role at the document's date, if known."""
        role = signatory_roles(self.territory, self.commune, self.landlord).get(role_key)
        holder = role.holder_at(self.territory.periode.date_document) if role else None
        return f"{holder.prenom} {holder.nom}" if holder else None

    @property
    def dwellings(self) -> dict[str, int] | None:
        """The convention's QPV and dwellings, when commune and landlord are known and have one."""
        if not (self.commune and self.landlord):
            return None
        dwellings = self.commune.convention_qpv(self.landlord.slug)
        return dict(dwellings) if dwellings is not None else None


_ARTICLE = re.compile(r"^(?:le|la|les|l')\s*", re.IGNORECASE)  # « la Région Hauts-de-France »: the name after it
_AVENANT = re.compile(r"\bavenant\s+(\d{4})\b.*\bprogramme d'actions\b", re.IGNORECASE)


def infer_expected(lines: Sequence[Line], territory: Territory) -> Expected:
    """The kind, commune and landlord a document is about, from its title and parties (first lines)."""
    head = " ".join(line.text for line in lines[:40])
    epci_names = [normalise(name) for name in (territory.epci.nom, territory.epci.nom_officiel) if len(name) > 2]
    if epci_names:  # « Valenciennes Métropole » does not cite Valenciennes
        head = name_pattern(*epci_names).sub(" ", head)
    communes = sorted(epci_commune_names(territory.epci.siren))
    commune_name = _most_cited(head, {name: (name,) for name in communes})
    landlord_slug = _most_cited(head, {b.slug: b.names for b in territory.bailleurs})
    commune = next((c for c in territory.communes if c.nom == commune_name), None)
    landlord = territory.landlord(landlord_slug) if landlord_slug else None
    kind, year = document_kind(lines)
    return Expected(territory, commune_name, commune, landlord, kind, year)


def document_kind(lines: Sequence[Line]) -> tuple[str, int | None]:
    """'avenant' and its year when the title says so, else 'convention'."""
    title = " ".join(line.text for line in lines[:6])
    found = _AVENANT.search(title)
    return ("avenant", int(found.group(1))) if found else ("convention", None)


def _most_cited(text: str, candidates: dict[str, tuple[str, ...]]) -> str | None:
    counts = {key: sum(len(name_pattern(n).findall(text)) for n in names) for key, names in candidates.items()}
    best = max(counts.values(), default=0)
    winners = [key for key, count in counts.items() if count == best]
    return winners[0] if best and len(winners) == 1 else None


def expected_for(
    territory: Territory, commune: Commune, landlord: Landlord, programme: Programme | None = None
) -> Expected:
    """What a document built from the instance files must say: a convention, or the avenant of `programme`."""
    if programme is None:
        return Expected(territory, commune.nom, commune, landlord)
    return Expected(territory, commune.nom, commune, landlord, "avenant", programme.annee, programme)
