"""Assembly: numbering, conditions, cross-references, strict and sandboxed fields, verbatim values."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.assembly.assemble import assemble_convention
from generator.errors import AtfpbError, ClauseError
from generator.inputs.clauses import Clause, load_library
from generator.inputs.project import Inputs, Project, load_inputs

from ..helpers import ARTICLE_TITLES, ROOT, text_of


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs(Project(ROOT))


def pair(inputs: Inputs, commune: str, landlord: str):  # type: ignore[no-untyped-def]
    territory = inputs.territory
    return territory, next(c for c in territory.communes if c.slug == commune), territory.landlord(landlord)


def clause_file(number: str, clause_id: str, body: str, condition: str = "") -> str:
    extra = f"condition: {condition}\n" if condition else ""
    return f"---\nid: {clause_id}\ntitre: Titre {clause_id}\nsection: article\nobligatoire: true\n{extra}---\n{body}"


def library(tmp_path: Path, files: dict[str, str]) -> tuple[Clause, ...]:
    folder = tmp_path / "clauses" / "essai"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_library([folder], tmp_path)


def assemble_with(inputs: Inputs, clauses, commune: str = "lourches", landlord: str = "partenord-habitat"):  # type: ignore[no-untyped-def]
    territory, c, b = pair(inputs, commune, landlord)
    return assemble_convention(territory, c, b, clauses, inputs.references)


def test_the_eleven_articles_are_numbered_in_order(inputs: Inputs) -> None:
    document = assemble_with(inputs, inputs.clauses)
    titles = [title.replace("'", "’") for title in ARTICLE_TITLES]  # typographic apostrophes
    assert [(a.number, a.titre) for a in document.articles] == list(enumerate(titles, start=1))
    assert [s.key for s in document.signatories] == ["prefet", "president-epci", "maire", "bailleur"]
    assert document.signatories[2].personne == "Mme Dalila DUWEZ-GUESMIA"


def test_cross_reference_gives_the_article_number(inputs: Inputs) -> None:
    document = assemble_with(inputs, inputs.clauses)
    local = next(a for a in document.articles if a.clause_id == "suivi-local")
    assert "article 5" in text_of(local.tokens)


def test_intercommunal_footnote_only_when_a_qpv_spans_several_communes(inputs: Inputs) -> None:
    territory, denain, landlord = pair(inputs, "denain", "societe-immobiliere-du-grand-hainaut")
    only_denain = assemble_convention(territory, denain, landlord, inputs.clauses, inputs.references)
    interco = assemble_with(inputs, inputs.clauses)

    def footnotes(document) -> int:  # type: ignore[no-untyped-def]
        return sum(
            1 for a in document.articles for t in a.tokens for c in (t.children or ()) if c.type == "footnote_ref"
        )

    assert footnotes(interco) == 1
    assert footnotes(only_denain) == 0  # QN05950M lies in Denain only


def test_unnamed_mayor_is_written_as_the_role(inputs: Inputs) -> None:
    document = assemble_with(inputs, inputs.clauses, "denain", "maisons-et-cites")
    assert "représentée par le Maire de Denain" in text_of(document.section("parties"))
    assert document.signatories[2].personne == ""


def test_assembly_is_pure(inputs: Inputs) -> None:
    first, second = assemble_with(inputs, inputs.clauses), assemble_with(inputs, inputs.clauses)
    assert [t.as_dict() for a in first.articles for t in a.tokens] == [
        t.as_dict() for a in second.articles for t in a.tokens
    ]


def test_field_values_appear_verbatim(inputs: Inputs, tmp_path: Path) -> None:
    territory, commune, landlord = pair(inputs, "lourches", "partenord-habitat")
    hostile = 'A & B <b>gras</b> *pas italique* _x_ [lien](y) M^me^ "guillemets" | barre \\ fin'
    landlord = dataclasses.replace(landlord, nom=hostile)
    clauses = library(
        tmp_path, {"10-a.md": clause_file("10", "a", "Bailleur {{ bailleur.nom }}.\n\n- {{ bailleur.nom }}\n")}
    )
    document = assemble_convention(territory, commune, landlord, clauses, inputs.references)
    assert text_of(document.articles[0].tokens) == f"Bailleur {hostile}.{hostile}"


def test_unknown_field_is_located(inputs: Inputs, tmp_path: Path) -> None:
    clauses = library(
        tmp_path, {"10-a.md": clause_file("10", "a", "Ligne un.\n\nLa Ville de {{ commune.nom_inconnu }}.\n")}
    )
    with pytest.raises(ClauseError) as caught:
        assemble_with(inputs, clauses)
    assert str(caught.value) == (
        "clauses/essai/10-a.md:9: le champ « nom_inconnu » n'existe pas (voir clauses/README.md)."
    )


def test_unknown_top_level_field_is_located(inputs: Inputs, tmp_path: Path) -> None:
    clauses = library(tmp_path, {"10-a.md": clause_file("10", "a", "{{ maire }}\n")})
    with pytest.raises(ClauseError, match=r"^clauses/essai/10-a.md:7: le champ « maire » n'existe pas"):
        assemble_with(inputs, clauses)


def test_reference_to_an_unknown_clause(inputs: Inputs, tmp_path: Path) -> None:
    clauses = library(tmp_path, {"10-a.md": clause_file("10", "a", 'Voir l\'{{ article("nulle") }}.\n')})
    with pytest.raises(ClauseError, match=r"^clauses/essai/10-a.md:7: renvoi à une clause inconnue « nulle »"):
        assemble_with(inputs, clauses)


def test_condition_excludes_a_clause_and_renumbers(inputs: Inputs, tmp_path: Path) -> None:
    clauses = library(
        tmp_path,
        {
            "10-a.md": clause_file("10", "a", "A.\n", condition="not qpv_intercommunal"),
            "20-b.md": clause_file("20", "b", "B, voir l'{{ article('c') }}.\n"),
            "30-c.md": clause_file("30", "c", "C.\n"),
        },
    )
    document = assemble_with(inputs, clauses)  # Lourches: its QPV are intercommunal
    assert [(a.number, a.clause_id) for a in document.articles] == [(1, "b"), (2, "c")]
    assert text_of(document.articles[0].tokens) == "B, voir l’article 2."


def test_reference_to_a_clause_that_does_not_apply(inputs: Inputs, tmp_path: Path) -> None:
    clauses = library(
        tmp_path,
        {
            "10-a.md": clause_file("10", "a", "A.\n", condition="not qpv_intercommunal"),
            "20-b.md": clause_file("20", "b", "Voir l'{{ article('a') }}.\n"),
        },
    )
    with pytest.raises(ClauseError, match="ne s'applique pas à ce document"):
        assemble_with(inputs, clauses)


def test_condition_on_an_unknown_field(inputs: Inputs, tmp_path: Path) -> None:
    clauses = library(tmp_path, {"10-a.md": clause_file("10", "a", "A.\n", condition="qpv_inconnu")})
    with pytest.raises(ClauseError, match=r"^clauses/essai/10-a.md:6: condition « qpv_inconnu » : le champ"):
        assemble_with(inputs, clauses)


def test_template_syntax_error_is_located(inputs: Inputs, tmp_path: Path) -> None:
    clauses = library(tmp_path, {"10-a.md": clause_file("10", "a", "Un.\n\n{% if commune.nom %}\nDeux.\n")})
    with pytest.raises(ClauseError, match=r"^clauses/essai/10-a.md:\d+: syntaxe de champ invalide"):
        assemble_with(inputs, clauses)


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ commune.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
    ],
)
def test_sandbox_refuses_python_internals(inputs: Inputs, tmp_path: Path, escape: str) -> None:
    clauses = library(tmp_path, {"10-a.md": clause_file("10", "a", escape + "\n")})
    with pytest.raises(AtfpbError) as caught:
        assemble_with(inputs, clauses)
    assert "clauses/essai/10-a.md" in str(caught.value)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"10-a.md": "pas d'en-tête\n"}, "10-a.md:1:1: la clause doit commencer par un en-tête"),
        ({"10-a.md": "---\nid: a\n"}, "10-a.md:1:1: l'en-tête n'est pas fermé"),
        ({"10-a.md": "---\nid: a\ntitre: A\nsection: chapitre\n---\n"}, "10-a.md:4:10: section inconnue « chapitre »"),
        (
            {"10-a.md": "---\nid: a\ntitre: A\nsection: article\nordre: 3\n---\n"},
            "10-a.md:5:1: champ inconnu « ordre »",
        ),
        (
            {"10-a.md": clause_file("10", "a", ""), "20-a.md": clause_file("20", "a", "")},
            "20-a.md:2: l'identifiant « a » est déjà celui de clauses/essai/10-a.md",
        ),
    ],
)
def test_malformed_clause_files(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(AtfpbError) as caught:
        library(tmp_path, files)
    assert message in str(caught.value)
