"""The corpus of other house styles, in Word and PDF: clean documents clean, planted defects found, precision and
recall at least 0.95 per rule and format, Word and PDF alike, and what could not be checked said."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.checks.document import ERROR

from ..helpers import ROOT
from .corpus.build import build_corpus
from .corpus.catalogue import CORPUS
from .corpus.score import RULES, TARGET, Outcome, check_corpus, scores, summary
from .corpus.styles import STYLES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    return check_corpus(build_corpus(tmp_path_factory.mktemp("corpus")), ROOT)


def test_the_corpus_is_what_the_issue_asks() -> None:
    assert len(CORPUS) >= 20
    assert len({entry.style for entry in CORPUS}) >= 6 and set(STYLES) == {entry.style for entry in CORPUS}
    assert {entry.name[0] for entry in CORPUS} == {"c", "a"}  # conventions and avenants
    planted = {expect.rule for entry in CORPUS for expect in entry.expect}
    assert planted == set(RULES)


def test_every_clean_document_gives_no_error_in_either_format(outcomes: list[Outcome]) -> None:
    errors = [
        f"{o.entry.name}.{o.format}: {f.rule} {f.location} {f.message}"
        for o in outcomes
        if o.entry.clean
        for f in o.report.findings
        if f.severity == ERROR
    ]
    assert errors == []


def test_every_planted_defect_is_found(outcomes: list[Outcome]) -> None:
    missed = [f"{o.entry.name}.{o.format}: [{e.rule}] {e.words}" for o in outcomes for e in o.missed]
    assert missed == []


def test_precision_and_recall_per_rule_and_format(outcomes: list[Outcome]) -> None:
    table = scores(outcomes)
    low = {
        key: (score.precision, score.recall)
        for key, score in table.items()
        if any(value is not None and value < TARGET for value in (score.precision, score.recall))
    }
    assert low == {}, summary(outcomes)[0]
    assert summary(outcomes)[1]


def test_word_and_pdf_give_the_same_findings(outcomes: list[Outcome]) -> None:
    """Same codes in the same articles; only what a PDF cannot carry differs (an invisible character)."""
    by_file = {(o.entry.name, o.format): o for o in outcomes}
    for entry in CORPUS:
        word, pdf = by_file[(entry.name, "docx")], by_file[(entry.name, "pdf")]
        word_only = {e for e in entry.expect if e.formats == ("docx",)}
        shown = [(e, f) for e, f in word.true if e not in word_only]
        assert sorted(_key(f) for _e, f in shown) == sorted(_key(f) for _e, f in pdf.true), entry.name


def _key(finding) -> tuple[str, int | None]:  # type: ignore[no-untyped-def]
    return finding.rule, finding.location.article


def test_what_could_not_be_checked_is_said_in_one_line(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        notes = outcome.report.notes
        if outcome.entry.scope == "projet":
            assert notes == (), outcome.entry.name
            continue
        assert len(notes) == 1 and "\n" not in notes[0], outcome.entry.name
        if outcome.entry.scope == "national":
            assert "atfpb init DOSSIER --epci" in notes[0] and "noms des signataires" in notes[0]
        else:
            assert f"instances/communes/{outcome.report.commune}.yaml" in notes[0]


def test_another_territory_is_not_checked_against_this_ones_people(outcomes: list[Outcome]) -> None:
    for outcome in (o for o in outcomes if o.entry.scope == "national"):
        people = [f.message for f in outcome.report.findings if f.rule == "missing-signatory"]
        assert people == [], outcome.entry.name
        assert outcome.report.commune in {"anzin", "avignon", "le-port"}


def test_the_corpus_command_prints_the_table(outcomes: list[Outcome], tmp_path: Path) -> None:
    text, met = summary(outcomes)
    assert met and "| `foreign-party` |" in text and "Aucun défaut manqué, aucune fausse alerte." in text
