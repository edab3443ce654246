"""Crash safety (SIGKILL mid-write, 50 times) and two concurrent writers."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from osint_kit.case import Case

CTX = multiprocessing.get_context("fork")  # children start in milliseconds


def _writer(case_dir: str, ack_path: str, tag: str, count: int, files_dir: str) -> None:
    """Write records one after another; after each call returns, acknowledge its id."""
    case = Case.open(case_dir, actor=f"writer-{tag}")
    fd = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        for i in range(count):
            kind = i % 4
            if kind == 0:
                rid = "notes:" + case.add_note(f"{tag} note {i}")
            elif kind == 1:
                rid = "sources:" + case.add_source(title=f"{tag} source {i}", kind="wire")
            elif kind == 2:
                path = Path(files_dir) / f"{tag}-{i}.bin"
                path.write_bytes(f"{tag} evidence {i} ".encode() * 50)
                rid = "evidence:" + case.add_evidence(path, analyse=False).id
            else:
                sid = case.add_source(title="to edit", kind="wire")
                case.update("sources", sid, title=f"{tag} edited {i}")
                rid = "sources:" + sid
            os.write(fd, (rid + "\n").encode())  # reaches the OS before the next write
    finally:
        os.close(fd)
        case.close()


def _acked(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split(":", 1)) for line in lines if line]  # type: ignore[misc]


@pytest.mark.slow
def test_sigkill_during_writes_50_times(tmp_path: Path) -> None:
    case_dir = tmp_path / "case"
    files = tmp_path / "files"
    files.mkdir()
    Case.create(case_dir, title="crash test").close()
    rng = random.Random(20221118)
    all_acked: list[tuple[str, str]] = []
    killed_mid_run = 0
    for round_no in range(50):
        ack = tmp_path / f"ack-{round_no}.txt"
        proc = CTX.Process(target=_writer,
                           args=(str(case_dir), str(ack), f"r{round_no}", 10_000, str(files)))
        proc.start()
        deadline = time.monotonic() + 30
        while not _acked(ack) and time.monotonic() < deadline and proc.is_alive():
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.08))  # a random point in the series of writes
        if proc.is_alive():
            assert proc.pid is not None  # started above
            os.kill(proc.pid, signal.SIGKILL)
            killed_mid_run += 1
        proc.join(10)
        assert proc.exitcode == -signal.SIGKILL
        all_acked += _acked(ack)
        with Case.open(case_dir) as case:  # the case always opens...
            report = case.verify()  # ...and verifies
            assert report.ok, report
            for table, rid in _acked(ack):  # every acknowledged write survived
                case.get(table, rid)
    assert killed_mid_run == 50
    with Case.open(case_dir) as case:
        for table, rid in all_acked:
            case.get(table, rid)
        assert len(case.custody()) >= len(all_acked)


@pytest.mark.parametrize("writers", [2])
def test_concurrent_writers_lose_nothing(tmp_path: Path, writers: int) -> None:
    case_dir = tmp_path / "case"
    files = tmp_path / "files"
    files.mkdir()
    Case.create(case_dir, title="concurrency").close()
    per_writer = 60
    procs = []
    for n in range(writers):
        ack = tmp_path / f"ack-{n}.txt"
        procs.append((CTX.Process(target=_writer, args=(str(case_dir), str(ack), f"w{n}",
                                                        per_writer, str(files))), ack))
    for proc, _ack in procs:
        proc.start()
    for proc, _ack in procs:
        proc.join(120)
        assert proc.exitcode == 0
    with Case.open(case_dir) as case:
        assert case.verify().ok
        for _proc, ack in procs:
            acked = _acked(ack)
            assert len(acked) == per_writer
            for table, rid in acked:
                case.get(table, rid)
        notes = case.table("notes")
        assert len(notes) == writers * per_writer // 4
        actors = set(case.custody()["actor"])
        assert {f"writer-w{n}" for n in range(writers)} <= actors
