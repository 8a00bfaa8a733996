"""The yearly commands: the bilan of a programme, the workbook that collects it, and the territory's synthesis
(registered on the `atfpb` group by cli.py; errors become French messages there)."""

from __future__ import annotations

from pathlib import Path

import click

from .errors import DataError
from .inputs.project import project_at


@click.command(name="bilan")
@click.argument("commune")
@click.argument("bailleur")
@click.argument("annee", type=int)
@click.option("--final", is_flag=True, help="Produit la version à signer (sans mention PROJET, numérotée).")
@click.option("--new-version", is_flag=True, help="Avec --final : la version suivante si les données ont changé.")
@click.option("--force", is_flag=True, help="Reconstruit le projet même si rien n'a changé.")
@click.pass_obj
def bilan_command(
    projet: Path | None, commune: str, bailleur: str, annee: int, final: bool, new_version: bool, force: bool
) -> None:
    """Produit le bilan (Word et PDF) du programme d'actions ANNEE d'une commune et d'un bailleur."""
    from .build.projects import build
    from .build.summary import build_summary
    from .inputs.project import load_inputs, select_communes, select_landlord

    if new_version and not final:
        raise click.UsageError("--new-version ne s'emploie qu'avec --final.")
    project = project_at(projet)
    inputs = load_inputs(project)
    chosen = select_communes(inputs.territory, [commune])[0]
    owner = select_landlord(inputs.territory, bailleur)
    if inputs.bilan(chosen.slug, owner.slug, annee) is None:
        raise DataError(
            f"aucun bilan {annee} de {chosen.nom} et de {owner.nom} dans instances/bilans/ : préparez le classeur avec "
            f"« atfpb bilan-template {chosen.slug} {owner.slug} {annee} », faites-le remplir, puis déposez-le."
        )
    result = build(
        project, [chosen.slug], final=final, new_version=new_version, year=annee, force=force,
        landlords=[owner.slug], kind="bilan",
    )
    click.echo(build_summary(result, final, False))


@click.command(name="bilan-template")
@click.argument("commune")
@click.argument("bailleur")
@click.argument("annee", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Fichier à écrire (.xlsx).")
@click.pass_obj
def bilan_template_command(projet: Path | None, commune: str, bailleur: str, annee: int, out: Path | None) -> None:
    """Écrit le classeur Excel du bilan ANNEE, avec les actions du programme, à faire remplir par le bailleur."""
    from .build.bilan_template import write_bilan_workbook

    path = write_bilan_workbook(project_at(projet), commune, bailleur, annee, out)
    click.echo(f"Classeur écrit : {path}")
    click.echo("À faire remplir par le bailleur, puis à déposer dans instances/bilans/ avant « atfpb bilan ».")


@click.command(name="synthese")
@click.argument("annee", type=int, required=False)
@click.pass_obj
def synthese_command(projet: Path | None, annee: int | None) -> None:
    """Produit la synthèse de l'année pour l'intercommunalité (Excel et PDF) : une ligne par convention."""
    from .build.synthesis import build_synthesis

    project = project_at(projet)
    written = build_synthesis(project, annee)
    click.echo(f"Synthèse {written.figures.annee} : {len(written.figures.rows)} convention(s).")
    click.echo(f"  écrit   {project.shown(written.xlsx)}")
    click.echo(f"  écrit   {project.shown(written.pdf)}")


COMMANDS = (bilan_command, bilan_template_command, synthese_command)
