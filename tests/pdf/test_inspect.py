"""pdfa_claim reads an XMP packet's PDF/A claim as pikepdf's metadata object does, whatever the packet."""

from __future__ import annotations

import pikepdf
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pdf.inspect import pdfa_claim

PDFA_ID = 'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'
RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'

value = st.sampled_from(["2", "B", "b", "3", " 2 ", "", "  ", "u", "2&amp;"])
# A claim's value as an element: plain text, blank, structured, with a comment or an instruction inside.
element_body = value | st.sampled_from(
    ["<rdf:Alt><rdf:li>2</rdf:li></rdf:Alt>", "<rdf:Seq><rdf:li>2</rdf:li></rdf:Seq>", "2<!-- c -->", "2<?pi x?>B"]
)


@st.composite
def descriptions(draw: st.DrawFn) -> str:
    """An rdf:Description holding the claim's part and conformance as attributes, elements, both or neither."""
    attributes = [f'pdfaid:{key}="{draw(value)}"' for key in ("part", "conformance") if draw(st.booleans())]
    elements = [
        f"<pdfaid:{key}>{draw(element_body)}</pdfaid:{key}>"
        for key in draw(st.lists(st.sampled_from(["part", "conformance", "other"]), max_size=3))
    ]
    namespace = draw(st.sampled_from([PDFA_ID, PDFA_ID, ""]))  # "": a prefix left unbound
    about = draw(st.sampled_from(['rdf:about=""', 'rdf:about="uuid:1"', ""]))
    return f"<rdf:Description {about} {namespace} {' '.join(attributes)}>{''.join(elements)}</rdf:Description>"


@st.composite
def packets(draw: st.DrawFn) -> bytes:
    body = "".join(draw(st.lists(descriptions(), max_size=3)))
    rdf = f"<rdf:RDF {RDF}>{body}</rdf:RDF>"
    document = draw(st.sampled_from(['<x:xmpmeta xmlns:x="adobe:ns:meta/">{}</x:xmpmeta>', "{}", "<a>{}</a>"]))
    text = draw(st.sampled_from(['<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n', ""]))
    text += document.format(rdf) + draw(st.sampled_from(['\n<?xpacket end="w"?>', "", "<broken"]))
    return text.encode("utf-8")


def pikepdf_claim(pdf: pikepdf.Pdf) -> str | None:
    """What pdfa_claim said before: pikepdf's metadata object's pdfa_status."""
    return pdf.open_metadata().pdfa_status.upper() or None


def outcome(read: object, pdf: pikepdf.Pdf) -> object:
    try:
        return read(pdf)  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - the same failure, if any
        return type(exc)


@settings(max_examples=400, deadline=None)
@given(packets())
def test_pdfa_claim_reads_as_pikepdf_reads(packet: bytes) -> None:
    pdf = pikepdf.new()
    pdf.Root.Metadata = pdf.make_stream(packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    assert outcome(pdfa_claim, pdf) == outcome(pikepdf_claim, pdf)


def test_a_pdf_without_a_packet_claims_nothing() -> None:
    assert pdfa_claim(pikepdf.new()) is None
