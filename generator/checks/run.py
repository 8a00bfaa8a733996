"""Every rule over a document, in a stable order: the findings of `atfpb check` and of the build's own checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from ..inputs.rules import Rules
from ..reading.lines import Line
from .data import amount_mismatches, inconsistent_data, inconsistent_periods
from .document import Document, Finding
from .expectations import Expected
from .formalities import avenant_number, visas_order
from .legal import legal_references
from .names import foreign_parties
from .spelling import inconsistent_names
from .structure import empty_fields, missing_articles, missing_signatories, numbering_gaps

Rule = Callable[[Document, Expected, Rules], Iterator[Finding]]

RULES: tuple[Rule, ...] = (
    missing_articles,
    numbering_gaps,
    missing_signatories,
    legal_references,
    inconsistent_names,
    foreign_parties,
    empty_fields,
    avenant_number,
    visas_order,
    inconsistent_periods,
    inconsistent_data,
    amount_mismatches,
)


def check_lines(lines: Sequence[Line], expected: Expected, rules: Rules) -> list[Finding]:
    """Every finding of every rule, in rule order."""
    document = Document(lines, rules.known_titles(expected.kind))
    return [finding for rule in RULES for finding in rule(document, expected, rules)]
