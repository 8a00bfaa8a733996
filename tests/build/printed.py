"""Print checks: a PDF as poppler lays it out (pages, blocks, lines, words with their boxes) and a Word file as its
XML says it (tables, headings, runs, properties), read independently of the code that wrote them."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from docx import Document
from docx.oxml.ns import qn
from docx.table import _Cell

from ..helpers import normalise

XHTML = "{http://www.w3.org/1999/xhtml}"
MARGIN = 2 / 2.54 * 72  # the template's top and bottom margins, in points
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
ORDINAL = re.compile(r"(?<![\w.,])\d{1,3}(?:ers?|res?|es?|ndes?|nds?|èmes?)(?!\w)")


@dataclass
class Line:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    words: list[tuple[str, float, float, float, float]] = field(default_factory=list)


@dataclass
class Block:
    page: int
    lines: list[Line]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def top(self) -> float:
        return min(line.top for line in self.lines)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    blocks: list[Block]

    def body(self) -> list[Block]:
        """The blocks between the header and the footer (the margins hold nothing else)."""
        return [b for b in self.blocks if MARGIN - 2 < b.top < self.height - MARGIN + 2]

    def header_lines(self) -> set[float]:
        return {round(line.top) for b in self.blocks for line in b.lines if line.bottom < MARGIN}

    def body_lines(self) -> list[Line]:
        return sorted((line for b in self.body() for line in b.lines), key=lambda line: (line.top, line.left))


def squash(text: str) -> str:
    """Text compared whatever its line breaks and hyphens: no spaces, no hyphens, apostrophes plain."""
    return re.sub(r"[\s\-‐]", "", normalise(text))


def laid_out(pdf: Path) -> list[Page]:
    """Every page of a PDF as pdftotext -bbox-layout lays it out."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = []
    for number, page in enumerate(ElementTree.fromstring(xml).iter(f"{XHTML}page"), start=1):
        blocks = []
        for block in page.iter(f"{XHTML}block"):
            lines = []
            for line in block.iter(f"{XHTML}line"):
                words = [
                    (w.text or "", *(float(w.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")))
                    for w in line.iter(f"{XHTML}word")
                ]
                box = (float(line.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax"))
                lines.append(Line(" ".join(w[0] for w in words), *box, words=words))  # type: ignore[arg-type]
            if lines:
                blocks.append(Block(number, lines))
        pages.append(Page(number, float(page.get("width", 0)), float(page.get("height", 0)), blocks))
    return pages


# --- what the print checks find: each a list of descriptions, empty when all is well ---------------------------
def split_cells(docx: Path, pages: list[Page]) -> list[str]:
    """Table cells (one paragraph each) whose text is not whole in one block of one page: the row was split."""
    wanted: dict[str, int] = {}
    for table in Document(str(docx)).tables:
        for row in table.rows:
            for cell in row.cells:
                texts = [p.text for p in cell.paragraphs if p.text.strip()]
                if len(texts) == 1:
                    wanted[squash(texts[0])] = wanted.get(squash(texts[0]), 0) + 1
    found: dict[str, int] = {}
    for block in (b for page in pages for b in page.body()):
        key = squash(block.text)
        found[key] = found.get(key, 0) + 1
    return [text for text, count in wanted.items() if found.get(text, 0) < count]


def signature_cells(docx: Path) -> list[_Cell]:
    """The cells of the signature table (« Pour l'État »…), wherever the annexes put it."""
    table = next(t for t in Document(str(docx)).tables if t.rows[0].cells[0].text.startswith("Pour "))
    return [c for row in table.rows for c in row.cells]


def signature_cells_split(docx: Path, pages: list[Page]) -> list[str]:
    """Signature cells (several paragraphs) not all on one page."""
    problems = []
    for cell in signature_cells(docx):
        texts = [squash(p.text) for p in cell.paragraphs if p.text.strip()]
        if not any(all(any(t in squash(b.text) for b in page.body()) for t in texts) for page in pages):
            problems.append(cell.text)
    return problems


def headings(docx: Path) -> list[str]:
    document = Document(str(docx))
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title")) and p.text.strip()]


def headings_ending_a_page(docx: Path, pages: list[Page]) -> list[str]:
    """Headings that are the last lines of a page's body (nothing of their section below them on that page)."""
    wanted = {squash(h) for h in headings(docx)}
    problems = []
    for page in pages[:-1]:
        lines = page.body_lines()
        for count in (1, 2, 3):
            tail = squash(" ".join(line.text for line in lines[-count:]))
            if tail in wanted:
                problems.append(f"page {page.number}: {tail}")
    return problems


def broken_bindings(pages: list[Page]) -> list[str]:
    """A date, « n° X », a percentage or an amount cut at a line's end."""
    lines = [line.text for page in pages for line in page.body_lines()]
    problems = []
    for before, after in zip(lines, lines[1:], strict=False):
        cut = (
            re.search(r"(?:^|\s)(?:1\s?er|\d{1,2})$", before) and re.match(rf"(?:{MONTHS})\b", after, re.IGNORECASE),
            re.search(rf"(?:{MONTHS})$", before, re.IGNORECASE) and re.match(r"\d{4}\b", after),
            re.search(r"(?:^|\s)n°$", before),
            re.match(r"[%€]", after),
        )
        if any(cut):
            problems.append(f"{before} | {after}")
    return problems


def unraised_ordinals(docx: Path) -> list[str]:
    """Ordinals (« 1er », « 2e ») whose suffix is not in a superscript run, in the body and the notes."""
    problems = []
    with zipfile.ZipFile(docx) as package:
        for name in package.namelist():
            if re.fullmatch(r"word/(document|footnotes|header\d*|footer\d*)\.xml", name):
                for run in ElementTree.fromstring(package.read(name)).iter(qn("w:r")):
                    raised = run.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}")
                    text = "".join(t.text or "" for t in run.iter(qn("w:t")))
                    if (raised is None or raised.get(qn("w:val")) != "superscript") and ORDINAL.search(text):
                        problems.append(text)
    return problems


def raised_suffixes(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    return [
        "".join(t.text or "" for t in run.iter(qn("w:t")))
        for run in root.iter(qn("w:r"))
        if (found := run.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}")) is not None
        and found.get(qn("w:val")) == "superscript"
    ]


def straight_apostrophes(docx: Path) -> list[str]:
    """Every text of the Word package (parts' text nodes, properties) with a straight apostrophe."""
    problems = []
    with zipfile.ZipFile(docx) as package:
        for name in package.namelist():
            if name.endswith(".xml") and not name.startswith("customXml"):
                for element in ElementTree.fromstring(package.read(name)).iter():
                    if "'" in (element.text or ""):
                        problems.append(f"{name}: {element.text}")
    return problems


def landlord_without_article(text: str, name: str, article: str) -> list[str]:
    """Each place the landlord is named without the article its data gives it (or with one it has none of)."""
    text = normalise(text)
    allowed = {
        "la": ("la ", "La "),
        "le": ("le ", "Le ", "du "),
        "les": ("les ", "Les ", "des "),
        "l'": ("l'", "L'"),
        "": (),
    }[article]
    problems = []
    for found in re.finditer(re.escape(name), text):
        before = text[max(0, found.start() - 4) : found.start()]
        if article and not before.endswith(allowed):
            problems.append(text[max(0, found.start() - 30) : found.end()])
        if not article and re.search(r"(?:\bla |\ble |\bles |\bl'|\bdu |\bdes )$", before):
            problems.append(text[max(0, found.start() - 30) : found.end()])
    return problems


def signature_page(pages: list[Page]) -> tuple[Page, Line]:
    for page in reversed(pages):
        for line in page.body_lines():
            if line.text.startswith("Fait à "):
                return page, line
    raise AssertionError("no « Fait à » line")


def words(pages: list[Page]) -> Iterator[tuple[Page, Line]]:
    for page in pages:
        for block in page.blocks:
            for line in block.lines:
                yield page, line
