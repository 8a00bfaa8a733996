"""The assembled document: numbered articles, resolved sections and signatories, ready for the Word renderer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markdown_it.token import Token

from ..model.charts import BarChart


@dataclass(frozen=True)
class Article:
    """A numbered article: its clause, its title and its body tokens."""

    number: int
    clause_id: str
    titre: str
    tokens: tuple[Token, ...]
    source: str
    landscape: bool = False


@dataclass(frozen=True)
class Signatory:
    """One cell of the signature table: the party, who signs for it (the role and the person in office at the
    document date) and, when it signs by delegation, the formula saying so."""

    key: str
    partie: str
    qualite: str
    personne: str
    delegation: str = ""  # « Pour le Préfet et par délégation »


DRAFT_MENTION = "PROJET — document de travail, non signé"


@dataclass(frozen=True)
class Edition:
    """A draft (no version) or the numbered final version to be signed."""

    version: int | None = None

    @property
    def final(self) -> bool:
        return self.version is not None

    @property
    def mention(self) -> str:
        """What the page header says before the title."""
        return f"{self.status} — "

    @property
    def status(self) -> str:
        """« PROJET — document de travail, non signé » or « Version 2 » (also the Word file's status)."""
        return f"Version {self.version}" if self.final else DRAFT_MENTION

    @property
    def suffix(self) -> str:
        return f"-v{self.version}" if self.final else ""


@dataclass(frozen=True)
class AssembledDocument:
    """Everything the Word renderer needs, already decided."""

    kind: str
    commune: str
    bailleur: str
    date: date
    title: str
    short_title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    sections: tuple[tuple[str, tuple[Token, ...]], ...]
    articles: tuple[Article, ...]
    signatories: tuple[Signatory, ...]
    year: int | None = None
    annexes: tuple[Article, ...] = ()
    charts: tuple[BarChart, ...] = ()  # drawn by the renderer where a clause's image names them

    def section(self, name: str) -> tuple[Token, ...]:
        return tuple(token for key, tokens in self.sections if key == name for token in tokens)
