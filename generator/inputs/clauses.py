"""The clause library: front matter and Markdown bodies, parsed into markdown-it tokens."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.superscript import superscript_plugin

from ..errors import ClauseError, Collector, Location, shown
from .yaml_reader import parse_yaml

SECTIONS = ("titre", "parties", "visas", "article", "signatures", "annexe")
FRONT_MATTER = "---"


@dataclass(frozen=True)
class Clause:
    """One clause file: its front matter and its Markdown body (with the body's first line)."""

    id: str
    titre: str
    section: str
    obligatoire: bool
    condition: str
    body: str
    body_line: int
    file: str
    condition_line: int | None = None
    variantes: tuple[str, ...] = ()
    paysage: bool = False

    @property
    def condition_location(self) -> Location:
        return Location(self.file, self.condition_line)


def load_library(folders: Sequence[Path], root: Path) -> tuple[Clause, ...]:
    """The clauses of the folders, a later folder's clause replacing an earlier one of the same id (a project's own
    clause replaces the toolkit's) or adding to them; in file-name order; all the problems found at once."""
    problems = Collector()
    merged: dict[str, Clause] = {}
    for folder in folders:
        for clause in problems.attempt(lambda folder=folder: _folder_clauses(folder, root)) or ():  # type: ignore[misc]
            merged[clause.id] = clause
    if not merged and not problems.problems:
        shown_as = shown(folders[-1], root) if folders else "clauses"
        problems.add(ClauseError("aucune clause (*.md) dans ce dossier.", Location(shown_as)))
    problems.raise_any()
    return tuple(sorted(merged.values(), key=lambda clause: Path(clause.file).name))


def _folder_clauses(folder: Path, root: Path) -> list[Clause]:
    """Every clause of one folder, refusing two files with the same id."""
    problems = Collector()
    paths = sorted(folder.glob("*.md"))
    clauses = [c for c in (problems.attempt(lambda p=p: read_clause(p, shown(p, root))) for p in paths) if c]  # type: ignore[misc]
    seen: dict[str, Clause] = {}
    for clause in clauses:
        if clause.id in seen:
            problems.add(
                ClauseError(
                    f"l'identifiant « {clause.id} » est déjà celui de {seen[clause.id].file}.", Location(clause.file, 2)
                )
            )
        seen[clause.id] = clause
    problems.raise_any()
    return clauses


def check_template(path: Path, shown_as: str) -> None:
    """The Word template is there and is a Word document (its content is read when documents are rendered)."""
    if not path.is_file():
        raise ClauseError("modèle Word introuvable : « atfpb clauses DOSSIER » en copie un.", Location(shown_as))
    try:
        with zipfile.ZipFile(path) as package:
            ElementTree.fromstring(package.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        raise ClauseError(
            "modèle Word illisible : ce n'est pas un document Word (.docx) valide.", Location(shown_as)
        ) from None


def read_clause(path: Path, shown_as: str) -> Clause:
    """Split a clause file into its front matter (YAML) and its body."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        raise ClauseError("lecture impossible (le fichier doit être du texte UTF-8).", Location(shown_as)) from None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER:
        raise ClauseError(
            "la clause doit commencer par un en-tête entre deux lignes « --- ».", Location(shown_as, 1, 1)
        )
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER), None)
    if end is None:
        raise ClauseError("l'en-tête n'est pas fermé par une ligne « --- ».", Location(shown_as, 1, 1))
    header = parse_yaml("".join(lines[1:end]), shown_as, "en-tête", first_line=2)
    f = header.mapping({"id", "titre", "section"}, {"obligatoire", "condition", "variantes", "paysage"})
    section = f["section"].text()
    if section not in SECTIONS:
        raise f["section"].error(f"section inconnue « {section} » (possibles : {', '.join(SECTIONS)}).")
    condition = f.get("condition")
    return Clause(
        id=f["id"].text(),
        titre=f["titre"].text(),
        section=section,
        obligatoire=f["obligatoire"].boolean() if "obligatoire" in f else False,
        condition=condition.text() if condition else "",
        body="".join(lines[end + 1 :]),
        body_line=end + 2,
        file=shown_as,
        condition_line=condition.location.line if condition else None,
        variantes=f["variantes"].text_list() if "variantes" in f else (),
        paysage=f["paysage"].boolean() if "paysage" in f else False,
    )


# assembly/blocks.py parses a clause's text block by block, which gives the whole text's tokens for this syntax: a rule
# or plugin added here that ties distant blocks together (a definition, an abbreviation…) must be added to the texts it
# parses whole (tests/assembly/test_blocks.py compares both on generated Markdown).
@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).use(footnote_plugin)
    parser.use(superscript_plugin)  # « 1^er^ », « M^me^ »: raised letters (ordinals are raised without it)
    # « [valeur (à confirmer)]{.a-confirmer} »: a value still to confirm, as a span the Word renderer highlights
    return parser.use(attrs_plugin, after=("span_close",), spans=True, allowed=["class"])


def parse_markdown(text: str) -> list[Token]:
    """The flat token stream of a Markdown text (footnotes gathered at the end)."""
    return _parser().parse(text)
