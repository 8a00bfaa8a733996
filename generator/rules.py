"""The check rules as data: required articles, signatories, placeholders and legal references."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .clauses import Clause
from .legal import LegalReference
from .yamldata import read_yaml


@dataclass(frozen=True)
class RequiredArticle:
    """An article every convention must have, recognised by its title or a variant."""

    titre: str
    variantes: tuple[str, ...]

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.titre, *self.variantes)


@dataclass(frozen=True)
class SignatoryRule:
    """A signatory expected in the signature block, recognised by one of its words."""

    role: str
    libelle: str
    motifs: tuple[str, ...]


@dataclass(frozen=True)
class PlaceholderRule:
    """A pattern of text left empty or to be completed."""

    motif: re.Pattern[str]
    message: str


@dataclass(frozen=True)
class Rules:
    """Everything `atfpb check` verifies, read from the project's files."""

    articles: tuple[RequiredArticle, ...]
    known_titles: tuple[str, ...]
    signatories: tuple[SignatoryRule, ...]
    placeholders: tuple[PlaceholderRule, ...]
    references: tuple[LegalReference, ...]


def load_rules(path: Path, shown_as: str, clauses: Sequence[Clause], references: Sequence[LegalReference]) -> Rules:
    """Read controles.yaml; required articles come from the clause library's front matter."""
    fields = read_yaml(path, shown_as).mapping({"signataires", "champs_vides"})
    signatories = tuple(
        SignatoryRule(f["role"].text(), f["libelle"].text(), f["motifs"].text_list())
        for f in (item.mapping({"role", "libelle", "motifs"}) for item in fields["signataires"].items())
    )
    placeholders = []
    for item in fields["champs_vides"].items():
        f = item.mapping({"motif", "message"})
        try:
            pattern = re.compile(f["motif"].text(), re.IGNORECASE)
        except re.error as exc:
            raise f["motif"].error(f"expression régulière invalide ({exc}).") from None
        placeholders.append(PlaceholderRule(pattern, f["message"].text()))
    articles = tuple(RequiredArticle(c.titre, c.variantes) for c in clauses if c.section == "article" and c.obligatoire)
    titles = tuple(t for c in clauses if c.section == "article" for t in (c.titre, *c.variantes))
    return Rules(articles, titles, signatories, tuple(placeholders), tuple(references))
