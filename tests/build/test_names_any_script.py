"""A legitimate name in any script (Arabic, an emoji, direction marks) is no missing signatory; an invisible
character in a name is made visible in the message about it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build.projects import build
from generator.cli import main

from ..helpers import copy_project, pdf_text

MAYOR = 'maire:\n  titulaires:\n    - civilite: Mme\n      prenom: "Nour\u200f 🌟"\n      nom: "الهدى BEN\u200bALI"'


@pytest.mark.e2e
def test_a_mayor_named_in_arabic_with_an_emoji_and_marks_signs(tmp_path: Path) -> None:
    project = copy_project(tmp_path, confirm=True)
    path = project.instances / "communes" / "roeulx.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("maire:", MAYOR + "\nancien_maire:", 1).replace("ancien_maire:", "#"), encoding="utf-8"
    )
    (entry,) = build(project, ["roeulx"]).built  # the build's own checks find no missing signatory
    assert entry.findings == ()
    assert "الهدى" in pdf_text(project.root / entry.pdf)


def test_an_invisible_character_in_a_name_is_shown_in_the_message(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    path = project.instances / "communes" / "lourches.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nom: Lourches", "nom: Lour\u200bches"), encoding="utf-8")
    result = CliRunner().invoke(main, ["--projet", str(project.root), "validate"])
    assert result.exit_code == 1
    assert "est « Lourches », pas « Lour⟨U+200B⟩ches »" in result.stderr
