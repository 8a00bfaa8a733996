"""`atfpb status`: for each document to sign (commune × landlord × kind × year), its draft and findings, its final
versions (replaced ones marked), and the signed copies dropped in signes/, with who has signed and who has not."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..inputs.project import Project, load_inputs
from ..manifest import MANIFEST, Entry, read_manifest
from ..reading.lines import UnreadableDocument
from .originals import Original, examine
from .plan import specs_of
from .report import faults, signature_state, verdict

SIGNED = "signes"  # where the staff drop the PDFs that come back signed (any name, any subfolder)

Key = tuple[str, str, str, int]  # kind, commune, landlord, year (0 for a convention)


@dataclass(frozen=True)
class SignedCopy:
    """A PDF of signes/ and what it is: the version it was signed on, its signatures."""

    file: str
    original: Original


@dataclass(frozen=True)
class DocumentStatus:
    """Where one document to sign stands."""

    key: Key
    draft: Entry | None
    finals: tuple[Entry, ...]
    signed: tuple[SignedCopy, ...]


@dataclass(frozen=True)
class ProjectStatus:
    documents: tuple[DocumentStatus, ...]
    strangers: tuple[tuple[str, str], ...]  # files of signes/ that are none of our documents, and why


def project_status(project: Project, trust: Path | None = None) -> ProjectStatus:
    """Every document the project's data call for (and any other the manifest records), in order."""
    inputs = load_inputs(project)
    entries = read_manifest(project.output, project.shown(project.output / MANIFEST))
    keys = [spec.key for spec in specs_of(inputs, inputs.territory.communes)]
    keys += sorted({_key(e) for e in entries} - set(keys))
    copies, strangers = _signed_copies(project, entries, trust)
    documents = tuple(
        DocumentStatus(
            key,
            next((e for e in entries if not e.final and _key(e) == key), None),
            tuple(sorted((e for e in entries if e.final and _key(e) == key), key=lambda e: e.version or 0)),
            tuple(c for c in copies if _key(_entry_of(c)) == key),
        )
        for key in keys
    )
    return ProjectStatus(documents, tuple(strangers))


def _key(entry: Entry) -> Key:
    return (entry.kind, entry.commune, entry.bailleur, entry.year or 0)


def _entry_of(copy: SignedCopy) -> Entry:
    lineage = copy.original.lineage
    assert lineage is not None and lineage.entry is not None
    return lineage.entry


def _signed_copies(
    project: Project, entries: Sequence[Entry], trust: Path | None
) -> tuple[list[SignedCopy], list[tuple[str, str]]]:
    """The PDFs of signes/, matched to our documents by their content (our file, then signatures after it)."""
    folder = project.root / SIGNED
    copies, strangers = [], []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if not path.is_file() or path.suffix.lower() != ".pdf":
            continue
        shown = project.shown(path)
        try:
            original = examine(path, entries, project, trust)
        except UnreadableDocument as error:
            strangers.append((shown, error.message))
            continue
        lineage = original.lineage
        if lineage is None or lineage.entry is None or lineage.impostor or not lineage.revisions:
            strangers.append((shown, verdict(original)))
        else:
            copies.append(SignedCopy(shown, original))
    return copies, strangers


# --- text ----------------------------------------------------------------------------------------
def status_text(status: ProjectStatus) -> str:
    """One block per document: its title line, then its draft, finals and signed copies."""
    lines = []
    for document in status.documents:
        kind, commune, landlord, year = document.key
        lines.append(f"{commune} × {landlord} — {kind}{f' {year}' if year else ''}")
        lines += [f"  {line}" for line in _document_lines(document)]
    for file, reason in status.strangers:
        lines.append(f"non reconnu : {file} — {reason}")
    signed = sum(1 for d in status.documents if any(c.original.complete for c in d.signed))
    lines.append(
        f"Bilan : {len(status.documents)} document(s), {sum(1 for d in status.documents if d.finals)} avec une "
        f"version finale, {signed} signé(s) complètement, {len(status.strangers)} fichier(s) de {SIGNED}/ non "
        "reconnu(s)."
    )
    return "\n".join(lines)


