"""The départements of France, with the preposition their name takes in a title (« le Préfet du Nord »)."""

# Origin of data/departements.csv: the INSEE Code officiel géographique (table of départements, 2024):
# code (DEP), name (LIBELLE) and, in « de », the name preceded by the « charnière » its type of name
# (TNCC) gives: 0 « de », 1 « d' », 2 « du », 3 « de la », 4 « des », 5 « de l' ».
# The 96 metropolitan départements and the five overseas ones (971 to 974, 976).

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from .referentials import DATA


@dataclass(frozen=True)
class Departement:
    """A département: its code, its name and its name as a title uses it (« de la Somme »)."""

    code: str
    nom: str
    de: str


@cache
def departements() -> dict[str, Departement]:
    """Every département, by code ('59', '2A', '974')."""
    with open(DATA / "departements.csv", encoding="utf-8", newline="") as handle:
        return {row["code"]: Departement(row["code"], row["nom"], row["de"]) for row in csv.DictReader(handle)}
