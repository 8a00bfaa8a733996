"""`atfpb compare`: the sent and the received document read, aligned, each change weighed and grouped by article; the
partner's own tracked changes and comments listed; the Word redline written by LibreOffice."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..checks.document import Finding
from ..checks.run import check_lines
from ..checks.titles import title_matches
from ..errors import MisuseError
from ..inputs.project import Inputs, Project
from ..reading.document import read_document
from ..reading.lines import Line, Place
from .align import Change, align
from .classify import CHECK, DATA, Concern, Pair, text_concerns
from .fields import CommuneFile
from .figures import Data, figure_concerns
from .markup import Markup, accepted_copy, read_markup
from .redline import Redline, default_out, write_redline
from .subject import Selection, Sent, Subject, project_inputs, sent_from_manifest, sent_from_path, subject_of
from .units import Text, text_of

DATA_RULE = "inconsistent-data"
PREAMBLE, MARGINS = -1, 1000  # sections before the first article and in the margins, sorted around the articles
PDF_REDLINE = (
    "pas de document Word annoté pour un PDF reçu : LibreOffice ne compare que des documents Word "
    "(demandez le fichier Word au partenaire) ; le rapport compare les textes."
)


@dataclass(frozen=True)
class Weighed:
    """A change and what it touches."""

    change: Change
    concerns: tuple[Concern, ...]


@dataclass(frozen=True)
class Section:
    """The changes of one article (or of what precedes the articles, or of the margins)."""

    article: int | None
    title: str
    required: bool
    changes: tuple[Weighed, ...]


@dataclass(frozen=True)
class Comparison:
    """What `atfpb compare` reports."""

    sent: str
    received: str
    subject: str
    sections: tuple[Section, ...]
    markup: Markup
    findings: tuple[Finding, ...]  # the received document's new findings that no change explains by its place
    redline: Redline | None
    notes: tuple[str, ...] = ()

    @property
    def changes(self) -> int:
        return sum(len(section.changes) for section in self.sections)

    @property
    def identical(self) -> bool:
        """The same text (after normalisation), and no tracked change nor comment left by the partner."""
        return not (self.changes or self.markup.changes or self.markup.comments)


def exit_code(comparison: Comparison) -> int:
    """0 when identical, 1 when anything differs (an unreadable document raised with exit code 2 before)."""
    return 0 if comparison.identical else 1


def compare_documents(
    project: Project | None,
    documents: Sequence[Path],
    selection: Selection | None = None,
    out: Path | None = None,
    redline: bool = True,
) -> Comparison:
    """Compare the document sent (a path, or the manifest's by `selection`) with the one received (last path)."""
    selection = selection or Selection()
    inputs = project_inputs(project)
    sent, received = _documents(project, inputs, documents, selection)
    _refuse_overwriting(out, sent, received)
    received_lines, markup = _read_received(received)
    received_is_pdf = _is_pdf(received)
    sent_lines = read_document(sent.read_for(received_is_pdf))
    subject = subject_of(project, inputs, sent, sent_lines, selection)
    titles = subject.rules.known_titles(subject.kind)
    pair = _pair(text_of(sent_lines, titles), text_of(received_lines, titles), subject)
    markup = _with_articles(markup, pair.received)
    changes = align(pair.sent.units, pair.received.units, laid_out=pair.sent.laid_out or pair.received.laid_out)
    findings = _new_findings(sent_lines, received_lines, subject)
    data = Data(subject.expected, _commune_file(subject))
    weighed, attached = _weighed(changes, pair, data, findings)
    made = None
    if redline and changes:
        made = _redline(sent, received, received_is_pdf, out)
    return Comparison(
        sent.shown,
        str(received),
        subject.title,
        _sections(weighed, pair),
        markup,
        tuple(f for f in findings if f not in attached),
        made,
        sent.notes,
    )


def _documents(
    project: Project | None, inputs: Inputs | None, documents: Sequence[Path], selection: Selection
) -> tuple[Sent, Path]:
    if project is None and selection.bailleur:
        raise MisuseError("--bailleur ne s'emploie que dans un projet, qui connaît ses bailleurs (voir --projet).")
    if len(documents) == 2:
        return sent_from_path(project, documents[0]), documents[1]
    if len(documents) != 1:
        raise MisuseError("donnez le document envoyé puis le document reçu (atfpb compare ENVOYE RECU).")
    if project is None or inputs is None:
        raise MisuseError(
            "hors d'un projet, donnez les deux documents : atfpb compare ENVOYE RECU (ou --projet DOSSIER)."
        )
    return sent_from_manifest(project, inputs, selection), documents[0]


def _refuse_overwriting(out: Path | None, sent: Sent, received: Path) -> None:
    """The redline never replaces the documents compared."""
    if out is None:
        return
    compared = [path.resolve() for path in (received, sent.docx, sent.pdf) if path is not None]
    if out.resolve() in compared:
        raise MisuseError(f"--out {out} désigne un des documents comparés : choisissez un autre fichier.")


def _read_received(path: Path) -> tuple[tuple[Line, ...], Markup]:
    """The received document's text as proposed (its tracked changes accepted), and its own markup."""
    lines = read_document(path)  # refuses what is neither Word nor PDF, or damaged, with exit code 2
    markup = read_markup(path)
    if not markup.changes:
        return lines, markup
    with tempfile.TemporaryDirectory(prefix="atfpb-recu-") as folder:
        return read_document(accepted_copy(path, Path(folder))), markup


def _with_articles(markup: Markup, text: Text) -> Markup:
    """The partner's markup located with the article of its paragraph (or of the paragraph before, once emptied)."""
    lines = text.document.lines
    known = {_bare(line.place): text.document.where(index) for index, line in enumerate(lines)}

    def located(place: Place | None) -> Place | None:
        if place is None or place in known:
            return known.get(place) if place else None
        before = [p for p in known.values() if p.part == place.part and (p.number or 0) <= (place.number or 0)]
        article = before[-1].article if before else None
        return replace(place, article=article)

    changes = tuple(replace(c, place=located(c.place) or c.place) for c in markup.changes)
    return Markup(changes, tuple(replace(c, place=located(c.place)) for c in markup.comments))


def _is_pdf(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(5).startswith(b"%PDF")


def _pair(sent: Text, received: Text, subject: Subject) -> Pair:
    expected, rules = subject.expected, subject.rules
    landlord_names = expected.landlord.names if expected.landlord else ()
    signatories = tuple(
        (
            rule.role,
            rule.libelle,
            tuple(w for m in rule.motifs for w in (landlord_names if m == "{bailleur}" else (m,))),
        )
        for rule in rules.signatories
    )
    people = {}
    for rule in rules.signatories:
        person = expected.person(rule.role)
        if person:
            people[rule.role] = (person, _person_source(rule.role, subject))
    required = tuple(article.titles for article in rules.articles(subject.kind))
    return Pair(sent, received, subject.kind, required, rules.references, signatories, people)


def _person_source(role: str, subject: Subject) -> str:
    commune = subject.expected.commune
    if role == "maire" and commune is not None and commune.source:
        return str(CommuneFile(subject.project.root, commune.source).mayor()) if subject.project else commune.source
    return "instances/territoire.yaml" if subject.project else "le référentiel national"


def _commune_file(subject: Subject) -> CommuneFile | None:
    commune = subject.expected.commune
    if subject.project is None or commune is None or not commune.source:
        return None
    return CommuneFile(subject.project.root, commune.source)


def _new_findings(sent: Sequence[Line], received: Sequence[Line], subject: Subject) -> tuple[Finding, ...]:
    """The received document's findings that the sent document did not have."""
    before = {(f.rule, f.message) for f in check_lines(sent, subject.expected, subject.rules)}
    return tuple(f for f in check_lines(received, subject.expected, subject.rules) if (f.rule, f.message) not in before)


def _weighed(
    changes: Sequence[Change], pair: Pair, data: Data, findings: Sequence[Finding]
) -> tuple[list[Weighed], set[Finding]]:
    attached: set[Finding] = set()
    weighed = []
    for change in changes:
        found = [f for f in findings if f not in attached and _located_in(f, change, pair)]
        attached.update(found)
        concerns = [*text_concerns(change, pair), *figure_concerns(change, pair, data)]
        explained = any(c.kind == DATA for c in concerns)  # the field named says more than the check's message
        concerns += [Concern(CHECK, _finding_text(f)) for f in found if not (explained and f.rule == DATA_RULE)]
        weighed.append(Weighed(change, tuple(concerns)))
    return weighed, attached


def _located_in(finding: Finding, change: Change, pair: Pair) -> bool:
    """A finding on one of the received lines of a change, or on its table row."""
    if change.received is None:
        return False
    units = pair.received.row_of(change.received)
    places = {place for unit in units for place in pair.received.line_places(unit)}
    return _bare(finding.location) in places


def _bare(place: Place) -> Place:
    return Place(place.part, place.number, place.line, place.row, place.column)


def _finding_text(finding: Finding) -> str:
    severity = "erreur" if finding.severity == "error" else "avertissement"
    return f"contrôle ({severity}, {finding.rule}) : {finding.message}"


def _sections(weighed: Sequence[Weighed], pair: Pair) -> tuple[Section, ...]:
    grouped: dict[int, list[Weighed]] = {}
    for item in weighed:
        grouped.setdefault(_section_key(item.change, pair), []).append(item)
    titles = {h.number: h.title for h in pair.received.document.headings if h.number is not None}
    titles.update({h.number: h.title for h in pair.sent.document.headings if h.number is not None})
    sections = []
    for key in sorted(grouped):
        if key == PREAMBLE:
            title, article = "Avant les articles (titre, parties, visas)", None
        elif key == MARGINS:
            title, article = "En-têtes, pieds de page et notes", None
        else:
            title, article = f"Article {key} – {titles.get(key, '(titre non reconnu)')}", key
        required = article is not None and pair.required_article(titles.get(article, ""))
        sections.append(Section(article, title, required, tuple(grouped[key])))
    return tuple(sections)


def _section_key(change: Change, pair: Pair) -> int:
    """The sent document's article of a change (an added unit: the article whose title the received one carries)."""
    unit = change.sent or change.received
    assert unit is not None
    if unit.place.in_margin:
        return MARGINS
    if change.sent is not None:
        return change.sent.article if change.sent.article is not None else PREAMBLE
    number = unit.article
    if number is None:
        return PREAMBLE
    received_title = next((h.title for h in pair.received.document.headings if h.number == number), "")
    same = [h.number for h in pair.sent.document.headings if h.number and title_matches(received_title, h.title, False)]
    return same[0] if same else number


def _redline(sent: Sent, received: Path, received_is_pdf: bool, out: Path | None) -> Redline:
    if received_is_pdf:
        return Redline(None, problem=PDF_REDLINE)
    if sent.docx is None:
        return Redline(None, problem=f"pas de document annoté : le fichier Word envoyé ({sent.shown}) est introuvable.")
    return write_redline(sent.docx, received, out or default_out(received))
