"""The corpus checked as a reviewer would (in the example project, commune and landlord read from each document) and
scored rule by rule: precision (findings that are planted defects) and recall (planted defects found), Word and PDF."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.review import check_files
from generator.checks.document import ERROR, Finding
from generator.checks.report import FileReport
from generator.inputs.project import Project, load_inputs

from .catalogue import CORPUS, Entry, Expect

FORMATS = ("docx", "pdf")
TARGET = 0.95
RULES = (
    "missing-article",
    "numbering-gap",
    "missing-signatory",
    "missing-legal-reference",
    "wrong-legal-reference",
    "inconsistent-name",
    "foreign-party",
    "empty-field",
    "inconsistent-period",
    "inconsistent-data",
    "amount-mismatch",
)


@dataclass
class Outcome:
    """One document in one format: its report, the findings that are planted defects, the others, the defects missed."""

    entry: Entry
    format: str
    report: FileReport
    true: list[tuple[Expect, Finding]] = field(default_factory=list)
    false: list[Finding] = field(default_factory=list)
    missed: list[Expect] = field(default_factory=list)


def check_corpus(files: dict[str, dict[str, Path]], root: Path, entries: tuple[Entry, ...] = CORPUS) -> list[Outcome]:
    project = Project(root)
    inputs = load_inputs(project, with_programmes=False)
    outcomes = []
    for entry in entries:
        for kind in FORMATS:
            (report,) = check_files(project, inputs, [files[entry.name][kind]], None, None)
            outcomes.append(_judged(entry, kind, report))
    return outcomes


def _judged(entry: Entry, kind: str, report: FileReport) -> Outcome:
    outcome = Outcome(entry, kind, report)
    expected = [e for e in entry.expect if kind in e.formats]
    for finding in report.findings:
        planted = next((e for e in expected if _is(finding, e)), None)
        if planted is None:
            outcome.false.append(finding)
        else:
            outcome.true.append((planted, finding))
    found = {e for e, _f in outcome.true}
    outcome.missed = [e for e in expected if e not in found]
    return outcome


def _is(finding: Finding, expect: Expect) -> bool:
    return finding.rule == expect.rule and (expect.words in finding.message or expect.words in finding.excerpt)


@dataclass
class Score:
    """A rule's counts in one format."""

    true: int = 0  # findings that are planted defects
    false: int = 0  # findings that are not
    planted: int = 0
    found: int = 0

    @property
    def precision(self) -> float | None:
        return self.true / (self.true + self.false) if self.true + self.false else None

    @property
    def recall(self) -> float | None:
        return self.found / self.planted if self.planted else None


def scores(outcomes: list[Outcome]) -> dict[tuple[str, str], Score]:
    table: dict[tuple[str, str], Score] = defaultdict(Score)
    for outcome in outcomes:
        for _expect, finding in outcome.true:
            table[(finding.rule, outcome.format)].true += 1
        for finding in outcome.false:
            table[(finding.rule, outcome.format)].false += 1
        for expect in (e for e in outcome.entry.expect if outcome.format in e.formats):
            table[(expect.rule, outcome.format)].planted += 1
            table[(expect.rule, outcome.format)].found += expect not in outcome.missed
    return table


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def summary(outcomes: list[Outcome]) -> tuple[str, bool]:
    """The table of precision and recall by rule and format (Markdown, French), the problems found, and whether
    every target is met."""
    table = scores(outcomes)
    lines = [
        f"Corpus : {len({o.entry.name for o in outcomes})} documents ({len({o.entry.style for o in outcomes})} styles "
        f"maison), chacun en Word et en PDF ; {sum(1 for o in outcomes if o.entry.clean) // 2} sans défaut, "
        f"{sum(len([e for e in o.entry.expect if o.format in e.formats]) for o in outcomes)} défauts posés "
        "(Word et PDF comptés à part).",
        "",
        "| règle | défauts posés (Word / PDF) | rappel Word | précision Word | rappel PDF | précision PDF |",
        "|---|---|---|---|---|---|",
    ]
    met = True
    for rule in RULES:
        word, pdf = table.get((rule, "docx"), Score()), table.get((rule, "pdf"), Score())
        lines.append(
            f"| `{rule}` | {word.planted} / {pdf.planted} | {_ratio(word.recall)} | {_ratio(word.precision)} | "
            f"{_ratio(pdf.recall)} | {_ratio(pdf.precision)} |"
        )
        met = met and all(v is None or v >= TARGET for s in (word, pdf) for v in (s.precision, s.recall))
    problems = []
    for outcome in outcomes:
        where = f"{outcome.entry.name}.{outcome.format}"
        problems += [f"{where} : non trouvé [{e.rule}] « {e.words} »" for e in outcome.missed]
        problems += [f"{where} : fausse alerte [{f.rule}] {f.location} : {f.message}" for f in outcome.false]
        if outcome.entry.clean and any(f.severity == ERROR for f in outcome.report.findings):
            met = False
    met = met and not any(o.missed for o in outcomes)
    lines += ["", *(problems or ["Aucun défaut manqué, aucune fausse alerte."])]
    return "\n".join(lines), met
