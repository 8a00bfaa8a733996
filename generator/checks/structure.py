"""Rules on a document's structure: required articles, their numbering, the signature block, fields left empty (but
the date written by hand on a paper original)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from ..inputs.rules import PlaceholderRule, Rules
from ..reading.lines import normalise
from ..text import comparable, visible
from .document import ERROR, SIGNATURE_BLOCK, WHOLE_DOCUMENT, Document, Finding
from .expectations import Expected
from .formalities import intentional_blank
from .headings import plays
from .literals import holds, required
from .text import excerpt, name_pattern


def missing_articles(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    for article in rules.articles(expected.kind):
        if not any(plays(h, article) for h in doc.headings):
            yield Finding(
                "missing-article", ERROR, f"article obligatoire absent : « {article.titre} ».", WHOLE_DOCUMENT, ""
            )


def numbering_gaps(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    previous = 0
    for heading in (h for h in doc.headings if h.number is not None):
        assert heading.number is not None
        text = doc.lines[heading.index].text
        if heading.number == previous:
            message = f"l'article {heading.number} est numéroté deux fois."
        elif heading.number > previous + 1:
            missing = ", ".join(str(n) for n in range(previous + 1, heading.number))
            message = (
                f"numérotation interrompue : l'article {heading.number} suit l'article {previous} ({missing} manque)."
            )
        elif heading.number == 1 and previous > 1:  # Word's list started again: said once, then followed
            message = f"numérotation désordonnée : la numérotation repart à 1 après l'article {previous}."
            yield Finding("numbering-gap", ERROR, message, doc.where(heading.index), text)
            previous = 1
            continue
        elif heading.number < previous:
            message = f"numérotation désordonnée : l'article {heading.number} suit l'article {previous}."
        else:
            previous = heading.number
            continue
        previous = max(previous, heading.number)
        yield Finding("numbering-gap", ERROR, message, doc.where(heading.index), text)


def missing_signatories(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    zone = [doc.lines[i].text for i in doc.signature_zone()]
    text = "\n".join(zone)
    names = comparable(text)  # a person's name in any script, compared after the same normalisation as the text
    landlord_names = expected.landlord.names if expected.landlord else ()
    for rule in rules.signatories:
        motifs = [m for motif in rule.motifs for m in (landlord_names if motif == "{bailleur}" else (motif,))]
        if not motifs:
            continue
        if not any(name_pattern(m).search(text) for m in motifs):
            message = f"bloc de signature absent : {rule.libelle}."
            yield Finding("missing-signatory", ERROR, message, SIGNATURE_BLOCK, "")
            continue
        person = expected.person(rule.role)
        if person and comparable(person) and not name_pattern(comparable(normalise(person))).search(names):
            yield Finding(
                "missing-signatory",
                ERROR,
                f"le bloc de signature de {rule.libelle} ne nomme pas {visible(person)}, en fonction à la date "
                "de la convention.",
                SIGNATURE_BLOCK,
                " / ".join(zone)[:120],
            )


def empty_fields(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    placeholders_in = _placeholder_finder(rules.placeholders)
    for index, line in enumerate(doc.lines):
        for blank in placeholders_in(doc.continued[index], len(line.text)):
            if intentional_blank(doc, expected, index, blank.text):
                continue  # on paper, the date the parties write by hand
            yield Finding(
                "empty-field",
                ERROR,
                f"{blank.message}.",
                doc.where(index),
                excerpt(line.text, blank.start, blank.end),
            )


@dataclass(frozen=True)
class _Blank:
    """A placeholder found in a line: its rule's message, where it is and what it reads."""

    message: str
    start: int
    end: int
    text: str


@cache
def _placeholder_finder(placeholders: tuple[PlaceholderRule, ...]) -> Callable[[str, int], tuple[_Blank, ...]]:
    """What these placeholder rules find in a line, memoised (a document's lines recur in the project's next one); a
    rule is not tried on a text without the characters its matches hold."""
    clauses = [(rule, required(rule.motif)) for rule in placeholders]

    @lru_cache(maxsize=65536)
    def placeholders_in(text: str, length: int) -> tuple[_Blank, ...]:
        """The placeholders starting within the first `length` characters of `text` (a line and its continuation),
        rule by rule, in order."""
        found = []
        for rule, needed in clauses:
            if not holds(text, needed):
                continue
            for match in rule.motif.finditer(text):
                if match.start() >= length:
                    break  # it starts on the next line, which is checked in its turn
                found.append(_Blank(rule.message, match.start(), match.end(), match.group(0)))
        return tuple(found)

    return placeholders_in
