"""The ``meta`` and ``scan`` subcommands, run in-process through osint_kit.cli.main."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pytest

from osint_kit.cli import main
from osint_kit.media.read.schema import SCAN_COLUMNS
from osint_kit.testing.images import gps_tags, make_image


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "photos"
    d.mkdir()
    make_image(d / "a.jpg", exif={"Make": "Canon", "Model": "EOS\x1b[31m",
                                  "DateTimeOriginal": "2022:11:18 10:30:00",
                                  "OffsetTimeOriginal": "+05:30"},
               gps=cast("Mapping[str | int, Any]", gps_tags(-33.5, -70.25)))  # str keys only
    make_image(d / "b.png", "PNG")
    (d / "broken.jpg").write_bytes(b"not an image")
    return d


def test_meta_table(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["meta", str(folder / "a.jpg"), str(folder / "b.png")])
    out = capsys.readouterr().out
    assert code == 0
    assert "a.jpg" in out and "Canon" in out and "+05:30" in out
    assert "-33.500000,-70.250000" in out
    assert "\x1b" not in out  # control characters from the file never reach the terminal
    assert "none" in out.splitlines()[2]  # b.png: no metadata at all


def test_meta_json_and_errors(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["meta", "--json", str(folder / "a.jpg"), str(folder / "broken.jpg"),
                 str(folder)])
    captured = capsys.readouterr()
    assert code == 1
    records = json.loads(captured.out)
    assert [tuple(r) for r in records] == [SCAN_COLUMNS] * 3
    assert records[0]["datetime_original"] == "2022-11-18T10:30:00+05:30"
    assert records[0]["datetime_original_utc"] == "2022-11-18T05:00:00+00:00"
    assert records[1]["error_type"] == "UnsupportedFormatError"
    assert records[2]["error_type"] == "NotAFileError"
    assert "broken.jpg: UnsupportedFormatError" in captured.err


def test_scan_writes_csv_and_parquet(folder: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("out.csv", "out.parquet"):
        out = tmp_path / name
        code = main(["scan", str(folder), "--out", str(out), "--workers", "0", "--quiet"])
        assert code == 0
        df = pd.read_csv(out) if name.endswith(".csv") else pd.read_parquet(out)
        assert list(df.columns) == list(SCAN_COLUMNS)
        assert len(df) == 3
        assert df["error"].notna().sum() == 1
    assert "3 files scanned, 1 could not be read" in capsys.readouterr().out


def test_scan_md5_flag(folder: Path, tmp_path: Path) -> None:
    plain, with_md5 = tmp_path / "plain.csv", tmp_path / "md5.csv"
    assert main(["scan", str(folder), "--out", str(plain), "--workers", "0", "--quiet"]) == 0
    assert main(["scan", str(folder), "--out", str(with_md5), "--workers", "0", "--quiet",
                 "--md5"]) == 0
    assert pd.read_csv(plain)["md5"].isna().all()
    good = pd.read_csv(with_md5).dropna(subset=["sha256"])
    assert len(good) == 2 and good["md5"].str.fullmatch(r"[0-9a-f]{32}").all()


def test_scan_rejects_unknown_suffix(folder: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", str(folder), "--out", str(tmp_path / "x.xlsx"), "--quiet"])
    assert code == 2
    assert ".csv or .parquet" in capsys.readouterr().err


def test_meta_full_names_and_camera(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Names longer than 28 characters are printed whole; make + model never "Canon Canon"."""
    a = tmp_path / "2022-11-18_overhead_view_of_tumangang_A.jpg"
    b = tmp_path / "2022-11-18_overhead_view_of_tumangang_B.jpg"
    make_image(a, exif={"Make": "Canon", "Model": "Canon EOS 5D Mark IV"})
    make_image(b, exif={"Make": "NIKON CORPORATION", "Model": "NIKON D850"})
    assert main(["meta", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert a.name in out and b.name in out
    assert "Canon Canon" not in out and "Canon EOS 5D Mark IV" in out
    assert "NIKON D850" in out and "NIKON CORPORATION NIKON" not in out


def test_inspect_hashes_and_duplicates(folder: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    a = folder / "a.jpg"
    assert main(["inspect", str(a), "--no-daylight"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:4] == ["file", "severity", "code", "title"]
    assert "a.jpg" in out and "\x1b" not in out
    assert main(["inspect", str(a), "--json", "--no-daylight"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records and {"code", "severity", "explanation"} <= set(records[0])
    assert main(["inspect", str(folder / "broken.jpg")]) == 1

    copy = folder / "a_copy.jpg"
    copy.write_bytes(a.read_bytes())
    out_csv = tmp_path / "hashes.csv"
    assert main(["hashes", str(folder), "--out", str(out_csv), "--workers", "0"]) == 1  # broken
    assert main(["hashes", str(a), str(copy), "--workers", "0"]) == 0
    hashes = pd.read_csv(out_csv)
    assert {"path", "phash", "sha256"} <= set(hashes.columns) and len(hashes) == 4
    capsys.readouterr()
    assert main(["duplicates", str(folder), "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert "a.jpg" in out and "a_copy.jpg" in out and "cluster_size" in out
    assert main(["duplicates", str(a), str(folder / "b.png"), "--max-distance", "0",
                 "--workers", "0"]) == 0
    assert "no near-duplicates within 0 bits among 2 files" in capsys.readouterr().out


def test_meta_json_writes_c1_controls_as_escapes(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A file name with U+009B (the one-byte CSI) reaches the terminal as ``\\u009b`` in the
    JSON, never raw; the JSON still reads back to the same name."""
    name = "x\u009b31mred\u007f.jpg"
    make_image(tmp_path / name)
    assert main(["meta", str(tmp_path / name), "--json"]) == 0
    out = capsys.readouterr().out
    assert "\u009b" not in out and "\u007f" not in out
    assert "\\u009b" in out
    assert json.loads(out)[0]["file_name"] == name
