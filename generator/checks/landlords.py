"""Landlords read from a document itself, when no project knows them: the one whose housing stock the convention is
about (« Parc social de X », « X, organisme d'habitations à loyer modéré ») and others it designates as landlords
(« le bailleur Y »)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..model.territory import Landlord, Role
from ..reading.lines import Line
from ..text import fold, slugify
from .text import alike

_NAME = r"(?<![\w.])(?P<name>[A-ZÉÈÎ][\w'&.-]*(?:\s+(?:&|et|de|du|des|d'|la|le|les|[A-ZÉÈÎ0-9][\w'&.-]*)){0,6})"
_OWN = (
    re.compile(rf"\b(?:parc\s+(?:locatif\s+)?social|patrimoine|logements\s+sociaux)\s+(?:de|du\s+bailleur)\s+{_NAME}"),
    re.compile(
        rf"{_NAME}\s*,\s*(?:organisme\s+d'habitations?\s+à\s+loyer\s+modéré|office\s+public\s+de\s+l'habitat|"
        r"société\s+anonyme\s+d'HLM|société\s+(?:anonyme\s+)?d'économie\s+mixte|entreprise\s+sociale\s+pour\s+l'habitat|bailleur\s+social)"
    ),
    re.compile(
        rf"{_NAME}\s*,?\s*(?:représentée?\s+par\b[^;]{{0,160}}?)?ci-après\s+(?:dénommée?|désignée?)\s+«?\s*"
        r"(?:l'organisme|le\s+bailleur)"
    ),
)
_DESIGNATED = re.compile(rf"\b(?:le\s+bailleur(?:\s+social)?|l'organisme(?:\s+HLM)?)\s+{_NAME}")
_TRAILING = re.compile(r"(?:\s+(?:&|et|de|du|des|d'|la|le|les))+$")
_LEADING = re.compile(r"^(?:La|Le|Les|L')\s+")
_NOT_A_LANDLORD = ("etat", "ville", "commune", "prefet", "president", "maire", "hlm", "epci")


def landlords_named(lines: Sequence[Line], head_lines: int = 60) -> tuple[str | None, tuple[str, ...]]:
    """The document's own landlord (from its title and parties) and the other landlords it designates."""
    head = " ".join(line.text for line in lines[:head_lines])
    own = Counter(name for pattern in _OWN for name in _names(pattern, head))
    landlord = own.most_common(1)[0][0] if own else None
    designated = {name for name in _names(_DESIGNATED, " ".join(line.text for line in lines))}
    others = tuple(sorted(name for name in designated if landlord is None or not _same(name, landlord)))
    return landlord, others


def _names(pattern: re.Pattern[str], text: str) -> list[str]:
    found = []
    for match in pattern.finditer(text):
        name = _LEADING.sub("", _TRAILING.sub("", match.group("name"))).strip(" ,.")
        if len(name) >= 3 and fold(name).split()[0] not in _NOT_A_LANDLORD:
            found.append(name)
    return found


def _same(one: str, other: str) -> bool:
    """Two writings of one landlord: one inside the other, or a misspelling."""
    a, b = fold(one), fold(other)
    return a in b or b in a or alike(a, b)


def landlord_of(name: str) -> Landlord:
    """A landlord known only by the name a document gives it: no representative, priorities or commitments."""
    return Landlord(slugify(name), name, name, Role("", ""), (), ())
