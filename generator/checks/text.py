"""Text helpers of the checks: names as patterns, excerpts, blanking, likeness of words."""

from __future__ import annotations

import difflib
import re
from functools import cache, lru_cache

EXCERPT = 45


@cache
def name_pattern(*names: str) -> re.Pattern[str]:
    """Any of the names as written in any case, with '&' or 'et', across spaces or line joins."""
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        parts = [r"(?:&|et)" if token == "&" else re.escape(token) for token in name.split()]
        alternatives.append(r"\s+".join(parts))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


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
    """Close enough to be a misspelling (memoised: the same words recur from document to document)."""
    matcher = difflib.SequenceMatcher(None, folded, target)
    return matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


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
