"""`osint-kit capture ingest` and `osint-kit sources matrix` call one library function each."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

# trafilatura probes IPv6 with a local socket once at import time (nothing is connected):
# import it while the suite's socket guard is not yet active for this test.
import trafilatura  # noqa: F401

from osint_kit.cli import main

CASE = Path(__file__).resolve().parents[2] / "examples" / "case"


def test_capture_ingest_text(capsys: pytest.CaptureFixture[str]) -> None:
    capture = next((CASE / "capture").glob("*.txt"))
    assert main(["capture", "ingest", str(capture), "--reference", "2023-01-21",
                 "--tz", "Europe/Warsaw"]) == 0
    out = capsys.readouterr().out
    assert "title: USA. Wagons with ammunition" in out
    assert "Friday" in out and "2023-01-20 (Europe/Warsaw)" in out
    assert "pass --published" in out  # the library's advice, in CLI terms
    assert main(["capture", "ingest", str(capture), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "text"


def test_capture_ingest_html_escapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>T\x1b[2J</title></head><body><article><p>"
                    + "On 18 November 2022 the train arrived. " * 20
                    + "</p></article></body></html>", encoding="utf-8")
    assert main(["capture", "ingest", str(page)]) == 0
    assert "\x1b" not in capsys.readouterr().out
    assert main(["capture", "ingest", str(tmp_path / "missing.html")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_sources_matrix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(CASE / f"{n}.yaml") for n in ("sources", "claims", "propositions")]
    assert main(["sources", "matrix", *files]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("proposition") and "polishnews_aggregator" in lines[0]
    assert any(line.startswith("P1_cars_in") and "supports" in line for line in lines)
    out = tmp_path / "matrix.csv"
    assert main(["sources", "matrix", *files, "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:  # written through safecsv: quoted
        assert next(csv.reader(fh))[0] == "proposition"
