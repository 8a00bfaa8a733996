"""Clause options as data: each read at its place, an unknown option or value refused with its location, a clause
testing an option no data gives refused by `validate`; the avenants' numbers and the act authorising them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.errors import AtfpbError
from generator.inputs.project import Project, load_inputs

from ..helpers import ROOT, location_of

LOURCHES = "instances/communes/lourches.yaml"
TERRITORY = "instances/territoire.yaml"
PROGRAMME_2026 = "instances/programmes/lourches-partenord-habitat-2026.yaml"


def validate(project: Project) -> Result:
    return CliRunner().invoke(main, ["--projet", str(project.root), "validate"])


def edit(project: Project, relative: str, old: str, new: str) -> str:
    """Replace `old` by `new` in a file of the project; the new text."""
    path = project.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def test_the_examples_options_are_read() -> None:
    inputs = load_inputs(Project(ROOT))
    lourches = inputs.territory.commune_named("lourches")
    assert lourches is not None
    options = lourches.options
    assert (options.veto, options.validation_bilan, options.mise_a_jour_diagnostic) == (True, "conseil_municipal", 2025)
    assert inputs.territory.periode.signature == "electronique"
    partenord = inputs.territory.landlord("partenord-habitat")
    assert partenord.outil_suivi == "QuartiersPlus"
    assert [c.titre for c in partenord.engagements][-1] == "Participation citoyenne"
    insertion = next(c for c in partenord.engagements if c.titre.startswith("Insertion"))
    assert len(insertion.blocs) == 2 and len(insertion.blocs[1].liste) == 2  # a paragraph, then a list of two


@pytest.mark.parametrize(
    ("relative", "old", "new", "message"),
    [
        (LOURCHES, "veto: oui", "vetoo: oui", "champ inconnu « vetoo ». Vouliez-vous dire « veto » ?"),
        (LOURCHES, "veto: oui", "veto: peut-être", "veto"),
        (
            LOURCHES,
            "validation_bilan: conseil_municipal",
            "validation_bilan: prefet",
            "« validation_bilan » vaut « commune », « conseil_municipal » ou « maire » (lu : « prefet »).",
        ),
        (LOURCHES, "mise_a_jour_diagnostic: 2025", "mise_a_jour_diagnostic: 2031", "de 2025 à 2030 (lu : 2031)"),
        (
            TERRITORY,
            "signature: electronique",
            "signature: manuscrite",
            "« signature » vaut « electronique » ou « papier » (lu : « manuscrite »).",
        ),
        (TERRITORY, "outil_suivi: QuartiersPlus", "outil_suivis: QuartiersPlus", "champ inconnu « outil_suivis »"),
        (TERRITORY, "axe_atfpb: 6", "axe_atfpb: 9", "une des 6 orientations du contrat (lu : 9)"),
    ],
)
def test_an_unknown_option_or_value_is_a_located_error(
    project: Project, relative: str, old: str, new: str, message: str
) -> None:
    text = edit(project, relative, old, new)
    result = validate(project)
    assert result.exit_code == 1, result.output
    line, column = (int(n) for n in location_of(text, new).split(":"))
    if "champ inconnu" not in message:  # at the value, after « key: »
        column += len(new.partition(": ")[0]) + 2
    assert f"{relative}:{line}:{column}" in result.output, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_clause_testing_an_option_no_data_gives_is_refused_by_validate(project: Project) -> None:
    edit(project, "clauses/convention/70-evaluation.md", "{% if commune.veto -%}", "{% if commune.vetoo -%}")
    result = validate(project)
    assert result.exit_code == 1
    assert "clauses/convention/70-evaluation.md:46: le champ « vetoo » n'existe pas" in result.output
    assert result.output.count("vetoo") == 1  # said once, not once per convention


def test_a_wrong_siren_for_a_landlord(project: Project) -> None:
    text = edit(project, TERRITORY, "outil_suivi: QuartiersPlus", 'outil_suivi: QuartiersPlus\n    siren: "123456789"')
    result = validate(project)
    assert result.exit_code == 1
    where = location_of(text, '"123456789"')
    assert f"{TERRITORY}:{where}" in result.output
    assert "sa clé de contrôle est fausse" in result.output


def test_an_authorisation_dated_after_the_avenant_is_a_located_error(project: Project) -> None:
    text = edit(project, PROGRAMME_2026, "  date: !a_confirmer\n", "  date: 2026-05-12\n")
    result = validate(project)
    assert result.exit_code == 1
    assert f"{PROGRAMME_2026}:{location_of(text, '2026-05-12')}" in result.output, result.output
    assert "daté du 12 mai 2026, après la date de l'avenant (24 avril 2026)" in result.output


def test_an_authorisation_dated_before_the_avenant_is_valid(project: Project) -> None:
    edit(project, PROGRAMME_2026, "  date: !a_confirmer\n", "  date: 2026-03-30\n")
    edit(project, PROGRAMME_2026, "  acte: deliberation", "  acte: décision")
    assert validate(project).exit_code == 0
    programme = load_inputs(project).programme("lourches", "partenord-habitat", 2026)
    assert programme.autorisation is not None and programme.autorisation.acte == "decision"


def test_avenants_are_numbered_from_the_conventions_first_year(project: Project) -> None:
    inputs = load_inputs(project)
    first = inputs.territory.periode.debut
    numbers = [inputs.programme("lourches", "partenord-habitat", year).number(first) for year in (2025, 2026)]
    assert numbers == [1, 2]


def test_a_number_given_must_follow_the_previous_avenants(project: Project) -> None:
    text = edit(project, PROGRAMME_2026, "annee: 2026\n", "annee: 2026\nnumero_avenant: 1\n")
    with pytest.raises(AtfpbError) as caught:
        load_inputs(project)
    message = str(caught.value)
    line = location_of(text, "numero_avenant: 1").split(":")[0]
    assert f"{PROGRAMME_2026}:{line}:17: l'avenant 2026 porterait le n° 1" in message, message
    assert "indiquez « numero_avenant: 2 » (ou plus)" in message


def test_a_number_given_overrides_the_year(project: Project) -> None:
    edit(project, PROGRAMME_2026, "annee: 2026\n", "annee: 2026\nnumero_avenant: 3\n")
    inputs = load_inputs(project)
    assert inputs.programme("lourches", "partenord-habitat", 2026).number(inputs.territory.periode.debut) == 3


def test_the_options_are_written_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Les options des conventions", 1)[1].split("\n## ", 1)[0]
    for option in ("veto", "validation_bilan", "mise_a_jour_diagnostic", "comite_technique", "comite_suivi_local"):
        assert f"`{option}`" in section
    for option in ("convention.signature", "epci.direction", "bailleurs[].outil_suivi", "numero_avenant"):
        assert f"`{option}`" in section
