"""The programme workbook of one convention and one year: checked, then written atomically where it goes."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from ..errors import DataError
from ..inputs.instances import load_territory
from ..inputs.project import Project, load_programmes, select_communes, select_landlord
from ..model.territory import Commune, Landlord, Territory
from ..model.totals import programme_totals
from ..text import slugify
from ..typography import french_of


def write_programme_template(project: Project, commune: str, landlord: str, year: int, out: Path | None) -> Path:
    """The workbook for one convention and one year; by default output/programmes/<commune>-<bailleur>-<année>.xlsx.

    Only the territory file and that commune's file are read: another commune's or programme's problem does not stop it.
    """
    from ..inputs.workbook.template import write_template  # openpyxl is loaded only for workbooks

    territory = load_territory(project.instances, project.root, only=[commune])
    chosen = select_communes(territory, [commune])[0]
    owner = select_landlord(territory, landlord)
    if chosen.convention_qpv(owner.slug) is None:
        raise DataError(f"aucune convention entre la Ville {french_of(chosen.nom)} et {owner.nom}.")
    period = territory.periode
    if not period.debut <= year <= period.fin:
        raise DataError(f"l'année {year} sort de la période des conventions ({period.debut}-{period.fin}).")
    carried = carried_into(project, territory, chosen, owner, year)
    destination = out or project.output / "programmes" / f"{chosen.slug}-{slugify(owner.slug)}-{year}.xlsx"
    if destination.suffix.lower() != ".xlsx":
        raise DataError(f"le classeur doit porter l'extension .xlsx (lu : « {destination.name} »).")
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f".{destination.name}.tmp")
    try:
        write_template(temporary, territory, chosen, owner, year, carried)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
    return destination


def carried_into(
    project: Project, territory: Territory, commune: Commune, landlord: Landlord, year: int
) -> dict[str, Decimal] | None:
    """What the previous year's avenant carries to `year` on each QPV; None when that programme is not (readably)
    in instances/programmes/ yet (the landlord then types it)."""
    programmes, _problems = load_programmes(project.instances, project.root, territory)
    previous = next((p for p in programmes if p.key == (commune.slug, landlord.slug, year - 1)), None)
    if previous is None:
        return None
    return {share.code: share.montant for share in programme_totals(previous, commune).reports}
