"""Scalars written by `init` read back as written, tagged « !a_confirmer » or not, whatever their characters."""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.scaffold.yaml_text import YamlText, scalar, tagged


class _Loader(yaml.SafeLoader):
    """PyYAML reading the tag as a marked value, to check what the text means."""


_Loader.add_constructor(
    "!a_confirmer",
    lambda loader, node: ("à confirmer", loader.construct_scalar(node)),  # type: ignore[arg-type]
)


def read(text: str) -> object:
    return yaml.load(text, Loader=_Loader)


@given(st.text(max_size=60))
def test_any_text_reads_back(text: str) -> None:
    assert read(f"k: {scalar(text)}\n") == {"k": text}
    assert read(f"k: {tagged(text)}\n") == {"k": ("à confirmer", text)}


def test_plain_when_safe_quoted_otherwise() -> None:
    assert scalar("Maisons & Cités") == "Maisons & Cités"
    assert scalar("Bruay-sur-l'Escaut") == "Bruay-sur-l'Escaut"
    assert scalar("Non") == '"Non"'
    assert scalar("Nom : X") == '"Nom : X"'
    assert scalar("2024") == '"2024"'
    assert tagged(None) == "!a_confirmer"
    assert tagged(date(2026, 11, 28)) == "!a_confirmer 2026-11-28"


def test_comments_wrap_without_a_line_starting_with_punctuation() -> None:
    text = YamlText()
    text.comment("mot " * 25 + "« fin » ; suite : encore " + "mot " * 20)
    assert all(not line.startswith(("# ;", "# :", "# »")) and not line.endswith("«") for line in text.lines)
    assert read(text.render()) is None
