"""The corpus written out: each document as Word (python-docx, in its house style) and as PDF (LibreOffice)."""

from __future__ import annotations

from pathlib import Path

from generator.pdf.convert import convert_to_pdf

from .catalogue import CORPUS, Entry
from .styles import STYLES


def build_corpus(folder: Path, entries: tuple[Entry, ...] = CORPUS) -> dict[str, dict[str, Path]]:
    """Every document's Word file and PDF, by name then format."""
    folder.mkdir(parents=True, exist_ok=True)
    docx = {entry.name: STYLES[entry.style](entry.draft(), folder / f"{entry.name}.docx") for entry in entries}
    conversion = convert_to_pdf(list(docx.values()), folder / "pdf")
    if conversion.failed:
        raise RuntimeError(f"LibreOffice n'a pas converti : {[f.docx.name for f in conversion.failed]}")
    pdfs = {converted.docx: converted.pdf for converted in conversion.converted}
    return {name: {"docx": path, "pdf": pdfs[path]} for name, path in docx.items()}
