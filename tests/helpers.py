"""Helpers shared by the tests: the project copied, text read back by independent readers, sample documents."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import Workbook, load_workbook

from generator.assembly.document import Article, AssembledDocument, Edition, Signatory
from generator.inputs.clauses import parse_markdown
from generator.inputs.project import Project
from generator.render.docx import render_docx

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "docx" / "convention.docx"
# Read where the workplace lays it (../shared/reference, beside the project); never copied into the project.
REFERENCE = ROOT.parent / "shared" / "reference" / "convention-lourches-partenord-2025.txt"

ARTICLE_TITLES = [
    "Objet de la convention",
    "Identification du patrimoine concerné",
    "Élaboration des programmes d'actions",
    "Association des représentants des locataires et des habitants",
    "Pilotage",
    "Suivi et bilan",
    "Évaluation et contrôle",
    "Modalités spécifiques du suivi local",
    "Durée de la convention",
    "Conditions de report de l'ATFPB",
    "Conditions de dénonciation",
]


def copy_project(destination: Path, confirm: bool = False) -> Project:
    """A copy of the project's inputs (instances, clauses, template) that a test may change; with `confirm`, every
    value still to confirm in the examples is confirmed (as staff would once they know it)."""
    for folder in ("instances", "clauses", "templates"):
        shutil.copytree(ROOT / folder, destination / folder)
    if confirm:
        confirm_values(destination / "instances")
    return Project(destination)


# Values the examples leave unknown, as a test confirms them (a real deliberation number has this shape).
_KNOWN = {
    "numero": '"2024-117"',
    "date": "2024-11-26",
    "date_signature": "2024-04-10",
    "siege": "Hôtel de communauté",
    "maire": "",  # the role alone: « le Maire de … »
}


def confirmed(text: str) -> str:
    """A YAML text with every value confirmed: unknown ones given, « !a_confirmer » removed."""
    for key, value in _KNOWN.items():
        text = re.sub(rf"^(\s*{key}): !a_confirmer[ \t]*(#.*)?$", rf"\1: {value}", text, flags=re.MULTILINE)
    return text.replace("!a_confirmer ", "")


def confirm_values(instances: Path) -> None:
    """Confirm every value of a project's instance files and workbooks (« à confirmer 4050 » becomes 4050)."""
    for path in instances.rglob("*.yaml"):
        path.write_text(confirmed(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in instances.rglob("*.xlsx"):
        workbook = load_workbook(path)
        for sheet in workbook:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("à confirmer "):
                        cell.value = float(cell.value.removeprefix("à confirmer "))
        workbook.save(path)


# --- text read back ---------------------------------------------------------------------------
def normalise(text: str) -> str:
    """Text as a reader sees it: non-breaking spaces as spaces, lines joined, spaces collapsed."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> str:
    return normalise(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout)


def docx_text(path: Path) -> str:
    result = subprocess.run(
        ["pandoc", "-t", "plain", "--wrap=none", str(path)], check=True, capture_output=True, text=True
    )
    return normalise(result.stdout)


def location_of(text: str, needle: str) -> str:
    """'line:column' (1-based) of the first occurrence of `needle` in `text`."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def text_of(tokens) -> str:  # type: ignore[no-untyped-def]
    """The text of markdown-it tokens, without their markup."""
    return "".join(child.content for token in tokens for child in (token.children or ()) if child.type == "text")


# --- documents made for the tests -------------------------------------------------------------
def render(markdown: str, destination: Path, keywords: tuple[str, ...] = ("QN05954M",)) -> Path:
    """A one-article document whose body is `markdown`, written with the real template."""
    document = AssembledDocument(
        kind="convention",
        commune="essai",
        bailleur="essai",
        date=date(2025, 3, 14),
        title="Titre",
        short_title="Titre court",
        subject="Sujet",
        author="Auteur",
        keywords=keywords,
        sections=(("titre", tuple(parse_markdown("# Le titre\n"))),),
        articles=(Article(1, "a", "Premier article", tuple(parse_markdown(markdown)), "clauses/essai/a.md"),),
        signatories=tuple(
            Signatory(k, f"Partie {k}", f"Qualité {k}", f"Personne {k}")
            for k in ("prefet", "president-epci", "maire", "bailleur")
        ),
    )
    path = destination / "essai.docx"
    render_docx(document, Edition(), TEMPLATE, path)
    return path


# The reference's defects and their corrections (the data of the instance files).
CORRECTIONS = [
    ("Louches", "Lourches"),
    ("présenté par le bailleur SIGH en instance", "présenté par l'organisme HLM en instance"),
    ("signataires dont la SIGH", "signataires dont Partenord Habitat"),
    ("Délibération n° de la Ville", "Délibération n° 2024-ILL-01 de la Ville"),
    ("la ville et la cohésion sociale", "la ville et la cohésion urbaine"),
    ("(2024-2026)", "(2025-2026)"),
]


def reference_text(corrected: bool = False) -> str:
    if not REFERENCE.is_file():
        pytest.skip(f"convention de référence absente ({REFERENCE})")
    text = REFERENCE.read_text(encoding="utf-8")
    for wrong, right in CORRECTIONS if corrected else ():
        assert wrong in text, wrong
        text = text.replace(wrong, right)
    return text


def write_docx(text: str, destination: Path) -> Path:
    """One paragraph per line; the closing '<p>…</p>' lines become the signature table."""
    document = Document()
    rows = []
    for line in text.splitlines():
        if line.startswith("<p>"):
            rows.append([re.sub(r"</?p>", "", cell) for cell in line.split("\t")])
        elif line.strip():
            document.add_paragraph(line.strip())
    table = document.add_table(rows=len(rows), cols=2)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    document.save(str(destination))
    return destination


# --- a commune file and its failure modes (one case per way to get it wrong) -------------------
COMMUNE_BASE = """\
nom: Lourches
insee: "59361"
maire:
  titulaires:
    - civilite: Mme
      prenom: Dalila
      nom: DUWEZ-GUESMIA
deliberation:
  numero: "2024-01"
  date: 2024-11-26
qpv:
  - QN05954M
  - QN05952M
bailleurs:
  - nom: Partenord Habitat
    logements:
      QN05954M: 9
      QN05952M: 6
"""
# (case, text replaced in COMMUNE_BASE, replacement, expected French message, needle locating the error)
COMMUNE_CASES = [
    ("tabulation", "  - QN05952M", "\t- QN05952M", "tabulation", "\t- QN05952M"),
    (
        "clé en double",
        'insee: "59361"\n',
        'insee: "59361"\ninsee: "59361"\n',
        "écrit deux fois",
        'insee: "59361"\nmaire',
    ),
    ("clé inconnue", "deliberation:", "deliberations:", "Vouliez-vous dire « deliberation »", "deliberations:"),
    (
        "champ manquant",
        'insee: "59361"\n',
        "",
        "champ obligatoire manquant dans « test.yaml » : insee",
        "nom: Lourches",
    ),
    ("liste au lieu d'un texte", "nom: Lourches", "nom: [Lourches]", "doit être une valeur simple", "[Lourches]"),
    ("date mal écrite", "date: 2024-11-26", "date: 26 novembre 2024", "doit être une date", "26 novembre"),
    ("date inexistante", "date: 2024-11-26", "date: 2024-02-30", "n'existe pas", "2024-02-30"),
    ("logements négatifs", "QN05954M: 9", "QN05954M: -9", "supérieur ou égal à 0", "-9"),
    ("logements non entiers", "QN05954M: 9", "QN05954M: 9.5", "nombre entier", "9.5"),
    ("ancien code QPV", "  - QN05952M", "  - QP059054", "code QPV de 2015", "QP059054"),
    ("code QPV mal formé", "  - QN05952M", "  - QN5952", "n'est pas un code QPV valide", "QN5952"),
    ("QPV inconnu", "  - QN05952M", "  - QN05999M", "n'existe pas dans la géographie prioritaire 2024", "QN05999M"),
    ("QPV hors commune", "  - QN05952M", "  - QN05950M", "ne couvre pas la commune", "QN05950M"),
    ("QPV en double", "  - QN05952M", "  - QN05954M", "cité deux fois", "QN05954M\nbailleurs"),
    (
        "bailleur inconnu",
        "nom: Partenord Habitat",
        "nom: Partenord Habita",
        "Vouliez-vous dire « Partenord Habitat »",
        "Partenord Habita",
    ),
    ("logements d'un QPV non déclaré", "QN05952M: 6", "QN05953M: 6", "n'est pas dans la liste « qpv »", "QN05953M: 6"),
    (
        "nom de commune mal orthographié",
        "nom: Lourches",
        "nom: Louches",
        "est « Lourches », pas « Louches »",
        "Louches",
    ),
    (
        "commune hors de l'EPCI",
        'nom: Lourches\ninsee: "59361"',
        'nom: Lille\ninsee: "59350"',
        "n'est pas membre de La Porte du Hainaut",
        '"59350"',
    ),
    ("code INSEE inconnu", 'insee: "59361"', 'insee: "99999"', "aucune commune n'a le code INSEE", '"99999"'),
    ("civilité inconnue", "civilite: Mme", "civilite: Madame", "la civilité s'écrit", "Madame"),
    ("nom à confirmer", "nom: Lourches", "nom: !a_confirmer Lourches", "ne peut pas rester à confirmer", "!a_"),
    ("étiquette inconnue", 'numero: "2024-01"', 'numero: !a_confirme "2024-01"', "étiquette inconnue", "!a_confirme "),
    (
        "logements à confirmer sans valeur",
        "QN05954M: 9",
        "QN05954M: !a_confirmer",
        "indiquez une valeur provisoire",
        "!a_confirmer\n",
    ),
    (
        "aucun logement",
        "QN05954M: 9\n      QN05952M: 6",
        "QN05954M: 0\n      QN05952M: 0",
        "aucun logement éligible",
        "QN05954M: 0",
    ),
    ("caractère de contrôle", "nom: Lourches", "nom: Lour\x07ches", "caractère invisible", "\x07"),
    ("deux-points inattendu", "nom: Lourches", "nom: Lourches: Ville", "« : » inattendu", ": Ville"),
]


# --- EPCI of different shapes, dwellings files as landlords send them, generated YAML read back ------
VALENCIENNES = "245901160"  # CA Valenciennes Métropole, named after a member commune
PORTE_DU_HAINAUT = "200042190"  # CA de la Porte du Hainaut: QN05920M is shared with Anzin, in Valenciennes Métropole
CINOR = "249740119"  # CA Intercommunale du Nord de la Réunion (CINOR), overseas
GRAND_AVIGNON = "248400251"  # CA du Grand Avignon (COGA): Vaucluse and Gard


def write_csv(path: Path, rows: list[list[str]], separator: str = ";", encoding: str = "cp1252") -> Path:
    """A CSV file as French Excel writes it by default (« ; », Windows-1252, CRLF) or as asked."""
    text = "\r\n".join(separator.join(_quoted(cell, separator) for cell in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _quoted(cell: str, separator: str) -> str:
    return f'"{cell}"' if separator in cell else cell


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "Logements") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml when installed
    """PyYAML reading « !a_confirmer » as a marked value: what the generated text means, independently."""


_Loader.add_constructor("!a_confirmer", lambda loader, node: Pending(loader.construct_scalar(node)))  # type: ignore[arg-type]


class Pending(str):
    """A value read after « !a_confirmer » (empty when unknown)."""


def read_text(text: str) -> object:
    return yaml.load(text, Loader=_Loader)


def read_yaml(path: Path) -> object:
    return read_text(path.read_text(encoding="utf-8"))


def tree(folder: Path) -> list[str]:
    """Every file under `folder`, relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def comments(text: str) -> str:
    """The comment lines of a YAML text, joined as one text (a wrapped sentence reads whole)."""
    return " ".join(line.strip()[2:] for line in text.splitlines() if line.strip().startswith("# "))


# --- A chain of programmes: Lourches × Partenord Habitat, 2025 → 2026 → 2027 --------------------------
GAMBETTA, SCHNEIDER = "QN05954M", "QN05952M"


def programme(year: int, abatement: dict[str, int], carried: dict[str, int], valued: dict[str, int]) -> str:
    """A programme of Partenord Habitat at Lourches: one action per QPV valuing the amount given."""
    lines = ["commune: Lourches", "bailleur: Partenord Habitat", f"annee: {year}", "abattement:"]
    lines += [f"  {code}: {amount}" for code, amount in abatement.items()]
    lines += ["report:" if carried else "report: {}"] + [f"  {code}: {amount}" for code, amount in carried.items()]
    lines.append("actions:")
    for code, amount in valued.items():
        lines += [
            "  - axe: 3",
            f"    titre: Sur-entretien des halls ({code})",
            f"    qpv: {code}",
            f"    cout_total: {amount + 500}",
            f"    montant_valorise: {amount}",
        ]
    return "\n".join(lines) + "\n"


YEARS = {
    # 2025: Gambetta leaves 1 000 €, Schneider overspends 500 € → 500 € move from Gambetta, 500 € carried there.
    2025: ({GAMBETTA: 4000, SCHNEIDER: 2000}, {}, {GAMBETTA: 3000, SCHNEIDER: 2500}),
    # 2026 receives those 500 € on Gambetta, spends them, and leaves 200 € on Schneider.
    2026: ({GAMBETTA: 4000, SCHNEIDER: 2000}, {GAMBETTA: 500}, {GAMBETTA: 4500, SCHNEIDER: 1800}),
    # 2027 receives the 200 € on Schneider and spends everything.
    2027: ({GAMBETTA: 4000, SCHNEIDER: 2000}, {SCHNEIDER: 200}, {GAMBETTA: 4000, SCHNEIDER: 2200}),
}


def chain(tmp_path: Path, **changes: tuple[dict[str, int], dict[str, int], dict[str, int]] | None) -> Project:
    """The example project with the three years of YEARS as its only programmes (a year changed, or None: absent)."""
    project = copy_project(tmp_path)
    folder = project.instances / "programmes"
    for path in (*folder.iterdir(), *(project.instances / "bilans").glob("*")):
        path.unlink()  # the example's bilan reports on the example's programme, not on these
    years = {**YEARS, **{int(year.removeprefix("y")): value for year, value in changes.items()}}
    for year, value in years.items():
        if value is not None:
            (folder / f"lourches-partenord-habitat-{year}.yaml").write_text(programme(year, *value), encoding="utf-8")
    return project
