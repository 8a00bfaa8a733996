"""What a build makes: the documents of the chosen communes, and which of them need building (input hashes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..assembly.assemble import assemble_avenant, assemble_convention
from ..assembly.document import AssembledDocument, Edition
from ..errors import Collector, DataError
from ..inputs.project import Inputs, Project
from ..manifest import Entry, latest_final, sha256_of
from ..model.programme import Programme
from ..model.territory import Commune, Landlord, convention_pairs
from ..pending import Pending, pending_in


@dataclass(frozen=True)
class Spec:
    """A document to be: a convention (no programme) or the avenant of a programme."""

    commune: Commune
    landlord: Landlord
    programme: Programme | None = None

    @property
    def key(self) -> tuple[str, str, str, int]:
        kind = "avenant" if self.programme else "convention"
        return (kind, self.commune.slug, self.landlord.slug, self.programme.annee if self.programme else 0)


@dataclass(frozen=True)
class Planned:
    """A spec to build, in which edition, from inputs with these hashes."""

    spec: Spec
    edition: Edition
    inputs: dict[str, str]


@dataclass(frozen=True)
class Job:
    """One document to build: what it says, which edition, from which inputs."""

    document: AssembledDocument
    edition: Edition
    inputs: dict[str, str]
    programme: Programme | None = None

    @property
    def name(self) -> str:
        d = self.document
        year = f"-{d.year}" if d.year else ""
        return f"{d.kind}-atfpb{year}-{d.commune}-{d.bailleur}{self.edition.suffix}"


def specs_of(inputs: Inputs, communes: Sequence[Commune], year: int | None = None) -> list[Spec]:
    """Every convention of the chosen communes and every avenant of their programmes (of `year` if given)."""
    specs = []
    for commune, landlord in convention_pairs(inputs.territory, communes):
        specs.append(Spec(commune, landlord))
        programmes = [p for p in inputs.programmes or () if (p.commune, p.bailleur) == (commune.slug, landlord.slug)]
        specs += [
            Spec(commune, landlord, p)
            for p in sorted(programmes, key=lambda p: p.annee)
            if year is None or p.annee == year
        ]
    return specs


def assemble(inputs: Inputs, spec: Spec) -> AssembledDocument:
    """The document a spec describes, assembled (pure)."""
    territory, commune, landlord = inputs.territory, spec.commune, spec.landlord
    if spec.programme is None:
        return assemble_convention(territory, commune, landlord, inputs.clauses, inputs.references)
    return assemble_avenant(territory, commune, landlord, spec.programme, inputs.avenant_clauses, inputs.references)


def input_hashes(project: Project, commune: Commune, programme: Programme | None = None) -> dict[str, str]:
    """The SHA-256 of every file a document is made from, and the toolkit's version."""
    files = [*project.shared_inputs(programme is not None), project.root / commune.source]
    if programme is not None:
        files.append(project.root / programme.source)
    return {"atfpb": __version__, **{project.shown(path): sha256_of(path) for path in files}}


def values_to_confirm(inputs: Inputs, specs: Sequence[Spec]) -> list[Pending]:
    """The values not yet confirmed that the specs' documents use: the territory's, their landlords', communes'
    and programmes' (each once)."""
    territory = inputs.territory
    shared = (territory.epci, territory.etat, territory.contrat, territory.periode)
    return pending_in(shared, *((s.landlord, s.commune, s.programme) for s in specs))


def refuse_unconfirmed(inputs: Inputs, specs: Sequence[Spec]) -> None:
    """A final version is never made from a value still to confirm: every such value is listed, nothing is written."""
    marks = values_to_confirm(inputs, specs)
    if not marks:
        return
    problems = Collector()
    problems.add(
        DataError(
            f"version finale refusée : {len(marks)} valeur(s) utilisée(s) par ces documents reste(nt) à confirmer. "
            "Indiquez chaque valeur et retirez « !a_confirmer », puis relancez."
        )
    )
    problems.extend(DataError(f"à confirmer : {mark.describe()}.", mark.location) for mark in marks)
    problems.raise_any()


def plan(
    project: Project,
    specs: Sequence[Spec],
    previous: Sequence[Entry],
    final: bool,
    new_version: bool,
    force: bool,
) -> tuple[list[Planned], list[Entry]]:
    """What to build: a draft whose inputs and files are unchanged is kept; a final is never overwritten."""
    planned: list[Planned] = []
    unchanged: list[Entry] = []
    problems = Collector()
    for spec in specs:
        used = input_hashes(project, spec.commune, spec.programme)
        if not final:
            last = next((e for e in previous if not e.final and e.key[:4] == spec.key), None)
            if last is not None and not force and last.inputs == used and _intact(project, last):
                unchanged.append(last)
            else:
                planned.append(Planned(spec, Edition(), used))
            continue
        kind, commune, landlord, year = spec.key
        last = latest_final(previous, kind, commune, landlord, year or None)
        if last is not None and last.inputs == used:
            unchanged.append(last)
        elif last is not None and last.recovered and not new_version:
            problems.add(
                DataError(
                    f"la version finale {last.version} ({last.pdf}) a été retrouvée dans output/ sans trace des "
                    "données dont elle est faite (manifeste perdu) : elle est gardée telle quelle. Relancez avec "
                    f"--new-version pour produire la version {(last.version or 0) + 1} à côté."
                )
            )
        elif last is not None and not new_version:
            changed = sorted(k for k in used.keys() | last.inputs.keys() if used.get(k) != last.inputs.get(k))
            problems.add(
                DataError(
                    f"la version finale {last.version} ({last.pdf}) existe déjà et ses données ont changé depuis "
                    f"({', '.join(changed)}) : une version finale n'est jamais remplacée. Relancez avec "
                    f"--new-version pour produire la version {(last.version or 0) + 1} à côté."
                )
            )
        else:
            planned.append(Planned(spec, Edition((last.version or 0) + 1 if last else 1), used))
    problems.raise_any()
    return planned, unchanged


def _intact(project: Project, entry: Entry) -> bool:
    """The files of a manifest entry are still there, as they were written (by size, then digest)."""
    for kind in ("docx", "pdf"):
        path: Path = project.root / getattr(entry, kind)
        if not path.is_file() or sha256_of(path) != entry.sha256.get(kind):
            return False
    return True
