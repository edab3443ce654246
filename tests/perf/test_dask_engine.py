"""The Dask engine gives exactly the local engine's rows, on a real LocalCluster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from osint_kit.media.scan import read_scan_parquet, scan, scan_to_parquet
from osint_kit.runner.engine import map_files
from osint_kit.testing.corpus import make_mixed_folder

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


@pytest.fixture
def client(dask_client: Any) -> Any:
    """The suite's shared Dask cluster (tests/conftest.py)."""
    return dask_client


@pytest.mark.enable_socket
@pytest.mark.slow
def test_dask_equals_local_on_mixed_corpus(tmp_path, client) -> None:
    root = tmp_path / "corpus"
    expected_errors = make_mixed_folder(root, n_good=6)
    (root / "late_hang.jpg").write_bytes((root / "good_0.jpg").read_bytes())
    local = scan(root, workers=2, progress=False, reader="osint_kit.testing.stand_ins:sleepy_reader", timeout=4)
    dask_df = scan(root, engine="dask", client=client, chunk_size=3, progress=False,
                   reader="osint_kit.testing.stand_ins:sleepy_reader", timeout=4)
    pd.testing.assert_frame_equal(dask_df, local)
    assert len(local) == len(expected_errors) + 1
    rows = local.set_index("file_name")
    assert rows.loc["late_hang.jpg", "error_type"] == "ProcessingTimeoutError"
    assert rows.loc["empty.jpg", "error_type"] == "EmptyFileError"
    # streaming to Parquet on the cluster gives the same table again
    out = scan_to_parquet(root, tmp_path / "out", part_rows=5, engine="dask", client=client,
                          progress=False)
    streamed = read_scan_parquet(out)
    keep = streamed["file_name"] != "late_hang.jpg"  # read normally by the default reader
    pd.testing.assert_frame_equal(streamed[keep].reset_index(drop=True),
                                  local[keep].reset_index(drop=True))
    assert streamed.loc[~keep, "error_type"].isna().all()


@pytest.mark.enable_socket
def test_map_files_on_dask_keeps_order(tmp_path, client) -> None:
    paths = [str(tmp_path / f"f{i}") for i in range(25)]
    for p in paths[::3]:
        Path(p).write_bytes(b"abc")
    out = map_files("os.path:getsize", paths, engine="dask", client=client, chunk_size=4)
    assert out == map_files("os.path:getsize", paths, workers=0)
