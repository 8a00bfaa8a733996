"""Rules on legal references: numbers, dates, titles and articles of the texts cited, and those required."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ..inputs.legal import LegalReference
from ..inputs.rules import Rules
from ..text import fold
from ..typography import MONTHS, french_date
from .document import ERROR, WHOLE_DOCUMENT, Document, Finding
from .expectations import Expected
from .text import excerpt

_LAW_WORDS = ("loi", "décret", "decret", "ordonnance")
_LAW = re.compile(rf"({'|'.join(_LAW_WORDS)})\s+n°\s*(\d{{4}}-\d{{1,4}})", re.IGNORECASE)
_DATE = re.compile(r"^\s*du\s+(1er|\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
_ARTICLE_BEFORE = re.compile(r"article\s+([\w ]+?)\s+(?:de\s+la|du)\s+$", re.IGNORECASE)


def legal_references(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    text = doc.text
    by_number = {r.numero: r for r in rules.references if r.numero}
    for match in _citations(text):
        index = doc.line_at(match.start())
        number, reference = match.group(2), by_number.get(match.group(2))
        shown = excerpt(text, match.start(), match.end())
        if reference is None:
            close = _near_miss(number, by_number)
            if close:
                yield Finding(
                    "wrong-legal-reference",
                    ERROR,
                    f"numéro de texte erroné « {number} » : s'agit-il de {close.citation} ?",
                    doc.where(index),
                    shown,
                )
            continue
        yield from _check_citation(doc, text, match, reference, index)
    for reference in (r for r in rules.references if r.obligatoire):
        if not _cited(text, doc.folded, reference):
            yield Finding(
                "missing-legal-reference",
                ERROR,
                f"référence obligatoire absente : {reference.citation}.",
                WHOLE_DOCUMENT,
                "",
            )


def _citations(text: str) -> Iterator[re.Match[str]]:
    """`_LAW.finditer(text)`, the pattern tried only where a match may start: each match holds one « ° » (its « n° »),
    after its word and the spaces before « n », so it starts as many letters as one of the words has before those
    spaces (re tries the pattern at every character otherwise)."""
    starts = sorted({start for degree in _positions(text, "°") for start in _starts_before(text, degree)})
    end = 0
    for start in starts:
        if start >= end and (found := _LAW.match(text, start)):
            yield found
            end = found.end()


def _positions(text: str, char: str) -> Iterator[int]:
    position = text.find(char)
    while position >= 0:
        yield position
        position = text.find(char, position + 1)


def _starts_before(text: str, degree: int) -> list[int]:
    """Where a citation whose « n° » ends at `degree` may start: before the spaces before its « n », as many
    characters back as one of `_LAW`'s words has (a word ends with a letter: the spaces are all those there)."""
    spaces = degree - 1
    while spaces > 0 and text[spaces - 1].isspace():  # \s is str.isspace
        spaces -= 1
    if spaces == degree - 1:
        return []
    return [spaces - length for length in _WORD_LENGTHS if spaces >= length]


_WORD_LENGTHS = sorted({len(word) for word in _LAW_WORDS})  # re.IGNORECASE keeps a word's length


def _check_citation(
    doc: Document, text: str, match: re.Match[str], reference: LegalReference, index: int
) -> Iterator[Finding]:
    after = text[match.end() : match.end() + 300]
    shown = excerpt(text, match.start(), match.end() + 60)
    dated = _DATE.match(after)
    if dated and reference.date:
        day = 1 if dated.group(1).lower() == "1er" else int(dated.group(1))
        cited = (int(dated.group(3)), MONTHS.index(dated.group(2).lower()) + 1, day)
        if cited != (reference.date.year, reference.date.month, reference.date.day):
            yield Finding(
                "wrong-legal-reference",
                ERROR,
                f"date erronée pour le texte n° {reference.numero} : il est du {french_date(reference.date)}.",
                doc.where(index),
                shown,
            )
        title_text = fold(after[dated.end() :]).lstrip(" ,")
        expected_title = fold(reference.titre)
        head = title_text[: len(expected_title)]
        if (
            not title_text.startswith(expected_title)
            and difflib.SequenceMatcher(None, head, expected_title).ratio() >= 0.7
        ):
            yield Finding(
                "wrong-legal-reference",
                ERROR,
                f"titre erroné pour le texte n° {reference.numero} : « {reference.titre} ».",
                doc.where(index),
                shown,
            )
    article = _ARTICLE_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
    if article and reference.article and fold(article.group(1)) != fold(reference.article):
        yield Finding(
            "wrong-legal-reference",
            ERROR,
            f"article erroné : c'est l'article {reference.article} du texte n° {reference.numero} "
            f"qui s'applique, pas l'article {article.group(1)}.",
            doc.where(index),
            shown,
        )


def _near_miss(number: str, known: dict[str, LegalReference]) -> LegalReference | None:
    year, _, serial = number.partition("-")
    for candidate, reference in known.items():
        other_year, _, other_serial = candidate.partition("-")
        if year == other_year and _distance(serial, other_serial) <= 2:
            return reference
    return None


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _cited(text: str, folded: str, reference: LegalReference) -> bool:
    """Cited by its number, or a law by its date or its title (« la loi du 21 février 2014 de programmation pour la
    ville… », « la loi de finances pour 2024 »), a code's article however worded (« son article 1388 bis »)."""
    if reference.numero and re.search(rf"n°\s*{re.escape(reference.numero)}(?!\d)", text):
        return True
    if reference.numero:
        dated = f" du {fold(french_date(reference.date))}" if reference.date else None
        kind = "loi" if reference.type == "loi" else "decret"
        return (dated is not None and f"{kind}{dated}" in folded) or f"{kind} {fold(reference.titre)}" in folded
    if reference.type == "code":
        article = re.escape(fold(reference.article))
        return fold(reference.titre) in folded and re.search(rf"\barticles?\s+{article}\b", folded) is not None
    return fold(reference.motif) in folded
