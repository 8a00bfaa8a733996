"""The Lourches convention says what the reference convention commits its parties to, read back from the PDF; the
options that change it (veto, signature on paper or electronic) are tested end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.build.review import check_files
from generator.cli import main
from generator.inputs.project import Project, load_inputs
from generator.manifest import Entry

from ..helpers import copy_project, pdf_text
from .printed import squash

pytestmark = pytest.mark.e2e
Built = tuple[Project, list[Entry]]
CONVENTION = "lourches/convention-atfpb-lourches-partenord-habitat.pdf"

# Every commitment, right and deadline of the reference convention (../shared/reference/), as the generated
# convention says it in its own words: (what the reference commits to, the words that say it in our PDF).
COMMITMENTS = [
    (
        "la Ville se réserve un droit de veto",
        "se réserve à cette fin un droit de veto sur l'utilisation de cette enveloppe",
    ),
    (
        "le bilan N-1 validé par le Conseil municipal au plus tard le 31 mai",
        "la validation du bilan de l'année N-1 par le conseil municipal au plus tard le 31 mai de l'année N",
    ),
    (
        "le bilan transmis avant le 31 mai",
        "Ce bilan est validé par le conseil municipal au plus tard le 31 mai de l'année N",
    ),
    ("le programme validé au plus tard le 30 avril", "au plus tard le 30 avril de l'année N"),
    ("les diagnostics mis à jour en 2025", "procèdent en 2025 à la mise à jour des diagnostics existants"),
    ("l'outil QuartiersPlus ouvert aux signataires", "dans l'outil de suivi « QuartiersPlus »"),
    ("l'accès à l'outil garanti", "il leur en garantit l'accès et s'engage à l'alimenter"),
    ("le comité de suivi local au moins une fois par an", "il se réunit au moins une fois par an"),
    ("l'évaluation intermédiaire en 2026", "évaluation intermédiaire, quantitative et qualitative, en 2026"),
    (
        "la direction de l'EPCI qui anime le dispositif",
        "la Direction de l'Innovation sociale et de la Cohésion sociale assure le suivi et l'animation du "
        "dispositif",
    ),
    (
        "le chef de projet et l'axe 6 du contrat",
        "le chef de projet politique de la ville qui suit les actions de l'axe 6",
    ),
    ("les priorités communales du Contrat Quartiers 2030", "intitulé « Priorités communales Contrat Quartiers 2030 »"),
    ("les ambitions du contrat prises en compte", "prend en compte les ambitions du « Contrat Quartiers 2030 »"),
    (
        "les services du préfet délégué pour l'égalité des chances",
        "les services du préfet délégué pour l'égalité des chances",
    ),
    ("Partenord : construction et rénovation", "Construction et rénovation des logements"),
    ("Partenord : accompagnement social", "Accompagnement social des locataires"),
    ("Partenord : insertion", "Insertion professionnelle et économique"),
    ("Partenord : médiation", "Médiation et prévention des conflits"),
    ("Partenord : qualité de vie et tranquillité", "Qualité de vie et tranquillité publique"),
    ("Partenord : animation de la vie de quartier", "Animation de la vie des quartiers"),
    ("Partenord : sécurité et prévention", "Sécurité et prévention de la délinquance"),
    (
        "la convention avec le parquet pour les travaux d'intérêt général",
        "avec le parquet de Douai une convention pour accueillir des personnes condamnées à un travail d'intérêt "
        "général",
    ),
    ("Partenord : participation citoyenne", "Participation citoyenne"),
    ("les conseils de locataires", "les conseils de locataires et l'observatoire locatif territorial (OLT)"),
    ("la réhabilitation des logements F ou G", "logements classés F ou G"),
    (
        "le report validé en comité de pilotage",
        "Le report est validé par les signataires de la présente convention réunis en comité de pilotage",
    ),
    (
        "la dénonciation : le cadre national cité",
        "L'avenant du 30 septembre 2021 au cadre national d'utilisation de l'abattement de TFPB dans les quartiers "
        "prioritaires de la politique de la ville prévoit : « En cas de désaccord entre les signataires sur la "
        "conclusion ou l'exécution de la convention, un rôle de facilitateur sera assuré par un représentant de "
        "l'État, désigné par le Préfet de département",
    ),
    (
        "le préavis de deux mois avant le 1er janvier",
        "avec un préavis d'au moins deux mois avant le 1er janvier de l'année N+1",
    ),
    (
        "la copie aux signataires nationaux avant le 31 décembre",
        "avant le 31 décembre de l'année N, aux signataires nationaux du cadre national",
    ),
]


def run(project: Project, *args: str) -> Result:
    return CliRunner().invoke(main, ["--projet", str(project.root), *args])


def read(path: Path) -> str:
    """A PDF's text whatever its line breaks and hyphens (French hyphenation cuts words at line ends)."""
    return squash(pdf_text(path))


