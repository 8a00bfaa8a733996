"""The docxtpl template filled with the assembled document rendered to Word: body, annexes, header, properties."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from docx.opc.oxml import serialize_part_xml

from ..assembly.document import AssembledDocument, Edition
from ..errors import ClauseError, Location
from . import ooxml, wordml
from .archive import write_archive
from .markdown import Footnotes, Story, WordRenderer
from .package import DocumentPackage
from .properties import FileProperties
from .tables import ANNEX, BODY
from .template import compiled_template

ANNEX_HEADING = "Annexe {number} – {title}"


def render_docx(document: AssembledDocument, edition: Edition, template: Path, destination: Path) -> None:
    """Write the document as a .docx built from `template`, byte for byte the same for the same inputs."""
    compiled = compiled_template(template)
    package = DocumentPackage(compiled)
    footnotes = Footnotes(compiled.first_footnote_id)
    body = Story(wordml.Body(), package, footnotes, compiled.styles, _pictures(document))
    annexes = dataclasses.replace(body, body=wordml.Body())
    _render_body(document, body)
    _render_annexes(document, annexes)
    bodies = {"corps": body.body.xml(), "annexes": annexes.body.xml()}
    try:
        filled = compiled.fill(_context(document, edition), bodies, _file_properties(document, edition))
    except Exception as exc:
        raise ClauseError(f"champ invalide dans le modèle Word : {exc}", Location(str(template))) from None
    if any(annex.landscape for annex in document.annexes):
        ooxml.landscape_from(filled.document, ANNEX_HEADING.format(number=1, title=document.annexes[0].titre))
    changed = {**filled.parts, compiled.docx.part.partname: serialize_part_xml(filled.document)}
    notes = package.store_footnotes(filled.footnotes, footnotes.elements)
    if compiled.footnotes is not None and notes is not None:
        changed[compiled.footnotes.part.partname] = notes
    write_archive(destination, package.entries(changed), ooxml.midnight(document.date))


def _context(document: AssembledDocument, edition: Edition) -> dict[str, Any]:
    """The template's fields besides the bodies."""
    return {
        "titre_court": document.short_title,
        "mention": edition.mention,
        "signataires": {s.key.replace("-", "_"): s for s in document.signatories},
    }


def _pictures(document: AssembledDocument) -> dict[str, bytes]:
    """The document's charts drawn (matplotlib is loaded only for a document that has one)."""
    if not document.charts:
        return {}
    from .chart import bar_chart_png

    return {chart.reference: bar_chart_png(chart) for chart in document.charts}


def _file_properties(document: AssembledDocument, edition: Edition) -> FileProperties:
    return FileProperties(
        title=document.title,
        subject=document.subject,
        author=document.author,
        keywords=", ".join(document.keywords),
        description=f"{document.title}. {edition.status}. Document préparé avec atfpb.",
        status=edition.status,
        when=ooxml.midnight(document.date),
    )


def _render_body(document: AssembledDocument, story: Story) -> None:
    """Title, parties, visas, numbered articles, then « Fait à … » kept with the end of the text; the title, the visas
    and the signatures open a block of the outline, as the articles do (bookmarks of the PDF)."""
    _section(story, document, "titre", title_style="Title", centered=True)
    _section(story, document, "parties", outline=False)
    _section(story, document, "visas")
    for article in document.articles:
        _heading(story, f"Article {article.number} – {article.titre}")
        WordRenderer(story, source=article.source, room=BODY).render(article.tokens)
    story.body.keep_last_with_next()  # never a signature page without text of the contract
    _section(story, document, "signatures", keep_together=True)


def _section(story: Story, document: AssembledDocument, name: str, outline: bool = True, **options: Any) -> None:
    start = len(story.body.blocks)
    WordRenderer(story, source=name, room=BODY, **options).render(document.section(name))
    opening = next((b for b in story.body.blocks[start:] if isinstance(b, wordml.Paragraph)), None)
    if outline and opening is not None:
        opening.put("w:outlineLvl", wordml.outline_level(0))


def _render_annexes(document: AssembledDocument, story: Story) -> None:
    for annex in document.annexes:
        _heading(story, ANNEX_HEADING.format(number=annex.number, title=annex.titre))
        room = ANNEX[annex.landscape]
        WordRenderer(story, source=annex.source, compact=True, room=room).render(annex.tokens)


def _heading(story: Story, text: str) -> None:
    heading = story.body.add_paragraph()
    heading.put("w:pStyle", wordml.style(story.styles("Heading 1")))
    heading.put("w:keepNext", wordml.KEEP_NEXT)
    heading.runs.append(wordml.run(text))
