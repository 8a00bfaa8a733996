"""Word -> PDF with a pool of LibreOffice processes fed batch by batch, each time-limited, outputs verified."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import AtfpbError, ConversionError, ToolMissingError
from ..faults import checkpoint

SECONDS_PER_DOCUMENT = 20
STARTUP_SECONDS = 60
TIME_LIMIT_VARIABLE = "ATFPB_DELAI_LIBREOFFICE"  # seconds per batch, to override the computed limit
BATCH_SIZE = 20  # documents per LibreOffice process: start-up is paid once per batch
GRACE_SECONDS = 10  # the `timeout` command's own limit: our limit plus this, in case the build is gone
KILL_AFTER_SECONDS = 3  # after a TERM passed on to LibreOffice, a KILL this much later if it is still running
LOW_SPACE = 50_000_000  # bytes: below this, a missing PDF is most likely a full disk
# PDF/A-2b, tagged, with bookmarks from the headings and named destinations from Word's bookmarks (LibreOffice's
# JSON filter options, 7.4+).
PDF_EXPORT = "pdf:writer_pdf_Export:" + json.dumps(
    {
        "SelectPdfVersion": {"type": "long", "value": "2"},
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "ExportNotes": {"type": "boolean", "value": "false"},
        "ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"},  # where the signature fields go
    },
    separators=(",", ":"),
)
# The same for a workbook (LibreOffice Calc): every sheet, with its print set-up.
CALC_PDF_EXPORT = PDF_EXPORT.replace("writer_pdf_Export", "calc_pdf_Export")
INSTALL_HINT = "sudo apt-get install libreoffice-writer-nogui fonts-liberation2 (ou lancez « make run »)"


@dataclass(frozen=True)
class Converted:
    """A whole PDF produced from a DOCX (opened and counted by the finishing, which reads it anyway)."""

    docx: Path
    pdf: Path


@dataclass(frozen=True)
class Failed:
    """A document LibreOffice could not convert, even on a second, fresh process."""

    docx: Path
    reason: str


@dataclass
class Conversion:
    """The outcome of converting a set of documents, and what happened on the way."""

    converted: list[Converted]
    failed: list[Failed]
    incidents: list[str]  # French, for the build report: killed processes, retries


def soffice() -> str:
    """The LibreOffice program, or a French error telling how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ToolMissingError(f"LibreOffice est introuvable : installez-le avec « {INSTALL_HINT} ».")
    return found


