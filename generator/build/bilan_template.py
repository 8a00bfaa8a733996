"""The bilan workbook of one convention and one year: its programme's actions listed, written atomically."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DataError
from ..inputs.instances import load_territory
from ..inputs.project import Project, load_programmes, select_communes, select_landlord
from ..model.totals import programme_totals
from ..text import slugify
from ..typography import french_of


def write_bilan_workbook(project: Project, commune: str, landlord: str, year: int, out: Path | None) -> Path:
    """The workbook a landlord fills with what its programme of `year` realised; by default
    output/bilans/<commune>-<bailleur>-<année>.xlsx."""
    from ..inputs.workbook.bilan_template import write_bilan_template  # openpyxl is loaded only for workbooks

    territory = load_territory(project.instances, project.root)
    chosen = select_communes(territory, [commune])[0]
    owner = select_landlord(territory, landlord)
    if chosen.convention_qpv(owner.slug) is None:
        raise DataError(f"aucune convention entre la Ville {french_of(chosen.nom)} et {owner.nom}.")
    programmes, problems = load_programmes(project.instances, project.root, territory)
    programme = next((p for p in programmes if p.key == (chosen.slug, owner.slug, year)), None)
    if programme is None:
        if problems:
            raise problems[0]
        raise DataError(
            f"aucun programme {year} de la Ville {french_of(chosen.nom)} et de {owner.nom} dans instances/programmes/ "
            "(ni avenant) : le bilan rend compte d'un programme ; déposez-le d'abord."
        )
    destination = out or project.output / "bilans" / f"{chosen.slug}-{slugify(owner.slug)}-{year}.xlsx"
    if destination.suffix.lower() != ".xlsx":
        raise DataError(f"le classeur doit porter l'extension .xlsx (lu : « {destination.name} »).")
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f".{destination.name}.tmp")
    try:
        write_bilan_template(temporary, chosen, owner, year, programme_totals(programme, chosen))
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
    return destination
