"""The build's two pools: forked workers that tasks reach from any thread, and LibreOffice fed batch by batch, each
batch heard of as soon as it ends (so that its PDFs are finished while the next ones convert)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator.build.workers import Workers
from generator.pdf.convert import Converted, Converter, batch_size

from ..helpers import ROOT


def _where(shared: str, argument: int) -> tuple[str, int, int]:
    return shared, argument * 2, os.getpid()


def _fails(_shared: object, argument: int) -> int:
    raise ValueError(f"tâche {argument}")


def _sleeps(_shared: object, seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_tasks_run_in_forked_workers_sharing_what_the_pool_was_given() -> None:
    with Workers("partagé", 2) as workers:
        pending = [workers.submit(_where, n) for n in range(6)]
        from_a_thread: list[object] = []
        thread = threading.Thread(target=lambda: from_a_thread.append(workers.submit(_where, 10).result()))
        thread.start()
        thread.join()
        results = [task.result() for task in pending]
    assert [(shared, double) for shared, double, _pid in results] == [("partagé", 2 * n) for n in range(6)]
    assert os.getpid() not in {pid for _s, _d, pid in results}
    assert from_a_thread[0][:2] == ("partagé", 20)  # type: ignore[index]


def test_with_one_worker_a_task_runs_in_the_thread_that_asks_for_its_result() -> None:
    ran: list[str] = []

    def record(shared: str, argument: int) -> int:
        ran.append(threading.current_thread().name)
        return argument

    with Workers("partagé", 1) as workers:
        task = workers.submit(record, 3)
        assert ran == []  # nothing yet: the caller decides when
        assert task.result() == 3 and task.result() == 3
    assert ran == [threading.current_thread().name]


def test_a_task_s_error_reaches_the_caller_and_an_interrupted_pool_leaves_no_worker() -> None:
    with Workers(None, 2) as workers:
        with pytest.raises(ValueError, match="tâche 4"):
            workers.submit(_fails, 4).result()
    with pytest.raises(KeyboardInterrupt), Workers(None, 2) as workers:
        pids = {workers.submit(_sleeps, 0.0).result() for _ in range(4)}
        workers.submit(_sleeps, 30)
        raise KeyboardInterrupt
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting to be reaped is gone for our purpose
        return stat.read().split()[2] != "Z"


def test_batch_sizes_keep_every_process_busy_and_stay_bounded() -> None:
    assert batch_size(200, 2) == 20 and batch_size(30, 2) == 15 and batch_size(1, 2) == 1 and batch_size(5, 0) == 5


@pytest.mark.e2e
def test_each_batch_is_heard_of_as_soon_as_libreoffice_ends_it(tmp_path: Path) -> None:
    sample = ROOT / "templates" / "docx" / "convention.docx"
    documents = [shutil.copy(sample, tmp_path / f"document-{n}.docx") for n in range(3)]
    heard: list[tuple[list[str], int, float]] = []

    def on_batch(converted: Sequence[Converted], size: int) -> None:
        heard.append(([c.docx.name for c in converted], size, time.monotonic()))

    with Converter(tmp_path / "pdf", 1, on_batch) as office:
        office.submit([Path(documents[0])])
        office.submit([Path(d) for d in documents[1:]])
        conversion = office.finish()
    finished = time.monotonic()
    assert [(names, size) for names, size, _at in heard] == [
        (["document-0.docx"], 1),
        (["document-1.docx", "document-2.docx"], 2),
    ]
    assert heard[0][2] < heard[1][2] - 0.5 < finished  # the first batch was heard of while the second converted
    assert [c.docx.name for c in conversion.converted] == ["document-0.docx", "document-1.docx", "document-2.docx"]
    assert all(c.pdf.read_bytes().startswith(b"%PDF-") for c in conversion.converted)
    assert not conversion.failed and not conversion.incidents
