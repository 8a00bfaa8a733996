"""Signed originals: four parties sign our final in turn (pyHanko, test certificates), and every way a returned
file can differ from that — a page added, a field unsigned, a forged value, another base, overlaid text, active
content — is reported as such, with exit code 1; `status` places the copies dropped in signes/."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfWriter

from generator.build.projects import build
from generator.cli import main
from generator.inputs.project import Project

from ..helpers import copy_project
from ..signing import FIELDS, SIGNERS, Authority, make_authority, sign, sign_in_turn


@dataclass(frozen=True)
class Setting:
    project: Project
    final: Path  # Lourches' convention, version 1
    authority: Authority


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Setting:
    project = copy_project(tmp_path_factory.mktemp("signes"), confirm=True)
    (entry,) = [e for e in build(project, ["lourches"], final=True, kind="convention").built if e.final]
    authority = make_authority(tmp_path_factory.mktemp("autorite"), SIGNERS)
    return Setting(project, project.root / entry.pdf, authority)


@pytest.fixture(scope="module")
def signed(setting: Setting, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our final, signed by the four parties one after the other."""
    return sign_in_turn(setting.final, tmp_path_factory.mktemp("circuit"), setting.authority)


def verify(setting: Setting, path: Path, trusted: bool = True) -> Result:
    trust = ["--confiance", str(setting.authority.folder)] if trusted else []
    return CliRunner().invoke(main, ["--projet", str(setting.project.root), "verify", *trust, str(path)])


def test_four_parties_signing_in_turn_make_a_complete_original(setting: Setting, signed: Path) -> None:
    result = verify(setting, signed)
    assert result.exit_code == 0, result.output
    assert "ordre des signatures : " + ", ".join(f"{n}. {f}" for n, f in enumerate(FIELDS, 1)) in result.output
    for field, name in zip(FIELDS, SIGNERS, strict=True):
        assert re.search(
            rf"{field} \(« [^»]+ »\), page \d+ : signé par {name} le .* \(certificat reconnu\)\n", result.output
        )
    assert "signé sur output/lourches/convention-atfpb-lourches-partenord-habitat-v1.pdf (version 1 finale" in (
        result.output
    )
    assert "ajouté depuis : des signatures seulement." in result.output
    assert "bilan : original signé complet" in result.output and "PDF/A : PDF/A-2b" in result.output


def test_each_signature_on_the_way_leaves_the_others_to_collect(setting: Setting, signed: Path) -> None:
    for number in range(1, 4):
        partial = signed.with_name(f"signe-{number}.pdf")
        result = verify(setting, partial)
        assert result.exit_code == 1, result.output
        assert result.output.count(": signé par ") == number
        assert f"{4 - number} signature(s) à recueillir : {', '.join(FIELDS[number:])}." in result.output


def test_our_unsigned_final_is_ours_but_not_signed(setting: Setting) -> None:
    result = verify(setting, setting.final)
    assert result.exit_code == 1
    assert "manifeste : conforme à l'entrée output/lourches/convention-atfpb-lourches-partenord-habitat-v1.pdf" in (
        result.output
    )
    assert result.output.count(": à signer") == 4 and "4 signature(s) à recueillir" in result.output


def test_a_certificate_no_authority_vouches_for_is_said(setting: Setting, signed: Path) -> None:
    result = verify(setting, signed, trusted=False)
    assert result.exit_code == 1
    assert result.output.count("certificat NON reconnu par les autorités de confiance") == 4
    assert "certificat(s) non reconnu(s) : " + ", ".join(FIELDS) in result.output


def test_a_page_appended_after_the_last_signature(setting: Setting, signed: Path, tmp_path: Path) -> None:
    writer = PdfWriter(str(signed), incremental=True)
    writer.add_blank_page()
    appended = tmp_path / "page-ajoutee.pdf"
    writer.write(str(appended))
    assert appended.read_bytes().startswith(signed.read_bytes())  # the signatures' bytes are all still there
    result = verify(setting, appended)
    assert result.exit_code == 1
    assert "ajouté depuis : autres modifications" in result.output and "modifié après notre version" in result.output
    assert "ATTENTION : le document a été modifié après cette signature" in result.output
    assert "original signé complet" not in result.output


def test_one_field_left_unsigned(setting: Setting, tmp_path: Path) -> None:
    three = sign_in_turn(setting.final, tmp_path, setting.authority, fields=[FIELDS[0], FIELDS[1], FIELDS[3]])
    result = verify(setting, three)
    assert result.exit_code == 1
    assert f"{FIELDS[2]} (« Mme Dalila DUWEZ-GUESMIA »), page" in result.output
    assert "1 signature(s) à recueillir : signature-maire." in result.output


