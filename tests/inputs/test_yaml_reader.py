"""libyaml reads our files fast; whatever it reads, the tree is the strict loader's, and whatever it cannot read or
would read differently goes to the strict loader, whose errors are located and explained in French."""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import DataError
from generator.inputs.yaml_reader import _StrictLoader, parse_yaml

Flat = list[tuple[object, ...]]


def _flat(node: yaml.Node | None, out: Flat) -> Flat:
    """Every node in document order: kind, tag, start and end marks, value, and how a scalar is quoted (the rest of
    the styles, which atfpb never reads, libyaml spells its own way: '' for None, False for an indentless list)."""
    if node is None:
        return out
    scalar = isinstance(node, yaml.ScalarNode)
    start, end = node.start_mark, node.end_mark
    quoted = (node.style or None) if scalar else None  # type: ignore[attr-defined]
    out.append((type(node).__name__, node.tag, start.line, start.column, end.line, end.column, quoted))
    if scalar:
        out.append((node.value,))
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            _flat(child, out)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _flat(key, out)
            _flat(value, out)
    return out


def _strict(text: str) -> Flat:
    return _flat(yaml.compose(text, Loader=_StrictLoader), [])


_SCALARS = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
    st.integers(-10**6, 10**6),
    st.decimals(places=2, allow_nan=False, allow_infinity=False, min_value=-10**6, max_value=10**6).map(str),
    st.dates(datetime.date(2000, 1, 1), datetime.date(2040, 12, 31)),
    st.booleans(),
    st.none(),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(data=_DATA, flow=st.sampled_from([False, None, True]), pending=st.booleans())
def test_the_fast_reading_gives_the_strict_loaders_tree(data: object, flow: bool | None, pending: bool) -> None:
    text = yaml.safe_dump({"valeur": data}, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    if pending:  # our one tag, as users write it
        text = text.replace("valeur:", "valeur: !a_confirmer", 1) if not isinstance(data, dict | list) else text
    assert _flat(parse_yaml(text, "essai.yaml", "essai").node, []) == _strict(text)


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ("a: &x 1\nb: *x\n", "les ancres et alias (& et *) ne sont pas acceptés", "essai.yaml:1:4"),
        ("a: !autre 1\n", "étiquette inconnue", "essai.yaml:1:4"),
        ("a:\n\t- 1\n", "une tabulation", "essai.yaml:2:1"),
        ("a: b: c\n", "un « : » inattendu", "essai.yaml:1:5"),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "trop de niveaux imbriqués", "essai.yaml:1:"),
    ],
)
def test_what_the_strict_loader_refuses_is_refused_with_its_message(text: str, message: str, where: str) -> None:
    with pytest.raises(DataError) as refused:
        parse_yaml(text, "essai.yaml", "essai")
    assert message in refused.value.message and str(refused.value.location).startswith(where), str(refused.value)
