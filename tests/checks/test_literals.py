"""The characters a pattern's matches hold (checks/literals.py): every match holds them, so a text without them is
rightly not searched."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.literals import _uncased, holds, required
from generator.inputs.project import Project, load_inputs

from ..helpers import ROOT

PATTERNS = [
    r"n°\s*(?:x{2,}|\.{2,}|…|_{2,}|\?+)",
    r"(?:_{2,}|x{2}|\.{2})\s*/\s*(?:_{2,}|x{2}|\.{2})",
    r"\{\{|\}\}|\{%|%\}",
    r"(?<!n°)(?<![_/])_{4,}(?![_/])",
    r"\bfait à [^,;.]{2,60}, le\s*(?=[,;.]|$)",
    r"a(?:b/|c%)?d[;:]+(?>e,)(?:f|g)*",
    r"(?i:X°)|Y°",
    r"[^/]+",
]
TEXT = st.text(st.sampled_from(list("n°x._?/{}%_ ,;:fait àle abcdefgXY") + ["\u00a0", "N", "À"]), max_size=30)


def test_the_project_rules_read() -> None:
    placeholders = load_inputs(Project(ROOT), with_programmes=False).rules.placeholders
    clauses = [required(rule.motif) for rule in placeholders]
    assert frozenset("°") in clauses[0] and frozenset("_") in clauses[6]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_what_a_pattern_requires(pattern: str) -> None:
    expected = {
        PATTERNS[0]: (frozenset("°"),),
        PATTERNS[1]: (frozenset("/"),),
        PATTERNS[2]: (frozenset("{}%"),),
        PATTERNS[3]: (frozenset("_"),),
        PATTERNS[4]: (frozenset(" "), frozenset(",")),
        PATTERNS[5]: (frozenset(";:"), frozenset(",")),
        PATTERNS[6]: (frozenset("°"),),
        PATTERNS[7]: (),
    }
    assert required(re.compile(pattern, re.IGNORECASE)) == expected[pattern]


@settings(max_examples=300)
@given(st.sampled_from(PATTERNS), TEXT, st.booleans())
def test_a_text_with_a_match_holds_what_is_required(pattern: str, text: str, ignore_case: bool) -> None:
    compiled = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    if compiled.search(text):
        assert holds(text, required(compiled))


def test_uncased_characters_match_only_themselves() -> None:
    everything = "".join(map(chr, range(0x110000))).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    for char in "°_/[]{}%,;: .?…-'\"()0123456789":
        assert _uncased(char)
        assert {m.group(0) for m in re.finditer(re.escape(char), everything, re.IGNORECASE)} == {char}
    assert not any(_uncased(char) for char in "aàSſıİKk")
