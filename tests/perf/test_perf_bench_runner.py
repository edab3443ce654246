"""benchmarks/run_all.py: a failing benchmark becomes an error row and a non-zero exit."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _runner():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("run_all", ROOT / "benchmarks" / "run_all.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_failing_and_passing_benchmarks(tmp_path, monkeypatch, capsys) -> None:
    run_all = _runner()
    (tmp_path / "bench_ok.py").write_text(
        "def run(size='quick'):\n"
        "    return [dict(measure='m', osint_kit=2.0, reference=1.0, ratio=2.0, unit='s', note=size)]\n",
        encoding="utf-8")
    (tmp_path / "bench_bad.py").write_text(
        "def run(size='quick'):\n    raise RuntimeError('boom')\n", encoding="utf-8")
    monkeypatch.setattr(run_all, "HERE", tmp_path)
    out = tmp_path / "bench.json"
    code = run_all.main(["--size", "quick", "--out", str(out)])
    assert code == 1
    report = json.loads(out.read_text())
    assert report["failed"] is True
    assert {"cpu_count", "python", "date"} <= set(report["machine"])
    notes = {r["benchmark"]: r["note"] for r in report["rows"]}
    assert notes["bench_ok"] == "quick"
    assert "RuntimeError: boom" in notes["bench_bad"]
    printed = capsys.readouterr().out
    assert "measure" in printed and "ratio" in printed and "FAILED" in printed
    assert run_all.main(["--only", "ok", "--out", str(out)]) == 0
