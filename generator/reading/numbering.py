"""Word's automatic numbering and outline levels as Word shows them: numbering definitions, levels, start values,
overrides and restarts, and the numbering and outline level a paragraph takes from its style and the styles it is
based on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml.etree import _Element

LEVELS = 9
BODY_TEXT = 9  # w:outlineLvl 9: body text, no outline level
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN: tuple[tuple[int, str], ...] = (
    *((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X")),
    *((9, "IX"), (5, "V"), (4, "IV"), (1, "I")),
)
_ORDINAL_WORDS: tuple[str, ...] = (
    *("premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième", "huitième"),
    *("neuvième", "dixième", "onzième", "douzième", "treizième", "quatorzième", "quinzième", "seizième"),
)
_CARDINAL_WORDS: tuple[str, ...] = (
    *("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"),
    *("treize", "quatorze", "quinze", "seize"),
)


@dataclass(frozen=True)
class Level:
    """One level of a numbering definition: its format, its text with %1…%9, start value, restart and suffix."""

    format: str = "decimal"
    text: str = ""
    start: int = 1
    restart: int | None = None  # None: after any higher level; 0: never; n: after level n (1-based) or higher
    suffix: str = "tab"
    legal: bool = False  # w:isLgl: the levels it shows are decimal
    style: str | None = None  # the paragraph style this level is linked to


@dataclass(frozen=True)
class Instance:
    """A numbering instance (w:num): its abstract definition's levels, with its own overrides."""

    abstract: str
    levels: tuple[Level, ...]
    overridden: bool  # a start override: a list of its own, restarting


@dataclass(frozen=True)
class StyleFacts:
    """What a paragraph style says, once its base styles are followed: numbering, outline level, heading."""

    num_id: str | None
    level: int | None
    outline: int | None
    heading: bool


