"""The territory's data as plain immutable values: parties, signatories, QPV, dwellings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ..pending import combined
from ..text import slugify
from ..typography import capitalised, french_of_named, with_article

SIGNATORY_KEYS = ("prefet", "president-epci", "maire", "bailleur")  # the signature table's order


@dataclass(frozen=True)
class Deliberation:
    """A deliberation: its number and its date."""

    numero: str
    date: date


@dataclass(frozen=True)
class Holder:
    """A person holding a role from `du` to `au` (open ends allowed)."""

    civilite: str
    prenom: str
    nom: str
    du: date | None = None
    au: date | None = None

    @property
    def personne(self) -> str:
        return combined(f"{self.civilite} {self.prenom} {self.nom}", self.civilite, self.prenom, self.nom)

    def in_office(self, when: date) -> bool:
        return (self.du is None or self.du <= when) and (self.au is None or when <= self.au)


@dataclass(frozen=True)
class Role:
    """A signatory role ('Maire de Lourches') and the people who held it over time."""

    qualite: str
    article: str  # the role with its article, for sentences: "le Maire de Denain"
    titulaires: tuple[Holder, ...] = ()
    to_confirm: str | None = None  # who holds it is still to confirm (« maire: !a_confirmer »): a PendingText
    par_delegation: Role | None = None  # who signs in its stead (« Pour le Préfet et par délégation »)

    def holder_at(self, when: date) -> Holder | None:
        for holder in self.titulaires:
            if holder.in_office(when):
                return holder
        return None

    @property
    def signing(self) -> Role:
        """The role whose holder signs: the delegate's when the role signs by delegation."""
        return self.par_delegation or self

    @property
    def delegation_formula(self) -> str:
        """« Pour le Préfet et par délégation » (the title without its place), or '' without delegation."""
        if self.par_delegation is None:
            return ""
        title = re.split(r" (?:de |du |des |d')", self.article, maxsplit=1)[0]
        return f"Pour {title} et par délégation"


@dataclass(frozen=True)
class Qpv:
    """A quartier prioritaire of the 2024 geography, with the communes it covers."""

    code: str
    nom: str
    insee_communes: tuple[str, ...]
    noms_communes: tuple[str, ...]

    @property
    def intercommunal(self) -> bool:
        return len(self.insee_communes) > 1


@dataclass(frozen=True)
class Block:
    """A paragraph of a commitment's text, or one of its bulleted lists."""

    texte: str = ""
    liste: tuple[str, ...] = ()


@dataclass(frozen=True)
class Commitment:
    """One of a landlord's commitments: a heading and its paragraphs and lists, in order."""

    titre: str
    blocs: tuple[Block, ...]

    @property
    def texte(self) -> str:
        """The whole text on one line (paragraphs and list items one after the other)."""
        return " ".join(block.texte or " ; ".join(block.liste) for block in self.blocs)


@dataclass(frozen=True)
class Landlord:
    """A social landlord (organisme HLM) of the territory's registry."""

    slug: str
    nom: str
    nom_court: str
    representant: Role
    priorites: tuple[str, ...]
    engagements: tuple[Commitment, ...]
    autres_noms: tuple[str, ...] = ()
    article: str = ""  # « la », « le », « les », « l' », or none (« Partenord Habitat »)
    siren: str = ""  # its identification, when the data gives it
    siege: str = ""
    outil_suivi: str = ""  # the reporting tool it opens to the signatories (« QuartiersPlus »), when named

    @property
    def le(self) -> str:
        """The name in a sentence: « la Société Immobilière du Grand Hainaut », « Partenord Habitat »."""
        return with_article(self.nom, self.article)

    @property
    def de(self) -> str:
        """After « de »: « de la Société Immobilière du Grand Hainaut », « de Partenord Habitat »."""
        return french_of_named(self.nom, self.article)

    @property
    def opening(self) -> str:
        """At the start of a sentence: « La Société Immobilière du Grand Hainaut »."""
        return capitalised(self.le)

    @property
    def names(self) -> tuple[str, ...]:
        """Every way the landlord is written: full name, short name, other known names."""
        return tuple(dict.fromkeys((self.nom, self.nom_court, *self.autres_noms)))

    def is_named(self, name: str) -> bool:
        """Whether `name` designates this landlord: its slug or any of its names, however cased or accented."""
        return slugify(name) in {self.slug, *(slugify(n) for n in self.names)}


@dataclass(frozen=True)
class Holding:
    """A landlord's eligible dwellings in a commune, per QPV code (in file order), and when their convention was
    signed, once it is (the date of its last signature)."""

    bailleur: str  # landlord slug
    logements: tuple[tuple[str, int], ...]
    convention_signee_le: date | None = None


BILAN_VALIDATORS = ("commune", "conseil_municipal", "maire")  # who validates the yearly bilan


