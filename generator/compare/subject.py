"""What was sent: the document (a path, or found in output/manifest.json by commune, landlord, kind, year, version),
and what it is about (the instance data it was made from, the check rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..checks.expectations import Expected, document_kind, infer_expected, infer_national
from ..errors import AtfpbError, MisuseError
from ..inputs.project import Inputs, ProgrammeFinder, Project, load_inputs, load_national, select_communes
from ..inputs.project import select_landlord as find_landlord
from ..inputs.rules import Rules
from ..manifest import MANIFEST, Entry, read_manifest, sha256_of
from ..model.programme import Programme
from ..model.territory import Landlord
from ..reading.lines import Line
from ..typography import french_date

KINDS = ("convention", "avenant")


@dataclass(frozen=True)
class Selection:
    """How the command line names the sent document, when it is not given as a path."""

    commune: str | None = None
    bailleur: str | None = None
    kind: str | None = None
    year: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class Sent:
    """The document we sent: its Word file (for the redline), its PDF if any, its manifest entry if known."""

    docx: Path | None
    pdf: Path | None
    shown: str
    entry: Entry | None = None
    notes: tuple[str, ...] = ()  # French: the file changed since it was produced…

    def read_for(self, received_is_pdf: bool) -> Path:
        """The file whose text is compared: our PDF against a received PDF (same kind of lines), else our Word."""
        chosen = self.pdf if received_is_pdf and self.pdf else self.docx or self.pdf
        assert chosen is not None
        return chosen


@dataclass(frozen=True)
class Subject:
    """What the documents are about: the expected parties and data, the rules, and the project (if any)."""

    expected: Expected
    rules: Rules
    project: Project | None

    @property
    def kind(self) -> str:
        return self.expected.kind

    @property
    def title(self) -> str:
        """« convention Lourches × Partenord Habitat » (or what is known of it)."""
        parties = [self.expected.commune_name or "", self.expected.landlord.nom if self.expected.landlord else ""]
        named = " × ".join(p for p in parties if p)
        year = f" {self.expected.year}" if self.expected.year else ""
        return f"{self.expected.kind}{year} {named}".strip()


def sent_from_manifest(project: Project, inputs: Inputs, selection: Selection) -> Sent:
    """The document the manifest lists for a commune × landlord (× kind, year): a final's version when asked, else
    the current draft, else the latest final."""
    if not (selection.commune and selection.bailleur):
        raise MisuseError(
            "indiquez le document envoyé : son chemin (atfpb compare ENVOYE RECU), ou --commune et --bailleur "
            "pour le trouver dans output/manifest.json."
        )
    commune = select_communes(inputs.territory, [selection.commune])[0]
    landlord = find_landlord(inputs.territory, selection.bailleur)
    kind = selection.kind or "convention"
    entries = read_manifest(project.output, project.shown(project.output / MANIFEST))
    candidates = [e for e in entries if (e.kind, e.commune, e.bailleur) == (kind, commune.slug, landlord.slug)]
    candidates = [e for e in candidates if selection.year is None or e.year == selection.year]
    what = f"{kind} {commune.nom} × {landlord.nom}" + (f" {selection.year}" if selection.year else "")
    years = sorted({e.year for e in candidates if e.year})
    if kind == "avenant" and selection.year is None and len(years) > 1:
        raise MisuseError(f"plusieurs avenants {commune.nom} × {landlord.nom} ({_listed(years)}) : précisez --year.")
    entry = _chosen(candidates, selection.version)
    if entry is None:
        version = f", version {selection.version}" if selection.version else ""
        raise MisuseError(
            f"aucun document « {what}{version} » dans output/manifest.json : produisez-le avec « atfpb build "
            f"{commune.slug} », ou donnez le chemin du document envoyé."
        )
    return _sent_of(project, entry)


def sent_from_path(project: Project | None, path: Path) -> Sent:
    """A document given by its path: its manifest entry when the project lists it, its Word file beside a PDF."""
    if not path.is_file():
        raise MisuseError(f"document envoyé introuvable : {path}.")
    entry = _listed_entry(project, path) if project else None
    if entry is not None and project is not None:
        return _sent_of(project, entry)
    twin = path.with_suffix(".docx" if path.suffix.lower() == ".pdf" else ".pdf")
    with open(path, "rb") as handle:
        is_pdf = handle.read(5).startswith(b"%PDF")
    docx = (twin if twin.is_file() else None) if is_pdf else path
    pdf = path if is_pdf else (twin if twin.is_file() else None)
    return Sent(docx, pdf, str(path))


def subject_of(
    project: Project | None, inputs: Inputs | None, sent: Sent, lines: Sequence[Line], selection: Selection
) -> Subject:
    """The parties and data the sent document was made from: its manifest entry's, the ones named, or the ones its
    text names; outside any project, what the national referentials know."""
    if project is None or inputs is None:
        national = load_national()
        expected = infer_national(lines, national.rules, selection.commune)
        return Subject(expected, national.rules, None)
    inferred = infer_expected(lines, inputs.territory)
    commune = inferred.commune
    if selection.commune:
        commune = select_communes(inputs.territory, [selection.commune])[0]
    elif sent.entry:
        commune = inputs.territory.commune_named(sent.entry.commune)
    landlord = inferred.landlord
    if selection.bailleur:
        landlord = find_landlord(inputs.territory, selection.bailleur)
    elif sent.entry:
        landlord = inputs.territory.landlord_named(sent.entry.bailleur)
    kind, year = (sent.entry.kind, sent.entry.year) if sent.entry else document_kind(lines)
    programme = _programme(project, inputs, commune.slug if commune else None, landlord, kind, year)
    name = commune.nom if commune else inferred.commune_name
    expected = Expected(inputs.territory, name, commune, landlord, kind, year, programme)
    return Subject(expected, inputs.rules, project)


def project_inputs(project: Project | None) -> Inputs | None:
    """The project's inputs (programmes are read only for an avenant), or None outside any project."""
    return load_inputs(project, with_programmes=False) if project else None


