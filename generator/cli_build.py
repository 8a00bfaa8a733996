"""The build command: one project, or several in one run (registered on the `atfpb` group by cli.py; errors become
French messages there)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import AtfpbError
from .inputs.instances import TERRITORY_FILE
from .inputs.project import Project, project_at

if TYPE_CHECKING:
    from .build.projects import BuildResult, RunResult


class Misuse(click.UsageError):
    """Options that do not go together: exit code 2, in French (shown by the group's main)."""


@click.command(name="build")
@click.argument("communes", nargs=-1)
@click.option(
    "--projet",
    "projets",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier d'un projet à produire (option répétable : plusieurs territoires en une seule construction).",
)
@click.option(
    "--projets",
    "parent",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Dossier dont chaque sous-dossier est un projet : tous sont produits en une seule construction.",
)
@click.option("--final", is_flag=True, help="Produit les versions à signer (sans mention PROJET, numérotées).")
@click.option(
    "--new-version", is_flag=True, help="Avec --final : produit la version suivante si les données ont changé."
)
@click.option(
    "--bailleur",
    "bailleurs",
    multiple=True,
    help="Ne produit que les documents de ce bailleur (option répétable).",
)
@click.option(
    "--kind",
    type=click.Choice(["convention", "avenant", "bilan"]),
    help="Ne produit que les conventions, que les avenants ou que les bilans.",
)
@click.option("--year", "year", type=int, help="N'inclut que les avenants de cette année (les conventions restent).")
@click.option("--force", is_flag=True, help="Reconstruit aussi les projets dont rien n'a changé.")
@click.option("--jobs", type=click.IntRange(min=1), help="Processus LibreOffice en parallèle (un par cœur par défaut).")
@click.option("--quiet", "-q", is_flag=True, help="N'affiche que les erreurs et le bilan final.")
@click.option("--json", "as_json", is_flag=True, help="Affiche le manifeste des documents produits en JSON.")
@click.pass_obj
def build_command(
    projet: Path | None,
    communes: tuple[str, ...],
    projets: tuple[Path, ...],
    parent: Path | None,
    final: bool,
    new_version: bool,
    bailleurs: tuple[str, ...],
    kind: str | None,
    year: int | None,
    force: bool,
    jobs: int | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Produit les conventions et les avenants (Word et PDF) de toutes les communes, ou de celles nommées ; avec
    --final, les versions à signer des seuls documents choisis (et leurs projets, remis à jour). Avec plusieurs
    --projet, ou --projets DOSSIER, produit plusieurs territoires en une seule construction."""
    from .build.projects import Choice, build_projects

    if new_version and not final:
        raise Misuse("--new-version ne s'emploie qu'avec --final.")
    chosen = _projects_to_build(projet, projets, parent)
    if len(chosen) > 1 and (communes or bailleurs):
        raise Misuse(
            "avec plusieurs projets, toutes leurs communes et tous leurs bailleurs sont produits : pour nommer des "
            "communes ou des bailleurs, produisez un projet à la fois."
        )
    choice = Choice(communes, bailleurs, kind, year, final, new_version, force)
    with _ProgressBar(not (quiet or as_json) and sys.stderr.isatty()) as bar:
        run = build_projects(chosen, choice, jobs, bar.update)
    if len(chosen) == 1:
        _report_one(run.single(), final, quiet, as_json)
    else:
        _report_many(run, final, quiet, as_json)


def _projects_to_build(projet: Path | None, projets: tuple[Path, ...], parent: Path | None) -> list[Project]:
    """The projects `atfpb build` makes: --projet (before or after « build », repeatable), each project folder
    inside --projets, or the project of the current folder; each once."""
    given = [*([projet] if projet else []), *projets]
    if parent is not None:
        inside = [folder for folder in sorted(parent.iterdir()) if (folder / "instances" / TERRITORY_FILE).is_file()]
        if not inside:
            raise Misuse(
                f"aucun projet atfpb dans « {parent} » : --projets attend un dossier dont chaque sous-dossier est un "
                f"projet (avec instances/{TERRITORY_FILE})."
            )
        given += inside
    if not given:
        return [project_at(None)]
    unique = {folder.resolve(): folder for folder in given}
    return [project_at(folder) for folder in unique.values()]


def _report_one(result: BuildResult, final: bool, quiet: bool, as_json: bool) -> None:
    from .build.summary import build_summary
    from .manifest import as_dict

    if as_json:
        click.echo(json.dumps({"documents": [as_dict(e) for e in result.built]}, ensure_ascii=False, indent=2))
    else:
        click.echo(build_summary(result, final, quiet))
    if result.failed:
        sys.exit(1)


def _report_many(run: RunResult, final: bool, quiet: bool, as_json: bool) -> None:
    """Each project's report and the totals; a project stopped by an error is said in French, and the run ends in
    error once every other project is built."""
    from .build.summary import projects_json, projects_summary

    click.echo(projects_json(run) if as_json else projects_summary(run, final, quiet))
    stopped = [(project, outcome) for project, outcome in run.outcomes if isinstance(outcome, AtfpbError)]
    for project, error in stopped:
        click.echo(f"Erreur dans le projet « {project.root} » :\n{error}", err=True)
    if stopped or any(not isinstance(outcome, AtfpbError) and outcome.failed for _p, outcome in run.outcomes):
        sys.exit(1)


class _ProgressBar:
    """Documents converted / total, on a terminal only."""

    def __init__(self, shown: bool) -> None:
        self.shown = shown
        self.bar: Any = None

    def __enter__(self) -> _ProgressBar:
        return self

    def update(self, done: int, total: int) -> None:
        if not self.shown:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Conversion en PDF", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *_exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
