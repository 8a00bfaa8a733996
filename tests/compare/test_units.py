"""The comparison's pure stages, without LibreOffice: keys, alignment, the partner's markup, the data's fields."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from generator.checks.expectations import expected_for
from generator.compare.align import ADDED, DELETED, MODIFIED, MOVED, align
from generator.compare.classify import DATA, OBLIGATION, Pair, text_concerns
from generator.compare.fields import CommuneFile
from generator.compare.figures import Data, figure_concerns
from generator.compare.markup import DELETION, INSERTION, accepted_copy, read_markup, uncommented_copy
from generator.compare.units import key, text_of
from generator.inputs.project import Project, load_inputs
from generator.reading.document import read_document
from generator.reading.lines import Line, Place, UnreadableDocument

from ..helpers import ROOT, render
from .returned import COMMENT, COMMENTER, TRACKER, add_comment, track_replacement

TITLES = ("Premier article", "Second article")


def paragraphs(*texts: str) -> list[Line]:
    return [
        Line(text, Place.paragraph(number), heading=text.startswith("Article"))
        for number, text in enumerate(texts, start=1)
    ]


def test_retyping_is_no_difference() -> None:
    assert key("L’État s’engage : « Contrat » — 2025–2030") == key("l'Etat s'engage: \"Contrat\" - 2025-2030")
    assert key("Gestion des déchets") != key("Gestion des dechets et encombrants")


def test_alignment_finds_modified_deleted_added_and_moved_paragraphs() -> None:
    sent = text_of(
        paragraphs(
            "Article 1 – Premier article",
            "Le bailleur transmet le bilan avant le 31 mai.",
            "Une phrase qui reste.",
            "Une phrase déplacée plus loin.",
            "Une phrase supprimée ici.",
        ),
        TITLES,
    )
    received = text_of(
        paragraphs(
            "Article 1 – Premier article",
            "Le bailleur transmet le bilan avant le 30 juin.",
            "Une phrase qui reste.",
            "Une phrase toute neuve, sans rapport aucun.",
            "Une phrase déplacée plus loin.",
        ),
        TITLES,
    )
    changes = align(sent.units, received.units)
    assert sorted(c.kind for c in changes) == sorted([MODIFIED, DELETED, ADDED])
    modified = next(c for c in changes if c.kind == MODIFIED)
    assert modified.fragments == (("31 mai.", "30 juin."),)
    assert next(c for c in changes if c.kind == DELETED).sent.text == "Une phrase supprimée ici."  # type: ignore[union-attr]
    moved = align(sent.units, list(reversed(received.units[:3])) + list(received.units[3:]))
    assert MOVED in {c.kind for c in moved}
    assert MOVED not in {c.kind for c in align(sent.units, list(reversed(received.units[:3])), laid_out=True)}


def test_a_figure_retyped_in_its_cell_is_a_modification() -> None:
    sent = text_of([Line("QN05954M", Place.cell(1, 2, 2)), Line("9", Place.cell(1, 2, 3))], TITLES)
    received = text_of([Line("QN05954M", Place.cell(1, 2, 2)), Line("12", Place.cell(1, 2, 3))], TITLES)
    [change] = align(sent.units, received.units)
    assert (change.kind, change.fragments) == (MODIFIED, (("9", "12"),))


def test_a_deleted_obligation_and_a_contradicted_dwelling_count_name_their_field() -> None:
    project = Project(ROOT)
    inputs = load_inputs(project, with_programmes=False)
    commune = inputs.territory.commune_named("lourches")
    assert commune is not None
    landlord = inputs.territory.landlord("partenord-habitat")
    lines = [
        Line("Article 1 – Premier article", Place.paragraph(1), heading=True),
        Line("Le bailleur s'engage à transmettre le bilan chaque année.", Place.paragraph(2)),
        Line("QN05954M", Place.cell(1, 2, 2)),
    ]
    sent = text_of([*lines, Line("9", Place.cell(1, 2, 3))], TITLES)
    received = text_of([lines[0], lines[2], Line("12", Place.cell(1, 2, 3))], TITLES)
    pair = Pair(sent, received, "convention", (TITLES,), (), (), {})
    deleted, modified = align(sent.units, received.units)
    assert [c.kind for c in text_concerns(deleted, pair)] == [OBLIGATION]
    data = Data(expected_for(inputs.territory, commune, landlord), CommuneFile(project.root, commune.source))
    [concern] = figure_concerns(modified, pair, data)
    assert concern.kind == DATA
    assert concern.text.startswith("instances/communes/lourches.yaml:")
    assert concern.text.endswith(
        "bailleurs › Partenord Habitat › logements › QN05954M : 9 selon les données, 12 dans le document reçu"
    )


def test_the_partners_markup_is_read_with_its_authors(tmp_path: Path) -> None:
    path = render("Une phrase à revoir.\n\nUne phrase commentée.\n", tmp_path)
    track_replacement(path, "Une phrase à revoir", "Une phrase revue.", TRACKER)
    add_comment(path, "Une phrase commentée", COMMENT, COMMENTER)
    markup = read_markup(path)
    assert [(c.kind, c.author, c.text) for c in markup.changes] == [
        (DELETION, TRACKER, "Une phrase à revoir."),
        (INSERTION, TRACKER, "Une phrase revue."),
    ]
    [comment] = markup.comments
    assert (comment.author, comment.text, comment.anchor) == (COMMENTER, COMMENT, "Une phrase commentée.")
    accepted = [line.text for line in read_document(accepted_copy(path, tmp_path))]
    assert "Une phrase revue." in accepted and "Une phrase à revoir." not in accepted
    assert "Une phrase revue." not in [line.text for line in read_document(path)]  # python-docx skips w:ins
    bare = uncommented_copy(path, tmp_path)
    with zipfile.ZipFile(bare) as package:
        assert b"commentReference" not in package.read("word/document.xml")
    assert read_markup(bare).comments[0].place is None  # the comment part stays, anchored nowhere


def test_a_document_without_markup_is_used_as_it_is(tmp_path: Path) -> None:
    path = render("Rien à signaler.\n", tmp_path)
    assert read_markup(path).changes == () and read_markup(path).comments == ()
    assert accepted_copy(path, tmp_path) == path and uncommented_copy(path, tmp_path) == path


def test_a_package_declaring_entities_is_refused(tmp_path: Path) -> None:
    path = render("Texte.\n", tmp_path)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/comments.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    with pytest.raises(UnreadableDocument, match="entités XML") as raised:
        read_markup(path)
    assert raised.value.exit_code == 2
