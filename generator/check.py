"""Checks over a document's own text: each rule a named function, each finding located and explained."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property, lru_cache

from .assemble import programme_fields
from .legal import LegalReference
from .model import Commune, Landlord, Role, Territory
from .programme import Programme
from .reading import Line
from .referentials import OLD_QPV_CODE, QPV_CODE, official_communes, qpv_reference
from .rules import Rules
from .typography import MONTHS, french_amount, french_date

ERROR, WARNING = "error", "warning"
MARGINS = ("note", "pied de page", "en-tête")
EXCERPT = 45


@dataclass(frozen=True)
class Finding:
    """One problem found: stable rule code, severity, French message, location and excerpt."""

    rule: str
    severity: str
    message: str
    location: str
    excerpt: str


@dataclass(frozen=True)
class Expected:
    """What the document should be about, from the instance files or inferred from its text."""

    territory: Territory
    commune_name: str | None
    commune: Commune | None = None
    landlord: Landlord | None = None
    kind: str = "convention"
    year: int | None = None
    programme: Programme | None = None

    @cached_property
    def foreign_communes(self) -> tuple[str, ...]:
        siren = self.territory.epci.siren
        names = {c.nom for c in official_communes().values() if c.siren_epci == siren}
        names |= {c.nom for c in self.territory.communes}
        return tuple(sorted(names - {self.commune_name}))

    @cached_property
    def names_written_right(self) -> tuple[str, ...]:
        """The names a document may write as they are: the commune's, its quarters', the territory's landlords'."""
        names = [n for b in self.territory.bailleurs for n in b.names]
        names += [self.commune_name] if self.commune_name else []
        names += [q.nom for q in self.commune.qpv] if self.commune else []
        return tuple(sorted(set(names)))

    @cached_property
    def foreign_landlords(self) -> tuple[Landlord, ...]:
        own = self.landlord.slug if self.landlord else None
        return tuple(b for b in self.territory.bailleurs if b.slug != own)


# --- text helpers ------------------------------------------------------------------------
def fold(text: str) -> str:
    """Lowercase, accents and ligatures folded, '&' read as 'et', spaces collapsed: for comparisons."""
    return _fold_short(text) if len(text) <= 200 else _fold(text)  # names and lines recur; whole texts do not


@lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("&", " et ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"\s+", " ", text).strip()


@cache
def name_pattern(*names: str) -> re.Pattern[str]:
    """Any of the names as written in any case, with '&' or 'et', across spaces or line joins."""
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        parts = [r"(?:&|et)" if token == "&" else re.escape(token) for token in name.split()]
        alternatives.append(r"\s+".join(parts))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def capitalised(text: str) -> bool:
    return text[:1].isupper()


def excerpt(text: str, start: int, end: int) -> str:
    before = ("…" if start > EXCERPT else "") + text[max(0, start - EXCERPT) : start]
    after = text[end : end + EXCERPT] + ("…" if end + EXCERPT < len(text) else "")
    return before + text[start:end] + after


# --- the document as the rules see it ----------------------------------------------------
@dataclass(frozen=True)
class Heading:
    """An article heading found in the text."""

    index: int
    number: int | None
    title: str


@dataclass
class Document:
    """The lines of a document, its article headings and the article each line belongs to."""

    lines: Sequence[Line]
    known_titles: Sequence[str]
    headings: list[Heading] = field(default_factory=list)
    article_of: list[int | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        current: int | None = None
        for index, line in enumerate(self.lines):
            heading = _heading(index, line, self.known_titles)
            if heading is not None:
                self.headings.append(heading)
                current = heading.number
            self.article_of.append(current)

    @cached_property
    def joined(self) -> tuple[str, list[int]]:
        """The document as one text (lines joined by spaces) and where each line starts in it."""
        starts, position = [], 0
        for line in self.lines:
            starts.append(position)
            position += len(line.text) + 1
        return " ".join(line.text for line in self.lines), starts

    def where(self, index: int) -> str:
        article = self.article_of[index]
        suffix = f" (article {article})" if article is not None else ""
        return self.lines[index].where + suffix

    def signature_zone(self) -> list[int]:
        """The body lines after the last 'Fait à', else those of the last Word table, else the last ten."""
        body = [i for i, line in enumerate(self.lines) if not line.where.startswith(MARGINS)]
        done = [i for i in body if self.lines[i].text.startswith("Fait à")]
        if done:
            return [i for i in body if i > done[-1]]
        tables = [i for i in body if self.lines[i].table is not None]
        if tables:
            return [i for i in tables if self.lines[i].table == self.lines[tables[-1]].table]
        return body[-10:]


_EXPLICIT = re.compile(r"^article\s+(\d{1,2})(?:er)?\b\s*([-–—:.)]?)\s*(.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d{1,2})\s*[.)]\s+(\S.*)$")


@lru_cache(maxsize=65536)
def title_matches(candidate: str, title: str, loose: bool) -> bool:
    """Tolerant title comparison: case, accents, punctuation and extra words after the title (memoised)."""
    c, t = fold(re.sub(r"[^\w\s']", " ", candidate)), fold(re.sub(r"[^\w\s']", " ", title))
    if not c:
        return False
    if c.startswith(t) or difflib.SequenceMatcher(None, c, t).ratio() >= (0.8 if loose else 0.88):
        return True
    return loose and (t in c or (len(c) >= 12 and t.startswith(c)))


def _heading(index: int, line: Line, titles: Sequence[str]) -> Heading | None:
    if len(line.text) > 200:
        return None
    explicit = _EXPLICIT.match(line.text)
    if explicit:
        number, separator, title = int(explicit.group(1)), explicit.group(2), explicit.group(3)
        if separator or any(title_matches(title, t, loose=True) for t in titles):
            return Heading(index, number, title)
    numbered = _NUMBERED.match(line.text)
    if numbered and any(title_matches(numbered.group(2), t, loose=True) for t in titles):
        return Heading(index, int(numbered.group(1)), numbered.group(2))
    if line.heading and any(title_matches(line.text, t, loose=False) for t in titles):
        return Heading(index, None, line.text)
    return None


# --- rules -------------------------------------------------------------------------------
Rule = Callable[[Document, Expected, Rules], Iterator[Finding]]


def missing_articles(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    for article in rules.articles(expected.kind):
        if not any(title_matches(h.title, t, loose=True) for h in doc.headings for t in article.titles):
            yield Finding(
                "missing-article", ERROR, f"article obligatoire absent : « {article.titre} ».", "document", ""
            )


def numbering_gaps(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    previous = 0
    for heading in (h for h in doc.headings if h.number is not None):
        assert heading.number is not None
        text = doc.lines[heading.index].text
        if heading.number == previous:
            message = f"l'article {heading.number} est numéroté deux fois."
        elif heading.number > previous + 1:
            missing = ", ".join(str(n) for n in range(previous + 1, heading.number))
            message = (
                f"numérotation interrompue : l'article {heading.number} suit l'article {previous} ({missing} manque)."
            )
        elif heading.number < previous:
            message = f"numérotation désordonnée : l'article {heading.number} suit l'article {previous}."
        else:
            previous = heading.number
            continue
        previous = max(previous, heading.number)
        yield Finding("numbering-gap", ERROR, message, doc.where(heading.index), text)


def missing_signatories(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    zone = [doc.lines[i].text for i in doc.signature_zone()]
    text = "\n".join(zone)
    landlord_names = expected.landlord.names if expected.landlord else ()
    for rule in rules.signatories:
        motifs = [m for motif in rule.motifs for m in (landlord_names if motif == "{bailleur}" else (motif,))]
        if not motifs:
            continue
        if not any(name_pattern(m).search(text) for m in motifs):
            yield Finding("missing-signatory", ERROR, f"bloc de signature absent : {rule.libelle}.", "signatures", "")
            continue
        person = _expected_person(expected, rule.role)
        if person and not name_pattern(person).search(text):
            yield Finding(
                "missing-signatory",
                ERROR,
                f"le bloc de signature de {rule.libelle} ne nomme pas {person}, en fonction à la date "
                "de la convention.",
                "signatures",
                " / ".join(zone)[:120],
            )


def _expected_person(expected: Expected, role: str) -> str | None:
    territory, when = expected.territory, expected.territory.periode.date_document
    roles: dict[str, Role | None] = {
        "prefet": territory.etat.prefet,
        "president-epci": territory.epci.president,
        "maire": expected.commune.maire if expected.commune else None,
        "bailleur": expected.landlord.representant if expected.landlord else None,
    }
    found = roles.get(role)
    holder = found.holder_at(when) if found else None
    return f"{holder.prenom} {holder.nom}" if holder else None


def empty_fields(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    for index, line in enumerate(doc.lines):
        text = _with_continuation(doc, index)
        for rule in rules.placeholders:
            for match in rule.motif.finditer(text):
                if match.start() >= len(line.text):
                    break  # it starts on the next line, which is checked in its turn
                yield Finding(
                    "empty-field",
                    ERROR,
                    f"{rule.message}.",
                    doc.where(index),
                    excerpt(line.text, match.start(), match.end()),
                )


def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    return name_pattern(*sorted(set(names))) if names else None


def _masked_line(doc: Document, index: int, names: re.Pattern[str] | None) -> str:
    """A line with the names `names` matches blanked, on a PDF page also where one runs over from or onto a
    neighbouring line (« Habitat Essai » / « Deux à Dreux »)."""
    text = doc.lines[index].text
    if names is None:
        return text
    before, after = _page_neighbours(doc, index)
    start = len(before) + 1 if before else 0
    return names.sub(_blank, " ".join(t for t in (before, text, after) if t))[start : start + len(text)]


def _with_continuation(doc: Document, index: int) -> str:
    """A line, and on a laid-out page the next one too: « en date du » may end a line, its date begin the next."""
    _before, after = _page_neighbours(doc, index)
    return f"{doc.lines[index].text} {after}" if after else doc.lines[index].text


def _page_neighbours(doc: Document, index: int) -> tuple[str, str]:
    """The lines before and after on the same laid-out page ('' elsewhere): a sentence may run over them."""
    line, lines = doc.lines[index], doc.lines

    def same_page(other: Line) -> bool:
        return line.laid_out and other.laid_out and line.where.split(",")[0] == other.where.split(",")[0]

    before = lines[index - 1].text if index > 0 and same_page(lines[index - 1]) else ""
    after = lines[index + 1].text if index + 1 < len(lines) and same_page(lines[index + 1]) else ""
    return before, after


def foreign_parties(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    yield from _foreign_communes(doc, expected, rules)
    yield from _foreign_landlords(doc, expected)


def _foreign_communes(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    """Other communes of the EPCI, read over the whole text: a quarter's name may run over two lines."""
    if not expected.foreign_communes:
        return
    text, starts = doc.joined
    folded = fold(text)
    present = tuple(name for name in expected.foreign_communes if fold(name) in folded)  # a fast first sieve
    if not present:
        return
    masked = text
    for names in (
        _quarters_naming_communes(expected.foreign_communes),
        _names_pattern(expected.names_written_right + rules.cited_names),
    ):
        masked = names.sub(_blank, masked) if names else masked  # « Saint-Rambert-d'Albon » names no Albon
    owners = {fold(name): name for name in present}
    contexts = _quarter_contexts(expected.foreign_communes)
    for match in name_pattern(*present).finditer(masked):
        if (
            capitalised(match.group(0))
            and not _inside_quarter_name(text, match, contexts)
            and not _designation(text, match)
        ):
            yield Finding(
                "foreign-party",
                ERROR,
                f"la commune « {owners[fold(match.group(0))]} » n'est pas partie à cette convention.",
                doc.where(_line_at(starts, match.start())),
                excerpt(text, match.start(), match.end()),
            )


