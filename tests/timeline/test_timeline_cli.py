"""``osint-kit timeline export`` and ``timeline when``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osint_kit.cli import main

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("fmt", ["timelinejs", "timesketch-jsonl", "timesketch-csv", "csv"])
def test_export(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["timeline", "export", str(DATA / "case_timeline.yaml"), "--to", fmt,
                 "--out", str(out)]) == 0
    assert out.stat().st_size > 100
    assert str(out) in capsys.readouterr().out
    if fmt == "timelinejs":
        assert len(json.loads(out.read_text(encoding="utf-8"))["events"]) == 8


def test_when(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "when", "w piątek", "--reference", "2023-01-21",
                 "--tz", "Europe/Warsaw"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["earliest"] == "2023-01-19T23:00:00+00:00"
    assert "2023-01-21" in result["provenance"]


def test_when_without_reference_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "when", "last month"]) == 2
    assert "reference" in capsys.readouterr().err
