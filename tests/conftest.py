"""Shared fixtures: a private copy of the project, one real build of the examples, no traceback ever."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.build.projects import build
from generator.inputs.project import Project
from generator.manifest import Entry

from .helpers import copy_project


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


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, list[Entry]]:
    """Every example convention, built once with the real LibreOffice, its values to confirm confirmed (drafts that
    show values still to confirm are tested on their own)."""
    project = copy_project(tmp_path_factory.mktemp("examples"), confirm=True)
    return project, list(build(project).built)
