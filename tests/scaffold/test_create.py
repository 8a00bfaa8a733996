"""`init`: a project folder for any EPCI of France, from the referentials and a dwellings file, or nothing at all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.errors import AtfpbError, DataError
from generator.inputs.epci import epci_reference
from generator.inputs.instances import load_territory
from generator.scaffold import InitReport, create_project
from generator.scaffold.communes import commune_text
from generator.scaffold.plan import make_plan, quarters_of
from generator.scaffold.territory import territory_text

from ..helpers import (
    CINOR,
    GRAND_AVIGNON,
    PORTE_DU_HAINAUT,
    VALENCIENNES,
    Pending,
    comments,
    read_text,
    read_yaml,
    tree,
    write_csv,
    write_xlsx,
)

HEADER = ["Commune", "Bailleur", "QPV", "Logements"]
TODAY = date.today().isoformat()


@pytest.fixture
def valenciennes(tmp_path: Path) -> tuple[Path, InitReport]:
    """Valenciennes Métropole, from a CSV saved by French Excel (« ; », Windows-1252)."""
    rows = [
        HEADER,
        ["Anzin", "Maisons & Cités", "QN05920M", "120"],
        ["Anzin", "Partenord Habitat", "QN05921M", "15"],
        ["Valenciennes", "PARTENORD HABITAT", "QN05930M", "40"],
        ["Valenciennes", "Partenord Habitat", "QN05931M", "2"],
        ["Vicq", "Maisons & Cités", "QN05927M", "0"],
    ]
    dwellings = write_csv(tmp_path / "logements.csv", rows)
    return tmp_path / "projet", create_project(tmp_path / "projet", VALENCIENNES, dwellings, None)


def text(folder: Path, relative: str) -> str:
    return (folder / "instances" / relative).read_text(encoding="utf-8")


def test_only_instances_are_created(valenciennes: tuple[Path, InitReport]) -> None:
    folder, report = valenciennes
    communes = ["anzin", "beuvrages", "bruay-sur-l-escaut", "conde-sur-l-escaut", "fresnes-sur-escaut", "marly",
                "onnaing", "quievrechain", "saint-saulve", "valenciennes", "vicq", "vieux-conde"]  # fmt: skip
    assert tree(folder) == sorted([f"instances/communes/{c}.yaml" for c in communes] + ["instances/territoire.yaml"])
    assert report.files[0] == "instances/territoire.yaml" and len(report.files) == 13


def test_territory_of_an_epci_named_after_a_commune(valenciennes: tuple[Path, InitReport]) -> None:
    folder, _report = valenciennes
    territory = read_yaml(folder / "instances" / "territoire.yaml")
    assert territory == {
        "epci": {
            "nom": Pending("Valenciennes Métropole"),
            "nom_officiel": Pending("Communauté d'agglomération Valenciennes Métropole"),
            "siren": "245901160",
            "siege": Pending(""),
            "president": {"qualite": Pending("Président de Valenciennes Métropole")},
        },
        "etat": {"departement": "Nord", "prefet": {"qualite": Pending("Préfet du Nord")}},
        "contrat": {
            "nom": Pending("Contrat de ville"),
            "deliberation": {"numero": Pending(""), "date": Pending("")},
            "date_signature": Pending(""),
            "debut": 2024,
            "fin": 2030,
            "signataires": [Pending("l'État")],
            "orientations": [],
        },
        "convention": {"debut": 2025, "fin": 2030, "date_document": Pending(TODAY)},
        "bailleurs": [
            {
                "nom": "Maisons & Cités",
                "nom_court": Pending("Maisons & Cités"),
                "representant": {"qualite": Pending("Directeur général de Maisons & Cités")},
            },
            {
                "nom": "Partenord Habitat",
                "nom_court": Pending("Partenord Habitat"),
                "autres_noms": ["PARTENORD HABITAT"],
                "representant": {"qualite": Pending("Directeur général de Partenord Habitat")},
            },
        ],
    }
    for written in (
        "\n  siege: !a_confirmer\n",
        "\n    qualite: !a_confirmer Préfet du Nord\n",
        '\n  siren: "245901160"\n',
    ):
        assert written in text(folder, "territoire.yaml")


def test_the_comments_say_where_values_come_from(valenciennes: tuple[Path, InitReport]) -> None:
    folder, _report = valenciennes
    territory = text(folder, "territoire.yaml")
    assert territory.startswith("# Données communes à toutes les conventions de Valenciennes Métropole.\n")
    for source in ("@etalab/decoupage-administratif 6.0.0", "géographie prioritaire 2024", "departements.csv",
                   "fichier « logements.csv »", "« !a_confirmer »", "version à signer",
                   "Nom dans le référentiel : « CA Valenciennes Métropole »"):  # fmt: skip
        assert source in territory, source
    assert "« !a_confirmer »" in text(folder, "communes/anzin.yaml")


def test_a_commune_with_its_qpv_shared_with_another_epci(valenciennes: tuple[Path, InitReport]) -> None:
    folder, _report = valenciennes
    anzin = text(folder, "communes/anzin.yaml")
    assert "\n  - QN05920M   # Verrerie - Square République (Anzin, Raismes)\n" in anzin
    assert (
        "QN05920M s'étend aussi hors de Valenciennes Métropole : Raismes (La Porte du Hainaut, SIREN 200042190). "
        "Ne comptez ici que les logements situés à Anzin." in comments(anzin)
    )
    assert read_yaml(folder / "instances" / "communes" / "anzin.yaml") == {
        "nom": "Anzin",
        "insee": "59014",
        "maire": Pending(""),
        "deliberation": {"numero": Pending(""), "date": Pending("")},
        "qpv": ["QN05920M", "QN05921M", "QN05930M"],
        "bailleurs": [
            {"nom": "Maisons & Cités", "logements": {"QN05920M": 120}},
            {"nom": "Partenord Habitat", "logements": {"QN05921M": 15}},
        ],
    }
    assert "\nmaire: !a_confirmer\n" in anzin and "  numero: !a_confirmer\n" in anzin


def test_a_landlord_spelt_twice_is_one_landlord(valenciennes: tuple[Path, InitReport]) -> None:
    folder, _report = valenciennes
    valenciennes_file = read_yaml(folder / "instances" / "communes" / "valenciennes.yaml")
    assert isinstance(valenciennes_file, dict)
    assert valenciennes_file["bailleurs"] == [
        {"nom": "Partenord Habitat", "logements": {"QN05930M": 40, "QN05931M": 2}}
    ]


def test_a_commune_without_landlord_keeps_its_file(valenciennes: tuple[Path, InitReport]) -> None:
    folder, _report = valenciennes
    vicq = text(folder, "communes/vicq.yaml")  # its only row counts 0 dwellings
    assert vicq.endswith("bailleurs: []\n")
    assert "# Aucun bailleur pour cette commune dans le fichier" in vicq


def test_the_report(valenciennes: tuple[Path, InitReport]) -> None:
    folder, report = valenciennes
    lines = report.lines()
    assert lines[0] == f"Projet créé dans {folder} pour Valenciennes Métropole (SIREN 245901160) :"
    assert "  - 13 fichiers dans instances/ (territoire.yaml et communes/)" in lines
    assert "  - 2 bailleurs : Maisons & Cités et Partenord Habitat" in lines
    assert "  - 3 conventions (couples commune × bailleur)" in lines
    assert report.conventions == 3 and len(report.communes) == 12
    assert "    - fonction du préfet : « Préfet du Nord »" in lines
    assert "    - siège de l'EPCI (commune)" in lines
    assert any(line.startswith("  12 fichiers de communes (anzin.yaml, ") for line in lines)
    assert any("QN05920M avec Raismes (La Porte du Hainaut, SIREN 200042190)" in line for line in lines)
    assert any("une ligne du fichier des logements compte 0 logement" in line for line in lines)
    assert any("communes sans bailleur" in line and "Vicq" in line for line in lines)


def test_an_epci_whose_qpv_is_shared_with_anzin(tmp_path: Path) -> None:
    """La Porte du Hainaut, from a UTF-8 CSV with BOM and commas; when the document date is given, it is kept."""
    rows = [HEADER, ["Raismes", "SIGH", "QN05920M", "8"], ["Denain", "Maisons & Cités", "QN05954M", "38"]]
    dwellings = write_csv(tmp_path / "logements.csv", rows, separator=",", encoding="utf-8-sig")
    create_project(tmp_path / "p", PORTE_DU_HAINAUT, dwellings, date(2025, 3, 14))
    territory = text(tmp_path / "p", "territoire.yaml")
    assert "  nom: !a_confirmer La Porte du Hainaut\n" in territory
    assert "  nom_officiel: !a_confirmer Communauté d'agglomération de la Porte du Hainaut\n" in territory
    assert "    qualite: !a_confirmer Président de La Porte du Hainaut\n" in territory
    assert "  date_document: 2025-03-14\n" in territory
    assert "  - QN05954M   # Gambetta (Denain, Escaudain, Lourches)\n" in text(tmp_path / "p", "communes/denain.yaml")
    raismes = text(tmp_path / "p", "communes/raismes.yaml")
    assert (
        "QN05921M s'étend aussi hors de La Porte du Hainaut : Anzin, Beuvrages, Bruay-sur-l'Escaut et Valenciennes "
        "(Valenciennes Métropole, SIREN 245901160)." in comments(raismes)
    )
    assert "      QN05920M: 8\n" in raismes


def test_an_overseas_epci_from_a_workbook(tmp_path: Path) -> None:
    rows: list[list[object]] = [list(HEADER), ["Saint-Denis", "SIDR", "QN97432M", 250]]
    rows.append([97418, "SHLMR", "QN97415I", 60.0])  # the INSEE code and the count typed as numbers
    dwellings = write_xlsx(tmp_path / "logements.xlsx", rows)
    report = create_project(tmp_path / "p", CINOR, dwellings, None)
    territory = read_yaml(tmp_path / "p" / "instances" / "territoire.yaml")
    assert isinstance(territory, dict)
    assert territory["etat"] == {"departement": "La Réunion", "prefet": {"qualite": Pending("Préfet de La Réunion")}}
    assert territory["epci"]["nom"] == "CINOR"
    assert territory["epci"]["nom_officiel"] == "Communauté intercommunale du Nord de la Réunion"
    assert territory["epci"]["president"] == {"qualite": Pending("Président de la CINOR")}
    assert report.communes == ("Saint-Denis", "Sainte-Marie", "Sainte-Suzanne")
    assert '\nnom: Sainte-Marie\ninsee: "97418"\n' in text(tmp_path / "p", "communes/sainte-marie.yaml")
    assert "      QN97415I: 60\n" in text(tmp_path / "p", "communes/sainte-marie.yaml")


def test_an_epci_over_two_departements_loads_as_a_project(tmp_path: Path) -> None:
    """Le Grand Avignon: Vaucluse holds most of its people, Gard the rest; the project reads back as a territory."""
    rows = [HEADER, ["Avignon", "Grand Avignon Résidences", "QN08402M", "10"], ["Le Pontet", "Erilia", "QN08405M", "5"]]
    dwellings = write_csv(tmp_path / "logements.csv", rows)
    report = create_project(tmp_path / "p", GRAND_AVIGNON, dwellings, None)
    territory = text(tmp_path / "p", "territoire.yaml")
    assert "  departement: Vaucluse\n" in territory
    assert "    qualite: !a_confirmer Préfet de Vaucluse\n" in territory
    assert "  # L'EPCI s'étend aussi sur : Gard (30, 43 805 habitants). Vérifiez le préfet signataire.\n" in territory
    assert any("plusieurs départements : Vaucluse (retenu), Gard (43 805 habitants)" in line for line in report.lines())
    assert "      qualite: !a_confirmer Directeur général d'Erilia\n" in territory

    loaded = load_territory(tmp_path / "p" / "instances", tmp_path / "p")
    assert loaded.epci.siren == GRAND_AVIGNON and loaded.epci.nom == "Le Grand Avignon"
    assert loaded.etat.prefet.qualite == "Préfet de Vaucluse"
    assert [(c.nom, c.insee, [q.code for q in c.qpv]) for c in loaded.communes] == [
        ("Avignon", "84007", ["QN08402M", "QN08403M", "QN08404I", "QN08422N", "QN08423N"]),
        ("Le Pontet", "84092", ["QN08405M"]),
    ]
    assert [b.nom for b in loaded.bailleurs] == ["Grand Avignon Résidences", "Erilia"]


def test_without_a_dwellings_file_every_landlord_is_to_add(tmp_path: Path) -> None:
    report = create_project(tmp_path / "p", "Le Grand Avignon", None, None)
    assert text(tmp_path / "p", "territoire.yaml").endswith("\nbailleurs: []\n")
    assert text(tmp_path / "p", "communes/avignon.yaml").endswith("\nbailleurs: []\n")
    assert "aucun fichier de logements fourni" in text(tmp_path / "p", "territoire.yaml")
    assert report.conventions == 0 and report.landlords == ()


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    create_project(tmp_path / "p", GRAND_AVIGNON, None, None)
    assert (tmp_path / "p" / "instances" / "territoire.yaml").is_file()


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        create_project(tmp_path / "p", GRAND_AVIGNON, None, None)
    assert str(raised.value) == (
        f"{tmp_path / 'p'}: le dossier n'est pas vide : choisissez un dossier nouveau ou vide "
        "(« atfpb init » ne remplace aucun fichier)."
    )
    assert tree(tmp_path / "p") == ["notes.txt"]


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="n'est pas un dossier"):
        create_project(tmp_path / "p", GRAND_AVIGNON, None, None)


def test_an_unknown_siren_suggests_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(DataError) as raised:
        create_project(tmp_path / "p", "245901161", None, None)
    assert str(raised.value) == (
        "aucun EPCI à fiscalité propre n'a le SIREN 245901161. Vouliez-vous dire Valenciennes Métropole (245901160) ?"
    )
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Valencienne", "SIGH", "QN05921M", "3"]],
         ":2: commune « Valencienne » inconnue dans Valenciennes Métropole. Vouliez-vous dire « Valenciennes » ?"),
        ([["Saint-Saulve", "SIGH", "QN05920M", "3"]],
         ":2: le QPV QN05920M (Verrerie - Square République) ne couvre pas la commune Saint-Saulve : il couvre "
         "Anzin, Raismes."),
        ([["Anzin", "SIGH", "QN05920M", "douze"]],
         ":2: « logements » doit être un nombre entier positif ou nul (lu : « douze »)."),
        ([["Anzin", "SIGH", "QN05920M", "-4"]], ":2: « logements » doit être un nombre entier positif ou nul"),
        ([["Anzin", "SIGH", "QN05920M", "3"], ["Anzin", "SIGH", "QN05920M", "5"]],
         ":3: ligne en double : même commune, bailleur et QPV qu'à la ligne 2."),
        ([], ":1: aucune ligne de données après l'en-tête"),
    ],
)  # fmt: skip
def test_a_bad_dwellings_file_writes_nothing(tmp_path: Path, rows: list[list[str]], message: str) -> None:
    dwellings = write_csv(tmp_path / "logements.csv", [HEADER, *rows])
    with pytest.raises(DataError) as raised:
        create_project(tmp_path / "p", VALENCIENNES, dwellings, None)
    assert str(raised.value) == f"{dwellings}{message}" or str(raised.value).startswith(f"{dwellings}{message}")
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "fichier vide"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "(c'est un document PDF)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "(c'est une image PNG)"),
        (b"commune;bailleur;nombre\nAnzin;SIGH;3\n", "colonnes « qpv » et « logements » introuvables"),
    ],
)
def test_a_file_that_is_not_a_dwellings_table_writes_nothing(tmp_path: Path, content: bytes, message: str) -> None:
    dwellings = tmp_path / "logements.csv"
    dwellings.write_bytes(content)
    with pytest.raises(AtfpbError) as raised:
        create_project(tmp_path / "p", VALENCIENNES, dwellings, None)
    assert str(raised.value).startswith(str(dwellings)) and message in str(raised.value), str(raised.value)
    assert not (tmp_path / "p").exists()


def test_every_epci_gets_valid_files() -> None:
    """Across the country: every file `init` would write for an EPCI with a QPV means what the referentials say."""
    for epci in epci_reference().values():
        plan = make_plan(epci, (), None, date(2026, 11, 28), None)
        if not plan.communes:
            continue
        territory = read_text(territory_text(plan).render())
        assert isinstance(territory, dict) and territory["epci"]["siren"] == epci.siren
        for commune in plan.communes:
            read = read_text(commune_text(plan, commune).render())
            assert isinstance(read, dict)
            assert read["qpv"] == [q.code for q in quarters_of(commune.insee)]
            assert (read["nom"], read["insee"]) == (commune.nom, commune.insee)


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[Path] = []
    original = Path.write_text

    def failing(self: Path, *args: object, **kwargs: object) -> int:
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(self)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(DataError, match="écriture impossible"):
        create_project(tmp_path / "p", GRAND_AVIGNON, None, None)
    assert len(written) == 2 and not (tmp_path / "p").exists()
