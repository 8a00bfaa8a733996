"""The national reference data shipped with the toolkit: QPV of 2024 and EPCI memberships."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..model.territory import Qpv

DATA = Path(__file__).parents[1] / "data"
QPV_CODE = re.compile(r"^QN(0(\d{2}|2[AB])|97[1-8]|987)\d{2}[MINC]$")
OLD_QPV_CODE = re.compile(r"^QP\d{3}\d{3}$")


@dataclass(frozen=True)
class EpciCommune:
    """A commune as the official geography knows it."""

    insee: str
    nom: str
    siren_epci: str


@cache
def qpv_reference() -> dict[str, Qpv]:
    """Every QPV of the 2024 geography, by code."""
    with open(DATA / "qpv-2024.csv", encoding="utf-8", newline="") as handle:
        return {
            row["code_qpv"]: Qpv(
                code=row["code_qpv"],
                nom=row["nom_qpv"],
                insee_communes=tuple(row["insee_communes"].split("|")),
                noms_communes=tuple(row["noms_communes"].split("|")),
            )
            for row in csv.DictReader(handle)
        }


@cache
def official_communes() -> dict[str, EpciCommune]:
    """Every commune member of an EPCI à fiscalité propre, by INSEE code."""
    with open(DATA / "epci-communes.csv", encoding="utf-8", newline="") as handle:
        return {
            insee: EpciCommune(insee, name, siren)
            for insee, name, siren in _columns(handle, "insee_commune", "nom_commune", "siren_epci")
        }


def _columns(handle: Iterable[str], *names: str) -> Iterator[tuple[str, ...]]:
    """These columns of a CSV file, row by row (without a dictionary per row: the file has 35,000 rows, read at
    every command)."""
    rows = csv.reader(handle)
    header = next(rows)
    indexes = [header.index(name) for name in names]
    for row in rows:
        yield tuple(row[index] for index in indexes)


@cache
def epci_commune_names(siren: str) -> frozenset[str]:
    """The names of an EPCI's member communes (computed once per EPCI: the reference has 35,000 communes)."""
    return frozenset(c.nom for c in official_communes().values() if c.siren_epci == siren)
