"""A file that hangs or crashes its reader becomes one error row; the scan finishes."""

from __future__ import annotations

import time
from pathlib import Path

from osint_kit.media.scan import scan
from osint_kit.runner.engine import map_files, run_chunk
from osint_kit.testing.corpus import jpeg_bytes


def _corpus(root: Path, bad: str, n: int = 6) -> Path:
    root.mkdir()
    for i in range(n):
        (root / f"ok_{i}.jpg").write_bytes(jpeg_bytes(seed=i))
    (root / bad).write_bytes(jpeg_bytes(seed=99))
    return root


def test_hung_worker_is_killed_and_file_becomes_timeout_row(tmp_path) -> None:
    root = _corpus(tmp_path / "corpus", "x_hang.jpg")
    start = time.monotonic()
    df = scan(root, reader="osint_kit.testing.stand_ins:sleepy_reader", workers=2, timeout=3.0,
              chunk_size=3, progress=False)
    assert time.monotonic() - start < 19  # killed, not waited out: the reader sleeps 20 s
    rows = df.set_index("file_name")
    assert rows.loc["x_hang.jpg", "error_type"] == "ProcessingTimeoutError"
    error = rows.loc["x_hang.jpg", "error"]
    assert isinstance(error, str) and "per-file limit" in error
    ok = rows.drop(index="x_hang.jpg")
    assert len(ok) == 6 and ok["error_type"].isna().all()
    assert ok["sha256"].notna().all()


def test_crashing_worker_gives_crash_row(tmp_path) -> None:
    root = _corpus(tmp_path / "corpus", "b_crash.jpg")
    df = scan(root, reader="osint_kit.testing.stand_ins:crashing_reader", workers=2, progress=False)
    rows = df.set_index("file_name")
    assert rows.loc["b_crash.jpg", "error_type"] == "WorkerCrashedError"
    assert rows.drop(index="b_crash.jpg")["error_type"].isna().all()


def _slow(path: str) -> str:
    if path.endswith("slow"):
        time.sleep(5)
    return path


def test_thread_guard_in_process(tmp_path) -> None:
    # what a Dask task runs: the stuck call is abandoned, the rest continue
    out = run_chunk(f"{__name__}:_slow", ["a", "b_slow", "c"], timeout=1.5)
    assert out[0] == "a" and out[2] == "c"
    assert out[1]["error_type"] == "ProcessingTimeoutError"


def test_map_files_generic_errors_and_order(tmp_path) -> None:
    paths = [str(tmp_path / f"f{i}") for i in range(20)]
    for p in paths[::2]:
        Path(p).write_text("x", encoding="utf-8")
    out = map_files("os.path:getsize", paths, workers=2, chunk_size=3)
    assert out[0::2] == [1] * 10
    assert all(r["error_type"] == "FileNotFoundError" for r in out[1::2])
    assert [r["path"] for r in out[1::2]] == paths[1::2]


def test_timeout_row_matches_schema(tmp_path) -> None:
    root = _corpus(tmp_path / "corpus", "z_hang.jpg", n=1)
    df = scan(root, reader="osint_kit.testing.stand_ins:sleepy_reader", workers=0, timeout=3.0, progress=False)
    rows = df.set_index("file_name")
    assert rows.loc["z_hang.jpg", "error_type"] == "ProcessingTimeoutError"
    assert rows["error_type"].isna()["ok_0.jpg"]


def test_kept_pool_is_reused_and_survives_dead_idle_workers(tmp_path) -> None:
    import os
    import signal

    from osint_kit.runner import engine

    paths = [str(tmp_path / f"f{i}") for i in range(8)]
    engine.shutdown_pools()
    first = set(map_files("osint_kit.testing.stand_ins:pid_of", paths, workers=2, chunk_size=2))
    second = set(map_files("osint_kit.testing.stand_ins:pid_of", paths, workers=2, chunk_size=2))
    assert first == second and os.getpid() not in first  # same warm workers
    for pid in first:  # as if they had exited after IDLE_EXIT seconds, or been OOM-killed
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    third = map_files("osint_kit.testing.stand_ins:pid_of", paths, workers=2, chunk_size=2)
    assert all(isinstance(p, int) for p in third) and not set(third) & first
    engine.shutdown_pools()
