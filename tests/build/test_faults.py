"""Faults lose nothing: a build killed at any stage, or starved of disk space at any write, leaves records true
to the files; the next build succeeds without anyone's help, and nothing is left running or lying around."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import pipeline, projects, records
from generator.build.projects import LOCK, build
from generator.errors import AtfpbError
from generator.inputs.project import Project
from generator.manifest import JOURNAL, sha256_of

from ..helpers import ROOT, copy_project

pytestmark = pytest.mark.e2e

# (stage, signal): where the build is stopped, and how (a crash, a polite stop, the whole process group).
FAULTS = [
    ("assemblage", "KILL"),
    ("conversion-en-cours", "KILL"),
    ("conversion-en-cours", "TERM"),
    ("conversion-en-cours", "GROUPE-KILL"),
    ("conversion", "KILL"),
    ("finition", "KILL"),
    ("placement-en-cours", "KILL"),
    ("placement-en-cours", "TERM"),
    ("placement-en-cours", "GROUPE-KILL"),
    ("placement", "KILL"),
]


def cli(project: Project, *arguments: str, fault: str = "") -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in its own process group, perhaps told to fail at a stage."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ATFPB_PANNE": fault}
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "--projet", str(project.root), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        start_new_session=True,
        check=False,
    )


def left_running(project: Project) -> list[str]:
    """Processes of this project still alive a moment after the build ended (workers, LibreOffice)."""
    deadline = time.monotonic() + 15
    while True:
        found = subprocess.run(["pgrep", "-af", str(project.root)], capture_output=True, text=True).stdout
        alive = [line for line in found.splitlines() if "pgrep" not in line]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def assert_records_true_to_files(project: Project) -> None:
    output = project.output
    recorded = json.loads((output / "manifest.json").read_text(encoding="utf-8"))["documents"]
    finals = {e["pdf"]: e for e in recorded if e["final"]}
    on_disk = sorted(output.glob("*/*-v*.pdf"))
    assert on_disk, "a final was expected"
    for pdf in on_disk:
        entry = finals[project.shown(pdf)]
        assert entry["sha256"] == {"docx": sha256_of(pdf.with_suffix(".docx")), "pdf": sha256_of(pdf)}
    assert not list(output.glob(".atfpb-*")), "staging or journal left behind"
    assert not (output / "manifest.json.tmp").exists()
    with open(project.root / LOCK, "w") as handle:  # nobody holds the lock any more
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


@pytest.mark.parametrize(("stage", "how"), FAULTS, ids=[f"{s}-{h}" for s, h in FAULTS])
def test_a_build_killed_at_any_stage_is_completed_by_the_next(tmp_path: Path, stage: str, how: str) -> None:
    project = copy_project(tmp_path / "projet", confirm=True)
    stopped = cli(project, "build", "--final", "roeulx", fault=f"{stage}:{how}")
    assert stopped.returncode != 0, stopped.stdout + stopped.stderr
    if how == "TERM":
        assert stopped.returncode == 143 and "Arrêté (signal TERM)" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert left_running(project) == []
    again = cli(project, "build", "--final", "roeulx")
    assert again.returncode == 0, again.stdout + again.stderr
    assert_records_true_to_files(project)
    assert [p.name for p in sorted(project.output.glob("roeulx/*-v*.pdf"))] == [
        "convention-atfpb-roeulx-maisons-et-cites-v1.pdf"
    ]
    assert left_running(project) == []


def test_a_deleted_manifest_is_rebuilt_from_the_finals_on_disk(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "projet", confirm=True)
    assert cli(project, "build", "--final", "roeulx").returncode == 0
    (project.output / "manifest.json").unlink()
    again = cli(project, "build", "--final", "roeulx")
    assert again.returncode == 1 and "retrouvée dans output/" in again.stderr and "--new-version" in again.stderr
    newer = cli(project, "build", "--final", "--new-version", "roeulx")
    assert newer.returncode == 0, newer.stderr
    assert_records_true_to_files(project)
    recorded = json.loads((project.output / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert sorted((e["version"], e.get("recovered", False)) for e in recorded if e["final"]) == [(1, True), (2, False)]


def test_a_recorded_final_missing_on_disk_is_named_never_unchanged(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "projet", confirm=True)
    assert cli(project, "build", "--final", "roeulx").returncode == 0
    (project.output / "roeulx" / "convention-atfpb-roeulx-maisons-et-cites-v1.pdf").unlink()
    again = cli(project, "build", "--final", "roeulx")
    assert again.returncode == 1 and "inchangé" not in again.stdout
    assert (
        "output/roeulx/convention-atfpb-roeulx-maisons-et-cites-v1.pdf: la version finale 1 a disparu" in again.stderr
    )


# The writes of a build, in order: each one made to fail as a full disk would.
WRITES = ["word", "pdf", "journal", "placement", "manifeste"]


@pytest.mark.parametrize("write", WRITES)
def test_a_full_disk_at_any_write_is_said_and_the_next_build_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    project = copy_project(tmp_path / "projet", confirm=True)

    def full(*_arguments: object, **_keywords: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(project.output))

    with monkeypatch.context() as patched:
        if write == "word":
            patched.setattr(pipeline, "render_docx", full)
        elif write == "pdf":
            patched.setattr(pipeline, "finish_pdf", full)
        elif write == "journal":
            patched.setattr(records, "write_journal", full)
        elif write == "placement":
            patched.setattr(records.os, "link", full)
        else:
            patched.setattr(projects, "write_manifest", full)
        with pytest.raises(AtfpbError) as caught:
            build(project, ["roeulx"], final=True, jobs=1)
    assert "plus d'espace disque" in str(caught.value) and str(project.output) in str(caught.value)
    left = {path.name for path in project.output.glob(".atfpb-*")}
    assert not left or JOURNAL in left  # what was being placed waits, with its journal, for the next build
    result = build(project, ["roeulx"], final=True, jobs=1)
    assert sorted(e.version or 0 for e in (*result.built, *result.unchanged)) == [0, 1]  # the draft, the final
    assert_records_true_to_files(project)


def test_sigterm_of_a_running_build_stops_it_cleanly(tmp_path: Path) -> None:
    """A CI cancel or `timeout` sends TERM: a French line, exit 143, nothing left."""
    project = copy_project(tmp_path / "projet", confirm=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "--projet", str(project.root), "build"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(project.output.glob(".atfpb-*/pdf")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 143 and "Arrêté (signal TERM)" in err and "Traceback" not in err
    assert left_running(project) == []
    assert not list(project.output.glob(".atfpb-*"))


@pytest.mark.parametrize(
    ("number", "said"),
    [(errno.EROFS, "dossier en lecture seule"), (errno.EACCES, "droits insuffisants"), (errno.EDQUOT, "quota")],
)
def test_a_folder_the_build_cannot_write_is_said_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, said: str
) -> None:
    project = copy_project(tmp_path / "projet")

    def refused(*_arguments: object, **_keywords: object) -> None:
        raise OSError(number, os.strerror(number), str(project.root / LOCK))

    monkeypatch.setattr(projects, "output_lock", refused)
    with pytest.raises(AtfpbError) as caught:
        build(project, ["roeulx"])
    assert said in str(caught.value) and str(project.root / LOCK) in str(caught.value)
