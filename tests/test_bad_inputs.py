"""Hostile and broken input, through the command line: exit code, French message, location, output/ intact."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import subprocess
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from generator.build.projects import output_lock
from generator.cli import main
from generator.inputs.project import Project

from .helpers import COMMUNE_BASE, COMMUNE_CASES, ROOT

COMMUNE = "instances/communes/lourches.yaml"
TERRITORY = "instances/territoire.yaml"
PROGRAMME = "instances/programmes/lourches-partenord-habitat-2026.yaml"


@dataclass(frozen=True)
class Case:
    """One failure mode: how to break the project, the command, and what the user must read."""

    name: str
    breaks: Callable[[Project], None]
    message: str
    location: str  # a regular expression
    command: tuple[str, ...] = ("build",)
    exit_code: int = 1


def edit(path: str, old: str, new: str) -> Callable[[Project], None]:
    def apply(project: Project) -> None:
        file = project.root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def write(path: str, content: str | bytes) -> Callable[[Project], None]:
    def apply(project: Project) -> None:
        file = project.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return apply


def commune_case(name: str, old: str, new: str, message: str) -> Case:
    message = message.replace("test.yaml", "lourches.yaml")  # the loader tests name their file test.yaml
    text = COMMUNE_BASE.replace(old, new, 1)
    return Case(f"commune: {name}", write(COMMUNE, text), message, re.escape(COMMUNE) + r":\d+:\d+: ")


def clause(body_old: str, body_new: str, file: str = "clauses/convention/91-report.md") -> Callable[[Project], None]:
    return edit(file, body_old, body_new)


REPORT_CLAUSE = "clauses/convention/91-report.md"
CASES = [
    *(commune_case(name, old, new, message) for name, old, new, message, _needle in COMMUNE_CASES),
    Case("commune: fichier vide", write(COMMUNE, ""), "le contenu YAML est vide", re.escape(COMMUNE) + ":1:1: "),
    Case(
        "commune: ancres et alias",
        write(COMMUNE, COMMUNE_BASE.replace('insee: "59361"', 'insee: &i "59361"')),
        "les ancres et alias",
        re.escape(COMMUNE) + r":2:8: ",
    ),
    Case(
        "commune: pas en UTF-8",
        write(COMMUNE, COMMUNE_BASE.replace("Lourches", "Lourch\xe9s").encode("latin-1")),
        "n'est pas encodé en UTF-8",
        re.escape(COMMUNE) + ": ",
    ),
    Case(
        "commune: valeur démesurée",
        write(COMMUNE, COMMUNE_BASE + "diagnostic: " + "x" * 6000 + "\n"),
        "est trop long",
        re.escape(COMMUNE) + r":19:13: ",
    ),
    Case(
        "commune: décrite deux fois",
        write("instances/communes/doublon.yaml", COMMUNE_BASE),
        "est déjà décrite dans",
        r"instances/communes/(lourches|doublon).yaml:1:1: ",
    ),
    Case(
        "territoire: clé inconnue",
        edit(TERRITORY, "  siege: Wallers", "  siege: Wallers\n  sige: Wallers"),
        "Vouliez-vous dire « siege » ?",
        re.escape(TERRITORY) + r":\d+:3: ",
    ),
    Case(
        "territoire: SIREN inexistant",
        edit(TERRITORY, '"200042190"', '"200042191"'),
        "aucun EPCI à fiscalité propre",
        re.escape(TERRITORY) + r":\d+:10: ",
    ),
    Case(
        "territoire: mandats qui se chevauchent",
        edit(
            TERRITORY,
            "        nom: GAUME\n",
            "        nom: GAUME\n      - civilite: M.\n        prenom: A\n        nom: B\n",
        ),
        "se chevauchent",
        re.escape(TERRITORY) + r":\d+:7: ",
    ),
    Case(
        "territoire: date de document inexistante",
        edit(TERRITORY, "date_document: !a_confirmer 2025-03-14", "date_document: !a_confirmer 2025-02-30"),
        "n'existe pas",
        re.escape(TERRITORY) + r":\d+:18: ",
    ),
    Case(
        "clause: champ inconnu",
        clause('l\'{{ article("report") }}', "{{ commune.nom_officiel }}", "clauses/convention/60-suivi-bilan.md"),
        "le champ « nom_officiel » n'existe pas",
        r"clauses/convention/60-suivi-bilan.md:\d+: ",
    ),
    Case(
        "clause: syntaxe Jinja",
        write(REPORT_CLAUSE, "---\nid: report\ntitre: Report\nsection: article\n---\n{% if %}\n"),
        "syntaxe de champ invalide",
        re.escape(REPORT_CLAUSE) + r":6: ",
    ),
    Case(
        "clause: renvoi inconnu",
        clause('l\'{{ article("report") }}', 'l\'{{ article("reports") }}', "clauses/convention/60-suivi-bilan.md"),
        "renvoi à une clause inconnue « reports »",
        r"clauses/convention/60-suivi-bilan.md:\d+: ",
    ),
    Case(
        "clause: condition sur un champ inconnu",
        write(REPORT_CLAUSE, "---\nid: report\ntitre: Report\nsection: article\ncondition: commune.inconnue\n---\nX\n"),
        "condition « commune.inconnue »",
        re.escape(REPORT_CLAUSE) + r":5: ",
    ),
    Case(
        "clause: évasion du bac à sable",
        write(
            REPORT_CLAUSE,
            "---\nid: report\ntitre: R\nsection: article\n---\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n",
        ),
        "",
        re.escape(REPORT_CLAUSE) + r":6: ",
    ),
    Case(
        "clause: accès au système",
        write(
            REPORT_CLAUSE,
            "---\nid: report\ntitre: R\nsection: article\n---\n{{ cycler.__init__.__globals__.os.environ }}\n",
        ),
        "",
        re.escape(REPORT_CLAUSE) + r":6: ",
    ),
    Case(
        "clause: section inconnue",
        write(REPORT_CLAUSE, "---\nid: report\ntitre: R\nsection: chapitre\n---\nX\n"),
        "section inconnue « chapitre »",
        re.escape(REPORT_CLAUSE) + r":4:10: ",
    ),
    Case(
        "clause: Markdown non pris en charge",
        write(REPORT_CLAUSE, "---\nid: report\ntitre: R\nsection: article\n---\nTexte.\n\n```\ncode\n```\n"),
        "élément Markdown non pris en charge",
        re.escape(REPORT_CLAUSE) + r":\d+: ",
    ),
    Case(
        "programme: axe inconnu",
        edit(PROGRAMME, "  - axe: 4\n", "  - axe: 12\n"),
        "axe inconnu « 12 »",
        re.escape(PROGRAMME) + r":\d+:10: ",
    ),
    Case(
        "programme: QPV hors convention",
        edit(
            PROGRAMME,
            "    qpv: QN05952M\n    cout_total: !a_confirmer 1400",
            "    qpv: QN05950M\n    cout_total: !a_confirmer 1400",
        ),
        "n'est pas couvert par la convention",
        re.escape(PROGRAMME) + r":\d+:10: ",
    ),
    Case(
        "programme: classeur qui n'en est pas un",
        write("instances/programmes/x.xlsx", b"PK\x03\x04 faux"),
        "n'est pas un classeur Excel",
        r"instances/programmes/x.xlsx: ",
    ),
]


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def with_output(project: Project) -> Project:
    """A project whose output/ already holds work that no failure may touch."""
    (project.output / "lourches").mkdir(parents=True)
    (project.output / "lourches" / "convention-atfpb-lourches-partenord-habitat.pdf").write_bytes(b"%PDF signe")
    (project.output / "manifest.json").write_text('{"documents": []}\n', encoding="utf-8")
    return project


def run(project: Project, *arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--projet", str(project.root), *arguments])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(with_output: Project, case: Case) -> None:
    before = snapshot(with_output.output)
    case.breaks(with_output)
    result = run(with_output, *case.command)
    assert result.exit_code == case.exit_code, result.output
    assert case.message in result.output
    assert re.search(case.location, result.output), result.output
    assert "Traceback" not in result.output
    assert snapshot(with_output.output) == before
    assert not list(with_output.output.glob(".atfpb-*"))


def test_at_least_forty_failure_modes_of_the_build() -> None:
    assert len(CASES) >= 40 and len({case.name for case in CASES}) == len(CASES)


def test_decomposed_unicode_is_read_as_its_composed_form(project: Project) -> None:
    """A name typed with a combining accent (NFD) is the same name: it is accepted, not an error."""
    path = project.root / "instances/communes/denain.yaml"
    text = path.read_text(encoding="utf-8").replace("nom: Maisons & Cités", "nom: Maisons & Cite\u0301s")
    assert "Cite\u0301s" in text
    path.write_text(text, encoding="utf-8")
    result = run(project, "validate")
    assert result.exit_code == 0, result.output


# --- documents given to atfpb check ------------------------------------------------------------
def docx_with(part: str, content: bytes) -> bytes:
    source = ROOT / "templates" / "docx" / "convention.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in original.infolist():
            target.writestr(item, content if item.filename == part else original.read(item.filename))
    return buffer.getvalue()


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>'
)


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 300_000_000)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def many_pages() -> bytes:
    writer = PdfWriter()
    for _ in range(500):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


DOCUMENT_CASES = [
    ("tronque.docx", lambda: (ROOT / "templates/docx/convention.docx").read_bytes()[:3000], "illisible ou endommagé"),
    ("bombe.docx", zip_bomb, "anormalement volumineux"),
    ("xxe.docx", lambda: docx_with("word/document.xml", XXE), "déclare des entités XML"),
    ("rires.docx", lambda: docx_with("word/document.xml", LAUGHS), "déclare des entités XML"),
    ("pas-un-zip.docx", lambda: b"Ceci n'est pas un document Word.", "ni un document Word (.docx) ni un PDF"),
    ("chiffre.pdf", encrypted_pdf, "PDF illisible ou chiffré"),
    ("casse.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF", "PDF illisible"),
    ("image.png", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "ni un document Word (.docx) ni un PDF"),
    ("vide.pdf", lambda: b"", "ni un document Word (.docx) ni un PDF"),
]


@pytest.mark.parametrize(("name", "content", "message"), DOCUMENT_CASES, ids=[c[0] for c in DOCUMENT_CASES])
def test_a_hostile_document_is_refused_and_the_others_still_checked(
    tmp_path: Path, name: str, content: Callable[[], bytes], message: str
) -> None:
    hostile = tmp_path / name
    hostile.write_bytes(content())
    sane = tmp_path / "autre.txt"
    sane.write_text("texte", encoding="utf-8")
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["--projet", str(ROOT), "check", str(hostile), str(sane)])
    assert time.perf_counter() - started < 20
    assert result.exit_code == 2
    assert f"{hostile} (commune et bailleur non reconnus)" in result.output
    assert message in result.output and "2 fichier(s) vérifié(s)" in result.output
    assert "root:" not in result.output  # nothing of /etc/passwd


def test_a_500_page_pdf_is_checked_in_bounded_time(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(many_pages())
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["--projet", str(ROOT), "check", str(path)])
    assert time.perf_counter() - started < 20
    assert result.exit_code == 1 and "missing-article" in result.output


# --- LibreOffice absent, hanging, crashing, silent ------------------------------------------------
def fake_soffice(folder: Path, script: str) -> str:
    folder.mkdir(exist_ok=True)
    program = folder / "soffice"
    program.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return f"{folder}:{os.environ['PATH']}"


# Each PDF begun and never ended, as by a process killed while writing it.
HALF_WRITTEN_PDF = """out=""; previous=""
for argument in "$@"; do
  [ "$previous" = "--outdir" ] && out="$argument"
  case "$argument" in *.docx) printf '%%PDF-1.7\n1 0 obj <<' > "$out/$(basename "$argument" .docx).pdf";; esac
  previous="$argument"
