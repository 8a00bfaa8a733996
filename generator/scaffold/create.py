"""`atfpb init`: a new project folder for any EPCI of France, written only once everything in it is valid."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from ..errors import DataError, Location
from ..inputs.dwellings import read_dwellings
from ..inputs.epci import find_epci
from .communes import commune_path, commune_text
from .plan import ProjectPlan, make_plan
from .report import InitReport, PendingValues
from .territory import FILE, territory_text, thousands
from .yaml_text import YamlText

STAGING = ".atfpb-init-en-cours"


def create_project(folder: Path, siren_or_name: str, dwellings: Path | None, when: date | None) -> InitReport:
    """Create `folder`/instances for the EPCI named (SIREN or name), with the landlords of the dwellings file."""
    _refuse_existing(folder)
    epci = find_epci(siren_or_name)
    rows = read_dwellings(dwellings, str(dwellings), epci.siren, epci.names.dans) if dwellings is not None else ()
    plan = make_plan(epci, rows, dwellings.name if dwellings is not None else None, date.today(), when)
    texts = _texts(plan)
    _write(folder, {path: text.render() for path, text in texts.items()})
    return _report(folder, plan, texts)


def _refuse_existing(folder: Path) -> None:
    """A project is created in a new or empty folder only: nothing of the user's is ever replaced."""
    if folder.exists() and not folder.is_dir():
        raise DataError("ce chemin existe déjà et n'est pas un dossier.", Location(str(folder)))
    if folder.is_dir() and any(folder.iterdir()):
        raise DataError(
            "le dossier n'est pas vide : choisissez un dossier nouveau ou vide (« atfpb init » ne remplace "
            "aucun fichier).",
            Location(str(folder)),
        )


def _texts(plan: ProjectPlan) -> dict[str, YamlText]:
    """Every file of the project, by path relative to the folder."""
    texts = {FILE: territory_text(plan)}
    texts.update((commune_path(commune), commune_text(plan, commune)) for commune in plan.communes)
    return texts


def _write(folder: Path, files: dict[str, str]) -> None:
    """Write the files in a staging folder, then move it into place: an error leaves nothing half-written."""
    created = not folder.exists()
    staging = folder / STAGING
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for relative, content in files.items():
            path = staging / relative.removeprefix("instances/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8", newline="\n")
        staging.rename(folder / "instances")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise DataError(f"écriture impossible ({exc.strerror or exc}).", Location(str(folder))) from None


def _report(folder: Path, plan: ProjectPlan, texts: dict[str, YamlText]) -> InitReport:
    return InitReport(
        folder=folder,
        epci=f"{plan.names.nom} (SIREN {plan.epci.siren})",
        files=tuple(texts),
        communes=tuple(commune.nom for commune in plan.communes),
        landlords=tuple(landlord.nom for landlord in plan.landlords),
        conventions=plan.conventions,
        pending=_pending(texts),
        notes=tuple(_notes(plan)),
    )


def _pending(texts: dict[str, YamlText]) -> tuple[PendingValues, ...]:
    """The values to confirm, file by file; commune files with the same ones grouped."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for path, text in texts.items():
        if text.to_confirm:
            groups.setdefault(tuple(text.to_confirm), []).append(path)
    return tuple(PendingValues(tuple(paths), labels) for labels, paths in groups.items())


def _notes(plan: ProjectPlan) -> list[str]:
    notes = []
    if len(plan.departements) > 1:
        others = ", ".join(f"{d.nom} ({thousands(n)} habitants)" for d, n in plan.departements[1:])
        notes.append(f"l'EPCI s'étend sur plusieurs départements : {plan.departement.nom} (retenu), {others}.")
    shared = {q.qpv.code: " ; ".join(q.elsewhere) for c in plan.communes for q in c.quarters if q.elsewhere}
    if shared:
        listed = " ; ".join(f"{code} avec {where}" for code, where in sorted(shared.items()))
        notes.append(f"QPV partagés avec un autre EPCI : {listed}.")
    without = [commune.nom for commune in plan.communes if not commune.holdings]
    if without and plan.dwellings_file:
        notes.append(f"communes sans bailleur dans le fichier des logements (à compléter) : {', '.join(without)}.")
    elif without:
        notes.append("aucun fichier de logements : ajoutez les bailleurs au territoire et à chaque commune.")
    if plan.zero_rows == 1:
        notes.append("une ligne du fichier des logements compte 0 logement : elle n'est pas reprise.")
    elif plan.zero_rows:
        notes.append(f"{plan.zero_rows} lignes du fichier des logements comptent 0 logement : non reprises.")
    return notes
