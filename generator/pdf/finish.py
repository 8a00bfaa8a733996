"""PDF finishing: our metadata, XMP and a stable identity (pikepdf), then one empty signature field per signatory
placed in its cell (pyHanko), where the template's bookmarks say the cell is (poppler's layout for older templates)."""

from __future__ import annotations

import gc
import hashlib
import io
import struct
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pikepdf
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

from ..assembly.document import DRAFT_MENTION
from ..errors import ConversionError, Location
from ..reading.lines import normalise
from ..reading.poppler import LaidOutPage, TextLine, laid_out_pages
from .inspect import pdfa_claim
from .marks import destination_name, signature_marks
from .metadata import PdfMetadata, read_back_as_is, xmp


@dataclass(frozen=True)
class SignatureSpot:
    """A signatory's cell: the field name, its label, the text that opens the cell and the signatory's key."""

    field: str
    label: str
    opening: str  # the cell's first line ("Pour la Ville de Lourches")
    key: str = ""  # "maire": the template's bookmarks of the cell (generator/pdf/marks.py)


@dataclass(frozen=True)
class PlacedField:
    field: str
    label: str
    page: int  # 0-based
    box: tuple[float, float, float, float]  # PDF points, lower-left origin


def finish_pdf(
    source: Path, destination: Path, metadata: PdfMetadata, spots: Sequence[SignatureSpot], draft: bool = False
) -> int:
    """Stable metadata and identity, bookmarks shown on opening (pikepdf), then one empty signature field per
    signatory (pyHanko, incremental); its number of pages. A draft (« PROJET » in its page header) says so in its
    metadata too."""
    rewritten, placed, pages = _with_metadata(source, destination.parent, metadata, spots, draft)
    _add_signature_fields(rewritten, destination, placed)
    return pages


def _read_last_pages(pdf: bytes, page_count: int, spots: Sequence[SignatureSpot]) -> list[PlacedField]:
    """Each spot's field, read from the end of the document two pages at a time (the signatures are late): for a
    template without the bookmarks of generator/pdf/marks.py (a project's copy of an older one)."""
    placed: dict[str, PlacedField] = {}
    openings = [spot.opening for spot in spots]
    last = page_count
    while last >= 1 and len(placed) < len(spots):
        first = max(1, last - 1)
        pages = laid_out_pages(pdf, first, last)
        for spot in spots:
            if spot.field not in placed:
                found = place_field(pages, spot, openings)
                if found is not None:
                    placed[spot.field] = found
        last = first - 1
    missing = [spot.opening for spot in spots if spot.field not in placed]
    if missing:
        raise ConversionError(f"cellule de signature introuvable dans le PDF : « {missing[0]} ».")
    return [placed[spot.field] for spot in spots]


def _with_metadata(
    source: Path, folder: Path, metadata: PdfMetadata, spots: Sequence[SignatureSpot], draft: bool
) -> tuple[bytes, list[PlacedField], int]:
    """LibreOffice's PDF rewritten with our metadata, dates and identifier instead of its clock's, its bookmarks
    named and shown on opening; with where its signature fields go, and its number of pages."""
    try:
        with pikepdf.open(source) as pdf:
            if not pdf.pages:
                raise ConversionError("le PDF produit est vide.", Location(str(source)))
            if pdfa_claim(pdf) != "2B" or "/OutputIntents" not in pdf.Root:
                raise ConversionError(
                    "LibreOffice n'a pas produit un PDF/A-2b : le document ne peut pas être archivé.",
                    Location(str(source)),
                )
            placed = fields_from_destinations(pdf, spots)
            if placed is None:
                placed = _read_last_pages(source.read_bytes(), len(pdf.pages), spots)
            if draft:
                metadata = replace(metadata, subject=f"{DRAFT_MENTION} — {metadata.subject}")
            _write_metadata(pdf, metadata)
            _name_bookmarks(pdf)
            _date_colour_profiles(pdf, metadata.date)
            if "/DocChecksum" in pdf.trailer:  # LibreOffice's digest of this very run's bytes
                del pdf.trailer.DocChecksum
            identifier = pikepdf.String(metadata.identifier)
            pdf.trailer.ID = pikepdf.Array([identifier, identifier])
            return _saved(pdf, folder, metadata), placed, len(pdf.pages)
    except pikepdf.PdfError as exc:
        raise ConversionError(f"le PDF produit est illisible ({exc}).", Location(str(source))) from None


def _saved(pdf: pikepdf.Pdf, folder: Path, metadata: PdfMetadata) -> bytes:
    """The rewritten PDF's bytes, saved through a nameless scratch file in `folder`, removed on closing: pikepdf
    writes a plain file's descriptor directly, where a BytesIO costs it a Python call for each of its small writes.
    Its XMP packet is written again by pikepdf only where doing so would change it (see generator/pdf/metadata.py)."""
    with tempfile.TemporaryFile(dir=folder) as scratch:
        # static_id keeps our /ID instead of drawing a new one
        pdf.save(scratch, static_id=True, fix_metadata_version=not read_back_as_is(metadata))
        scratch.seek(0)
        return scratch.read()


