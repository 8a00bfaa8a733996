"""Word rendering: the docxtpl template filled with the assembled document's Word structure."""

from __future__ import annotations

from pathlib import Path

from docxtpl import DocxTemplate

from ..assemble import AssembledDocument, Edition
from ..errors import ClauseError, Location
from ..templating import make_environment
from . import ooxml
from .markdown import Footnotes, WordRenderer

ANNEX_HEADING = "Annexe {number} – {title}"


def render_docx(document: AssembledDocument, edition: Edition, template: Path, destination: Path) -> None:
    """Write the document as a .docx built from `template`, byte for byte the same for the same inputs."""
    try:
        tpl = DocxTemplate(str(template))
        body, annexes = tpl.new_subdoc(), tpl.new_subdoc()
    except Exception as exc:  # a template Word cannot open is the user's file, not our bug
        raise ClauseError(f"modèle Word illisible ({exc}).", Location(str(template))) from None
    footnotes = Footnotes(ooxml.first_free_footnote_id(tpl.docx))
    _render_body(document, body.subdocx, tpl.docx, footnotes)
    _render_annexes(document, annexes.subdocx, tpl.docx, footnotes)
    context = {
        "corps": body,
        "annexes": annexes,
        "titre_court": document.short_title,
        "mention": edition.mention,
        "signataires": {s.key.replace("-", "_"): s for s in document.signatories},
    }
    try:
        tpl.render(context, jinja_env=make_environment(markdown=False), autoescape=True)
    except Exception as exc:
        raise ClauseError(f"champ invalide dans le modèle Word : {exc}", Location(str(template))) from None
    ooxml.store_footnotes(tpl.docx, footnotes.elements)
    if any(annex.landscape for annex in document.annexes):
        ooxml.landscape_from(tpl.docx, ANNEX_HEADING.format(number=1, title=document.annexes[0].titre))
    ooxml.fix_core_properties(
        tpl.docx,
        document.title,
        document.subject,
        document.author,
        ", ".join(document.keywords),
        ooxml.midnight(document.date),
    )
    tpl.save(str(destination))
    ooxml.freeze_zip(destination, ooxml.midnight(document.date))


def _render_body(document: AssembledDocument, target, main, footnotes: Footnotes) -> None:  # type: ignore[no-untyped-def]
    WordRenderer(target, main, footnotes, source="titre", title_style="Title", centered=True).render(
        document.section("titre")
    )
    for section in ("parties", "visas"):
        WordRenderer(target, main, footnotes, source=section).render(document.section(section))
    for article in document.articles:
        heading = target.add_paragraph(f"Article {article.number} – {article.titre}", style="Heading 1")
        heading.paragraph_format.keep_with_next = True
        WordRenderer(target, main, footnotes, source=article.source).render(article.tokens)
    WordRenderer(target, main, footnotes, source="signatures", keep_together=True).render(
        document.section("signatures")
    )


def _render_annexes(document: AssembledDocument, target, main, footnotes: Footnotes) -> None:  # type: ignore[no-untyped-def]
    for annex in document.annexes:
        heading = target.add_paragraph(ANNEX_HEADING.format(number=annex.number, title=annex.titre), style="Heading 1")
        heading.paragraph_format.keep_with_next = True
        WordRenderer(target, main, footnotes, source=annex.source, compact=True).render(annex.tokens)
