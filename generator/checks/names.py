"""Rules on names: other communes or landlords named as parties."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ..inputs.referentials import qpv_reference
from ..inputs.rules import Rules
from ..text import fold
from .document import ERROR, Document, Finding
from .expectations import Expected
from .parties import acting, in_shared_quarter_sentence, visa_lines
from .text import blank, capitalised, excerpt, name_pattern, names_pattern


def foreign_parties(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    yield from _foreign_communes(doc, expected, rules)
    yield from _foreign_landlords(doc, expected, rules)


def _foreign_communes(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    """Other communes of the EPCI acting as parties, read over the whole text: a name may run over two lines."""
    if not expected.foreign_communes:
        return
    text, folded = doc.text, doc.folded
    present = tuple(name for name in expected.foreign_communes if fold(name) in folded)  # a fast first sieve
    if not present:
        return
    masked = text
    for names in (
        _quarters_naming_communes(expected.foreign_communes),
        names_pattern(expected.names_written_right + rules.cited_names),
    ):
        masked = names.sub(blank, masked) if names else masked  # « Saint-Rambert-d'Albon » names no Albon
    owners = {fold(name): name for name in present}
    contexts = _quarter_contexts(expected.foreign_communes)
    for match in name_pattern(*present).finditer(masked):
        name = owners[fold(match.group(0))]
        if (
            not capitalised(match.group(0))
            or _inside_quarter_name(text, match, contexts)
            or _designation(text, match)
            or in_shared_quarter_sentence(text, match.start(), match.end(), expected.neighbours.get(name, ()))
        ):
            continue
        why = acting(doc, text, match.start(), match.end(), rules.acting, landlord=False)
        if why:
            yield Finding(
                "foreign-party",
                ERROR,
                f"la commune « {name} » n'est pas partie à cette convention ; elle y est nommée {why}.",
                doc.where(doc.line_at(match.start())),
                excerpt(text, match.start(), match.end()),
            )


def _foreign_landlords(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    """Other landlords of the territory acting as parties (a visa cites the contract's signatories)."""
    names = [n for b in expected.foreign_landlords for n in b.names]
    if not names:
        return
    owners = {fold(n): b.nom for b in expected.foreign_landlords for n in b.names}
    text, visas = doc.text, visa_lines(doc)
    for match in name_pattern(*names).finditer(text):
        index = doc.line_at(match.start())
        if not capitalised(match.group(0)) or index in visas:
            continue
        why = acting(doc, text, match.start(), match.end(), rules.acting, landlord=True)
        if why:
            yield Finding(
                "foreign-party",
                ERROR,
                f"le bailleur « {owners[fold(match.group(0))]} » n'est pas partie à cette convention ; il y est "
                f"nommé {why}.",
                doc.where(index),
                excerpt(text, match.start(), match.end()),
            )


@cache
def _quarters_with_communes(communes: tuple[str, ...]) -> tuple[str, ...]:
    """The names of the QPVs that contain one of the communes' names, in the referential's order."""
    pattern = name_pattern(*communes) if communes else None
    return tuple(q.nom for q in qpv_reference().values() if pattern and pattern.search(q.nom))


@cache
def _quarters_naming_communes(communes: tuple[str, ...]) -> re.Pattern[str] | None:
    """QPV names that contain a commune's name (« Didot - Porte de Vanves »): a quarter, not a party."""
    bare = {fold(c) for c in communes}  # a quarter named just like a commune (« Denain ») masks nothing
    names = [name for name in _quarters_with_communes(communes) if fold(name) not in bare]
    return name_pattern(*names) if names else None


_WORD = re.compile(r"\w+")
QuarterContexts = dict[str, set[tuple[tuple[str, ...], str]]]  # commune -> (two words before, word after)


@cache
def _quarter_contexts(communes: tuple[str, ...]) -> QuarterContexts:
    """For each commune named inside a quarter's name, the two words before it and the word after it there."""
    contexts: QuarterContexts = {}
    named = [(commune, _WORD.findall(fold(commune))) for commune in communes]
    for quarter in _quarters_with_communes(communes):
        words = _WORD.findall(fold(quarter))
        for commune, name in named:
            for i in range(len(words) - len(name) + 1):
                if words[i : i + len(name)] == name:
                    after = words[i + len(name)] if i + len(name) < len(words) else ""
                    contexts.setdefault(fold(commune), set()).add((tuple(words[max(0, i - 2) : i]), after))
    return contexts


_DETERMINER_BEFORE = re.compile(r"\b(?:la|une|cette|chaque|sa|notre)\s+$", re.IGNORECASE)


def _designation(text: str, match: re.Match[str]) -> bool:
    """A commune named like a common noun, used as one: « la Ville » of Noyon does not name Ville (Oise)."""
    return bool(_DETERMINER_BEFORE.search(text, max(0, match.start() - 12), match.start()))


def _inside_quarter_name(text: str, match: re.Match[str], contexts: QuarterContexts) -> bool:
    """A commune's name read inside a quarter's name cut by the layout (« Les Hauts De Liévin - Résidence Des » in a
    table cell, « Croix Bas Saint Pierre » after a word broken over two lines): its neighbours are the quarter's."""
    before = tuple(_WORD.findall(fold(text[max(0, match.start() - 80) : match.start()]))[-2:])
    following = _WORD.search(fold(text[match.end() : match.end() + 80]))
    after = following.group(0) if following else ""
    return any(
        (len(quarter_before) == 2 and before == quarter_before) or (len(quarter_after) >= 3 and after == quarter_after)
        for quarter_before, quarter_after in contexts.get(fold(match.group(0)), ())
    )
