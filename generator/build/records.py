"""The records kept true to the files: an interrupted placement completed, stale temporaries removed, finals found
on disk recorded, finals missing or altered named; documents placed only through the journal."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from ..errors import AtfpbError, DataError, Location, raise_all
from ..faults import checkpoint
from ..inputs.project import Project
from ..manifest import (
    JOURNAL,
    MANIFEST,
    Entry,
    Placing,
    clear_journal,
    read_journal,
    sha256_of,
    sync_folder,
    write_journal,
    write_manifest,
)
from ..pdf.inspect import inspect_pdf, page_count

STAGING_PREFIX = ".atfpb-"  # the build's working folders inside output/
_FINAL_NAME = re.compile(r"^(convention|avenant)-atfpb(?:-(\d{4}))?-(.+)-v(\d+)$")


def reconcile(project: Project, previous: Sequence[Entry]) -> list[Entry]:
    """Bring the records back in line with the files, before a build (its lock held): complete an interrupted
    placement, remove stale temporaries, record finals found on disk; a recorded final missing or altered is an
    error naming it."""
    output = project.output
    entries = {e.key: e for e in previous}
    placing = read_journal(output)
    if placing is not None:
        entries.update({p.entry.key: p.entry for p in placing if _completed(project, p) or _rolled_back(project, p)})
    for stale in output.glob(STAGING_PREFIX + "*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    for temporary in (output / (MANIFEST + ".tmp"), output / (JOURNAL + ".tmp")):
        temporary.unlink(missing_ok=True)
    entries.update({e.key: e for e in _finals_on_disk(project, list(entries.values()))})
    reconciled = sorted(entries.values(), key=lambda e: e.key)
    if placing is not None or len(reconciled) != len(previous) or list(previous) != reconciled:
        write_manifest(output, [], reconciled)
        clear_journal(output)
    _refuse_lost_finals(project, reconciled)
    return reconciled


def place(project: Project, placing: Sequence[Placing]) -> list[Entry]:
    """Place checked documents into output/<commune>/, the journal written first: whatever stops the build after
    that, the next one completes the placement and its record. A final never replaces an existing file."""
    write_journal(project.output, placing)
    folders = {folder for item in placing for folder in _place_one(project, item)}
    for folder in sorted(folders):  # on disk before the manifest records them
        sync_folder(folder)
    return [item.entry for item in placing]


def _place_one(project: Project, item: Placing) -> list[Path]:
    """Place a document's two files; the folders that received them."""
    folders = []
    for kind in ("docx", "pdf"):
        source, target = Path(item.sources[kind]), project.root / getattr(item.entry, kind)
        target.parent.mkdir(exist_ok=True)
        if item.entry.final:
            os.link(source, target)  # fails rather than overwrite a final
        else:
            os.replace(source, target)
        folders.append(target.parent)
        checkpoint("placement-en-cours")
    return folders


def _completed(project: Project, item: Placing) -> bool:
    """Finish placing a journaled document; whether both its files are now where its record says."""
    for kind in ("docx", "pdf"):
        target, source = project.root / getattr(item.entry, kind), Path(item.sources[kind])
        digest = item.entry.sha256.get(kind)
        if target.is_file() and sha256_of(target) == digest:
            continue
        if not source.is_file() or sha256_of(source) != digest:
            return False  # lost with its staging folder: it was never recorded, it will be built again
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.entry.final and target.exists():
            return False  # another file took its name: never overwritten
        os.replace(source, target)
        sync_folder(target.parent)
    return True


def _rolled_back(project: Project, item: Placing) -> bool:
    """A journaled document that cannot be completed: the files of it already placed are removed (they were never
    recorded: it will be built again, under the same name). Never recorded, hence False."""
    for kind in ("docx", "pdf"):
        target = project.root / getattr(item.entry, kind)
        if target.is_file() and sha256_of(target) == item.entry.sha256.get(kind):
            target.unlink()
            sync_folder(target.parent)
    return False


def _finals_on_disk(project: Project, recorded: Sequence[Entry]) -> list[Entry]:
    """Finals found in output/ without a record (their manifest lost): recorded again, their inputs unknown."""
    known = {e.pdf for e in recorded}
    found = []
    for pdf in sorted(project.output.glob("*/*-v*.pdf")):
        docx = pdf.with_suffix(".docx")
        if project.shown(pdf) in known or not docx.is_file():
            continue
        entry = _recovered_entry(project, pdf, docx)
        if entry is not None:
            found.append(entry)
    return found


def _recovered_entry(project: Project, pdf: Path, docx: Path) -> Entry | None:
    commune = pdf.parent.name
    match = _FINAL_NAME.match(pdf.stem)
    if match is None or not match.group(3).startswith(commune + "-"):
        return None
    kind, year, rest, version = match.groups()
    try:
        facts = inspect_pdf(pdf)
        pages = page_count(pdf)
    except AtfpbError:
        return None
    stamp = facts.metadata.get("/CreationDate", "")
    day = f"{stamp[2:6]}-{stamp[6:8]}-{stamp[8:10]}" if stamp.startswith("D:") and len(stamp) >= 10 else ""
    return Entry(
        kind=kind,
        commune=commune,
        bailleur=rest[len(commune) + 1 :],
        docx=project.shown(docx),
        pdf=project.shown(pdf),
        pages=pages,
        sha256={"docx": sha256_of(docx), "pdf": sha256_of(pdf)},
        date=day,
        year=int(year) if year else None,
        version=int(version),
        final=True,
        identifier=facts.identifier,
        recovered=True,
    )


def _refuse_lost_finals(project: Project, entries: Sequence[Entry]) -> None:
    """A final recorded but missing, or changed on disk since it was produced, is named: never « inchangé »."""
    lost = []
    for entry in (e for e in entries if e.final):
        for kind in ("docx", "pdf"):
            path = project.root / getattr(entry, kind)
            if not path.is_file() or sha256_of(path) != entry.sha256.get(kind):
                state = "a disparu" if not path.is_file() else "a été modifié depuis sa production"
                lost.append(DataError(f"la version finale {entry.version} {state}.", Location(getattr(entry, kind))))
    if lost:
        lost.append(
            DataError(
                "une version finale n'est jamais refaite : remettez ces fichiers tels qu'atfpb les a produits (depuis "
                "une sauvegarde), puis relancez ; une version signée se garde à part, hors de output/."
            )
        )
        raise_all(list(lost))
