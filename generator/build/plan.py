"""What a build makes: the documents of the chosen communes, and which of them need building (input hashes)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from .. import __version__
from ..assembly.assemble import assemble_avenant, assemble_convention
from ..assembly.bilan import assemble_bilan
from ..assembly.document import AssembledDocument, Edition
from ..errors import Collector, DataError
from ..inputs.project import Inputs, Project
from ..manifest import Entry, latest_final, sha256_of
from ..model.bilan import Bilan
from ..model.programme import Programme
from ..model.territory import Commune, Landlord, convention_pairs
from ..pending import Pending, pending_in


@dataclass(frozen=True)
class Spec:
    """A document to be: a convention (no programme), the avenant of a programme, or the bilan of a programme (with
    the next year's programme, when described: it receives the bilan's carry-over)."""

    commune: Commune
    landlord: Landlord
    programme: Programme | None = None
    bilan: Bilan | None = None
    following: Programme | None = None

    @property
    def kind(self) -> str:
        return "bilan" if self.bilan else "avenant" if self.programme else "convention"

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.kind, self.commune.slug, self.landlord.slug, self.programme.annee if self.programme else 0)


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
    content: str = ""  # the digest of what the document says (see content_digest)
    bilan: Bilan | None = None

    @property
    def name(self) -> str:
        d = self.document
        year = f"-{d.year}" if d.year else ""
        return f"{d.kind}-atfpb{year}-{d.commune}-{d.bailleur}{self.edition.suffix}"


@dataclass(frozen=True)
class Selection:
    """Which of the chosen communes' documents to make: of these landlords, of this kind, of this year (an
    avenant's; conventions have none). Empty means all."""

    landlords: tuple[str, ...] = ()  # slugs
    kind: str | None = None  # "convention", "avenant" or "bilan"
    year: int | None = None

    def wants(self, spec: Spec) -> bool:
        kind, _commune, landlord, year = spec.key
        return (
            (not self.landlords or landlord in self.landlords)
            and (self.kind is None or kind == self.kind)
            and (self.year is None or kind == "convention" or year == self.year)
        )


def specs_of(inputs: Inputs, communes: Sequence[Commune], selection: Selection = Selection()) -> list[Spec]:
    """The conventions of the chosen communes and the avenants of their programmes that the selection wants."""
    specs = []
    for commune, landlord in convention_pairs(inputs.territory, communes):
        specs.append(Spec(commune, landlord))
        programmes = [p for p in inputs.programmes or () if (p.commune, p.bailleur) == (commune.slug, landlord.slug)]
        specs += [Spec(commune, landlord, p) for p in sorted(programmes, key=lambda p: p.annee)]
        for programme in sorted(programmes, key=lambda p: p.annee):
            bilan = inputs.bilan(*programme.key)
            if bilan is not None:
                following = inputs.programme(commune.slug, landlord.slug, programme.annee + 1)
                specs.append(Spec(commune, landlord, programme, bilan, following))
    return [spec for spec in specs if selection.wants(spec)]


def assemble(inputs: Inputs, spec: Spec) -> AssembledDocument:
    """The document a spec describes, assembled (pure)."""
    territory, commune, landlord = inputs.territory, spec.commune, spec.landlord
    if spec.programme is None:
        return assemble_convention(territory, commune, landlord, inputs.clauses, inputs.references)
    if spec.bilan is not None:
        clauses = inputs.bilan_clauses
        return assemble_bilan(
            territory, commune, landlord, spec.programme, spec.bilan, spec.following, clauses, inputs.references
        )
    return assemble_avenant(territory, commune, landlord, spec.programme, inputs.avenant_clauses, inputs.references)


_NOT_CONTENT = {"source"}  # where a clause was read, not what the document says


def content_digest(document: AssembledDocument, template: str) -> str:
    """What a document says and how it is laid out, as a digest: its assembled text and data and the Word
    template's digest — not its edition (« PROJET », « Version 2 »), nor where its clauses were read."""
    return hashlib.sha256(repr((_plain(document), template)).encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """A value as nested tuples of what it says (a markdown token: its kind, text and attributes)."""
    if isinstance(value, Token):
        children = tuple(_plain(child) for child in value.children or ())
        attrs = tuple(sorted(value.attrs.items()))
        return (
            value.type,
            value.tag,
            value.nesting,
            attrs,
            value.content,
            value.markup,
            value.info,
            value.hidden,
            children,
        )
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(
            (f.name, _plain(getattr(value, f.name))) for f in dataclasses.fields(value) if f.name not in _NOT_CONTENT
        )
    if isinstance(value, list | tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), _plain(item)) for key, item in value.items()))
    return value


