"""Reports for people (French text) and programs (JSON): `check`'s findings and `verify`'s PDF facts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..manifest import Entry
from ..pdf.inspect import PdfFacts
from .document import ERROR, WARNING, Finding

SEVERITY = {ERROR: "erreur", WARNING: "avertissement"}


@dataclass(frozen=True)
class FileReport:
    """The outcome of checking one file: its findings, or why it could not be read."""

    file: str
    commune: str | None
    bailleur: str | None
    findings: tuple[Finding, ...] = ()
    unreadable: str | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)


def exit_code(reports: Sequence[FileReport]) -> int:
    """2 if a file could not be read, 1 if any error was found, 0 otherwise."""
    if any(r.unreadable for r in reports):
        return 2
    return 1 if any(r.errors for r in reports) else 0


def as_json(reports: Sequence[FileReport]) -> str:
    items = []
    for report in reports:
        item = {
            "file": report.file,
            "commune": report.commune,
            "bailleur": report.bailleur,
            "findings": [f.as_dict() for f in report.findings],
        }
        if report.unreadable:
            item["error"] = report.unreadable
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2)


def finding_line(finding: Finding) -> str:
    shown = f" — « {finding.excerpt} »" if finding.excerpt else ""
    return f"{SEVERITY[finding.severity]} [{finding.rule}] {finding.location} : {finding.message}{shown}"


def as_text(reports: Sequence[FileReport]) -> str:
    lines = []
    for report in reports:
        about = " × ".join(x for x in (report.commune, report.bailleur) if x) or "commune et bailleur non reconnus"
        lines.append(f"{report.file} ({about})")
        if report.unreadable:
            lines.append(f"  illisible : {report.unreadable}")
        elif not report.findings:
            lines.append("  aucune anomalie")
        lines += [f"  {finding_line(f)}" for f in report.findings]
    errors = sum(r.errors for r in reports)
    warnings = sum(len(r.findings) - r.errors for r in reports)
    unreadable = sum(1 for r in reports if r.unreadable)
    summary = f"{len(reports)} fichier(s) vérifié(s) : {errors} erreur(s), {warnings} avertissement(s)"
    lines.append(summary + (f", {unreadable} fichier(s) illisible(s)." if unreadable else "."))
    return "\n".join(lines)


# --- verify ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    """What `atfpb verify` reports on one PDF: its facts, and the manifest entry it matches (if any)."""

    facts: PdfFacts
    entry: Entry | None
    matches: bool
    in_project: bool = True  # verified outside any project: there is no manifest to compare with


def verification_text(path: Path, result: Verification) -> str:
    """The French report of `atfpb verify`: PDF/A, fonts, signature fields, metadata, manifest."""
    facts = result.facts
    missing_fonts = [name for name, embedded in facts.fonts if not embedded]
    pdfa = "PDF/A-" + facts.pdfa[:-1] + facts.pdfa[-1].lower() if facts.pdfa else "non déclaré"
    fonts = (
        f"{len(facts.fonts)} police(s), toutes incorporées"
        if not missing_fonts
        else f"non incorporées : {', '.join(missing_fonts)}"
    )
    lines = [
        f"{path} : {facts.pages} pages",
        f"  PDF/A : {pdfa}",
        f"  polices : {fonts}",
        f"  champs de signature : {len(facts.fields)}",
    ]
    for field in facts.fields:
        state = "signé" if field.signed else "à signer"
        lines.append(f"    {field.name} (« {field.label} »), page {field.page} : {state}")
    for key in ("/Title", "/Subject", "/Author", "/Keywords", "/CreationDate"):
        lines.append(f"  {key.lstrip('/')} : {facts.metadata.get(key, '—')}")
    lines.append(f"  langue : {facts.language or '—'}")
    lines.append(_manifest_line(result))
    return "\n".join(lines)


def _manifest_line(result: Verification) -> str:
    if not result.in_project:
        return "  manifeste : aucun projet ici (lancez la commande dans le dossier d'un projet, ou --projet DOSSIER)."
    if result.entry is None:
        return "  manifeste : ce fichier n'y figure pas."
    if result.matches:
        version = f"version {result.entry.version} finale" if result.entry.final else "projet"
        return f"  manifeste : conforme à l'entrée {result.entry.pdf} ({version}, {result.entry.date})."
    return (
        f"  manifeste : le fichier a changé depuis sa production ({result.entry.pdf}) ; c'est attendu s'il a été signé."
    )
