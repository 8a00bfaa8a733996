"""What `init` created and what is left to confirm, as French lines for the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..typography import french_list


@dataclass(frozen=True)
class PendingValues:
    """The values marked « !a_confirmer » in one or several files that share them."""

    files: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class InitReport:
    """The project created: its files, communes, landlords and conventions, and what is left to confirm."""

    folder: Path
    epci: str  # « Valenciennes Métropole (SIREN 245901160) »
    files: tuple[str, ...]  # relative to the folder
    communes: tuple[str, ...]  # the member communes with a QPV
    landlords: tuple[str, ...]
    conventions: int  # commune × landlord pairs
    pending: tuple[PendingValues, ...]
    notes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The report as the command prints it."""
        lines = [
            f"Projet créé dans {self.folder} pour {self.epci} :",
            f"  - {_count(len(self.files), 'fichier')} dans instances/ (territoire.yaml et communes/)",
            f"  - {_count(len(self.communes), 'commune')} avec un quartier prioritaire : {_names(self.communes)}",
            f"  - {_count(len(self.landlords), 'bailleur')} : {_names(self.landlords)}",
            f"  - {_count(self.conventions, 'convention')} (couples commune × bailleur)",
        ]
        if self.notes:
            lines.append("À noter :")
            lines.extend(f"  - {note}" for note in self.notes)
        if self.pending:
            lines.append("Valeurs à confirmer (marquées « !a_confirmer ») avant une version à signer :")
            lines.extend(line for group in self.pending for line in _pending_lines(group))
        lines.append("Ensuite : complétez ces fichiers, puis lancez « atfpb validate » dans le dossier du projet.")
        return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number > 1 else ''}"


def _names(names: tuple[str, ...]) -> str:
    return french_list(list(names)) if names else "aucun"


def _pending_lines(group: PendingValues) -> list[str]:
    if len(group.files) == 1:
        where = group.files[0]
    else:
        where = f"{len(group.files)} fichiers de communes ({', '.join(Path(f).name for f in group.files)})"
    return [f"  {where} :", *(f"    - {label}" for label in group.labels)]