def _contents(data: bytes) -> list[re.Match[bytes]]:
    """The signature values (hexadecimal CMS, thousands of digits), in file order."""
    return [m for m in re.finditer(rb"/Contents <([0-9a-fA-F]+)>", data) if len(m.group(1)) > 1000]


def test_a_forged_signature_value_is_never_called_signed(setting: Setting, signed: Path, tmp_path: Path) -> None:
    data = bytearray(signed.read_bytes())
    last = _contents(bytes(data))[-1]
    data[last.start(1) : last.end(1)] = b"0" * (last.end(1) - last.start(1))  # no CMS signature at all
    forged = tmp_path / "fausse.pdf"
    forged.write_bytes(data)
    result = verify(setting, forged)
    assert result.exit_code == 1
    assert re.search(
        r"signature-bailleur \(« [^»]+ »\), page \d+ : NON SIGNÉ — valeur de signature fausse", result.output
    )
    assert result.output.count(": signé par ") == 3


def test_a_signature_value_copied_from_another_field_is_invalid(setting: Setting, signed: Path, tmp_path: Path) -> None:
    data = bytearray(signed.read_bytes())
    first, last = _contents(bytes(data))[0], _contents(bytes(data))[-1]
    value = first.group(1).ljust(last.end(1) - last.start(1), b"0")[: last.end(1) - last.start(1)]
    data[last.start(1) : last.end(1)] = value  # a real CMS signature, of other bytes
    copied = tmp_path / "copiee.pdf"
    copied.write_bytes(data)
    result = verify(setting, copied)
    assert result.exit_code == 1
    assert re.search(r"signature-bailleur \(« [^»]+ »\), page \d+ : NON SIGNÉ — signature invalide", result.output)


def test_signed_on_a_version_since_replaced(setting: Setting, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "projet", confirm=True)
    (entry,) = [e for e in build(project, ["lourches"], final=True, kind="convention").built if e.final]
    commune = project.instances / "communes" / "lourches.yaml"
    text = commune.read_text(encoding="utf-8")
    figure = re.search(r"(QN\w+): (\d+)", text)
    assert figure is not None
    commune.write_text(text.replace(figure.group(0), f"{figure.group(1)}: {int(figure.group(2)) + 6}"), "utf-8")
    build(project, ["lourches"], final=True, new_version=True, kind="convention")
    complete = sign_in_turn(project.root / entry.pdf, tmp_path, setting.authority)
    result = CliRunner().invoke(
        main, ["--projet", str(project.root), "verify", "--confiance", str(setting.authority.folder), str(complete)]
    )
    assert result.exit_code == 1
    assert result.output.count(": signé par ") == 4  # every signature holds, on the wrong version
    assert "remplacée par la version 2 (output/lourches/convention-atfpb-lourches-partenord-habitat-v2.pdf" in (
        result.output
    )
    assert "version remplacée par la version 2" in result.output


def test_signed_on_a_file_we_never_produced(setting: Setting, tmp_path: Path) -> None:
    resaved = tmp_path / "reenregistre.pdf"
    with pikepdf.open(setting.final) as pdf:  # opened and saved again by some tool: other bytes, same /ID
        pdf.save(resaved, static_id=True)
    complete = sign_in_turn(resaved, tmp_path, setting.authority)
    result = verify(setting, complete)
    assert result.exit_code == 1
    assert "porte l'identifiant de output/lourches/convention-atfpb-lourches-partenord-habitat-v1.pdf" in result.output
    assert "pas fait sur un document produit par ce projet" in result.output


