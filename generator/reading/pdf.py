"""Read a PDF into located lines (page and line), with end-of-line hyphenation undone."""

from __future__ import annotations

import re
from pathlib import Path

from .lines import Line, Place, normalised_lines
from .poppler import raw_text

PARTICLES = ("les", "lès", "sur", "sous", "en", "de", "des", "du", "d", "la", "le", "l", "saint", "sainte", "aux", "au")


def read_pdf(path: Path) -> tuple[Line, ...]:
    """The PDF's lines with their page, read by poppler's pdftotext (fast and faithful)."""
    lines: list[Line] = []
    for page_number, page in enumerate(raw_text(path).split("\f"), start=1):
        for number, text in enumerate(join_hyphenated(normalised_lines(page)), start=1):
            if text:
                lines.append(Line(text, Place.page(page_number, number)))
    return tuple(lines)


def join_hyphenated(lines: list[str]) -> list[str]:
    """Undo end-of-line hyphenation ('propri-' + 'étés'), keeping compound names ('Saint-' + 'Amand')."""
    joined = list(lines)
    for i in range(len(joined) - 1):
        current, following = joined[i], joined[i + 1]
        if not (current.endswith("-") and len(current) > 1 and current[-2].isalpha() and following):
            continue
        word, _, rest = following.partition(" ")
        keep_hyphen = not word[:1].islower() or re.split(r"[-'’]", word.lower())[0] in PARTICLES
        joined[i] = current + word if keep_hyphen else current[:-1] + word
        joined[i + 1] = rest
    return joined