def says(text: str, words: str) -> bool:
    return squash(words) in text


@pytest.fixture(scope="module")
def lourches(built: Built) -> str:
    project, _entries = built
    return read(project.output / CONVENTION)


@pytest.mark.parametrize(("commitment", "words"), COMMITMENTS, ids=[c for c, _w in COMMITMENTS])
def test_each_commitment_of_the_reference_is_in_the_lourches_convention(
    lourches: str, commitment: str, words: str
) -> None:
    assert says(lourches, words), commitment


def test_the_parties_are_identified(lourches: str) -> None:
    assert says(
        lourches,
        "la Communauté d'agglomération de La Porte du Hainaut, ci-après « La Porte du Hainaut », SIREN 200 042 190, "
        "dont le siège est à Wallers, représentée par M. Aymeric ROBIN",
    )


def test_the_lourches_convention_gives_no_finding(built: Built) -> None:
    project, _entries = built
    (report,) = check_files(project, load_inputs(project), [project.output / CONVENTION], None, None)
    assert report.findings == ()


def test_signed_electronically_no_date_is_printed_even_final(tmp_path: Path) -> None:
    project = copy_project(tmp_path, confirm=True)
    result = run(project, "build", "lourches", "--kind", "convention", "--final")
    assert result.exit_code == 0, result.output
    text = read(project.output / CONVENTION.replace(".pdf", "-v1.pdf"))
    assert says(text, "Fait à Lourches, à la date de la dernière des signatures électroniques des parties.")
    assert not says(text, "14 mars 2025")  # the document's date is no signature date
    assert "exemplaire" not in text and not says(text, "Fait à Lourches, le")


def test_no_veto_and_signed_on_paper(tmp_path: Path) -> None:
    """The other side of each pair of options: the commune gives its opinion, the originals are signed on paper."""
    project = copy_project(tmp_path, confirm=True)
    commune = project.instances / "communes" / "lourches.yaml"
    commune.write_text(commune.read_text(encoding="utf-8").replace("veto: oui", "veto: non"), encoding="utf-8")
    territory = project.instances / "territoire.yaml"
    written = territory.read_text(encoding="utf-8")
    territory.write_text(written.replace("signature: electronique", "signature: papier"), encoding="utf-8")
    result = run(project, "build", "lourches")
    assert result.exit_code == 0, result.output  # the build's own checks pass: the paper blank is intentional
    text = read(project.output / CONVENTION)
    assert not says(text, "droit de veto")
    assert says(text, "elle donne son avis sur les actions proposées avant leur inscription au programme annuel")
    assert re.search(r"FaitàLourches,le_{10,},enquatreexemplairesoriginaux\.", text), text[-600:]
    assert not says(text, "signatures électroniques")
    avenant = read(project.output / "lourches" / "avenant-atfpb-2026-lourches-partenord-habitat.pdf")
    assert re.search(r"FaitàLourches,le_{10,},enquatreexemplairesoriginaux\.", avenant)
    # the same blank, checked against a territory signing electronically, is a field left empty
    territory.write_text(written, encoding="utf-8")
    (report,) = check_files(project, load_inputs(project), [project.output / CONVENTION], None, None)
    assert [(f.rule, f.message) for f in report.findings] == [("empty-field", "ligne laissée à compléter.")]


@pytest.mark.parametrize(("year", "number"), [(2025, 1), (2026, 2)])
def test_avenants_are_numbered_with_their_visas_in_legal_order(built: Built, year: int, number: int) -> None:
    project, _entries = built
    text = read(project.output / "lourches" / f"avenant-atfpb-{year}-lourches-partenord-habitat.pdf")
    assert says(text, f"Avenant n° {number} à la convention d'utilisation de l'ATFPB — programme d'actions {year}")
    visas = [
        "Vu l'article 6 de la loi n° 2014-173",
        "Vu l'article 1388 bis du code général des impôts",
        "Vu le décret n° 2023-1314",
        "Vu le cadre national d'utilisation",
        "Vu le « Contrat Quartiers 2030 »",
        "Vu la convention d'utilisation de l'abattement",
    ]
    if year == 2026:  # its programme names the deliberation authorising the signature
        visas.append("Vu la délibération n° 2024-117 du conseil municipal de la Ville de Lourches en date du")
    positions = [text.index(squash(visa)) for visa in visas]
    assert positions == sorted(positions)
    assert positions[-1] < text.index(squash("Il est convenu ce qui suit"))
