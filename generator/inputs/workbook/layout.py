"""The programme workbook's layout, shared by the template writer and the reader: sheets, cells, columns, words."""

from __future__ import annotations

from ...model.programme import AXES

INSTRUCTIONS, ABATEMENT, ACTIONS, LISTS = "Instructions", "Abattement", "Actions", "Listes"
REQUIRED_SHEETS = (INSTRUCTIONS, ABATEMENT, ACTIONS)

# The workbook's own record of what it was made for (custom document properties, not shown in the sheets): the
# layout's version, and the convention and year its identification cells must still name.
LAYOUT_PROPERTY, LAYOUT_VERSION = "atfpb-modele", "2"
IDENTITY_PROPERTY = "atfpb-identification"  # « lourches|partenord-habitat|2026 »

# Sheet « Instructions »: a title, a free remark, the identification (read-only) and the avenant's date, then help.
TITLE_CELL = "A1"
NOTE_CELL = "A2"  # free remark, e.g. « Exemple : montants illustratifs » (not read)
COMMUNE_CELL, LANDLORD_CELL, YEAR_CELL = "B3", "B4", "B5"  # labels in A3:A5
DATE_CELL = "B6"  # the avenant's date, optional (by default 30 April of the year)
FIRST_HELP_ROW = 8

# Sheet « Abattement »: header in row 1, one row per QPV of the convention from row 2, then the « Total » row.
FIRST_QPV_ROW = 2
CODE_COLUMN, NAME_COLUMN, DWELLINGS_COLUMN, ABATEMENT_COLUMN, CARRY_OVER_COLUMN = 1, 2, 3, 4, 5

# Sheet « Actions »: header in row 1, « Total » row in row 2 (formulas), one row per action and QPV from row 3.
TOTAL_ROW = 2
FIRST_ACTION_ROW = 3
ACTION_ROWS = 200  # empty rows prepared with drop-down lists, validations and formats
LAST_ACTION_ROW = FIRST_ACTION_ROW + ACTION_ROWS - 1

# (key, header, width): the columns A to O of the « Actions » sheet. The three named co-funders' headers are
# written for the convention (« Ville de Lourches (€) », the EPCI, « État (€) »); see cofunder_headers.
ACTION_COLUMNS = (
    ("numero", "N° action", 9),
    ("axe", "Axe", 44),
    ("titre", "Titre de l'action", 32),
    ("description", "Description", 44),
    ("qpv", "QPV", 30),
    ("cout_total", "Coût total (€)", 15),
    ("montant_valorise", "Montant valorisé ATFPB (€)", 17),
    ("ville", "Ville (€)", 16),
    ("epci", "Intercommunalité (€)", 16),
    ("etat", "État (€)", 14),
    ("autre_financeur", "Autre cofinanceur", 22),
    ("autre_montant", "Montant de l'autre cofinanceur (€)", 17),
    ("indicateurs", "Indicateurs", 32),
    ("calendrier", "Calendrier", 22),
    ("pluriannuelle", "Pluriannuelle (Oui/Non)", 14),
)
COLUMN = {key: index for index, (key, _header, _width) in enumerate(ACTION_COLUMNS, start=1)}
HEADER = {key: header for key, header, _width in ACTION_COLUMNS}
ACTION_AMOUNT_KEYS = ("cout_total", "montant_valorise")  # totalled in row 2
COFUNDER_KEYS = ("ville", "epci", "etat")  # named co-funders: the header names them
AMOUNT_KEYS = ("cout_total", "montant_valorise", *COFUNDER_KEYS, "autre_montant")
SHARED_KEYS = ("axe", "titre", "description", "indicateurs", "calendrier", "pluriannuelle", "autre_financeur")

TOTAL = "Total"
YES, NO = "Oui", "Non"
QPV_SEPARATOR = " – "  # « QN05954M – Gambetta » in the drop-down list
AXIS_LABELS = tuple(f"{number} - {label}" for number, label in enumerate(AXES, start=1))
ABATEMENT_HEADERS = ("Code QPV", "Nom du quartier", "Logements éligibles", "Abattement", "Report")  # D, E: prefixes


def cofunder_headers(of_commune: str, epci_name: str) -> dict[str, str]:
    """The named co-funders' column headers for one convention (« de Lourches »): its commune, its EPCI, the
    State."""
    return {"ville": f"Ville {of_commune} (€)", "epci": f"{epci_name} (€)", "etat": "État (€)"}


def cofunder_name(header: str) -> str:
    """« Ville de Lourches (€) » → « Ville de Lourches »."""
    return header.removesuffix("(€)").strip()
