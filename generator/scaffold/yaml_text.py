"""Writing instance files as YAML text: safe scalars, comments, and values marked « !a_confirmer »."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from datetime import date

TO_CONFIRM = "!a_confirmer"
WIDTH = 110
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "oui", "non"}
_UNSAFE = re.compile(r"[:#\"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]|\s$|\s\s")
_GLUED = re.compile(r" (?=[;:?!»])|(?<=«) ")
_ESCAPES = {"\0": "\\0", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def scalar(text: str) -> str:
    """A string as a YAML scalar: plain when nothing in it could be misread, double-quoted otherwise."""
    if text and text[0].isalpha() and text.lower() not in _RESERVED and not _UNSAFE.search(text):
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """A double-quoted YAML scalar, every character that YAML could misread escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable() or char == "\u00a0":
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def comment_text(text: str) -> str:
    """Text that can follow « # »: on one line, without invisible characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


@dataclass
class YamlText:
    """A YAML file written line by line; what is marked « !a_confirmer » is listed with a French label."""

    lines: list[str] = field(default_factory=list)
    to_confirm: list[str] = field(default_factory=list)

    def comment(self, text: str, indent: int = 0) -> None:
        """A comment, wrapped (a « - » item's next lines under its text); an empty text gives an empty comment."""
        prefix = " " * indent + "# "
        hanging = "  " if text.startswith("- ") else ""
        glued = _GLUED.sub("\u00a0", comment_text(text))  # no line starts with « ; » nor ends with « « »
        wrapped = textwrap.wrap(glued, WIDTH - len(prefix), subsequent_indent=hanging, break_on_hyphens=False)
        self.lines.extend((prefix + line.replace("\u00a0", " ")).rstrip() for line in wrapped or [""])

    def blank(self) -> None:
        self.lines.append("")

    def key(self, indent: int, name: str, comment: str = "") -> None:
        """A key opening a block (mapping or list) on the next lines."""
        self._line(indent, f"{name}:", comment)

    def value(self, indent: int, name: str, rendered: str, comment: str = "") -> None:
        """`name: rendered`, the value already written as YAML (scalar(), a number, a date, « [] »)."""
        self._line(indent, f"{name}: {rendered}", comment)

    def text(self, indent: int, name: str, value: str, comment: str = "") -> None:
        self.value(indent, name, scalar(value), comment)

    def item(self, indent: int, rendered: str, comment: str = "") -> None:
        self._line(indent, f"- {rendered}", comment)

    def confirm(self, indent: int, name: str, value: str | date | None, label: str, comment: str = "") -> None:
        """`name: !a_confirmer value` (a proposed value), or the bare tag when the value is unknown."""
        self.value(indent, name, tagged(value), comment)
        self.to_confirm.append(label if value is None else f"{label} : « {_shown(value)} »")

    def confirm_item(self, indent: int, value: str, label: str) -> None:
        self.item(indent, tagged(value))
        self.to_confirm.append(f"{label} : « {value} »")

    def _line(self, indent: int, text: str, comment: str) -> None:
        line = " " * indent + text
        self.lines.append(f"{line}   # {comment_text(comment)}" if comment else line)

    def render(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def tagged(value: str | date | None) -> str:
    """`!a_confirmer` before a proposed value, or alone for an unknown one."""
    if value is None:
        return TO_CONFIRM
    return f"{TO_CONFIRM} {value.isoformat() if isinstance(value, date) else scalar(value)}"


def _shown(value: str | date) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else value
