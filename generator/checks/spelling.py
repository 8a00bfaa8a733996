"""Rules on how the parties' names are written: misspellings (a letter missing or doubled, two letters swapped, an
accent added or lost, after an elided article too) and names disguised by an invisible character or by a letter of
another script that looks Latin."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache

from ..inputs.referentials import qpv_reference
from ..inputs.rules import Rules
from ..model.territory import Territory
from ..text import fold, visible
from .document import ERROR, Document, Finding
from .expectations import Expected
from .scan import Names, blanked, names_scan
from .text import alike, excerpt, name_pattern

_TOKEN = re.compile(r"[\w'-]+|&")
_ELIDED = re.compile(r"^(?:d|l|qu|jusqu|lorsqu|puisqu)'(?=\w)", re.IGNORECASE)  # « d'Escaudin »: the name after it
_ARTICLE = re.compile(r"^(Le|La|Les|L')\s*")
_SHORT = 7  # up to this length a name's misspelling may be two letters swapped (« Denian »)


def inconsistent_names(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    yield from _misspellings(doc, expected, rules)
    yield from _disguised(doc, expected)


def _misspellings(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    own = ([("de la commune", expected.commune_name)] if expected.commune_name else []) + (
        [("du bailleur", n) for n in expected.landlord.names if len(n) >= 5] if expected.landlord else []
    )
    known = _known_names(expected.territory, expected.foreign_communes)
    # « la Ville du Pré-Saint-Gervais » is the right name, its article contracted
    right = {fold(form) for _kind, name in own for form in (name, _ARTICLE.sub("", name))}
    written_right = sorted(set(expected.names_written_right + rules.cited_names))
    masked = _masked_lines(doc, names_scan(*written_right) if written_right else None)
    for index, line in enumerate(doc.lines):
        # a name written right is nobody's misspelling, not even its words (« Deux » of « Habitat Essai Deux » at Dreux)
        for kind, name in own:
            for start, end, candidate, folded, message in _like_in(masked[index], name):
                if folded != fold(name) and (folded in known or len(folded) < 4 or any(f in folded for f in right)):
                    continue  # someone else's name, too short, or the right name with words around it
                yield Finding(
                    "inconsistent-name",
                    ERROR,
                    f"« {candidate} » {message} {kind} « {name} » : nom mal orthographié ?",
                    doc.where(index),
                    excerpt(line.text, start, end),
                )


@lru_cache(maxsize=16384)  # about 250 bytes each
def _like_in(text: str, name: str) -> tuple[tuple[int, int, str, str, str], ...]:
    """The words of a line that look like a name (`_likeness`): the start and end of each, what is written, folded,
    and how it misspells the name (memoised: a document's lines recur in the next documents naming its commune or
    its landlord)."""
    words, capitals = _words(text)
    size, target = len(_TOKEN.findall(name)), fold(name)
    found = []
    for i in capitals:
        if i + size > len(words):
            break
        start, end = words[i][0], words[i + size - 1][1]
        if not 0.7 <= (end - start) / len(target) <= 1.4:
            continue
        candidate = text[start:end].rstrip("0123456789").strip(" '-")  # a footnote mark may stick
        message = _likeness(candidate, name, target)
        if message:
            found.append((start, end, candidate, fold(candidate), message))
    return tuple(found)


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """The spans of a line's words, each after its elided article, and which of them begin with a capital
    (memoised: lines recur from document to document)."""
    words = tuple(_after_elision(text, word) for word in _TOKEN.finditer(text))
    return words, tuple(i for i, (start, _end) in enumerate(words) if text[start].isupper())


def _after_elision(text: str, word: re.Match[str]) -> tuple[int, int]:
    """A word's span, after its elided article if it has one (« d'Escaudin »)."""
    elided = _ELIDED.match(word.group(0))
    return (word.start() + elided.end() if elided else word.start()), word.end()


@lru_cache(maxsize=65536)
def _likeness(candidate: str, name: str, target: str) -> str | None:
    """How `candidate` misspells `name`, whose folded form is `target`, if it does (memoised: the same words recur
    from document to document)."""
    folded = fold(candidate)
    if folded == target:
        likeness = "n'a pas les accents du nom" if _accents_differ(candidate, name) else None
    elif alike(folded, target) or (len(target) <= _SHORT and _swapped(folded, target)):
        likeness = "ressemble au nom"
    else:
        return None
    if _INVISIBLE.search(candidate) or _OTHER_SCRIPT.search(candidate):
        return None  # a disguised name: said by its own rule
    return likeness


def _accents_differ(candidate: str, name: str) -> bool:
    """An accent added, changed or lost on a small letter (capitals may drop theirs: « ESCAUDAIN »)."""
    a, b = (x.replace("œ", "oe").replace("Œ", "OE") for x in (candidate, name))
    if len(a) != len(b):
        return False
    return any(x.lower() != y.lower() and not (x.isupper() and fold(x) == fold(y)) for x, y in zip(a, b, strict=True))


def _swapped(a: str, b: str) -> bool:
    """Two neighbouring letters swapped, nothing else (« denian » for « denain »)."""
    if len(a) != len(b) or a == b:
        return False
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and a[differ[0]] == b[differ[1]]
        and a[differ[1]] == b[differ[0]]
    )


_KNOWN: dict[tuple[int, tuple[str, ...]], tuple[Territory, frozenset[str]]] = {}


def _known_names(territory: Territory, foreign_communes: tuple[str, ...]) -> frozenset[str]:
    """Names that are someone else's on purpose, folded: landlords of the territory, every QPV and the other
    communes (remembered for the territory object: hashing a territory reads all of it)."""
    key = (id(territory), foreign_communes)
    held = _KNOWN.get(key)
    if held is None or held[0] is not territory:
        if len(_KNOWN) >= 16:  # a commune's documents come together
            _KNOWN.clear()
        names = {fold(n) for b in territory.bailleurs for n in b.names} | {fold(n) for n in foreign_communes}
        held = _KNOWN[key] = (territory, frozenset(names | _quarter_names()))
    return held[1]


@cache
def _quarter_names() -> frozenset[str]:
    """Every QPV's name, folded."""
    return frozenset(fold(q.nom) for q in qpv_reference().values())


