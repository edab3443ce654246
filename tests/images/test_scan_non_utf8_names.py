r"""File names that are not UTF-8 (cp1251 and the like, common in leaked archives).

Python keeps their bytes as surrogates, which Arrow, Parquet and CSV refuse: one such name used
to make the whole scan fail when its table was built, after every file had been read. The
rows now show those bytes as ``\xNN`` escapes, and osint_kit finds the file again from them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from osint_kit.media.forensics.inspect import inspect_scan
from osint_kit.media.read.metadata import read_metadata
from osint_kit.media.scan import read_scan_parquet, scan, scan_to_parquet
from osint_kit.testing.corpus import jpeg_bytes

NAME = "Привет".encode("cp1251")  # b"\xcf\xf0\xe8\xe2\xe5\xf2": not UTF-8
SHOWN = r"\xcf\xf0\xe8\xe2\xe5\xf2"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "dump"
    root.mkdir()
    (root / "plain.jpg").write_bytes(jpeg_bytes(make="Plain"))
    raw_root = os.fsencode(root)
    try:
        with open(raw_root + b"/" + NAME + b".jpg", "wb") as fh:
            fh.write(jpeg_bytes(make="Legacy", seed=1))
        os.mkdir(raw_root + b"/" + NAME)
        with open(raw_root + b"/" + NAME + b"/inner.jpg", "wb") as fh:
            fh.write(jpeg_bytes(make="Inner", seed=2))
        with open(raw_root + b"/notes-" + NAME + b".txt", "wb") as fh:
            fh.write(b"not an image")
    except OSError as err:  # e.g. a file system that only takes UTF-8 names
        pytest.skip(f"this file system refuses non-UTF-8 names: {err}")
    return root


def test_scan_keeps_every_row_and_shows_the_bytes_as_escapes(folder: Path) -> None:
    df = scan(folder, workers=2, progress=False)
    assert len(df) == 4
    by_make = df.set_index("make")
    assert by_make.loc["Legacy", "file_name"] == f"{SHOWN}.jpg"
    assert by_make.loc["Legacy", "path"] == str(folder / f"{SHOWN}.jpg")
    assert by_make.loc["Inner", "path"] == str(folder / SHOWN / "inner.jpg")
    refused = df[df["error_type"].notna()]
    assert list(refused["error_type"]) == ["UnsupportedFormatError"]
    assert SHOWN in refused["error"].iloc[0]
    assert SHOWN in df.to_csv(index=False)  # exports work too


def test_the_shown_path_opens_the_real_file(folder: Path) -> None:
    df = scan(folder, workers=0, progress=False)
    row = df[df["make"] == "Legacy"].iloc[0]
    meta = read_metadata(row["path"])
    assert (meta.make, meta.sha256) == ("Legacy", row["sha256"])
    findings = inspect_scan(df, progress=False, workers=0)
    unreadable = findings[findings["code"] == "unreadable_file"]
    assert list(unreadable["path"]) == [p for p in df["path"] if p.endswith(".txt")]


def test_parquet_parts_and_resume(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "parts"
    scan_to_parquet(folder, out, chunk_size=2, progress=False, workers=0)
    first = read_scan_parquet(out)
    assert sorted(first["make"].dropna()) == ["Inner", "Legacy", "Plain"]
    scan_to_parquet(folder, out, chunk_size=2, progress=False, workers=0)  # resume: nothing new
    again = read_scan_parquet(out)
    assert len(again) == 4 and list(again["path"]) == list(first["path"])


def test_perceptual_hashes_of_the_folder_and_of_the_scan_paths(folder: Path) -> None:
    from osint_kit.media.similar.hashes import perceptual_hashes

    by_folder = perceptual_hashes(folder, workers=0, progress=False)
    assert len(by_folder) == 4  # one row per file, not per character of the folder name
    legacy = by_folder[by_folder["path"] == str(folder / f"{SHOWN}.jpg")]
    assert legacy["error"].isna().all() and legacy["phash"].notna().all()
    paths = scan(folder, workers=0, progress=False)["path"].tolist()
    by_paths = perceptual_hashes(paths, workers=0, progress=False)
    assert list(by_paths["path"]) == paths
    assert by_paths.set_index("path")["phash"].equals(by_folder.set_index("path")["phash"])
    assert SHOWN in by_paths.to_csv(index=False)


def test_case_intake_of_a_non_utf8_name(folder: Path, tmp_path: Path) -> None:
    from osint_kit.case import Case

    case = Case.create(tmp_path / "case", "non-UTF-8 names")
    raw = os.fsdecode(os.fsencode(folder) + b"/" + NAME + b".jpg")
    shown = scan(folder, workers=0, progress=False).query("make == 'Legacy'")["path"].iloc[0]
    first = case.add_evidence(raw)
    second = case.add_evidence(shown)  # the scan row's form finds the same file
    assert first.sha256 == second.sha256
    assert first.original_name == second.original_name == f"{SHOWN}.jpg"
    assert case.verify().ok
