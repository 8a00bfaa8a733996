"""Office packages (.docx, .xlsx) looked at before anyone parses them: zip bombs, oversized parts, XML entities."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

MAX_PARTS = 2000
MAX_UNPACKED = 200 * 1024 * 1024  # bytes, all parts together
MAX_RATIO = 200  # a part that inflates more than this (beyond 1 MB) is a compression bomb


def package_problem(path: Path, what: str, max_unpacked: int = MAX_UNPACKED) -> str | None:
    """Why the package `what` (« document Word », « classeur ») must not be opened, in French; None if it may."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > max_unpacked:
                return f"{what} anormalement volumineux une fois décompressé : refusé."
            for part in parts:
                if part.file_size > 1_000_000 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
                    return f"{what} piégé (« {part.filename} » se décompresse démesurément) : refusé."
                if part.filename.endswith((".xml", ".rels")) and _declares_dtd(package, part):
                    return f"{what} piégé (« {part.filename} » déclare des entités XML) : refusé."
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error, EOFError) as exc:
        return f"{what} illisible ou endommagé ({exc})."
    return None


def _declares_dtd(package: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    with package.open(part) as stream:
        head = stream.read(4096)  # a DTD comes before the root element
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head
