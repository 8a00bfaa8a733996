"""Annual avenants: programme data, computed totals, the document read back, the checks on amounts."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from generator.assembly.assemble import assemble_avenant
from generator.build.projects import build
from generator.build.review import check_files
from generator.errors import AtfpbError
from generator.inputs.instances import load_territory
from generator.inputs.programmes import read_programme_yaml, validate
from generator.inputs.project import Inputs, Project, load_inputs
from generator.manifest import Entry
from generator.model.territory import Holding, Qpv
from generator.model.totals import programme_totals

from ..helpers import ROOT, confirmed, location_of, normalise, pdf_text, text_of

Built = tuple[Project, list[Entry]]
PROGRAMME = "instances/programmes/lourches-partenord-habitat-2026.yaml"


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(Project(ROOT))


def programme_2026(inputs: Inputs):  # type: ignore[no-untyped-def]
    return inputs.programme("lourches", "partenord-habitat", 2026)


def test_totals_by_axis_by_qpv_and_overall(inputs: Inputs) -> None:
    commune = next(c for c in inputs.territory.communes if c.slug == "lourches")
    totals = programme_totals(programme_2026(inputs), commune)
    by_axis = {a.numero: a.total_valorise for a in totals.axes}
    assert by_axis == {
        1: Decimal("2200.00"),
        2: 0,
        3: Decimal("1600.00"),
        4: Decimal("1100.00"),
        5: 0,
        6: Decimal("700.00"),
        7: 0,
        8: Decimal("1800.00"),
    }
    gambetta, schneider = totals.qpvs
    assert (gambetta.code, gambetta.valorise, gambetta.disponible) == (
        "QN05954M",
        Decimal("3800.00"),
        Decimal("4120.00"),
    )
    assert (schneider.valorise, schneider.disponible) == (Decimal("3600.00"), Decimal("3230.00"))
    assert sum(by_axis.values()) == totals.total_valorise == gambetta.valorise + schneider.valorise
    assert totals.total_report == Decimal("480.00") and totals.depassement == Decimal("50.00")  # the 2025 bilan's
    assert totals.report_propose == 0 and totals.total_cofinancement == Decimal("200.00")


BASE = confirmed((ROOT / PROGRAMME).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("old", "new", "message", "needle"),
    [
        ("  - axe: 4\n", "  - axe: 9\n", "axe inconnu « 9 »", "9\n"),
        ("  - axe: 4\n", "  - axe: Propreté\n", "axe inconnu « Propreté »", "Propreté"),
        (
            "    qpv: QN05952M\n    cout_total: 1400",
            "    qpv: QN05950M\n    cout_total: 1400",
            "le QPV QN05950M n'est pas couvert par la convention",
            "QN05950M",
        ),
        ("    cout_total: 1400\n", "    cout_total: 900\n", "dépasse le coût total", "1100\n"),
        (
            "      QN05952M: 700\n",
            "      QN05952M: 650\n",
            "la répartition entre QPV (1\u00a0550,00\u00a0€)",
            "QN05954M: 900",
        ),
        ("annee: 2026", "annee: 2031", "l'année 2031 sort de la période de la convention", "2031"),
        ("    cout_total: 1400\n", "    cout_total: beaucoup\n", "« cout_total » doit être un montant", "beaucoup"),
        ("    cout_total: 1400\n", "    cout_total: -1400\n", "doit être un montant positif", "-1400"),
        ("    calendrier: Second", "    calendrir: Second", "Vouliez-vous dire « calendrier »", "calendrir"),
        (
            "bailleur: Partenord Habitat",
            "bailleur: SIA Habitat",
            "aucune convention entre la Ville de Lourches",
            "SIA Habitat",
        ),
    ],
)
def test_programme_file_errors_are_located(project: Project, old: str, new: str, message: str, needle: str) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    path = project.root / PROGRAMME
    path.write_text(text, encoding="utf-8")
    territory = load_territory(project.instances, project.root)
    with pytest.raises(AtfpbError) as caught:
        programme = read_programme_yaml(path, PROGRAMME, territory)
        problems = validate(programme, territory)
        if problems:
            raise problems[0]
    error = str(caught.value)
    assert message in error
    assert error.startswith(f"{PROGRAMME}:{location_of(text, needle)}: "), error


# --- the built avenant, read back -----------------------------------------------------------
def avenant(built: Built, year: int) -> Entry:
    return next(d for d in built[1] if d.kind == "avenant" and d.year == year)


def test_more_than_three_quarters_get_a_table_by_axis_and_one_by_quarter(inputs: Inputs) -> None:
    """Found by the national benchmark: one column per quarter broke words at Limoges (9 QPV) and Marseille (41)."""
    territory = inputs.territory
    lourches = next(c for c in territory.communes if c.slug == "lourches")
    quarters = tuple(Qpv(f"QN0599{n}M", f"Quartier {n}", (lourches.insee,), (lourches.nom,)) for n in range(1, 5))
    commune = dataclasses.replace(
        lourches, qpv=quarters, patrimoine=(Holding("partenord-habitat", tuple((q.code, 10) for q in quarters)),)
    )
    base = programme_2026(inputs)
    actions = tuple(
        dataclasses.replace(a, repartition=((quarters[i % 4].code, a.montant_valorise),))
        for i, a in enumerate(base.actions)
    )
    abatement = tuple((q.code, Decimal(5000)) for q in quarters)
    programme = dataclasses.replace(base, abattement=abatement, report=(), actions=actions)
    landlord = territory.landlord("partenord-habitat")
    document = assemble_avenant(territory, commune, landlord, programme, inputs.avenant_clauses, inputs.references)
    (article,) = [a for a in document.articles if a.clause_id == "financement"]
    cells = [text_of([t]) for t in article.tokens if t.type == "inline"]
    assert cells[cells.index("Axe") + 1] == "Montant valorisé"  # the axis table: no column per quarter
    first = cells.index("Quartier prioritaire")
    assert cells[first : first + 3] == ["Quartier prioritaire", "Axe", "Montant valorisé"]
    assert {c.split(" (")[0] for c in cells if "(QN0599" in c} == {q.nom for q in quarters}


@pytest.mark.e2e
@pytest.mark.parametrize("reader", ["docx", "pdf"])
def test_avenant_2026_shows_actions_totals_carry_over_and_signatories(built: Built, reader: str) -> None:
    entry = avenant(built, 2026)
    path = built[0].root / (entry.docx if reader == "docx" else entry.pdf)
    if reader == "pdf":
        text = pdf_text(path)
    else:
        text = normalise(
            subprocess.run(
                ["pandoc", "-t", "plain", "--wrap=none", str(path)], capture_output=True, text=True, check=True
            ).stdout.replace("|", " ")
        )
        text = normalise(Document(str(path)).paragraphs[0].text) + " " + text  # pandoc keeps the Title as metadata
    for title in (
        "Présence renforcée du gardien en fin de journée",
        "Nettoyage renforcé des halls",
        "Collectes d'encombrants au pied des immeubles",
        "Réunions de concertation sur le cadre de vie",
        "Remplacement de l'éclairage des parkings",
    ):
        assert title in text
    assert "Avenant n° 2 à la convention d'utilisation de l'ATFPB" in text
    rows = text
    if reader == "pdf":  # table rows read across, as laid out on the page
        layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
        rows = "\n".join(normalise(line) for line in layout.stdout.splitlines())
    for row in ("Total 3 800,00 € 3 600,00 € 7 400,00 €", "Total 6 870,00 € 480,00 € 7 350,00 € 7 400,00 € −50,00 €"):
        assert row in rows  # per QPV and overall, equal to the sums of the lines
    assert "report" in text and "480,00 €" in text and "dépasse de 50,00 €" in text
    for name in ("M. Bertrand GAUME", "M. Aymeric ROBIN", "Mme Dalila DUWEZ-GUESMIA", "M. Denis AUBOIS"):
        assert name in text
    assert "30 avril 2026" in text and "31 mai 2027" in text and "31 décembre 2026" in text


@pytest.mark.e2e
def test_axis_lines_add_up_in_the_word_tables(built: Built) -> None:
    document = Document(str(built[0].root / avenant(built, 2026).docx))
    by_axis = next(t for t in document.tables if t.rows[0].cells[0].text == "Axe")
    amounts = [[_euros(c.text) for c in row.cells[1:]] for row in by_axis.rows[1:]]
    *lines, total = amounts
    for column in range(len(total)):
        assert sum(line[column] for line in lines) == total[column]
    for line in lines:
        assert sum(line[:-1]) == line[-1]


def _euros(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d,-]", "", text).replace(",", "."))


@pytest.mark.e2e
def test_french_typography_of_amounts_in_word(built: Built) -> None:
    text = "\n".join(p.text for p in Document(str(built[0].root / avenant(built, 2026).docx)).paragraphs)
    assert "7\u00a0400,00\u00a0€" in text and "30\u00a0avril\u00a02026" in text
    assert "24\u00a0avril\u00a02026" not in text  # the avenant's date is no signature date: the last signature's is


@pytest.mark.e2e
def test_annex_is_landscape(built: Built) -> None:
    reader = PdfReader(built[0].root / avenant(built, 2026).pdf)
    first, last = reader.pages[0].mediabox, reader.pages[-1].mediabox
    assert first.width < first.height and last.width > last.height
    assert "Annexe 1 – Détail des actions du programme" in [o.title for o in reader.outline if not isinstance(o, list)]


@pytest.mark.e2e
def test_a_total_altered_by_hand_is_an_amount_mismatch(built: Built, inputs: Inputs, tmp_path: Path) -> None:
    document = Document(str(built[0].root / avenant(built, 2026).docx))
    by_axis = next(t for t in document.tables if t.rows[0].cells[0].text == "Axe")
    cell = by_axis.rows[-1].cells[-1]
    (run,) = [r for r in cell.paragraphs[0].runs if r.text]
    run.text = "7 500,00 €"
    altered = tmp_path / "avenant-altere.docx"
    document.save(str(altered))
    (report,) = check_files(Project(ROOT), inputs, [altered], "lourches", "partenord-habitat")
    messages = [f.message for f in report.findings if f.rule == "amount-mismatch"]
    assert any("7 500,00 €" in m and "7 400,00 €" in m for m in messages), report.findings


@pytest.mark.e2e
def test_a_shortfall_without_carry_over_is_an_amount_mismatch(project: Project) -> None:
    path = project.root / PROGRAMME
    path.write_text(BASE.replace("montant_valorise: 1800", "montant_valorise: 1000"), encoding="utf-8")
    result = build(project, ["lourches"], year=2026)
    entry = next(e for e in result.built if e.kind == "avenant")
    assert entry.findings == ()
    document = Document(str(project.root / entry.docx))
    for paragraph in document.paragraphs:  # staff delete the carry-over sentence by hand
        if "report" in paragraph.text.lower() and "750,00" in paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)
    edited = project.root / "avenant-sans-report.docx"
    document.save(str(edited))
    (report,) = check_files(project, load_inputs(project), [edited], None, None)
    assert any(f.rule == "amount-mismatch" and "report de 750,00 €" in f.message for f in report.findings)


@pytest.mark.e2e
def test_year_option_and_a_300_action_programme(project: Project) -> None:
    actions = "".join(
        f"  - axe: {n % 8 + 1}\n    titre: Action numéro {n}\n    qpv: QN05954M\n    cout_total: 100\n"
        f"    montant_valorise: 10\n"
        for n in range(1, 301)
    )
    text = BASE.split("actions:\n")[0] + "actions:\n" + actions
    (project.instances / "programmes" / "lourches-partenord-habitat-2026.yaml").write_text(text, encoding="utf-8")
    result = build(project, ["lourches"], year=2026)
    (entry,) = [e for e in result.built if e.kind == "avenant"]
    assert entry.year == 2026 and entry.findings == ()
    pages = subprocess.run(
        ["pdftotext", str(project.root / entry.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    annex = [p for p in pages if "Action numéro" in p and "Pluriannuelle" in p]
    assert len(annex) >= 3  # the table runs over several pages, its header row repeated on each
    text = normalise(" ".join(pages))
    assert all(f"Action numéro {n}" in text for n in (1, 150, 300))
    assert "3 000,00 €" in text  # 300 × 10 €


@pytest.mark.e2e
def test_a_template_filled_by_the_landlord_builds_into_an_avenant(project: Project) -> None:
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from generator.cli import main
    from generator.inputs.workbook.layout import ABATEMENT, ACTIONS, COLUMN, FIRST_ACTION_ROW, FIRST_QPV_ROW

    target = project.instances / "programmes" / "escaudain-sia-habitat-2027.xlsx"
    result = CliRunner().invoke(
        main,
        ["--projet", str(project.root), "programme-template", "escaudain", "SIA Habitat", "2027", "--out", str(target)],
    )
    assert result.exit_code == 0, result.output
    assert "Classeur écrit" in result.output
    workbook = load_workbook(target)
    abatement = workbook[ABATEMENT]
    assert abatement.cell(FIRST_QPV_ROW, 1).value == "QN05953M"
    abatement.cell(FIRST_QPV_ROW, 4).value = 2500
    actions = workbook[ACTIONS]
    rows = [
        ("5 - Tranquillité résidentielle", "Médiation de soirée", 3000, 2000),
        ("7 - Animation, lien social, vivre ensemble", "Fête de quartier", 800, "450,50"),
    ]
    for offset, (axis, title, cost, valued) in enumerate(rows):
        row = FIRST_ACTION_ROW + offset
        actions.cell(row, COLUMN["axe"]).value = axis
        actions.cell(row, COLUMN["titre"]).value = title
        actions.cell(row, COLUMN["qpv"]).value = "QN05953M"
        actions.cell(row, COLUMN["cout_total"]).value = cost
        actions.cell(row, COLUMN["montant_valorise"]).value = valued
    workbook.save(target)
    built = build(project, ["escaudain"], year=2027).built
    (entry,) = [e for e in built if e.kind == "avenant"]
    assert (entry.commune, entry.bailleur, entry.year, entry.findings) == ("escaudain", "sia-habitat", 2027, ())
    text = pdf_text(project.root / entry.pdf)
    assert "Médiation de soirée" in text and "Fête de quartier" in text
    assert "2 450,50 €" in text and "49,50 €" in text  # valued total; the rest, proposed for carry-over to 2028
    assert "2028" in text


def test_template_for_a_pair_without_convention_is_refused(project: Project) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(
        main, ["--projet", str(project.root), "programme-template", "escaudain", "maisons-et-cites", "2027"]
    )
    assert result.exit_code == 1
    assert "aucune convention entre la Ville d'Escaudain et Maisons & Cités" in result.output
    assert not (project.output / "programmes").exists()