def _foreign_landlords(doc: Document, expected: Expected) -> Iterator[Finding]:
    """Other landlords of the territory, except in a visa, which cites the contract's signatories."""
    names = [n for b in expected.foreign_landlords for n in b.names]
    if not names:
        return
    owners = {fold(n): b.nom for b in expected.foreign_landlords for n in b.names}
    pattern = name_pattern(*names)
    in_visa = False
    for index, line in enumerate(doc.lines):
        in_visa = in_visa or line.text.startswith("Vu ")
        for match in () if in_visa else pattern.finditer(line.text):
            if capitalised(match.group(0)):
                yield Finding(
                    "foreign-party",
                    ERROR,
                    f"le bailleur « {owners[fold(match.group(0))]} » n'est pas partie à cette convention.",
                    doc.where(index),
                    excerpt(line.text, match.start(), match.end()),
                )
        if in_visa and line.text.rstrip().endswith((";", ":", ".")):
            in_visa = False


@cache
def _quarters_naming_communes(communes: tuple[str, ...]) -> re.Pattern[str] | None:
    """QPV names that contain a commune's name (« Didot - Porte de Vanves »): a quarter, not a party."""
    pattern = name_pattern(*communes) if communes else None
    bare = {fold(c) for c in communes}  # a quarter named just like a commune (« Denain ») masks nothing
    names = [q.nom for q in qpv_reference().values() if pattern and pattern.search(q.nom) and fold(q.nom) not in bare]
    return name_pattern(*names) if names else None


