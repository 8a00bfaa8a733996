"""Text folding for comparisons and file names: accents and ligatures folded, '&' read as 'et'."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LIGATURES = (("œ", "oe"), ("Œ", "Oe"), ("æ", "ae"), ("Æ", "Ae"), ("ß", "ss"), ("&", " et "))
_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase ASCII, accents and ligatures folded, '&' read as 'et', spaces collapsed: for comparisons."""
    return _fold_short(text) if len(text) <= 200 else _fold(text)  # names and lines recur; whole texts do not


@lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for letters, spelt in _LIGATURES:  # str.replace, several times faster than str.translate with a table
        text = text.replace(letters, spelt)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _SPACES.sub(" ", text).strip()


def slugify(text: str) -> str:
    """Return the slug of a name: 'Maisons & Cités' -> 'maisons-et-cites', 'Rœulx' -> 'roeulx'."""
    return _NOT_ALNUM.sub("-", fold(text)).strip("-")


def comparable(text: str) -> str:
    """A name as two readers can agree on it: invisible format characters (zero-width, direction marks) and
    symbols (an emoji, which a PDF's fonts may not carry) removed, spaces collapsed; letters of any script kept."""
    kept = "".join(ch for ch in unicodedata.normalize("NFKC", text) if not _invisible_or_symbol(ch))
    return _SPACES.sub(" ", kept).strip()


def visible(text: str) -> str:
    """A text shown in a message with its invisible characters made visible: « Lour⟨U+200B⟩ches »."""
    return "".join(f"⟨U+{ord(ch):04X}⟩" if _invisible(ch) else ch for ch in text)


@lru_cache(maxsize=4096)
def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cn") and ch not in "\n\t"


@lru_cache(maxsize=4096)  # character by character: a text holds few distinct ones
def _invisible_or_symbol(ch: str) -> bool:
    return _invisible(ch) or unicodedata.category(ch) in ("So", "Sk")