def batch_size(count: int, jobs: int) -> int:
    """Documents per LibreOffice process: at most BATCH_SIZE, fewer when that keeps every process busy."""
    return max(1, min(BATCH_SIZE, -(-count // max(1, jobs))))


def convert_to_pdf(
    documents: Sequence[Path],
    outdir: Path,
    jobs: int | None = None,
    on_done: Callable[[int], None] | None = None,
    export: str = PDF_EXPORT,
) -> Conversion:
    """Convert every DOCX with `jobs` LibreOffice processes (one per core by default), in batches (see Converter)."""
    if not documents:
        return Conversion([], [], [])
    workers = max(1, min(jobs or os.cpu_count() or 1, len(documents)))
    size = batch_size(len(documents), workers)

    def done(_converted: Sequence[Converted], count: int) -> None:
        if on_done:
            on_done(count)

    with Converter(outdir, workers, done, export) as converter:
        for start in range(0, len(documents), size):
            converter.submit(list(documents[start : start + size]))
        return converter.finish()


class Converter:
    """A pool of `jobs` LibreOffice processes at a time, fed batch by batch as the Word files are ready.

    A batch that hangs past its time limit, crashes or leaves documents unconverted has its
    process group killed; its missing documents get one more try on a fresh process, then are
    reported as failed while the other batches go on. `on_batch(converted, size)` hears of each batch
    as it ends, from the thread that ran it. LibreOffice's profiles live beside `outdir` (removed with
    it); leaving the block on an exception (Ctrl-C, TERM, a failure) kills every LibreOffice still running.
    """

    def __init__(
        self,
        outdir: Path,
        jobs: int,
        on_batch: Callable[[Sequence[Converted], int], None] | None = None,
        export: str = PDF_EXPORT,
    ) -> None:
        self.program = soffice()
        self.outdir = outdir
        self.export = export
        self.on_batch = on_batch
        self.result = Conversion([], [], [])
        self.order: dict[Path, int] = {}
        self.running = _Running()
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        self.batches: list[Future[None]] = []
        outdir.mkdir(parents=True, exist_ok=True)

    def submit(self, batch: list[Path]) -> None:
        """Convert these documents on the next free process."""
        for path in batch:
            self.order.setdefault(path, len(self.order))
        self.batches.append(self.pool.submit(self._convert, batch))

    def finish(self) -> Conversion:
        """Wait for every batch: what converted (in the order submitted), what failed, and the incidents."""
        for batch in self.batches:
            batch.result()
        self.pool.shutdown()
        self.result.converted.sort(key=lambda c: self.order[c.docx])
        return self.result

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, kind: object, *_rest: object) -> None:
        if kind is not None:  # interrupted (Ctrl-C, TERM) or failing: no LibreOffice outlives the build
            self.running.stop_all()
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _convert(self, batch: list[Path]) -> None:
        program, outdir, running, export = self.program, self.outdir, self.running, self.export
        converted, missing, incident = _convert_batch(program, batch, outdir, running, export)
        if missing:
            retried, still_missing, second = _convert_batch(program, missing, outdir, running, export)
            converted += retried
            incident = f"{incident} ; nouvel essai sur un processus neuf" + (f" : {second}" if second else " : réussi")
        else:
            still_missing = []
        with self.lock:
            self.result.converted.extend(converted)
            self.result.failed.extend(Failed(d, incident) for d in still_missing)
            if missing:
                self.result.incidents.append(incident)
            if self.on_batch:
                self.on_batch(converted, len(batch))


class _Running:
    """The LibreOffice process groups of a conversion, to stop them all at once."""

    def __init__(self) -> None:
        self.groups: set[int] = set()
        self.lock = threading.Lock()
        self.stopped = False

    def add(self, group: int) -> None:
        with self.lock:
            self.groups.add(group)
            if self.stopped:  # started while the conversion was being stopped
                _kill_group(group)

    def remove(self, group: int) -> None:
        with self.lock:
            self.groups.discard(group)

    def stop_all(self) -> None:
        with self.lock:
            self.stopped = True
            for group in self.groups:
                _kill_group(group)


def _convert_batch(
    program: str, batch: list[Path], outdir: Path, running: _Running, export: str = PDF_EXPORT
) -> tuple[list[Converted], list[Path], str]:
    """One LibreOffice process for a batch; returns what converted, what did not, and why (French)."""
    timeout = float(os.environ.get(TIME_LIMIT_VARIABLE) or STARTUP_SECONDS + SECONDS_PER_DOCUMENT * len(batch))
    with tempfile.TemporaryDirectory(prefix="atfpb-lo-", dir=outdir.parent) as profile:
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
            export,
            "--outdir",
            str(outdir),
            *map(str, batch),
        ]
        incident = _run_in_own_group(command, timeout, running)
    converted, missing = [], []
    for docx in batch:
        pdf = outdir / (docx.stem + ".pdf")
        try:
            if not pdf.is_file():
                raise ConversionError("LibreOffice n'a pas produit le PDF de ce document.")
            if not _whole(pdf):
                raise ConversionError("LibreOffice a laissé un PDF inachevé.")
            converted.append(Converted(docx, pdf))
        except AtfpbError as error:
            pdf.unlink(missing_ok=True)  # no half-written PDF is kept
            missing.append(docx)
            incident = incident or error.message
    if missing and shutil.disk_usage(outdir).free < LOW_SPACE:
        incident = f"plus d'espace disque dans {outdir.parent} : libérez de la place, puis relancez"
    return converted, missing, incident


def _whole(pdf: Path) -> bool:
    """A PDF written to its end: its header first, its end-of-file mark last (a process killed while writing leaves a
    file without the mark)."""
    with open(pdf, "rb") as handle:
        head = handle.read(8)
        handle.seek(max(0, pdf.stat().st_size - 1024))
        tail = handle.read()
    return head.startswith(b"%PDF-") and b"%%EOF" in tail


def _run_in_own_group(command: list[str], timeout: float, running: _Running) -> str:
    """Run LibreOffice in its own process group, always killed at the end; '' or what went wrong.

    It also runs under `timeout` (its limit holds even if the build is killed) and dies with the build's thread
    that started it (setpriv --pdeathsig), where those tools exist.
    """
    process = subprocess.Popen(
        [*_guards(timeout), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"},
    )
    running.add(process.pid)
    checkpoint("conversion-en-cours")
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        return f"LibreOffice ne répondait plus après {timeout:.0f} s : processus arrêté"
    finally:
        _kill_group(process.pid)  # no stray soffice.bin left behind
        running.remove(process.pid)
    if process.returncode != 0:
        tail = " / ".join(output.decode("utf-8", "replace").strip().splitlines()[-2:])
        return f"LibreOffice s'est arrêté en erreur (code {process.returncode}){' : ' + tail if tail else ''}"
    return ""


def _guards(timeout: float) -> list[str]:
    """The commands LibreOffice runs under: a time limit of its own, and death with the build."""
    guards = []
    if shutil.which("setpriv"):
        guards += ["setpriv", "--pdeathsig", "TERM"]  # timeout passes TERM on to LibreOffice
        guards += ["sh", "-c", _STILL_OURS, str(os.getpid())]  # a build gone before the above took hold: no start
    if shutil.which("timeout"):
        # A TERM from the build's death is passed on to LibreOffice, then a KILL if it is still there (it may be
        # starting up, deaf to TERM, for a while).
        guards += ["timeout", "--signal=KILL", f"--kill-after={KILL_AFTER_SECONDS}", f"{timeout + GRACE_SECONDS:.0f}"]
    return guards


# Run the rest of the command only if its parent is still the build ($0): a build killed while starting LibreOffice,
# before setpriv asked for the signal, would otherwise leave it running.
_STILL_OURS = 'test "$PPID" = "$0" && exec "$@"'


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass
