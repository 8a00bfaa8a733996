"""atfpb check: the reference's defects found in Word and PDF, clean documents clean, each rule caught."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as WordDocument

from generator.build.pipeline import CheckFailed
from generator.build.projects import build
from generator.build.review import check_files
from generator.checks.expectations import Expected, expected_for
from generator.checks.report import FileReport
from generator.checks.run import check_lines
from generator.cli import main
from generator.inputs.project import Inputs, Project, load_inputs
from generator.manifest import Entry
from generator.pdf.convert import convert_to_pdf
from generator.reading.lines import Line, Place, normalise
from generator.reading.pdf import join_hyphenated

from ..helpers import ROOT, reference_text, write_docx

Built = tuple[Project, list[Entry]]


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(Project(ROOT))


@pytest.fixture(scope="module")
def reference_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The reference, as received and corrected, turned into Word and PDF files by the test itself."""
    folder = tmp_path_factory.mktemp("reference")
    docx = {
        "received": write_docx(reference_text(), folder / "recue.docx"),
        "corrected": write_docx(reference_text(corrected=True), folder / "corrigee.docx"),
    }
    pdfs = convert_to_pdf(list(docx.values()), folder).converted
    return {**{f"{k}.docx": v for k, v in docx.items()}, **{f"{k}.pdf": c.pdf for k, c in zip(docx, pdfs, strict=True)}}


def rules_of(report: FileReport) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.rule, []).append(f"{finding.location} | {finding.message} | {finding.excerpt}")
    return found


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_reference_defects_are_reported(inputs: Inputs, reference_files: dict[str, Path], kind: str) -> None:
    (report,) = check_files(
        Project(ROOT), inputs, [reference_files[f"received.{kind}"]], "lourches", "partenord-habitat"
    )
    found = rules_of(report)
    place = r"paragraphe \d+" if kind == "docx" else r"page \d+, ligne \d+"
    assert any("« Louches »" in f for f in found["inconsistent-name"])
    assert any("SIGH" in f for f in found["foreign-party"])
    assert any("numéro manquant" in f and "n° de la Ville" in f for f in found["empty-field"])
    assert any("2014-173" in f and "cohésion sociale" in f for f in found["wrong-legal-reference"])
    assert any("2024-2026" in f for f in found["inconsistent-period"])
    for rule in ("inconsistent-name", "foreign-party", "empty-field", "wrong-legal-reference"):
        assert all(re.match(place, f) for f in found[rule]), found[rule]
    assert report.errors >= 5


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_reference_inferred_without_options(inputs: Inputs, reference_files: dict[str, Path], kind: str) -> None:
    (report,) = check_files(Project(ROOT), inputs, [reference_files[f"received.{kind}"]], None, None)
    assert (report.commune, report.bailleur) == ("lourches", "partenord-habitat")
    assert {"inconsistent-name", "foreign-party", "empty-field", "wrong-legal-reference"} <= set(rules_of(report))


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_corrected_reference_reports_no_error(inputs: Inputs, reference_files: dict[str, Path], kind: str) -> None:
    (report,) = check_files(
        Project(ROOT), inputs, [reference_files[f"corrected.{kind}"]], "lourches", "partenord-habitat"
    )
    assert report.errors == 0, rules_of(report)


@pytest.mark.e2e
def test_every_generated_document_has_no_finding_at_all(built: Built) -> None:
    project, documents = built
    inputs = load_inputs(project)
    paths = [project.root / getattr(d, kind) for d in documents for kind in ("docx", "pdf")]
    reports = check_files(project, inputs, paths, None, None)
    assert {(r.commune, r.bailleur) for r in reports} == {(d.commune, d.bailleur) for d in documents}
    assert [f for r in reports for f in r.findings] == []
    assert all(d.findings == () for d in documents)


# --- variants of a clean document ----------------------------------------------------------
def _lourches(built: Built) -> Path:
    project, documents = built
    entry = next(d for d in documents if d.commune == "lourches")
    return project.root / entry.docx


def _without_article(source: Path, destination: Path, number: int) -> Path:
    document = WordDocument(str(source))
    body = document.element.body
    removing = False
    for paragraph in list(document.paragraphs):
        if paragraph.style.name == "Heading 1":
            removing = paragraph.text.startswith(f"Article {number} ")
        if removing:
            body.remove(paragraph._p)
    document.save(str(destination))
    return destination


