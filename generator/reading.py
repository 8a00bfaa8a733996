"""Read a received or generated document (Word or PDF) into located, normalised lines of text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import AtfpbError, Location

_QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u00ad": "",
        "\t": " ",
    }
)
_SPACES = re.compile(r"[ ]{2,}")


class UnreadableDocument(AtfpbError):
    """A file that is neither a readable Word document nor a readable PDF."""

    exit_code = 2


@dataclass(frozen=True)
class Line:
    """One line of a document's text and where it is ('page 3, ligne 12', 'paragraphe 40')."""

    text: str
    where: str
    heading: bool = False  # styled as a heading in a Word document
    table: int | None = None  # the Word table it belongs to, and its cell
    row: int | None = None
    column: int | None = None
    laid_out: bool = False  # a line of a laid-out page (PDF): its sentence may go on at the next line


def normalise(text: str) -> str:
    """Ligatures unfolded, typographic apostrophes and quotes made plain, spaces collapsed."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).translate(_QUOTES))
    return _SPACES.sub(" ", text).strip()


def read_document(path: Path) -> tuple[Line, ...]:
    """The lines of a .docx or .pdf, recognised by content rather than by name."""
    try:
        with open(path, "rb") as handle:
            magic = handle.read(5)
    except OSError as exc:
        raise UnreadableDocument(f"lecture impossible ({exc.strerror}).", Location(str(path))) from None
    if magic.startswith(b"PK\x03\x04"):
        from .word.reader import read_docx

        return read_docx(path)
    if magic.startswith(b"%PDF"):
        from .pdf import read_pdf

        return read_pdf(path)
    raise UnreadableDocument("ce fichier n'est ni un document Word (.docx) ni un PDF.", Location(str(path)))
