"""YAML reading that keeps every value's location and refuses ambiguity (duplicates, unknown keys)."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from ..errors import DataError, Location
from ..pending import UNKNOWN_DATE, PendingAmount, PendingDate, PendingInt, PendingText
from ..typography import read_amount

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT = 5000


PENDING_TAG = "!a_confirmer"  # « numero: !a_confirmer 2024-11-26-04 », « maire: !a_confirmer »


MAX_BYTES = 2_000_000  # an instance or programme file is a few kilobytes; 2 MB is no one's data
MAX_DEPTH = 32  # fields inside fields: our files go 6 deep


class _StrictLoader(yaml.SafeLoader):
    """Safe loader; composition only (we never construct arbitrary objects); no anchors nor aliases; bounded depth."""

    depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if self.depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem="too deep", problem_mark=event.start_mark)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases refused", problem_mark=event.start_mark
            )  # they can multiply a small file into a huge one; nobody needs them here
        tag = getattr(event, "tag", None)
        if tag and tag.startswith("!") and not tag.startswith("!!") and tag != PENDING_TAG:
            raise yaml.MarkedYAMLError(problem=f"unknown tag {tag}", problem_mark=event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@dataclass(frozen=True)
class Value:
    """A YAML node with its file, able to convert itself into checked Python values.

    A value tagged « !a_confirmer » (or inside one so tagged) is not yet confirmed: the `confirmable`
    readers give it typed as usual but marked (generator.pending), the others refuse it.
    """

    node: yaml.Node
    file: str
    label: str
    inherited_pending: bool = False

    @property
    def location(self) -> Location:
        mark = self.node.start_mark
        return Location(self.file, mark.line + 1, mark.column + 1)

    @property
    def pending(self) -> bool:
        return self.inherited_pending or self.node.tag == PENDING_TAG

    def error(self, message: str) -> DataError:
        return DataError(message, self.location)

    def child(self, node: yaml.Node, label: str) -> Value:
        return Value(node, self.file, label, self.pending)

    def is_mapping(self) -> bool:
        return isinstance(self.node, yaml.MappingNode)

    def is_null(self) -> bool:
        """An empty value (« champ: », or « champ: !a_confirmer » with nothing after)."""
        if not isinstance(self.node, yaml.ScalarNode):
            return False
        return self.node.tag.endswith(":null") or (self.node.tag == PENDING_TAG and not str(self.node.value).strip())

    # --- structures -------------------------------------------------------------------
    def mapping(self, required: set[str], optional: Set[str] = frozenset()) -> dict[str, Value]:
        """The keys of a mapping, refusing duplicates, unknown keys and missing required ones."""
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error(f"« {self.label} » doit être une liste de champs « clé: valeur ».")
        known = required | optional
        result: dict[str, Value] = {}
        for key_node, value_node in self.node.value:
            key = Value(key_node, self.file, self.label).scalar_text()
            if key in result:
                raise Value(key_node, self.file, key).error(f"le champ « {key} » est écrit deux fois.")
            if key not in known:
                raise Value(key_node, self.file, key).error(_unknown_key_message(key, known))
            result[key] = self.child(value_node, key)
        missing = sorted(required - result.keys())
        if missing:
            raise self.error(f"champ obligatoire manquant dans « {self.label} » : {', '.join(missing)}.")
        return result

    def free_mapping(self) -> list[tuple[Value, Value]]:
        """A mapping whose keys are data (names, codes), duplicates refused."""
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error(f"« {self.label} » doit être une liste de champs « clé: valeur ».")
        seen: set[str] = set()
        pairs = []
        for key_node, value_node in self.node.value:
            key = Value(key_node, self.file, self.label)
            text = key.scalar_text()
            if text in seen:
                raise key.error(f"« {text} » est écrit deux fois.")
            seen.add(text)
            pairs.append((key, self.child(value_node, text)))
        return pairs

    def items(self) -> Iterator[Value]:
        """The elements of a list (an empty value is an empty list)."""
        if self.is_null():
            return iter(())
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error(f"« {self.label} » doit être une liste (lignes commençant par « - »).")
        return (self.child(n, self.label) for n in self.node.value)

    # --- scalars ----------------------------------------------------------------------
    def scalar_text(self) -> str:
        if not isinstance(self.node, yaml.ScalarNode):
            raise self.error(f"« {self.label} » doit être une valeur simple, pas une liste ni un bloc.")
        return str(self.node.value)

    def settled(self) -> Value:
        """Refuse « à confirmer » where the value identifies something (a name, a code, a year)."""
        if self.pending:
            raise self.error(
                f"« {self.label} » ne peut pas rester à confirmer : il identifie les documents ; indiquez sa valeur."
            )
        return self

    def text(self, confirmable: bool = False) -> str:
        """A non-empty text, without control characters, of reasonable length.

        With `confirmable`, an empty value is an unknown value to confirm, and a tagged one a provisional value.
        """
        if confirmable and self.is_null():
            return PendingText("", self.location, self.label)
        if not confirmable:
            self.settled()
        if self.is_null():
            raise self.error(f"« {self.label} » est vide.")
        value = self.scalar_text().strip()
        if not value:
            if confirmable:
                return PendingText("", self.location, self.label)
            raise self.error(f"« {self.label} » est vide.")
        if _CONTROL.search(value):
            raise self.error(f"« {self.label} » contient un caractère de contrôle invisible.")
        if len(value) > MAX_TEXT:
            raise self.error(f"« {self.label} » est trop long ({len(value)} caractères, {MAX_TEXT} au plus).")
        return PendingText(value, self.location, self.label) if self.pending else value

    def optional_text(self, confirmable: bool = False) -> str:
        if self.is_null() and not (confirmable and self.pending):
            return ""
        return self.text(confirmable)

    def text_list(self, confirmable: bool = False) -> tuple[str, ...]:
        return tuple(item.text(confirmable) for item in self.items())

    def boolean(self) -> bool:
        self.settled()
        raw = self.scalar_text().strip().lower()
        if raw not in ("true", "false", "oui", "non"):
            raise self.error(f"« {self.label} » vaut true ou false (lu : « {raw} »).")
        return raw in ("true", "oui")

    def integer(self, minimum: int = 0, confirmable: bool = False) -> int:
        if not confirmable:
            self.settled()
        raw = self.scalar_text().strip()
        if self.pending and not raw:
            raise self.error(f"« {self.label} » à confirmer : indiquez une valeur provisoire après {PENDING_TAG}.")
        if not re.fullmatch(r"-?\d+", raw):
            raise self.error(f"« {self.label} » doit être un nombre entier (lu : « {raw} »).")
        value = int(raw)
        if value < minimum:
            raise self.error(f"« {self.label} » doit être supérieur ou égal à {minimum} (lu : {value}).")
        return PendingInt(value, self.location, self.label) if self.pending else value

    def amount(self) -> Decimal:
        """A non-negative amount in euros: 4050, 4050.5, « 4 050,50 », « 4 050,50 € » (provisional when tagged)."""
        raw = self.scalar_text()
        if self.pending and not raw.strip():
            raise self.error(f"« {self.label} » à confirmer : indiquez une valeur provisoire après {PENDING_TAG}.")
        value = parse_amount(raw, self.error, self.label)
        return PendingAmount(value, self.location, self.label) if self.pending else value

    def date(self, confirmable: bool = False, may_be_unknown: bool = False) -> datetime.date:
        """A date written 2024-11-26 or 26/11/2024, which must exist.

        With `confirmable`, a tagged date is provisional; with `may_be_unknown` too, an empty one is unknown.
        """
        if not confirmable:
            self.settled()
        if confirmable and may_be_unknown and self.is_null():
            return PendingDate(UNKNOWN_DATE, self.location, self.label)
        raw = self.scalar_text().strip()
        if self.pending and not raw:
            raise self.error(f"« {self.label} » à confirmer : indiquez une date provisoire après {PENDING_TAG}.")
        iso, french = _ISO_DATE.match(raw), _FRENCH_DATE.match(raw)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
        elif french:
            day, month, year = (int(g) for g in french.groups())
        else:
            raise self.error(f"« {self.label} » doit être une date écrite 2024-11-26 ou 26/11/2024 (lu : « {raw} »).")
        try:
            value = datetime.date(year, month, day)
        except ValueError:
            raise self.error(f"la date « {raw} » n'existe pas.") from None
        return PendingDate(value, self.location, self.label) if self.pending else value

    def optional_date(self) -> datetime.date | None:
        return None if self.is_null() else self.date()


def parse_amount(raw: str, error: Callable[[str], DataError], label: str) -> Decimal:
    """Euros as people type them; negative amounts and more than two decimals are refused."""
    value = read_amount(raw)
    if value is None:
        raise error(f"« {label} » doit être un montant en euros (lu : « {raw.strip()} »).")
    if value < 0:
        raise error(f"« {label} » doit être un montant positif ou nul (lu : « {raw.strip()} »).")
    if value != value.quantize(Decimal("0.01")):
        raise error(f"« {label} » a plus de deux décimales (lu : « {raw.strip()} »).")
    return value.quantize(Decimal("0.01"))


def _unknown_key_message(key: str, known: Set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f" Vouliez-vous dire « {close[0]} » ?" if close else f" Champs possibles : {', '.join(sorted(known))}."
    return f"champ inconnu « {key} ».{hint}"


def read_yaml(path: Path, shown_as: str) -> Value:
    """Parse one YAML file into a located tree; syntax errors carry their line and column."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DataError(
                f"fichier trop volumineux ({path.stat().st_size // 1_000_000} Mo, {MAX_BYTES // 1_000_000} Mo au "
                "plus) : un fichier de données d'atfpb tient en quelques kilo-octets.",
                Location(shown_as),
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError("le fichier n'est pas encodé en UTF-8.", Location(shown_as)) from None
    except OSError as exc:
        raise DataError(f"lecture impossible ({exc.strerror}).", Location(shown_as)) from None
    return parse_yaml(text, shown_as, path.name)


