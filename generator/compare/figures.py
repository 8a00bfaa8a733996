"""The figures of the data a change contradicts, with the instance field they come from: dwellings per QPV and their
total, QPV codes, the commune's deliberation, an avenant's amounts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..checks.expectations import Expected
from ..errors import Location
from ..model.programme import Programme
from ..model.territory import Commune
from ..model.totals import programme_totals
from ..pending import pending
from ..text import fold
from ..typography import MONTHS, french_date, read_printed_amount
from .align import DELETED, MODIFIED, Change
from .classify import DATA, Concern, Pair
from .fields import CommuneFile, Field

_CODE = re.compile(r"\bQ[NP]\d{5}[A-Z]?\b")
_COUNT = re.compile(r"\b(Q[NP]\d{5}[A-Z]?)\b[\s|:]*(\d+)\b(?!\s*[/.,-]\d|\s?\d{3}\b|\s*€)")
_AMOUNT = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})*(?:,\d{1,2})?\s?€")
_NUMBER = re.compile(r"^\d+$")
_DELIBERATION_NUMBER = re.compile(r"n°\s*([\w/-]+)")
_FRENCH_DATE = re.compile(r"\b(?:1er|\d{1,2}) (?:" + "|".join(MONTHS) + r") \d{4}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Data:
    """The data the sent document was made from, and the commune's file to locate its fields."""

    expected: Expected
    commune_file: CommuneFile | None

    @property
    def dwellings(self) -> dict[str, int] | None:
        return self.expected.dwellings if self.expected.kind == "convention" else None


def figure_concerns(change: Change, pair: Pair, data: Data) -> list[Concern]:
    """Every figure of the data the change contradicts (none when the data are unknown)."""
    if data.commune_file is None or data.expected.commune is None:
        return []
    rules = (_dwellings, _total, _quarters, _deliberation, _amounts)
    return [concern for rule in rules for concern in rule(change, pair, data)]


def _dwellings(change: Change, pair: Pair, data: Data) -> Iterator[Concern]:
    dwellings, landlord, file = data.dwellings, data.expected.landlord, data.commune_file
    if change.received is None or change.kind == DELETED or not dwellings or landlord is None or file is None:
        return
    row = " ".join(unit.text for unit in pair.received.row_of(change.received))
    for match in _COUNT.finditer(row):
        code, count = match.group(1), int(match.group(2))
        if code in dwellings and count != dwellings[code]:
            yield _contradiction(file.dwellings(landlord, code), str(dwellings[code]), str(count))


def _total(change: Change, pair: Pair, data: Data) -> Iterator[Concern]:
    """The total row of the table of dwellings."""
    dwellings, landlord, file = data.dwellings, data.expected.landlord, data.commune_file
    if change.received is None or change.received.place.row is None or not dwellings or not landlord or not file:
        return
    row = pair.received.row_of(change.received)
    table = [u for u in pair.received.units if u.place.number == change.received.place.number and u.place.row]
    if not fold(row[0].text).startswith("total") or not any(_CODE.search(u.text) for u in table):
        return
    expected = sum(dwellings.values())
    for unit in row[1:]:
        if _NUMBER.match(unit.text) and int(unit.text) != expected:
            field = file.dwellings(landlord)
            total = Field(field.file, (*field.keys, "total"), field.line, field.column)
            yield _contradiction(total, str(expected), unit.text)


def _quarters(change: Change, pair: Pair, data: Data) -> Iterator[Concern]:
    commune, file = data.expected.commune, data.commune_file
    assert commune is not None and file is not None
    own = {q.code for q in commune.qpv}
    for code in sorted(set(_CODE.findall(change.added)) - own):
        field = file.qpv()
        message = f"{field} : {code} n'y figure pas selon les données, le document reçu le cite"
        yield Concern(DATA, message, field.where, field.path, "", code)
    received = pair.received.document.text
    for code in sorted(set(_CODE.findall(change.removed)) & own):
        if code not in received:
            field = file.qpv(code)
            message = f"{field} : {code} selon les données, il n'est plus cité dans le document reçu"
            yield Concern(DATA, message, field.where, field.path, code, "")