done"""


@pytest.mark.parametrize(
    ("behaviour", "script", "reason"),
    [
        ("bloqué", "exec sleep 600 # atfpb-test-soffice", "ne répondait plus après 2 s"),
        ("planté", "kill -SEGV $$", "s'est arrêté en erreur"),
        ("muet", "exit 0", "n'a pas produit le PDF"),
        ("interrompu", HALF_WRITTEN_PDF, "a laissé un PDF inachevé"),
    ],
)
def test_libreoffice_failures_are_reported_per_document(
    with_output: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str, script: str, reason: str
) -> None:
    monkeypatch.setenv("PATH", fake_soffice(tmp_path / "bin", script))
    monkeypatch.setenv("ATFPB_DELAI_LIBREOFFICE", "2")
    before = snapshot(with_output.output)
    result = run(with_output, "build", "roeulx")
    assert result.exit_code == 1, result.output
    assert "ÉCHEC     convention-atfpb-roeulx-maisons-et-cites" in result.output and reason in result.output
    assert "nouvel essai sur un processus neuf" in result.output
    assert "0 projet(s) produit(s)" in result.output and "1 en échec" in result.output
    assert snapshot(with_output.output) == before
    stray = subprocess.run(["pgrep", "-f", "atfpb-test-soffice"], capture_output=True, text=True).stdout
    assert stray == ""


def test_libreoffice_absent(with_output: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "vide"))
    before = snapshot(with_output.output)
    result = run(with_output, "build", "roeulx")
    assert result.exit_code == 1
    assert (
        "LibreOffice est introuvable : installez-le avec « sudo apt-get install libreoffice-writer-nogui"
        in result.output
    )
    assert snapshot(with_output.output) == before


def test_two_builds_at_once(with_output: Project) -> None:
    before = snapshot(with_output.output)
    with output_lock(with_output.output):
        result = run(with_output, "build", "roeulx")
    assert result.exit_code == 1
    assert "une autre construction est en cours sur ce dossier de sortie" in result.output
    assert snapshot(with_output.output) == before


@pytest.mark.e2e
def test_a_libreoffice_killed_mid_batch_is_retried(project: Project) -> None:
    """The test kills the real LibreOffice while it converts; the retry rebuilds its documents."""
    outcome: dict[str, object] = {}

    def build_in_background() -> None:
        outcome["result"] = run(project, "build", "--jobs", "1")

    thread = threading.Thread(target=build_in_background)
    thread.start()
    killed = False
    deadline = time.monotonic() + 60
    while not killed and time.monotonic() < deadline:  # kill it once it has written its first PDF
        started = [p for p in project.output.glob(".atfpb-*/pdf/*.pdf")]
        found = subprocess.run(["pgrep", "-f", f"soffice.bin.*{project.root}"], capture_output=True, text=True)
        if started and found.stdout.split():
            subprocess.run(["kill", "-KILL", *found.stdout.split()], check=False)
            killed = True
        time.sleep(0.02)
    thread.join(timeout=300)
    result = outcome["result"]
    assert killed
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "incident" in result.output and "nouvel essai sur un processus neuf : réussi" in result.output  # type: ignore[attr-defined]
    assert "9 projet(s) produit(s)" in result.output and "0 en échec" in result.output  # type: ignore[attr-defined]
    assert subprocess.run(["pgrep", "-f", f"soffice.bin.*{project.root}"], capture_output=True).stdout == b""
