"""`atfpb compare` as proposed for generator/cli.py: the real command once it is wired there, else the same code on a
group of its own (tests/compare must not edit the CLI)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli import _Atfpb, main
from generator.inputs.project import find_project, project_at


@click.group(name="atfpb", cls=_Atfpb)
@click.option("--projet", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.pass_context
def _stand_in(context: click.Context, projet: Path | None) -> None:
    context.obj = projet


@_stand_in.command()
@click.argument("documents", nargs=-1, required=True, metavar="[ENVOYE] RECU", type=click.Path(path_type=Path))
@click.option("--commune", help="Commune du document envoyé, pour le trouver dans output/manifest.json.")
@click.option("--bailleur", help="Bailleur du document envoyé.")
@click.option("--kind", type=click.Choice(["convention", "avenant"]), help="Nature du document envoyé (convention).")
@click.option("--year", type=int, help="Année de l'avenant envoyé.")
@click.option("--version", type=click.IntRange(min=1), help="Version finale envoyée (par défaut : le projet).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Document Word annoté à écrire (par défaut : RECU-comparaison.docx, à côté de RECU).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Rapport lisible (text) ou pour un programme (json).",
)
@click.pass_obj
def compare(
    projet: Path | None,
    documents: tuple[Path, ...],
    commune: str | None,
    bailleur: str | None,
    kind: str | None,
    year: int | None,
    version: int | None,
    out: Path | None,
    output_format: str,
) -> None:
    """Compare un document envoyé (ENVOYE, ou --commune et --bailleur) et la copie reçue d'un partenaire (RECU) :
    document Word annoté en modifications suivies et rapport par article."""
    from generator.compare import Selection, as_json, as_text, compare_documents, exit_code

    root = projet or find_project(Path.cwd())
    selection = Selection(commune, bailleur, kind, year, version)
    comparison = compare_documents(project_at(root) if root else None, documents, selection, out)
    click.echo(as_json(comparison) if output_format == "json" else as_text(comparison))
    sys.exit(exit_code(comparison))


atfpb = main if "compare" in main.commands else _stand_in
