"""Slugs and French typography."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import typography
from generator.text import fold, slugify
from generator.typography import french_amount, french_date, french_list, french_of, french_spacing

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Lourches", "lourches"),
        ("Partenord Habitat", "partenord-habitat"),
        ("Maisons & Cités", "maisons-et-cites"),
        ("Rœulx", "roeulx"),
        ("Saint-Amand-les-Eaux", "saint-amand-les-eaux"),
        ("Château-l'Abbaye", "chateau-l-abbaye"),
        ("Flines-lès-Mortagne", "flines-les-mortagne"),
        ("  Émerchicourt  ", "emerchicourt"),
        ("Ro\u0065\u0301ulx", "roeulx"),  # decomposed accent folds the same way
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


@given(st.text())
def test_slug_is_always_safe_for_a_file_name(text: str) -> None:
    slug = slugify(text)
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug)
    assert ".." not in slug and "/" not in slug


# what folding changes: accents (composed or not), ligatures, « & », spaces of all kinds, Korean jamo that compose
_FOLDED_ALPHABET = "aeÉ\u0301\u0327œ& \u00a0\u2002\ufb01¼\u1100\u1161\u11a8"


@given(st.lists(st.text(_FOLDED_ALPHABET) | st.text(), min_size=1, max_size=4))
def test_lines_fold_one_by_one_as_the_text_they_make(lines: list[str]) -> None:
    """checks.Document.folded folds a document line by line: the same as folding its lines joined by spaces."""
    assert fold(" ".join(lines)) == " ".join(folded for line in lines if (folded := fold(line)))


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 4, 30), "30 avril 2025"),
        (date(2025, 5, 1), "1er mai 2025"),
        (date(2024, 2, 29), "29 février 2024"),
        (date(2021, 9, 30), "30 septembre 2021"),
    ],
)
def test_french_date(day: date, text: str) -> None:
    assert french_date(day) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("12345.67"), f"12{NBSP}345,67{NBSP}€"),
        (0, f"0,00{NBSP}€"),
        (1234567, f"1{NBSP}234{NBSP}567,00{NBSP}€"),
        (Decimal("999.995"), f"1{NBSP}000,00{NBSP}€"),
        (Decimal("-45.5"), f"-45,50{NBSP}€"),
    ],
)
def test_french_amount(amount: Decimal, text: str) -> None:
    assert french_amount(amount) == text


def test_french_list() -> None:
    assert french_list([]) == ""
    assert french_list(["a"]) == "a"
    assert french_list(["a", "b"]) == "a et b"
    assert french_list(["a", "b", "c"]) == "a, b et c"


@pytest.mark.parametrize(
    ("raw", "typeset"),
    [
        ("Il est convenu ce qui suit :", f"Il est convenu ce qui suit{NBSP}:"),
        ("suivants:", f"suivants{NBSP}:"),
        ("Vu la loi ; vu le code", f"Vu la loi{NBSP}; vu le code"),
        ("Vraiment ? Oui !", f"Vraiment{NBSP}? Oui{NBSP}!"),
        ("le « Contrat Quartiers 2030 »", f"le «{NBSP}Contrat Quartiers 2030{NBSP}»"),
        ("«bien vivre»", f"«{NBSP}bien vivre{NBSP}»"),
        ("à 10:30 sur https://example.org", "à 10:30 sur https://example.org"),
    ],
)
def test_french_spacing(raw: str, typeset: str) -> None:
    assert french_spacing(raw) == typeset


@given(st.text())
def test_french_spacing_is_idempotent(text: str) -> None:
    once = french_spacing(text)
    assert french_spacing(once) == once


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Lourches", "de Lourches"),
        ("Escaudain", "d'Escaudain"),
        ("Émerchicourt", "d'Émerchicourt"),
        ("Le Quesnoy", "du Quesnoy"),
        ("Les Rues-des-Vignes", "des Rues-des-Vignes"),
        ("La Sentinelle", "de La Sentinelle"),
        ("Hérin", "de Hérin"),
        ("Oisy", "d'Oisy"),
    ],
)
def test_french_of(name: str, written: str) -> None:
    assert french_of(name) == written


_TYPESET_PIECES = st.sampled_from(
    ["1er", "30", "2", "١٢", "1", "584", "2021", "septembre", "MARS", "n°", "N°", "€", "%", "h", "ans", "km", "-",
     "\u2212", ",", ".", ":", ";", "!", "?", "«", "»", "'", "er", "e", "ème", "x", "Le", " ", "  ", "\t", "\u00a0"]
)


def _typeset_with_every_pattern(text: str) -> str:
    """typeset as it ran before it skipped the patterns that cannot match (each tried on every text)."""
    spaced = typography._SPACE_BEFORE_PUNCT.sub(typography.NBSP + r"\1", text)
    spaced = typography._GLUED_PUNCT.sub(typography.NBSP + r"\1", spaced)
    spaced = typography._SPACE_AFTER_GUILLEMET.sub("«" + typography.NBSP, spaced)
    result = typography._SPACE_BEFORE_GUILLEMET.sub(typography.NBSP + "»", spaced).replace("'", typography.APOSTROPHE)
    for pattern in (*typography._DATES, typography._NUMBER_SIGN, *typography._NUMBERS):
        result = pattern.sub(r"\1" + typography.NBSP, result)
    return typography._NEGATIVE_AMOUNT.sub(typography.MINUS, result)


@settings(max_examples=500)
@given(st.lists(_TYPESET_PIECES, max_size=12).map("".join))
@example("le n° x")
@example("1er mars 2021 : 1 584 € et -5\u00a0€, soit 5 % « x »")
def test_typeset_skips_only_the_patterns_that_cannot_match(text: str) -> None:
    assert typography.typeset(text) == _typeset_with_every_pattern(text)
    everywhere = [(piece, raised) for piece, raised in _ordinal_pieces_everywhere(text) if piece]
    assert typography.ordinal_pieces(text) == everywhere


def _ordinal_pieces_everywhere(text: str) -> list[tuple[str, bool]]:
    pieces, position = [], 0
    for found in typography._ORDINAL.finditer(text):
        pieces += [(text[position : found.end(1)], False), (found.group(2), True)]
        position = found.end()
    return [*pieces, (text[position:], False)]
