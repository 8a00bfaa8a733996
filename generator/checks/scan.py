"""Names found in a document's lines joined by spaces as `name_pattern` finds them in the joined text, searching only
around the lines that hold a word of one of the names: what each line holds is remembered (a document's lines recur
in the next document), and most lines hold no name.

Why the lines may be read apart: a name is its words joined by spaces, so no match crosses the space after a line
unless that line ends with one of a name's words but its last (or holds no word at all); the lines are cut into
segments at the other line ends, and each segment is searched alone, which finds what the joined text shows (the
space that joins two lines, like a segment's start or end, is neither a letter nor a hyphen to the pattern's edges).
And a segment without any of a name's words, case aside, holds no match of it: every word of a name found is a whole
run of letters, digits and hyphens of its line, and a segment whose lines hold none of those of a name does not hold
it. Lines with a character outside PLAIN, whose case str.lower() may not tell as re does, are always searched."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .text import name_pattern

# Characters that re.IGNORECASE matches with another exactly when both are the same letter for str.lower(): Latin
# letters, digits, punctuation and symbols up to U+024F and from U+2000 to U+2BFF (punctuation, currencies, arrows,
# mathematical signs, shapes), but the dotless i, the dotted capital I and the long s, which re matches with « i »
# and « s » (tests/checks/test_scan.py checks it).
PLAIN = frozenset(map(chr, [*range(0x250), *range(0x2000, 0x2C00)])) - {"\u0130", "\u0131", "\u017f"}
_RUN = re.compile(r"[\w-]+")
_END = 64  # the characters of a line's end kept to tell whether a name may go on at the next line
LINES_REMEMBERED = 32768  # about 250 bytes a line (its runs are shared with the other lines')


@dataclass(frozen=True, slots=True)
class _Line:
    """What a line of PLAIN characters tells about the names it may hold: its runs of letters, digits and hyphens
    and its end, lowercased, and whether it is blank."""

    runs: tuple[str, ...]
    end: str
    blank: bool


@lru_cache(maxsize=LINES_REMEMBERED)
def _line(text: str) -> _Line | None:
    """A line's runs and end, or None when it holds a character outside PLAIN (it is then searched as it is)."""
    if not PLAIN.issuperset(text):
        return None
    stripped = text.rstrip()
    runs = tuple(dict.fromkeys(sys.intern(run.lower()) for run in _RUN.findall(text)))
    return _Line(runs, stripped[-_END:].lower(), not stripped)


class Names:
    """Names as `name_pattern` finds them (in the order given), and what tells the lines that may hold one: a run of
    each name (its longest), and the words that may end a line in the middle of a name."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.pattern = name_pattern(*names)
        words = [name.split() for name in names]
        # no name, or a name without words, matches empty text: the text is then searched whole
        self.wordless = not words or not all(words)
        keys = [_key(name) for name in words]
        self.keys = frozenset(key for key in keys if key is not None)
        self.anywhere = None in keys  # a name without a PLAIN run may be on any line
        self.inner_words = sorted({word for name in words for word in name[:-1]})
        self.inner = tuple(w.lower() for w in self.inner_words) + (("et",) if "&" in self.inner_words else ())
        self.plain_inner = all(PLAIN.issuperset(word) and len(word) <= _END for word in self.inner_words)
        self.longest_inner = max((len(word) for word in self.inner), default=0)  # re matches a word's length

    @cached_property
    def inner_end(self) -> re.Pattern[str]:
        """A line ending with one of the names' words but their last (for the lines outside PLAIN)."""
        shown = [r"(?:&|et)" if word == "&" else re.escape(word) for word in self.inner_words]
        return re.compile(r"(?:" + "|".join(shown) + r")\s*\Z", re.IGNORECASE)

    def goes_on(self, text: str, line: _Line | None) -> bool:
        """Whether a name may run from this line onto the next: the line ends with one of a name's words but its
        last, or holds no word."""
        if not self.inner:
            return False
        if line is None or not self.plain_inner:
            stripped = len(text.rstrip())  # \s and str.isspace are the same spaces
            return not stripped or self.inner_end.search(text, max(0, stripped - self.longest_inner)) is not None
        return line.blank or line.end.endswith(self.inner)


def _key(words: list[str]) -> str | None:
    """The longest run of letters, digits and hyphens of a name's words (« & » aside), lowercased; None if a word
    holds a character outside PLAIN or the name has no such run."""
    if not all(PLAIN.issuperset(word) for word in words):
        return None
    runs = [run for word in words if word != "&" for run in _RUN.findall(word)]
    return max(runs, key=len).lower() if runs else None


