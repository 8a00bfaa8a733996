"""Our documents after they leave us: which version a returned PDF is or was signed on, who signed it, what else
changed after our version, and whether a later version has replaced it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..inputs.project import Project
from ..manifest import Entry, latest_final, sha256_of
from ..pdf.inspect import PdfFacts, inspect_pdf
from ..pdf.signatures import (
    SignatureCheck,
    active_content,
    changes_after,
    load_trust_roots,
    read_signatures,
    revision_count,
    revision_ends,
)

SIGNATURES_ONLY = "signatures"  # what `changes_after` says when only signatures (and their form updates) followed


@dataclass(frozen=True)
class Lineage:
    """Where a PDF comes from in the manifest: the entry it is, or the one whose file it was signed on."""

    entry: Entry | None
    exact: bool = False  # the very file we produced
    revisions: int = 0  # how many of its first revisions are that entry's file (0: not built on it)
    impostor: bool = False  # bears an entry's identifier but holds other content
    successor: Entry | None = None  # a later final of the same document
    changed_inputs: tuple[str, ...] = ()  # the data files changed since the entry was built


@dataclass(frozen=True)
class Original:
    """Everything `verify` and `status` say about a PDF: facts, lineage, signatures, active content, later changes."""

    facts: PdfFacts
    lineage: Lineage | None  # None outside a project
    signatures: tuple[SignatureCheck, ...]
    active: tuple[str, ...]  # JavaScript, launch actions
    after: str  # what changed after our version: '', SIGNATURES_ONLY or other modifications

    @property
    def unsigned(self) -> tuple[str, ...]:
        """The fields no valid signature fills."""
        valid = {s.field for s in self.signatures if s.valid and not s.problem}
        return tuple(f.name for f in self.facts.fields if f.name not in valid)

    @property
    def complete(self) -> bool:
        """Every field validly signed by a trusted certificate, nothing else changed, our current final version."""
        lineage = self.lineage
        ours = lineage is None or (
            lineage.revisions > 0 and lineage.entry is not None and lineage.entry.final and lineage.successor is None
        )
        return (
            bool(self.facts.fields)
            and not self.unsigned
            and all(s.trusted for s in self.signatures)
            and not self.active
            and self.after in ("", SIGNATURES_ONLY)
            and ours
        )


def examine(path: Path, entries: Sequence[Entry] | None, project: Project | None, trust: Path | None) -> Original:
    """A PDF examined against the manifest's entries (None outside a project) and the authorities trusted (those
    of the folder `trust`, else the system's)."""
    facts = inspect_pdf(path)
    data = path.read_bytes()
    lineage = lineage_of(data, facts.identifier, entries, project) if entries is not None and project else None
    filled = any(f.signed for f in facts.fields)
    signed = read_signatures(path, load_trust_roots(trust)).signatures if filled else ()
    after = changes_after(path, lineage.revisions) if lineage and lineage.revisions else ""
    return Original(facts, lineage, signed, active_content(path), after)


def lineage_of(data: bytes, identifier: str, entries: Sequence[Entry], project: Project) -> Lineage:
    """The entry whose PDF this file is, or begins with (a signed copy grows by incremental updates only)."""
    digest = hashlib.sha256(data).hexdigest()
    exact = next((e for e in entries if e.sha256.get("pdf") == digest), None)
    if exact is not None:
        return _placed(exact, entries, project, exact=True, revisions=revision_count(data))
    prefixes = {hashlib.sha256(data[:end]).hexdigest(): end for end in revision_ends(data)}
    based = next((e for e in entries if e.sha256.get("pdf") in prefixes), None)
    if based is not None:
        end = prefixes[based.sha256["pdf"]]
        return _placed(based, entries, project, exact=False, revisions=revision_count(data[:end]))
    named = next((e for e in entries if identifier and e.identifier == identifier), None)
    return Lineage(named, impostor=named is not None)


def _placed(entry: Entry, entries: Sequence[Entry], project: Project, exact: bool, revisions: int) -> Lineage:
    latest = latest_final(entries, entry.kind, entry.commune, entry.bailleur, entry.year) if entry.final else None
    successor = latest if latest is not None and (latest.version or 0) > (entry.version or 0) else None
    return Lineage(entry, exact, revisions, successor=successor, changed_inputs=changed_inputs(project, entry))


def changed_inputs(project: Project, entry: Entry) -> tuple[str, ...]:
    """The data files an entry was made from that have changed (or gone) since."""
    changed = []
    for shown, digest in entry.inputs.items():
        path = project.root / shown
        if shown != "atfpb" and (not path.is_file() or sha256_of(path) != digest):
            changed.append(shown)
    return tuple(sorted(changed))
