"""PDF reading and finishing: prove a produced PDF is whole (pypdf), read its text (pdftotext)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .errors import ConversionError, Location, ToolMissingError
from .reading import Line, UnreadableDocument, normalise

READ_SECONDS = 30


def page_count(path: Path) -> int:
    """The number of pages of a PDF that reads back; an error if it does not."""
    try:
        reader = PdfReader(path)
        pages = len(reader.pages)
        if pages == 0 or not reader.pages[0].extract_text():
            raise ConversionError("le PDF produit est vide.", Location(str(path)))
        return pages
    except (PyPdfError, OSError, ValueError) as exc:
        raise ConversionError(f"le PDF produit est illisible ({exc}).", Location(str(path))) from None


PARTICLES = ("les", "lès", "sur", "sous", "en", "de", "du", "la", "le", "saint", "sainte", "aux")


def read_pdf(path: Path) -> tuple[Line, ...]:
    """The PDF's lines with their page, read by poppler's pdftotext (fast and faithful)."""
    try:
        result = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=READ_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise ToolMissingError(
            "pdftotext est introuvable : installez poppler-utils (ou lancez « make run »)."
        ) from None
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(f"lecture du PDF abandonnée après {READ_SECONDS} s.", Location(str(path))) from None
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["erreur inconnue"]
        raise UnreadableDocument(f"PDF illisible ou chiffré ({reason[0]}).", Location(str(path)))
    lines: list[Line] = []
    for page_number, page in enumerate(result.stdout.decode("utf-8", "replace").split("\f"), start=1):
        raw = [normalise(text) for text in page.splitlines()]
        for number, text in enumerate(_join_hyphenated(raw), start=1):
            if text:
                lines.append(Line(text, f"page {page_number}, ligne {number}"))
    return tuple(lines)


def _join_hyphenated(lines: list[str]) -> list[str]:
    """Undo end-of-line hyphenation ('propri-' + 'étés'), keeping compound names ('Saint-' + 'Amand')."""
    joined = list(lines)
    for i in range(len(joined) - 1):
        current, following = joined[i], joined[i + 1]
        if not (current.endswith("-") and len(current) > 1 and current[-2].isalpha() and following):
            continue
        word, _, rest = following.partition(" ")
        keep_hyphen = not word[:1].islower() or word.lower().split("-")[0] in PARTICLES
        joined[i] = current + word if keep_hyphen else current[:-1] + word
        joined[i + 1] = rest
    return joined
