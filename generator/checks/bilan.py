"""Rules on a bilan's figures: the totals computed from its programme and realised lines appear, with the rate of
completion, and the carry-over it establishes is stated as a report."""

from __future__ import annotations

from collections.abc import Iterator

from ..text import fold
from ..typography import french_amount
from .document import ERROR, WHOLE_DOCUMENT, Document, Finding
from .expectations import Expected


def bilan_figures(doc: Document, expected: Expected) -> Iterator[Finding]:
    """The realised and programmed totals and the rate appear; a carry-over is stated next to « report »."""
    figures = expected.bilan
    if figures is None:
        return
    text = " ".join(line.text for line in doc.lines).replace("\u00a0", " ").replace("\u202f", " ")
    for label, shown in (
        ("total réalisé", _shown(figures.total_realise)),
        ("total programmé", _shown(figures.total_programme)),
        ("taux de réalisation", figures.taux.replace("\u00a0", " ")),
    ):
        if shown not in text:
            yield Finding(
                "amount-mismatch",
                ERROR,
                f"le {label} calculé à partir du programme et du bilan ({shown}) n'apparaît pas dans le document.",
                WHOLE_DOCUMENT,
                "",
            )
    if figures.report_propose > 0:
        shown = _shown(figures.report_propose)
        paragraphs = [doc.with_continuation(index, lines=2).replace("\u00a0", " ") for index in range(len(doc.lines))]
        if not any(shown in p and "report" in fold(p) for p in paragraphs):
            yield Finding(
                "amount-mismatch",
                ERROR,
                f"le bilan laisse {shown} inutilisés, mais leur report n'est pas indiqué.",
                WHOLE_DOCUMENT,
                "",
            )


def _shown(value: object) -> str:
    return french_amount(value).replace("\u00a0", " ")  # type: ignore[arg-type]