def _document_lines(document: DocumentStatus) -> list[str]:
    lines = []
    draft = document.draft
    if draft is None:
        lines.append("projet : pas encore produit")
    else:
        errors, warnings = _counts(draft)
        lines.append(f"projet : {draft.pdf} ({draft.date}) : {errors} erreur(s), {warnings} avertissement(s)")
    latest = document.finals[-1].version if document.finals else None
    for final in document.finals:
        state = "en vigueur" if final.version == latest else f"remplacée par la version {latest}"
        lines.append(f"version {final.version} : {final.pdf} — {state}")
    for copy in document.signed:
        lines.append(f"signé : {copy.file} (sur la {_edition(_entry_of(copy))}) — {_signers(copy.original)}")
    return lines


def _counts(entry: Entry) -> tuple[int, int]:
    errors = sum(1 for f in entry.findings if f.get("severity") == "error")
    return errors, len(entry.findings) - errors


def _edition(entry: Entry) -> str:
    return f"version {entry.version}" if entry.final else "version de travail (projet)"


def _signers(original: Original) -> str:
    if original.complete:
        names = ", ".join(s.signer for s in original.signatures)
        return f"complet, signé par {names}"
    labels = {f.name: f.label for f in original.facts.fields}
    signed = [f"{s.field} ({s.signer})" for s in original.signatures if s.valid and not s.problem]
    parts = [("signé : " + ", ".join(signed)) if signed else "aucune signature valide"]
    if original.unsigned:
        parts.append("à signer : " + ", ".join(f"{f} ({labels.get(f) or '—'})" for f in original.unsigned))
    wrong = faults(original)
    return " ; ".join(parts) + (f" — ATTENTION : {' ; '.join(wrong)}" if wrong else "")


# --- json ----------------------------------------------------------------------------------------
def status_json(status: ProjectStatus) -> str:
    """The same, for a program (documented in the README)."""
    content = {
        "documents": [_document_json(d) for d in status.documents],
        "non_reconnus": [{"fichier": file, "raison": reason} for file, reason in status.strangers],
    }
    return json.dumps(content, ensure_ascii=False, indent=2)


def _document_json(document: DocumentStatus) -> dict[str, Any]:
    kind, commune, landlord, year = document.key
    latest = document.finals[-1].version if document.finals else None
    return {
        "type": kind,
        "commune": commune,
        "bailleur": landlord,
        "annee": year or None,
        "projet": _draft_json(document.draft),
        "versions_finales": [_final_json(f, latest) for f in document.finals],
        "signes": [_copy_json(c) for c in document.signed],
    }


def _draft_json(draft: Entry | None) -> dict[str, Any] | None:
    if draft is None:
        return None
    errors, warnings = _counts(draft)
    return {"pdf": draft.pdf, "date": draft.date, "erreurs": errors, "avertissements": warnings}


def _final_json(final: Entry, latest: int | None) -> dict[str, Any]:
    replaced = None if final.version == latest else latest
    return {"version": final.version, "pdf": final.pdf, "date": final.date, "remplacee_par": replaced}


def _copy_json(copy: SignedCopy) -> dict[str, Any]:
    original = copy.original
    return {
        "fichier": copy.file,
        "version": _entry_of(copy).version,
        "complet": original.complete,
        "signatures": [
            {
                "champ": s.field,
                "signataire": s.signer,
                "date": s.signed_at,
                "valide": s.valid and not s.problem,
                "certificat_reconnu": s.trusted,
                "etat": signature_state(s),
            }
            for s in original.signatures
        ],
        "a_signer": list(original.unsigned),
        "bilan": verdict(original),
    }
