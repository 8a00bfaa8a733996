"""The document as the rules see it: its lines, article headings, the article of each line, and findings."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..reading.lines import DOCUMENT, SIGNATURES, TABLE, Line, Place
from ..text import fold
from .headings import Heading, find_headings
from .scan import Lines
from .text import contracted

ERROR, WARNING = "error", "warning"
OPENING_LINES = 60  # the title and the parties come within the first lines
_SIGNATURE_CUE = re.compile(
    r"^(?:pour\s+(?:l'|la\s|le\s|les\s)?[A-ZÉ\w][^.;:]{0,70},?$|signatures?\s*:?$|les\s+signataires|lu\s+et\s+approuv)",
    re.IGNORECASE,
)
_PARTIES_START = re.compile(r"^(?:conclue?\s+)?entre\b|^les\s+soussign|^il\s+est\s+convenu\s+entre", re.IGNORECASE)
_OPENING_END = re.compile(r"^(?:vu\b|il\s+(?:est|a\s+été)\s+convenu(?!\s+entre)|préambule|considérant)", re.IGNORECASE)
WHOLE_DOCUMENT, SIGNATURE_BLOCK = Place(DOCUMENT), Place(SIGNATURES)


@dataclass(frozen=True)
class Finding:
    """One problem found: stable rule code, severity, French message, place and excerpt."""

    rule: str
    severity: str
    message: str
    location: Place
    excerpt: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", contracted(self.message))  # « de le Maire » reads « du Maire »

    def as_dict(self) -> dict[str, str]:
        """As reports and the manifest write it (the place in words)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "location": str(self.location),
            "excerpt": self.excerpt,
        }


@dataclass
class Document:
    """The lines of a document, its article headings and the article each line belongs to."""

    lines: Sequence[Line]
    known_titles: Sequence[str]
    headings: list[Heading] = field(default_factory=list)
    article_of: list[int | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.headings = find_headings(self.lines, self.known_titles)
        numbered = {h.index: h.number for h in self.headings if h.number is not None}  # a title alone opens none
        current: int | None = None
        for index in range(len(self.lines)):
            current = numbered.get(index, current)
            self.article_of.append(current)

    @cached_property
    def joined(self) -> tuple[str, list[int]]:
        """The document as one text (lines joined by spaces) and where each line starts in it."""
        starts, position = [], 0
        for line in self.lines:
            starts.append(position)
            position += len(line.text) + 1
        return " ".join(line.text for line in self.lines), starts

    @property
    def text(self) -> str:
        """The document as one text, lines joined by spaces."""
        return self.joined[0]

    @cached_property
    def folded(self) -> str:
        """The document as one text, folded (`fold`): several rules look for words in it. Folded line by line, which
        `fold` remembers (lines recur from document to document), then joined: fold(self.text) is the same, for
        folding changes characters one by one around the spaces that join the lines."""
        return " ".join(self.folded_lines)

    @cached_property
    def folded_lines(self) -> tuple[str, ...]:
        """The folded lines that `folded` joins: those with something left once folded."""
        return tuple(folded for line in self.lines if (folded := fold(line.text)))

    @cached_property
    def scanned(self) -> Lines:
        """The lines as names are searched in them (see scan.py)."""
        return Lines([line.text for line in self.lines])

    def where(self, index: int) -> Place:
        """The place of a line, with the article it belongs to."""
        return replace(self.lines[index].place, article=self.article_of[index])

    def line_at(self, offset: int) -> int:
        """The index of the line at an offset of the joined text."""
        return bisect.bisect_right(self.joined[1], offset) - 1

    def signature_zone(self) -> list[int]:
        """The signature block's lines, else the last ten."""
        body = [i for i, line in enumerate(self.lines) if not line.place.in_margin]
        return list(self._signature_lines) or body[-10:]

    @cached_property
    def _signature_lines(self) -> tuple[int, ...]:
        """The body lines after the last 'Fait à', else from the first « Pour l'État, » or « Signatures » after the
        last article's heading, else those of the last Word table after it; none if nothing shows the block."""
        body = [i for i, line in enumerate(self.lines) if not line.place.in_margin]
        done = [i for i in body if self.lines[i].text.startswith("Fait à")]
        if done:
            return tuple(i for i in body if i > done[-1])
        last_article = max((h.index for h in self.headings if h.number is not None), default=-1)
        cue = next((i for i in body if i > last_article and _SIGNATURE_CUE.match(self.lines[i].text)), None)
        if cue is not None:
            return tuple(i for i in body if i >= cue)
        tables = [i for i in body if self.lines[i].place.part == TABLE and i > last_article]
        if tables:
            last = self.lines[tables[-1]].place.number
            return tuple(i for i in tables if self.lines[i].place.number == last)
        return ()

    def in_signatures(self, index: int) -> bool:
        """A line of the signature block, as the document shows it (« Fait à », « Pour … », its table)."""
        return index in self._signature_set

    @cached_property
    def _signature_set(self) -> frozenset[int]:
        return frozenset(self._signature_lines)

    @cached_property
    def opening(self) -> tuple[int, int]:
        """Where the parties are listed: from the line « Entre : » (or the start) to the first visa, « Il est
        convenu » or article; the lines before « Entre » are the title. (0, 0) when the document shows neither."""
        first = next((h.index for h in self.headings if h.number is not None), len(self.lines))
        limit = min(first, OPENING_LINES)
        start = next((i for i in range(limit) if _PARTIES_START.match(self.lines[i].text)), None)
        end = next((i for i in range(start or 0, limit) if _OPENING_END.match(self.lines[i].text)), None)
        if start is None and end is None:
            return 0, 0
        return start or 0, end if end is not None else limit

    def page_neighbours(self, index: int) -> tuple[str, str]:
        """The lines before and after on the same laid-out page ('' elsewhere): a sentence may run over them."""
        lines, joined = self.lines, self._joined_to_next
        before = lines[index - 1].text if index > 0 and joined[index - 1] else ""
        after = lines[index + 1].text if joined[index] else ""
        return before, after

    @cached_property
    def _joined_to_next(self) -> tuple[bool, ...]:
        """Whether each line and the next are on the same laid-out page (the last line has no next)."""
        lines = self.lines
        return (*(_same_page(a.place, b.place) for a, b in zip(lines, lines[1:], strict=False)), False)

    @cached_property
    def goes_on(self) -> tuple[bool, ...]:
        """Whether each line's sentence may go on at the next line: it is on the same laid-out page and not empty."""
        lines, joined = self.lines, self._joined_to_next
        return tuple(joined[index] and bool(lines[index + 1].text) for index in range(len(lines)))

    @cached_property
    def continued(self) -> tuple[str, ...]:
        """Each line with its continuation: `with_continuation(index)` for every line."""
        lines, goes_on = self.lines, self.goes_on
        return tuple(
            f"{line.text} {lines[index + 1].text}" if goes_on[index] else line.text for index, line in enumerate(lines)
        )

    def with_continuation(self, index: int, lines: int = 1) -> str:
        """A line, and on a laid-out page the next `lines` too: « en date du » may end a line, its date begin the
        next; a sentence may run over a few lines."""
        texts, current = [self.lines[index].text], index
        for _ in range(lines):
            if not self.goes_on[current]:
                break
            current += 1
            texts.append(self.lines[current].text)
        return " ".join(texts)


def _same_page(place: Place, other: Place) -> bool:
    return place.laid_out and other.laid_out and place.number == other.number
