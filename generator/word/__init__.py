"""Word rendering: the docxtpl template filled with the assembled document's Word structure."""

from __future__ import annotations

import io
from pathlib import Path

from docx.blkcntnr import BlockItemContainer
from docx.document import Document
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
        tpl.init_docx()
    except Exception as exc:  # a template Word cannot open is the user's file, not our bug
        raise ClauseError(f"modèle Word illisible ({exc}).", Location(str(template))) from None
    footnotes, styles = Footnotes(ooxml.first_free_footnote_id(tpl.docx)), ooxml.StyleIds(tpl.docx)
    body, annexes = ooxml.new_body(tpl.docx), ooxml.new_body(tpl.docx)
    _render_body(document, body, tpl.docx, footnotes, styles)
    _render_annexes(document, annexes, tpl.docx, footnotes, styles)
    context = {
        "corps": ooxml.body_xml(body),
        "annexes": ooxml.body_xml(annexes),
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
    package = io.BytesIO()
    tpl.save(package)
    ooxml.write_frozen_zip(package, destination, ooxml.midnight(document.date))


def _render_body(
    document: AssembledDocument,
    target: BlockItemContainer,
    main: Document,
    footnotes: Footnotes,
    styles: ooxml.StyleIds,
) -> None:
    shared = (target, main, footnotes, styles)
    WordRenderer(*shared, source="titre", title_style="Title", centered=True).render(document.section("titre"))
    for section in ("parties", "visas"):
        WordRenderer(*shared, source=section).render(document.section(section))
    for article in document.articles:
        _heading(target, styles, f"Article {article.number} – {article.titre}")
        WordRenderer(*shared, source=article.source).render(article.tokens)
    WordRenderer(*shared, source="signatures", keep_together=True).render(document.section("signatures"))


def _render_annexes(
    document: AssembledDocument,
    target: BlockItemContainer,
    main: Document,
    footnotes: Footnotes,
    styles: ooxml.StyleIds,
) -> None:
    for annex in document.annexes:
        _heading(target, styles, ANNEX_HEADING.format(number=annex.number, title=annex.titre))
        WordRenderer(target, main, footnotes, styles, source=annex.source, compact=True).render(annex.tokens)


def _heading(target: BlockItemContainer, styles: ooxml.StyleIds, text: str) -> None:
    heading = target.add_paragraph(text)
    ooxml.set_style(heading._p, styles("Heading 1"))
    heading.paragraph_format.keep_with_next = True
