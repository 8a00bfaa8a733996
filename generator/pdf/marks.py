"""The hidden Word bookmarks of the signature cells, which LibreOffice exports as the PDF's named destinations."""

from __future__ import annotations

# For each signatory of the template's table, in its cells' order: the bookmark opening its cell (« Pour … ») and the
# one opening the blank part below its text, where the signature goes. Hidden in Word (their names start with « _ »).
SIGNATURE_MARKS = {
    key: (f"_atfpb_{key}_cellule", f"_atfpb_{key}_signature")
    for key in ("prefet", "president_epci", "maire", "bailleur")
}


def destination_name(bookmark: str) -> str:
    """The name LibreOffice gives the bookmark's destination in the PDF: each character that is no letter or digit
    written as its two hexadecimal digits (« _a » -> « 5Fa »)."""
    return "".join(c if c.isascii() and c.isalnum() else f"{ord(c):02X}" for c in bookmark)


def signature_marks(key: str) -> tuple[str, ...]:
    """The two bookmarks of a signatory's cell (« president-epci » or « president_epci »); none for an unknown key."""
    return SIGNATURE_MARKS.get(key.replace("-", "_"), ())
