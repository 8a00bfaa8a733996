"""Pure assembly: territory data + clause library + date -> a numbered, resolved document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from markdown_it.token import Token

from .clauses import Clause, parse_markdown
from .errors import AtfpbError, raise_all
from .legal import LegalReference
from .model import Commune, Landlord, Role, Territory
from .programme import AXES, Programme
from .templating import UnknownReference, compile_template, evaluate, make_environment, render
from .typography import french_of, french_spacing

SIGNATORY_KEYS = ("prefet", "president-epci", "maire", "bailleur")


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
    """One cell of the signature table: the role and the person in office at the document date."""

    key: str
    partie: str
    qualite: str
    personne: str


@dataclass(frozen=True)
class Edition:
    """A draft (no version) or the numbered final version to be signed."""

    version: int | None = None

    @property
    def final(self) -> bool:
        return self.version is not None

    @property
    def mention(self) -> str:
        return f"Version {self.version} — " if self.final else "PROJET — document de travail, non signé — "

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

    def section(self, name: str) -> tuple[Token, ...]:
        return tuple(token for key, tokens in self.sections if key == name for token in tokens)


@dataclass(frozen=True)
class _Texts:
    """What a document says about itself: titles, subject, keywords."""

    title: str
    short_title: str
    subject: str


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
        short_title=f"Convention ATFPB {years} — {commune.nom} — {landlord.nom}",
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
    when = programme.date_document or date(programme.annee, 4, 30)
    year, town = programme.annee, f"Ville {french_of(commune.nom)}"
    texts = _Texts(
        title=f"Avenant {year} à la convention d'utilisation de l'ATFPB — {town} — {landlord.nom}",
        short_title=f"Avenant ATFPB {year} — {commune.nom} — {landlord.nom}",
        subject=f"Programme d'actions {year} — Ville {french_of(commune.nom)}, {landlord.nom}",
    )
    context = {
        **convention_context(territory, commune, landlord, references, when),
        "annee": year,
        "annee_precedente": year - 1,
        "annee_suivante": year + 1,
        "convention": {"date": territory.periode.date_document},
        "programme": programme_fields(programme, commune),
    }
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
    problems: list[AtfpbError] = []
    rendered: list[tuple[Clause, tuple[Token, ...]]] = []
    for clause in applicable:
        try:
            rendered.append((clause, _render_clause(environment, clause, context)))
        except AtfpbError as error:
            problems.append(error)
    raise_all(problems)
    articles = tuple(
        Article(numbers[c.id], c.id, french_spacing(c.titre), tokens, c.file)
        for c, tokens in rendered
        if c.section == "article"
    )
    annexes = tuple(
        Article(n, c.id, french_spacing(c.titre), tokens, c.file, landscape=c.paysage)
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
        author=territory.epci.nom,
        keywords=tuple(code for code, _count in _holding(commune, landlord.slug)),
        sections=tuple((c.section, tokens) for c, tokens in rendered if c.section not in ("article", "annexe")),
        articles=articles,
        signatories=_signatories(territory, commune, landlord, when),
        year=year,
        annexes=annexes,
    )


def _render_clause(environment: Any, clause: Clause, context: dict[str, Any]) -> tuple[Token, ...]:
    template = compile_template(environment, clause.body, clause.file, clause.body_line)
    markdown = render(template, context, clause.file)
    return tuple(_french_typography(parse_markdown(markdown)))


def _french_typography(tokens: list[Token]) -> list[Token]:
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = french_spacing(child.content)
    return tokens


def _article_reference(numbers: dict[str, int], known: set[str]) -> Any:
    def article(clause_id: str) -> str:
        if clause_id not in numbers:
            if clause_id in known:
                raise UnknownReference(f"{clause_id} (cette clause ne s'applique pas à ce document)")
            raise UnknownReference(clause_id)
        return f"article {numbers[clause_id]}"

    return article


# --- context -----------------------------------------------------------------------------
def convention_context(
    territory: Territory, commune: Commune, landlord: Landlord, references: Sequence[LegalReference], when: date
) -> dict[str, Any]:
    """The fields a convention clause can use (documented in clauses/README.md), people named as at `when`."""
    qpvs = _qpv_rows(commune, landlord)
    epci, contrat = territory.epci, territory.contrat
    return {
        "commune": {
            "nom": commune.nom,
            "insee": commune.insee,
            "maire": _signatory_fields(commune.maire, when),
            "deliberation": _deliberation_fields(commune.deliberation),
            "priorites": list(commune.priorites),
            "diagnostic": commune.diagnostic,
            "modalites_locales": list(commune.modalites_locales),
        },
        "bailleur": {
            "nom": landlord.nom,
            "nom_court": landlord.nom_court,
            "representant": _signatory_fields(landlord.representant, when),
            "priorites": list(landlord.priorites),
            "engagements": [{"titre": e.titre, "texte": e.texte} for e in landlord.engagements],
        },
        "epci": {
            "nom": epci.nom,
            "nom_officiel": epci.nom_officiel,
            "siren": epci.siren,
            "siege": epci.siege,
            "president": _signatory_fields(epci.president, when),
        },
        "etat": {"departement": territory.etat.departement, "prefet": _signatory_fields(territory.etat.prefet, when)},
        "contrat": {
            "nom": contrat.nom,
            "deliberation": _deliberation_fields(contrat.deliberation),
            "date_signature": contrat.date_signature,
            "signataires": list(contrat.signataires),
            "orientations": list(contrat.orientations),
        },
        "qpvs": qpvs,
        "total_logements": sum(q["logements"] for q in qpvs),
        "qpv_intercommunal": any(q["intercommunal"] for q in qpvs),
        "periode": {"debut": territory.periode.debut, "fin": territory.periode.fin},
        "date_document": when,
        "lieu_signature": commune.nom,
        "references": {r.id: _reference_fields(r) for r in references},
        "references_liste": [_reference_fields(r) for r in references],
    }


def _holding(commune: Commune, landlord_slug: str) -> tuple[tuple[str, int], ...]:
    """The QPV of the convention of this commune and landlord, with their dwellings (it exists here)."""
    return commune.convention_qpv(landlord_slug) or ()


def _qpv_rows(commune: Commune, landlord: Landlord) -> list[dict[str, Any]]:
    by_code = {q.code: q for q in commune.qpv}
    rows = []
    for code, count in _holding(commune, landlord.slug):
        qpv = by_code[code]
        others = [
            name for insee, name in zip(qpv.insee_communes, qpv.noms_communes, strict=True) if insee != commune.insee
        ]
        rows.append(
            {
                "code": qpv.code,
                "nom": qpv.nom,
                "logements": count,
                "intercommunal": qpv.intercommunal,
                "autres_communes": others,
            }
        )
    return rows


def _signatory_fields(role: Role, when: date) -> dict[str, str]:
    holder = role.holder_at(when)
    personne = holder.personne if holder else ""
    return {
        "qualite": role.qualite,
        "personne": personne,
        "designation": f"{personne}, {role.qualite}" if holder else role.article,
    }


def _deliberation_fields(deliberation: Any) -> dict[str, Any]:
    return {"numero": deliberation.numero, "date": deliberation.date}


def _reference_fields(reference: LegalReference) -> dict[str, Any]:
    return {
        "id": reference.id,
        "citation": reference.citation,
        "titre": reference.titre,
        "numero": reference.numero,
        "date": reference.date,
        "article": reference.article,
    }


def _signatories(territory: Territory, commune: Commune, landlord: Landlord, when: date) -> tuple[Signatory, ...]:
    parties = (
        ("l'État", territory.etat.prefet),
        (territory.epci.nom, territory.epci.president),
        (f"la Ville {french_of(commune.nom)}", commune.maire),
        (landlord.nom, landlord.representant),
    )
    cells = []
    for key, (partie, role) in zip(SIGNATORY_KEYS, parties, strict=True):
        fields = _signatory_fields(role, when)
        cells.append(Signatory(key, partie, fields["qualite"], fields["personne"]))
    return tuple(cells)


def convention_pairs(territory: Territory, communes: Sequence[Commune]) -> list[tuple[Commune, Landlord]]:
    """Every commune × landlord pair with eligible dwellings, in a stable order."""
    return [
        (commune, territory.landlord(holding.bailleur))
        for commune in communes
        for holding in commune.patrimoine
        if any(count > 0 for _code, count in holding.logements)
    ]


def programme_fields(programme: Programme, commune: Commune) -> dict[str, Any]:
    """The programme as the avenant's clauses see it: by axis, by QPV, with every total computed here."""
    names = {q.code: q.nom for q in commune.qpv}
    zero = Decimal("0.00")
    actions: list[dict[str, Any]] = []
    for number, action in enumerate(programme.actions, start=1):
        cofinancing = sum((c.montant for c in action.cofinancements), zero)
        actions.append(
            {
                "numero": number,
                "axe": action.axe,
                "intitule_axe": AXES[action.axe - 1],
                "titre": action.titre,
                "description": action.description,
                "qpv": [
                    {"code": code, "nom": names.get(code, code), "montant": amount}
                    for code, amount in action.repartition
                ],
                "cout_total": action.cout_total,
                "montant_valorise": action.montant_valorise,
                "cofinancements": [{"financeur": c.financeur, "montant": c.montant} for c in action.cofinancements],
                "total_cofinancement": cofinancing,
                "indicateurs": action.indicateurs,
                "calendrier": action.calendrier,
                "pluriannuelle": action.pluriannuelle,
            }
        )
    axes = [
        {
            "numero": n,
            "intitule": label,
            "actions": [a for a in actions if a["axe"] == n],
            "total_valorise": sum((a["montant_valorise"] for a in actions if a["axe"] == n), zero),
            "total_cout": sum((a["cout_total"] for a in actions if a["axe"] == n), zero),
        }
        for n, label in enumerate(AXES, start=1)
    ]
    abatement, carried = dict(programme.abattement), dict(programme.report)
    qpvs: list[dict[str, Any]] = []
    for code, _dwellings in _holding(commune, programme.bailleur):
        per_axis = [
            sum((q["montant"] for a in actions if a["axe"] == n for q in a["qpv"] if q["code"] == code), zero)
            for n in range(1, len(AXES) + 1)
        ]
        available = abatement.get(code, zero) + carried.get(code, zero)
        valued = sum(per_axis, zero)
        qpvs.append(
            {
                "code": code,
                "nom": names.get(code, code),
                "abattement": abatement.get(code, zero),
                "report": carried.get(code, zero),
                "disponible": available,
                "valorise": valued,
                "ecart": available - valued,
                "par_axe": per_axis,
            }
        )
    totals = {key: sum((q[key] for q in qpvs), zero) for key in ("abattement", "report", "disponible", "valorise")}
    gap = totals["disponible"] - totals["valorise"]
    return {
        "axes": axes,
        "axes_actifs": [a for a in axes if a["actions"]],
        "actions": actions,
        "qpvs": qpvs,
        "total_abattement": totals["abattement"],
        "total_report": totals["report"],
        "total_disponible": totals["disponible"],
        "total_valorise": totals["valorise"],
        "total_cout": sum((a["cout_total"] for a in actions), zero),
        "total_cofinancement": sum((a["total_cofinancement"] for a in actions), zero),
        "ecart": gap,
        "report_propose": max(gap, zero),
        "depassement": max(-gap, zero),
    }
