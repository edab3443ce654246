"""perceptual_hashes and inspect_scan on the batch engine: timeouts and the Dask engine."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from osint_kit.errors import (
    CorruptImageError,
    EvidenceError,
)
from osint_kit.media.forensics.inspect import (
    FINDING_COLUMNS,
    _inspect_record,
    inspect,
    inspect_scan,
)
from osint_kit.media.scan import scan
from osint_kit.media.similar.hashes import HASH_COLUMNS, perceptual_hashes
from osint_kit.runner import isolated
from osint_kit.runner.engine import map_files
from osint_kit.testing.image_sets import jpeg_bytes, structured_image
from osint_kit.testing.stand_ins import HANGING, assert_crash_and_hang_contained


def _mixed_set(root: Path, n_good: int = 6) -> list[Path]:
    """Good JPEGs and PNGs, plus empty, truncated, not-an-image files (known truth)."""
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n_good):
        p = root / (f"good_{i}.jpg" if i % 3 else f"good_{i}.png")
        if p.suffix == ".jpg":
            p.write_bytes(jpeg_bytes(structured_image(i, (320, 240)), 85))
        else:
            structured_image(i, (120, 90)).save(p)
        paths.append(p)
    (root / "empty.jpg").write_bytes(b"")
    good = jpeg_bytes(structured_image(42, (256, 256)), 90)
    (root / "truncated.jpg").write_bytes(good[: len(good) // 3])
    (root / "notes.jpg").write_text("not an image", encoding="utf-8")
    return [*paths, root / "empty.jpg", root / "truncated.jpg", root / "notes.jpg"]


def _sleepy_inspect(
    item: str, records: tuple[dict[str, Any], ...], read_files: bool, daylight: bool
) -> list[dict[str, Any]]:
    """inspect_scan's worker body, hanging on ``*hang*`` files with signals blocked."""
    if "hang" in os.path.basename(str(records[int(item)]["path"])):
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM, signal.SIGINT, signal.SIGTERM])
        time.sleep(20)
    return _inspect_record(records[int(item)], read_files, daylight)


@pytest.mark.parametrize("workers", [2, 0])
def test_inspect_scan_hanging_file_becomes_unreadable_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    from osint_kit.media.forensics import inspect as findings

    paths = _mixed_set(tmp_path / "set")
    hang = tmp_path / "set" / "x_hang.jpg"
    hang.write_bytes(paths[1].read_bytes())
    df = scan(tmp_path / "set", workers=0, progress=False)
    plain = inspect_scan(df, progress=False)
    monkeypatch.setattr(findings, "_INSPECT_ITEM", f"{__name__}:_sleepy_inspect")
    out = inspect_scan(df, progress=False, workers=workers, timeout=2.0, chunk_size=3)
    assert list(out.columns) == list(FINDING_COLUMNS)
    hung = out[out["path"] == str(hang)]
    assert hung["code"].tolist() == ["unreadable_file"]
    evidence = hung["evidence"].iloc[0]
    assert '"error_type": "ProcessingTimeoutError"' in evidence and str(hang) in evidence
    # every other file gives exactly its in-process findings, in the scan's order
    keep_out, keep_plain = out["path"] != str(hang), plain["path"] != str(hang)
    pd.testing.assert_frame_equal(out[keep_out].reset_index(drop=True),
                                  plain[keep_plain].reset_index(drop=True))


# --- inspect(path) in a worker: a crash or a hang on one file does not take the notebook down ---


def _codes_inside_a_worker(path: str) -> tuple[str, ...]:
    """inspect(path) called from a worker process, which may not start processes itself."""
    return inspect(path).codes


def _records(found: Any) -> list[dict[str, Any]]:
    return [f.to_record() for f in found]


def test_inspect_of_a_path_runs_in_a_worker_with_the_same_result(tmp_path: Path) -> None:
    for p in _mixed_set(tmp_path / "set"):
        try:
            here = _records(inspect.here(p))
        except EvidenceError as err:
            with pytest.raises(type(err)) as caught:
                inspect(p)
            assert (caught.value.path, caught.value.reason) == (err.path, err.reason)
            continue
        assert _records(inspect(p)) == here, p.name


