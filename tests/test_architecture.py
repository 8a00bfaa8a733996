"""The architecture holds: import-linter's contracts (layers, independence of reading/) kept, small modules."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter run on the `generator` package found in `root`, with the project's contracts."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("reading/lines.py", "from ..render import ooxml", "Reading a document loads neither"),
        ("reading/docx.py", "import docxtpl", "Reading a document loads neither"),
        ("checks/data.py", "from ..assembly import context", "Checks read documents through reading/"),
        ("model/territory.py", "from ..inputs import referentials", "Stages are layers"),
        ("inputs/legal.py", "import pikepdf", "Each library in one place"),
        ("inputs/legal.py", "from . import rules", "No import loop"),  # rules.py imports legal.py
        ("inputs/workbook/layout.py", "from .. import project", "No import loop"),  # project reads workbooks
    ],
)
def test_an_import_against_the_layout_breaks_a_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "generator" / module
    text = path.read_text(encoding="utf-8")
    future = "from __future__ import annotations\n"
    path.write_text(text.replace(future, f"{future}{line}\n", 1), encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert contract in " ".join(result.stdout.split()), result.stdout


def test_no_module_is_longer_than_about_400_lines() -> None:
    lengths = {
        p.relative_to(ROOT): len(p.read_text(encoding="utf-8").splitlines()) for p in ROOT.glob("generator/**/*.py")
    }
    assert {p: n for p, n in lengths.items() if n > 420} == {}
