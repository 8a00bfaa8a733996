"""The Word redline: LibreOffice's own document comparison, run headless by uno_compare.py under the system Python,
time-limited in its own process group, its output checked (soffice can exit 0 after failing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from ..errors import AtfpbError
from ..pdf.convert import TIME_LIMIT_VARIABLE, _guards, _kill_group, soffice
from ..reading.document import read_document
from ..reading.lines import UnreadableDocument
from ..zipguard import package_problem
from .markup import uncommented_copy

SCRIPT = Path(__file__).with_name("uno_compare.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # the Python LibreOffice's « uno » module is installed for (python3-uno)
PYTHON_VARIABLE = "ATFPB_PYTHON_UNO"  # another Python with « uno », to override it
SECONDS = 120  # start-up with a new profile, two loads, the comparison and the export
UNO_HINT = "sudo apt-get install python3-uno (ou lancez « make run »)"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Redline:
    """The redline written, with its number of tracked insertions and deletions; or why there is none."""

    path: Path | None
    insertions: int = 0
    deletions: int = 0
    problem: str = ""  # French, when no redline could be made
    note: str = ""  # French, what the redline leaves out


def write_redline(sent: Path, received: Path, out: Path) -> Redline:
    """`received` compared with `sent` by LibreOffice, saved as a .docx with tracked changes at `out` (the received
    file's comments left out: the report lists them)."""
    python = os.environ.get(PYTHON_VARIABLE) or SYSTEM_PYTHON
    if not Path(python).is_file():
        return Redline(None, problem=f"Python du système introuvable ({python}) : {UNO_HINT}.")
    try:
        program = soffice()
    except AtfpbError as error:
        return Redline(None, problem=error.message)
    with tempfile.TemporaryDirectory(prefix="atfpb-compare-") as work:
        folder = Path(work)
        original, revised = _copy(sent, folder / "envoye"), _copy(received, folder / "recu")
        bare = uncommented_copy(revised, folder)
        note = "les commentaires du document reçu n'y sont pas repris (voir leur liste)" if bare != revised else ""
        result, pipe = folder / "comparaison.docx", folder.name
        command = [python, str(SCRIPT), "--soffice", program, "--profile", str(folder / "profil"), "--pipe", pipe]
        command += ["--original", str(original), "--revised", str(bare), "--out", str(result)]
        try:
            problem = _run(command, float(os.environ.get(TIME_LIMIT_VARIABLE) or SECONDS))
        finally:
            (Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{pipe}").unlink(missing_ok=True)  # a killed soffice leaves it
        if problem:
            return Redline(None, problem=problem)
        return replace(_checked(result, out), note=note)


def _copy(path: Path, folder: Path) -> Path:
    """A private copy: LibreOffice leaves lock files beside what it opens, never beside the user's files."""
    folder.mkdir()
    copy = folder / path.name
    shutil.copyfile(path, copy)
    return copy


def _run(command: list[str], timeout: float) -> str:
    """The script in its own process group with LibreOffice, always killed at the end; '' or what went wrong."""
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    process = subprocess.Popen(
        [*_guards(timeout), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**environment, "SAL_USE_VCLPLUGIN": "svp"},
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        return f"LibreOffice ne répondait plus après {timeout:.0f} s : comparaison arrêtée"
    finally:
        _kill_group(process.pid)  # soffice started by the script is in the group
    if process.returncode == 0:
        return ""
    text = output.decode("utf-8", "replace")
    if "No module named 'uno'" in text:
        return f"le module « uno » de LibreOffice manque au Python du système : {UNO_HINT}"
    if process.returncode in (-9, 137):
        return f"LibreOffice ne répondait plus après {timeout:.0f} s : comparaison arrêtée"
    tail = [line for line in text.strip().splitlines() if line.strip()][-1:]
    return f"la comparaison par LibreOffice a échoué (code {process.returncode}){' : ' + tail[0] if tail else ''}"


def _checked(result: Path, out: Path) -> Redline:
    """The redline read back (python-docx, and its tracked changes counted) before it is put in place."""
    if not result.is_file() or result.stat().st_size == 0:
        return Redline(None, problem="LibreOffice n'a pas écrit le document comparé.")
    problem = package_problem(result, "document comparé")
    if problem is not None:
        return Redline(None, problem=problem)
    try:
        read_document(result)
        with zipfile.ZipFile(result) as package:
            body = etree.fromstring(package.read("word/document.xml"), etree.XMLParser(resolve_entities=False))
    except (UnreadableDocument, KeyError, etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
        return Redline(None, problem=f"le document comparé écrit par LibreOffice est illisible ({exc}).")
    insertions = sum(1 for element in body.iter(f"{W}ins") if _has_text(element))
    deletions = sum(1 for element in body.iter(f"{W}del") if _has_text(element))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(result, out)
    except OSError as exc:
        return Redline(None, problem=f"écriture impossible de {out} ({exc.strerror}).")
    return Redline(out, insertions, deletions)


def _has_text(element: etree._Element) -> bool:
    return any((t.text or "").strip() for t in element.iter(f"{W}t", f"{W}delText"))


def default_out(received: Path) -> Path:
    """Where the redline goes unless told: beside the received file, « …-comparaison.docx »."""
    return received.with_name(f"{received.stem}-comparaison.docx")
