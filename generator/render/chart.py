"""Charts drawn as PNG images with matplotlib: a fixed style, fonts and size, no timestamp nor version in the file,
so that the same figures give the same bytes."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: images only

from matplotlib import pyplot  # noqa: E402  (the backend is chosen first)

from ..model.charts import BarChart  # noqa: E402
from ..typography import french_amount  # noqa: E402

COLOURS = ("#1F4E78", "#E69F00", "#56B4E9", "#009E73")  # colour-blind safe; the first is the workbook's headers'
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs on every machine
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#D9D9D9",
    "svg.hashsalt": "atfpb",
    "path.simplify": False,
}
WIDTH_INCHES, HEIGHT_INCHES, DPI = 6.3, 3.4, 200


def bar_chart_png(chart: BarChart) -> bytes:
    """Grouped vertical bars with their amounts on top, the legend above the plot."""
    with pyplot.rc_context(STYLE):  # type: ignore[arg-type]
        figure, axes = pyplot.subplots(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
        try:
            count = max(1, len(chart.series))
            width = 0.8 / count
            positions = range(len(chart.categories))
            for index, (label, values) in enumerate(chart.series):
                offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
                bars = axes.bar(offsets, [float(v) for v in values], width, label=label, color=COLOURS[index % 4])
                axes.bar_label(bars, labels=[_short(v) for v in values], fontsize=6, padding=1.5, rotation=90)
            axes.set_xticks(list(positions), [_wrapped(c) for c in chart.categories], fontsize=7.5)
            axes.yaxis.set_major_formatter(lambda value, _position: _short(Decimal(int(value))))
            axes.set_ylabel(f"Montant ({chart.unit})")
            axes.margins(y=0.15)  # room for the amounts above the highest bars
            axes.set_axisbelow(True)
            axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=count, frameon=False)
            figure.tight_layout()
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        finally:
            pyplot.close(figure)
    return buffer.getvalue()


def _short(value: Decimal) -> str:
    """« 4 050 » without cents when there are none, « 412,50 » otherwise (the unit is the axis's)."""
    return french_amount(value).replace(",00", "").removesuffix("€").strip()


def _wrapped(label: str, width: int = 14) -> str:
    """A category's label on lines of about `width` characters (several bars side by side stay legible)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)
