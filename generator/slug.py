"""File-name slugs: lowercase ASCII, accents and ligatures folded, '&' spelt 'et'."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"}


def slugify(text: str) -> str:
    """Return the slug of a name: 'Maisons & Cités' -> 'maisons-et-cites', 'Rœulx' -> 'roeulx'."""
    text = unicodedata.normalize("NFKC", text)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    text = text.replace("&", " et ")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
