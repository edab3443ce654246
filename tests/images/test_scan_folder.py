"""scan(): one row per file, errors as data, walking rules, read-only, engines agree."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from osint_kit.media.read.schema import SCAN_COLUMNS
from osint_kit.media.scan import list_files, scan
from osint_kit.testing.corpus import jpeg_bytes, make_mixed_folder


def _digests(root: Path) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str | None]]:
    root = tmp_path_factory.mktemp("mixed") / "corpus"
    return root, make_mixed_folder(root)


@pytest.fixture(scope="module")
def scanned(mixed: tuple[Path, dict[str, str | None]]) -> pd.DataFrame:
    root, _ = mixed
    return scan(root, workers=2, progress=False, timeout=20)


def test_one_row_per_file_with_exact_columns(mixed, scanned) -> None:
    root, expected = mixed
    assert tuple(scanned.columns) == SCAN_COLUMNS
    rel = [os.path.relpath(p, root) for p in scanned["path"]]
    assert sorted(rel) == sorted(expected)
    assert list(scanned["path"]) == sorted(scanned["path"])  # deterministic order
    assert "nested" not in rel and "nested/deeper" not in rel  # directories are not rows


def test_errors_are_data(mixed, scanned) -> None:
    root, expected = mixed
    by_rel = {os.path.relpath(r.path, root): r for r in scanned.itertuples()}
    for rel, err in expected.items():
        row = by_rel[rel]
        if err is None:
            assert pd.isna(row.error_type), (rel, row.error)
            assert row.sha256 and len(row.sha256) == 64
        elif err == "?":
            continue
        else:
            assert row.error_type == err, (rel, row.error_type, row.error)
            assert isinstance(row.error, str) and row.error
    assert by_rel["good_1.jpg"].model == "T1"
    assert by_rel[".hidden.jpg"].model == "hidden"  # hidden files are scanned
    assert "not followed" in by_rel["link_to_dir"].error
    assert by_rel["random.jpg"].file_size == 3000  # size kept on error rows


def test_in_process_and_parallel_agree(mixed, scanned) -> None:
    root, _ = mixed
    serial = scan(root, workers=0, progress=False)
    pd.testing.assert_frame_equal(serial, scanned)


def test_md5_only_when_asked(mixed, scanned) -> None:
    root, _ = mixed
    assert scanned["md5"].isna().all()  # the default scan skips MD5 (SHA-256 is always there)
    with_md5 = scan(root, workers=2, progress=False, md5=True)
    good = with_md5[with_md5["error_type"].isna()]
    assert len(good) >= 4
    for row in good.itertuples():
        assert row.md5 == hashlib.md5(Path(str(row.path)).read_bytes()).hexdigest()
    assert all('"md5": "file bytes"' in p for p in good["provenance"])
    rest = [c for c in SCAN_COLUMNS if c not in ("md5", "provenance")]
    pd.testing.assert_frame_equal(with_md5[rest], scanned[rest])


def test_progress_bar_on(mixed, capsys) -> None:
    root, _ = mixed
    df = scan(root / "nested", workers=2, progress=True)
    assert len(df) == 1
    assert "scan" in capsys.readouterr().err


def test_non_recursive_and_explicit_paths(mixed, tmp_path) -> None:
    root, _ = mixed
    top = scan(root, recursive=False, workers=0, progress=False)
    assert not any("inner.jpg" in p for p in top["path"])
    missing = tmp_path / "nope.jpg"
    df = scan([root / "good_0.jpg", str(missing), root / "good_0.jpg"], workers=0, progress=False)
    assert len(df) == 2  # duplicates collapse, missing files still get a row
    assert df.set_index("file_name").loc["nope.jpg", "error_type"] == "NotAFileError"


def test_originals_untouched(tmp_path) -> None:
    root = tmp_path / "corpus"
    make_mixed_folder(root)
    before = _digests(root)
    stats = {p: os.stat(p).st_mtime_ns for p in before}
    scan(root, workers=2, progress=False)
    assert _digests(root) == before
    assert {p: os.stat(p).st_mtime_ns for p in before} == stats


def test_empty_folder_gives_empty_frame(tmp_path) -> None:
    df = scan(tmp_path, progress=False)
    assert df.empty
    assert tuple(df.columns) == SCAN_COLUMNS


def test_list_files_follows_no_directory_links(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.jpg").write_bytes(jpeg_bytes())
    os.symlink(tmp_path, tmp_path / "a" / "up")  # a loop through the parent
    files, problems = list_files(tmp_path)
    assert files == [str(tmp_path / "a" / "x.jpg")]
    assert list(problems) == [str(tmp_path / "a" / "up")]


def test_fsspec_urls_are_scanned_and_named_by_url() -> None:
    fsspec = pytest.importorskip("fsspec", reason="fsspec comes with the dask extra")
    fs = fsspec.filesystem("memory")  # in-process store: stands in for s3:// etc.
    fs.pipe("/okscan/a.jpg", jpeg_bytes(model="remote"))
    fs.pipe("/okscan/sub/b.jpg", b"junk")
    try:
        df = scan("memory://okscan", workers=0, progress=False)
    finally:
        fs.rm("/okscan", recursive=True)
    assert list(df["path"]) == ["memory:///okscan/a.jpg", "memory:///okscan/sub/b.jpg"]
    assert list(df["file_name"]) == ["a.jpg", "b.jpg"]
    assert df["model"].iloc[0] == "remote"
    assert df["error"].iloc[1].startswith("memory:///okscan/sub/b.jpg: ")


@pytest.mark.parametrize("how", ["file", "module"])
def test_scan_from_a_script_without_a_main_guard(mixed, tmp_path: Path, how: str) -> None:
    """A plain script (or ``python -m`` module) calling scan() at top level, without
    ``if __name__ == "__main__":``: the workers must not re-run it."""
    import subprocess
    import sys

    root, expected = mixed
    (tmp_path / "plain_scan.py").write_text(
        "from osint_kit.media.scan import scan\n"
        f"df = scan({str(root)!r}, workers=2, progress=False)\n"
        "print(len(df), df['error_type'].eq('WorkerCrashedError').sum())\n")
    cmd = ([sys.executable, str(tmp_path / "plain_scan.py")] if how == "file"
           else [sys.executable, "-m", "plain_scan"])
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == f"{len(expected)} 0"


def test_scan_from_a_script_on_stdin(mixed) -> None:
    """``python - < script`` has no main file for worker processes to re-import."""
    import subprocess
    import sys

    root, expected = mixed
    script = ("from osint_kit.media.scan import scan\n"
              f"df = scan({str(root)!r}, workers=2, progress=False)\n"
              "print(len(df))\n")
    out = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == str(len(expected))