@lru_cache(maxsize=1024)
def names_scan(*names: str) -> Names:
    """The names prepared for `spans` and `blanked` (once per set of names: a document's rules reuse a few sets)."""
    return Names(names)


class Lines:
    """A text's lines as they are searched for names."""

    def __init__(self, texts: Sequence[str], read: list[_Line | None] | None = None) -> None:
        self.texts = texts
        self.read = [_line(text) for text in texts] if read is None else read

    @cached_property
    def starts(self) -> list[int]:
        """Where each line starts in the lines joined by spaces."""
        starts, position = [], 0
        for text in self.texts:
            starts.append(position)
            position += len(text) + 1
        return starts

    def segments(self, names: Names, apart: Sequence[bool] | None = None) -> list[tuple[int, int]]:
        """The segments that may hold a name: their first line and the line after their last (`apart[i]`: no name
        runs from line i onto the next, on another page)."""
        found: list[tuple[int, int]] = []
        for index in self._holding(names):
            if found and index < found[-1][1]:
                continue  # in the segment just found
            first, last = index, index
            while first > 0 and self._goes_on(names, first - 1, apart):
                first -= 1
            while last + 1 < len(self.texts) and self._goes_on(names, last, apart):
                last += 1
            found.append((first, last + 1))
        return found

    def _holding(self, names: Names) -> list[int]:
        """The lines that may hold a word of one of the names."""
        if names.anywhere:
            return list(range(len(self.texts)))
        keys = names.keys
        return [i for i, line in enumerate(self.read) if line is None or not keys.isdisjoint(line.runs)]

    def _goes_on(self, names: Names, index: int, apart: Sequence[bool] | None) -> bool:
        return not (apart and apart[index]) and names.goes_on(self.texts[index], self.read[index])


def spans(names: Names, lines: Lines) -> list[tuple[int, int]]:
    """Where `names.pattern.finditer` finds the names in the lines joined by spaces: the start and end of each."""
    if names.wordless:
        return [match.span() for match in names.pattern.finditer(" ".join(lines.texts))]
    found = []
    for first, end in lines.segments(names):
        offset = lines.starts[first]
        found += [(offset + start, offset + stop) for start, stop in _found(names.pattern, _joined(lines, first, end))]
    return found


def blanked(names: Names, lines: Lines, apart: Sequence[bool] | None = None) -> Lines:
    """The lines with the names blanked, as `names.pattern.sub(blank, …)` blanks them in the lines joined by spaces
    (page by page: `apart[i]` when line i and the next are on different pages)."""
    if names.wordless:
        return Lines(_blanked_whole(names.pattern, lines.texts, apart))
    texts, read = list(lines.texts), list(lines.read)
    changed = False
    for first, end in lines.segments(names, apart):
        found = _found(names.pattern, _joined(lines, first, end))
        if found:
            joined = _joined(lines, first, end)
            for start, stop in found:
                joined = joined[:start] + " " * (stop - start) + joined[stop:]
            texts[first:end] = _cut(joined, lines.texts[first:end])
            read[first:end] = [_line(text) for text in texts[first:end]]
            changed = True
    return Lines(texts, read) if changed else lines


def _joined(lines: Lines, first: int, end: int) -> str:
    return lines.texts[first] if end == first + 1 else " ".join(lines.texts[first:end])


def _blanked_whole(pattern: re.Pattern[str], lines: Sequence[str], apart: Sequence[bool] | None) -> list[str]:
    """The names blanked in the joined text (page by page when apart), then cut back into lines."""
    texts: list[str] = []
    start = 0
    for index in range(len(lines)):
        if index + 1 == len(lines) or (apart and apart[index]):
            page = lines[start : index + 1]
            texts += _cut(pattern.sub(_blank, " ".join(page)), page)
            start = index + 1
    return texts


@lru_cache(maxsize=LINES_REMEMBERED)  # about 200 bytes each
def _found(pattern: re.Pattern[str], text: str) -> tuple[tuple[int, int], ...]:
    """The spans of a pattern's matches in a text (memoised: the lines naming a party recur in its documents)."""
    return tuple(match.span() for match in pattern.finditer(text))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _cut(joined: str, lines: Sequence[str]) -> list[str]:
    """A text made of lines joined by spaces cut back into lines of their lengths."""
    cut, start = [], 0
    for text in lines:
        cut.append(joined[start : start + len(text)])
        start += len(text) + 1
    return cut
