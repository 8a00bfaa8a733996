"""Reading a filled bilan workbook into a Bilan: its identification, dates, realised amounts and statuses per action
and QPV, and the qualitative part; every problem reported at its cell."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl.utils.cell import coordinate_to_tuple

from ...errors import Collector, DataError, Location
from ...model.bilan import STATUSES, Bilan, BilanPlaces, Qualitative, Realisation, RealisationPlaces, status_named
from ...model.territory import Territory
from ..instances import landlord_named
from ..programmes import commune_in
from .bilan_template import (
    BILAN_LAYOUT_PROPERTY,
    BILAN_LAYOUT_VERSION,
    BILAN_SHEETS,
    COLUMN,
    COMMUNE_CELL,
    DATE_CELL,
    FIRST_ROW,
    LANDLORD_CELL,
    QUALITATIVE,
    QUALITATIVE_ROWS,
    REALISED,
    VALIDATION_CELL,
    YEAR_CELL,
)
from .cells import Sheet, cell_amount, cell_text, is_empty, qpv_code
from .layout import IDENTITY_PROPERTY, INSTRUCTIONS
from .opening import open_workbook

CHOICES = ", ".join(STATUSES)


def read_bilan_workbook(path: Path, shown_as: str, territory: Territory) -> Bilan:
    """A bilan filled in the workbook of `write_bilan_template`; every problem found is reported at its cell."""
    typed, computed = open_workbook(path, shown_as, BILAN_SHEETS)
    properties = {p.name: str(p.value) for p in typed.custom_doc_props.props}
    if properties.get(BILAN_LAYOUT_PROPERTY) != BILAN_LAYOUT_VERSION:
        raise DataError(
            "ce classeur n'est pas un classeur de bilan d'atfpb : préparez-le avec « atfpb bilan-template COMMUNE "
            "BAILLEUR ANNÉE ».",
            Location(shown_as),
        )
    sheets = {name: Sheet(typed[name], computed[name], shown_as) for name in BILAN_SHEETS}
    head = sheets[INSTRUCTIONS]
    commune = commune_in(territory, _text(head, COMMUNE_CELL), lambda m: head.error_at(COMMUNE_CELL, m))
    landlord_text = _text(head, LANDLORD_CELL)
    landlord = landlord_named(territory.bailleurs, landlord_text, lambda m: head.error_at(LANDLORD_CELL, m))
    year_text = _text(head, YEAR_CELL)
    if not year_text.isdigit():
        raise head.error_at(YEAR_CELL, f"« Année » doit être une année écrite en chiffres (lu : « {year_text} »).")
    year = int(year_text)
    if properties.get(IDENTITY_PROPERTY) != f"{commune}|{landlord.slug}|{year}":
        raise head.error_at(
            COMMUNE_CELL,
            "l'identification a été modifiée : ce classeur a été préparé pour "
            f"« {properties.get(IDENTITY_PROPERTY)} ». "
            "Préparez le classeur voulu avec « atfpb bilan-template ».",
        )
    problems = Collector()
    realisations = _realisations(sheets[REALISED], problems)
    qualitative = _qualitative(sheets[QUALITATIVE], problems)
    when = problems.attempt(lambda: _date(head, DATE_CELL))
    validation = problems.attempt(lambda: _date(head, VALIDATION_CELL))
    problems.raise_any()
    assert qualitative is not None
    return Bilan(
        commune=commune,
        bailleur=landlord.slug,
        annee=year,
        realisations=realisations,
        qualitatif=qualitative,
        source=shown_as,
        validation_conseil_municipal=validation,
        date_document=when,
        places=BilanPlaces(
            head.location_at(COMMUNE_CELL),
            head.location_at(LANDLORD_CELL),
            head.location_at(YEAR_CELL),
            sheets[REALISED].location(FIRST_ROW, COLUMN["numero"]),
            head.location_at(VALIDATION_CELL),
        ),
    )


def _text(sheet: Sheet, cell: str) -> str:
    text = cell_text(sheet.value(*coordinate_to_tuple(cell)))
    if not text:
        raise sheet.error_at(cell, "cellule d'identification vide : gardez l'identification du modèle.")
    return text


def _date(sheet: Sheet, cell: str) -> date | None:
    value = sheet.value(*coordinate_to_tuple(cell))
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise sheet.error_at(cell, f"une date (JJ/MM/AAAA), ou rien (lu : « {cell_text(value)} »).")


def _realisations(sheet: Sheet, problems: Collector) -> tuple[Realisation, ...]:
    """The rows of « Réalisations » grouped by action number: realised amount per QPV, one status per action."""
    actions: dict[int, dict[str, object]] = {}
    for row in range(FIRST_ROW, sheet.typed.max_row + 1):
        if sheet.is_empty_row(row, len(COLUMN)):
            continue
        line = problems.attempt(lambda row=row: _row(sheet, row))  # type: ignore[misc]
        if line is None:
            continue
        number, code, amount, status, comment = line
        action = actions.setdefault(number, {"amounts": [], "places": {}, "row": row, "status": None, "comment": ""})
        action["amounts"].append((code, amount))  # type: ignore[attr-defined]
        action["places"][code] = sheet.location(row, COLUMN["realise"])  # type: ignore[index]
        if status is not None:
            if action["status"] not in (None, status):
                problems.add(sheet.error(row, COLUMN["statut"], f"l'action n° {number} a déjà un autre état."))
            action["status"] = status
        action["comment"] = action["comment"] or comment
    found = []
    for number, action in actions.items():
        row = int(action["row"])  # type: ignore[call-overload]
        if action["status"] is None:
            problems.add(sheet.error(row, COLUMN["statut"], f"état manquant pour l'action n° {number} : {CHOICES}."))
            continue
        found.append(
            Realisation(
                numero=number,
                realise=tuple(action["amounts"]),  # type: ignore[call-overload,arg-type]
                statut=str(action["status"]),
                commentaire=str(action["comment"]),
                places=RealisationPlaces(
                    sheet.location(row, COLUMN["numero"]), sheet.location(row, COLUMN["statut"]), action["places"]  # type: ignore[arg-type]
                ),
            )
        )
    return tuple(found)


def _row(sheet: Sheet, row: int) -> tuple[int, str, Decimal, str | None, str]:
    number_text = cell_text(sheet.value(row, COLUMN["numero"]))
    if not number_text.isdigit():
        raise sheet.error(row, COLUMN["numero"], f"numéro d'action attendu (lu : « {number_text} »).")
    code_text = cell_text(sheet.value(row, COLUMN["qpv"])).split("–")[0].strip()
    code = qpv_code(code_text, lambda message: sheet.error(row, COLUMN["qpv"], message))
    amount = cell_amount(sheet, row, COLUMN["realise"], "Montant réalisé")
    if amount is None:
        raise sheet.error(row, COLUMN["realise"], "montant réalisé manquant (0 pour une action non réalisée).")
    status_text = cell_text(sheet.value(row, COLUMN["statut"]))
    status = status_named(status_text) if status_text else None
    if status_text and status is None:
        raise sheet.error(row, COLUMN["statut"], f"état inconnu « {status_text} » : {CHOICES}.")
    return int(number_text), code, amount, status, cell_text(sheet.value(row, COLUMN["commentaire"]))


def _qualitative(sheet: Sheet, problems: Collector) -> Qualitative | None:
    texts = {key: cell_text(sheet.value(row, 2)) for row, (key, _label) in enumerate(QUALITATIVE_ROWS, start=2)}
    if not texts["resultats"]:
        problems.add(sheet.error(2, 2, "« Résultats obtenus » est vide : décrivez les résultats des actions."))
    return Qualitative(texts["resultats"], texts["difficultes"], texts["perspectives"])
