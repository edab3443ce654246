"""Near-duplicate grouping: multi-index hashing vs naive all-pairs popcount.

Random 64-bit hashes plus planted near-duplicate pairs (each planted pair exactly
``max_distance`` bits apart, the hardest case). osint_kit: ``cluster_hashes`` (index +
union-find) with 2 worker processes, wall and CPU time. Reference: all pairs with a
vectorised numpy popcount (row blocks), timed on a subset and EXTRAPOLATED quadratically to
the full size (running it on a million hashes would take hours) - the note says so.

    python benchmarks/bench_duplicates.py [quick|full]
"""

from __future__ import annotations

import os
import resource
import sys
import time

import numpy as np

from osint_kit.media.similar.duplicates import (
    DEFAULT_MAX_DISTANCE,
    _pairs_uint64,
    cluster_hashes,
    popcount64,
)

SIZES = {"quick": 200_000, "full": 1_000_000}
PLANTED = 1_000
SUBSET = {"quick": 10_000, "full": 20_000}


def _data(n: int, d: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    h = rng.integers(0, 2**63, size=n, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, size=n, dtype=np.uint64)
    idx = rng.permutation(n)[: 2 * PLANTED]
    src, dst = idx[:PLANTED], idx[PLANTED:]
    for s, t in zip(src.tolist(), dst.tolist(), strict=True):
        flips = rng.choice(64, size=d, replace=False)
        h[t] = h[s] ^ np.uint64(sum(1 << int(b) for b in flips))
    return h, src, dst


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def naive_pairs(h: np.ndarray, d: int, block: int = 512) -> int:
    """All pairs, vectorised popcount per row block: the honest O(n^2) baseline."""
    found = 0
    for i in range(0, len(h), block):
        dist = popcount64(h[i : i + block, None] ^ h[None, :])
        found += int((dist <= d).sum())
    return (found - len(h)) // 2


def run(size: str = "quick") -> list[dict]:
    n = SIZES[size]
    d = DEFAULT_MAX_DISTANCE
    h, src, dst = _data(n, d)
    workers = min(2, os.cpu_count() or 1)
    rows: list[dict] = []
    load = os.getloadavg()[0]

    t0, c0 = time.perf_counter(), _cpu()
    labels, _ = cluster_hashes(h, d, workers=workers)
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    found = int((labels[src] == labels[dst]).sum())
    a, _b, _ = _pairs_uint64(h[: min(n, 50_000)], d, 1)  # sanity: index == brute force on a slice

    m = SUBSET[size]
    t1 = time.perf_counter()
    naive_pairs(h[:m], d)
    naive_m = time.perf_counter() - t1
    naive_n = naive_m * (n / m) ** 2
    rows.append({
        "measure": f"near-duplicate grouping, {n:,} hashes + {PLANTED} planted pairs at distance {d}",
        "osint_kit": round(wall, 2),
        "reference": round(naive_n, 1),
        "ratio": round(naive_n / wall, 1),
        "unit": "s",
        "note": (f"osint_kit: multi-index hashing + union-find, {workers} processes, CPU {cpu:.1f} s; "
                 f"planted pairs found {found}/{PLANTED}; reference: naive all-pairs numpy popcount "
                 f"measured on {m:,} hashes ({naive_m:.2f} s) and EXTRAPOLATED x(n/m)^2; "
                 f"load average at start {load:.1f} on {os.cpu_count()} cores"),
    })
    rows.append({
        "measure": "planted pairs found (recall)",
        "osint_kit": found / PLANTED,
        "reference": 1.0,
        "ratio": round(found / PLANTED, 3),
        "unit": "fraction",
        "note": f"{len(a)} pairs in the first 50,000 hashes (index check)",
    })
    return rows


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
