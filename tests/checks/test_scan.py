"""Names found line by line (checks/scan.py) are those `name_pattern` finds in the lines joined by spaces; the laws
cited, found from their « n° », are those the pattern finds in the whole text."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.checks.legal import _LAW, _citations
from generator.checks.scan import PLAIN, Lines, blanked, names_scan, spans
from generator.checks.text import blank, name_pattern


def test_plain_characters_match_in_any_case_as_their_lowercase() -> None:
    """re.IGNORECASE matches two PLAIN characters exactly when str.lower() makes them the same single letter."""
    alphabet = "".join(sorted(PLAIN))
    for char in PLAIN:
        assert len(char.lower()) == 1
        found = {match.group(0) for match in re.finditer(re.escape(char), alphabet, re.IGNORECASE)}
        assert found == {other for other in PLAIN if other.lower() == char.lower()}, char


NAMES = ["Habitat Essai Deux", "Habitat Essai", "Deux", "Saint-Denis", "L'Île-Saint-Denis", "Ville et Banlieue",
         "A & B", "Le Blanc-Mesnil", "Ŀa Ɗemo", "Łódź", "Ⅻ", "Işık Deux", "Ωmega", "& Deux"]
# words of the names in other cases, other words, the characters that re and str.lower() may read apart, spaces
WORDS = st.sampled_from(
    ["habitat", "ESSAI", "Deux", "deux", "saint-denis", "L'Île-Saint-Denis", "Ville", "et", "banlieue", "&", "A", "b",
     "le", "Blanc-Mesnil", "ŀa", "ɗemo", "łódź", "ⅻ", "x", "(Deux)", "-Deux", "Deux-", "DEUX,", "ı", "İ", "ſ", "K",
     "essaı", "ſaint-denis", "\u200b", "", " ", "\u00a0", "IŞIK", "işik", "ωMEGA", "Ωmega", "et"]
)
LINES = st.lists(st.lists(WORDS, max_size=6).map(" ".join), max_size=8)


@settings(max_examples=400)
@given(LINES, st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
@example(["la Habitat", "", "Essai", " ", "Deux."], ["Habitat Essai Deux", "Deux"])  # a name over blank lines
@example(["Ville et", "Banlieue", "A &", "B"], ["Ville et Banlieue", "A & B"])
@example(["ESSAı", "DEUX", "habitat essaı deux"], ["Habitat Essai Deux"])  # re reads ı as i, str.lower() does not
def test_names_found_line_by_line_are_those_of_the_joined_text(lines: list[str], names: list[str]) -> None:
    pattern, scan = name_pattern(*names), names_scan(*names)
    joined = " ".join(lines)
    assert spans(scan, Lines(lines)) == [match.span() for match in pattern.finditer(joined)]
    assert " ".join(blanked(scan, Lines(lines)).texts) == pattern.sub(blank, joined)


def test_no_name_or_a_name_without_words_is_searched_in_the_whole_text() -> None:
    lines = ["Deux", "", "ı x"]
    for names in ((), ("",), ("Deux", " ")):
        pattern = name_pattern(*names)
        assert spans(names_scan(*names), Lines(lines)) == [m.span() for m in pattern.finditer(" ".join(lines))]


@settings(max_examples=200)
@given(LINES, st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True), st.data())
def test_names_blanked_page_by_page_are_those_of_each_page(
    lines: list[str], names: list[str], data: st.DataObject
) -> None:
    apart = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    pattern = name_pattern(*names)
    expected, page = [], []
    for index, text in enumerate(lines):
        page.append(text)
        if index + 1 == len(lines) or apart[index]:
            whole, start = pattern.sub(blank, " ".join(page)), 0
            for line in page:
                expected.append(whole[start : start + len(line)])
                start += len(line) + 1
            page = []
    assert list(blanked(names_scan(*names), Lines(lines), apart).texts) == expected


CITATION_PIECES = st.sampled_from(
    ["loi", "LOI", "Loi", "décret", "DÉCRET", "decret", "ordonnance", "xloi", "n°", "N°", "n° ", "°", "n", " ", "  ",
     "\t", "\u00a0", "2014-173", "2023-1322", "12", "-", "du", "é"]
)


@settings(max_examples=400)
@given(st.lists(CITATION_PIECES, max_size=14).map("".join))
@example("loi  n° 2014-173 décret n°2023-1322 ordonnance\tN° 2020-1")
@example("ordonnance loi n° 2014-173")
def test_law_citations_are_those_of_the_whole_text(text: str) -> None:
    assert [m.span() for m in _citations(text)] == [m.span() for m in _LAW.finditer(text)]
