"""Shared fixtures: a private copy of the project, one real build of the examples, text readers."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.build import build
from generator.manifest import Entry
from generator.project import Project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_traceback_ever(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the whole suite: no command prints a Python traceback, whatever it is given."""
    invoke = CliRunner.invoke

    def guarded(self: CliRunner, *args: Any, **kwargs: Any) -> Result:
        result = invoke(self, *args, **kwargs)
        assert "Traceback" not in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        return result

    monkeypatch.setattr(CliRunner, "invoke", guarded)


def copy_project(destination: Path) -> Project:
    """A copy of the project's inputs (instances, clauses, template) that a test may change."""
    for folder in ("instances", "clauses", "templates"):
        shutil.copytree(ROOT / folder, destination / folder)
    return Project(destination)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, list[Entry]]:
    """Every example convention, built once with the real LibreOffice."""
    project = copy_project(tmp_path_factory.mktemp("examples"))
    return project, list(build(project).built)


def normalise(text: str) -> str:
    """Text as a reader sees it: non-breaking spaces as spaces, lines joined, spaces collapsed."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> str:
    return normalise(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout)


def docx_text(path: Path) -> str:
    result = subprocess.run(
        ["pandoc", "-t", "plain", "--wrap=none", str(path)], check=True, capture_output=True, text=True
    )
    return normalise(result.stdout)


def location_of(text: str, needle: str) -> str:
    """'line:column' (1-based) of the first occurrence of `needle` in `text`."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"