def parse_yaml(text: str, shown_as: str, label: str, first_line: int = 1) -> Value:
    """Parse YAML text found at `first_line` of a file; locations are those of the file."""
    padded = "\n" * (first_line - 1) + text
    try:
        node = _compose(padded)
    except yaml.reader.ReaderError as exc:
        line = padded.count("\n", 0, exc.position) + 1
        column = exc.position - (padded.rfind("\n", 0, exc.position) + 1) + 1
        raise DataError("caractère invisible ou non imprimable interdit.", Location(shown_as, line, column)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(shown_as, mark.line + 1, mark.column + 1) if mark else Location(shown_as)
        raise DataError(f"syntaxe YAML invalide : {_yaml_problem(exc)}", where) from None
    except yaml.YAMLError as exc:
        raise DataError(f"syntaxe YAML invalide : {exc}", Location(shown_as)) from None
    except RecursionError:
        raise DataError(f"trop de niveaux imbriqués ({MAX_DEPTH} au plus).", Location(shown_as)) from None
    if node is None:
        raise DataError("le contenu YAML est vide.", Location(shown_as, first_line, 1))
    return Value(node, shown_as, label)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml's, where PyYAML was built with it


def _compose(text: str) -> yaml.Node | None:
    """The text's node tree: by libyaml (ten times faster) when it reads the text without error and the tree keeps
    our rules, by the strict loader otherwise, whose errors are the ones we explain. Both give the same nodes, tags,
    values and marks (tests/inputs/test_yaml_reader.py; only styles, which we never read, are spelt apart); only the
    strict loader sees an anchor, hence any text with « & » goes to it."""
    if _FAST_LOADER is not None and "&" not in text:
        try:
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            node = None
        if node is not None and _keeps_our_rules(node):
            return node
    return yaml.compose(text, Loader=_StrictLoader)


def _keeps_our_rules(root: yaml.Node) -> bool:
    """No node deeper than the strict loader accepts, no tag but ours and YAML's own."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        tag = node.tag or ""
        if depth >= MAX_DEPTH or (tag.startswith("!") and tag != PENDING_TAG):
            return False
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
    return True


_YAML_PROBLEMS = {
    "found character '\\t' that cannot start any token": "une tabulation : utilisez des espaces pour indenter",
    "mapping values are not allowed here": "un « : » inattendu (mettez la valeur entre guillemets)",
    "could not find expected ':'": "il manque un « : » après le nom du champ",
    "found undefined alias": "un alias (*) inconnu",
    "anchors and aliases refused": "les ancres et alias (& et *) ne sont pas acceptés : écrivez chaque valeur",
    "too deep": f"trop de niveaux imbriqués ({MAX_DEPTH} au plus)",
    "unknown tag": f"étiquette inconnue : la seule étiquette possible est « {PENDING_TAG} » (valeur à confirmer)",
}


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for english, french in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return french + "."
    return f"structure incorrecte ({problem})."
