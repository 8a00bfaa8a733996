"""The build's records (output/manifest.json): what was built, from which inputs, signed versions kept."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import DataError, Location

MANIFEST = "manifest.json"


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

    @property
    def key(self) -> tuple[str, str, str, int, int]:
        return (self.kind, self.commune, self.bailleur, self.year or 0, self.version or 0)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(output: Path, shown_as: str) -> list[Entry]:
    path = output / MANIFEST
    if not path.is_file():
        return []
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        return [replace(Entry(**item), findings=tuple(item.get("findings", ()))) for item in content["documents"]]
    except (ValueError, KeyError, TypeError):
        raise DataError("le manifeste est illisible : restaurez-le ou supprimez-le.", Location(shown_as)) from None


def latest_final(entries: Iterable[Entry], kind: str, commune: str, landlord: str, year: int | None) -> Entry | None:
    wanted = (kind, commune, landlord, year)
    finals = [e for e in entries if e.final and (e.kind, e.commune, e.bailleur, e.year) == wanted]
    return max(finals, key=lambda e: e.version or 0, default=None)


def write_manifest(output: Path, previous: Sequence[Entry], built: Sequence[Entry]) -> None:
    """This build's entries merged into the previous ones, written atomically."""
    entries = {e.key: e for e in previous}
    entries.update({e.key: e for e in built})
    ordered = sorted(entries.values(), key=lambda e: e.key)
    content = {"documents": [as_dict(e) for e in ordered]}
    temporary = output / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, output / MANIFEST)


def as_dict(entry: Entry) -> dict[str, Any]:
    item = asdict(entry)
    item["findings"] = list(entry.findings)
    return item
