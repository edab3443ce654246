"""scan_to_parquet(): part files of bounded size, manifests, and resume without redoing work."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import osint_kit.media.scan as scan_mod
from osint_kit.media.scan import arrow_schema, read_scan_parquet, scan, scan_to_parquet
from osint_kit.testing.corpus import jpeg_bytes, make_mixed_folder
from osint_kit.testing.stand_ins import CALL_LOG


def _corpus(tmp_path: Path, n: int = 10) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    for i in range(n):
        (root / f"img_{i:02d}.jpg").write_bytes(jpeg_bytes(seed=i, model=f"M{i}"))
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff garbage")
    return root


def _calls(tmp_path: Path) -> list[str]:
    log = tmp_path / CALL_LOG
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_parts_and_same_rows_as_scan(tmp_path) -> None:
    root = tmp_path / "corpus"
    make_mixed_folder(root)
    out = scan_to_parquet(root, tmp_path / "out", part_rows=4, workers=2, progress=False)
    parts = sorted(out.glob("part-*.parquet"))
    manifests = sorted((out / "_manifest").glob("part-*.json"))
    expected = scan(root, workers=2, progress=False)
    assert len(parts) == len(manifests) == -(-len(expected) // 4)
    for part in parts:
        assert pq.read_schema(part).equals(arrow_schema(), check_metadata=False)
        assert pq.read_metadata(part).num_rows <= 4
    pd.testing.assert_frame_equal(read_scan_parquet(out), expected)
    # plain pandas reads the folder too (the _manifest folder is ignored)
    assert len(pd.read_parquet(out)) == len(expected)


def test_memory_bound_rows_per_part(tmp_path, monkeypatch) -> None:
    root = _corpus(tmp_path, n=9)
    sizes: list[int] = []
    real = scan_mod.rows_to_table

    def spy(rows):  # type: ignore[no-untyped-def]
        sizes.append(len(rows))
        return real(rows)

    monkeypatch.setattr(scan_mod, "rows_to_table", spy)
    scan_to_parquet(root, tmp_path / "out", part_rows=3, workers=0, progress=False)
    assert sizes == [3, 3, 3, 1]  # never more than one part of rows in memory


def test_resume_after_interruption_redoes_nothing(tmp_path, monkeypatch) -> None:
    root = _corpus(tmp_path, n=10)  # 11 files -> parts of 3: 3,3,3,2
    out = tmp_path / "out"

    def stop_after_two(index: int) -> None:
        if index == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(scan_mod, "_AFTER_PART_HOOK", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        scan_to_parquet(root, out, part_rows=3, workers=2, progress=False,
                        reader="osint_kit.testing.stand_ins:counting_reader")
    first = _calls(tmp_path)
    assert len(list(out.glob("part-*.parquet"))) == 2
    assert len(first) >= 6
    monkeypatch.setattr(scan_mod, "_AFTER_PART_HOOK", None)
    (tmp_path / CALL_LOG).unlink()
    scan_to_parquet(root, out, part_rows=3, workers=2, progress=False,
                    reader="osint_kit.testing.stand_ins:counting_reader")
    second = _calls(tmp_path)
    done_first = {p for mf in sorted((out / "_manifest").glob("part-0000[01].json"))
                  for p in json.loads(mf.read_text())["paths"]}
    assert len(done_first) == 6
    assert not set(second) & done_first  # nothing finished is read again
    assert len(second) == len(set(second)) == 11 - 6  # each remaining file read once
    df = read_scan_parquet(out)
    assert len(df) == 11 and df["path"].is_unique


def test_orphan_part_without_manifest_is_redone(tmp_path) -> None:
    root = _corpus(tmp_path, n=5)
    out = scan_to_parquet(root, tmp_path / "out", part_rows=2, workers=0, progress=False)
    (out / "_manifest" / "part-00002.json").unlink()  # as if killed before the manifest
    scan_to_parquet(root, out, part_rows=2, workers=0, progress=False)
    df = read_scan_parquet(out)
    assert len(df) == 6 and df["path"].is_unique


def test_resume_false_starts_again(tmp_path) -> None:
    root = _corpus(tmp_path, n=3)
    out = scan_to_parquet(root, tmp_path / "out", part_rows=2, workers=0, progress=False)
    scan_to_parquet(root, out, part_rows=3, resume=False, workers=0, progress=False)
    assert len(list(out.glob("part-*.parquet"))) == 2
    assert len(read_scan_parquet(out)) == 4


def test_empty_folder_and_missing_root(tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    out = scan_to_parquet(tmp_path / "empty", tmp_path / "out", progress=False)
    df = read_scan_parquet(out)
    assert df.empty and list(df.columns) == list(arrow_schema().names)
    out2 = scan_to_parquet(tmp_path / "missing", tmp_path / "out2", progress=False)
    assert read_scan_parquet(out2)["error_type"].tolist() == ["NotAFileError"]
