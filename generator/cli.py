"""The atfpb command line: parse arguments, call the pipeline, print French messages."""

from __future__ import annotations

import re
import signal
import sys
import tempfile
import threading
import traceback
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import click

from .cli_build import Misuse, build_command
from .cli_yearly import COMMANDS as YEARLY_COMMANDS
from .errors import AtfpbError
from .inputs.project import find_project, project_at

# Each command imports the stages it runs when it runs: « atfpb check » need not load LibreOffice's pipeline and
# pyHanko (about 0.3 s), nor « atfpb validate » the PDF tools.


class Failure(click.ClickException):
    """A toolkit error, an interruption or a bug, as click shows it: one French message and an exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click exits with it

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.message, err=True)


_USAGE = (
    (r"No such option:? '?([^'\s]+?)'?\.?(?: Did you mean .*)?", r"option inconnue : \1."),
    (
        r"No such command '([^']+)'\. Did you mean '([^']+)'\?",
        r"commande inconnue : « \1 ». Vouliez-vous dire « \2 » ? (commandes : atfpb --help)",
    ),
    (r"No such command '([^']+)'\.", r"commande inconnue : « \1 » (commandes : atfpb --help)."),
    (r"Missing argument '([^']+?)\.*'\.", r"argument manquant : \1."),
    (r"Missing option '([^']+)'\.", r"option obligatoire manquante : \1."),
    (r"Got unexpected extra arguments? \((.*)\)", r"argument en trop : \1."),
    (r"Option '([^']+)' requires an argument\.", r"l'option \1 attend une valeur."),
    (r"Invalid value for '([^']+)': (.*)", r"valeur invalide pour \1 (\2)."),
)


def _french_usage(message: str) -> str:
    """click's usage messages, in French where we know them."""
    for english, french in _USAGE:
        found = re.fullmatch(english, message, flags=re.DOTALL)
        if found:
            return found.expand(french)
    return message


_TRUST = click.option(
    "--confiance",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Dossier des certificats des autorités de confiance (.pem, .crt, .cer) ; sinon celles du système.",
)


_FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Pour une personne (text) ou pour un programme (json).",
)


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM: a CI cancel, `timeout`, the system): unwound like Ctrl-C."""


def _terminated(_signum: int, _frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the first TERM unwinds the build: more would only interrupt that
    raise Terminated


class _Atfpb(click.Group):
    """The command group; every command's errors become French messages and exit codes here, never a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.pop("standalone_mode", None)
        try:
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.UsageError as error:  # click's own (unknown option, missing argument…), in French
            command = error.ctx.command_path if error.ctx else "atfpb"
            click.echo(f"Erreur : {_french_usage(error.format_message())}\nAide : {command} --help", err=True)
            sys.exit(2)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Interrompu.", err=True)
            sys.exit(130)

    def invoke(self, ctx: click.Context) -> Any:
        if threading.current_thread() is threading.main_thread():  # signals arrive there only
            signal.signal(signal.SIGTERM, _terminated)
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except AtfpbError as error:
            text = str(error)
            raise Failure(f"Erreur :\n{text}" if "\n" in text else f"Erreur : {text}", error.exit_code) from None
        except KeyboardInterrupt:
            raise Failure("Interrompu.", 130) from None
        except Terminated:
            raise Failure(
                "Arrêté (signal TERM) : les fichiers de travail sont retirés, rien n'a été abîmé.", 143
            ) from None
        except Exception:  # noqa: BLE001 - the user must see a message, the details go to a file
            with tempfile.NamedTemporaryFile("w", prefix="atfpb-erreur-", suffix=".log", delete=False) as log:
                traceback.print_exc(file=log)
            raise Failure(f"Erreur interne inattendue : merci de la signaler avec le fichier {log.name}.", 3) from None


@click.group(name="atfpb", cls=_Atfpb, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--projet",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier du projet (instances/, output/…) ; par défaut, le dossier courant ou celui qui le contient.",
)
@click.pass_context
def main(context: click.Context, projet: Path | None) -> None:
    """Conventions d'utilisation de l'ATFPB : validation et production des documents."""
    context.obj = projet


@main.command()
@click.pass_obj
def validate(projet: Path | None) -> None:
    """Vérifie tous les fichiers d'instances, les clauses et le registre juridique."""
    from .assembly.dry_run import assembly_problems
    from .errors import raise_all
    from .inputs.epci import quarters_shared_outside
    from .inputs.project import load_inputs, own_clauses
    from .model.alerts import programmes_alerts
    from .pending import pending_in

    project = project_at(projet)
    inputs = load_inputs(project)
    raise_all(assembly_problems(inputs))  # a clause's field or option that no data gives, located
    pairs = sum(len(c.patrimoine) for c in inputs.territory.communes)
    click.echo(
        f"Données valides : {len(inputs.territory.communes)} commune(s), "
        f"{len(inputs.territory.bailleurs)} bailleur(s), {pairs} convention(s) à produire, "
        f"{len(inputs.clauses)} clauses."
    )
    for commune in inputs.territory.communes:
        if not commune.patrimoine:
            click.echo(
                f"Avertissement : {commune.source}: aucun bailleur déclaré : pas de convention pour {commune.nom} "
                "(une convention se signe par commune et par bailleur).",
                err=True,
            )
    for warning in quarters_shared_outside(inputs.territory):
        click.echo(f"Avertissement : {warning}", err=True)
    for line in own_clauses(project, inputs):
        click.echo(f"Clause propre au projet : {line}")
    for alert in programmes_alerts(inputs.territory, inputs.programmes or ()):
        click.echo(f"Avertissement : {alert.location}: {alert.message}", err=True)
    marks = pending_in(inputs.territory, inputs.programmes)
    for mark in marks:
        click.echo(f"Avertissement : {mark.location}: à confirmer : {mark.describe()}.", err=True)
    if marks:
        click.echo(
            f"{len(marks)} valeur(s) à confirmer : les projets les montrent surlignées et marquées « à confirmer » ; "
            "une version finale (--final) les refuse.",
            err=True,
        )


