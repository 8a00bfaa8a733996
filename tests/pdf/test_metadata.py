"""The XMP packet is written as pikepdf writes it again: saving may skip that pass wherever read_back_as_is says so."""

from __future__ import annotations

import io
from datetime import date

import pikepdf
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pdf.metadata import PdfMetadata, read_back_as_is, xmp


def written_again(packet: bytes) -> bytes:
    """The packet as a PDF saved by pikepdf holds it, its XMP parsed and written again (fix_metadata_version)."""
    pdf = pikepdf.new()
    pdf.Root.Metadata = pdf.make_stream(packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    buffer = io.BytesIO()
    pdf.save(buffer, fix_metadata_version=True)
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as saved:
        return saved.Root.Metadata.read_bytes()


def metadata(title: str, subject: str, author: str, keywords: tuple[str, ...]) -> PdfMetadata:
    return PdfMetadata(title, subject, author, keywords, date(2026, 4, 30), bytes(range(16)))


def test_a_document_s_packet_is_written_again_as_it_is() -> None:
    document = metadata("Convention d’utilisation — Ville de Lourches", "Programme 2026", "CA", ("QN05903M",))
    assert read_back_as_is(document)
    assert written_again(xmp(document).encode("utf-8")) == xmp(document).encode("utf-8")


def test_what_xml_would_not_read_back_as_it_is_is_written_again() -> None:
    """An empty value (an empty element), a carriage return, a character XML refuses: pikepdf's pass is kept."""
    for changed in (metadata("", "s", "a", ("k",)), metadata("t", "s\r", "a", ("k",)), metadata("t", "s", "a\x01", ())):
        assert not read_back_as_is(changed)
        assert written_again(xmp(changed).encode("utf-8")) != xmp(changed).encode("utf-8")


printable = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
plain = st.text(printable | st.sampled_from("&<>\"' ’é]]>"), min_size=1)
odd = st.text(st.characters(codec="utf-8") | st.sampled_from("&<>\"' \t\n\r’é]]>\x00\x7f\x85\ufffe"))
text = st.one_of(plain, odd)


@settings(max_examples=300, deadline=None)
@given(text, text, text, st.lists(text, max_size=3))
def test_read_back_as_is_only_where_pikepdf_writes_the_same(
    title: str, subject: str, author: str, keywords: list[str]
) -> None:
    chosen = metadata(title, subject, author, tuple(keywords))
    if read_back_as_is(chosen):
        assert written_again(xmp(chosen).encode("utf-8")) == xmp(chosen).encode("utf-8")
