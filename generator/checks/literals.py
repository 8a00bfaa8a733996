"""Characters every match of a pattern holds (« ° » for « n°\\s*… »): a text without them is not searched."""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

Clauses = tuple[frozenset[str], ...]  # each match holds one character at least of each clause


@lru_cache(maxsize=256)
def required(pattern: re.Pattern[str]) -> Clauses:
    """What every match of `pattern` holds, as far as its plain structure tells: its uncased characters (which match
    only themselves, case aside or not) in sequence, in repeats of one at least and in each alternative of a choice.
    Lookarounds and the rest tell nothing; so does a pattern re's parser (internal to Python) cannot read."""
    try:  # Python's own parser and constants (re's, internal): read only here
        parser, constants = importlib.import_module("re._parser"), importlib.import_module("re._constants")
        parsed = parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # another Python's: nothing is required, every text is searched
        return ()
    return tuple(dict.fromkeys(_clauses(parsed, constants)))


def holds(text: str, clauses: Clauses) -> bool:
    """Whether a text holds a character of each clause (a match may be in it)."""
    return all(any(char in text for char in clause) for clause in clauses)


def _clauses(items: Sequence[tuple[Any, Any]], c: Any) -> Clauses:
    found: list[frozenset[str]] = []
    for op, value in items:
        if op is c.LITERAL and _uncased(chr(value)):
            found.append(frozenset(chr(value)))
        elif op is c.IN and value and all(kind is c.LITERAL and _uncased(chr(v)) for kind, v in value):
            found.append(frozenset(chr(v) for _kind, v in value))
        elif op is c.SUBPATTERN:
            found += _clauses(value[-1], c)
        elif op is c.ATOMIC_GROUP:
            found += _clauses(value, c)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and value[0] >= 1:
            found += _clauses(value[2], c)
        elif op is c.BRANCH:
            found += _either(value[1], c)
    return tuple(found)


def _either(alternatives: Sequence[Any], c: Any) -> Clauses:
    """A choice holds a character of one clause of the alternative that matched: of their first clauses, together."""
    firsts = [_clauses(alternative, c)[:1] for alternative in alternatives]
    return (frozenset().union(*(first[0] for first in firsts)),) if all(firsts) else ()


def _uncased(char: str) -> bool:
    """A character that case changes nothing in: re matches it only with itself, with re.IGNORECASE too."""
    return char == char.lower() == char.upper() == char.casefold()
