"""``import osint_kit`` wall time vs ``import pandas``, each in a fresh interpreter.

Both are timed as whole subprocesses (``python -X importtime -c "import ..."``), repeated,
median taken; an empty interpreter (``python -c pass``) is timed too and reported in the note.
ratio = pandas seconds / osint_kit seconds (> 1: osint_kit imports faster than pandas). The
target is < 0.5 s. A second row checks which heavy libraries each images module pulls in.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

SIZES = {"quick": 5, "full": 15}
HEAVY = ("pandas", "numpy", "matplotlib", "dask", "distributed", "ipywidgets", "pyarrow",
         "scipy", "networkx", "c2pa")
MODULES = ("osint_kit.media.scan", "osint_kit.runner.engine", "osint_kit.media.read.metadata")


def _wall(code: str, importtime: bool = True) -> float:
    argv = [sys.executable, *(["-X", "importtime"] if importtime else []), "-c", code]
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _heavy_modules(module: str) -> list[str]:
    code = (f"import sys, {module}; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return out.stdout.split()


def run(size: str = "quick") -> list[dict[str, object]]:
    repeat = SIZES[size]
    ok, pd_, empty = [], [], []
    for _ in range(repeat):
        ok.append(_wall("import osint_kit"))
        pd_.append(_wall("import pandas"))
        empty.append(_wall("pass", importtime=False))
    k, p, e = statistics.median(ok), statistics.median(pd_), statistics.median(empty)
    heavy = {m: _heavy_modules(m) for m in ("osint_kit", *MODULES)}
    offenders = {m: h for m, h in heavy.items() if h}
    return [
        {"measure": "import osint_kit (wall, fresh interpreter)", "osint_kit": round(k, 3),
         "reference": round(p, 3), "ratio": round(p / k, 2), "unit": "s",
         "note": f"reference = import pandas; empty interpreter {e:.3f} s; target < 0.5 s; "
                 f"median of {repeat}"},
        {"measure": "heavy libraries loaded by import", "osint_kit": len(offenders),
         "reference": 0, "ratio": None, "unit": "modules",
         "note": "; ".join(f"{m}: {', '.join(h)}" for m, h in offenders.items())
                 or f"none of {', '.join(HEAVY)} loaded by osint_kit or {', '.join(MODULES)}"},
    ]


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
