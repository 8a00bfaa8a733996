"""The Word package: written as zipfile writes it, the same bytes whether the template was compiled for it or not."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from generator.render import template
from generator.render.archive import entry, write_archive

from ..helpers import TEMPLATE, render

MARKDOWN = (
    "Texte **gras**, *italique*, ~~barré~~, `code`, 1^er^ et une note[^1].\n\n- un\n  - deux\n\n1. trois\n\n"
    "| Nom | Montant |\n|---|--:|\n| Une | 1 000 € |\n| Deux |\n\n[^1]: La note.\n"
)


def test_the_archive_is_what_zipfile_writes(tmp_path: Path) -> None:
    parts = [(name, zipfile.ZipFile(TEMPLATE).read(name)) for name in zipfile.ZipFile(TEMPLATE).namelist()]
    parts.append(("word/média.xml", b"<a/>"))  # a name beyond ASCII
    when = datetime(2025, 3, 14)
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    write_archive(tmp_path / "paquet.docx", [entry(name, data) for name, data in parts], when)
    assert (tmp_path / "paquet.docx").read_bytes() == expected.getvalue()


def test_a_document_is_the_same_from_a_fresh_or_a_compiled_template(tmp_path: Path) -> None:
    digests = []
    for run in range(3):
        if run < 2:
            template._CACHE.clear()  # compiled afresh, then reused
        folder = tmp_path / str(run)
        folder.mkdir()
        digests.append(hashlib.sha256(render(MARKDOWN, folder).read_bytes()).hexdigest())
    assert len(set(digests)) == 1


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    copy = tmp_path / "modele.docx"
    copy.write_bytes(TEMPLATE.read_bytes())
    first = template.compiled_template(copy)
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(copy, "w") as changed:
        for name in source.namelist():
            data = source.read(name)
            changed.writestr(name, data.replace(b"{{ mention }}", b"{{ mention }} !") if "header" in name else data)
    assert template.compiled_template(copy) is not first
    assert template.compiled_template(copy) is template.compiled_template(copy)


_BODY = '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{}</w:body>'
_SPAN = '<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>'


def _table(columns: int, *rows: int, span: bool = False, inner: str = "") -> str:
    grid = "".join(f'<w:gridCol w:w="{1000 * (n + 1)}"/>' for n in range(columns))
    cells = ["".join(f"<w:tc>{_SPAN if span and c == 0 else ''}<w:p/>{inner}</w:tc>" for c in range(n)) for n in rows]
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(f'<w:tr>{row}</w:tr>' for row in cells)}</w:tbl>"


@pytest.mark.parametrize(
    "tables",
    [
        [_table(3, 3, 3)],
        [_table(3, 3, 2)],
        [_table(3, 2, 2)],  # a column too many: removed
        [_table(2, 3, 1)],  # a cell too many: a column added
        [_table(2, 1, span=True)],
        [_table(3, 3, 3), _table(2, 2, 3)],
        [_table(2)],  # no row
        [_table(2, 2, inner=_table(3, 3))],  # a table in a cell: its rows are the outer table's too
        [_table(3, 3, inner=_table(1, 1))],
    ],
)
def test_tables_are_left_as_they_are_where_docxtpl_leaves_them(tables: list[str]) -> None:
    """template._tables_whole tells when docxtpl's fix_tables would change nothing: the tree is then the one parsed."""
    xml = _BODY.format("<w:p/>".join(tables))
    engine = template.compiled_template(TEMPLATE).engine
    fixed = etree.tostring(engine.fix_tables(xml))
    parsed = etree.fromstring(xml)
    assert template._tables_whole(parsed) <= (etree.tostring(parsed) == fixed)
