"""French typography: dates, amounts (written and read back), lists and non-breaking spaces."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .pending import combined, like

NBSP = "\u00a0"
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
    """Non-breaking spaces before ': ; ! ?' and inside « »."""
    text = _SPACE_BEFORE_PUNCT.sub(NBSP + r"\1", text)
    text = _GLUED_PUNCT.sub(NBSP + r"\1", text)
    text = _SPACE_AFTER_GUILLEMET.sub("«" + NBSP, text)
    return _SPACE_BEFORE_GUILLEMET.sub(NBSP + "»", text)


# --- amounts read back ---------------------------------------------------------------------
_PRINTED_AMOUNT = re.compile(r"^-?\d{1,3}(?:[  ]?\d{3})*(?:,\d{1,2})?(?:\s?€)?$|^-?\d+(?:,\d{1,2})?(?:\s?€)?$")
_AMOUNT_NOISE = str.maketrans({"€": "", "\u00a0": "", "\u202f": "", " ": ""})


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
