"""The landlords' dwellings file: CSV (« ; » or « , », Windows-1252 or UTF-8) or .xlsx, checked cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import AtfpbError, DataError, Location, Problems
from generator.inputs.dwellings import read_dwellings

from ..helpers import VALENCIENNES, write_csv, write_xlsx

NAME = "Valenciennes Métropole"


def read(path: Path) -> list[tuple[str, str, str, str, int, str]]:
    rows = read_dwellings(path, "logements", VALENCIENNES, NAME)
    return [(r.insee, r.commune, r.bailleur, r.qpv, r.logements, str(r.location)) for r in rows]


def test_csv_from_french_excel(tmp_path: Path) -> None:
    """« ; », Windows-1252, columns in any order and case, extra column ignored, INSEE code or name, spaces."""
    path = write_csv(
        tmp_path / "logements.csv",
        [
            ["LOGEMENTS", "Qpv", "Bailleur", "Remarque", "Commune"],
            ["120", "QN05920M", "Maisons & Cités", "à vérifier", "ANZIN"],
            ["", "", "", "", ""],
            ["1 200", " qn 05929m ", "  Partenord   Habitat ", "", "saint saulve"],
            ["7", "QN05921M", "Partenord Habitat", "", "59606"],
        ],
    )
    assert read(path) == [
        ("59014", "Anzin", "Maisons & Cités", "QN05920M", 120, "logements:2"),
        ("59544", "Saint-Saulve", "Partenord Habitat", "QN05929M", 1200, "logements:4"),
        ("59606", "Valenciennes", "Partenord Habitat", "QN05921M", 7, "logements:5"),
    ]


def test_csv_in_utf8_with_bom_and_commas(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "logements.csv",
        [["commune", "bailleur", "qpv", "logements"], ["Bruay-sur-l'Escaut", "Habitat, Nord", "QN05992N", "3"]],
        separator=",",
        encoding="utf-8-sig",
    )
    assert read(path) == [("59112", "Bruay-sur-l'Escaut", "Habitat, Nord", "QN05992N", 3, "logements:2")]


def test_xlsx_first_sheet(tmp_path: Path) -> None:
    """Numbers typed as numbers (12.0 is 12), an INSEE code typed as a number, located at their cells."""
    path = write_xlsx(
        tmp_path / "logements.xlsx",
        [
            ["Commune", "Bailleur", "QPV", "Logements"],
            [59014, "SIGH", "QN05930M", 12.0],
            ["Vicq", "SIGH", "QN05927M", 4],
        ],
    )
    assert read(path) == [
        ("59014", "Anzin", "SIGH", "QN05930M", 12, "logements:Logements!A2"),
        ("59613", "Vicq", "SIGH", "QN05927M", 4, "logements:Logements!A3"),
    ]


HEADER = ["commune", "bailleur", "qpv", "logements"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["Valencienne", "SIGH", "QN05921M", "3"],
         "logements:2: commune « Valencienne » inconnue dans Valenciennes Métropole. "
         "Vouliez-vous dire « Valenciennes » ?"),
        (["Raismes", "SIGH", "QN05920M", "3"],
         "logements:2: commune « Raismes » inconnue dans Valenciennes Métropole : Raismes (59491) "
         "est membre de l'EPCI 200042190."),
        (["59491", "SIGH", "QN05920M", "3"],
         "logements:2: la commune Raismes (59491) n'est pas dans Valenciennes Métropole : elle est membre de "
             "l'EPCI 200042190."),
        (["Saint-Saulve", "SIGH", "QN05920M", "3"],
         "logements:2: le QPV QN05920M (Verrerie - Square République) ne couvre pas la commune Saint-Saulve : "
         "il couvre Anzin, Raismes."),
        (["Anzin", "SIGH", "QN05999M", "3"],
         "logements:2: le QPV « QN05999M » n'existe pas dans la géographie prioritaire 2024."),
        (["Anzin", "SIGH", "QP059001", "3"], "logements:2: « QP059001 » est un code QPV de 2015, obsolète"),
        (["Anzin", "SIGH", "QN05920M", "douze"],
         "logements:2: « logements » doit être un nombre entier positif ou nul (lu : « douze »)."),
        (["Anzin", "SIGH", "QN05920M", "-3"],
         "logements:2: « logements » doit être un nombre entier positif ou nul (lu : « -3 »)."),
        (["Anzin", "SIGH", "QN05920M", "12,5"],
         "logements:2: « logements » doit être un nombre entier positif ou nul (lu : « 12,5 »)."),
        (["Anzin", "SIGH", "QN05920M", ""], "logements:2: « logements » est vide"),
        (["Anzin", "", "QN05920M", "3"], "logements:2: « bailleur » est vide."),
    ],
)  # fmt: skip
def test_a_bad_cell_is_located(tmp_path: Path, row: list[str], message: str) -> None:
    path = write_csv(tmp_path / "logements.csv", [HEADER, row])
    with pytest.raises(DataError) as raised:
        read(path)
    assert str(raised.value).startswith(message), str(raised.value)


def test_a_duplicate_row_names_the_first(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["Anzin", "SIGH", "QN05920M", "3"],
        ["Vicq", "SIGH", "QN05927M", "1"],
        ["anzin", "sigh", "qn05920m", "4"],
    ]
    path = write_csv(tmp_path / "logements.csv", rows)
    with pytest.raises(DataError) as raised:
        read(path)
    assert str(raised.value) == "logements:4: ligne en double : même commune, bailleur et QPV qu'à la ligne 2."


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["Valencienne", "SIGH", "QN05920M", "douze"],
        ["Anzin", "SIGH", "QN05920M", "3"],
        ["Vicq", "", "X", "-1"],
    ]
    path = write_csv(tmp_path / "logements.csv", rows)
    with pytest.raises(Problems) as raised:
        read(path)
    assert [str(p.location) for p in raised.value.problems] == ["logements:2"] * 2 + ["logements:4"] * 3


def test_a_bad_xlsx_cell_is_located_at_its_cell(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "logements.xlsx", [HEADER, ["Anzin", "SIGH", "QN05920M", 2.5], ["Anzin", "SIGH", "QN0592", 1]]
    )
    with pytest.raises(Problems) as raised:
        read(path)
    assert [(p.location, p.message) for p in raised.value.problems] == [
        (Location("logements", cell="Logements!D2"),
         "« logements » doit être un nombre entier positif ou nul (lu : « 2,5 »)."),
        (Location("logements", cell="Logements!C3"),
         "« QN0592 » n'est pas un code QPV valide (forme attendue : QN05954M)."),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "logements: fichier vide : le fichier des logements compte une ligne d'en-tête"),
        (b"commune;bailleur;qpv;logements\r\n\r\n", "logements:1: aucune ligne de données après l'en-tête"),
        (b"commune;bailleur;logements\r\nAnzin;SIGH;3\r\n",
         "logements:1: colonne « qpv » introuvable dans la ligne d'en-tête (lu : « commune », « bailleur », "
         "« logements »)"),
        (b"Anzin;SIGH;QN05920M;3\r\n", "logements:1: colonnes « commune », « bailleur », « qpv » et « logements » "
         "introuvables"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
         "logements: ce fichier n'est ni un tableau CSV ni un classeur .xlsx (c'est un document PDF)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "(c'est une image PNG)"),
        (b"commune;bailleur\x00;qpv", "(c'est un fichier binaire)"),
        (b"PK\x03\x04 not really a zip", "logements: classeur illisible : ce n'est pas un classeur Excel .xlsx"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_table(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "logements.csv"
    path.write_bytes(content)
    with pytest.raises(AtfpbError) as raised:
        read(path)
    assert message in str(raised.value), str(raised.value)


def test_a_title_above_the_header_is_passed_over(tmp_path: Path) -> None:
    rows = [["Patrimoine au 1er janvier 2025"], [], HEADER, ["Anzin", "SIGH", "QN05920M", "3"]]
    path = write_csv(tmp_path / "logements.csv", rows)
    assert read(path) == [("59014", "Anzin", "SIGH", "QN05920M", 3, "logements:4")]


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "logements.csv", [[*HEADER, "Logement"], ["Anzin", "SIGH", "QN05920M", "3", "4"]])
    with pytest.raises(DataError) as raised:
        read(path)
    assert str(raised.value) == "logements:1: la colonne « logements » figure deux fois dans la ligne d'en-tête."