def _write_metadata(pdf: pikepdf.Pdf, metadata: PdfMetadata) -> None:
    """The Info dictionary and the XMP packet (LibreOffice's, replaced), saying the same, and the language."""
    stamp = "D:" + metadata.date.strftime("%Y%m%d") + "000000Z"
    pdf.trailer.Info = pdf.make_indirect(
        pikepdf.Dictionary(
            Title=pikepdf.String(metadata.title),
            Author=pikepdf.String(metadata.author),
            Subject=pikepdf.String(metadata.subject),
            Keywords=pikepdf.String(", ".join(metadata.keywords)),
            Creator=pikepdf.String("atfpb"),
            Producer=pikepdf.String(metadata.producer),
            CreationDate=pikepdf.String(stamp),
            ModDate=pikepdf.String(stamp),
        )
    )
    pdf.Root.Metadata.write(xmp(metadata).encode("utf-8"))
    pdf.Root.Lang = pikepdf.String(metadata.language)


BOOKMARK_NAMES = (("Vu ", "Visas"), ("Fait à ", "Signatures"))  # blocks whose bookmark would be their first sentence


def _name_bookmarks(pdf: pikepdf.Pdf) -> None:
    """The outline LibreOffice made from the document's headings: the visas and the signatures named as such (their
    first sentences open them), and shown in the reader's side panel when the document opens."""
    outlines = pdf.Root.get("/Outlines")
    item = outlines.get("/First") if outlines is not None else None
    while item is not None:
        title = normalise(str(item.get("/Title", "")))
        name = next((name for start, name in BOOKMARK_NAMES if title.startswith(start)), None)
        if name is not None:
            item.Title = pikepdf.String(name)
        item = item.get("/Next")
    if outlines is not None:
        pdf.Root.PageMode = pikepdf.Name.UseOutlines


def _date_colour_profiles(pdf: pikepdf.Pdf, when: date) -> None:
    """LibreOffice stamps the PDF/A colour profile with the clock: stamp it with the document date."""
    for intent in pdf.Root.get("/OutputIntents", []):
        profile = intent.DestOutputProfile
        data = bytearray(profile.read_bytes())
        data[24:36] = struct.pack(">6H", when.year, when.month, when.day, 0, 0, 0)  # ICC header date
        profile.write(bytes(data))  # qpdf compresses it again on saving


@dataclass(frozen=True)
class _Mark:
    """Where a bookmark of the signature table starts: page, x from the left, y from the top of the page."""

    page: int
    x: float
    top: float


def fields_from_destinations(pdf: pikepdf.Pdf, spots: Sequence[SignatureSpot]) -> list[PlacedField] | None:
    """Each spot's field, from the named destinations LibreOffice made of the signature table's bookmarks (the cell's
    start and the start of its blank part), which are then removed; None when the template has none of them."""
    destinations = pdf.Root.get("/Dests")
    if not spots or destinations is None:
        return None
    names = {spot.field: ["/" + destination_name(mark) for mark in signature_marks(spot.key)] for spot in spots}
    if any(len(found) != 2 or any(name not in destinations for name in found) for found in names.values()):
        return None
    pages: dict[tuple[int, int], int] = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    heights = [float(page.mediabox[3]) for page in pdf.pages]
    cells, blanks = {}, {}
    for field, (cell, blank) in names.items():
        cells[field], blanks[field] = (_mark_at(destinations[name], pages, heights) for name in (cell, blank))
    for name in (name for found in names.values() for name in found):
        del destinations[name]
    if not destinations.keys():
        del pdf.Root.Dests
    widths = [float(page.mediabox[2]) for page in pdf.pages]
    return [_field_in_cell(spot, cells, blanks, widths, heights) for spot in spots]


def _mark_at(destination: pikepdf.Object, pages: dict[tuple[int, int], int], heights: list[float]) -> _Mark:
    """A destination [page /XYZ left top zoom], measured from the top of its page as poppler measures lines."""
    page = pages[destination[0].objgen]
    return _Mark(page, float(destination[2]), heights[page] - float(destination[3]))


def _field_in_cell(
    spot: SignatureSpot, cells: dict[str, _Mark], blanks: dict[str, _Mark], widths: list[float], heights: list[float]
) -> PlacedField:
    """The blank part of the signatory's cell, from its bookmarks: its text ends where its blank part starts."""
    cell, blank = cells[spot.field], blanks[spot.field]
    row = [blanks[f].x for f, other in cells.items() if other.page == cell.page and abs(other.top - cell.top) < 2]
    following = sorted(other.top for other in cells.values() if other.page == cell.page and other.top > cell.top + 2)
    half = _half_column(row, widths[blank.page])
    return _blank_part(spot, blank.page, heights[blank.page], blank.x, half, blank.top, following[:1])