def test_inspect_survives_a_crashing_or_hanging_decoder(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    good = _mixed_set(tmp_path / "set")[1]
    assert_crash_and_hang_contained(monkeypatch, inspect,
                                    lambda **kw: inspect(good, **kw), good)
    assert _records(inspect(good)) == _records(inspect.here(good))  # still works


def test_interrupting_an_isolated_inspect_stops_it(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The notebook's interrupt button (KeyboardInterrupt) ends a call stuck in a decoder
    at once, which it could not do while the decoder ran in the notebook's own process."""
    good = _mixed_set(tmp_path / "set")[1]
    expected = _records(inspect(good))  # the worker is warm

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(inspect, "_target", HANGING)
    previous = signal.signal(signal.SIGALRM, interrupt)
    start = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with pytest.raises(KeyboardInterrupt):
            inspect(good, timeout=60.0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - start < 10  # not the 20 s the worker would sleep
    monkeypatch.undo()
    assert _records(inspect(good)) == expected  # a fresh worker takes over


def test_inspect_inside_a_worker_runs_there(tmp_path: Path) -> None:
    good = _mixed_set(tmp_path / "set")[1]
    # two files: a batch of one would run in this process
    results = map_files(f"{__name__}:_codes_inside_a_worker", [str(good)] * 2, workers=1,
                        timeout=60.0)
    assert results == [inspect.here(good).codes] * 2


@isolated
def _echo(path: str, *args: Any) -> tuple[str, tuple[Any, ...], bool]:
    return path, args, os.path.exists(path)


def test_isolated_call_passes_any_name_and_text_intact(tmp_path: Path) -> None:
    odd = os.path.join(os.fsencode(tmp_path), b"caf\xe9 \xff.jpg")  # not UTF-8
    with open(odd, "wb") as fh:
        fh.write(b"x")
    name = os.fsdecode(odd)
    args = ("photo from https://x.test/a?b=1", 2.5, None, True)  # "://" is not a URL here
    assert _echo(name, *args) == (name, args, True)


def test_evidence_errors_cross_processes_intact() -> None:
    import pickle

    err = pickle.loads(pickle.dumps(CorruptImageError("/x/a.jpg", "truncated at byte 12")))
    assert type(err) is CorruptImageError
    assert (err.path, err.reason, str(err)) == ("/x/a.jpg", "truncated at byte 12",
                                                 "/x/a.jpg: truncated at byte 12")


@pytest.fixture
def client(dask_client: Any) -> Any:
    """The suite's shared Dask cluster (tests/conftest.py)."""
    return dask_client


@pytest.mark.enable_socket
@pytest.mark.slow
def test_dask_engine_equals_local(tmp_path: Path, client: Any) -> None:
    paths = _mixed_set(tmp_path / "set")
    local = perceptual_hashes(paths, workers=2, progress=False)
    on_dask = perceptual_hashes(paths, engine="dask", client=client, chunk_size=3, progress=False)
    assert list(on_dask.columns) == list(HASH_COLUMNS)
    pd.testing.assert_frame_equal(on_dask, local)
    assert local["phash"].notna().sum() == 6
    errors = local.set_index(local["path"].map(lambda p: Path(p).name))["error_type"]
    assert errors["empty.jpg"] == "EmptyFileError"
    assert errors["notes.jpg"] == "UnsupportedFormatError"
    df = scan(tmp_path / "set", workers=0, progress=False)
    found = inspect_scan(df, progress=False, workers=2)
    found_dask = inspect_scan(df, progress=False, engine="dask", client=client, chunk_size=4)
    pd.testing.assert_frame_equal(found_dask, found)
    assert set(found.loc[found["code"] == "unreadable_file", "path"]) >= {
        str(tmp_path / "set" / "empty.jpg"), str(tmp_path / "set" / "notes.jpg")}


def test_inspect_scan_in_batches_gives_the_same_rows(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Records travel to the workers a batch at a time; order and rows are unchanged."""
    from osint_kit.media.forensics import inspect as findings

    _mixed_set(tmp_path / "set", n_good=9)
    df = scan(tmp_path / "set", workers=0, progress=False)
    whole = inspect_scan(df, progress=False, workers=2)
    monkeypatch.setattr(findings, "INSPECT_BATCH", 4)
    batched = inspect_scan(df, progress=False, workers=2)
    pd.testing.assert_frame_equal(batched, whole)
    assert list(dict.fromkeys(batched["path"])) == list(dict.fromkeys(df["path"]))