_WORD = re.compile(r"\w+")
QuarterContexts = dict[str, set[tuple[tuple[str, ...], str]]]  # commune -> (two words before, word after)


@cache
def _quarter_contexts(communes: tuple[str, ...]) -> QuarterContexts:
    """For each commune named inside a quarter's name, the two words before it and the word after it there."""
    pattern = name_pattern(*communes) if communes else None
    contexts: QuarterContexts = {}
    for quarter in (q.nom for q in qpv_reference().values() if pattern and pattern.search(q.nom)):
        words = _WORD.findall(fold(quarter))
        for commune in communes:
            name = _WORD.findall(fold(commune))
            for i in range(len(words) - len(name) + 1):
                if words[i : i + len(name)] == name:
                    after = words[i + len(name)] if i + len(name) < len(words) else ""
                    contexts.setdefault(fold(commune), set()).add((tuple(words[max(0, i - 2) : i]), after))
    return contexts


_DETERMINER_BEFORE = re.compile(r"\b(?:la|une|cette|chaque|sa|notre)\s+$", re.IGNORECASE)


def _designation(text: str, match: re.Match[str]) -> bool:
    """A commune named like a common noun, used as one: « la Ville » of Noyon does not name Ville (Oise)."""
    return bool(_DETERMINER_BEFORE.search(text, max(0, match.start() - 12), match.start()))


