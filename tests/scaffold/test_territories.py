"""Any intercommunality in one command: init, validate, drafts with zero check errors, final refused until every
value is confirmed, then made. Three EPCI of different shapes, each from a landlords' dwellings file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.typography import french_of

from ..helpers import confirm_values, pdf_text, write_csv


@dataclass(frozen=True)
class Shape:
    """An EPCI, the dwellings its landlords declare, and what its documents must say."""

    siren: str
    rows: tuple[tuple[str, str, str, str], ...]  # commune, landlord, QPV, dwellings
    epci: str
    prefet: str
    says: tuple[str, ...] = ()


SHAPES = {
    # named after a member commune: « Valenciennes Métropole » is no mention of the commune of Valenciennes
    "nom-d-une-commune": Shape(
        "245901160",
        (("Valenciennes", "Partenord Habitat", "QN05930M", "120"), ("Anzin", "SIGH", "QN05920M", "40")),
        "Valenciennes Métropole",
        "Préfet du Nord",
        ("s'étend aussi sur la commune de Raismes ; Raismes relève de l'intercommunalité de La Porte du Hainaut",),
    ),
    # a QPV shared with a commune of another EPCI (Raismes here, Anzin in Valenciennes Métropole)
    "qpv-partage": Shape(
        "200042190",
        (("Raismes", "Maisons & Cités", "QN05920M", "55"), ("59491", "Maisons & Cités", "QN05955M", "210")),
        "La Porte du Hainaut",
        "Préfet du Nord",
        ("Anzin relève de l'intercommunalité de Valenciennes Métropole",),
    ),
    # another region, over two départements (Vaucluse and Gard)
    "autre-region": Shape(
        "248400251",
        (("Avignon", "Grand Delta Habitat", "QN08402M", "300"), ("Le Pontet", "Mistral Habitat", "QN08405M", "80")),
        "Grand Avignon",
        "Préfet de Vaucluse",
    ),
}


def run(*arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(arguments))


@pytest.mark.e2e
@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_an_intercommunality_from_init_to_its_final_versions(tmp_path: Path, shape: str) -> None:
    spec = SHAPES[shape]
    dwellings = write_csv(
        tmp_path / "logements.csv", [["commune", "bailleur", "qpv", "logements"], *map(list, spec.rows)]
    )
    folder = tmp_path / "projet"
    created = run("init", str(folder), "--epci", spec.siren, "--logements", str(dwellings), "--date", "2025-09-15")
    assert created.exit_code == 0, created.output
    assert "Valeurs à confirmer" in created.output
    project = ("--projet", str(folder))

    validated = run(*project, "validate")
    assert validated.exit_code == 0, validated.output
    assert "à confirmer" in validated.stderr

    drafts = run(*project, "build")
    assert drafts.exit_code == 0, drafts.output
    pairs = {(commune.replace("59491", "Raismes"), landlord) for commune, landlord, _qpv, _count in spec.rows}
    pdfs = sorted(folder.glob("output/*/convention-*.pdf"))
    assert len(pdfs) == len(pairs)
    checked = run(*project, "check", *map(str, pdfs), *map(str, sorted(folder.glob("output/*/convention-*.docx"))))
    assert checked.exit_code == 0, checked.output
    assert "0 erreur(s)" in checked.output
    texts = {pdf.name: pdf_text(pdf) for pdf in pdfs}
    for text in texts.values():
        assert spec.epci in text and spec.prefet in text and "à confirmer" in text
    for commune, _landlord in pairs:
        assert any(f"Ville {french_of(commune)}" in text for text in texts.values()), commune
    for sentence in spec.says:
        assert any(sentence in text for text in texts.values()), sentence

    refused = run(*project, "build", "--final")
    assert refused.exit_code == 1
    assert "version finale refusée" in refused.stderr and "instances/territoire.yaml:" in refused.stderr
    assert not list(folder.glob("output/*/*-v1.pdf"))

    confirm_values(folder / "instances")  # staff confirm each value, in the files
    final = run(*project, "build", "--final")
    assert final.exit_code == 0, final.output
    signed = sorted(folder.glob("output/*/convention-*-v1.pdf"))
    assert len(signed) == len(pairs)
    for pdf in signed:
        text = pdf_text(pdf)
        assert "à confirmer" not in text and "PROJET" not in text and spec.epci in text


HEADER = ["commune", "bailleur", "qpv", "logements"]
BAD_FILES = {
    "commune inconnue": (
        [HEADER, ["Valencienne", "SIGH", "QN05930M", "3"]],
        "logements.csv:2: commune « Valencienne »",
    ),
    "QPV ailleurs": ([HEADER, ["Anzin", "SIGH", "QN05950M", "3"]], "logements.csv:2: le QPV QN05950M"),
    "nombre en lettres": ([HEADER, ["Anzin", "SIGH", "QN05920M", "douze"]], "logements.csv:2: "),
    "ligne en double": (
        [HEADER, ["Anzin", "SIGH", "QN05920M", "3"], ["Anzin", "SIGH", "QN05920M", "4"]],
        "logements.csv:3: ",
    ),
    "fichier vide": ([], "logements.csv"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_a_bad_dwellings_file_is_located_and_nothing_is_created(tmp_path: Path, case: str) -> None:
    rows, located = BAD_FILES[case]
    dwellings = write_csv(tmp_path / "logements.csv", rows)
    result = run("init", str(tmp_path / "projet"), "--epci", "245901160", "--logements", str(dwellings))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Erreur") and located in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "projet").exists()


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(tmp_path: Path) -> None:
    dwellings = tmp_path / "logements.csv"
    dwellings.write_bytes(b"%PDF-1.7\n\x00\x01binaire")
    result = run("init", str(tmp_path / "projet"), "--epci", "245901160", "--logements", str(dwellings))
    assert result.exit_code == 1 and "logements.csv" in result.stderr
    assert not (tmp_path / "projet").exists()
