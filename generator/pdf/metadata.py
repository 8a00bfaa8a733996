"""What a finished PDF says about itself, and its XMP packet, written the way pikepdf would write it again."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class PdfMetadata:
    """What the finished PDF says about itself (Info dictionary and XMP alike)."""

    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    date: date
    identifier: bytes  # 16 bytes derived from the content, for a stable /ID
    language: str = "fr-FR"
    producer: str = "atfpb (LibreOffice, qpdf, pyHanko)"


# An element's text that XML reads back as it is: not empty (pikepdf would write an empty element <x/>), without
# a carriage return (read back as a line feed) or a character XML refuses (pikepdf would drop it).
_AS_IS = re.compile("[\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]+")


def read_back_as_is(metadata: PdfMetadata) -> bool:
    """Whether pikepdf, parsing the packet of xmp() and writing it again (as saving does by default), would write
    the very same bytes: then saving may skip it (pikepdf.Pdf.save's fix_metadata_version)."""
    texts = (metadata.title, metadata.author, metadata.subject, ", ".join(metadata.keywords), metadata.producer)
    language = metadata.language  # written unescaped
    return all(_AS_IS.fullmatch(text) for text in (*texts, language)) and escape(language) == language


def xmp(metadata: PdfMetadata) -> str:
    """An XMP packet declaring PDF/A-2b, consistent with the Info dictionary, laid out as pikepdf (lxml) writes
    one: namespaces before rdf:about, a blank line before the closing processing instruction."""
    moment = metadata.date.isoformat() + "T00:00:00Z"
    document_id = "uuid:" + str(uuid.UUID(bytes=metadata.identifier))
    text = {
        key: escape(value)
        for key, value in {
            "title": metadata.title,
            "author": metadata.author,
            "subject": metadata.subject,
            "keywords": ", ".join(metadata.keywords),
            "producer": metadata.producer,
        }.items()
    }
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" rdf:about="">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" rdf:about="">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text["title"]}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{text["author"]}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text["subject"]}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{metadata.language}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description xmlns:pdf="http://ns.adobe.com/pdf/1.3/" rdf:about="">
   <pdf:Keywords>{text["keywords"]}</pdf:Keywords>
   <pdf:Producer>{text["producer"]}</pdf:Producer>
  </rdf:Description>
  <rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" rdf:about="">
   <xmp:CreatorTool>atfpb</xmp:CreatorTool>
   <xmp:CreateDate>{moment}</xmp:CreateDate>
   <xmp:ModifyDate>{moment}</xmp:ModifyDate>
   <xmp:MetadataDate>{moment}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" rdf:about="">
   <xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{document_id}</xmpMM:InstanceID>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>

<?xpacket end="w"?>
"""
