"""Rules on the data a document states: periods, QPV codes and dwellings, the deliberation, amounts and totals."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..inputs.referentials import OLD_QPV_CODE, QPV_CODE, qpv_reference
from ..inputs.rules import Rules
from ..model.totals import programme_totals
from ..pending import pending
from ..text import fold
from ..typography import french_amount, french_date
from .bilan import bilan_figures
from .carry import carry_mismatches
from .document import ERROR, WARNING, WHOLE_DOCUMENT, Document, Finding
from .expectations import Expected
from .tables import table_totals
from .text import excerpt, matches_from, name_pattern

# Each match of _RANGE and _YEAR begins with « 20 » (read with `matches_from`).
_RANGE = re.compile(r"(?<![n°\d-])(?<!n° )\b(20\d\d)\s*(?:-|–|/|à|au)\s*(20\d\d)\b")


_YEAR = re.compile(r"(?<![\w/.-])(20\d\d)(?![\w/-]|\s*(?:-|–|/|à|au)\s*20\d\d)")
_MONTH = "|".join(m for m in ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre"))
_MONTH += "|octobre|novembre|decembre"
# a date or a text's title right before the year; a word of the past anywhere in its clause
_HISTORY = re.compile(
    rf"(?:\b(?:{_MONTH})|\bfinances pour|\bcontrat de ville|\bgeographie(?: prioritaire)?(?: de)?|\bn°|\bde la loi"
    r"|\bdecret)\s*$|\bdepuis\b|\bjusqu'(?:en|a)\b|\bprecedente?s?\b|\banciens?\b|\banciennes?\b|\banterieure?s?\b"
)
_CLAUSE_END = re.compile(r"[.;:!?()«»]")


def _clause_before(text: str, offset: int) -> str:
    """The words of a year's clause before it, folded (up to the last punctuation, 60 characters at most)."""
    return fold(_CLAUSE_END.split(text[max(0, offset - 60) : offset])[-1])


