"""The corpus's documents as plain values: a case (who and where), a draft (what it says, in order)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Quarter:
    """A QPV of a convention: its code, name, the convention's dwellings in it, the other communes it spans."""

    code: str
    name: str
    dwellings: int
    shared_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    """The facts of one convention: territory, commune, landlord, quarters and the people or roles who sign."""

    commune: str
    de_commune: str  # « de Lourches », « d'Escaudain »
    epci: str
    de_epci: str  # « de La Porte du Hainaut », « du Grand Avignon »
    seat: str  # where the EPCI sits and the documents are signed
    prefet: str  # « le Préfet du Nord »
    landlord: str
    landlord_kind: str  # « office public de l'habitat »
    representative: str  # the landlord's signatory's role
    quarters: tuple[Quarter, ...]
    prefet_name: str = ""  # a person only where a public source names one
    president_name: str = ""
    maire_name: str = ""
    representative_name: str = ""
    epci_deliberation: str = ""  # « D 24071 du 8 avril 2024 »
    contract_signed: str = ""  # « le 10 avril 2024 »
    council_date: str = ""  # the municipal deliberation's date, when public


@dataclass
class Block:
    """A paragraph, a list (bulleted or numbered), a table or a sub-heading of an article."""

    kind: str  # "p", "bullets", "numbers", "table", "sub"
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Article:
    role: str
    title: str
    blocks: list[Block]
    number: int | None = None  # a number written by hand (a defect may skip one); None: counted
    restart: bool = False  # Word's list numbering started again at this article (a defect)


@dataclass
class Signatory:
    party: str  # « Pour l'État, »
    role: str  # « le Préfet du Nord »
    person: str = ""


@dataclass
class Draft:
    """What a document says, in order, before a house style lays it out."""

    kind: str  # convention or avenant
    title: list[str]
    parties: list[str]
    visas: list[str]
    articles: list[Article]
    place_date: str
    signatories: list[Signatory]
