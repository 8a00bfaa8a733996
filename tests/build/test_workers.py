"""The build's two pools: forked workers that tasks reach from any thread, and LibreOffice fed batch by batch, each
PDF heard of as soon as it is written (so that it is finished while the next ones convert)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from generator.build.workers import Workers
from generator.pdf.convert import Converted, Converter, _Announced, batch_size

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
def test_each_pdf_is_heard_of_as_soon_as_libreoffice_has_written_it(tmp_path: Path) -> None:
    sample = ROOT / "templates" / "docx" / "convention.docx"
    documents = [Path(shutil.copy(sample, tmp_path / f"document-{n}.docx")) for n in range(4)]
    heard: list[tuple[str, float, bool]] = []

    def on_converted(converted: Converted) -> None:
        heard.append((converted.docx.name, time.monotonic(), _pdf_whole(converted.pdf)))

    def on_batch(size: int) -> None:
        heard.append((f"lot de {size}", time.monotonic(), True))

    with Converter(tmp_path / "pdf", 1, on_converted, on_batch) as office:
        office.submit(documents[:1])
        office.submit(documents[1:])
        conversion = office.finish()
    names = [name for name, _at, _whole in heard]
    assert names == ["document-0.docx", "lot de 1", "document-1.docx", "document-2.docx", "document-3.docx", "lot de 3"]
    assert all(whole for _name, _at, whole in heard)  # each PDF was whole when it was heard of
    at = {name: moment for name, moment, _whole in heard}
    assert at["document-1.docx"] < at["document-2.docx"] < at["document-3.docx"]  # one by one, not all at the end
    assert at["document-0.docx"] < at["document-1.docx"] - 0.1  # the first batch heard of while the second converted
    assert [c.docx.name for c in conversion.converted] == [d.name for d in documents]
    assert not conversion.failed and not conversion.incidents


def _pdf_whole(pdf: Path) -> bool:
    data = pdf.read_bytes()
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


def test_a_pdf_is_told_when_libreoffice_takes_the_next_document_and_only_once(tmp_path: Path) -> None:
    batch = [tmp_path / "a.docx", tmp_path / "b -> c.docx", tmp_path / "d.docx"]
    for docx in batch[:2]:
        (tmp_path / f"{docx.stem}.pdf").write_bytes(b"%PDF-1.7\n...\n%%EOF\n")
    told: list[str] = []
    announced = _Announced(batch, tmp_path, lambda converted: told.append(converted.docx.name))
    say = announced.heard
    say("Warning: failed to launch javaldx - java may not function correctly")
    say(f"convert {batch[0]} -> {tmp_path}/a.pdf using filter : writer_pdf_Export")
    assert told == []  # a.pdf is being written
    say(f"convert {batch[1]} -> {tmp_path}/b -> c.pdf using filter : writer_pdf_Export")
    assert told == ["a.docx"]
    say(f"convert {tmp_path}/elsewhere.docx -> {tmp_path}/elsewhere.pdf using filter : writer_pdf_Export")
    say(f"convert {batch[1]} -> {tmp_path}/b -> c.pdf using filter : writer_pdf_Export")
    assert told == ["a.docx"]  # a document not of the batch tells nothing; b is told when the next one is taken
    say(f"convert {batch[2]} -> {tmp_path}/d.pdf using filter : writer_pdf_Export")
    assert told == ["a.docx", "b -> c.docx"]
    say("Error: source file could not be loaded")
    assert told == ["a.docx", "b -> c.docx"] and set(announced.told) == set(batch[:2])  # d: when the process ends


def test_a_pdf_not_whole_when_the_next_document_is_taken_waits_for_the_end_of_its_batch(tmp_path: Path) -> None:
    batch = [tmp_path / "a.docx", tmp_path / "b.docx"]
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7\n... cut short")
    told: list[Converted] = []
    announced = _Announced(batch, tmp_path, told.append)
    for docx in batch:
        announced.heard(f"convert {docx} -> {tmp_path}/{docx.stem}.pdf using filter : writer_pdf_Export")
    assert told == [] and announced.told == {}
