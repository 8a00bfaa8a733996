"""Word -> PDF through one LibreOffice headless run per batch, time-limited, outputs verified."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ConversionError, Location, ToolMissingError
from .pdf import page_count

SECONDS_PER_DOCUMENT = 20
STARTUP_SECONDS = 60
# PDF/A-2b, tagged, with bookmarks from the headings (LibreOffice's JSON filter options, 7.4+).
PDF_EXPORT = "pdf:writer_pdf_Export:" + json.dumps(
    {
        "SelectPdfVersion": {"type": "long", "value": "2"},
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "ExportNotes": {"type": "boolean", "value": "false"},
    },
    separators=(",", ":"),
)
INSTALL_HINT = "sudo apt-get install libreoffice-writer-nogui fonts-liberation2 (ou lancez « make run »)"


@dataclass(frozen=True)
class Converted:
    """A PDF produced from a DOCX, with its number of pages."""

    docx: Path
    pdf: Path
    pages: int


def soffice() -> str:
    """The LibreOffice program, or a French error telling how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ToolMissingError(f"LibreOffice est introuvable : installez-le avec « {INSTALL_HINT} ».")
    return found


def convert_to_pdf(documents: Sequence[Path], outdir: Path) -> list[Converted]:
    """Convert every DOCX with one LibreOffice process; each PDF must exist and read back."""
    if not documents:
        return []
    program = soffice()
    timeout = STARTUP_SECONDS + SECONDS_PER_DOCUMENT * len(documents)
    with tempfile.TemporaryDirectory(prefix="atfpb-lo-") as profile:
        command = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            "--convert-to",
            PDF_EXPORT,
            "--outdir",
            str(outdir),
            *map(str, documents),
        ]
        _run_in_own_group(command, timeout)
    results = []
    for docx in documents:
        pdf = outdir / (docx.stem + ".pdf")
        if not pdf.is_file():
            raise ConversionError("LibreOffice n'a pas produit le PDF de ce document.", Location(str(docx)))
        results.append(Converted(docx, pdf, page_count(pdf)))
    return results


def _run_in_own_group(command: list[str], timeout: float) -> None:
    """Run LibreOffice in its own process group; kill the whole group on time-out."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"},
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionError(f"LibreOffice n'a pas fini en {timeout:.0f} s : conversion abandonnée.") from None
    finally:
        _kill_leftovers(process.pid)
    if process.returncode != 0:
        tail = output.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise ConversionError(f"LibreOffice a échoué (code {process.returncode}) : {' / '.join(tail)}")


def _kill_leftovers(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass
