"""PDF reading and finishing (pypdf): read a produced PDF back to prove it is whole."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .errors import ConversionError, Location


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