def place_field(pages: dict[int, LaidOutPage], spot: SignatureSpot, openings: Sequence[str]) -> PlacedField | None:
    """The blank part of the signatory's cell, below all its text, found in the laid-out pages (not guessed):
    `openings` are the first lines of every cell (« Pour l'État »…), which tell the rows and columns apart."""
    for page_index in sorted(pages, reverse=True):
        width, height, lines = pages[page_index].width, pages[page_index].height, pages[page_index].lines
        opening = _find_line(lines, spot.opening)
        if opening is None:
            continue
        cells = [found for found in (_find_line(lines, text) for text in openings) if found is not None]
        row = [line.centre for line in cells if abs(line.top - opening.top) < 2]
        following = sorted(line.top for line in cells if line.top > opening.top + 2)
        half = _half_column(row, width)
        left, right = opening.centre - half, opening.centre + half
        limit = following[0] if following else opening.top + CELL_TEXT
        in_cell = [line for line in lines if left <= line.centre <= right and opening.top <= line.top < limit]
        text_bottom = max(line.bottom for line in in_cell)  # a long name, a delegation, may take several lines
        return _blank_part(spot, page_index, height, opening.centre, half, text_bottom, following[:1])
    return None


def _half_column(centres: Sequence[float], page_width: float) -> float:
    """Half a column's width, from the centres of a row's cells (their first lines are centred in them); a quarter
    of the page for a cell alone in its row."""
    if len(centres) < 2:
        return page_width / 4
    ordered = sorted(centres)
    return (ordered[-1] - ordered[0]) / (2 * (len(ordered) - 1))


def _blank_part(
    spot: SignatureSpot,
    page: int,
    page_height: float,
    centre: float,
    half: float,
    text_bottom: float,
    next_row: Sequence[float],
) -> PlacedField:
    """The field under a cell's text (measured from the top of the page): as wide as its column, down to the next
    row (`next_row`, its top, when there is one) or 4 cm."""
    bottom = next_row[0] if next_row else text_bottom + SIGNATURE_SPACE
    box = (centre - half + 4, page_height - bottom + 6, centre + half - 4, page_height - (text_bottom + 4))
    return PlacedField(spot.field, spot.label, page, box)


CELL_TEXT = 5 / 2.54 * 72  # points: at most this much text in a signatory's cell, before its blank part
SIGNATURE_SPACE = 4 / 2.54 * 72  # points: the template leaves 4 cm below each signatory's name


def _find_line(lines: Sequence[TextLine], text: str) -> TextLine | None:
    """The line that reads `text`, or that begins it when a narrow cell wraps it (« Pour la Ville de Téteghem- »),
    or that goes on with a mark after it (« Pour Valenciennes Métropole (à confirmer) », in a draft)."""
    wanted = normalise(text)
    exact = next((line for line in lines if normalise(line.text) == wanted), None)
    return (
        exact
        or next((line for line in lines if _begins(wanted, normalise(line.text))), None)
        or next((line for line in lines if _begins(normalise(line.text), wanted)), None)
    )


def _begins(text: str, start: str) -> bool:
    return len(start) >= 12 and text.startswith(start.rstrip("-")) and text[len(start.rstrip("-")) :][:1] in " -"


class _StableIncrementalWriter(IncrementalPdfFileWriter):
    """pyHanko's incremental writer, minus the clock: our metadata is already final and dated."""

    def _update_meta(self) -> None:  # the document date, not 'now', dates the file
        pass

    @classmethod
    def _handle_id(cls, prev):  # type: ignore[no-untyped-def]
        first, _ = prev.trailer["/ID"]
        return generic.ArrayObject(
            [first, generic.ByteStringObject(hashlib.md5(first.original_bytes + b"fields").digest())]
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while pyHanko works: it leaves ~2,400 objects a document in
    reference cycles, which collections meanwhile go over again and again and move up to the older generations,
    bringing on full collections of all the process's objects; the first collection after frees them at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _add_signature_fields(pdf: bytes, destination: Path, placed: Sequence[PlacedField]) -> None:
    """The fields appended to the rewritten PDF as an incremental update (with the catalog's /Version 1.7, even
    without fields), the whole written at once."""
    with _collector_paused():
        document = io.BytesIO(pdf)
        _append_fields(document, placed)
    destination.write_bytes(document.getbuffer())


def _append_fields(document: io.BytesIO, placed: Sequence[PlacedField]) -> None:
    """pyHanko's incremental update, appended to the PDF in `document`."""
    writer = _StableIncrementalWriter(document)
    for spot in placed:
        append_signature_field(
            writer,
            SigFieldSpec(
                sig_field_name=spot.field,
                on_page=spot.page,
                box=tuple(round(v) for v in spot.box),  # type: ignore[arg-type]
                readable_field_name=spot.label,
            ),
        )
    if writer.objects:  # as writer.write() does, which would also copy the PDF into `destination` chunk by chunk
        writer.write_in_place()
