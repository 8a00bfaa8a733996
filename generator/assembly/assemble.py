"""Pure assembly: territory data + clause library + date -> a numbered, resolved document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markdown_it.token import Token

from ..errors import Collector
from ..inputs.clauses import Clause
from ..inputs.legal import LegalReference
from ..model.programme import Programme
from ..model.territory import SIGNATORY_KEYS, Commune, Landlord, Territory, signatory_roles
from ..typography import french_of, typeset
from .blocks import clause_tokens
from .context import avenant_context, convention_context, signatory_fields
from .document import Article, AssembledDocument, Signatory
from .jinja import UnknownReference, compile_template, evaluate, make_environment, render


@dataclass(frozen=True)
class _Texts:
    """What a document says about itself (title, the page header's short title, subject), set in French."""

    title: str
    short_title: str
    subject: str

    def __post_init__(self) -> None:
        for name in ("title", "short_title", "subject"):
            object.__setattr__(self, name, typeset(getattr(self, name)))


def assemble_convention(
    territory: Territory,
    commune: Commune,
    landlord: Landlord,
    clauses: Sequence[Clause],
    references: Sequence[LegalReference],
) -> AssembledDocument:
    """Assemble the convention of one commune and one landlord at the territory's document date."""
    when = territory.periode.date_document
    years = f"{territory.periode.debut}-{territory.periode.fin}"
    texts = _Texts(
        title=f"Convention d'utilisation de l'ATFPB — Ville {french_of(commune.nom)} — {landlord.nom}",
        short_title=f"Convention ATFPB {years} — {commune.nom} — {landlord.nom_court}",  # one line, any landlord
        subject=f"Ville {french_of(commune.nom)}, {landlord.nom}, {years}",
    )
    context = convention_context(territory, commune, landlord, references, when)
    return _assemble("convention", None, territory, commune, landlord, clauses, context, when, texts)


def assemble_avenant(
    territory: Territory,
    commune: Commune,
    landlord: Landlord,
    programme: Programme,
    clauses: Sequence[Clause],
    references: Sequence[LegalReference],
) -> AssembledDocument:
    """Assemble the avenant carrying a year's programme of actions, with every total computed here."""
    when = programme.document_date
    year, town = programme.annee, f"Ville {french_of(commune.nom)}"
    number = programme.number(territory.periode.debut)
    texts = _Texts(
        title=f"Avenant n° {number} à la convention d'utilisation de l'ATFPB — {town} — {landlord.nom}",
        # the page header names the year's avenant as staff call it (« avenant 2026 ») and its number
        short_title=f"Avenant {year} (n° {number}) ATFPB — {commune.nom} — {landlord.nom_court}",
        subject=f"Avenant n° {number}, programme d'actions {year} — Ville {french_of(commune.nom)}, {landlord.nom}",
    )
    context = avenant_context(territory, commune, landlord, programme, references, when)
    return _assemble("avenant", year, territory, commune, landlord, clauses, context, when, texts)


def _assemble(
    kind: str,
    year: int | None,
    territory: Territory,
    commune: Commune,
    landlord: Landlord,
    clauses: Sequence[Clause],
    context: dict[str, Any],
    when: date,
    texts: _Texts,
) -> AssembledDocument:
    environment = make_environment(markdown=True)
    applicable = [
        c for c in clauses if not c.condition or evaluate(environment, c.condition, context, c.condition_location)
    ]
    numbers = {c.id: n for n, c in enumerate((c for c in applicable if c.section == "article"), start=1)}
    context = {**context, "article": _article_reference(numbers, {c.id for c in clauses})}
    problems = Collector()
    rendered: list[tuple[Clause, tuple[Token, ...]]] = []
    for clause in applicable:
        tokens = problems.attempt(lambda clause=clause: _render_clause(environment, clause, context))  # type: ignore[misc]
        if tokens is not None:
            rendered.append((clause, tokens))
    problems.raise_any()
    articles = tuple(
        Article(numbers[c.id], c.id, typeset(c.titre), tokens, c.file)
        for c, tokens in rendered
        if c.section == "article"
    )
    annexes = tuple(
        Article(n, c.id, typeset(c.titre), tokens, c.file, landscape=c.paysage)
        for n, (c, tokens) in enumerate(((c, t) for c, t in rendered if c.section == "annexe"), start=1)
    )
    return AssembledDocument(
        kind=kind,
        commune=commune.slug,
        bailleur=landlord.slug,
        date=when,
        title=texts.title,
        short_title=texts.short_title,
        subject=texts.subject,
        author=typeset(territory.epci.nom),
        keywords=tuple(code for code, _count in commune.convention_qpv(landlord.slug) or ()),
        sections=tuple((c.section, tokens) for c, tokens in rendered if c.section not in ("article", "annexe")),
        articles=articles,
        signatories=_signatories(territory, commune, landlord, when),
        year=year,
        annexes=annexes,
    )


def _render_clause(environment: Any, clause: Clause, context: dict[str, Any]) -> tuple[Token, ...]:
    template = compile_template(environment, clause.body, clause.file, clause.body_line)
    markdown = render(template, context, clause.file)
    return clause_tokens(markdown)


def _article_reference(numbers: dict[str, int], known: set[str]) -> Any:
    def article(clause_id: str) -> str:
        if clause_id not in numbers:
            if clause_id in known:
                raise UnknownReference(f"{clause_id} (cette clause ne s'applique pas à ce document)")
            raise UnknownReference(clause_id)
        return f"article {numbers[clause_id]}"

    return article


def _signatories(territory: Territory, commune: Commune, landlord: Landlord, when: date) -> tuple[Signatory, ...]:
    """The signature table's cells: each party, who signs for it (by delegation, if so) and the person in office at
    the document's date."""
    parties = ("l'État", territory.epci.nom, f"la Ville {french_of(commune.nom)}", landlord.le)
    principals = (territory.etat.prefet, territory.epci.president, commune.maire, landlord.representant)
    signing = signatory_roles(territory, commune, landlord)
    cells = []
    for key, partie, principal in zip(SIGNATORY_KEYS, parties, principals, strict=True):
        role = signing[key]
        assert role is not None  # every party is known in a document being assembled
        fields = signatory_fields(role, when)
        texts = (partie, fields["qualite"], fields["personne"], principal.delegation_formula)
        cells.append(Signatory(key, *(typeset(text) for text in texts)))
    return tuple(cells)
