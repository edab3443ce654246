"""Peak memory of streaming a large folder to Parquet (``scan_to_parquet``).

The corpus (100,000 small EXIF JPEGs for ``full``, 10,000 for ``quick``) is generated once
into build/bench-corpus/. The scan runs in a child process under ``/usr/bin/time -v`` (its
"Maximum resident set size" is the largest single process: the parent or one worker) while
psutil samples the whole process tree (parent + workers) every 50 ms. The goal is < 300 MB
peak; the "reference" column is that budget, so ratio > 1 means under budget. The Parquet
output must hold exactly one row per file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from osint_kit.testing.corpus import generated_corpus

CORPUS_DIR = Path(__file__).resolve().parent.parent / "build" / "bench-corpus"

SIZES = {"quick": 10_000, "full": 100_000}
BUDGET_MB = 300.0

_CHILD = """
import sys
from osint_kit.media.scan import scan_to_parquet
if __name__ == "__main__":
    scan_to_parquet(sys.argv[1], sys.argv[2], resume=False, progress=False)
"""


def _tree_rss(proc) -> float:  # type: ignore[no-untyped-def]
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total / 1e6


def _measure(folder: Path, out: Path) -> tuple[float, float, float]:
    """(peak RSS of the largest process from time -v, peak tree RSS, seconds)."""
    import psutil

    script = out.parent / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    argv = [sys.executable, str(script), str(folder), str(out)]
    timer = shutil.which("time") and Path("/usr/bin/time").exists()
    if timer:
        argv = ["/usr/bin/time", "-v", *argv]
    start = time.perf_counter()
    popen = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(popen.pid)
    peak_tree = 0.0
    while popen.poll() is None:
        peak_tree = max(peak_tree, _tree_rss(ps))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    err = popen.stderr.read() if popen.stderr else ""
    if popen.returncode != 0:
        raise RuntimeError(f"scan_to_parquet child failed ({popen.returncode}): {err[-2000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    peak_single = int(m.group(1)) / 1000 if m else float("nan")
    return peak_single, peak_tree, seconds


def run(size: str = "quick") -> list[dict[str, object]]:
    import pyarrow.parquet as pq

    n = SIZES[size]
    folder = generated_corpus(n, CORPUS_DIR)
    with tempfile.TemporaryDirectory(prefix="osint_kit_bench_") as tmp:
        out = Path(tmp) / "scan"
        peak_single, peak_tree, seconds = _measure(folder, out)
        rows = sum(pq.read_metadata(p).num_rows for p in out.glob("part-*.parquet"))
        parts = len(list(out.glob("part-*.parquet")))
    note = (f"{n} files -> {rows} Parquet rows in {parts} parts "
            f"({'OK' if rows == n else 'ROW COUNT WRONG'}), {seconds:.0f} s, "
            f"{n / seconds:.0f} files/s; reference = the 300 MB budget")
    return [
        {"measure": f"scan_to_parquet peak RSS, largest process, {n} files",
         "osint_kit": round(peak_single, 1), "reference": BUDGET_MB,
         "ratio": round(BUDGET_MB / peak_single, 2), "unit": "MB", "note": note},
        {"measure": f"scan_to_parquet peak RSS, process tree, {n} files",
         "osint_kit": round(peak_tree, 1), "reference": BUDGET_MB,
         "ratio": round(BUDGET_MB / peak_tree, 2), "unit": "MB",
         "note": "parent + worker processes summed (shared pages counted twice)"},
    ]


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