def _without_signatory(source: Path, destination: Path, role: str) -> Path:
    document = WordDocument(str(source))
    for cell in (c for row in document.tables[-1].rows for c in row.cells):
        if role in cell.text:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.text = ""
    document.save(str(destination))
    return destination


def _replaced(source: Path, destination: Path, old: str, new: str) -> Path:
    document = WordDocument(str(source))
    changed = 0
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                changed += 1
    assert changed, old
    document.save(str(destination))
    return destination


@pytest.fixture(scope="module")
def variants(built: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("variantes")
    clean = _lourches(built)
    docx = {
        "sans-article": _without_article(clean, folder / "sans-article.docx", 4),
        "sans-signataire": _without_signatory(clean, folder / "sans-signataire.docx", "Maire de Lourches"),
        "numero-altere": _replaced(clean, folder / "numero-altere.docx", "2014-173", "2014-137"),
    }
    pdfs = convert_to_pdf(list(docx.values()), folder).converted
    return {**{f"{k}.docx": v for k, v in docx.items()}, **{f"{k}.pdf": c.pdf for k, c in zip(docx, pdfs, strict=True)}}


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize(
    ("variant", "rule", "words"),
    [
        ("sans-article", "missing-article", "Association des représentants des locataires"),
        ("sans-article", "numbering-gap", "l'article 5 suit l'article 3"),
        ("sans-signataire", "missing-signatory", "le Maire de la commune"),
        ("numero-altere", "wrong-legal-reference", "2014-137"),
        ("numero-altere", "missing-legal-reference", "2014-173"),
    ],
)
def test_a_damaged_clean_document_is_caught(
    inputs: Inputs, variants: dict[str, Path], kind: str, variant: str, rule: str, words: str
) -> None:
    (report,) = check_files(Project(ROOT), inputs, [variants[f"{variant}.{kind}"]], "lourches", "partenord-habitat")
    found = rules_of(report)
    assert rule in found, found
    assert any(words in f for f in found[rule]), found[rule]


# --- the rules one by one, on small texts -----------------------------------------------
def findings_for(inputs: Inputs, texts: list[str], pdf: bool = False) -> dict[str, list[str]]:
    territory = inputs.territory
    commune = next(c for c in territory.communes if c.slug == "lourches")
    expected = expected_for(territory, commune, territory.landlord("partenord-habitat"))
    lines = [
        Line(text, Place.page(1, n)) if pdf else Line(text, Place.paragraph(n)) for n, text in enumerate(texts, start=1)
    ]
    return rules_of(FileReport("x", None, None, tuple(check_lines(lines, expected, inputs.rules))))


@pytest.mark.parametrize(
    ("text", "rule", "words"),
    [
        (
            "Vu l'article 73 de la loi n° 2023-322 du 29 décembre 2023 de finances pour 2024 ;",
            "wrong-legal-reference",
            "2023-322",
        ),
        (
            "Vu l'article 73 de la loi n° 2023-1322 du 30 décembre 2023 de finances pour 2024 ;",
            "wrong-legal-reference",
            "date erronée",
        ),
        (
            "Vu l'article 5 de la loi n° 2014-173 du 21 février 2014 de programmation pour la ville "
            "et la cohésion urbaine",
            "wrong-legal-reference",
            "pas l'article 5",
        ),
        ("Le quartier QP059054 est concerné.", "inconsistent-data", "2015"),
        ("Le quartier QN05999M est concerné.", "inconsistent-data", "n'est pas un QPV"),
        ("Gambetta QN05954M 12", "inconsistent-data", "12 logements indiqués"),
        ("Le QPV Denain QN05950M.", "inconsistent-data", "n'est pas couvert"),
        ("Vu la délibération n° XX du conseil", "empty-field", "à compléter"),
        ("en date du __/__/____ portant", "empty-field", "date laissée à compléter"),
        ("La Ville de {{ commune.nom }} s'engage", "empty-field", "champ de modèle"),
        ("Le texte [...] reste à écrire", "empty-field", "passage laissé"),
        ("Un bilan 2022-2024 sera produit.", "inconsistent-period", "2022-2024"),
        ("La Ville de Denain participe au comité.", "foreign-party", "Denain"),
        ("La VILLE DE DENAIN participe au comité.", "foreign-party", "Denain"),
        ("Maisons et Cités présente ses actions.", "foreign-party", "Maisons & Cités"),
        ("La ville de Lourche s'engage.", "inconsistent-name", "Lourche"),
        ("Partenor Habitat s'engage.", "inconsistent-name", "Partenor Habitat"),
    ],
)
def test_single_rule(inputs: Inputs, text: str, rule: str, words: str) -> None:
    found = findings_for(inputs, [text])
    assert rule in found, found
    assert any(words in f for f in found[rule]), found[rule]


@pytest.mark.parametrize(
    "text",
    [
        "Vu le Contrat Quartiers 2030 signé par l'État, Maisons & Cités, SIA Habitat et la SIGH ;",  # a visa cites acts
        "La maison de quartier accueille les habitants.",  # a common word, not a misspelt name
        "Le contrat couvre la période 2024-2030.",  # the contract's own period
        "la loi n° 2014-173 du 21 février 2014 de programmation pour la ville et la cohésion urbaine",
        "Vu la délibération n° D 24071 en date du 8 avril 2024 ;",
    ],
)
def test_legitimate_text_is_not_flagged(inputs: Inputs, text: str) -> None:
    found = findings_for(inputs, [text])
    flagged = {
        rule
        for rule in found
        if rule not in ("missing-article", "missing-signatory", "missing-legal-reference", "inconsistent-data")
    }
    assert flagged == set(), found


@pytest.mark.parametrize(
    ("texts", "pdf", "flagged"),
    [
        # found by the national benchmark: a long commune name pushes « en date du » to the end of a PDF line
        (["délibération du Conseil municipal de la Ville de Lourches en date du", "26 novembre 2024 ;"], True, False),
        (["Vu la loi n°", "2014-173 du 21 février 2014 ;"], True, False),
        (["délibération du Conseil municipal en date du", ", approuvant la convention ;"], True, True),
        (["délibération du Conseil municipal en date du"], True, True),
        # a Word paragraph ends where its text ends: the next paragraph does not supply the date
        (["délibération du Conseil municipal en date du", "26 novembre 2024 ;"], False, True),
    ],
)
def test_an_empty_field_read_across_a_pdf_line_break(
    inputs: Inputs, texts: list[str], pdf: bool, flagged: bool
) -> None:
    found = findings_for(inputs, texts, pdf=pdf)
    assert ("empty-field" in found) == flagged, found
    if flagged:
        assert all(f.startswith("page 1, ligne 1") or f.startswith("paragraphe 1") for f in found["empty-field"])


@pytest.mark.parametrize(
    ("texts", "flagged"),
    [
        (["Le quartier Saint-Waast – La Sentinelle est concerné."], False),  # an en dash: the exact name is not there
        (["Saint-Waast - La Sentinelle 3 000,00 € 1 000,00 €"], False),
        (["La Ville de La Sentinelle participe au comité."], True),
    ],
)
def test_a_commune_inside_a_quarter_name_cut_by_the_layout(inputs: Inputs, texts: list[str], flagged: bool) -> None:
    """Found by the national benchmark: « Croix Bas Saint Pierre », a quarter of Tourcoing, named Croix a party."""
    found = findings_for(inputs, texts, pdf=True)
    assert ("foreign-party" in found) == flagged, found


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["la Ville de Saint-Maur-", "des-Fossés s'engage"], "la Ville de Saint-Maur-des-Fossés s'engage"),
        (["la Ville de Villeneuve-", "d'Ascq s'engage"], "la Ville de Villeneuve-d'Ascq s'engage"),
        (["la Ville de Saint-", "Amand-les-Eaux"], "la Ville de Saint-Amand-les-Eaux"),
        (["les propri-", "étés du bailleur"], "les propriétés du bailleur"),
    ],
)
def test_a_name_broken_over_two_pdf_lines_is_joined_whole(lines: list[str], joined: str) -> None:
    """Found by the national benchmark: « Saint-Maur- » + « des-Fossés » was read « Saint-Maurdes-Fossés »."""
    assert " ".join(part for part in join_hyphenated(lines) if part) == joined


