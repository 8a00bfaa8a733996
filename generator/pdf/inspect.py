"""PDF inspection with pikepdf: pages, PDF/A claim, fonts, signature fields, metadata (for the build and verify)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..errors import ConversionError, Location
from ..reading.lines import UnreadableDocument


def page_count(path: Path) -> int:
    """The number of pages of a PDF that reads back; an error if it does not."""
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise ConversionError(f"le PDF produit est illisible ({exc}).", Location(str(path))) from None
    if pages == 0:
        raise ConversionError("le PDF produit est vide.", Location(str(path)))
    return pages


@dataclass(frozen=True)
class SignatureField:
    name: str
    label: str
    page: int  # 1-based
    signed: bool


@dataclass(frozen=True)
class PdfFacts:
    """What a PDF declares and contains, as `atfpb verify` reports it."""

    pages: int
    pdfa: str | None  # "2B" for PDF/A-2b
    fonts: tuple[tuple[str, bool], ...]  # (name, embedded)
    fields: tuple[SignatureField, ...]
    metadata: dict[str, str]
    language: str | None
    identifier: str  # hex of the permanent part of /ID
    bookmarks: tuple[str, ...] = ()  # the outline's top level: title block, visas, articles, signatures, annexes
    page_mode: str | None = None  # "UseOutlines": the bookmarks shown on opening


def inspect_pdf(path: Path) -> PdfFacts:
    try:
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            return PdfFacts(
                pages=len(pdf.pages),
                pdfa=pdfa_claim(pdf),
                fonts=tuple(sorted(_fonts(pdf).items())),
                fields=tuple(_signature_fields(pdf)),
                metadata={str(k): str(v) for k, v in pdf.docinfo.items()},
                language=str(root.Lang) if "/Lang" in root else None,
                identifier=bytes(pdf.trailer.ID[0]).hex() if "/ID" in pdf.trailer else "",
                bookmarks=tuple(_bookmarks(pdf)),
                page_mode=str(root.PageMode).lstrip("/") if "/PageMode" in root else None,
            )
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise UnreadableDocument(f"PDF illisible ({exc}).", Location(str(path))) from None


def pdfa_claim(pdf: pikepdf.Pdf) -> str | None:
    """The PDF/A part and conformance the XMP metadata declares ('2B'), if any."""
    return pdf.open_metadata().pdfa_status.upper() or None


def _fonts(pdf: pikepdf.Pdf) -> dict[str, bool]:
    fonts: dict[str, bool] = {}
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        font_dict = resources.get("/Font") if resources is not None else None
        for font in font_dict.values() if font_dict is not None else ():
            descendants = font.get("/DescendantFonts")
            described = descendants[0] if descendants is not None else font
            descriptor = described.get("/FontDescriptor")
            embedded = font.get("/Subtype") == pikepdf.Name.Type3 or (
                descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
            fonts[str(font.get("/BaseFont", "?")).lstrip("/")] = embedded
    return fonts


def _signature_fields(pdf: pikepdf.Pdf) -> list[SignatureField]:
    fields = []
    for number, page in enumerate(pdf.pages, start=1):
        for widget in page.obj.get("/Annots", ()):
            if widget.get("/FT") == pikepdf.Name.Sig:
                fields.append(SignatureField(str(widget.get("/T")), str(widget.get("/TU", "")), number, "/V" in widget))
    return fields


def _bookmarks(pdf: pikepdf.Pdf) -> list[str]:
    outlines = pdf.Root.get("/Outlines")
    item = outlines.get("/First") if outlines is not None else None
    titles: list[str] = []
    while item is not None and len(titles) < 10_000:
        titles.append(str(item.get("/Title", "")))
        item = item.get("/Next")
    return titles