def _application_years(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    """Single years out of the convention's period where they denote a year of application (« le bilan de l'année
    2024 », « l'exercice 2031 »), not a fact of the past (a law's date, a previous contract)."""
    period, text = expected.territory.periode, doc.text
    for match in matches_from(_YEAR, text, "20"):
        year = int(match.group(1))
        if period.debut <= year <= period.fin:
            continue
        clause = _clause_before(text, match.start())
        if _HISTORY.search(clause) or not any(re.search(rf"\b{re.escape(w)}", clause) for w in rules.application_words):
            continue
        yield Finding(
            "inconsistent-period",
            ERROR,
            f"l'année {year} sort de la période de la convention ({period.debut}-{period.fin}).",
            doc.where(doc.line_at(match.start())),
            excerpt(text, match.start(), match.end()),
        )


def inconsistent_periods(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    period = expected.territory.periode
    contract = expected.territory.contrat
    allowed = {(contract.debut, contract.fin)} if contract.debut and contract.fin else set()
    text = doc.text
    if expected.year is not None and not period.debut <= expected.year <= period.fin:
        yield Finding(
            "inconsistent-period",
            ERROR,
            f"l'avenant porte sur {expected.year}, hors de la période de la convention ({period.debut}-{period.fin}).",
            doc.where(0),
            doc.lines[0].text if doc.lines else "",
        )
    for match in matches_from(_RANGE, text, "20"):
        start, end = int(match.group(1)), int(match.group(2))
        if (start, end) in allowed or period.debut <= start <= end <= period.fin:
            continue
        if _HISTORY.search(_clause_before(text, match.start())):
            continue  # « le précédent contrat de ville (2015-2023) »: a fact of the past
        yield Finding(
            "inconsistent-period",
            ERROR,
            f"la période {start}-{end} sort de celle de la convention ({period.debut}-{period.fin}).",
            doc.where(doc.line_at(match.start())),
            excerpt(text, match.start(), match.end()),
        )
    yield from _application_years(doc, expected, rules)


# A code may be broken by a narrow table cell: « QN09354 M », « QN0920 1M ». Each match begins with « Q ».
_QPV_ANY = re.compile(r"\bQ[NP]\s?(?:[0-9AB]\s?){5,6}(?:[A-Z]\b)?")


def inconsistent_data(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    text = doc.text
    reference = qpv_reference()
    dwellings = expected.dwellings
    seen: set[str] = set()
    for match in matches_from(_QPV_ANY, text, "Q"):
        code, index = re.sub(r"\s", "", match.group(0)), doc.line_at(match.start())
        shown = excerpt(text, match.start(), match.end())
        seen.add(code)
        if OLD_QPV_CODE.match(code):
            yield Finding(
                "inconsistent-data", ERROR, f"« {code} » est un code QPV de 2015, obsolète.", doc.where(index), shown
            )
        elif not QPV_CODE.match(code) or code not in reference:
            yield Finding(
                "inconsistent-data",
                ERROR,
                f"« {code} » n'est pas un QPV de la géographie 2024.",
                doc.where(index),
                shown,
            )
        elif dwellings is not None and code not in dwellings:
            yield Finding(
                "inconsistent-data",
                ERROR,
                f"le QPV {code} ({reference[code].nom}) n'est pas couvert par cette convention.",
                doc.where(index),
                shown,
            )
        elif dwellings is not None and expected.kind == "convention":  # its table of dwellings
            window = text[match.end() : match.end() + 25]
            count = re.match(r"[\s|:]*(\d+)\b(?!\s*[/.,-]\d|\s?\d{3}\b|\s*€)", window)
            if count and int(count.group(1)) != dwellings[code] and not _is_year(count.group(1)):
                yield Finding(
                    "inconsistent-data",
                    ERROR,
                    f"{count.group(1)} logements indiqués pour le QPV {code}, {dwellings[code]} selon les "
                    "données de la commune.",
                    doc.where(index),
                    shown,
                )
    for code in sorted(seen & reference.keys()):
        if not name_pattern(reference[code].nom).search(text):
            yield Finding(
                "inconsistent-data",
                WARNING,
                f"le nom du QPV {code} (« {reference[code].nom} ») n'apparaît pas dans le document.",
                WHOLE_DOCUMENT,
                "",
            )
    for code in sorted((dwellings or {}).keys() - seen):
        yield Finding(
            "inconsistent-data",
            ERROR,
            f"le QPV {code} ({reference[code].nom}) de la convention n'est pas cité.",
            WHOLE_DOCUMENT,
            "",
        )
    if expected.kind == "convention":
        yield from _deliberation(doc, expected, text)


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.startswith("20")


def _deliberation(doc: Document, expected: Expected, text: str) -> Iterator[Finding]:
    """The commune's deliberation cited with its number and date (those still unknown are not looked for)."""
    if expected.commune is None:
        return
    deliberation = expected.commune.deliberation
    number_known, date_known = _known(deliberation.numero), _known(deliberation.date)
    dated = f" (du {french_date(deliberation.date)})" if date_known else ""
    if number_known and not re.search(rf"n°\s*{re.escape(deliberation.numero)}(?![\w-])", text):
        yield Finding(
            "inconsistent-data",
            ERROR,
            f"la délibération n° {deliberation.numero} du conseil municipal{dated} n'est pas citée.",
            WHOLE_DOCUMENT,
            "",
        )
    elif date_known and fold(french_date(deliberation.date)) not in doc.folded:
        which = f"n° {deliberation.numero}" if number_known else "du conseil municipal"
        yield Finding(
            "inconsistent-data",
            ERROR,
            f"la délibération {which} est du {french_date(deliberation.date)} : cette date n'apparaît pas.",
            WHOLE_DOCUMENT,
            "",
        )


def _known(value: object) -> bool:
    """A value of the instance files that is known (a value to confirm may be unknown yet)."""
    mark = pending(value)
    return mark is None or mark.known


def amount_mismatches(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    yield from table_totals(doc)
    if expected.programme is not None:
        yield from _programme_totals(doc, expected)
    yield from carry_mismatches(doc, expected)
    yield from bilan_figures(doc, expected)


def _programme_totals(doc: Document, expected: Expected) -> Iterator[Finding]:
    """The totals computed from the programme appear; a shortfall is carried over, an excess explained."""
    assert expected.programme is not None and expected.commune is not None
    totals = programme_totals(expected.programme, expected.commune)
    text = doc.text
    checks = [("total valorisé", totals.total_valorise), ("montant disponible", totals.total_disponible)]
    for label, value in checks:
        shown = french_amount(value).replace("\u00a0", " ")
        if shown not in text:
            yield Finding(
                "amount-mismatch",
                ERROR,
                f"le {label} calculé à partir du programme ({shown}) n'apparaît pas dans le document.",
                WHOLE_DOCUMENT,
                "",
            )
    if totals.report_propose <= 0 and totals.depassement <= 0:
        return
    paragraphs = [doc.with_continuation(index, lines=2) for index in range(len(doc.lines))]  # a sentence may wrap
    if totals.report_propose > 0:
        shown = french_amount(totals.report_propose).replace("\u00a0", " ")
        if not any(shown in p and "report" in fold(p) for p in paragraphs):
            yield Finding(
                "amount-mismatch",
                ERROR,
                f"l'abattement n'est pas entièrement valorisé : le report de "
                f"{shown} sur {expected.programme.annee + 1} n'est pas prévu.",
                WHOLE_DOCUMENT,
                "",
            )
    if totals.depassement > 0:
        shown = french_amount(totals.depassement).replace("\u00a0", " ")
        if not any(shown in p and "depass" in fold(p) for p in paragraphs):
            yield Finding(
                "amount-mismatch",
                ERROR,
                f"les montants valorisés dépassent le disponible de {shown} sans explication.",
                WHOLE_DOCUMENT,
                "",
            )
