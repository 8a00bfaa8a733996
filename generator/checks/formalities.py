"""Rules on a document's formalities: how it is signed (a blank date to fill by hand only on paper), the avenant's
number in its title, and its visas in legal order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..inputs.rules import Rules
from ..model.territory import SIGNATURE_MODES
from ..text import fold
from .document import ERROR, Document, Finding
from .expectations import NATIONAL, Expected
from .text import excerpt

ELECTRONIC, PAPER = SIGNATURE_MODES
_DATE_BLANK = re.compile(r"[_.…\s]+|fait à .*", re.IGNORECASE)  # a line to fill, or « le » with nothing after
_COPIES = re.compile(r"\bexemplaires?\b", re.IGNORECASE)
_NUMBER = re.compile(r"\bavenant\s+n\s*[°o]\s*(\d+)", re.IGNORECASE)
TITLE_LINES = 8  # the title comes within the first lines, as `document_kind` reads it

# The visas' legal order, as far as a rule can tell from their first words: the legal texts (laws, codes, decrees,
# the national framework and its référentiel), then the convention an avenant amends, then the act authorising the
# signature of this very document. The contract and the deliberation approving it may stand in either order.
LEGAL_TEXT, CONVENTION, AUTHORISATION = 0, 2, 3
_LEGAL_TEXT = re.compile(
    r"^vu (?:la loi|le code|les? articles?|l'article|le decret|l'ordonnance|le cadre national|le referentiel"
    r"|l'avenant [^;]{0,60}cadre national)"
)
_CONVENTION = re.compile(r"^vu la convention\b")
_AUTHORISATION = re.compile(r"\bautorisant\b.{0,60}\b(?:present avenant|presente convention|a signer)\b")
_RANK_NAMES = {
    LEGAL_TEXT: "les lois, le code, les décrets et le cadre national",
    CONVENTION: "la convention",
    AUTHORISATION: "l'acte autorisant la signature",
}
ORDER = "lois, code, décrets, cadre national, contrat, convention, délibérations"


def signing_mode(doc: Document, expected: Expected) -> str:
    """How the document is signed: the project's choice (« signature » in territoire.yaml); outside a project, paper
    when its « Fait à » line counts its originals (« en quatre exemplaires »)."""
    if expected.scope != NATIONAL:
        return expected.territory.periode.signature
    index = done_at(doc)
    return PAPER if index is not None and _COPIES.search(doc.with_continuation(index)) else ELECTRONIC


def done_at(doc: Document) -> int | None:
    """The line « Fait à …, le … » that opens the signatures (the last one of the body), if the document has one."""
    body = [i for i, line in enumerate(doc.lines) if not line.place.in_margin]
    return next((i for i in reversed(body) if doc.lines[i].text.startswith("Fait à")), None)


def intentional_blank(doc: Document, expected: Expected, index: int, blank: str) -> bool:
    """A blank that is meant to be there: on paper, the date of « Fait à …, le ____ » is written by hand when the
    parties sign; electronically, and anywhere else, a blank is a field left empty."""
    if not _DATE_BLANK.fullmatch(blank):
        return False
    return index == done_at(doc) and signing_mode(doc, expected) == PAPER


def avenant_number(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    """An avenant of the project's programmes says its number in its title (« Avenant n° 2 à la convention… »), the
    number it has among its convention's avenants."""
    programme = expected.programme
    if expected.kind != "avenant" or programme is None:
        return
    number = programme.number(expected.territory.periode.debut)
    title = [i for i, line in enumerate(doc.lines[: TITLE_LINES * 2]) if not line.place.in_margin][:TITLE_LINES]
    found = next(((i, m) for i in title if (m := _NUMBER.search(doc.lines[i].text))), None)
    if found is None:
        where = title[0] if title else 0
        message = f"le titre de l'avenant ne dit pas son numéro : c'est l'avenant n° {number} à la convention."
        yield Finding("avenant-number", ERROR, message, doc.where(where), doc.lines[where].text if doc.lines else "")
        return
    index, match = found
    if int(match.group(1)) != number:
        yield Finding(
            "avenant-number",
            ERROR,
            f"l'avenant de {programme.annee} est le n° {number} de sa convention, pas le n° {match.group(1)}.",
            doc.where(index),
            excerpt(doc.lines[index].text, match.start(), match.end()),
        )


@dataclass(frozen=True)
class _Visa:
    index: int  # its first line
    text: str

    @property
    def rank(self) -> int | None:
        folded = fold(self.text)
        if _AUTHORISATION.search(folded):
            return AUTHORISATION
        if _CONVENTION.match(folded):
            return CONVENTION
        return LEGAL_TEXT if _LEGAL_TEXT.match(folded) else None


def visas(doc: Document) -> list[_Visa]:
    """Each visa (« Vu … ; »), from its first line to the line that ends it."""
    found: list[_Visa] = []
    current: list[int] = []
    for index, line in enumerate(doc.lines):
        if line.place.in_margin:
            continue
        if not current and not line.text.startswith(("Vu ", "VU ")):
            continue
        current.append(index)
        if line.text.rstrip().endswith((";", ":", ".")):
            found.append(_Visa(current[0], " ".join(doc.lines[i].text for i in current)))
            current = []
    return found


def visas_order(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    """The legal texts before the convention an avenant amends, and the act authorising the signature last."""
    highest: _Visa | None = None
    for visa in visas(doc):
        rank = visa.rank
        if rank is None:
            continue
        if highest is not None and rank < (highest.rank or 0):
            yield Finding(
                "visas-order",
                ERROR,
                f"visa hors de l'ordre juridique : {_RANK_NAMES[rank]} se visent avant {_RANK_NAMES[highest.rank or 0]}"
                f" (ordre : {ORDER}).",
                doc.where(visa.index),
                excerpt(visa.text, 0, min(len(visa.text), 60)),
            )
            continue
        if highest is None or rank > (highest.rank or 0):
            highest = visa