class InputFiles:
    """Each input file's shown name and digest, read once per build: a territory's documents share most of their
    inputs (the territory, the clause library, the registry, the template), and each is otherwise hashed again for
    every document."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._known: dict[Path, tuple[str, str]] = {}
        self._shared: dict[tuple[bool, str | None], list[Path]] = {}

    def shared(self, avenant: bool, kind: str | None) -> list[Path]:
        """The project's files every document of this kind is made from (see Project.shared_inputs)."""
        if (avenant, kind) not in self._shared:
            self._shared[avenant, kind] = self.project.shared_inputs(avenant, kind)
        return self._shared[avenant, kind]

    def hashes(self, files: Sequence[Path]) -> dict[str, str]:
        """The files' SHA-256, by the names the user knows them by."""
        for path in files:
            if path not in self._known:
                self._known[path] = (self.project.shown(path), sha256_of(path))
        return dict(self._known[path] for path in files)


def input_hashes(
    project: Project,
    commune: Commune,
    programme: Programme | None = None,
    spec: Spec | None = None,
    known: InputFiles | None = None,
) -> dict[str, str]:
    """The SHA-256 of every file a document is made from, and the toolkit's version (`known`: files already read)."""
    known = known or InputFiles(project)
    kind = spec.kind if spec is not None and spec.bilan is not None else None
    files = [*known.shared(programme is not None, kind), project.root / commune.source]
    if programme is not None:
        files.append(project.root / programme.source)
    for made_of in (spec.bilan, spec.following) if spec is not None and spec.bilan is not None else ():
        if made_of is not None:
            files.append(project.root / made_of.source)
    return {"atfpb": __version__, **known.hashes(files)}


def values_to_confirm(inputs: Inputs, specs: Sequence[Spec]) -> list[Pending]:
    """The values not yet confirmed that the specs' documents use: the territory's, their landlords', communes'
    and programmes' (each once)."""
    territory = inputs.territory
    shared = (territory.epci, territory.etat, territory.contrat, territory.periode)
    return pending_in(shared, *((s.landlord, s.commune, s.programme, s.bilan) for s in specs))


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


@dataclass(frozen=True)
class Decided:
    """What a build makes and what it leaves as it is."""

    planned: list[Planned]
    unchanged: list[Entry]


def plan(project: Project, inputs: Inputs, specs: Sequence[Spec], previous: Sequence[Entry], force: bool) -> Decided:
    """The drafts to build: a draft whose inputs and files are unchanged is kept (unless forced)."""
    decided = Decided([], [])
    known = InputFiles(project)
    drafts = {e.key[:4]: e for e in reversed(previous) if not e.final}  # the first recorded, as before
    for spec in specs:
        used = input_hashes(project, spec.commune, spec.programme, spec, known)
        last = drafts.get(spec.key)
        if last is not None and not force and last.inputs == used and _intact(project, last):
            decided.unchanged.append(last)
        else:
            decided.planned.append(Planned(spec, Edition(), used))
    return decided


def plan_finals(
    project: Project, inputs: Inputs, specs: Sequence[Spec], previous: Sequence[Entry], new_version: bool
) -> Decided:
    """The finals to build: a final is never overwritten, and a new version is made only when what the document
    says has changed (not merely a data file it is made from, nor its header)."""
    decided = Decided([], [])
    problems = Collector()
    template = sha256_of(project.template)
    known = InputFiles(project)
    for spec in specs:
        used = input_hashes(project, spec.commune, spec.programme, spec, known)
        kind, commune, landlord, year = spec.key
        last = latest_final(previous, kind, commune, landlord, year or None)
        if last is None:
            decided.planned.append(Planned(spec, Edition(1), used))
        elif last.inputs == used or (last.content and last.content == content_digest(assemble(inputs, spec), template)):
            decided.unchanged.append(last)
        elif not new_version:
            problems.add(_final_exists(last, used))
        else:
            decided.planned.append(Planned(spec, Edition((last.version or 0) + 1), used))
    problems.raise_any()
    return decided


def _final_exists(last: Entry, used: dict[str, str]) -> DataError:
    """A final whose document has changed since: said, with the way to make the next version."""
    following = f"Relancez avec --new-version pour produire la version {(last.version or 0) + 1} à côté."
    if last.recovered:
        return DataError(
            f"la version finale {last.version} ({last.pdf}) a été retrouvée dans output/ sans trace des données "
            f"dont elle est faite (manifeste perdu) : elle est gardée telle quelle. {following}"
        )
    changed = sorted(k for k in used.keys() | last.inputs.keys() if used.get(k) != last.inputs.get(k))
    return DataError(
        f"la version finale {last.version} ({last.pdf}) existe déjà et son contenu a changé depuis "
        f"({', '.join(changed)}) : une version finale n'est jamais remplacée. {following}"
    )


def _intact(project: Project, entry: Entry) -> bool:
    """The files of a manifest entry are still there, as they were written (by size, then digest)."""
    for kind in ("docx", "pdf"):
        path: Path = project.root / getattr(entry, kind)
        if not path.is_file() or sha256_of(path) != entry.sha256.get(kind):
            return False
    return True
