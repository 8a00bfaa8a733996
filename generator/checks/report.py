"""Reports for people (French text) and programs (JSON): `check`'s findings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

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
    notes: tuple[str, ...] = ()  # what could not be checked, and how to have it checked

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
        item: dict[str, object] = {
            "file": report.file,
            "commune": report.commune,
            "bailleur": report.bailleur,
            "findings": [f.as_dict() for f in report.findings],
        }
        if report.unreadable:
            item["error"] = report.unreadable
        if report.notes:
            item["notes"] = list(report.notes)
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
        lines += [f"  note : {note}" for note in report.notes]
        lines += [f"  {finding_line(f)}" for f in report.findings]
    errors = sum(r.errors for r in reports)
    warnings = sum(len(r.findings) - r.errors for r in reports)
    unreadable = sum(1 for r in reports if r.unreadable)
    summary = f"{len(reports)} fichier(s) vérifié(s) : {errors} erreur(s), {warnings} avertissement(s)"
    lines.append(summary + (f", {unreadable} fichier(s) illisible(s)." if unreadable else "."))
    return "\n".join(lines)
