"""Text helpers of the checks: names as patterns, excerpts, blanking, likeness of words."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from ..text import fold

EXCERPT = 45


@cache
def name_pattern(*names: str) -> re.Pattern[str]:
    """Any of the names as written in any case, with '&' or 'et', across spaces or line joins."""
    return re.compile(name_source(*names), re.IGNORECASE)


def name_source(*names: str) -> str:
    """`name_pattern`'s expression (to compile with re.IGNORECASE), the longest names first."""
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        parts = [r"(?:&|et)" if token == "&" else re.escape(token) for token in name.split()]
        alternatives.append(r"\s+".join(parts))
    return r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])"


def capitalised(text: str) -> bool:
    return text[:1].isupper()


def excerpt(text: str, start: int, end: int) -> str:
    before = ("…" if start > EXCERPT else "") + text[max(0, start - EXCERPT) : start]
    after = text[end : end + EXCERPT] + ("…" if end + EXCERPT < len(text) else "")
    return before + text[start:end] + after


def blank(match: re.Match[str]) -> str:
    """A match replaced by as many spaces: offsets stay those of the text."""
    return " " * len(match.group(0))


@lru_cache(maxsize=65536)
def alike(folded: str, target: str) -> bool:
    """Close enough to be a misspelling (memoised: the same words recur from document to document). difflib's ratio
    is at most its quick_ratio, the letters both share: computed first, with the name's letters counted once, it
    says no to most words without difflib's costlier work."""
    total = len(folded) + len(target)
    if total and 2.0 * _shared_letters(folded, target) / total < 0.85:
        return False
    matcher = difflib.SequenceMatcher(None, folded, target)
    return matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def _shared_letters(word: str, target: str) -> int:
    """How many letters two words share, each counted as often as both have it (difflib's quick_ratio's matches)."""
    letters = _letters(target)
    return sum(min(count, letters[letter]) for letter, count in Counter(word).items())


@lru_cache(maxsize=1024)
def _letters(word: str) -> Counter[str]:
    return Counter(word)


def matches_from(pattern: re.Pattern[str], text: str, literal: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern each match of which begins with `literal` (« 20 » of a year) but whose
    lookbehinds keep re from scanning for it: the pattern is tried only where the literal is (str.find is fast), its
    lookbehinds still reading the text before."""
    end, position = 0, text.find(literal)
    while position >= 0:
        if position >= end and (found := pattern.match(text, position)):
            yield found
            end = found.end()
        position = text.find(literal, position + 1)


def names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any of the names, or None when there is none."""
    return name_pattern(*sorted(set(names))) if names else None


_CONTRACTION = re.compile(r"\b([dD]e|[àÀ]) (le|les)\b")


def contracted(text: str) -> str:
    """French contractions of a preposition and an article: « de le Maire » → « du Maire », « à les » → « aux »."""

    def contract(match: re.Match[str]) -> str:
        preposition, article = match.group(1), match.group(2)
        word = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}[
            (preposition.lower(), article)
        ]
        return word.capitalize() if preposition[0].isupper() else word

    return _CONTRACTION.sub(contract, text)


# words as names are made of: an elided article apart (« d'Escaudain »), hyphens and inner apostrophes kept
_WORDS = re.compile(r"(?:[dlDL]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)'(?=\w)|[\w-]+(?:'[\w-]+)*|&")


class NameIndex:
    """Many names found in a text in one pass over its words (a regex per name costs 40 ms a document over the
    communes of France): case, accents and « & » for « et » aside, whole words only."""

    def __init__(self, names: Iterable[str]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name in names:
            words = tuple(fold(w) for w in _WORDS.findall(name))
            if words:
                self.by_first.setdefault(words[0], []).append((words, name))
        for entries in self.by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))  # the longest name first

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Each name found: its start, end and the name as given."""
        words = list(_WORDS.finditer(text))
        folded = [fold(w.group(0)) for w in words]
        found, i = [], 0
        while i < len(words):
            match = self._match_at(folded, i)
            if match is None:
                i += 1
                continue
            size, name = match
            found.append((words[i].start(), words[i + size - 1].end(), name))
            i += size
        return found

    def _match_at(self, folded: list[str], i: int) -> tuple[int, str] | None:
        for key, name in self.by_first.get(folded[i], ()):
            if tuple(folded[i : i + len(key)]) == key:
                return len(key), name
        return None

    def counts(self, text: str) -> Counter[str]:
        return Counter(name for _start, _end, name in self.find(text))

    def blanked(self, text: str) -> str:
        """The text with every name found replaced by as many spaces."""
        for start, end, _name in self.find(text):
            text = text[:start] + " " * (end - start) + text[end:]
        return text
