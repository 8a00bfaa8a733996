"""Article headings as any house style writes them (« Article 1er : », « ARTICLE PREMIER », « I – », « § 2 »,
« 3. », a title on the line after its number, a title alone) and the role an article plays, by title or key phrase."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..inputs.rules import RequiredArticle
from ..reading.lines import Line
from ..text import fold
from .titles import KnownTitles, known_titles

ARTICLE, SECTION, ROMAN, NUMBERED, TITLE = "article", "§", "roman", "numbered", "title"
_ORDINAL_WORDS = (
    *("premier", "deuxieme", "troisieme", "quatrieme", "cinquieme", "sixieme", "septieme", "huitieme", "neuvieme"),
    *("dixieme", "onzieme", "douzieme", "treizieme", "quatorzieme", "quinzieme", "seizieme"),
)
_ORDINAL = r"(?:\d{1,2}\s?(?:er|ère|re|e|ème|eme)?|premi[eè]re?|unique|[IVXLC]{1,7}|[a-zéè]+i[eè]me)"
_SEPARATOR = r"(?P<sep>[-–—:.)]*)"
_PATTERNS = (
    (
        ARTICLE,
        re.compile(rf"^(?:article|art\.)\s*(?P<number>{_ORDINAL})(?![\w'])\s*{_SEPARATOR}\s*(?P<title>.*)$", re.I),
    ),
    (SECTION, re.compile(rf"^§\s*(?P<number>\d{{1,2}})(?!\d)\s*{_SEPARATOR}\s*(?P<title>.*)$")),
    (ROMAN, re.compile(r"^(?P<number>[IVXLC]{1,7})\s*(?P<sep>[-–—.)])\s*(?P<title>\S.*)$")),
    (NUMBERED, re.compile(r"^(?P<number>\d{1,2})\s*(?P<sep>\.(?!\d)|\)|\s[-–—])\s*(?P<title>\S.*)$")),
)
_ORDINAL_DIGITS = re.compile(r"^(\d{1,2})(?:er|re|e|eme)?$")
_CONTENTS = re.compile(r"(?:\.{4,}|…{2,}|\s{3,})\s*\d{1,3}$")  # a table of contents' entry: « Objet ....... 3 »
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_STEPS = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_FORM_ORDER = (ARTICLE, SECTION, ROMAN, NUMBERED)
TITLE_LENGTH = 110


@dataclass(frozen=True)
class Heading:
    """An article heading found in the text: its line, number (None: a title alone) and title."""

    index: int
    number: int | None
    title: str
    form: str = TITLE


@dataclass(frozen=True)
class _Candidate:
    index: int
    form: str
    number: int
    separator: str
    title: str
    known: bool  # its title is one of the known titles


def find_headings(lines: Sequence[Line], titles: Sequence[str]) -> list[Heading]:
    """The article headings: numbered ones of the document's own form (« Article N » always), and titles alone."""
    known = known_titles(titles)
    numbered = (i for i, line in enumerate(lines) if _may_be_numbered(line.text))
    candidates = [c for i in numbered if (c := _candidate(i, lines, known)) is not None]
    form = _house_form(candidates)
    headings: list[Heading] = []
    by_index = {c.index: c for c in candidates}
    previous: int | None = None
    consumed = -1  # the line a title was taken from, after « ARTICLE 2 » alone
    for index, line in enumerate(lines):
        candidate = by_index.get(index)
        if candidate is not None and _accepted(candidate, form, previous, lines, by_index):
            headings.append(Heading(index, candidate.number, candidate.title, candidate.form))
            previous = candidate.number
            consumed = index + 1 if candidate.title == _next_title(index, lines) else consumed
        elif candidate is None and index != consumed and _title_alone(line.text, known):
            headings.append(Heading(index, None, line.text))
    return headings


def _candidate(index: int, lines: Sequence[Line], known: KnownTitles) -> _Candidate | None:
    numbered = _numbered(lines[index].text)
    if numbered is None:
        return None
    form, number, separator, title = numbered
    if form == ARTICLE and not title:
        title = _next_title(index, lines)
    return _Candidate(index, form, number, separator, title, bool(title) and known.matching(title))


_NUMBER_STARTS = frozenset("aA§IVXLC")  # what `_PATTERNS` may match first, besides a digit (\d: str.isdecimal)


