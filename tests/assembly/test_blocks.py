"""A clause's Markdown parsed block by block gives exactly the tokens of the whole text parsed at once, line numbers
included; a block is cut only where no block above can go on."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.assembly.blocks import _blocks, clause_tokens
from generator.assembly.french import french_tokens
from generator.inputs.clauses import parse_markdown

# Lines that open, continue or close every kind of block the library uses, and some it does not.
LINES = st.sampled_from(
    [
        "",
        "",
        "  ",
        "\t",
        "Un paragraphe au 1er janvier : 1 584 logements.",
        "Texte **gras**, *penché*, `code`, ~~barré~~ et [valeur (à confirmer)]{.a-confirmer}.",
        "M^me^ la Préfète",
        "- un point",
        "* une étoile",
        "+ un plus",
        "  - un sous-point",
        "  la suite indentée d'un point",
        "1. premier",
        "2) second",
        "1234567890. pas une liste",
        "2026 : une année",
        "    du code indenté",
        "> une citation",
        "## Un titre",
        "Un titre souligné",
        "===",
        "---",
        "***",
        "| a | b |",
        "|---|--:|",
        "| 1 | 2 |",
        "Une note[^n].",
        "[^n]: Le texte de la note.",
        "Une note en ligne^[Son texte.].",
        "[lien]: https://example.org",
        "Voir le [lien].",
        "```",
        "\u00a0espace insécable en tête",
    ]
)
MARKDOWN = st.tuples(st.lists(LINES, max_size=14), st.booleans()).map(
    lambda parts: "\n".join(parts[0]) + ("\n" if parts[1] else "")
)


def whole(markdown: str) -> tuple[object, ...]:
    return tuple(french_tokens(parse_markdown(markdown)))


@settings(max_examples=400, deadline=None)
@given(MARKDOWN)
@example("Voir le [lien].\n\n[lien]: https://example.org\n")  # a link defined in another block
@example("Une note[^n].\n\nSuite.\n\n[^n]: Son texte.\n")  # a footnote defined in another block
@example("Une note^[Son texte.].\n\nSuite.\n")  # footnotes go after the last block
@example("```\ncode\n\nencore\n```\n")  # a blank line inside fenced code
@example("~~~\ncode\n\nencore\n~~~\n")
def test_blocks_give_the_whole_texts_tokens(markdown: str) -> None:
    assert clause_tokens(markdown) == whole(markdown)
    assert clause_tokens(markdown) == whole(markdown)  # remembered blocks too


def test_a_paragraph_seen_before_at_the_same_line_is_not_parsed_again() -> None:
    first = clause_tokens("Début A.\n\nLe même paragraphe.\n")
    second = clause_tokens("Début B.\n\nLe même paragraphe.\n")
    assert first[3:] == second[3:] and first[3] is second[3]
    assert first[1] != second[1]
    assert [token.map for token in second if token.map] == [[0, 1], [0, 1], [2, 3], [2, 3]]


def test_blocks_are_cut_only_where_nothing_above_goes_on() -> None:
    assert list(_blocks("A\n\nB\n\n\n## C\nD\n")) == ["A\n\n", "B\n\n\n", "## C\nD\n"]
    assert list(_blocks("- a\n\n- b\n\n  suite\n\n1. c\n\n2) d\n\n> e\n\n\tf\n")) == [
        "- a\n\n- b\n\n  suite\n\n1. c\n\n2) d\n\n> e\n\n\tf\n"
    ]
    assert list(_blocks("A\n  \t\nB")) == ["A\n  \t\n", "B"]  # spaces and tabs make a blank line
    assert list(_blocks("A\n\u00a0\nB")) == ["A\n\u00a0\nB"]  # not a non-breaking space
