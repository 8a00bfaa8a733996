"""The check rules as data: required articles, signatories, placeholders and legal references."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .clauses import Clause
from .legal import LegalReference
from .yaml_reader import Value, read_yaml


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

    articles_by_kind: dict[str, tuple[RequiredArticle, ...]]
    titles_by_kind: dict[str, tuple[str, ...]]
    signatories: tuple[SignatoryRule, ...]
    placeholders: tuple[PlaceholderRule, ...]
    references: tuple[LegalReference, ...]
    cited_names: tuple[str, ...] = ()  # proper names the clauses cite that designate no party
    national_period: tuple[int, int] = (2025, 2030)  # the conventions' years, checking a document without a project
    national_contract: tuple[int, int] = (2024, 2030)  # and the contracts' (Contrats de ville 2024-2030)

    def articles(self, kind: str) -> tuple[RequiredArticle, ...]:
        return self.articles_by_kind.get(kind, ())

    def known_titles(self, kind: str) -> tuple[str, ...]:
        return self.titles_by_kind.get(kind, ())


def load_rules(
    path: Path, shown_as: str, libraries: Mapping[str, Sequence[Clause]], references: Sequence[LegalReference]
) -> Rules:
    """Read controles.yaml; required articles come from each clause library's front matter (by document kind)."""
    fields = read_yaml(path, shown_as).mapping({"signataires", "champs_vides"}, {"noms_cites", "periode_nationale"})
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
    articles = {
        kind: tuple(RequiredArticle(c.titre, c.variantes) for c in clauses if c.section == "article" and c.obligatoire)
        for kind, clauses in libraries.items()
    }
    titles = {
        kind: tuple(t for c in clauses if c.section in ("article", "annexe") for t in (c.titre, *c.variantes))
        for kind, clauses in libraries.items()
    }
    cited = fields["noms_cites"].text_list() if "noms_cites" in fields else ()
    period, contract = (
        _national_periods(fields["periode_nationale"])
        if "periode_nationale" in fields
        else ((2025, 2030), (2024, 2030))
    )
    return Rules(articles, titles, signatories, tuple(placeholders), tuple(references), tuple(cited), period, contract)


def _national_periods(value: Value) -> tuple[tuple[int, int], tuple[int, int]]:
    """« periode_nationale: {debut: 2025, fin: 2030, contrat_debut: 2024, contrat_fin: 2030} »."""
    f = value.mapping({"debut", "fin", "contrat_debut", "contrat_fin"})
    years = [f[key].integer(2000) for key in ("debut", "fin", "contrat_debut", "contrat_fin")]
    return (years[0], years[1]), (years[2], years[3])