@pytest.mark.parametrize(
    ("siren", "name", "text", "flagged"),
    [
        # found by the national benchmark: Ville (Oise) is a commune of Noyon's EPCI, Albon one of Saint-Rambert's
        ("246000756", "Noyon", "La Ville de Noyon et la Ville s'engagent avec Ville et Banlieue.", False),
        ("246000756", "Noyon", "La commune de Ville participe au comité.", True),
        ("200040491", "Saint-Rambert-d'Albon", "La Ville de Saint-Rambert-d'Albon s'engage.", False),
        ("200040491", "Saint-Rambert-d'Albon", "La Ville d'Albon s'engage.", True),
    ],
)
def test_a_neighbour_named_like_a_word_or_inside_the_commune_name(
    inputs: Inputs, siren: str, name: str, text: str, flagged: bool
) -> None:
    territory = dataclasses.replace(inputs.territory, epci=dataclasses.replace(inputs.territory.epci, siren=siren))
    commune = dataclasses.replace(next(c for c in territory.communes if c.slug == "lourches"), nom=name)
    expected = expected_for(territory, commune, territory.landlord("partenord-habitat"))
    found = rules_of(
        FileReport("x", None, None, tuple(check_lines([Line(text, Place.paragraph(1))], expected, inputs.rules)))
    )
    assert ("foreign-party" in found) == flagged, found


