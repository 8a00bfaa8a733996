"""The two texts aligned unit by unit (difflib): what was added, deleted, moved or modified, and which words changed."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from .units import Unit, key

ADDED, DELETED, MODIFIED, MOVED = "ajout", "suppression", "modification", "déplacement"
SIMILAR = 0.55  # two units this alike (by their keys) are one unit modified, not one deleted and one added
MAX_PAIRS = 40_000  # beyond this many pairs to weigh, a block is read as deleted and added, not paired
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Change:
    """One difference between the sent and the received text, in the received document's order."""

    kind: str
    sent: Unit | None
    received: Unit | None
    fragments: tuple[tuple[str, str], ...] = ()  # of a modification: (sent words, received words), in order

    @property
    def unit(self) -> Unit:
        """The unit to locate the change by: the received one, or the sent one for a deletion."""
        unit = self.received or self.sent
        assert unit is not None
        return unit

    @property
    def removed(self) -> str:
        """The sent words this change takes away (the whole sent unit unless it is a modification)."""
        if self.kind == MODIFIED:
            return " ".join(before for before, _after in self.fragments if before)
        return self.sent.text if self.sent and self.kind == DELETED else ""

    @property
    def added(self) -> str:
        """The received words this change brings (the whole received unit unless it is a modification)."""
        if self.kind == MODIFIED:
            return " ".join(after for _before, after in self.fragments if after)
        return self.received.text if self.received and self.kind == ADDED else ""


def align(sent: Sequence[Unit], received: Sequence[Unit], laid_out: bool = False) -> list[Change]:
    """Every difference between two sequences of units (equal keys are equal units). Read from a PDF (`laid_out`),
    a unit found unchanged elsewhere is no difference: the layout moves footnotes and tables with page breaks."""
    matcher = SequenceMatcher(None, [u.key for u in sent], [u.key for u in received], autojunk=False)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes += _pair(sent[i1:i2], received[j1:j2])
    moved = _moves(changes)
    return [c for c in moved if c.kind != MOVED] if laid_out else moved


def _pair(sent: Sequence[Unit], received: Sequence[Unit]) -> Iterator[Change]:
    """A block of differing units: the most alike pair is a modification, the rest is paired the same way on each
    side of it (difflib's Differ does the same for lines)."""
    best = _most_alike(sent, received)
    if best is None:
        yield from (Change(DELETED, unit, None) for unit in sent)
        yield from (Change(ADDED, None, unit) for unit in received)
        return
    i, j = best
    yield from _pair(sent[:i], received[:j])
    yield modification(sent[i], received[j])
    yield from _pair(sent[i + 1 :], received[j + 1 :])


def _most_alike(sent: Sequence[Unit], received: Sequence[Unit]) -> tuple[int, int] | None:
    if not sent or not received or len(sent) * len(received) > MAX_PAIRS:
        return None
    best, score = None, SIMILAR
    matcher = SequenceMatcher(autojunk=False)
    for j, theirs in enumerate(received):
        matcher.set_seq2(theirs.key)
        for i, mine in enumerate(sent):
            if mine.same_cell(theirs) and mine.heading == theirs.heading:
                alike = 0.9  # the same cell of a table, retyped: « 9 » became « 12 »
            else:
                matcher.set_seq1(mine.key)
                if matcher.real_quick_ratio() <= score or matcher.quick_ratio() <= score:
                    continue
                alike = matcher.ratio()
            if alike > score:
                best, score = (i, j), alike
    return best


def modification(sent: Unit, received: Unit) -> Change:
    """A unit modified, with the words that changed (compared by key, shown as written)."""
    before, after = list(_WORD.finditer(sent.text)), list(_WORD.finditer(received.text))
    matcher = SequenceMatcher(None, [key(w.group()) for w in before], [key(w.group()) for w in after], autojunk=False)
    fragments = tuple(
        (_span(sent.text, before[i1:i2]), _span(received.text, after[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )
    return Change(MODIFIED, sent, received, fragments)


def _span(text: str, words: Sequence[re.Match[str]]) -> str:
    return text[words[0].start() : words[-1].end()] if words else ""


def _moves(changes: list[Change]) -> list[Change]:
    """A unit deleted in one place and added unchanged in another was moved: one change, where it now is."""
    added = {c.received.key: index for index, c in enumerate(changes) if c.kind == ADDED and c.received}
    moved: dict[int, Change] = {}
    dropped: set[int] = set()
    for index, change in enumerate(changes):
        target = (
            added.pop(change.sent.key, None) if change.kind == DELETED and change.sent and change.sent.key else None
        )
        if target is not None:
            moved[target] = replace(changes[target], kind=MOVED, sent=change.sent)
            dropped.add(index)
    return [moved.get(index, change) for index, change in enumerate(changes) if index not in dropped]
