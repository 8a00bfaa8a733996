"""The one dispatcher: a received or generated document (Word or PDF), recognised by content, read into lines."""

from __future__ import annotations

from pathlib import Path

from ..errors import Location
from .lines import Line, UnreadableDocument


def read_document(path: Path) -> tuple[Line, ...]:
    """The lines of a .docx or .pdf, recognised by content rather than by name."""
    try:
        with open(path, "rb") as handle:
            magic = handle.read(5)
    except OSError as exc:
        raise UnreadableDocument(f"lecture impossible ({exc.strerror}).", Location(str(path))) from None
    if magic.startswith(b"PK\x03\x04"):
        from .docx import read_docx  # python-docx is loaded only for Word files

        return read_docx(path)
    if magic.startswith(b"%PDF"):
        from .pdf import read_pdf

        return read_pdf(path)
    raise UnreadableDocument("ce fichier n'est ni un document Word (.docx) ni un PDF.", Location(str(path)))
