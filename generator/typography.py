"""French typography: dates, amounts (written and read back), lists and non-breaking spaces."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .pending import combined, like

NBSP = "\u00a0"  # the one non-breaking space of the documents (dates, « n° », units, « : ; ! ? », « »)
APOSTROPHE = "\u2019"
MINUS = "\u2212"
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([:;!?»])")
_GLUED_PUNCT = re.compile(r"(?<=[\w)»])([;!?]|:(?=\s|$))")
_SPACE_AFTER_GUILLEMET = re.compile(r"«[ \t\u00a0]*")
_SPACE_BEFORE_GUILLEMET = re.compile(r"(?<=\S)»")


def french_date(value: date) -> str:
    """'30 avril 2025', '1er mai 2025' (still to confirm when the date is)."""
    day = "1er" if value.day == 1 else str(value.day)
    return like(value, f"{day} {MONTHS[value.month - 1]} {value.year}")


def french_amount(value: Decimal | int | float) -> str:
    """'12 345,67 €' with non-breaking spaces; whole euros keep their cents."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return like(value, f"{sign}{NBSP.join(groups)},{cents}{NBSP}€")


def french_of(name: str) -> str:
    """'de Lourches', 'd'Escaudain', 'du Quesnoy', 'des Rues-des-Vignes': the preposition a name takes."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if name.startswith(article):
            return like(name, contracted + name[len(article) :])
    first = unicodedata.normalize("NFKD", name[:1]).encode("ascii", "ignore").decode().upper()
    return like(name, f"d'{name}" if first in "AEIOUY" or name[:1] in "ŒÆ" else f"de {name}")


def french_list(items: Sequence[str]) -> str:
    """'a', 'a et b', 'a, b et c'."""
    texts = [str(i) for i in items]
    joined = "".join(texts) if len(texts) <= 1 else ", ".join(texts[:-1]) + " et " + texts[-1]
    return combined(joined, *items)


def french_spacing(text: str) -> str:
    """Non-breaking spaces before ': ; ! ?' and inside « » (each pattern tried only on a text with its mark)."""
    text = str(text)  # a plain str, as re.sub returns
    if any(mark in text for mark in ":;!?»"):
        text = _SPACE_BEFORE_PUNCT.sub(NBSP + r"\1", text)
        text = _GLUED_PUNCT.sub(NBSP + r"\1", text)
    if "«" in text:
        text = _SPACE_AFTER_GUILLEMET.sub("«" + NBSP, text)
    if "»" in text:
        text = _SPACE_BEFORE_GUILLEMET.sub(NBSP + "»", text)
    return text


def with_article(name: str, article: str) -> str:
    """A name with the article the data gives it: « la Société Immobilière du Grand Hainaut », « l'Office … »,
    « Partenord Habitat » (none)."""
    if not article:
        return name
    return like(name, f"{article}{name}" if article.endswith("'") else f"{article} {name}")


def french_of_named(name: str, article: str) -> str:
    """The same after « de »: « de la Société … », « du … », « des … », « de l'Office … », « de Partenord Habitat »,
    « d'ICF Habitat »."""
    if not article:
        return french_of(name)
    contracted = {"le": "du ", "les": "des "}.get(article)
    return like(name, contracted + name if contracted else "de " + with_article(name, article))


def capitalised(text: str) -> str:
    """The text as it opens a sentence: « La Société … »."""
    return like(text, text[:1].upper() + text[1:])


# --- the documents' text, set in French ------------------------------------------------------
_MONTH = "(?:" + "|".join(MONTHS) + ")"
# Each pattern's space becomes a non-breaking one: what it joins never ends a line. Applied in this order: the dates,
# « n° », then numbers with their units and thousands; a date or a number needs a digit, « n° » its sign.
_DATES = (
    re.compile(rf"(?<!\w)(1er|\d{{1,2}})[ \t]+(?={_MONTH}(?!\w))", re.IGNORECASE),  # « 30 septembre »
    re.compile(rf"(?<!\w)({_MONTH})[ \t]+(?=\d{{4}}(?!\d))", re.IGNORECASE),  # « septembre 2021 »
)
_NUMBER_SIGN = re.compile(r"(?<!\w)([nN]°)[ \t]+(?=\S)")  # « n° 2014-173 »
_NUMBERS = (
    re.compile(r"(\d)[ \t]+(?=(?:%|€|h|heures?|minutes?|jours?|semaines?|mois|ans|années|km|m²|m|cm)(?!\w))"),
    re.compile(r"(?<![\d,.])(\d{1,3})[ \t]+(?=\d{3}(?!\d))"),  # « 1 584 » (thousands)
)
_NEGATIVE_AMOUNT = re.compile(r"(?<![\w\-\u2212])-(?=\d[\d\u00a0]*(?:,\d+)?\u00a0€)")
_ORDINAL = re.compile(r"(?<![\w.,\-])(\d{1,3})(ers?|res?|es?|ndes?|nds?|èmes?)(?!\w)")
_DIGIT = re.compile(r"\d")


def typeset(text: str) -> str:
    """A text of the documents set in French: typographic apostrophes, non-breaking spaces (« : ; ! ? », « »,
    dates, « n° », numbers and their units, thousands) and the minus sign of negative amounts. Each pattern is tried
    only on a text with what its matches hold (a digit, « ° », « - » and « € »), which no step adds."""
    result = french_spacing(text).replace("'", APOSTROPHE)
    digits = _DIGIT.search(result) is not None
    patterns = [*(_DATES if digits else ()), *((_NUMBER_SIGN,) if "°" in result else ()), *(_NUMBERS if digits else ())]
    for pattern in patterns:
        result = pattern.sub(r"\1" + NBSP, result)
    if digits and "-" in result and "€" in result:
        result = _NEGATIVE_AMOUNT.sub(MINUS, result)
    return like(text, result)


def ordinal_pieces(text: str) -> list[tuple[str, bool]]:
    """The text cut around the suffixes of ordinals, which are raised (superscript): « au 1er janvier » gives
    [(« au 1 », False), (« er », True), (« janvier », False)]."""
    if not _DIGIT.search(text):  # an ordinal has its number
        return [(text[0:], False)] if text else []
    pieces: list[tuple[str, bool]] = []
    position = 0
    for found in _ORDINAL.finditer(text):
        pieces += [(text[position : found.end(1)], False), (found.group(2), True)]
        position = found.end()
    pieces.append((text[position:], False))
    return [(piece, raised) for piece, raised in pieces if piece]


# --- amounts read back ---------------------------------------------------------------------
_PRINTED_AMOUNT = re.compile(r"^[-−]?\d{1,3}(?:[  ]?\d{3})*(?:,\d{1,2})?(?:\s?€)?$|^[-−]?\d+(?:,\d{1,2})?(?:\s?€)?$")
_AMOUNT_NOISE = str.maketrans({"€": "", "\u00a0": "", "\u202f": "", " ": "", MINUS: "-"})


def read_amount(text: str) -> Decimal | None:
    """Euros as people type them (4050, 4050.5, « 4 050,50 € », « -550 »): the number, or None if it is none."""
    cleaned = text.strip().translate(_AMOUNT_NOISE)
    cleaned = cleaned.replace(",", ".") if cleaned.count(",") == 1 and "." not in cleaned else cleaned
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_printed_amount(text: str) -> Decimal | None:
    """A number as a French document prints it ('12 345,67 €', '15', a footnote star aside); None otherwise."""
    cleaned = text.replace("*", "").strip()
    return read_amount(cleaned) if _PRINTED_AMOUNT.match(cleaned) else None
