"""The territory's synthesis as a workbook: a real table (filters, frozen header, number formats) with one row per
convention, totals per commune, landlord and axis, and native charts; written byte for byte the same each time."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ...model.charts import AXIS_SHORT_LABELS
from ...model.synthesis import Synthesis, Totals
from .template import _print_setup, _style_header, _style_total

MAIN, COMMUNES, LANDLORDS, AXES_SHEET = "Synthèse", "Par commune", "Par bailleur", "Par axe"
AMOUNT_FORMAT = '[$-40C]#,##0.00 "€"'  # French separators (« 6 750,00 € ») whatever the reader's locale
PERCENT_FORMAT = "[$-40C]0.0%"
MAIN_COLUMNS = (  # header, width, number format
    ("Commune", 16, None),
    ("Bailleur", 36, None),
    ("Logements éligibles", 14, "0"),
    ("Abattement (€)", 15, AMOUNT_FORMAT),
    ("Report reçu (€)", 15, AMOUNT_FORMAT),
    ("Valorisé (€)", 15, AMOUNT_FORMAT),
    ("Réalisé (€)", 15, AMOUNT_FORMAT),
    ("Taux de réalisation", 13, PERCENT_FORMAT),
    ("Reporté (€)", 15, AMOUNT_FORMAT),
    ("Convention", 17, None),
    ("Avenant", 17, None),
    ("Bilan", 17, None),
)
GROUP_COLUMNS = ("Conventions", "Logements éligibles", "Abattement (€)", "Valorisé (€)", "Réalisé (€)", "Reporté (€)")


def write_synthesis(destination: Path, figures: Synthesis, when: date) -> None:
    """Write the synthesis workbook, dated `when` (its properties and the dates inside its package)."""
    workbook = Workbook()
    workbook.properties.title = f"Synthèse ATFPB {figures.annee} - {figures.epci}"
    workbook.properties.creator = "atfpb"
    _main(workbook.active, figures)
    _groups(workbook.create_sheet(COMMUNES), "Commune", figures.by_commune, figures, "Montants par commune (€)")
    _groups(workbook.create_sheet(LANDLORDS), "Bailleur", figures.by_landlord, figures, "Montants par bailleur (€)")
    _axes(workbook.create_sheet(AXES_SHEET), figures)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _frozen(buffer.getvalue(), destination, datetime.combine(when, time()))


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _main(sheet: Worksheet, figures: Synthesis) -> None:
    sheet.title = MAIN
    _style_header(sheet, [h for h, _w, _f in MAIN_COLUMNS], [w for _h, w, _f in MAIN_COLUMNS])
    for row, line in enumerate(figures.rows, start=2):
        ratio = (
            float(line.realise / line.valorise) if line.realise is not None and line.valorise else None
        )
        values = (
            line.commune,
            line.bailleur,
            line.logements,
            _number(line.abattement),
            _number(line.report_recu),
            _number(line.valorise),
            _number(line.realise),
            ratio,
            _number(line.reporte),
            *line.statuts,
        )
        for column, (value, (_h, _w, number_format)) in enumerate(zip(values, MAIN_COLUMNS, strict=True), start=1):
            cell = sheet.cell(row, column, value)
            if number_format:
                cell.number_format = number_format
    last = len(figures.rows) + 1
    table = Table(displayName="Conventions", ref=f"A1:{get_column_letter(len(MAIN_COLUMNS))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    total_row = last + 1
    sheet.cell(total_row, 1, "Total")
    for column in (3, 4, 5, 6, 7, 9):
        letter = get_column_letter(column)
        cell = sheet.cell(total_row, column, f"=SUM({letter}2:{letter}{last})")
        cell.number_format = MAIN_COLUMNS[column - 1][2] or "General"
    sheet.cell(total_row, 8, f'=IF(F{total_row}>0,G{total_row}/F{total_row},"")').number_format = PERCENT_FORMAT
    _style_total(sheet, total_row, len(MAIN_COLUMNS))
    sheet.freeze_panes = "C2"
    _print_setup(sheet, title_rows="1:1")


def _groups(sheet: Worksheet, label: str, groups: Sequence[Totals], figures: Synthesis, title: str) -> None:
    _style_header(sheet, [label, *GROUP_COLUMNS], [36, 14, 14, 15, 15, 15, 15])
    for row, group in enumerate(groups, start=2):
        values = (group.nom, group.conventions, group.logements, group.abattement, group.valorise, group.realise,
                  group.reporte)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, float(value) if isinstance(value, Decimal) else value)
            if column >= 4:
                cell.number_format = AMOUNT_FORMAT
    last = len(groups) + 1
    _total_row(sheet, last, range(2, 8))
    chart = _bar_chart(title, sheet, first_column=4, last_column=6, rows=last)
    sheet.add_chart(chart, f"A{last + 3}")
    sheet.freeze_panes = "B2"
    _print_setup(sheet, title_rows="1:1")


def _axes(sheet: Worksheet, figures: Synthesis) -> None:
    _style_header(sheet, ["Axe", "Valorisé (€)", "Réalisé (€)", "Intitulé de l'axe"], [26, 15, 15, 60])
    for row, (number, label, valued, realised) in enumerate(figures.by_axis, start=2):
        sheet.cell(row, 1, AXIS_SHORT_LABELS[number - 1])
        sheet.cell(row, 4, label)
        for column, value in ((2, valued), (3, realised)):
            sheet.cell(row, column, float(value)).number_format = AMOUNT_FORMAT
    last = len(figures.by_axis) + 1
    _total_row(sheet, last, range(2, 4))
    chart = _bar_chart("Valorisé et réalisé par axe (€)", sheet, first_column=2, last_column=3, rows=last)
    sheet.add_chart(chart, f"A{last + 3}")
    sheet.freeze_panes = "B2"
    _print_setup(sheet, title_rows="1:1")


def _total_row(sheet: Worksheet, last: int, columns: range) -> None:
    sheet.cell(last + 1, 1, "Total").font = Font(bold=True)
    for column in columns:
        letter = get_column_letter(column)
        cell = sheet.cell(last + 1, column, f"=SUM({letter}2:{letter}{last})")
        cell.number_format = AMOUNT_FORMAT if column >= 4 or sheet.title == AXES_SHEET else "0"
    _style_total(sheet, last + 1, columns.stop - 1)


def _bar_chart(title: str, sheet: Worksheet, first_column: int, last_column: int, rows: int) -> BarChart:
    """A clustered column chart of the columns given, one group per row, named by column A."""
    chart = BarChart()
    chart.type, chart.grouping, chart.title = "col", "clustered", title
    chart.y_axis.title, chart.y_axis.numFmt = "€", "[$-40C]#,##0"
    chart.y_axis.delete = chart.x_axis.delete = False
    data = Reference(sheet, min_col=first_column, max_col=last_column, min_row=1, max_row=rows)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
    chart.height, chart.width = 9, 22
    chart.legend.position = "b"
    return chart


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _frozen(package: bytes, destination: Path, when: datetime) -> None:
    """The package rewritten with fixed dates (its properties' and its entries') and order: same content, same
    bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(2), data)
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