def _deliberation(change: Change, pair: Pair, data: Data) -> Iterator[Concern]:
    commune, file = data.expected.commune, data.commune_file
    assert commune is not None and file is not None
    if change.sent is None or change.kind not in (DELETED, MODIFIED) or data.expected.kind != "convention":
        return
    sent, received = change.sent.text, change.received.text if change.received else ""
    number, when = commune.deliberation.numero, commune.deliberation.date
    if _known(number) and _cites_number(sent, number) and not _cites_number(received, number):
        found = _DELIBERATION_NUMBER.search(received)
        yield _contradiction(file.deliberation("numero"), number, found.group(1) if found else "plus cité")
    if _known(when) and fold(french_date(when)) in fold(sent) and fold(french_date(when)) not in fold(received):
        other = _FRENCH_DATE.search(received)
        yield _contradiction(file.deliberation("date"), french_date(when), other.group(0) if other else "plus citée")


def _amounts(change: Change, pair: Pair, data: Data) -> Iterator[Concern]:
    """An amount of the sent unit that the received one no longer states, and where the programme gives it."""
    programme, commune = data.expected.programme, data.expected.commune
    if programme is None or commune is None or change.sent is None:
        return
    sent = _AMOUNT.findall(change.sent.text)
    received = _AMOUNT.findall(change.received.text) if change.received else []
    found = ", ".join(a for a in received if a not in sent) or "plus cité"
    sources = _amount_sources(programme, commune)
    for shown in (a for a in sent if a not in received):
        value = read_printed_amount(shown)
        source = next((s for s in sources if value is not None and s[0] == value), None)
        if source is not None:
            _value, where, label = source
            yield Concern(DATA, "", where, label, shown.replace("\u00a0", " "), found.replace("\u00a0", " "))


def _amount_sources(programme: Programme, commune: Commune) -> list[tuple[Decimal, str, str]]:
    """Every amount of a programme, where it was entered and its name; then the totals atfpb computes from them."""
    sources: list[tuple[Decimal, str, str]] = []
    for number, action in enumerate(programme.actions, start=1):
        places, name = action.places, f"action {number} « {action.titre} »"
        sources += [
            (action.montant_valorise, _where(places.montant_valorise, programme), f"{name} › montant valorisé"),
            (action.cout_total, _where(places.cout_total, programme), f"{name} › coût total"),
        ]
    for label, amounts, codes in (
        ("abattement", programme.abattement, programme.places.abattement_codes),
        ("report", programme.report, programme.places.report_codes),
    ):
        sources += [(value, _where(codes.get(code), programme), f"{label} › {code}") for code, value in amounts]
    totals = programme_totals(programme, commune)
    computed = [
        ("total valorisé", totals.total_valorise),
        ("montant disponible", totals.total_disponible),
        ("report proposé", totals.report_propose),
        ("abattement total", totals.total_abattement),
        *((f"montant disponible › {q.code}", q.disponible) for q in totals.qpvs),
        *((f"montant valorisé › {q.code}", q.valorise) for q in totals.qpvs),
        *((f"total de l'axe {a.numero}", a.total_valorise) for a in totals.axes_actifs),
    ]
    sources += [(value, programme.source, f"{label} (calculé par atfpb)") for label, value in computed]
    return sources


def _where(location: Location | None, programme: Programme) -> str:
    return str(location) if location is not None else programme.source


def _contradiction(field: Field, expected: str, found: str) -> Concern:
    return Concern(DATA, "", field.where, field.path, expected, found)


def _known(value: object) -> bool:
    mark = pending(value)
    return bool(str(value)) and (mark is None or mark.known)


def _cites_number(text: str, number: str) -> bool:
    return re.search(rf"n°\s*{re.escape(number)}(?![\w-])", text) is not None
