"""The benchmark itself runs: a tiny territory and a one-EPCI national set, with every figure it promises."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .helpers import ROOT

pytestmark = pytest.mark.e2e
FIGURES = ("documents:", "wall:", "floor (LibreOffice seul):", "peak memory:", "no-change rebuild:", "check one")


@pytest.mark.parametrize(
    ("arguments", "documents"),
    [(["--pairs", "2"], 4), (["--national", "--limite-epci", "1", "--bailleurs", "1"], 2)],
)
def test_the_benchmark_prints_every_figure_and_a_ratio(arguments: list[str], documents: int) -> None:
    done = subprocess.run(
        [sys.executable, "bench/run.py", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(any(line.startswith(figure) for line in lines) for figure in FIGURES), done.stdout
    assert f"documents: {documents} " in done.stdout
    ratio = re.search(r"^ratio: (\d+\.\d\d)$", done.stdout, re.MULTILINE)
    assert ratio and 0.5 < float(ratio.group(1)) < 10, done.stdout
