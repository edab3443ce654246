"""Vectorised sun positions (osint_kit.geo.sun_frame) against astral called row by row.

Both compute the same NOAA equations; the benchmark also reports the largest disagreement.
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pandas as pd

from osint_kit.geo.sun import sun_frame, sun_position


def _frame(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp()
    secs = rng.integers(int(start), int(start) + 40 * 365 * 86400, n)
    return pd.DataFrame(
        {
            "time": pd.to_datetime(secs, unit="s", utc=True),
            "lat": rng.uniform(-80, 80, n),
            "lon": rng.uniform(-180, 180, n),
        }
    )


def run(size: str = "quick") -> list[dict]:
    n = 2_000 if size == "quick" else 50_000
    df = _frame(n)
    ours, theirs = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        out = sun_frame(df)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ref = [
            sun_position((la, lo), t.to_pydatetime()).elevation
            for t, la, lo in zip(df["time"], df["lat"], df["lon"], strict=True)
        ]
        theirs.append(time.perf_counter() - t0)
    diff = float(np.max(np.abs(out["sun_elevation"].to_numpy() - np.array(ref))))
    o, r = float(np.median(ours)), float(np.median(theirs))
    return [
        {
            "measure": f"sun position for {n} (time, place) rows",
            "osint_kit": round(o, 4),
            "reference": round(r, 4),
            "ratio": round(r / o, 1),
            "unit": "s (median of 3)",
            "note": f"reference: astral per row; max elevation difference {diff:.4f} deg",
        }
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
