"""Dask engine overhead: ``scan(engine="dask")`` on a 2-worker LocalCluster vs the local engine.

Same generated corpus, same machine, same run; the cluster (2 worker processes, one thread
each, on 127.0.0.1, no dashboard) is started once before timing. ratio = local seconds / Dask
seconds, so < 1 is the price of the scheduler (task graph, serialisation, thread watchdog).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import generated_corpus

SIZES = {"quick": {"files": 2000, "repeat": 3}, "full": {"files": 10_000, "repeat": 3}}


def run(size: str = "quick") -> list[dict[str, object]]:
    import distributed

    from osint_kit.images.scan import scan

    cfg = SIZES[size]
    folder = generated_corpus(cfg["files"], "dask")
    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=40,
    )
    with cluster, distributed.Client(cluster) as client:
        startup = time.perf_counter() - t0
        client.run(lambda: __import__("osint_kit.images.metadata"))  # warm the workers' imports
        local_t, dask_t = [], []
        same = True
        for _ in range(cfg["repeat"]):
            t = time.perf_counter()
            a = scan(folder, workers=2, progress=False)
            local_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            b = scan(folder, engine="dask", client=client, progress=False)
            dask_t.append(time.perf_counter() - t)
            same = same and a.equals(b)
    local, dask = statistics.median(local_t), statistics.median(dask_t)
    n = cfg["files"]
    return [{
        "measure": f"Dask engine vs local engine, {n} files (seconds)",
        "osint_kit": round(dask, 2), "reference": round(local, 2),
        "ratio": round(local / dask, 2), "unit": "s",
        "note": (f"osint_kit = engine='dask' on LocalCluster(2 procs); reference = local engine "
                 f"(2 procs); {n / dask:.0f} vs {n / local:.0f} files/s; identical rows: {same}; "
                 f"cluster start-up {startup:.1f} s not counted"),
    }]


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