@dataclass
class Numbering:
    """The numbering of one document, rendered paragraph after paragraph in reading order."""

    instances: dict[str, Instance]
    styles: dict[str, StyleFacts]
    default_style: str | None
    counters: dict[str, list[int | None]] = field(default_factory=dict)

    def paragraph(self, p: _Element) -> tuple[str, bool]:
        """The label Word shows before a paragraph ('' if none) and whether it is a heading (outline level or
        heading style); the list counters advance as Word's do."""
        ppr = p.find(qn("w:pPr"))
        style_id = _val(ppr.find(qn("w:pStyle"))) if ppr is not None else None
        style = self.styles.get(style_id or self.default_style or "", _NO_STYLE)
        num_id, level = style.num_id, style.level
        direct = ppr.find(qn("w:numPr")) if ppr is not None else None
        if direct is not None:
            num_id = _val(direct.find(qn("w:numId"))) or num_id
            level = _int(direct.find(qn("w:ilvl")), level)
        outline = _int(ppr.find(qn("w:outlineLvl")), style.outline) if ppr is not None else style.outline
        heading = style.heading or (outline is not None and outline < BODY_TEXT)
        if not num_id or num_id not in self.instances:  # numId 0 removes the style's numbering
            return "", heading
        instance = self.instances[num_id]
        if level is None:
            level = next((i for i, lvl in enumerate(instance.levels) if lvl.style == style_id), 0)
        return self._label(num_id, instance, min(level, LEVELS - 1)), heading

    def _label(self, num_id: str, instance: Instance, level: int) -> str:
        key = num_id if instance.overridden else instance.abstract
        counters = self.counters.setdefault(key, [None] * LEVELS)
        current = instance.levels[level]
        counters[level] = current.start if counters[level] is None else counters[level] + 1  # type: ignore[operator]
        for deeper in range(level + 1, LEVELS):
            restart = instance.levels[deeper].restart
            if restart is None or (restart != 0 and level < restart):
                counters[deeper] = None
        if current.format == "bullet" or current.format == "none":
            return ""  # bullets are not read (the PDF's glyphs vary with the font)

        def shown(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            lvl = instance.levels[index]
            value = counters[index] if counters[index] is not None else lvl.start
            return format_number(value or 0, "decimal" if current.legal else lvl.format)

        label = _PLACEHOLDER.sub(shown, current.text)  # its own spaces kept: « § %1 – » then no suffix
        if not label.strip():
            return ""
        return label + ("" if current.suffix == "nothing" else " ")


_NO_STYLE = StyleFacts(None, None, None, False)


def format_number(value: int, number_format: str) -> str:
    """A counter as a numbering format shows it (French words for the textual formats)."""
    if number_format in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("upperLetter", "lowerLetter"):
        letters = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""
        return letters if number_format == "upperLetter" else letters.lower()
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format == "ordinal":
        return f"{value}er" if value == 1 else f"{value}e"
    if number_format == "ordinalText" and 0 < value <= len(_ORDINAL_WORDS):
        return _ORDINAL_WORDS[value - 1]
    if number_format == "cardinalText" and 0 < value <= len(_CARDINAL_WORDS):
        return _CARDINAL_WORDS[value - 1]
    return str(value)


def _roman(value: int) -> str:
    text = ""
    for amount, letters in _ROMAN:
        while value >= amount:
            text, value = text + letters, value - amount
    return text


def read_numbering(document: WordDocument) -> Numbering:
    """The document's numbering instances and paragraph styles (with what they inherit)."""
    instances: dict[str, Instance] = {}
    numbering = _numbering_root(document)
    if numbering is not None:
        abstracts = {_attr(a, "w:abstractNumId"): _levels(a) for a in numbering.iterchildren(qn("w:abstractNum"))}
        for num in numbering.iterchildren(qn("w:num")):
            abstract = _val(num.find(qn("w:abstractNumId")))
            if abstract in abstracts:
                levels, overridden = _overridden(abstracts[abstract], num)
                instances[_attr(num, "w:numId")] = Instance(abstract, levels, overridden)
    styles, default = _styles(document)
    return Numbering(instances, styles, default)


def _numbering_root(document: WordDocument) -> _Element | None:
    for rel in document.part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            return rel.target_part.element  # type: ignore[attr-defined, no-any-return]
    return None


def _levels(abstract: _Element) -> tuple[Level, ...]:
    levels = [Level() for _ in range(LEVELS)]
    for lvl in abstract.iterchildren(qn("w:lvl")):
        index = int(_attr(lvl, "w:ilvl") or 0)
        if 0 <= index < LEVELS:
            levels[index] = _level(lvl)
    return tuple(levels)


def _level(lvl: _Element, base: Level | None = None) -> Level:
    base = base or Level()
    restart = lvl.find(qn("w:lvlRestart"))
    legal = lvl.find(qn("w:isLgl"))
    text = lvl.find(qn("w:lvlText"))
    return Level(
        format=_val(lvl.find(qn("w:numFmt"))) or base.format,
        text=_attr(text, "w:val") if text is not None else base.text,
        start=_int(lvl.find(qn("w:start")), base.start) or 0,
        restart=_int(restart, None) if restart is not None else base.restart,
        suffix=_val(lvl.find(qn("w:suff"))) or base.suffix,
        legal=(legal is not None and _val(legal) not in ("0", "false")) or base.legal,
        style=_val(lvl.find(qn("w:pStyle"))) or base.style,
    )


def _overridden(levels: tuple[Level, ...], num: _Element) -> tuple[tuple[Level, ...], bool]:
    """A numbering instance's levels after its overrides (a whole new level, or a new start value)."""
    changed, overridden = list(levels), False
    for override in num.iterchildren(qn("w:lvlOverride")):
        index = int(_attr(override, "w:ilvl") or 0)
        if not 0 <= index < LEVELS:
            continue
        whole = override.find(qn("w:lvl"))
        if whole is not None:
            changed[index] = _level(whole, changed[index])
        start = override.find(qn("w:startOverride"))
        if start is not None:
            changed[index] = Level(**{**changed[index].__dict__, "start": _int(start, 1) or 0})
            overridden = True
    return tuple(changed), overridden


def _styles(document: WordDocument) -> tuple[dict[str, StyleFacts], str | None]:
    """Every paragraph style with what it inherits from the styles it is based on."""
    root = document.styles.element
    raw: dict[str, _Element] = {}
    default = None
    for style in root.iterchildren(qn("w:style")):
        if _attr(style, "w:type") in ("paragraph", ""):
            raw[_attr(style, "w:styleId")] = style
            if _attr(style, "w:default") in ("1", "true"):
                default = _attr(style, "w:styleId")
    facts: dict[str, StyleFacts] = {}

    def resolve(style_id: str, seen: tuple[str, ...] = ()) -> StyleFacts:
        if style_id in facts:
            return facts[style_id]
        style = raw[style_id]
        based = _val(style.find(qn("w:basedOn")))
        base = resolve(based, (*seen, style_id)) if based in raw and based not in seen else _NO_STYLE
        ppr = style.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id, level = base.num_id, base.level
        if numpr is not None:
            num_id = _val(numpr.find(qn("w:numId"))) or num_id
            level = _int(numpr.find(qn("w:ilvl")), level)
        outline = _int(ppr.find(qn("w:outlineLvl")), base.outline) if ppr is not None else base.outline
        name = (_val(style.find(qn("w:name"))) or "").lower()
        heading = base.heading or style_id.lower().startswith(HEADING_STYLES) or name.startswith(HEADING_STYLES)
        facts[style_id] = StyleFacts(num_id, level, outline, heading)
        return facts[style_id]

    for style_id in raw:
        resolve(style_id)
    return facts, default


HEADING_STYLES = ("heading", "titre", "title", "article")


def _attr(element: _Element | None, name: str) -> str:
    return (element.get(qn(name)) or "") if element is not None else ""


def _val(element: _Element | None) -> str | None:
    return element.get(qn("w:val")) if element is not None else None


def _int(element: _Element | None, default: int | None) -> int | None:
    value = _val(element)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
