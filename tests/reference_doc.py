"""Turn the reference convention's plain text into a Word file, as staff would receive it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

# Read where the workplace lays it (../shared/reference, beside the project); never copied into the project.
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "convention-lourches-partenord-2025.txt"

# The reference's defects and their corrections (the data of the instance files).
CORRECTIONS = [
    ("Louches", "Lourches"),
    ("présenté par le bailleur SIGH en instance", "présenté par l'organisme HLM en instance"),
    ("signataires dont la SIGH", "signataires dont Partenord Habitat"),
    ("Délibération n° de la Ville", "Délibération n° 2024-ILL-01 de la Ville"),
    ("la ville et la cohésion sociale", "la ville et la cohésion urbaine"),
    ("(2024-2026)", "(2025-2026)"),
]


def reference_text(corrected: bool = False) -> str:
    if not REFERENCE.is_file():
        pytest.skip(f"convention de référence absente ({REFERENCE})")
    text = REFERENCE.read_text(encoding="utf-8")
    for wrong, right in CORRECTIONS if corrected else ():
        assert wrong in text, wrong
        text = text.replace(wrong, right)
    return text


def write_docx(text: str, destination: Path) -> Path:
    """One paragraph per line; the closing '<p>…</p>' lines become the signature table."""
    document = Document()
    rows = []
    for line in text.splitlines():
        if line.startswith("<p>"):
            rows.append([re.sub(r"</?p>", "", cell) for cell in line.split("\t")])
        elif line.strip():
            document.add_paragraph(line.strip())
    table = document.add_table(rows=len(rows), cols=2)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    document.save(str(destination))
    return destination
