"""A damaged Word file given to `check` is reported as unreadable; the other files are still checked (exit 2)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from ..helpers import ROOT, render


def rewritten(source: Path, destination: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of a Word package with some parts replaced (None: removed)."""
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            replacement = change.get(name, data)
            if replacement is not None:
                package.writestr(name, replacement)
    return destination


def with_corrupt_deflate(source: Path, destination: Path) -> Path:
    """A package whose main part's compressed bytes are garbled: reading it raises zlib.error."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as package:
        info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 20, start + 60):
        data[offset] ^= 0x5A
    destination.write_bytes(bytes(data))
    return destination


@pytest.mark.parametrize("damage", ["deflate", "relation", "xml"])
def test_a_damaged_word_file_is_unreadable_and_the_others_are_checked(tmp_path: Path, damage: str) -> None:
    good = render("Texte.\n", tmp_path)
    damaged = tmp_path / "abime.docx"
    if damage == "deflate":
        with_corrupt_deflate(good, damaged)
    elif damage == "relation":  # a relationship pointing at a part that is not there: KeyError 'rId…'
        rewritten(good, damaged, {"word/styles.xml": None})
    else:
        rewritten(good, damaged, {"word/document.xml": b"<w:document><w:body><w:p>"})
    result = CliRunner().invoke(main, ["--projet", str(ROOT), "check", str(damaged), str(good)])
    assert result.exit_code == 2, result.output
    assert f"{damaged} (commune et bailleur non reconnus)\n  illisible : document Word illisible ou endommagé" in (
        result.output
    )
    assert f"{good} " in result.output and "2 fichier(s) vérifié(s)" in result.output
    assert "Traceback" not in result.output and "Erreur interne" not in result.output