def _may_be_numbered(text: str) -> bool:
    """Whether a line may read as a numbered heading: it begins as one of `_PATTERNS` does."""
    return text[:1] in _NUMBER_STARTS or text[:1].isdecimal()


@lru_cache(maxsize=65536)
def _numbered(text: str) -> tuple[str, int, str, str] | None:
    """A line read as a numbered heading: its form, number, separator and title (memoised: lines recur)."""
    if len(text) > 200 or _CONTENTS.search(text):
        return None
    for form, pattern in _PATTERNS:
        found = pattern.match(text)
        if not found:
            continue
        number = ordinal_value(found.group("number"))
        if number is None or number == 0:
            return None
        return form, number, found.group("sep"), found.group("title").strip(" -–—:.")
    return None


def _next_title(index: int, lines: Sequence[Line]) -> str:
    """« ARTICLE 2 » alone on its line: its title is the next line, when that line reads as a title."""
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    return following if _title_like(following) else ""


def _house_form(candidates: Sequence[_Candidate]) -> str:
    """The form the document numbers its articles in: the one most of its known titles take."""
    counts = Counter(c.form for c in candidates if c.known)
    if not counts:
        return ARTICLE
    best = max(counts.values())
    return next(form for form in _FORM_ORDER if counts.get(form) == best)


def _accepted(
    candidate: _Candidate, form: str, previous: int | None, lines: Sequence[Line], by_index: dict[int, _Candidate]
) -> bool:
    """« Article N » with a separator or a title is always a heading; another form only if it is the document's and
    its title is known, or it follows the previous article as the next number and is no item of a list."""
    if candidate.form == ARTICLE:
        return bool(candidate.separator or candidate.title) and (
            bool(candidate.separator) or candidate.known or candidate.title == _next_title(candidate.index, lines)
        )
    if candidate.form != form:
        return False
    if candidate.known:
        return True
    in_sequence = previous is not None and candidate.number == previous + 1
    return in_sequence and _title_like(candidate.title) and not _in_a_list(candidate, lines, by_index)


def _in_a_list(candidate: _Candidate, lines: Sequence[Line], by_index: dict[int, _Candidate]) -> bool:
    """An item of a numbered list: after a line ending with « : » or after the list's previous item."""
    if candidate.index == 0:
        return False
    before = lines[candidate.index - 1].text.rstrip()
    item = by_index.get(candidate.index - 1)
    return before.endswith(":") or (
        item is not None and item.form == candidate.form and item.number == candidate.number - 1
    )


def _title_like(text: str) -> bool:
    return 0 < len(text) <= TITLE_LENGTH and text[:1].isupper() and not text.rstrip().endswith((".", ";", ","))


def _title_alone(text: str, known: KnownTitles) -> bool:
    """A known title alone on its line, whole (a bold paragraph, an unnumbered heading): « Report de » heading a
    table's column is no title « Report »."""
    return _title_like(text) and known.alone(text)


def ordinal_value(token: str) -> int | None:
    """1 from « 1 », « 1er », « 1ère », « premier », « I », « unique »; 4 from « IV » or « quatrième »."""
    word = fold(token).replace(" ", "")
    digits = _ORDINAL_DIGITS.match(word)
    if digits:
        return int(digits.group(1))
    if word in ("premier", "premiere", "unique"):
        return 1
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS.index(word) + 1
    return roman_value(token)


def roman_value(token: str) -> int | None:
    """The value of a roman numeral written in its canonical form (« IV », not « IIII » nor « IL »)."""
    letters = token.upper()
    if not letters or any(ch not in _ROMAN_VALUES for ch in letters):
        return None
    total = 0
    for ch, following in zip(letters, [*letters[1:], ""], strict=True):
        value = _ROMAN_VALUES[ch]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total if _roman(total) == letters else None


def _roman(value: int) -> str:
    text = ""
    for amount, letters in _ROMAN_STEPS:
        while value >= amount:
            text, value = text + letters, value - amount
    return text


@lru_cache(maxsize=65536)
def _has_phrase(title: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}", fold(title)) is not None


def plays(heading: Heading, article: RequiredArticle) -> bool:
    """Whether a heading is the article's: one of its titles, or, numbered, one of its key phrases."""
    if known_titles(article.titles).matching(heading.title):
        return True
    return heading.number is not None and any(_has_phrase(heading.title, p) for p in article.indices)
