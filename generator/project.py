"""A project's folders and inputs: instances, clause library, legal registry and check rules, validated."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .clauses import Clause, load_library
from .errors import AtfpbError, DataError, Location, raise_all, shown
from .instances import TERRITORY_FILE, load_territory
from .legal import LegalReference, load_legal_references
from .manifest import sha256_of
from .model import Commune, Landlord, Territory
from .programme import Programme, read_programme_yaml, validate
from .rules import Rules, load_rules
from .slug import slugify

PROGRAMMES_DIR = "programmes"


@dataclass(frozen=True)
class Project:
    """Where a project's inputs and outputs live."""

    root: Path

    @property
    def instances(self) -> Path:
        return self.root / "instances"

    @property
    def clauses(self) -> Path:
        return self.root / "clauses"

    @property
    def template(self) -> Path:
        return self.root / "templates" / "docx" / "convention.docx"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def shown(self, path: Path) -> str:
        return shown(path, self.root)

    def shared_inputs(self, avenant: bool = False) -> list[Path]:
        """The files every convention (or avenant) is made from, besides its commune's and programme's."""
        library = sorted((self.clauses / ("avenant" if avenant else "convention")).glob("*.md"))
        return [
            self.instances / TERRITORY_FILE,
            *library,
            self.clauses / "references.yaml",
            self.clauses / "controles.yaml",
            self.template,
        ]


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, loaded and validated."""

    territory: Territory
    clauses: tuple[Clause, ...]
    references: tuple[LegalReference, ...]
    rules: Rules
    avenant_clauses: tuple[Clause, ...] = ()
    programmes: tuple[Programme, ...] = ()

    def programme(self, commune: str, landlord: str, year: int) -> Programme | None:
        return next((p for p in self.programmes if (p.commune, p.bailleur, p.annee) == (commune, landlord, year)), None)


def load_inputs(project: Project) -> Inputs:
    """Read and validate instances, programmes, clauses and the legal registry; report every problem found."""
    problems: list[AtfpbError] = []
    loaded: dict[str, Any] = {}
    references_file = project.clauses / "references.yaml"
    steps = {
        "territory": lambda: load_territory(project.instances, project.root),
        "clauses": lambda: load_library(project.clauses / "convention", project.root),
        "avenant_clauses": lambda: load_library(project.clauses / "avenant", project.root),
        "references": lambda: load_legal_references(references_file, project.shown(references_file)),
    }
    for name, step in steps.items():
        try:
            loaded[name] = step()
        except AtfpbError as error:
            problems.extend(getattr(error, "problems", (error,)))
    if "territory" in loaded:
        programmes, found = load_programmes(project, loaded["territory"])
        loaded["programmes"] = programmes
        problems.extend(found)
    raise_all(problems)
    rules_file = project.clauses / "controles.yaml"
    libraries = {"convention": loaded["clauses"], "avenant": loaded["avenant_clauses"]}
    rules = load_rules(rules_file, project.shown(rules_file), libraries, loaded["references"])
    return Inputs(
        loaded["territory"],
        loaded["clauses"],
        loaded["references"],
        rules,
        loaded["avenant_clauses"],
        loaded["programmes"],
    )


def load_programmes(project: Project, territory: Territory) -> tuple[tuple[Programme, ...], list[AtfpbError]]:
    """Every programme of instances/programmes/ (YAML or Excel workbook), validated against the territory."""
    folder = project.instances / PROGRAMMES_DIR
    programmes: list[Programme] = []
    problems: list[AtfpbError] = []
    for path in sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml", ".xlsx")):
        shown = project.shown(path)
        try:
            if path.suffix == ".xlsx":
                from .workbook import read_programme_workbook  # openpyxl is loaded only when a workbook is read

                programme = read_programme_workbook(path, shown, territory)
            else:
                programme = read_programme_yaml(path, shown, territory)
                raise_all(validate(programme, territory))
        except AtfpbError as error:
            problems.extend(getattr(error, "problems", (error,)))
            continue
        twin = next(
            (
                p
                for p in programmes
                if (p.commune, p.bailleur, p.annee) == (programme.commune, programme.bailleur, programme.annee)
            ),
            None,
        )
        if twin is not None:
            problems.append(DataError(f"programme {programme.annee} déjà décrit dans {twin.source}.", Location(shown)))
            continue
        programmes.append(programme)
    return tuple(programmes), problems


def input_hashes(project: Project, commune: Commune, programme: Programme | None = None) -> dict[str, str]:
    """The SHA-256 of every file a document is made from, and the toolkit's version."""
    files = [*project.shared_inputs(programme is not None), project.root / commune.source]
    if programme is not None:
        files.append(project.root / programme.source)
    return {"atfpb": __version__, **{project.shown(path): sha256_of(path) for path in files}}


def select_communes(territory: Territory, wanted: Sequence[str]) -> list[Commune]:
    """The communes named on the command line (by slug or name), or all of them."""
    if not wanted:
        return list(territory.communes)
    by_slug = {c.slug: c for c in territory.communes}
    chosen = []
    for name in wanted:
        slug = slugify(name)
        if slug not in by_slug:
            close = difflib.get_close_matches(slug, list(by_slug), n=1)
            hint = f" Vouliez-vous dire « {close[0]} » ?" if close else f" Communes connues : {', '.join(by_slug)}."
            raise DataError(f"commune « {name} » inconnue.{hint}")
        chosen.append(by_slug[slug])
    return chosen


def select_landlord(territory: Territory, name: str) -> Landlord:
    """A landlord named on the command line, by slug, name or short name."""
    by_slug = {slugify(n): b for b in territory.bailleurs for n in (b.slug, *b.names)}
    if slugify(name) not in by_slug:
        known = ", ".join(b.slug for b in territory.bailleurs)
        raise DataError(f"bailleur « {name} » inconnu. Bailleurs connus : {known}.")
    return by_slug[slugify(name)]