def _masked_lines(doc: Document, names: Names | None) -> list[str]:
    """The lines with the names blanked, on a PDF page also where one runs over from one line onto the next
    (« Habitat Essai » / « Deux à Dreux »): each page is masked as one text (see scan.py)."""
    if names is None:
        return [line.text for line in doc.lines]
    apart = [not goes_on for goes_on in doc.goes_on]  # the next line on another page
    return list(blanked(names, doc.scanned, apart).texts)


# --- names disguised: an invisible character inside, or a letter of another script that looks Latin -------------
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Cyrillic and Greek letters drawn like Latin ones (Unicode's confusables, the common ones)
_LOOK_ALIKE = str.maketrans(
    "аеорсухіјѕԁԛԝАВЕКМНОРСТХУІЈЅ" + "αεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdqwABEKMHOPCTXYIJS" + "aeikvoptuxABEZHIKMNOPTYX",
)
_SCRIPTS = {"CYRILLIC": "cyrillique", "GREEK": "grec"}
_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]")


def _disguised(doc: Document, expected: Expected) -> Iterator[Finding]:
    """A party's or a neighbour's name with an invisible character or a look-alike letter of another script: it
    reads right and is not the name (searches, signatures and comparisons miss it)."""
    if not _disguising(doc.text):
        return  # no line holds an invisible character nor a letter of another script
    names = _names_to_unmask(expected)
    if not names:
        return
    pattern = name_pattern(*names)
    for index, line in enumerate(doc.lines):
        if not _disguising(line.text):
            continue
        plain, origin = _unmasked(line.text)
        for match in pattern.finditer(plain):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            written = line.text[start:end]
            if written == match.group(0):
                continue
            yield Finding(
                "inconsistent-name",
                ERROR,
                f"« {visible(written)} » n'est pas le nom « {match.group(0)} » : {_disguise(written)}.",
                doc.where(index),
                visible(excerpt(line.text, start, end)),
            )


def _disguising(text: str) -> bool:
    """Whether a text holds an invisible character or a letter of another script."""
    return bool(_INVISIBLE.search(text) or _OTHER_SCRIPT.search(text))


def _names_to_unmask(expected: Expected) -> tuple[str, ...]:
    names = [expected.commune_name or "", *expected.foreign_communes]
    names += [n for b in expected.territory.bailleurs for n in b.names]
    names += [expected.territory.epci.nom]
    return tuple(sorted({n for n in names if len(n) >= 3}))


def _unmasked(text: str) -> tuple[str, list[int]]:
    """The text without invisible characters and with look-alike letters made Latin, and where each of its
    characters comes from in the original."""
    kept, origin = [], []
    for position, ch in enumerate(text):
        if _INVISIBLE.match(ch):
            continue
        kept.append(ch.translate(_LOOK_ALIKE))
        origin.append(position)
    return "".join(kept), origin


def _disguise(written: str) -> str:
    """What disguises a name, in words: the invisible characters and the letters of another script it holds."""
    parts = []
    hidden = sorted({f"U+{ord(ch):04X}" for ch in written if _INVISIBLE.match(ch)})
    if hidden:
        parts.append(f"il contient un caractère invisible ({', '.join(hidden)})")
    foreign = sorted({ch for ch in written if _OTHER_SCRIPT.match(ch)})
    if foreign:
        scripts = sorted({_SCRIPTS.get(unicodedata.name(ch, "").split()[0], "") for ch in foreign} - {""})
        shown = ", ".join(f"« {ch} »" for ch in foreign)
        parts.append(
            f"il contient {shown}, lettre d'un autre alphabet ({', '.join(scripts)}) qui imite une lettre latine"
        )
    return " ; ".join(parts)