def test_a_word_of_a_name_written_right_is_no_misspelling(inputs: Inputs) -> None:
    """Found by the national benchmark: « Deux » of the landlord « Habitat Essai Deux » was taken for « Dreux »."""
    territory = inputs.territory
    commune = next(c for c in territory.communes if c.slug == "lourches")
    partenord = territory.landlord("partenord-habitat")
    renamed = dataclasses.replace(partenord, autres_noms=("Habitat de Lourche",))
    territory = dataclasses.replace(
        territory, bailleurs=tuple(renamed if b.slug == partenord.slug else b for b in territory.bailleurs)
    )
    expected = expected_for(territory, commune, renamed)
    texts = ["Habitat de Lourche gère les logements.", "La ville de Lourche s'engage."]
    lines = [Line(text, Place.paragraph(n)) for n, text in enumerate(texts, start=1)]
    found = rules_of(FileReport("x", None, None, tuple(check_lines(lines, expected, inputs.rules))))
    assert [f.split(" | ")[0] for f in found["inconsistent-name"]] == ["paragraphe 2"], found
    # on a PDF page the name may run over two lines (« Habitat Essai » / « Deux à Dreux »)
    texts = ["Les logements de Habitat de", "Lourche à Lourches sont éligibles."]
    lines = [Line(text, Place.page(1, n)) for n, text in enumerate(texts, start=1)]
    found = rules_of(FileReport("x", None, None, tuple(check_lines(lines, expected, inputs.rules))))
    assert "inconsistent-name" not in found, found


def test_numbering_repeated_and_skipped(inputs: Inputs) -> None:
    found = findings_for(
        inputs,
        ["Article 1 – Objet de la convention", "Article 1 – Identification du patrimoine", "Article 3 – Pilotage"],
    )
    assert any("numéroté deux fois" in f for f in found["numbering-gap"])
    assert any("2 manque" in f for f in found["numbering-gap"])


# --- the command ---------------------------------------------------------------------------
@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_cli_text_and_json(reference_files: dict[str, Path], tmp_path: Path, kind: str) -> None:
    broken = tmp_path / "casse.docx"
    broken.write_bytes(b"PK\x03\x04 pas vraiment un zip")
    received = str(reference_files[f"received.{kind}"])
    runner = CliRunner()
    text = runner.invoke(
        main, ["--projet", str(ROOT), "check", received, "--commune", "lourches", "--bailleur", "partenord-habitat"]
    )
    assert text.exit_code == 1
    assert "erreur [inconsistent-name]" in text.output and "« Louches »" in text.output
    assert "erreur [wrong-legal-reference]" in text.output and "fichier(s) vérifié(s)" in text.output
    result = runner.invoke(main, ["--projet", str(ROOT), "check", "--format", "json", received, str(broken)])
    assert result.exit_code == 2
    first, second = json.loads(result.output)
    assert (first["commune"], first["bailleur"]) == ("lourches", "partenord-habitat")
    assert {"rule", "severity", "message", "location", "excerpt"} == set(first["findings"][0])
    assert {"inconsistent-name", "foreign-party", "empty-field", "wrong-legal-reference"} <= {
        f["rule"] for f in first["findings"]
    }
    assert second["findings"] == [] and "illisible" in second["error"]
    assert "Traceback" not in result.output


