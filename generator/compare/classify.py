"""What a change touches in the text: a required article's title, an obligation, a legal reference, a signatory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..checks.text import name_pattern
from ..checks.titles import title_matches
from ..inputs.legal import LegalReference
from ..reading.lines import normalise
from ..text import comparable, fold
from .align import ADDED, DELETED, MODIFIED, MOVED, Change
from .units import Text, Unit

ARTICLE, OBLIGATION, REFERENCE, SIGNATORY, DATA, CHECK = (
    "article-obligatoire",
    "obligation",
    "reference-juridique",
    "signataire",
    "donnee",
    "controle",
)
_DONE = {DELETED: "supprimée", ADDED: "ajoutée", MOVED: "déplacée"}
SHORT = 140  # characters of a quoted text in a message
_OBLIGATION = re.compile(
    r"\b(?:s'engagen?t?|s'oblige|doi(?:t|vent)|devr(?:a|ont)|(?:est|sont) tenue?s?|veillen?t?|au plus tard|"
    r"chaque annee|au moins une fois|transmet(?:tent)?|assuren?t?|designen?t?|associen?t?|met(?:tent)? en oeuvre|"
    r"rend(?:ent)? compte|produi(?:t|sent)|fourni(?:t|ssent)|informen?t?|se reuni(?:t|ssent)|communiquen?t?|"
    r"mobilisen?t?|participen?t?|la production|la consolidation)\b"
)


@dataclass(frozen=True)
class Concern:
    """Something a change touches, in French; for a figure of the data, the field it contradicts."""

    kind: str
    message: str
    where: str = ""  # the instance file and position of the field: « instances/communes/lourches.yaml:20:17 »
    field: str = ""  # « bailleurs › Partenord Habitat › logements › QN05954M »
    expected: str = ""  # as the data say
    found: str = ""  # as the received document says

    @property
    def text(self) -> str:
        if self.message or self.kind != DATA:
            return self.message
        return f"{self.where}, {self.field} : {self.expected} selon les données, {self.found} dans le document reçu"


@dataclass(frozen=True)
class Pair:
    """The sent and the received text, and what the documents are about."""

    sent: Text
    received: Text
    kind: str
    required: tuple[tuple[str, ...], ...]  # the titles (and variants) of each required article
    references: tuple[LegalReference, ...]
    signatories: tuple[tuple[str, str, tuple[str, ...]], ...]  # role, label, words that name it
    people: dict[str, tuple[str, str]]  # role -> (person in office, where the data say so)

    def required_article(self, title: str) -> bool:
        return any(title_matches(title, t, loose=True) for titles in self.required for t in titles)


def text_concerns(change: Change, pair: Pair) -> list[Concern]:
    """What a change touches in the text (the data's figures are weighed in figures.py)."""
    rules = (_article_title, _obligation, _references, _signatories)
    return [concern for rule in rules for concern in rule(change, pair)]


def short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def _article_title(change: Change, pair: Pair) -> Iterator[Concern]:
    sent = change.sent
    heading = next((h for h in pair.sent.document.headings if sent and h.index == sent.lines[0]), None)
    if sent is None or heading is None or heading.number is None or not pair.required_article(heading.title):
        return
    if change.kind == DELETED:
        yield Concern(ARTICLE, f"titre de l'article obligatoire « {heading.title} » supprimé.")
    elif change.kind == MODIFIED and change.received and not pair.required_article(_title_part(change.received)):
        yield Concern(ARTICLE, f"titre de l'article obligatoire « {heading.title} » modifié : il n'est plus reconnu.")


def _title_part(unit: Unit) -> str:
    return re.sub(r"^article\s+\d+(?:er)?\s*[-–—:.]?\s*", "", unit.text, flags=re.IGNORECASE)


def _obligation(change: Change, pair: Pair) -> Iterator[Concern]:
    unit = change.sent if change.kind in (DELETED, MODIFIED) else change.received
    if unit is None or unit.article is None or unit.heading:
        return
    text = pair.sent if unit is change.sent else pair.received
    if not (_OBLIGATION.search(fold(unit.text)) or "engagement" in fold(_subheading(text, unit))):
        return
    if change.kind == MODIFIED:
        yield Concern(OBLIGATION, f"obligation modifiée ; elle disait : « {short(unit.text)} »")
    else:
        yield Concern(OBLIGATION, f"obligation {_DONE[change.kind]}.")


def _subheading(text: Text, unit: Unit) -> str:
    """The heading a unit is under (« Engagements de Partenord Habitat »), '' if none."""
    lines = text.document.lines
    return next((lines[i].text for i in range(unit.lines[0] - 1, -1, -1) if lines[i].heading), "")


def _references(change: Change, pair: Pair) -> Iterator[Concern]:
    sent = change.sent.text if change.sent else ""
    received = change.received.text if change.received else ""
    for reference in pair.references:
        if not (cites(sent, reference) or cites(received, reference)):
            continue
        required = " (obligatoire)" if reference.obligatoire else ""
        message = f"touche la référence juridique{required} : {reference.citation}."
        if cites(sent, reference) and not cites(pair.received.document.text, reference):
            message = f"la référence juridique{required} {reference.citation} n'est plus citée."
        yield Concern(REFERENCE, message)


def cites(text: str, reference: LegalReference) -> bool:
    """Whether a text cites a legal reference: by its number, or a code's article and title, or a text's title."""
    folded = fold(text)
    if reference.numero:
        return re.search(rf"(?<![\d-]){re.escape(reference.numero)}(?![\d-])", folded) is not None
    if reference.type == "code":
        return fold(f"article {reference.article} du {reference.titre}") in folded
    return fold(reference.titre) in folded


def _signatories(change: Change, pair: Pair) -> Iterator[Concern]:
    units = [(u, t) for u, t in ((change.sent, pair.sent), (change.received, pair.received)) if u is not None]
    in_block = any(u.lines[0] in t.signature_lines for u, t in units)
    in_parties = any(u.article is None and not u.place.in_margin for u, _t in units)
    if not (in_block or in_parties):
        return
    texts = " ".join(u.text for u, _t in units)
    named = [label for _role, label, words in pair.signatories if words and name_pattern(*words).search(texts)]
    gone = list(_people_gone(change, pair))
    yield from (Concern(SIGNATORY, f"touche un signataire : {label}.") for label in named)
    yield from gone
    if in_block and not (named or gone):
        yield Concern(SIGNATORY, "touche le bloc des signatures.")


def _people_gone(change: Change, pair: Pair) -> Iterator[Concern]:
    """The people in office the sent unit named and the received one no longer does (here, or anywhere)."""
    labels = {role: label for role, label, _words in pair.signatories}
    for role, (person, where) in pair.people.items():
        if _names(change.sent, person) and not _names(change.received, person):
            anywhere = "ici" if _names(pair.received.document.text, person) else "dans le document reçu"
            yield Concern(
                SIGNATORY, f"{labels.get(role, role)} : {person} (selon {where}) n'est plus nommé(e) {anywhere}."
            )


def _names(text: Unit | str | None, person: str) -> bool:
    content = text.text if isinstance(text, Unit) else text or ""
    return name_pattern(comparable(normalise(person))).search(comparable(content)) is not None
