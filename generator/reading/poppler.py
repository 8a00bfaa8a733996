"""The poppler wrapper: pdftotext's text and its laid-out lines with their boxes, time-limited, errors in French."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..errors import Location, ToolMissingError
from .lines import UnreadableDocument

READ_SECONDS = 30
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class TextLine:
    """A laid-out line of a PDF page and its box, in points from the top-left corner."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True)
class LaidOutPage:
    """A page's size and its laid-out lines."""

    width: float
    height: float
    lines: list[TextLine]


def without_colour_management(pdf: bytes) -> bytes:
    """The same PDF for poppler's text tools, its output intent renamed (same length, offsets intact).

    poppler applies a PDF/A output intent's colour profile to every page, about 50 ms a page, which
    changes nothing to the text and the positions it reads.
    """
    return pdf.replace(b"/OutputIntents", b"/OutputIntentz")


def raw_text(path: Path) -> str:
    """The PDF's text in content order, pages separated by form feeds (pdftotext -raw)."""
    try:
        with tempfile.TemporaryFile() as pdf:  # its standard input: through a pipe, 4 KB a turn of subprocess's loop
            pdf.write(without_colour_management(path.read_bytes()))
            pdf.seek(0)
            result = subprocess.run(
                ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
                stdin=pdf,
                capture_output=True,
                timeout=READ_SECONDS,
                check=False,
            )
    except OSError as exc:
        if not isinstance(exc, FileNotFoundError) or Path(exc.filename or "").name != "pdftotext":
            raise UnreadableDocument(f"lecture impossible ({exc.strerror}).", Location(str(path))) from None
        raise ToolMissingError(
            "pdftotext est introuvable : installez poppler-utils (ou lancez « make run »)."
        ) from None
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(f"lecture du PDF abandonnée après {READ_SECONDS} s.", Location(str(path))) from None
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["erreur inconnue"]
        raise UnreadableDocument(f"PDF illisible ou chiffré ({reason[0]}).", Location(str(path)))
    return result.stdout.decode("utf-8", "replace")


def laid_out_pages(pdf: bytes, first: int, last: int) -> dict[int, LaidOutPage]:
    """Pages `first` to `last` (1-based): size and text lines with their boxes, by 0-based page index."""
    result = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(first), "-l", str(last), "-", "-"],
        input=without_colour_management(pdf),
        capture_output=True,
        timeout=READ_SECONDS,
        check=True,
    )
    root = ElementTree.fromstring(result.stdout)
    pages = {}
    for index, page in enumerate(root.iter(f"{XHTML}page"), start=first - 1):
        lines = []
        for line in page.iter(f"{XHTML}line"):
            words = list(line.iter(f"{XHTML}word"))
            if words:
                lines.append(
                    TextLine(
                        " ".join(w.text or "" for w in words),
                        *(float(line.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")),
                    )
                )
        pages[index] = LaidOutPage(float(page.get("width", 0)), float(page.get("height", 0)), lines)
    return pages
