"""A project's folders and inputs: instances, clause library, legal registry and check rules, validated."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import AtfpbError, Collector, DataError, Location, MisuseError, shown
from ..model.bilan import Bilan
from ..model.bilan_chain import bilan_chain_breaks, followed_by_bilan
from ..model.bilan_totals import bilan_totals
from ..model.chain import carried_from, chain_breaks, numbering_breaks
from ..model.programme import Programme
from ..model.territory import Commune, Landlord, Territory
from ..text import slugify
from .bilans import load_bilans
from .clauses import Clause, check_template, load_library
from .instances import TERRITORY_FILE, load_territory
from .legal import LegalReference, load_legal_references
from .programmes import read_programme_yaml, validate
from .rules import Rules, load_rules

PROGRAMMES_DIR = "programmes"
PROGRAMME_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm")  # .xlsm: read to be refused (macros)


# The toolkit's own clause library and Word template: every project uses them, unless it has its own.
TOOLKIT = Path(__file__).resolve().parents[2]
LIBRARIES = ("convention", "avenant")
BILAN_LIBRARY = "bilan"  # the yearly bilan's clauses (clauses/bilan/)
TEMPLATE = Path("templates") / "docx" / "convention.docx"
REGISTRY, RULES = "references.yaml", "controles.yaml"


@dataclass(frozen=True)
class Project:
    """Where a project's inputs and outputs live; its clauses and template default to the toolkit's own."""

    root: Path
    defaults: Path = TOOLKIT

    @property
    def instances(self) -> Path:
        return self.root / "instances"

    @property
    def clauses(self) -> Path:
        """The project's own clause folder (it may not exist: the toolkit's library is used)."""
        return self.root / "clauses"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def shown(self, path: Path) -> str:
        return shown(path, self.root)

    @property
    def template(self) -> Path:
        """The project's Word template, or the toolkit's."""
        own = self.root / TEMPLATE
        return own if own.exists() else self.defaults / TEMPLATE

    def clause_file(self, name: str) -> Path:
        """references.yaml or controles.yaml: the project's own, or the toolkit's."""
        own = self.clauses / name
        return own if own.exists() else self.defaults / "clauses" / name

    def library_folders(self, kind: str) -> list[Path]:
        """The toolkit's clause folder of a document kind, then the project's own when it has one."""
        folders = [self.defaults / "clauses" / kind, self.clauses / kind]
        return list(dict.fromkeys(folder.resolve() for folder in folders if folder.is_dir()))

    def shared_inputs(self, avenant: bool = False, kind: str | None = None) -> list[Path]:
        """The files every convention (or avenant, or document of `kind`) is made from, besides its commune's and
        programme's."""
        folders = self.library_folders(kind or LIBRARIES[avenant])
        library = [path for folder in folders for path in sorted(folder.glob("*.md"))]
        return [
            self.instances / TERRITORY_FILE,
            *library,
            self.clause_file(REGISTRY),
            self.clause_file(RULES),
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
    programmes: tuple[Programme, ...] | None = None  # None: not read (a command that needs none)
    bilans: tuple[Bilan, ...] = ()
    bilan_clauses: tuple[Clause, ...] = ()

    def bilan(self, commune: str, landlord: str, year: int) -> Bilan | None:
        return next((b for b in self.bilans if b.key == (commune, landlord, year)), None)

    def programme(self, commune: str, landlord: str, year: int) -> Programme | None:
        return next((p for p in self.programmes or () if p.key == (commune, landlord, year)), None)


def load_inputs(project: Project, with_programmes: bool = True) -> Inputs:
    """Read and validate instances, clauses, the legal registry, the rules and the template (and programmes, unless
    told not to); report every problem found."""
    problems = Collector()
    references_file = project.clause_file(REGISTRY)
    territory = problems.attempt(lambda: load_territory(project.instances, project.root))
    clauses = problems.attempt(lambda: load_library(project.library_folders("convention"), project.root))
    avenant_clauses = problems.attempt(lambda: load_library(project.library_folders("avenant"), project.root))
    bilan_clauses = problems.attempt(lambda: load_library(project.library_folders(BILAN_LIBRARY), project.root))
    references = problems.attempt(lambda: load_legal_references(references_file, project.shown(references_file)))
    problems.attempt(lambda: check_template(project.template, project.shown(project.template)))
    programmes: tuple[Programme, ...] | None = None
    bilans: tuple[Bilan, ...] = ()
    if territory is not None and with_programmes:
        programmes, bilans, found = load_yearly(project.instances, project.root, territory)
        problems.extend(found)
    problems.raise_any()
    assert territory is not None and clauses is not None and avenant_clauses is not None and references is not None
    assert bilan_clauses is not None
    rules_file = project.clause_file(RULES)
    libraries = {"convention": clauses, "avenant": avenant_clauses, BILAN_LIBRARY: bilan_clauses}
    rules = load_rules(rules_file, project.shown(rules_file), libraries, references)
    return Inputs(territory, clauses, references, rules, avenant_clauses, programmes, bilans, bilan_clauses)


def own_clauses(project: Project, inputs: Inputs) -> list[str]:
    """The project's own clauses, as validate reports them: each replaces the toolkit's of the same id, or adds one."""
    defaults = {
        kind: {c.id for c in load_library([project.defaults / "clauses" / kind], project.root)} for kind in LIBRARIES
    }
    lines = []
    for kind, clauses in zip(LIBRARIES, (inputs.clauses, inputs.avenant_clauses), strict=True):
        for clause in clauses:
            if (project.root / clause.file).resolve().is_relative_to(project.clauses.resolve()) and (
                project.clauses.resolve() != (project.defaults / "clauses").resolve()
            ):
                action = "remplace" if clause.id in defaults[kind] else "ajoute"
                lines.append(f"{clause.file} ({action} la clause « {clause.id} »)")
    return lines


def load_programmes(
    instances: Path, root: Path, territory: Territory
) -> tuple[tuple[Programme, ...], list[AtfpbError]]:
    """Every programme of instances/programmes/ (YAML or Excel workbook), validated; and the problems found."""
    programmes, _bilans, problems = load_yearly(instances, root, territory)
    return programmes, problems


def load_yearly(
    instances: Path, root: Path, territory: Territory
) -> tuple[tuple[Programme, ...], tuple[Bilan, ...], list[AtfpbError]]:
    """The programmes, then the bilans of instances/bilans/ checked against them, then the chain of years: a year
    receives what the previous year's bilan carries when there is one, else what its avenant carries."""
    programmes: list[Programme] = []
    problems = Collector()
    for path in sorted(p for p in (instances / PROGRAMMES_DIR).glob("*") if p.suffix in PROGRAMME_SUFFIXES):
        shown_as = shown(path, root)
        programme = problems.attempt(lambda p=path, s=shown_as: read_programme(p, s, territory))  # type: ignore[misc]
        if programme is None:
            continue
        twin = next((p for p in programmes if p.key == programme.key), None)
        if twin is not None:
            problems.add(DataError(f"programme {programme.annee} déjà décrit dans {twin.source}.", Location(shown_as)))
            continue
        programmes.append(programme)
    bilans: tuple[Bilan, ...] = ()
    if not problems.problems:
        bilans, found = load_bilans(instances, root, territory, programmes)
        problems.extend(found)
    if not problems.problems:  # a year that could not be read would make its neighbours' carry-overs look wrong
        after_bilan = {p.source for p in followed_by_bilan(programmes, bilans)}
        breaks = chain_breaks(programmes, territory)
        problems.extend(e for e in breaks if e.location is None or e.location.file not in after_bilan)
        problems.extend(bilan_chain_breaks(programmes, bilans, territory))
        problems.extend(numbering_breaks(programmes, territory))  # a bilan changes no avenant's number
    return tuple(programmes), bilans, problems.problems


def read_programme(path: Path, shown_as: str, territory: Territory) -> Programme:
    """One programme file, YAML or workbook, validated against the territory."""
    if path.suffix in (".xlsx", ".xlsm"):
        from .workbook.reader import read_programme_workbook  # openpyxl is loaded only when a workbook is read

        return read_programme_workbook(path, shown_as, territory)
    programme = read_programme_yaml(path, shown_as, territory)
    problems = Collector()
    problems.extend(validate(programme, territory))
    problems.raise_any()
    return programme


class ProgrammeFinder:
    """The programme of an avenant being checked: from the inputs when they hold programmes, else read from the
    project the first time one is needed (checking a convention reads none)."""

    def __init__(self, project: Project, inputs: Inputs) -> None:
        self.project = project
        self.inputs = inputs
        self.read: tuple[tuple[Programme, ...], tuple[Bilan, ...], list[AtfpbError]] | None = None

    def find(self, commune: str, landlord: Landlord, year: int) -> Programme | None:
        """The programme, or None; the problems of unreadable programmes when it may be among them."""
        if self.inputs.programmes is not None:
            return self.inputs.programme(commune, landlord.slug, year)
        programmes, _bilans, problems = self._yearly()
        found = next((p for p in programmes if p.key == (commune, landlord.slug, year)), None)
        if found is None and problems:
            collector = Collector()
            collector.extend(problems)
            collector.raise_any()
        return found

    def _yearly(self) -> tuple[tuple[Programme, ...], tuple[Bilan, ...], list[AtfpbError]]:
        if self.read is None:
            self.read = load_yearly(self.project.instances, self.project.root, self.inputs.territory)
        return self.read

    def carried_into(self, commune: Commune, landlord: Landlord, year: int) -> tuple[Decimal | None, str]:
        """What the year before left to carry into `year`, if known, and which document says so: its bilan when
        there is one, else its avenant (see carried_from)."""
        first = self.inputs.territory.periode.debut
        previous = self.find(commune.slug, landlord, year - 1) if year > first else None
        if self.inputs.programmes is not None:
            bilan = self.inputs.bilan(commune.slug, landlord.slug, year - 1)
        else:
            bilan = next((b for b in self._yearly()[1] if b.key == (commune.slug, landlord.slug, year - 1)), None)
        if bilan is not None and previous is not None:
            return bilan_totals(bilan, previous, commune).report_propose, f"le bilan {year - 1}"
        return carried_from(previous, commune, year, first), f"l'avenant {year - 1}"


def find_project(start: Path) -> Path | None:
    """The project folder `start` is in (itself or a parent holding instances/territoire.yaml), if any."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / "instances" / TERRITORY_FILE).is_file():
            return folder
    return None


def project_at(given: Path | None) -> Project:
    """The project named by --projet, or the one the current folder is in; a French misuse error when none."""
    root = given if given is not None else find_project(Path.cwd())
    if root is None or not (root / "instances" / TERRITORY_FILE).is_file():
        where = f"« {given} » n'est pas un projet atfpb" if given is not None else "aucun projet atfpb ici"
        raise MisuseError(
            f"{where} (il faut un dossier instances/ avec {TERRITORY_FILE}) : lancez la commande dans le dossier du "
            "projet, indiquez-le avec --projet DOSSIER, ou créez-en un avec « atfpb init DOSSIER --epci SIREN »."
        )
    return Project(root)


@dataclass(frozen=True)
class NationalInputs:
    """What checking a document needs outside any project: the toolkit's clauses, legal registry and rules."""

    references: tuple[LegalReference, ...]
    rules: Rules


def load_national(defaults: Path = TOOLKIT) -> NationalInputs:
    """The toolkit's own clause libraries, legal registry and rules (for `check` outside any project)."""
    toolkit = Project(defaults, defaults)
    registry, rules_file = toolkit.clause_file(REGISTRY), toolkit.clause_file(RULES)
    references = load_legal_references(registry, str(registry))
    libraries = {kind: load_library(toolkit.library_folders(kind), defaults) for kind in LIBRARIES}
    return NationalInputs(references, load_rules(rules_file, str(rules_file), libraries, references))


def select_communes(territory: Territory, wanted: Sequence[str]) -> list[Commune]:
    """The communes named on the command line (by slug or name), or all of them."""
    if not wanted:
        return list(territory.communes)
    chosen = []
    for name in wanted:
        commune = territory.commune_named(name)
        if commune is None and territory.landlord_named(name) is not None:
            raise MisuseError(f"« {name} » est un bailleur, pas une commune : écrivez --bailleur {name}.")
        if commune is None:
            known = [c.slug for c in territory.communes]
            close = difflib.get_close_matches(slugify(name), known, n=1)
            hint = f" Vouliez-vous dire « {close[0]} » ?" if close else f" Communes connues : {', '.join(known)}."
            raise MisuseError(f"commune « {name} » inconnue.{hint}")
        chosen.append(commune)
    return chosen


def select_landlord(territory: Territory, name: str) -> Landlord:
    """A landlord named on the command line, by slug, name, short name or another known name."""
    landlord = territory.landlord_named(name)
    if landlord is None:
        known = ", ".join(b.slug for b in territory.bailleurs)
        raise MisuseError(f"bailleur « {name} » inconnu. Bailleurs connus : {known}.")
    return landlord