def _overlay(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page.add_resource(font, pikepdf.Name.Font, pikepdf.Name("/Ajout"))
    page.contents_add(pdf.make_stream(b"BT /Ajout 14 Tf 72 72 Td (Montant : 999 999 euros) Tj ET"), prepend=False)


def test_a_copy_with_text_overlaid_keeps_our_identifier_but_not_our_content(setting: Setting, tmp_path: Path) -> None:
    overlaid = tmp_path / "surcharge.pdf"
    with pikepdf.open(setting.final) as pdf:
        identifier = bytes(pdf.trailer.ID[0])
        _overlay(pdf)
        pdf.save(overlaid, static_id=True)
    with pikepdf.open(overlaid) as pdf:
        assert bytes(pdf.trailer.ID[0]) == identifier
    result = verify(setting, overlaid)
    assert result.exit_code == 1
    assert "mais son contenu a été changé : ce n'est pas le document produit" in result.output
    assert "conforme" not in result.output


def test_text_overlaid_as_an_update_after_our_version(setting: Setting, tmp_path: Path) -> None:
    updated = tmp_path / "mise-a-jour.pdf"
    with pikepdf.open(setting.final) as pdf:
        _overlay(pdf)
        pdf.save(updated, static_id=True)
    incremental = tmp_path / "incrementale.pdf"
    writer = PdfWriter(str(setting.final), incremental=True)
    writer.pages[0].merge_page(PdfWriter(str(updated)).pages[0])
    writer.write(str(incremental))
    result = verify(setting, incremental)
    assert result.exit_code == 1
    assert "ajouté depuis : autres modifications" in result.output and "conforme" not in result.output


@pytest.mark.parametrize(
    ("action", "said"),
    [
        (lambda pdf: pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')")), "JavaScript"),
        (lambda pdf: pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")), "action de lancement"),
    ],
)
def test_active_content_is_never_called_pdfa_or_conforme(
    setting: Setting, tmp_path: Path, action: object, said: str
) -> None:
    active = tmp_path / "actif.pdf"
    with pikepdf.open(setting.final) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(action(pdf))  # type: ignore[operator]
        pdf.save(active, static_id=True)
    result = verify(setting, active)
    assert result.exit_code == 1
    assert f"contenu actif : {said}" in result.output
    assert "PDF/A-2b" not in result.output and "conforme" not in result.output
    signed = sign_in_turn(active, tmp_path, setting.authority)
    after_signing = verify(setting, signed)
    assert after_signing.exit_code == 1 and "PDF/A-2b" not in after_signing.output


def test_status_shows_the_signed_convention_dropped_in_signes(setting: Setting, signed: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path, confirm=True)
    shutil.copytree(setting.project.output, project.output)
    dropped = project.root / "signes" / "retours préfecture"
    dropped.mkdir(parents=True)
    shutil.copy(signed, dropped / "Convention Lourches SIGNEE.pdf")  # any name: matched by content
    shutil.copy(signed.with_name("signe-2.pdf"), project.root / "signes" / "en-cours.pdf")
    (project.root / "signes" / "autre.pdf").write_bytes(b"%PDF-1.7 rien")
    trust = ["--confiance", str(setting.authority.folder)]
    result = CliRunner().invoke(main, ["--projet", str(project.root), "status", *trust])
    assert result.exit_code == 0, result.output
    block = result.output.split("lourches × partenord-habitat — convention\n")[1].split("\n", 4)
    assert block[0] == (  # built with the final, from the same data
        "  projet : output/lourches/convention-atfpb-lourches-partenord-habitat.pdf (2025-03-14) : 0 erreur(s), "
        "0 avertissement(s)"
    )
    assert block[1].startswith("  version 1 : output/lourches/convention-atfpb-lourches-partenord-habitat-v1.pdf")
    assert block[1].endswith("en vigueur")
    assert "signes/en-cours.pdf (sur la version 1) — signé : signature-prefet (Préfet d'essai)" in result.output
    assert "à signer : signature-maire (Mme Dalila DUWEZ-GUESMIA), signature-bailleur" in result.output
    assert (
        "signes/retours préfecture/Convention Lourches SIGNEE.pdf (sur la version 1) — complet, signé par "
        + ", ".join(SIGNERS)
    ) in result.output
    assert "non reconnu : signes/autre.pdf" in result.output
    assert "denain × maisons-et-cites — convention\n  projet : pas encore produit" in result.output
    data = json.loads(
        CliRunner().invoke(main, ["--projet", str(project.root), "status", "--format", "json", *trust]).output
    )
    lourches = next(d for d in data["documents"] if (d["commune"], d["type"]) == ("lourches", "convention"))
    complete = next(c for c in lourches["signes"] if c["complet"])
    assert [s["champ"] for s in complete["signatures"]] == FIELDS and complete["a_signer"] == []
    assert [s["signataire"] for s in complete["signatures"]] == SIGNERS
    assert data["non_reconnus"][0]["fichier"] == "signes/autre.pdf"


def test_signing_one_more_field_than_planned_is_seen(setting: Setting, signed: Path, tmp_path: Path) -> None:
    """A platform that adds its own field: the extra signature is listed, ours are what completes the original."""
    extra = sign(signed, tmp_path / "plus.pdf", "signature-temoin", setting.authority.signers[SIGNERS[0]])
    result = verify(setting, extra)
    assert "signature-temoin" in result.output and result.output.count(": signé par ") == 5
