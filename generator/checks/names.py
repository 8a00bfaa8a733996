"""Rules on names: other communes or landlords named as parties."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from ..inputs.referentials import qpv_reference
from ..inputs.rules import Rules
from ..text import fold
from .document import ERROR, Document, Finding
from .expectations import Expected
from .parties import acting, in_shared_quarter_sentence, visa_lines
from .scan import blanked, names_scan, spans
from .text import capitalised, excerpt, name_pattern, name_source


def foreign_parties(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    yield from _foreign_communes(doc, expected, rules)
    yield from _foreign_landlords(doc, expected, rules)


def _foreign_communes(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    """Other communes of the EPCI acting as parties, read over the whole text: a name may run over two lines."""
    if not expected.foreign_communes:
        return
    text = doc.text
    everyone = _territory_communes(expected)
    present = _sieve(everyone).present(expected.foreign_communes, doc)  # a fast first sieve
    if not present:
        return
    quarters = _quarters_naming_communes(expected.foreign_communes, everyone)
    written_right = tuple(sorted(set(expected.names_written_right + rules.cited_names)))
    lines = doc.scanned
    for names in (quarters, written_right):  # « Saint-Rambert-d'Albon » names no Albon
        lines = blanked(names_scan(*names), lines) if names else lines
    masked = " ".join(lines.texts)
    owners = {fold(name): name for name in present}
    contexts = _quarter_contexts(expected.foreign_communes, everyone)
    for start, end in spans(names_scan(*present), lines):
        found = masked[start:end]
        name = owners[fold(found)]
        if (
            not capitalised(found)
            or _inside_quarter_name(text, start, end, found, contexts)
            or _designation(text, start)
            or in_shared_quarter_sentence(text, start, end, expected.neighbours.get(name, ()))
        ):
            continue
        why = acting(doc, text, start, end, rules.acting, landlord=False)
        if why:
            yield Finding(
                "foreign-party",
                ERROR,
                f"la commune « {name} » n'est pas partie à cette convention ; elle y est nommée {why}.",
                doc.where(doc.line_at(start)),
                excerpt(text, start, end),
            )


def _foreign_landlords(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    """Other landlords of the territory acting as parties (a visa cites the contract's signatories)."""
    names = [n for b in expected.foreign_landlords for n in b.names]
    if not names:
        return
    owners = {fold(n): b.nom for b in expected.foreign_landlords for n in b.names}
    text, visas = doc.text, visa_lines(doc)
    for start, end in spans(names_scan(*names), doc.scanned):
        index = doc.line_at(start)
        if not capitalised(text[start:end]) or index in visas:
            continue
        why = acting(doc, text, start, end, rules.acting, landlord=True)
        if why:
            yield Finding(
                "foreign-party",
                ERROR,
                f"le bailleur « {owners[fold(text[start:end])]} » n'est pas partie à cette convention ; il y est "
                f"nommé {why}.",
                doc.where(index),
                excerpt(text, start, end),
            )


def _quarters_with_communes(communes: tuple[str, ...], everyone: tuple[str, ...]) -> tuple[str, ...]:
    """The names of the QPVs that contain one of the communes' names (`name_pattern` of them finds one), in the
    referential's order: among the QPVs naming one of `everyone` (the communes with their own, found once for all
    the territory's documents), those naming one of these."""
    chosen = set(communes)
    return tuple(quarter for quarter, named in _quarters_naming_any(everyone) if not named.isdisjoint(chosen))


@lru_cache(maxsize=16)
def _quarters_naming_any(everyone: tuple[str, ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    """The QPVs whose name holds one of these communes' names, in the referential's order, and which communes each
    names (a pattern of several names finds one where the pattern of one of them does)."""
    pattern = name_pattern(*everyone) if everyone else None
    quarters = [q.nom for q in qpv_reference().values() if pattern and pattern.search(q.nom)]
    alone = {commune: re.compile(name_source(commune), re.IGNORECASE) for commune in everyone} if quarters else {}
    return tuple(
        (quarter, frozenset(c for c, one in alone.items() if one.search(quarter) is not None)) for quarter in quarters
    )


class _Sieve:
    """Which of a territory's communes a document's folded text holds, found line by line (what each line holds is
    remembered): a name without a space is in the text when it is in one of its lines, one with a space when its
    longest piece is in one of them and the name in the text."""

    LINES = 8192  # about 100 bytes each

    def __init__(self, everyone: tuple[str, ...]) -> None:
        self.folded = {name: fold(name) for name in everyone}
        self.needles = tuple({max(f.split(" "), key=len) for f in self.folded.values() if f})
        self.holding: dict[str, frozenset[str]] = {}

    def present(self, communes: tuple[str, ...], doc: Document) -> tuple[str, ...]:
        """The communes whose folded name is in the document's folded text (`fold(name) in doc.folded`)."""
        found = frozenset().union(*(self._held(line) for line in doc.folded_lines))
        return tuple(name for name in communes if self._in(self.folded[name], found, doc))

    @staticmethod
    def _in(folded: str, found: frozenset[str], doc: Document) -> bool:
        if folded and " " not in folded:
            return folded in found
        return (not folded or max(folded.split(" "), key=len) in found) and folded in doc.folded

    def _held(self, line: str) -> frozenset[str]:
        held = self.holding.get(line)
        if held is None:
            if len(self.holding) >= self.LINES:
                self.holding.clear()
            held = self.holding[line] = frozenset(needle for needle in self.needles if needle in line) or _NONE
        return held


_NONE: frozenset[str] = frozenset()  # what most lines hold, one set for them all


@lru_cache(maxsize=4)  # a territory's documents come together
def _sieve(everyone: tuple[str, ...]) -> _Sieve:
    return _Sieve(everyone)


def _territory_communes(expected: Expected) -> tuple[str, ...]:
    """The communes a document may name: the others and its own."""
    return tuple(sorted({*expected.foreign_communes, *((expected.commune_name,) if expected.commune_name else ())}))


@cache
def _quarters_naming_communes(communes: tuple[str, ...], everyone: tuple[str, ...]) -> tuple[str, ...]:
    """QPV names that contain a commune's name (« Didot - Porte de Vanves »): a quarter, not a party."""
    bare = {fold(c) for c in communes}  # a quarter named just like a commune (« Denain ») masks nothing
    return tuple(name for name in _quarters_with_communes(communes, everyone) if fold(name) not in bare)


_WORD = re.compile(r"\w+")
QuarterContexts = dict[str, set[tuple[tuple[str, ...], str]]]  # commune -> (two words before, word after)


@cache
def _quarter_contexts(communes: tuple[str, ...], everyone: tuple[str, ...]) -> QuarterContexts:
    """For each commune named inside a quarter's name, the two words before it and the word after it there."""
    contexts: QuarterContexts = {}
    named = [(commune, _WORD.findall(fold(commune))) for commune in communes]
    for quarter in _quarters_with_communes(communes, everyone):
        words = _WORD.findall(fold(quarter))
        present = set(words)
        for commune, name in named:
            if name and name[0] not in present:
                continue  # its first word is not there
            for i in range(len(words) - len(name) + 1):
                if words[i : i + len(name)] == name:
                    after = words[i + len(name)] if i + len(name) < len(words) else ""
                    contexts.setdefault(fold(commune), set()).add((tuple(words[max(0, i - 2) : i]), after))
    return contexts


_DETERMINER_BEFORE = re.compile(r"\b(?:la|une|cette|chaque|sa|notre)\s+$", re.IGNORECASE)


def _designation(text: str, start: int) -> bool:
    """A commune named like a common noun, used as one: « la Ville » of Noyon does not name Ville (Oise)."""
    return bool(_DETERMINER_BEFORE.search(text, max(0, start - 12), start))


def _inside_quarter_name(text: str, start: int, end: int, found: str, contexts: QuarterContexts) -> bool:
    """A commune's name read inside a quarter's name cut by the layout (« Les Hauts De Liévin - Résidence Des » in a
    table cell, « Croix Bas Saint Pierre » after a word broken over two lines): its neighbours are the quarter's."""
    before = tuple(_WORD.findall(fold(text[max(0, start - 80) : start]))[-2:])
    following = _WORD.search(fold(text[end : end + 80]))
    after = following.group(0) if following else ""
    return any(
        (len(quarter_before) == 2 and before == quarter_before) or (len(quarter_after) >= 3 and after == quarter_after)
        for quarter_before, quarter_after in contexts.get(fold(found), ())
    )
