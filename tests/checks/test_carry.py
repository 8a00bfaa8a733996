"""`check` on an avenant: the carry-over it says it receives from the year before must be what the previous avenant
left to carry (rule amount-mismatch), in our wording and in others', in running text and in table rows; and an
avenant built before the previous year's programme was revised is caught end to end."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from generator.build.projects import build
from generator.build.review import check_files
from generator.checks.expectations import Expected, expected_for
from generator.checks.run import check_lines
from generator.inputs.project import Inputs, Project, load_inputs
from generator.reading.lines import Line, Place, normalise

from ..helpers import ROOT, chain, copy_project

OURS = (
    "Le montant disponible pour l'année 2026 s'élève à 6 500,00 €. Il comprend l'abattement de l'année, soit "
    "6 000,00 €, et le montant de 500,00 € non utilisé en 2025 dont les signataires ont accepté le report sur "
    "l'année 2026, dans les conditions de report prévues par la convention."
)


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(Project(ROOT), with_programmes=False)


def avenant(inputs: Inputs, year: int, carried_in: Decimal | None) -> Expected:
    territory = inputs.territory
    base = expected_for(territory, territory.commune_named("lourches"), territory.landlord("partenord-habitat"))  # type: ignore[arg-type]
    return replace(base, kind="avenant", year=year, carried_in=carried_in)


def carry_findings(inputs: Inputs, lines: list[Line], year: int, carried_in: Decimal | None) -> list[str]:
    found = check_lines(lines, avenant(inputs, year, carried_in), inputs.rules)
    return [f"{f.location}: {f.message}" for f in found if f.rule == "amount-mismatch" and "report" in f.message]


def paragraphs(*texts: str) -> list[Line]:
    return [Line(normalise(t), Place.paragraph(n)) for n, t in enumerate(texts, start=1)]


def test_our_wording_with_the_carry_the_previous_avenant_left_passes(inputs: Inputs) -> None:
    assert carry_findings(inputs, paragraphs(OURS), 2026, Decimal(500)) == []


def test_our_wording_with_another_amount_is_located(inputs: Inputs) -> None:
    found = carry_findings(inputs, paragraphs("Préambule.", OURS), 2026, Decimal(800))
    assert found == [
        "paragraphe 2: le report reçu de 2025 indiqué ici (500,00 €) ne suit pas de l'année précédente : l'avenant "
        "2025 a laissé 800,00 € à reporter."
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Report de l'année 2025 : 500,00 €.",
        "Le reliquat 2025, soit 500,00 €, est reporté sur 2026.",
        "Montant reporté de l'exercice précédent : 500,00 € ; abattement 2026 : 6 000,00 €.",
    ],
)
def test_other_house_styles_are_read(inputs: Inputs, text: str) -> None:
    assert carry_findings(inputs, paragraphs(text), 2026, Decimal(500)) == []
    assert len(carry_findings(inputs, paragraphs(text), 2026, Decimal(0))) == 1


def test_a_table_row_is_read_cell_by_cell(inputs: Inputs) -> None:
    cells = [("Abattement 2026", "6 000,00 €"), ("Report de 2025", "900,00 €"), ("Total disponible", "6 900,00 €")]
    lines = [
        Line(text, Place.cell(1, row, column))
        for row, pair in enumerate(cells, start=1)
        for column, text in enumerate(pair, start=1)
    ]
    assert carry_findings(inputs, lines, 2026, Decimal(900)) == []
    assert carry_findings(inputs, lines, 2026, Decimal(500)) == [
        "tableau 1, ligne 2, colonne 1: le report reçu de 2025 indiqué ici (900,00 €) ne suit pas de l'année "
        "précédente : l'avenant 2025 a laissé 500,00 € à reporter."
    ]


def test_no_carry_said_when_one_is_due_or_a_carry_into_the_first_year(inputs: Inputs) -> None:
    none = "Le disponible correspond à l'abattement de l'année ; aucun report d'une année antérieure ne s'y ajoute."
    assert carry_findings(inputs, paragraphs(none), 2026, Decimal(0)) == []
    assert len(carry_findings(inputs, paragraphs(none), 2026, Decimal(300))) == 1
    assert carry_findings(inputs, paragraphs("Un paragraphe sans report."), 2026, Decimal(300)) == [
        "document: l'avenant 2025 a laissé 300,00 € à reporter sur 2026 : ce report n'est pas indiqué."
    ]
    first_year = carry_findings(inputs, paragraphs("Report de 2024 : 200,00 €."), 2025, Decimal(0))
    assert first_year == [
        "paragraphe 1: le report reçu de 2024 indiqué ici (200,00 €) ne suit pas de l'année précédente : 2025 est "
        "la première année de la convention, qui ne reçoit aucun report."
    ]


def test_unknown_previous_avenant_is_not_judged(inputs: Inputs) -> None:
    assert carry_findings(inputs, paragraphs("Report de l'année 2025 : 500,00 €."), 2026, None) == []


def test_the_sentence_carrying_to_next_year_is_not_a_received_carry(inputs: Inputs) -> None:
    text = (
        "Le programme laisse donc inutilisé un montant de 200,00 €. Les parties conviennent de reporter ce montant "
        "sur l'année 2027."
    )
    assert carry_findings(inputs, paragraphs(OURS, text), 2026, Decimal(500)) == []


@pytest.mark.e2e
def test_an_avenant_sent_before_the_previous_year_was_revised_is_reported(tmp_path: Path) -> None:
    project = chain(tmp_path)
    built = {e.year: e for e in build(project, ["lourches"], kind="avenant").built}
    sent = [project.root / built[2026].pdf, project.root / built[2026].docx]
    # The 2025 programme is revised after the 2026 avenant went out: 800 € more left unused on Gambetta.
    revised = project.instances / "programmes" / "lourches-partenord-habitat-2025.yaml"
    revised.write_text(revised.read_text(encoding="utf-8").replace("montant_valorise: 3000", "montant_valorise: 2200"))
    reports = check_files(project, load_inputs(project, with_programmes=False), sent, None, None)
    for report in reports:
        carry = [f for f in report.findings if f.rule == "amount-mismatch" and "report reçu de 2025" in f.message]
        assert [f.message for f in carry] == [
            "le report reçu de 2025 indiqué ici (500,00 €) ne suit pas de l'année précédente : l'avenant 2025 a "
            "laissé 1 300,00 € à reporter."
        ], report.file
        assert carry[0].location.article == 4


@pytest.mark.e2e
def test_a_carry_retyped_by_a_partner_in_the_word_file_is_reported(tmp_path: Path) -> None:
    project = chain(tmp_path)
    built = {e.year: e for e in build(project, ["lourches"], kind="avenant").built}
    document = docx.Document(str(project.root / built[2026].docx))
    retyped = 0
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if "500,00" in run.text and "non utilisé en 2025" in paragraph.text:
                run.text = run.text.replace("500,00", "700,00")
                retyped += 1
    assert retyped
    returned = tmp_path / "retour.docx"
    document.save(str(returned))
    reports = check_files(project, load_inputs(project, with_programmes=False), [returned], None, None)
    messages = [f.message for f in reports[0].findings if "report reçu de 2025" in f.message]
    assert messages == [
        "le report reçu de 2025 indiqué ici (700,00 €) ne suit pas de l'année précédente : l'avenant 2025 a laissé "
        "500,00 € à reporter."
    ]


def test_a_carry_shown_only_in_a_pdf_table_is_not_taken_for_missing(inputs: Inputs) -> None:
    table = "QPV Abattement 2026 Report de 2025 Total Gambetta 4 000,00 € 500,00 € 4 500,00 € Schneider 2 000,00 €"
    lines = [Line(normalise(table), Place.page(2, 1))]
    assert carry_findings(inputs, lines, 2026, Decimal(500)) == []
    assert carry_findings(inputs, lines, 2026, Decimal(800)) == [
        "document: l'avenant 2025 a laissé 800,00 € à reporter sur 2026 : ce report n'est pas indiqué."
    ]


@pytest.mark.e2e
def test_after_a_bilan_the_carry_received_is_the_bilans(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    built = build(project, ["lourches"], kind="avenant", year=2026).built
    sent = [project.root / built[0].pdf]
    inputs = load_inputs(project, with_programmes=False)
    (report,) = check_files(project, inputs, sent, None, None)
    assert report.findings == ()  # 480 € received: what the 2025 bilan leaves, not the 300 € its avenant foresaw
    # the 2025 bilan is corrected afterwards: 80 € less realised on action 3, so 80 € more left to carry
    bilan = project.instances / "bilans" / "lourches-partenord-habitat-2025.yaml"
    bilan.write_text(bilan.read_text(encoding="utf-8").replace("!a_confirmer 880", "!a_confirmer 800"))
    (report,) = check_files(project, load_inputs(project, with_programmes=False), sent, None, None)
    messages = [f.message for f in report.findings if "report reçu de 2025" in f.message]
    assert messages == [
        "le report reçu de 2025 indiqué ici (480,00 €) ne suit pas de l'année précédente : le bilan 2025 a laissé "
        "560,00 € à reporter."
    ]
