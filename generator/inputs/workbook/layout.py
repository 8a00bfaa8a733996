"""The programme workbook's layout, shared by the template writer and the reader: sheets, cells, columns, words."""

from __future__ import annotations

from ...model.programme import AXES

INSTRUCTIONS, ABATEMENT, ACTIONS, LISTS = "Instructions", "Abattement", "Actions", "Listes"
REQUIRED_SHEETS = (INSTRUCTIONS, ABATEMENT, ACTIONS)

# Sheet « Instructions »: a title, a free remark, then the identification table the reader uses.
TITLE_CELL = "A1"
NOTE_CELL = "A2"  # free remark, e.g. « Exemple : montants illustratifs » (not read)
COMMUNE_CELL, LANDLORD_CELL, YEAR_CELL = "B3", "B4", "B5"  # labels in A3:A5
FIRST_HELP_ROW = 8

# Sheet « Abattement »: header in row 1, one row per QPV of the convention from row 2, then the « Total » row.
FIRST_QPV_ROW = 2
CODE_COLUMN, NAME_COLUMN, DWELLINGS_COLUMN, ABATEMENT_COLUMN, CARRY_OVER_COLUMN = 1, 2, 3, 4, 5

# Sheet « Actions »: header in row 1, « Total » row in row 2 (formulas), actions from row 3.
TOTAL_ROW = 2
FIRST_ACTION_ROW = 3
ACTION_ROWS = 200  # empty rows prepared with drop-down lists and formats
LAST_ACTION_ROW = FIRST_ACTION_ROW + ACTION_ROWS - 1

# (key, header, width): the order of the columns A to L of the « Actions » sheet.
ACTION_COLUMNS = (
    ("axe", "Axe", 48),
    ("titre", "Titre de l'action", 34),
    ("description", "Description", 50),
    ("qpv", "QPV", 14),
    ("repartition", "Répartition entre QPV", 32),
    ("cout_total", "Coût total (€)", 17),
    ("montant_valorise", "Montant valorisé ATFPB (€)", 19),
    ("cofinanceurs", "Cofinanceurs", 28),
    ("montants_cofinances", "Montants cofinancés (€)", 20),
    ("indicateurs", "Indicateurs", 36),
    ("calendrier", "Calendrier", 22),
    ("pluriannuelle", "Pluriannuelle (Oui/Non)", 15),
)
COLUMN = {key: index for index, (key, _header, _width) in enumerate(ACTION_COLUMNS, start=1)}
HEADER = {key: header for key, header, _width in ACTION_COLUMNS}
ACTION_AMOUNT_KEYS = ("cout_total", "montant_valorise")

TOTAL = "Total"
SEVERAL = "Plusieurs"
YES, NO = "Oui", "Non"
AXIS_LABELS = tuple(f"{number} - {label}" for number, label in enumerate(AXES, start=1))
ABATEMENT_HEADERS = ("Code QPV", "Nom du quartier", "Logements éligibles", "Abattement", "Report")  # D, E: prefixes


def split_example(codes: list[str]) -> str:
    """How a split over several QPV is written, with the convention's own codes where it has two."""
    first, second = codes[:2] if len(codes) >= 2 else ("QN05954M", "QN05952M")
    return f"{first}=1200; {second}=800"
