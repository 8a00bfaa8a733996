"""Property tests: any Markdown becomes Word that python-docx and LibreOffice open; any data loads or is located."""

from __future__ import annotations

import re

import pytest
import yaml
from docx import Document
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.errors import AtfpbError
from generator.inputs.instances import load_territory
from generator.inputs.project import Project
from generator.pdf.convert import convert_to_pdf

from ..helpers import copy_project, pdf_text, render

LETTERS = "abcdefghijklmnopqrstuvwxyzàâçéèêëîïôûùüÿœæABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÇÉÈÊËÎÏÔÛÙÜŸŒÆ"
WORD = st.text(alphabet=LETTERS, min_size=2, max_size=10)  # the letters of French documents
WORDS = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
PUNCTUATED = st.tuples(WORDS, st.sampled_from(["", " :", " ;", " !", " & ", " < ", ' "', " «"]), WORDS).map("".join)
BLOCKS = st.one_of(
    PUNCTUATED,
    WORDS.map(lambda w: f"**{w}**"),
    WORDS.map(lambda w: f"*{w}*"),
    WORDS.map(lambda w: f"## {w}"),
    st.lists(WORDS, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.lists(WORDS, min_size=1, max_size=4).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    st.lists(WORDS, min_size=2, max_size=2).map(lambda pair: f"- {pair[0]}\n  - {pair[1]}"),
    st.lists(WORDS, min_size=2, max_size=2).map(lambda pair: f"| a | b |\n|---|---|\n| {pair[0]} | {pair[1]} |"),
)
FOOTNOTE = st.lists(WORDS, min_size=2, max_size=2).map(lambda pair: f"{pair[0]}[^n]\n\n[^n]: {pair[1]}")
MARKDOWN = st.tuples(st.lists(BLOCKS, min_size=1, max_size=6), st.lists(FOOTNOTE, max_size=1)).map(
    lambda parts: "\n\n".join(parts[0] + parts[1])  # one footnote: a label is defined once
)


def words_of(markdown: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]{2,}", markdown) if w not in {"a", "b", "n"}]


@pytest.mark.e2e
@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # LibreOffice: no shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(markdown=MARKDOWN)
def test_any_markdown_opens_in_word_and_libreoffice(tmp_path_factory: pytest.TempPathFactory, markdown: str) -> None:
    folder = tmp_path_factory.mktemp("md")
    path = render(markdown, folder)
    word_text = " ".join(p.text for p in Document(str(path)).paragraphs)
    word_text += " ".join(c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells)
    conversion = convert_to_pdf([path], folder / "pdf")
    assert not conversion.failed
    text = pdf_text(conversion.converted[0].pdf)
    for word in words_of(markdown):
        assert word in word_text or word in text, word


KEYS = [
    "nom",
    "insee",
    "maire",
    "deliberation",
    "qpv",
    "bailleurs",
    "priorites",
    "diagnostic",
    "modalites_locales",
    "numero",
    "date",
    "titulaires",
    "logements",
    "inconnu",
]
SCALARS = st.one_of(
    st.text(max_size=20),
    st.integers(-5, 100),
    st.booleans(),
    st.none(),
    st.sampled_from(["Lourches", "59361", "QN05954M", "QP059054", "2024-02-30", "Partenord Habitat"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("proprietes"))
    for path in (project.instances / "communes").glob("*.yaml"):
        path.unlink()
    return project


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8))
def test_any_mapping_loads_or_gives_a_located_error(scratch: Project, data: dict[str, object]) -> None:
    path = scratch.instances / "communes" / "essai.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_territory(scratch.instances, scratch.root)
    except AtfpbError as error:
        for line in str(error).splitlines():
            assert re.match(r"^instances/communes/essai\.yaml(:\d+(:\d+)?)?: \S", line), line
