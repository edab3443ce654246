"""What crash isolation costs a single-file call: ``read_metadata(p)`` and ``inspect(record)``
through the warm isolated worker (``@isolated``) vs their in-process form ``.here``.

Same run, same file (a bundled example photo). The first isolated call of a fresh process
starts the worker (forkserver + worker + imports); the note gives it. Warm calls are the
median of ``repeat`` calls each; the ratio is warm isolated / here (1.0 = free).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"quick": 50, "full": 300}

FIRST = """
import time, sys
from osint_kit.media.read.metadata import read_metadata
t = time.perf_counter(); read_metadata(sys.argv[1]); first = time.perf_counter() - t
t = time.perf_counter(); read_metadata(sys.argv[1]); warm = time.perf_counter() - t
print(first, warm)
"""


def _photo() -> Path:
    found = sorted((ROOT / "examples").rglob("*.jpg"))
    if not found:
        raise FileNotFoundError("no example photo under examples/")
    return found[0]


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm: imports, page cache, the worker
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run(size: str = "quick") -> list[dict[str, object]]:
    import osint_kit as ok

    repeat = SIZES[size]
    photo = _photo()
    out = subprocess.run([sys.executable, "-c", FIRST, str(photo)], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    first, second = (float(x) * 1000 for x in out.stdout.split())
    record = ok.read_metadata.here(photo)
    rows: list[dict[str, object]] = []
    for name, isolated, here in (
            ("read_metadata(path)", lambda: ok.read_metadata(photo),
             lambda: ok.read_metadata.here(photo)),
            ("inspect(record)", lambda: ok.inspect(record), lambda: ok.inspect.here(record))):
        iso_ms, here_ms = _median_ms(isolated, repeat), _median_ms(here, repeat)
        rows.append({
            "measure": f"{name} isolated (warm) vs .here", "osint_kit": iso_ms,
            "reference": here_ms, "ratio": iso_ms / here_ms, "unit": "ms",
            "note": (f"{photo.name}, median of {repeat}; first isolated call of a fresh "
                     f"process {first:.0f} ms (starts the worker), its second {second:.1f} ms"),
        })
    return rows


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