@dataclass(frozen=True)
class CommuneOptions:
    """What a commune's conventions say differently from its neighbours' (documented in README.md)."""

    veto: bool = False  # the commune reserves a right of veto over the use of the abatement
    validation_bilan: str = "commune"  # one of BILAN_VALIDATORS
    mise_a_jour_diagnostic: int | None = None  # the year the shared diagnostics are updated, when promised
    comite_technique: bool = True  # the Ville convenes local technical committees
    comite_suivi_local: int = 1  # meetings a year of the local follow-up committee, at least (0: none)
    siren: str = ""
    siege: str = ""


@dataclass(frozen=True)
class Commune:
    """A commune with QPV, its mayor, its deliberation and its landlords' dwellings."""

    slug: str
    nom: str
    insee: str
    maire: Role
    deliberation: Deliberation
    qpv: tuple[Qpv, ...]
    patrimoine: tuple[Holding, ...]
    priorites: tuple[str, ...]
    diagnostic: str
    modalites_locales: tuple[str, ...]
    source: str
    options: CommuneOptions = CommuneOptions()

    def holding(self, landlord_slug: str) -> Holding | None:
        return next((h for h in self.patrimoine if h.bailleur == landlord_slug), None)

    def convention_qpv(self, landlord_slug: str) -> tuple[tuple[str, int], ...] | None:
        """The QPV of this commune's convention with a landlord, and its dwellings; None if there is none."""
        holding = self.holding(landlord_slug)
        if holding is None:
            return None
        return tuple((code, count) for code, count in holding.logements if count > 0)


@dataclass(frozen=True)
class Epci:
    """The intercommunality (EPCI), its president and the department that runs the scheme."""

    nom: str
    nom_officiel: str
    siren: str
    siege: str
    president: Role
    direction: str = ""  # with its article: « la Direction de l'Innovation sociale et de la Cohésion sociale »
    charge_de_suivi: str = ""  # the officer in charge, with its article: « le chef de projet politique de la ville »
    actions_soutenues: tuple[str, ...] = ()  # what it supports under the contract, each « to do » phrase


@dataclass(frozen=True)
class State:
    """The State's representative in the département."""

    departement: str
    prefet: Role
    services: str = ""  # the State's services that follow the conventions, when named


@dataclass(frozen=True)
class CityContract:
    """The Contrat Quartiers 2030 the conventions are annexed to."""

    nom: str
    deliberation: Deliberation
    date_signature: date
    signataires: tuple[str, ...]
    orientations: tuple[str, ...]
    debut: int | None = None
    fin: int | None = None
    axe_atfpb: int | None = None  # the number of the orientation that carries the abatement, when given
    ambitions: tuple[str, ...] = ()  # what the programmes take into account, each a noun phrase
    document_communal: str = ""  # the yearly document declining the contract commune by commune, when named


SIGNATURE_MODES = ("electronique", "papier")


@dataclass(frozen=True)
class Period:
    """The years a convention covers, the date its documents carry and how they are signed."""

    debut: int
    fin: int
    date_document: date
    signature: str = "electronique"  # one of SIGNATURE_MODES


@dataclass(frozen=True)
class Territory:
    """Everything the conventions of one EPCI are made from."""

    epci: Epci
    etat: State
    contrat: CityContract
    periode: Period
    bailleurs: tuple[Landlord, ...]
    communes: tuple[Commune, ...]

    def landlord(self, slug: str) -> Landlord:
        return next(b for b in self.bailleurs if b.slug == slug)

    def landlord_named(self, name: str) -> Landlord | None:
        """The one landlord lookup: by slug, full name, short name or another known name (`autres_noms`)."""
        return next((b for b in self.bailleurs if b.is_named(name)), None)

    def commune_named(self, name: str) -> Commune | None:
        """A commune by its slug or its name, however cased or accented."""
        return self._communes_by_slug.get(slugify(name))

    @cached_property
    def _communes_by_slug(self) -> dict[str, Commune]:
        return {c.slug: c for c in self.communes}


def signatory_roles(territory: Territory, commune: Commune | None, landlord: Landlord | None) -> dict[str, Role | None]:
    """The four signatories' roles as they sign (a delegate's where a role signs by delegation), by key in the signature
    table's order (None where the party is unknown)."""
    roles = (
        territory.etat.prefet,
        territory.epci.president,
        commune.maire if commune else None,
        landlord.representant if landlord else None,
    )
    return dict(zip(SIGNATORY_KEYS, (role.signing if role else None for role in roles), strict=True))


def convention_pairs(territory: Territory, communes: Sequence[Commune]) -> list[tuple[Commune, Landlord]]:
    """Every commune × landlord pair with eligible dwellings, in a stable order."""
    return [
        (commune, territory.landlord(holding.bailleur))
        for commune in communes
        for holding in commune.patrimoine
        if any(count > 0 for _code, count in holding.logements)
    ]
