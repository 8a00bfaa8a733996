"""A clause's rendered Markdown parsed and set in French block by block, each block parsed once per process.

Most paragraphs of a document are the same in many documents (a name or a figure changes here and there), so the text
is cut between top-level blocks, at places where markdown-it's block parser starts afresh, and the tokens of each block
are remembered. The result is exactly the whole text's parse, line numbers (`Token.map`) included: see `_CUT` for where
a text may be cut and `_uncuttable` for the texts parsed whole.

The tokens returned are shared between documents: nothing downstream may modify them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from markdown_it.token import Token

from ..inputs.clauses import parse_markdown
from .french import french_tokens

# Blocks used in every document stay, one-off ones (a table of figures) go first; about 10 kB a block: 20 MB at most.
BLOCKS_REMEMBERED = 2048

# A cut after a blank line, before a line that starts at the margin with a character no block can be continued by
# after a blank line: an indented line may continue a list item (or be indented code), a list marker may continue a
# list, « > » a quotation. Blank lines are those of markdown-it: spaces and tabs only.
_CUT = re.compile(r"\n[ \t]*\n(?=[^ \t\n\-+*>])(?![0-9]{1,9}[.)])")

# What ties distant blocks together: definitions of footnotes and links (« [^n]: … », « [lien]: … », read from the
# whole text before any paragraph) and inline footnotes (« ^[…] », gathered at its end); what a cut could split: fenced
# code, which may hold blank lines; and what markdown-it rewrites first: carriage returns and NUL.
_LINKED_OR_FENCED = ("]:", "^[", "```", "~~~", "\r", "\0")


def clause_tokens(markdown: str) -> tuple[Token, ...]:
    """The tokens of a clause's rendered Markdown, set in French (see french.py)."""
    if _uncuttable(markdown):
        return tuple(french_tokens(parse_markdown(markdown)))
    tokens: list[Token] = []
    first_line = 0
    for block in _blocks(markdown):
        tokens += _block_tokens(block, first_line)
        first_line += block.count("\n")
    return tuple(tokens)


def _uncuttable(markdown: str) -> bool:
    return any(marker in markdown for marker in _LINKED_OR_FENCED)


def _blocks(markdown: str) -> Iterator[str]:
    """The text in consecutive pieces, each ending with the blank line before a cut."""
    start = 0
    for cut in _CUT.finditer(markdown):
        yield markdown[start : cut.end()]
        start = cut.end()
    yield markdown[start:]


@functools.lru_cache(maxsize=BLOCKS_REMEMBERED)
def _block_tokens(block: str, first_line: int) -> tuple[Token, ...]:
    """A block's tokens, as if parsed in place: the blank lines put before it number its lines as in the whole text."""
    return tuple(french_tokens(parse_markdown("\n" * first_line + block)))
