"""Standalone: LibreOffice compares a received Word file with the one we sent and saves a redline (.docx).

Run by the system Python, which has LibreOffice's `uno` module (the project's venv has not):

    /usr/bin/python3 uno_compare.py --soffice /usr/bin/soffice --profile DIR \
        --original ENVOYE.docx --revised RECU.docx --out REDLINE.docx [--author NAME] [--pipe NAME]

It starts its own headless soffice (own profile, a private pipe), loads the received file, accepts the tracked
changes it already holds, dispatches « .uno:CompareDocuments » against the sent file and stores the result with
« MS Word 2007 XML »: insertions and deletions become w:ins / w:del that Word can accept or reject. It imports
nothing from the project. Exit code 0 on success; otherwise a French message on the last line of stderr.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]  # LibreOffice's bridge, in the system Python only
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

WORD_FILTER = "MS Word 2007 XML"
CONNECT_SECONDS = 60.0
NOT_WRITER = 3  # exit code: LibreOffice did not open the received file as a text document


class Failure(Exception):
    """What went wrong, in French, and the exit code to leave with."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def main(argv: list[str]) -> int:
    options = _arguments(argv)
    pipe = options.pipe or f"atfpb-compare-{os.getpid()}"
    office = _start_soffice(options.soffice, options.profile, pipe)
    try:
        context = _connect(pipe, office)
        _set_author(context, options.author)
        _compare(context, options.original, options.revised, options.out)
        _terminate(context)
        _stop(office, grace=10)
        return 0
    except Failure as failure:
        print(f"\n{failure}", file=sys.stderr)
        return failure.code
    except Exception as exc:  # noqa: BLE001 - a UNO exception: said in one line, the caller shows it
        if office.poll() is not None:
            print(
                f"\nLibreOffice s'est arrêté brutalement pendant la comparaison (code {office.returncode}).",
                file=sys.stderr,
            )
        else:
            print(f"\nerreur de LibreOffice pendant la comparaison ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return 1
    finally:
        _stop(office, grace=0)
        pipe_file(pipe).unlink(missing_ok=True)  # left behind when LibreOffice is killed


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="LibreOffice document comparison, saved as Word tracked changes.")
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile", required=True, type=Path, help="an empty folder for LibreOffice's profile")
    parser.add_argument("--original", required=True, type=Path, help="the document sent")
    parser.add_argument("--revised", required=True, type=Path, help="the document received")
    parser.add_argument("--out", required=True, type=Path, help="the redline to write (.docx)")
    parser.add_argument("--author", default="Document reçu")
    parser.add_argument("--pipe", default="", help="the name of the pipe LibreOffice listens on")
    return parser.parse_args(argv)


def _start_soffice(program: str, profile: Path, pipe: str) -> subprocess.Popen[bytes]:
    """A headless soffice listening on a private pipe, in our process group, dying with us where setpriv exists."""
    guard = ["setpriv", "--pdeathsig", "KILL"] if shutil.which("setpriv") else []
    command = [
        *guard,
        program,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--invisible",
        "--nodefault",
        "--nolockcheck",
        "--nologo",
        "--norestore",
        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
    ]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def _connect(pipe: str, office: subprocess.Popen[bytes]) -> Any:
    """LibreOffice's component context, once it listens (its first start with a new profile takes seconds)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 - NoConnectException until it listens
            if office.poll() is not None:
                raise Failure(f"LibreOffice s'est arrêté au démarrage (code {office.returncode}).") from None
            if time.monotonic() > deadline:
                raise Failure(f"LibreOffice n'a pas répondu en {CONNECT_SECONDS:.0f} s.") from None
            time.sleep(0.2)


def _set_author(context: Any, author: str) -> None:
    """The name LibreOffice gives the changes it records when the received file names no author."""
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (_property("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    access.setPropertyValue("givenname", author)
    access.setPropertyValue("sn", "")
    access.commitChanges()


def _compare(context: Any, original: Path, revised: Path, out: Path) -> None:
    manager = context.ServiceManager
    desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(_url(revised), "_blank", 0, (_property("Hidden", True),))
    if document is None:
        raise Failure("LibreOffice n'a pas pu ouvrir le document reçu.")
    try:
        if not document.supportsService("com.sun.star.text.TextDocument"):
            raise Failure("LibreOffice n'ouvre pas le document reçu comme un texte : pas de comparaison.", NOT_WRITER)
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        frame = document.getCurrentController().getFrame()
        if document.getRedlines().createEnumeration().hasMoreElements():  # the partner's own tracked changes
            dispatcher.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
        compared = (_property("URL", _url(original)), _property("NoAcceptDialog", True))
        dispatcher.executeDispatch(frame, ".uno:CompareDocuments", "", 0, compared)
        stored = (_property("FilterName", WORD_FILTER), _property("Overwrite", True))
        document.storeToURL(_url(out), stored)
    finally:
        document.close(True)


def _terminate(context: Any) -> None:
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    try:
        desktop.terminate()
    except Exception:  # noqa: BLE001 - the bridge closes as LibreOffice quits
        pass


def _stop(office: subprocess.Popen[bytes], grace: float) -> None:
    """LibreOffice gone: given `grace` seconds to quit by itself, then killed."""
    try:
        office.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        office.kill()
        office.wait()


def pipe_file(pipe: str) -> Path:
    """Where LibreOffice makes the socket of a named pipe (always /tmp)."""
    return Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{pipe}"


def _property(name: str, value: Any) -> Any:
    return PropertyValue(Name=name, Value=value)


def _url(path: Path) -> str:
    return str(uno.systemPathToFileUrl(str(path.resolve())))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
