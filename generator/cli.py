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

from .build import BuildResult, build
from .errors import AtfpbError
from .manifest import as_dict
from .project import Project, load_inputs
from .report import as_json, as_text, exit_code
from .review import check_files, verify_pdf
from .workbook_files import write_programme_template


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
@click.option("--final", is_flag=True, help="Produit les versions à signer (sans mention PROJET, numérotées).")
@click.option(
    "--new-version", is_flag=True, help="Avec --final : produit la version suivante si les données ont changé."
)
@click.option("--year", "year", type=int, help="N'inclut que les avenants de cette année (les conventions restent).")
@click.option("--force", is_flag=True, help="Reconstruit aussi les projets dont rien n'a changé.")
@click.option("--jobs", type=click.IntRange(min=1), help="Processus LibreOffice en parallèle (un par cœur par défaut).")
@click.option("--quiet", "-q", is_flag=True, help="N'affiche que les erreurs et le bilan final.")
@click.option("--json", "as_json", is_flag=True, help="Affiche le manifeste des documents produits en JSON.")
@click.pass_obj
def build_command(
    project: Project,
    communes: tuple[str, ...],
    final: bool,
    new_version: bool,
    year: int | None,
    force: bool,
    jobs: int | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Produit les conventions et les avenants (Word et PDF) de toutes les communes, ou de celles nommées."""
    if new_version and not final:
        click.echo("Erreur : --new-version ne s'emploie qu'avec --final.", err=True)
        sys.exit(2)
    show_bar = not (quiet or as_json) and sys.stderr.isatty()
    with _ProgressBar(show_bar) as bar:
        result = _run(
            lambda: build(
                project,
                communes,
                final=final,
                new_version=new_version,
                year=year,
                force=force,
                jobs=jobs,
                progress=bar.update,
            )
        )
    if as_json:
        click.echo(json.dumps({"documents": [as_dict(e) for e in result.built]}, ensure_ascii=False, indent=2))
    else:
        click.echo(build_summary(result, final, quiet))
    if result.failed:
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


def build_summary(result: BuildResult, final: bool, quiet: bool) -> str:
    """The French report of a build: documents, then a table of counts and times."""
    lines = []
    if not quiet:
        for entry in result.built:
            lines.append(f"  produit   {entry.pdf}  (+ .docx, {entry.pages} pages)")
        for entry in result.unchanged:
            version = f", version {entry.version}" if entry.version else ""
            lines.append(f"  inchangé  {entry.pdf}{version}")
    for name, reason in result.failed:
        lines.append(f"  ÉCHEC     {name} : {reason}")
    for incident in result.incidents:
        lines.append(f"  incident  {incident}")
    kind = "versions finales" if final else "projets"
    lines.append(
        f"Bilan ({kind}) : {len(result.built)} produit(s), {len(result.unchanged)} inchangé(s), "
        f"{len(result.failed)} en échec."
    )
    if result.timings:
        lines.append("Durées : " + " ; ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.timings.items()))
    return "\n".join(lines)


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


@main.command()
@click.argument("fichier", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.pass_obj
def verify(project: Project, fichier: Path) -> None:
    """Vérifie un PDF : archivage PDF/A, polices, champs de signature, métadonnées, manifeste."""
    result = _run(lambda: verify_pdf(project, fichier))
    facts = result.facts
    missing_fonts = [name for name, embedded in facts.fonts if not embedded]
    click.echo(f"{fichier} : {facts.pages} pages")
    click.echo(f"  PDF/A : {'PDF/A-' + facts.pdfa[:-1] + facts.pdfa[-1].lower() if facts.pdfa else 'non déclaré'}")
    click.echo(
        "  polices : "
        + (
            f"{len(facts.fonts)} police(s), toutes incorporées"
            if not missing_fonts
            else f"non incorporées : {', '.join(missing_fonts)}"
        )
    )
    click.echo(f"  champs de signature : {len(facts.fields)}")
    for field in facts.fields:
        state = "signé" if field.signed else "à signer"
        click.echo(f"    {field.name} (« {field.label} »), page {field.page} : {state}")
    for key in ("/Title", "/Subject", "/Author", "/Keywords", "/CreationDate"):
        click.echo(f"  {key.lstrip('/')} : {facts.metadata.get(key, '—')}")
    click.echo(f"  langue : {facts.language or '—'}")
    if result.entry is None:
        click.echo("  manifeste : ce fichier n'y figure pas.")
    elif result.matches:
        version = f"version {result.entry.version} finale" if result.entry.final else "projet"
        click.echo(f"  manifeste : conforme à l'entrée {result.entry.pdf} ({version}, {result.entry.date}).")
    else:
        click.echo(
            f"  manifeste : le fichier a changé depuis sa production ({result.entry.pdf}) ; "
            "c'est attendu s'il a été signé."
        )


@main.command(name="programme-template")
@click.argument("commune")
@click.argument("bailleur")
@click.argument("annee", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Fichier à écrire (.xlsx).")
@click.pass_obj
def programme_template(project: Project, commune: str, bailleur: str, annee: int, out: Path | None) -> None:
    """Écrit le classeur Excel qu'un bailleur remplit avec son programme d'actions de l'année."""
    path = _run(lambda: write_programme_template(project, commune, bailleur, annee, out))
    click.echo(f"Classeur écrit : {path}")
    click.echo("À faire remplir par le bailleur, puis à déposer dans instances/programmes/ avant « atfpb build ».")


if __name__ == "__main__":
    main()
