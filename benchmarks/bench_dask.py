"""Dask engine overhead: ``scan(engine="dask")`` on a 2-worker LocalCluster vs the local engine.

Same generated corpus, same machine, same run; the cluster (2 worker processes, one thread
each, on 127.0.0.1, no dashboard) is started once before timing. ratio = local seconds / Dask
seconds, so < 1 is the price of the scheduler (task graph, serialisation, thread watchdog).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from osint_kit.testing.corpus import generated_corpus

CORPUS_DIR = Path(__file__).resolve().parent.parent / "build" / "bench-corpus"

SIZES = {"quick": {"files": 2000, "repeat": 3}, "full": {"files": 10_000, "repeat": 3}}


def run(size: str = "quick") -> list[dict[str, object]]:
    import distributed

    from osint_kit.media.scan import scan
    from osint_kit.runner import _pool

    cfg = SIZES[size]
    folder = generated_corpus(cfg["files"], CORPUS_DIR, "dask")
    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=40,
    )
    with cluster, distributed.Client(cluster) as client:
        startup = time.perf_counter() - t0
        client.run(lambda: __import__("osint_kit.media.read.metadata"))  # warm the workers' imports
        dask_pids = list(client.run(os.getpid).values())
        scan(folder, workers=2, progress=False)  # start the kept local workers
        local_pids = [w.proc.pid for pool, _ in _pool._KEPT.values() for w in pool._workers]
        local_t, dask_t, local_cpu, dask_cpu = [], [], [], []
        same = True
        for _ in range(cfg["repeat"]):
            t, c = time.perf_counter(), _cpu(local_pids)
            a = scan(folder, workers=2, progress=False)
            local_t.append(time.perf_counter() - t)
            local_cpu.append(_cpu(local_pids) - c)
            t, c = time.perf_counter(), _cpu(dask_pids)
            b = scan(folder, engine="dask", client=client, progress=False)
            dask_t.append(time.perf_counter() - t)
            dask_cpu.append(_cpu(dask_pids) - c)
            same = same and a.equals(b)
    local, dask = statistics.median(local_t), statistics.median(dask_t)
    n = cfg["files"]
    lc, dc = statistics.median(local_cpu), statistics.median(dask_cpu)
    return [{
        "measure": f"Dask engine vs local engine, {n} files (seconds)",
        "osint_kit": round(dask, 2), "reference": round(local, 2),
        "ratio": round(local / dask, 2), "unit": "s",
        "note": (f"osint_kit = engine='dask' on LocalCluster(2 procs); reference = local engine "
                 f"(2 procs); {n / dask:.0f} vs {n / local:.0f} files/s; identical rows: {same}; "
                 f"cluster start-up {startup:.1f} s not counted"),
    }, {
        "measure": f"Dask engine vs local engine, worker CPU per file, {n} files",
        "osint_kit": round(dc / n * 1000, 3), "reference": round(lc / n * 1000, 3),
        "ratio": round(lc / dc, 2) if dc else None, "unit": "ms CPU/file",
        "note": "CPU seconds of the worker processes (psutil) / files: robust to a busy machine, "
                "where wall time mostly measures how much CPU the other tenants left",
    }]


def _cpu(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
