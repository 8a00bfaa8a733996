"""The atfpb command line: parse arguments, call the pipeline, print French messages."""

from __future__ import annotations

import json
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .build import Project, build, check_files, load_inputs, manifest
from .errors import AtfpbError
from .report import as_json, as_text, exit_code


def _run(action: Callable[[], Any]) -> Any:
    """Turn toolkit errors into French messages and exit codes; never show a traceback."""
    try:
        return action()
    except AtfpbError as error:
        click.echo(f"Erreur :\n{error}" if "\n" in str(error) else f"Erreur : {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrompu.", err=True)
        sys.exit(130)
    except Exception:  # noqa: BLE001 - the user must see a message, the details go to a file
        with tempfile.NamedTemporaryFile("w", prefix="atfpb-erreur-", suffix=".log", delete=False) as log:
            traceback.print_exc(file=log)
        click.echo(f"Erreur interne inattendue : merci de la signaler avec le fichier {log.name}.", err=True)
        sys.exit(3)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--projet",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Dossier du projet (instances/, clauses/, templates/, output/).",
)
@click.pass_context
def main(context: click.Context, projet: Path) -> None:
    """Conventions d'utilisation de l'ATFPB : validation et production des documents."""
    context.obj = Project(projet)


@main.command()
@click.pass_obj
def validate(project: Project) -> None:
    """Vérifie tous les fichiers d'instances, les clauses et le registre juridique."""
    inputs = _run(lambda: load_inputs(project))
    pairs = sum(len(c.patrimoine) for c in inputs.territory.communes)
    click.echo(
        f"Données valides : {len(inputs.territory.communes)} commune(s), "
        f"{len(inputs.territory.bailleurs)} bailleur(s), {pairs} convention(s) à produire, "
        f"{len(inputs.clauses)} clauses."
    )


@main.command(name="build")
@click.argument("communes", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Affiche le manifeste des documents produits en JSON.")
@click.pass_obj
def build_command(project: Project, communes: tuple[str, ...], as_json: bool) -> None:
    """Produit les conventions (Word et PDF) de toutes les communes, ou de celles nommées."""
    built = _run(lambda: build(project, communes))
    if as_json:
        click.echo(json.dumps(manifest(built), ensure_ascii=False, indent=2))
        return
    click.echo(f"{len(built)} convention(s) produite(s) :")
    for document in built:
        click.echo(f"  {document.docx}  +  .pdf ({document.pages} pages)")


@main.command()
@click.argument("fichiers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--commune", help="Commune attendue (sinon déduite du titre et des parties).")
@click.option("--bailleur", help="Bailleur attendu (sinon déduit du titre et des parties).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Rapport lisible (text) ou pour un programme (json).",
)
@click.pass_obj
def check(
    project: Project, fichiers: tuple[Path, ...], commune: str | None, bailleur: str | None, output_format: str
) -> None:
    """Vérifie des conventions (Word ou PDF), produites ici ou reçues d'ailleurs."""
    inputs = _run(lambda: load_inputs(project))
    reports = _run(lambda: check_files(inputs, fichiers, commune, bailleur))
    click.echo(as_json(reports) if output_format == "json" else as_text(reports))
    sys.exit(exit_code(reports))