def _programme(
    project: Project, inputs: Inputs, commune: str | None, landlord: Landlord | None, kind: str, year: int | None
) -> Programme | None:
    if kind != "avenant" or not (commune and landlord and year):
        return None
    try:
        return ProgrammeFinder(project, inputs).find(commune, landlord, year)
    except AtfpbError:  # an unreadable programme: the comparison goes on without its amounts
        return None


def _chosen(candidates: list[Entry], version: int | None) -> Entry | None:
    if version is not None:
        return next((e for e in candidates if e.final and e.version == version), None)
    draft = next((e for e in candidates if not e.final), None)
    finals = [e for e in candidates if e.final]
    return draft or max(finals, key=lambda e: e.version or 0, default=None)


def _listed_entry(project: Project, path: Path) -> Entry | None:
    entries = read_manifest(project.output, project.shown(project.output / MANIFEST))
    shown = project.shown(path)
    by_name = next((e for e in entries if shown in (e.docx, e.pdf)), None)
    if by_name is not None:
        return by_name
    digest = sha256_of(path)
    return next((e for e in entries if digest in e.sha256.values()), None)


def _sent_of(project: Project, entry: Entry) -> Sent:
    docx, pdf = project.root / entry.docx, project.root / entry.pdf
    if not docx.is_file():
        raise MisuseError(f"{entry.docx} figure au manifeste mais n'est plus dans output/ : donnez son chemin.")
    notes = []
    if sha256_of(docx) != entry.sha256.get("docx"):
        notes.append(f"{entry.docx} a changé depuis sa production : c'est ce fichier-ci qui est comparé.")
    label = f"version {entry.version}" if entry.final else "projet"
    notes.append(f"document envoyé : {entry.docx} ({label} du {french_date(date.fromisoformat(entry.date))}).")
    return Sent(docx, pdf if pdf.is_file() else None, entry.docx, entry, tuple(notes))


def _listed(years: Sequence[int]) -> str:
    return ", ".join(str(y) for y in years)
