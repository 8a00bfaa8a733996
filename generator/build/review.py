"""Vetting documents: `check` (content rules, on any Word or PDF file) and `verify` (archival facts, signatures,
which of our documents a PDF is)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..checks.expectations import (
    LOCAL,
    NATIONAL,
    NO_COMMUNE_DATA,
    Expected,
    communes_with_quarters,
    infer_expected,
    infer_national,
)
from ..checks.report import FileReport
from ..checks.run import check_lines
from ..checks.scope import skipped_note
from ..checks.text import name_pattern
from ..errors import MisuseError
from ..inputs.project import Inputs, NationalInputs, ProgrammeFinder, Project, select_communes, select_landlord
from ..inputs.rules import Rules
from ..manifest import read_manifest
from ..model.territory import Commune, Landlord
from ..reading.document import read_document
from ..reading.lines import Line, UnreadableDocument
from ..text import slugify
from .originals import Original, examine


def check_files(
    project: Project, inputs: Inputs, paths: Sequence[Path], commune: str | None, landlord: str | None
) -> list[FileReport]:
    """Check received or generated documents against a project's data; unreadable files are reported, the others
    still checked."""
    programmes = ProgrammeFinder(project, inputs)
    chosen_commune = select_communes(inputs.territory, [commune])[0] if commune else None  # misuse: said at once
    chosen_landlord = select_landlord(inputs.territory, landlord) if landlord else None
    return _check_each(
        paths, inputs.rules, lambda lines: _expected(inputs, programmes, lines, chosen_commune, chosen_landlord)
    )


def check_files_nationally(national: NationalInputs, paths: Sequence[Path], commune: str | None) -> list[FileReport]:
    """Check documents outside any project: the national referentials, the toolkit's legal registry and rules."""
    if commune is not None and commune not in communes_with_quarters():
        raise MisuseError(
            f"commune « {commune} » inconnue parmi les communes ayant un quartier prioritaire (écrivez son nom "
            "officiel, par exemple « Lourches »), ou lancez la vérification dans le dossier d'un projet."
        )

    return _check_each(paths, national.rules, lambda lines: infer_national(lines, national.rules, commune))


def _check_each(paths: Sequence[Path], rules: Rules, expect: Callable[[Sequence[Line]], Expected]) -> list[FileReport]:
    reports = []
    for path in paths:
        try:
            lines = read_document(path)
        except UnreadableDocument as error:
            reports.append(FileReport(str(path), None, None, unreadable=error.message))
            continue
        expected = expect(lines)
        note = skipped_note(expected)
        reports.append(
            FileReport(
                str(path),
                slugify(expected.commune_name) if expected.commune_name else None,
                expected.landlord.slug if expected.landlord and expected.scope != NATIONAL else None,  # a project's
                tuple(check_lines(lines, expected, rules)),
                notes=(note,) if note else (),
            )
        )
    return reports


def _expected(
    inputs: Inputs,
    programmes: ProgrammeFinder,
    lines: Sequence[Line],
    commune: Commune | None,
    landlord: Landlord | None,
) -> Expected:
    inferred = infer_expected(lines, inputs.territory)
    chosen_commune = commune or inferred.commune
    chosen_landlord = landlord or inferred.landlord
    if commune is None:
        national = infer_national(lines, inputs.rules)
        if _of_another_territory(lines, inferred, national, inputs):
            return national  # its people are not this project's: checked with the national referentials
    name = chosen_commune.nom if chosen_commune else inferred.commune_name
    programme = None
    if inferred.kind == "avenant" and chosen_commune and chosen_landlord and inferred.year:
        programme = programmes.find(chosen_commune.slug, chosen_landlord, inferred.year)
    scope = LOCAL if chosen_commune else NO_COMMUNE_DATA
    return Expected(
        inputs.territory, name, chosen_commune, chosen_landlord, inferred.kind, inferred.year, programme, scope
    )


def _of_another_territory(lines: Sequence[Line], inferred: Expected, national: Expected, inputs: Inputs) -> bool:
    """A document about a commune of another intercommunality (the one it cites most, a neighbour of this territory
    cited aside), or naming none of this territory's communes nor the intercommunality itself."""
    siren = inputs.territory.epci.siren
    if national.commune_name is not None and national.commune_name != inferred.commune_name:
        return national.territory.epci.siren != siren
    if inferred.commune_name is not None:
        return False
    epci = inputs.territory.epci
    names = tuple(n for n in (epci.nom, epci.nom_officiel) if len(n) > 2)
    return not names or name_pattern(*names).search(" ".join(line.text for line in lines)) is None


def verify_pdf(project: Project | None, path: Path, trust: Path | None = None) -> Original:
    """A PDF's archival facts, signatures and lineage: which of the project's documents it is or was signed on."""
    entries = read_manifest(project.output, project.shown(project.output / "manifest.json")) if project else None
    return examine(path, entries, project, trust)