@main.command()
@click.argument("fichiers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--commune", help="Commune attendue (sinon déduite du titre et des parties).")
@click.option("--bailleur", help="Bailleur attendu (sinon déduit du titre et des parties).")
@_FORMAT
@click.pass_obj
def check(
    projet: Path | None, fichiers: tuple[Path, ...], commune: str | None, bailleur: str | None, output_format: str
) -> None:
    """Vérifie des conventions (Word ou PDF), produites ici ou reçues d'ailleurs (hors d'un projet : avec les
    référentiels nationaux et le registre juridique d'atfpb)."""
    from .build.review import check_files, check_files_nationally
    from .checks.report import as_json, as_text, exit_code
    from .inputs.project import load_inputs, load_national

    root = projet or find_project(Path.cwd())
    if root is None:
        if bailleur:
            raise Misuse("--bailleur ne s'emploie que dans un projet, qui connaît ses bailleurs (voir --projet).")
        reports = check_files_nationally(load_national(), fichiers, commune)
    else:
        project = project_at(root)
        inputs = load_inputs(project, with_programmes=False)  # an avenant's programme is read when one is checked
        reports = check_files(project, inputs, fichiers, commune, bailleur)
    click.echo(as_json(reports) if output_format == "json" else as_text(reports))
    sys.exit(exit_code(reports))


@main.command()
@click.argument("fichier", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_TRUST
@click.pass_obj
def verify(projet: Path | None, fichier: Path, confiance: Path | None) -> None:
    """Vérifie un PDF : signatures (qui, quand, intégrité, confiance), version signée, PDF/A, polices, manifeste."""
    from .build.report import verification_text, verify_exit_code
    from .build.review import verify_pdf

    root = projet or find_project(Path.cwd())
    original = verify_pdf(project_at(root) if root else None, fichier, confiance)
    click.echo(verification_text(fichier, original))
    sys.exit(verify_exit_code(original))


@main.command()
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
@_FORMAT
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
    from .compare import Selection, as_json, as_text, compare_documents, exit_code

    root = projet or find_project(Path.cwd())
    selection = Selection(commune, bailleur, kind, year, version)
    comparison = compare_documents(project_at(root) if root else None, documents, selection, out)
    click.echo(as_json(comparison) if output_format == "json" else as_text(comparison))
    sys.exit(exit_code(comparison))


@main.command()
@_FORMAT
@_TRUST
@click.pass_obj
def status(projet: Path | None, output_format: str, confiance: Path | None) -> None:
    """Où en est chaque document : projet et anomalies, versions finales, copies signées déposées dans signes/."""
    from .build.status import project_status, status_json, status_text

    result = project_status(project_at(projet), confiance)
    click.echo(status_json(result) if output_format == "json" else status_text(result))


@main.command(name="init")
@click.argument("dossier", type=click.Path(path_type=Path, file_okay=False))
@click.option("--epci", required=True, help="SIREN de l'intercommunalité (ou son nom exact).")
@click.option(
    "--logements",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tableau des logements éligibles (.csv ou .xlsx) : commune, bailleur, qpv, logements.",
)
@click.option("--date", "when", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date des documents (AAAA-MM-JJ).")
def init(dossier: Path, epci: str, logements: Path | None, when: datetime | None) -> None:
    """Prépare un projet pour une intercommunalité : son territoire et ses communes ayant un QPV."""
    from .scaffold import create_project

    for line in create_project(dossier, epci, logements, when.date() if when else None).lines():
        click.echo(line)


@main.command(name="clauses")
@click.argument("dossier", type=click.Path(path_type=Path, file_okay=False, exists=True))
def clauses_command(dossier: Path) -> None:
    """Copie dans un projet la bibliothèque de clauses et le modèle Word d'atfpb, pour les modifier."""
    from .scaffold.defaults import copy_defaults

    for copied in copy_defaults(dossier):
        click.echo(f"Copié : {dossier / copied}")
    click.echo(
        "Chaque clause du projet remplace celle d'atfpb de même identifiant (« id ») ; une clause d'identifiant "
        "nouveau s'ajoute. « atfpb validate » les liste."
    )


@main.command(name="programme-template")
@click.argument("commune")
@click.argument("bailleur")
@click.argument("annee", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Fichier à écrire (.xlsx).")
@click.pass_obj
def programme_template(projet: Path | None, commune: str, bailleur: str, annee: int, out: Path | None) -> None:
    """Écrit le classeur Excel qu'un bailleur remplit avec son programme d'actions de l'année."""
    from .build.programme_template import write_programme_template

    path = write_programme_template(project_at(projet), commune, bailleur, annee, out)
    click.echo(f"Classeur écrit : {path}")
    click.echo("À faire remplir par le bailleur, puis à déposer dans instances/programmes/ avant « atfpb build ».")


main.add_command(build_command)
for _yearly in YEARLY_COMMANDS:  # bilan, bilan-template, synthese
    main.add_command(_yearly)

if __name__ == "__main__":
    main()