def _inside_quarter_name(text: str, match: re.Match[str], contexts: QuarterContexts) -> bool:
    """A commune's name read inside a quarter's name cut by the layout (« Les Hauts De Liévin - Résidence Des » in a
    table cell, « Croix Bas Saint Pierre » after a word broken over two lines): its neighbours are the quarter's."""
    before = tuple(_WORD.findall(fold(text[max(0, match.start() - 80) : match.start()]))[-2:])
    following = _WORD.search(fold(text[match.end() : match.end() + 80]))
    after = following.group(0) if following else ""
    return any(
        (len(quarter_before) == 2 and before == quarter_before) or (len(quarter_after) >= 3 and after == quarter_after)
        for quarter_before, quarter_after in contexts.get(fold(match.group(0)), ())
    )


_TOKEN = re.compile(r"[\w'-]+|&")


def inconsistent_names(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    own = ([("de la commune", expected.commune_name)] if expected.commune_name else []) + (
        [("du bailleur", n) for n in expected.landlord.names if len(n) >= 5] if expected.landlord else []
    )
    known = _known_names(expected.territory) | {fold(n) for n in expected.foreign_communes}
    targets = [(kind, name, len(_TOKEN.findall(name)), fold(name)) for kind, name in own]
    # « la Ville du Pré-Saint-Gervais » is the right name, its article contracted
    right = {fold(form) for _kind, name in own for form in (name, re.sub(r"^(Le|La|Les|L')\s*", "", name))}
    written_right = _names_pattern(expected.names_written_right + rules.cited_names)
    for index, line in enumerate(doc.lines):
        # a name written right is nobody's misspelling, not even its words (« Deux » of « Habitat Essai Deux » at Dreux)
        text = _masked_line(doc, index, written_right)
        words = list(_TOKEN.finditer(text))
        capitals = [i for i, word in enumerate(words) if text[word.start()].isupper()]
        for kind, name, size, target in targets:
            for i in capitals:
                if i + size > len(words):
                    break
                start, end = words[i].start(), words[i + size - 1].end()
                if not 0.7 <= (end - start) / len(target) <= 1.4:
                    continue
                candidate = text[start:end].rstrip("0123456789").strip(" '-")  # a footnote mark may stick
                folded = fold(candidate)
                if folded == target or folded in known or len(folded) < 4 or any(f in folded for f in right):
                    continue
                if _alike(folded, target):
                    yield Finding(
                        "inconsistent-name",
                        ERROR,
                        f"« {candidate} » ressemble au nom {kind} « {name} » : nom mal orthographié ?",
                        doc.where(index),
                        excerpt(line.text, start, end),
                    )


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


@lru_cache(maxsize=65536)
def _alike(folded: str, target: str) -> bool:
    """Close enough to be a misspelling (memoised: the same words recur from document to document)."""
    matcher = difflib.SequenceMatcher(None, folded, target)
    return matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


@cache
def _known_names(territory: Territory) -> frozenset[str]:
    """Names that are someone else's on purpose: landlords of the territory and every QPV."""
    names = {fold(n) for b in territory.bailleurs for n in b.names}
    return frozenset(names | {fold(q.nom) for q in qpv_reference().values()})


_LAW = re.compile(r"(loi|décret|decret|ordonnance)\s+n°\s*(\d{4}-\d{1,4})", re.IGNORECASE)
_DATE = re.compile(r"^\s*du\s+(1er|\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
_ARTICLE_BEFORE = re.compile(r"article\s+([\w ]+?)\s+(?:de\s+la|du)\s+$", re.IGNORECASE)


def legal_references(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    text, starts = doc.joined
    by_number = {r.numero: r for r in rules.references if r.numero}
    for match in _LAW.finditer(text):
        index = _line_at(starts, match.start())
        number, reference = match.group(2), by_number.get(match.group(2))
        shown = excerpt(text, match.start(), match.end())
        if reference is None:
            close = _near_miss(number, by_number)
            if close:
                yield Finding(
                    "wrong-legal-reference",
                    ERROR,
                    f"numéro de texte erroné « {number} » : s'agit-il de {close.citation} ?",
                    doc.where(index),
                    shown,
                )
            continue
        yield from _check_citation(doc, text, match, reference, index)
    for reference in (r for r in rules.references if r.obligatoire):
        if not _cited(text, reference):
            yield Finding(
                "missing-legal-reference",
                ERROR,
                f"référence obligatoire absente : {reference.citation}.",
                "document",
                "",
            )


def _check_citation(
    doc: Document, text: str, match: re.Match[str], reference: LegalReference, index: int
) -> Iterator[Finding]:
    after = text[match.end() : match.end() + 300]
    shown = excerpt(text, match.start(), match.end() + 60)
    dated = _DATE.match(after)
    if dated and reference.date:
        day = 1 if dated.group(1).lower() == "1er" else int(dated.group(1))
        cited = (int(dated.group(3)), MONTHS.index(dated.group(2).lower()) + 1, day)
        if cited != (reference.date.year, reference.date.month, reference.date.day):
            yield Finding(
                "wrong-legal-reference",
                ERROR,
                f"date erronée pour le texte n° {reference.numero} : il est du {french_date(reference.date)}.",
                doc.where(index),
                shown,
            )
        title_text = fold(after[dated.end() :]).lstrip(" ,")
        expected_title = fold(reference.titre)
        head = title_text[: len(expected_title)]
        if (
            not title_text.startswith(expected_title)
            and difflib.SequenceMatcher(None, head, expected_title).ratio() >= 0.7
        ):
            yield Finding(
                "wrong-legal-reference",
                ERROR,
                f"titre erroné pour le texte n° {reference.numero} : « {reference.titre} ».",
                doc.where(index),
                shown,
            )
    article = _ARTICLE_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
    if article and reference.article and fold(article.group(1)) != fold(reference.article):
        yield Finding(
            "wrong-legal-reference",
            ERROR,
            f"article erroné : c'est l'article {reference.article} du texte n° {reference.numero} "
            f"qui s'applique, pas l'article {article.group(1)}.",
            doc.where(index),
            shown,
        )


def _near_miss(number: str, known: dict[str, LegalReference]) -> LegalReference | None:
    year, _, serial = number.partition("-")
    for candidate, reference in known.items():
        other_year, _, other_serial = candidate.partition("-")
        if year == other_year and _distance(serial, other_serial) <= 2:
            return reference
    return None


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _cited(text: str, reference: LegalReference) -> bool:
    if reference.numero:
        return re.search(rf"n°\s*{re.escape(reference.numero)}(?!\d)", text) is not None
    if reference.type == "code":
        return fold(f"{reference.article} du {reference.titre}") in fold(text)
    return fold(reference.motif) in fold(text)


def _line_at(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


_RANGE = re.compile(r"(?<![n°\d-])(?<!n° )\b(20\d\d)\s*(?:-|–|/|à|au)\s*(20\d\d)\b")


def inconsistent_periods(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    period = expected.territory.periode
    contract = expected.territory.contrat
    allowed = {(contract.debut, contract.fin)} if contract.debut and contract.fin else set()
    text, starts = doc.joined
    if expected.year is not None and not period.debut <= expected.year <= period.fin:
        yield Finding(
            "inconsistent-period",
            ERROR,
            f"l'avenant porte sur {expected.year}, hors de la période de la convention ({period.debut}-{period.fin}).",
            doc.where(0),
            doc.lines[0].text if doc.lines else "",
        )
    for match in _RANGE.finditer(text):
        start, end = int(match.group(1)), int(match.group(2))
        if (start, end) in allowed or period.debut <= start <= end <= period.fin:
            continue
        yield Finding(
            "inconsistent-period",
            ERROR,
            f"la période {start}-{end} sort de celle de la convention ({period.debut}-{period.fin}).",
            doc.where(_line_at(starts, match.start())),
            excerpt(text, match.start(), match.end()),
        )


# A code may be broken by a narrow table cell: « QN09354 M », « QN0920 1M ».
_QPV_ANY = re.compile(r"\bQ[NP]\s?(?:[0-9AB]\s?){5,6}(?:[A-Z]\b)?")


def inconsistent_data(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    text, starts = doc.joined
    reference = qpv_reference()
    dwellings = _expected_dwellings(expected)
    seen: set[str] = set()
    for match in _QPV_ANY.finditer(text):
        code, index = re.sub(r"\s", "", match.group(0)), _line_at(starts, match.start())
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
                "document",
                "",
            )
    for code in sorted((dwellings or {}).keys() - seen):
        yield Finding(
            "inconsistent-data",
            ERROR,
            f"le QPV {code} ({reference[code].nom}) de la convention n'est pas cité.",
            "document",
            "",
        )
    if expected.kind == "convention":
        yield from _deliberation(doc, expected, text)


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.startswith("20")


def _expected_dwellings(expected: Expected) -> dict[str, int] | None:
    if not (expected.commune and expected.landlord):
        return None
    dwellings = expected.commune.convention_qpv(expected.landlord.slug)
    return dict(dwellings) if dwellings is not None else None


def _deliberation(doc: Document, expected: Expected, text: str) -> Iterator[Finding]:
    if expected.commune is None:
        return
    deliberation = expected.commune.deliberation
    if not re.search(rf"n°\s*{re.escape(deliberation.numero)}(?![\w-])", text):
        yield Finding(
            "inconsistent-data",
            ERROR,
            f"la délibération n° {deliberation.numero} du conseil municipal "
            f"(du {french_date(deliberation.date)}) n'est pas citée.",
            "document",
            "",
        )
    elif fold(french_date(deliberation.date)) not in fold(text):
        yield Finding(
            "inconsistent-data",
            ERROR,
            f"la délibération n° {deliberation.numero} est du "
            f"{french_date(deliberation.date)} : cette date n'apparaît pas.",
            "document",
            "",
        )


_AMOUNT = re.compile(r"^-?\d{1,3}(?:[  ]?\d{3})*(?:,\d{1,2})?(?:\s?€)?$|^-?\d+(?:,\d{1,2})?(?:\s?€)?$")


def parse_french_number(text: str) -> Decimal | None:
    """'12 345,67 €' or '15' as a number; None for anything else."""
    cleaned = text.replace("*", "").strip()
    if not _AMOUNT.match(cleaned):
        return None
    return Decimal(cleaned.replace("€", "").replace(" ", "").replace("\u00a0", "").replace(",", ".").strip())


def amount_mismatches(doc: Document, expected: Expected, rules: Rules) -> Iterator[Finding]:
    yield from _table_totals(doc)
    if expected.programme is not None:
        yield from _programme_totals(doc, expected)


def _table_totals(doc: Document) -> Iterator[Finding]:
    """In every Word table with a 'Total' row, each numeric column's total equals the sum of its lines."""
    tables: dict[int, dict[tuple[int, int], list[int]]] = {}
    for index, line in enumerate(doc.lines):
        if line.table is not None and line.row is not None and line.column is not None:
            tables.setdefault(line.table, {}).setdefault((line.row, line.column), []).append(index)
    for cells in tables.values():
        text = {key: " ".join(doc.lines[i].text for i in indexes) for key, indexes in cells.items()}
        totals = [row for (row, column) in text if column == 1 and fold(text[(row, 1)]).startswith("total")]
        if not totals:
            continue
        total_row = totals[0]
        for column in sorted({c for (_r, c) in text if c > 1}):
            values = [parse_french_number(text[(r, column)]) for r in range(2, total_row) if (r, column) in text]
            total = parse_french_number(text.get((total_row, column), ""))
            if total is None or not values or any(v is None for v in values):
                continue
            computed = sum((v for v in values if v is not None), Decimal(0))
            if abs(computed - total) > Decimal("0.01"):
                index = cells[(total_row, column)][0]
                yield Finding(
                    "amount-mismatch",
                    ERROR,
                    f"le total ({text[(total_row, column)]}) ne correspond pas à "
                    f"la somme des lignes ({_amount_text(computed, text[(total_row, column)])}).",
                    doc.where(index),
                    text[(total_row, column)],
                )


def _amount_text(value: Decimal, like: str) -> str:
    return french_amount(value).replace("\u00a0", " ") if "€" in like else str(value)


def _programme_totals(doc: Document, expected: Expected) -> Iterator[Finding]:
    """The totals computed from the programme appear; a shortfall is carried over, an excess explained."""
    assert expected.programme is not None and expected.commune is not None
    fields = programme_fields(expected.programme, expected.commune)
    text = " ".join(line.text for line in doc.lines)
    checks = [("total valorisé", fields["total_valorise"]), ("montant disponible", fields["total_disponible"])]
    for label, value in checks:
        shown = french_amount(value).replace("\u00a0", " ")
        if shown not in text:
            yield Finding(
                "amount-mismatch",
                ERROR,
                f"le {label} calculé à partir du programme ({shown}) n'apparaît pas dans le document.",
                "document",
                "",
            )
    paragraphs = [line.text for line in doc.lines]
    if fields["report_propose"] > 0:
        shown = french_amount(fields["report_propose"]).replace("\u00a0", " ")
        if not any(shown in p and "report" in fold(p) for p in paragraphs):
            yield Finding(
                "amount-mismatch",
                ERROR,
                f"l'abattement n'est pas entièrement valorisé : le report de "
                f"{shown} sur {expected.programme.annee + 1} n'est pas prévu.",
                "document",
                "",
            )
    if fields["depassement"] > 0:
        shown = french_amount(fields["depassement"]).replace("\u00a0", " ")
        if not any(shown in p and "depass" in fold(p) for p in paragraphs):
            yield Finding(
                "amount-mismatch",
                ERROR,
                f"les montants valorisés dépassent le disponible de {shown} sans explication.",
                "document",
                "",
            )


RULES: tuple[Rule, ...] = (
    missing_articles,
    numbering_gaps,
    missing_signatories,
    legal_references,
    inconsistent_names,
    foreign_parties,
    empty_fields,
    inconsistent_periods,
    inconsistent_data,
    amount_mismatches,
)


def check_lines(lines: Sequence[Line], expected: Expected, rules: Rules) -> list[Finding]:
    """Every finding of every rule, in rule order."""
    document = Document(lines, rules.known_titles(expected.kind))
    return [finding for rule in RULES for finding in rule(document, expected, rules)]


_AVENANT = re.compile(r"\bavenant\s+(\d{4})\b.*\bprogramme d'actions\b", re.IGNORECASE)


def infer_expected(lines: Sequence[Line], territory: Territory) -> Expected:
    """The kind, commune and landlord a document is about, from its title and parties (first lines)."""
    head = " ".join(line.text for line in lines[:40])
    siren = territory.epci.siren
    communes = {c.nom for c in official_communes().values() if c.siren_epci == siren}
    commune_name = _most_cited(head, {name: (name,) for name in communes})
    landlord_slug = _most_cited(head, {b.slug: b.names for b in territory.bailleurs})
    commune = next((c for c in territory.communes if c.nom == commune_name), None)
    landlord = territory.landlord(landlord_slug) if landlord_slug else None
    kind, year = document_kind(lines)
    return Expected(territory, commune_name, commune, landlord, kind, year)


def document_kind(lines: Sequence[Line]) -> tuple[str, int | None]:
    """'avenant' and its year when the title says so, else 'convention'."""
    title = " ".join(line.text for line in lines[:6])
    found = _AVENANT.search(title)
    return ("avenant", int(found.group(1))) if found else ("convention", None)


def _most_cited(text: str, candidates: dict[str, tuple[str, ...]]) -> str | None:
    counts = {key: sum(len(name_pattern(n).findall(text)) for n in names) for key, names in candidates.items()}
    best = max(counts.values(), default=0)
    winners = [key for key, count in counts.items() if count == best]
    return winners[0] if best and len(winners) == 1 else None


def expected_for(
    territory: Territory, commune: Commune, landlord: Landlord, programme: Programme | None = None
) -> Expected:
    """What a document built from the instance files must say: a convention, or the avenant of `programme`."""
    if programme is None:
        return Expected(territory, commune.nom, commune, landlord)
    return Expected(territory, commune.nom, commune, landlord, "avenant", programme.annee, programme)
