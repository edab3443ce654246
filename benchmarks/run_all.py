"""Run every ``benchmarks/bench_*.py``, print one table, write ``build/bench.json``.

Usage: ``python benchmarks/run_all.py --size quick|full [--only scan,memory]`` (``make bench``
runs it with ``BENCH_SIZE``). Each benchmark module exposes ``run(size) -> list[dict]`` with
keys measure, osint_kit, reference, ratio, unit, note, osint_kit and its reference measured in
the same run; ratio = how many times better osint_kit is. A benchmark that fails becomes a
row carrying its error, and the exit code is then 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "build" / "bench.json"
KEYS = ("measure", "osint_kit", "reference", "ratio", "unit", "note")


def discover(only: set[str] | None = None) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if only:
        found = [p for p in found if p.stem.removeprefix("bench_") in only or p.stem in only]
    return found


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def run_one(path: Path, size: str) -> tuple[list[dict[str, Any]], bool, float]:
    """Rows of one benchmark (or one error row), whether it failed, and its seconds."""
    start = time.perf_counter()
    try:
        rows = load(path).run(size)
        for row in rows:
            missing = [k for k in KEYS if k not in row]
            if missing:
                raise ValueError(f"row {row!r} lacks keys {missing}")
        failed = False
    except Exception as err:  # noqa: BLE001 - one broken benchmark must not hide the others
        tb = traceback.format_exc(limit=3)
        rows = [{"measure": path.stem, "osint_kit": None, "reference": None, "ratio": None,
                 "unit": "", "note": f"FAILED: {type(err).__name__}: {err}",
                 "traceback": tb}]
        failed = True
    seconds = time.perf_counter() - start
    for row in rows:
        row["benchmark"] = path.stem
    return rows, failed, seconds


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    """One plain-text table (measure, osint_kit, reference, ratio, unit, note)."""
    cells = [[_fmt(r.get(k)) for k in KEYS] for r in rows]
    widths = [min(60, max([len(k), *(len(c[i]) for c in cells)])) for i, k in enumerate(KEYS)]
    widths[-1] = max(len("note"), 0)
    def line(values: list[str]) -> str:
        parts = [v[:w].ljust(w) if i < len(KEYS) - 1 else v
                 for i, (v, w) in enumerate(zip(values, widths, strict=True))]
        return "  ".join(parts).rstrip()
    out = [line(list(KEYS)), line(["-" * w for w in widths[:-1]] + ["----"])]
    out += [line(c) for c in cells]
    return "\n".join(out)


def machine() -> dict[str, Any]:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 0
    return {"cpu_count": os.cpu_count(), "cpus_usable": cpus, "python": sys.version.split()[0],
            "implementation": platform.python_implementation(), "platform": platform.platform(),
            "machine": platform.machine(),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("quick", "full"), default="quick")
    parser.add_argument("--only", default="", help="comma-separated names, e.g. scan,import")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()} or None
    all_rows: list[dict[str, Any]] = []
    timings: dict[str, float] = {}
    any_failed = False
    for path in discover(only):
        print(f"running {path.stem} ({args.size}) ...", file=sys.stderr, flush=True)
        rows, failed, seconds = run_one(path, args.size)
        any_failed |= failed
        timings[path.stem] = round(seconds, 1)
        all_rows.extend(rows)
        if failed:
            print(rows[0].get("traceback", ""), file=sys.stderr)
    print(table(all_rows))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"size": args.size, "machine": machine(), "seconds": timings, "failed": any_failed,
              "rows": all_rows}
    args.out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    print(f"\nwritten {args.out}" + ("  (SOME BENCHMARKS FAILED)" if any_failed else ""))
    return 1 if any_failed else 0


if __name__ == "__main__":
    sys.exit(main())
