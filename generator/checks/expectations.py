"""What a document should say: its kind, commune, landlord, people in office and programme, from the instance files
or inferred from its own first lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property

from ..errors import Location
from ..inputs.departements import departements
from ..inputs.epci import epci_reference
from ..inputs.referentials import epci_commune_names, official_communes, qpv_reference
from ..inputs.rules import Rules
from ..model.programme import Programme
from ..model.territory import (
    CityContract,
    Commune,
    Deliberation,
    Epci,
    Landlord,
    Period,
    Role,
    State,
    Territory,
    signatory_roles,
)
from ..pending import UNKNOWN_DATE, PendingDate, PendingText
from ..reading.lines import Line, normalise
from ..text import fold, slugify
from .landlords import landlord_of, landlords_named
from .text import NameIndex, name_pattern

LOCAL, NO_COMMUNE_DATA, NATIONAL = "projet", "commune sans données", "national"


@dataclass(frozen=True)
class Expected:
    """What the document should be about, from the instance files or inferred from its text; `scope` says how much
    local data it was checked against (a project's commune file, a project without one, the national referentials)."""

    territory: Territory
    commune_name: str | None
    commune: Commune | None = None
    landlord: Landlord | None = None
    kind: str = "convention"
    year: int | None = None
    programme: Programme | None = None
    scope: str = LOCAL

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
_KIND = re.compile(r"\b(avenant|convention)\b")
_AVENANT_YEAR = re.compile(r"\b(?:avenant|programme d'actions|programmation|annee|exercice)\b\D{0,40}?\b(20\d\d)\b")


def infer_expected(lines: Sequence[Line], territory: Territory) -> Expected:
    """The kind, commune and landlord a document is about, from its title and parties (first lines)."""
    head = " ".join(line.text for line in lines[:40])
    epci_names = [_bare(name) for name in (territory.epci.nom, territory.epci.nom_officiel) if len(name) > 2]
    if epci_names:  # « Valenciennes Métropole » does not cite Valenciennes
        head = name_pattern(*epci_names).sub(" ", head)
    communes = sorted(epci_commune_names(territory.epci.siren))
    commune_name = _most_cited(head, {name: _written_forms(name) for name in communes})
    landlord_slug = _most_cited(head, {b.slug: b.names for b in territory.bailleurs})
    commune = next((c for c in territory.communes if c.nom == commune_name), None)
    landlord = territory.landlord(landlord_slug) if landlord_slug else None
    kind, year = document_kind(lines)
    return Expected(territory, commune_name, commune, landlord, kind, year)


def infer_national(lines: Sequence[Line], rules: Rules, commune: str | None = None) -> Expected:
    """Outside any project: the commune named (else the most cited among those with a QPV), its EPCI's communes as
    neighbours, the national period; no landlord nor person is known."""
    head = _intercommunalities().blanked(" ".join(line.text for line in lines[:40]))  # not a commune's mention
    by_name = communes_with_quarters()
    name = commune or _most_cited_of(head, _communes_index())
    members = official_communes()
    sirens = [members[insee].siren_epci for insee in by_name.get(name or "", ())]
    epcis = epci_reference()
    cited = [siren for siren in sirens if siren in epcis and name_pattern(epcis[siren].names.nom).search(head)]
    siren = (cited or sirens or [""])[0]
    kind, year = document_kind(lines)
    insee = next((code for code in by_name.get(name or "", ()) if members[code].siren_epci == siren), None)
    known = _national_commune(insee) if insee else None
    own, others = landlords_named(lines)
    landlords = tuple(landlord_of(n) for n in (own, *others) if n)
    territory = _national_territory(siren, rules, landlords, _departement(siren, insee))
    return Expected(territory, name, known, landlords[0] if own else None, kind, year, scope=NATIONAL)


def _departement(siren: str, insee: str | None) -> str:
    """The name of the département of a commune of an EPCI, as the referential gives it ('' if unknown)."""
    entry = epci_reference().get(siren)
    code = next((m.departement for m in entry.members if m.insee == insee), "") if entry and insee else ""
    found = departements().get(code)
    return found.nom if found else ""


def _national_commune(insee: str) -> Commune:
    """A commune as the referentials know it: its name and quarters; its mayor and deliberation are unknown."""
    nom = official_communes()[insee].nom
    unknown = Location("référentiel national")
    return Commune(
        slug=slugify(nom),
        nom=nom,
        insee=insee,
        maire=Role("", "", to_confirm=PendingText("", unknown, "maire")),
        deliberation=Deliberation(PendingText("", unknown, "numero"), PendingDate(UNKNOWN_DATE, unknown, "date")),
        qpv=tuple(q for q in qpv_reference().values() if insee in q.insee_communes),
        patrimoine=(),
        priorites=(),
        diagnostic="",
        modalites_locales=(),
        source="",
    )


@cache
def _intercommunalities() -> NameIndex:
    """Every EPCI's names, short and official (« Valenciennes Métropole » does not cite Valenciennes)."""
    names = {_bare(n) for e in epci_reference().values() for n in (e.names.nom, e.names.nom_officiel) if len(n) > 2}
    return NameIndex(sorted(names))


@cache
def _communes_index() -> tuple[NameIndex, dict[str, str]]:
    """The communes with a quarter, in all their written forms, and the commune each form names."""
    forms = {form: name for name in communes_with_quarters() for form in _written_forms(name)}
    return NameIndex(forms), forms


def _most_cited_of(text: str, index: tuple[NameIndex, dict[str, str]]) -> str | None:
    """The commune most cited in a text, if one is cited more than any other."""
    names, owner = index
    counts: Counter[str] = Counter()
    for form, count in names.counts(text).items():
        counts[owner[form]] += count
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _bare(name: str) -> str:
    """A name without its leading article, as it reads after « du », « de la »: « Grand Avignon »."""
    return normalise(_ARTICLE.sub("", name))


def _written_forms(name: str) -> tuple[str, ...]:
    """How a commune's name is written in a sentence: « Le Pontet », and « du Pontet » after « Ville »."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if name.startswith(article):
            return (name, contracted + name[len(article) :])
    return (name,)


@cache
def communes_with_quarters() -> dict[str, tuple[str, ...]]:
    """The communes of France that have a QPV and belong to an EPCI, by name (a name may be several communes')."""
    members = official_communes()
    names: dict[str, list[str]] = {}
    for qpv in qpv_reference().values():
        for insee in qpv.insee_communes:
            if insee in members and insee not in names.get(members[insee].nom, []):
                names.setdefault(members[insee].nom, []).append(insee)
    return {name: tuple(codes) for name, codes in names.items()}


def _national_territory(
    siren: str, rules: Rules, landlords: tuple[Landlord, ...] = (), departement: str = ""
) -> Territory:
    """What the referentials say of an EPCI, as a territory with the landlords the document names, no person, and the
    national years."""
    entry = epci_reference().get(siren)
    nom, official = (entry.names.nom, entry.names.nom_officiel) if entry else ("", "")
    (first, last), (contract_first, contract_last) = rules.national_period, rules.national_contract
    unknown_role = Role("", "")
    contract = CityContract(
        "", Deliberation("", date(first, 1, 1)), date(first, 1, 1), (), (), contract_first, contract_last
    )
    return Territory(
        Epci(nom, official, siren, "", unknown_role),
        State(departement, unknown_role),
        contract,
        Period(first, last, date(first, 1, 1)),
        landlords,
        (),
    )


def document_kind(lines: Sequence[Line]) -> tuple[str, int | None]:
    """'avenant' and its year when the title says so before it says « convention » (« Avenant 2026 à la convention…
    — programme d'actions 2026 »), else 'convention'."""
    title = fold(" ".join(line.text for line in lines[:8] if not line.place.in_margin))
    first = _KIND.search(title)
    if not first or first.group(1) != "avenant":
        return "convention", None
    year = _AVENANT_YEAR.search(title, first.start())
    return "avenant", int(year.group(1)) if year else None


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
