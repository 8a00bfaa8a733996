"""Whether a commune or landlord named in a document acts there as a party — in the title, among the parties, in the
signature block, designated as one (« la Ville de X », « le bailleur X », « signataires dont X ») or doing what a party
does (« X s'engage ») — and the contexts that name one without making it a party (a shared quarter, a quotation,
an address, a visa)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import fold
from .document import Document

_COMMUNE_DESIGNATION = re.compile(
    r"\b(?:ville|commune|mairie|maire|territoire|conseil\s+municipal)\s+(?:de\s+(?:la\s+|l')?|d'|du\s+|des\s+)$",
    re.IGNORECASE,
)
_LANDLORD_DESIGNATION = re.compile(
    r"\b(?:bailleurs?(?:\s+social)?|organisme(?:\s+hlm)?|parc(?:\s+social)?\s+(?:de|du)|patrimoine\s+(?:de|du))"
    r"\s+(?:l'|la\s+|le\s+)?$",
    re.IGNORECASE,
)
_SIGNATORY = re.compile(r"\bsignataires?\s*,?\s*(?:dont|:|notamment)?\s*(?:l'|la\s+|le\s+|les\s+)?$", re.IGNORECASE)
_ADDRESS = re.compile(
    r"(?:si[èe]ge(?:\s+social)?(?:\s+est)?(?:\s+(?:situé|fixé|établi))?|\bsise?|domiciliée?|\bà\s+l'adresse)"
    r"\s+(?:à|au|en)\s+$",
    re.IGNORECASE,
)
_QUARTER = re.compile(
    r"\b(?:quartiers?(?:\s+prioritaires?)?|qpv)\s+(?:(?:de\s+|d')(?:la\s+ville\s+)?)?$", re.IGNORECASE
)
_SHARING = re.compile(
    r"partag|s'etend|s'etendent|intercommunal|a cheval|couvre (?:aussi|egalement)|commun aux|(?:aussi|egalement) sur"
)
_INCISE = re.compile(r"^\s*(?:\([^)]{0,60}\)\s*|,[^,.;]{0,50},\s*)?")
_WINDOW = 60


def acting(doc: Document, text: str, start: int, end: int, acting_verbs: tuple[str, ...], landlord: bool) -> str | None:
    """Why the name at text[start:end] reads as a party of the document (French, after « nommé »), or None."""
    before = text[max(0, start - _WINDOW) : start]
    if _ADDRESS.search(before) or _QUARTER.search(before) or _quoted(text, start):
        return None  # an address, a quarter (« le quartier Denain présente… »), a quotation
    index = doc.line_at(start)
    opening_start, opening_end = doc.opening
    if index < opening_start:
        return "dans le titre"
    if index < opening_end:
        return "parmi les parties"
    if doc.in_signatures(index):
        return "dans le bloc de signature"
    offset = max(0, start - _WINDOW)
    found = (_LANDLORD_DESIGNATION if landlord else _COMMUNE_DESIGNATION).search(before)
    if found:
        return f"comme partie (« {_quote(text, offset + found.start(), end)} »)"
    found = _SIGNATORY.search(before) if landlord else None
    if found:
        return f"comme signataire (« {_quote(text, offset + found.start(), end)} »)"
    verb = _acting_verb(text[end : end + _WINDOW], acting_verbs)
    if verb:
        return f"comme partie qui agit (« {text[start:end]} {verb} »)"
    return None


_ARTICLE_BEFORE = re.compile(r"(?:\b(?:le|la|les|l'|des|du|de)\s*)$", re.IGNORECASE)


def _quote(text: str, start: int, end: int) -> str:
    """The words that designate a party, with the article before them: « la Ville de Denain »."""
    article = _ARTICLE_BEFORE.search(text, max(0, start - 5), start)
    return text[article.start() if article else start : end]


def _acting_verb(after: str, verbs: tuple[str, ...]) -> str | None:
    """The verb of a party acting right after a name (an incise « , représentée par …, » aside)."""
    rest = fold(after[_INCISE.match(after).end() :])  # type: ignore[union-attr]
    return next((verb for verb in verbs if rest.startswith(verb)), None)


def _quoted(text: str, start: int) -> bool:
    """Inside « … » or "…": a title, a quotation, a document's name."""
    window = text[max(0, start - 300) : start]
    return window.rfind("«") > window.rfind("»") or window.count('"') % 2 == 1


def in_shared_quarter_sentence(text: str, start: int, end: int, codes: tuple[str, ...]) -> bool:
    """A commune named in a sentence saying that a quarter spans several communes (« le quartier Gambetta est
    partagé avec les communes d'Escaudain et de Lourches »), or naming a quarter it shares with the convention's."""
    first = text.rfind(". ", 0, start) + 1
    last = text.find(". ", end)
    sentence = text[first : last if last >= 0 else len(text)]
    return any(code in sentence for code in codes) or _SHARING.search(_folded(sentence)) is not None


@lru_cache(maxsize=4096)
def _folded(sentence: str) -> str:
    return fold(sentence)


def visa_lines(doc: Document) -> frozenset[int]:
    """The lines of the visas (« Vu … ; »): they cite acts and their signatories, not the parties."""
    lines, in_visa = set(), False
    for index, line in enumerate(doc.lines):
        in_visa = in_visa or line.text.startswith(("Vu ", "VU "))
        if in_visa:
            lines.add(index)
        if in_visa and line.text.rstrip().endswith((";", ":", ".")):
            in_visa = False
    return frozenset(lines)