@pytest.mark.e2e
def test_cli_clean_document_exits_zero(built: Built) -> None:
    result = CliRunner().invoke(main, ["--projet", str(ROOT), "check", str(_lourches(built))])
    assert result.exit_code == 0, result.output
    assert "aucune anomalie" in result.output


@pytest.mark.e2e
def test_build_refuses_a_document_that_fails_its_checks(project: Project) -> None:
    clause = project.clauses / "convention" / "91-report.md"
    clause.write_text(clause.read_text(encoding="utf-8") + "\nVoir la délibération n° XX.\n", encoding="utf-8")
    with pytest.raises(CheckFailed) as caught:
        build(project, ["roeulx"])
    message = str(caught.value)
    assert "convention-atfpb-roeulx-maisons-et-cites" in message and "[empty-field]" in message
    assert not project.output.exists() or [p.name for p in project.output.iterdir()] == []


def test_expected_names_come_from_the_territory(inputs: Inputs) -> None:
    expected = Expected(inputs.territory, "Lourches")
    assert "Denain" in expected.foreign_communes and "Lourches" not in expected.foreign_communes
    assert len(expected.foreign_communes) == 46


@pytest.mark.parametrize(
    ("epci", "text"),
    [
        ("Denain Agglomération", "Le comité réunit Denain Agglomération et la Ville de Lourches."),
        ("Agglo’ de Denain – Escaudain", "L’Agglo’ de Denain – Escaudain préside le comité de pilotage."),
        ("Communauté d'agglomération du Pays d'Escaudain", "La Communauté d'agglomération du Pays d'Escaudain signe."),
    ],
)
def test_the_epcis_own_name_is_no_foreign_commune_whatever_communes_it_names(
    inputs: Inputs, epci: str, text: str
) -> None:
    """Found by trying another EPCI: every mention of « Valenciennes Métropole » was reported as Valenciennes."""
    territory = dataclasses.replace(inputs.territory, epci=dataclasses.replace(inputs.territory.epci, nom=epci))
    commune = next(c for c in territory.communes if c.slug == "lourches")
    expected = expected_for(territory, commune, territory.landlord("partenord-habitat"))

    def foreign(text: str) -> list[str]:
        lines = [Line(normalise(text), Place.paragraph(1))]  # as the readers give them: quotes made plain
        return [f.message for f in check_lines(lines, expected, inputs.rules) if f.rule == "foreign-party"]

    assert foreign(text) == []
    assert foreign("La Ville de Denain signe aussi.") == [
        "la commune « Denain » n'est pas partie à cette convention ; elle y est nommée comme partie "
        "(« La Ville de Denain »)."
    ]


def test_a_negative_amount_printed_with_a_minus_sign_is_a_row_of_its_table(inputs: Inputs) -> None:
    """« −500,00 € » (typographic minus) ends a row: the total below is checked against both rows, not one."""
    rows = [
        "un dépassement.",
        "QPV Abattement 2025 Report Disponible Valorisé Écart",
        "Gambetta (QN05954M) 4 000,00 € 0,00 € 4 000,00 € 3 000,00 € 1 000,00 €",
        "Schneider (QN05952M) 2 000,00 € 0,00 € 2 000,00 € 2 500,00 € −500,00 €",
    ]
    right = findings_for(inputs, [*rows, "Total 6 000,00 € 0,00 € 6 000,00 € 5 500,00 € 500,00 €"], pdf=True)
    assert "amount-mismatch" not in right, right
    wrong = findings_for(inputs, [*rows, "Total 6 000,00 € 0,00 € 6 000,00 € 5 500,00 € 1 500,00 €"], pdf=True)
    assert [f for f in wrong["amount-mismatch"] if "1 500,00 €" in f and "(500,00 €)" in f], wrong
