"""The build's records, durable: output/manifest.json (what was built, from which inputs, finals kept) and the
journal of documents being placed (.atfpb-journal.json), replayed after a crash."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import DataError, Location

MANIFEST = "manifest.json"
JOURNAL = ".atfpb-journal.json"  # the documents a build is placing: written before, removed once recorded


@dataclass(frozen=True)
class Entry:
    """One document written to output/: a draft (version None) or a numbered final."""

    kind: str
    commune: str
    bailleur: str
    docx: str
    pdf: str
    pages: int
    sha256: dict[str, str]
    date: str
    year: int | None = None  # an avenant's year
    version: int | None = None
    final: bool = False
    identifier: str = ""  # the PDF's permanent /ID, kept by every signature added later
    inputs: dict[str, str] = field(default_factory=dict)
    findings: tuple[dict[str, str], ...] = ()
    recovered: bool = False  # a final found on disk without its record: its inputs are unknown
    content: str = ""  # the digest of what the document says, whatever its edition (a new version needs a new one)

    @property
    def key(self) -> tuple[str, str, str, int, int]:
        return (self.kind, self.commune, self.bailleur, self.year or 0, self.version or 0)


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(output: Path, shown_as: str) -> list[Entry]:
    path = output / MANIFEST
    if not path.is_file():
        return []
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        return [_entry(item) for item in content["documents"]]
    except (ValueError, KeyError, TypeError):
        raise DataError("le manifeste est illisible : restaurez-le ou supprimez-le.", Location(shown_as)) from None


def latest_final(entries: Iterable[Entry], kind: str, commune: str, landlord: str, year: int | None) -> Entry | None:
    wanted = (kind, commune, landlord, year)
    finals = [e for e in entries if e.final and (e.kind, e.commune, e.bailleur, e.year) == wanted]
    return max(finals, key=lambda e: e.version or 0, default=None)


def write_manifest(output: Path, previous: Sequence[Entry], built: Sequence[Entry]) -> None:
    """This build's entries merged into the previous ones, written durably (on disk before it is relied on)."""
    entries = {e.key: e for e in previous}
    entries.update({e.key: e for e in built})
    ordered = sorted(entries.values(), key=lambda e: e.key)
    content = {"documents": [as_dict(e) for e in ordered]}
    durable_write(output / MANIFEST, (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def durable_write(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, flushed to disk, renamed over it, the folder
    flushed too (a crash leaves the old file or the new one, never half of one)."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename or a new link) to disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class Placing:
    """A document being placed: its record to be, and where its checked files wait in the staging folder."""

    entry: Entry
    sources: dict[str, str]  # "docx"/"pdf" -> staged file (absolute)


def write_journal(output: Path, placing: Sequence[Placing]) -> None:
    """Before any file is placed: what is about to be, so that a crash can be completed at the next start."""
    content = [{"entry": as_dict(p.entry), "sources": p.sources} for p in placing]
    durable_write(output / JOURNAL, (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def read_journal(output: Path) -> list[Placing] | None:
    """The documents an interrupted build was placing, if any (an unreadable journal counts as none)."""
    path = output / JOURNAL
    if not path.is_file():
        return None
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
        return [Placing(_entry(item["entry"]), dict(item["sources"])) for item in items]
    except (ValueError, KeyError, TypeError):
        return []  # written whole or not at all: a damaged one was never relied on


def clear_journal(output: Path) -> None:
    (output / JOURNAL).unlink(missing_ok=True)
    sync_folder(output)


def _entry(item: dict[str, Any]) -> Entry:
    return replace(Entry(**item), findings=tuple(item.get("findings", ())))


def as_dict(entry: Entry) -> dict[str, Any]:
    """An entry as the manifest writes it (its fields are plain values: no copy of them is needed, as asdict makes)."""
    item = {name: getattr(entry, name) for name in _ENTRY_FIELDS}
    item["findings"] = list(entry.findings)
    if not entry.recovered:
        del item["recovered"]  # said only of the exception
    if not entry.content:
        del item["content"]  # not known of a recovered final
    return item
