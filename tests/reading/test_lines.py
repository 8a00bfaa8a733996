"""normalise() and normalised_lines(): a whole page normalised at once reads as its lines normalised one by one."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.reading.lines import _PLAIN, normalise, normalised_lines

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines() cuts


def translated(text: str) -> str:
    """normalise() as it was written with str.translate, before the replacements of _PLAIN."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).translate(str.maketrans(dict(_PLAIN))))
    return re.sub(r"[ ]{2,}", " ", text).strip()


def test_no_character_normalises_into_or_out_of_a_line_break() -> None:
    """Every code point: its NFKC and NFC forms hold a line break only if it is that line break."""
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        for form in ("NFKC", "NFC"):
            normalised = unicodedata.normalize(form, char)
            if char in LINE_BREAKS:
                assert normalised == char
            else:
                assert not any(c in LINE_BREAKS for c in normalised), (hex(code), form)
    assert not any(c in LINE_BREAKS for typographic, plain in _PLAIN for c in typographic + plain)


def test_plain_forms_are_not_replaced_again() -> None:
    """Replacing _PLAIN's characters one after the other is replacing each once."""
    assert not any(c in dict(_PLAIN) for _, plain in _PLAIN for c in plain)


# Line breaks, spaces, what _PLAIN replaces, ligatures and compatibility forms, combining accents and their bases,
# Hangul jamo that compose: the characters whose normalisation could cross a line break if any could.
TRICKY = "".join(
    (
        LINE_BREAKS,
        "  \t",
        "".join(typographic for typographic, _ in _PLAIN),
        "ﬁﬂ½²ｅ｀＇ĳ",
        "e\u0301\u0327\u0323a\u030aAC",
        "\u1100\u1161\u11a8가",
    )
)
texts = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(codec="utf-8"), max_size=60)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_a_page_normalised_at_once_reads_as_its_lines(text: str) -> None:
    assert normalised_lines(text) == [normalise(line) for line in text.splitlines()]


@settings(max_examples=600, deadline=None)
@given(texts)
def test_normalise_replaces_as_translate_did(text: str) -> None:
    assert normalise(text) == translated(text)
