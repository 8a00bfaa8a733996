"""The check rules as data: required articles (with the titles and key phrases that recognise them in documents
written elsewhere), signatories, placeholders, legal references, and the words that give a name or a year its role."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..text import fold
from .clauses import Clause
from .legal import LegalReference
from .yaml_reader import Value, read_yaml

ROLES_FILE = Path(__file__).with_name("roles.yaml")


@dataclass(frozen=True)
class RequiredArticle:
    """An article every convention must have, recognised by its title, a variant, or a key phrase of its title."""

    titre: str
    variantes: tuple[str, ...]
    id: str = ""
    indices: tuple[str, ...] = ()  # folded key phrases: « report », « denonciation »

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.titre, *self.variantes)


@dataclass(frozen=True)
class Recognition:
    """How documents written elsewhere are read: other titles and key phrases of each article (by document kind and
    clause id), institutions that are no party, what a party does when it acts, words of a year of application."""

    titles: Mapping[str, Mapping[str, tuple[str, ...]]]
    key_phrases: Mapping[str, Mapping[str, tuple[str, ...]]]
    institutions: tuple[str, ...]
    acting: tuple[str, ...]
    application_words: tuple[str, ...]


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
    acting: tuple[str, ...] = ()  # verbs of a party acting (« s'engage »), read right after a name
    application_words: tuple[str, ...] = ()  # words making a single year one of the convention's application
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
    known = recognition()
    articles = {
        kind: tuple(_required(c, kind, known) for c in clauses if c.section == "article" and c.obligatoire)
        for kind, clauses in libraries.items()
    }
    titles = {
        kind: tuple(
            t
            for c in clauses
            if c.section in ("article", "annexe")
            for t in (c.titre, *c.variantes, *known.titles.get(kind, {}).get(c.id, ()))
        )
        for kind, clauses in libraries.items()
    }
    cited = fields["noms_cites"].text_list() if "noms_cites" in fields else ()
    period, contract = (
        _national_periods(fields["periode_nationale"])
        if "periode_nationale" in fields
        else ((2025, 2030), (2024, 2030))
    )
    names = tuple(dict.fromkeys((*cited, *known.institutions)))
    return Rules(
        articles,
        titles,
        signatories,
        tuple(placeholders),
        tuple(references),
        cited_names=names,
        national_period=period,
        national_contract=contract,
        acting=known.acting,
        application_words=known.application_words,
    )


def _required(clause: Clause, kind: str, known: Recognition) -> RequiredArticle:
    """A required article with the other titles and key phrases that recognise it in documents written elsewhere."""
    extra = known.titles.get(kind, {}).get(clause.id, ())
    phrases = known.key_phrases.get(kind, {}).get(clause.id, ())
    return RequiredArticle(clause.titre, (*clause.variantes, *extra), clause.id, phrases)


@cache
def recognition(path: Path = ROLES_FILE) -> Recognition:
    """The toolkit's roles.yaml: what recognises articles, institutions, acting parties and years of application."""
    fields = read_yaml(path, path.name).mapping({"articles", "institutions", "agit", "annees_d_application"})
    titles: dict[str, dict[str, tuple[str, ...]]] = {}
    phrases: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind_value, articles in fields["articles"].free_mapping():
        kind = kind_value.text()
        for id_value, article in articles.free_mapping():
            f = article.mapping(set(), {"titres", "indices"})
            titles.setdefault(kind, {})[id_value.text()] = f["titres"].text_list() if "titres" in f else ()
            phrases.setdefault(kind, {})[id_value.text()] = (
                tuple(fold(p) for p in f["indices"].text_list()) if "indices" in f else ()
            )
    return Recognition(
        titles,
        phrases,
        fields["institutions"].text_list(),
        tuple(fold(verb) for verb in fields["agit"].text_list()),
        tuple(fold(word) for word in fields["annees_d_application"].text_list()),
    )


def _national_periods(value: Value) -> tuple[tuple[int, int], tuple[int, int]]:
    """« periode_nationale: {debut: 2025, fin: 2030, contrat_debut: 2024, contrat_fin: 2030} »."""
    f = value.mapping({"debut", "fin", "contrat_debut", "contrat_fin"})
    years = [f[key].integer(2000) for key in ("debut", "fin", "contrat_debut", "contrat_fin")]
    return (years[0], years[1]), (years[2], years[3])
