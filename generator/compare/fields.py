"""Where a figure of the data is written in the instance files: « instances/communes/lourches.yaml:20:17, bailleurs ›
Partenord Habitat › logements › QN05954M »."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import AtfpbError
from ..inputs.yaml_reader import read_yaml
from ..model.territory import Landlord

Node = Any  # a YAML node as inputs/yaml_reader.py composes it (PyYAML stays there): its .id, .value, .start_mark


@dataclass(frozen=True)
class Field:
    """A field of an instance file: the file, the keys leading to it, and its line and column when found."""

    file: str
    keys: tuple[str, ...]
    line: int | None = None
    column: int | None = None

    @property
    def where(self) -> str:
        """« instances/communes/lourches.yaml:20:17 » (the file alone when the field was not found)."""
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    @property
    def path(self) -> str:
        return " › ".join(self.keys)

    def __str__(self) -> str:
        return f"{self.where}, {self.path}" if self.keys else self.where


class CommuneFile:
    """A commune's instance file, read once to locate its fields."""

    def __init__(self, root: Path, shown: str) -> None:
        self.root = root
        self.shown = shown

    @cached_property
    def _tree(self) -> Node | None:
        try:
            return read_yaml(self.root / self.shown, self.shown).node
        except AtfpbError:  # unreadable since it was loaded: fields are named without their line
            return None

    def dwellings(self, landlord: Landlord, code: str | None = None) -> Field:
        """A landlord's dwellings in a QPV (or the landlord's whole « logements »)."""
        holding = _item(_value(self._tree, "bailleurs"), lambda item: _is_landlord(item, landlord))
        name = _scalar(_value(holding, "nom")) or landlord.nom
        logements = _value(holding, "logements")
        if code is None:
            return self._field(("bailleurs", name, "logements"), logements)
        return self._field(("bailleurs", name, "logements", code), _value(logements, code))

    def qpv(self, code: str | None = None) -> Field:
        codes = _value(self._tree, "qpv")
        return self._field(("qpv",), _item(codes, lambda item: _scalar(item) == code) if code else codes)

    def deliberation(self, key: str) -> Field:
        return self._field(("deliberation", key), _value(_value(self._tree, "deliberation"), key))

    def mayor(self) -> Field:
        return self._field(("maire",), _value(self._tree, "maire"))

    def _field(self, keys: tuple[str, ...], node: Node | None) -> Field:
        if node is None:
            return Field(self.shown, keys)
        return Field(self.shown, keys, node.start_mark.line + 1, node.start_mark.column + 1)


def _value(node: Node | None, key: str) -> Node | None:
    if node is None or getattr(node, "id", None) != "mapping":
        return None
    return next((value for name, value in node.value if _scalar(name) == key), None)


def _item(node: Node | None, wanted: Callable[[Node], bool]) -> Node | None:
    if node is None or getattr(node, "id", None) != "sequence":
        return None
    return next((item for item in node.value if wanted(item)), None)


def _is_landlord(node: Node, landlord: Landlord) -> bool:
    name = _scalar(_value(node, "nom"))
    return bool(name) and landlord.is_named(name)


def _scalar(node: Node | None) -> str:
    return str(node.value) if node is not None and getattr(node, "id", None) == "scalar" else ""
