"""The French typography of a clause's tokens, in one pass: text set in French, ordinal suffixes raised."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from markdown_it.token import Token

from ..typography import ordinal_pieces, typeset


def french_tokens(tokens: list[Token]) -> list[Token]:
    """Every text of the inline tokens set in French (see typography.typeset), ordinals as superscript tokens (the
    ones the superscript plugin gives for « 1^er^ »)."""
    for token in tokens:
        if token.children:
            token.children = list(_french_children(token.children))
    return tokens


def _french_children(children: Iterable[Token]) -> Iterable[Token]:
    raised = False
    for child in children:
        if child.type in ("sup_open", "sup_close"):
            raised = child.type == "sup_open"
        if child.type != "text":  # code stays verbatim
            yield child
            continue
        child.content = _typeset_text(child.content)
        if raised:
            yield child
            continue
        yield from _with_ordinals(child)


@functools.lru_cache(maxsize=8192)
def _typeset_text(text: str) -> str:
    """typeset() of a token's text, remembered: table cells and short texts recur across documents. A token's text is a
    plain str cut from the Markdown, never a value to confirm (which a cache could not tell from the same text)."""
    return typeset(text)


def _with_ordinals(text: Token) -> Iterable[Token]:
    pieces = ordinal_pieces(text.content)
    if len(pieces) == 1:
        yield text
        return
    for piece, superscript in pieces:
        if superscript:
            yield Token("sup_open", "sup", 1, markup="^")
        yield Token("text", "", 0, content=piece)
        if superscript:
            yield Token("sup_close", "sup", -1, markup="^")
