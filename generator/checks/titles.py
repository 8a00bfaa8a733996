"""Titles compared as documents write them: case, accents and punctuation aside, a few letters wrong tolerated. The
known titles are prepared once per set, so that each line of a document is compared with all of them cheaply."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache

from ..text import fold

_PUNCTUATION = re.compile(r"[^\w\s']")
LOOSE, STRICT, ALONE = 0.8, 0.88, 0.9  # the likeness (difflib's ratio) each comparison asks for


@lru_cache(maxsize=65536)
def cleaned(text: str) -> str:
    """A title as compared: punctuation made spaces, then folded (memoised: titles and lines recur)."""
    return fold(_PUNCTUATION.sub(" ", text))


def ratio_reaches(a: str, b: str, threshold: float) -> bool:
    """Whether difflib's ratio of `a` and `b` reaches `threshold`. Its upper bounds are tried first, from the lengths
    alone (real_quick_ratio, computed the same way), then from the letters (quick_ratio): the same answer, faster."""
    total = len(a) + len(b)
    if total and 2.0 * min(len(a), len(b)) / total < threshold:
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold


def _loosely_matches(line: str, title: str) -> bool:
    """A cleaned line reads as a cleaned title: it contains it, begins it (12 letters at least) or is like it."""
    return _contains_or_begins(line, title) or ratio_reaches(line, title, LOOSE)


def _contains_or_begins(line: str, title: str) -> bool:
    return title in line or (len(line) >= 12 and title.startswith(line))


@lru_cache(maxsize=65536)
def title_matches(candidate: str, title: str, loose: bool) -> bool:
    """Tolerant title comparison: case, accents, punctuation and extra words after the title (memoised)."""
    c, t = cleaned(candidate), cleaned(title)
    if not c:
        return False
    if loose:
        return _loosely_matches(c, t)
    return c.startswith(t) or ratio_reaches(c, t, STRICT)


class KnownTitles:
    """A set of titles, cleaned and their letters counted once; compared by identity (one instance per set, see
    `known_titles`)."""

    def __init__(self, titles: tuple[str, ...]) -> None:
        self.cleaned = tuple(dict.fromkeys(cleaned(t) for t in titles))
        self.exact = frozenset(self.cleaned)
        self.letters = tuple(Counter(title) for title in self.cleaned)
        self.by_length: dict[int, tuple[int, ...]] = {}

    def close_in_length(self, line: str) -> tuple[int, ...]:
        """The titles (their indexes, in order) a line is close to in length (`_close_in_length`), by its length."""
        length = len(line)
        if length not in self.by_length:
            self.by_length[length] = tuple(i for i, title in enumerate(self.cleaned) if _close_in_length(line, title))
        return self.by_length[length]

    def matching(self, candidate: str) -> bool:
        """Whether a heading's title is one of these titles, loosely (`title_matches` with any of them)."""
        return _matches_one(self, candidate)

    def alone(self, text: str) -> bool:
        """Whether a whole line is one of these titles, a few letters aside: « Report de » is no title « Report »."""
        return _is_one(self, text)


def known_titles(titles: Sequence[str]) -> KnownTitles:
    """The titles prepared for comparisons, once per set (a project has a few: one per kind of document)."""
    return _prepared(tuple(titles))


@cache
def _prepared(titles: tuple[str, ...]) -> KnownTitles:
    return KnownTitles(titles)


@lru_cache(maxsize=65536)
def _matches_one(known: KnownTitles, candidate: str) -> bool:
    line = cleaned(candidate)
    if not line:
        return False
    if any(_contains_or_begins(line, title) for title in known.cleaned):  # before any likeness, as title_matches
        return True
    letters = Counter(line)
    return any(
        _may_reach(line, letters, title, title_letters, LOOSE) and ratio_reaches(line, title, LOOSE)
        for title, title_letters in zip(known.cleaned, known.letters, strict=True)
    )


@lru_cache(maxsize=65536)
def _is_one(known: KnownTitles, text: str) -> bool:
    line = cleaned(text)
    if line in known.exact:
        return True
    close = known.close_in_length(line)
    if not close:
        return False
    letters = Counter(line)
    return any(
        _may_reach(line, letters, known.cleaned[i], known.letters[i], ALONE)
        and ratio_reaches(line, known.cleaned[i], ALONE)
        for i in close
    )


def _close_in_length(line: str, title: str) -> bool:
    """A line a few letters longer or shorter than a title (a fifth of its length, and two) may still be it."""
    return abs(len(line) - len(title)) <= 2 + len(title) // 5


def _may_reach(a: str, a_letters: Counter[str], b: str, b_letters: Counter[str], threshold: float) -> bool:
    """Upper bounds of difflib's ratio of `a` and `b`, from their lengths then from the letters they share (its
    real_quick_ratio and quick_ratio, computed the same way from letters counted once): when a bound is below the
    threshold, so is the ratio."""
    total = len(a) + len(b)
    if not total:
        return True
    if 2.0 * min(len(a), len(b)) / total < threshold:
        return False
    shared = sum(min(count, a_letters[letter]) for letter, count in b_letters.items())
    return 2.0 * shared / total >= threshold
