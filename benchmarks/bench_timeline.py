"""Timeline benchmark: build + sort + conflict-check 1,000,000 events; plot 100,000 events.

Goals (issue 4): build/sort/conflicts of 1,000,000 events < 5 s; plotting 100,000 < 2 s.
The reference is what one writes with plain pandas/matplotlib without thinking about scale:
``sort_values`` plus a per-group ``apply`` that compares every pair of intervals sharing a
claim or event key and a per-row lookup of each ``after`` anchor; and one ``barh`` bar per
event. The references are measured in the same run on a subset and extrapolated linearly to
the full size (this flatters them: the pairwise check grows faster than linearly).
Run: ``python benchmarks/bench_timeline.py [quick|full]``.
"""

from __future__ import annotations

import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

SIZES = {"quick": {"events": 1_000_000, "plot": 100_000, "ref_events": 20_000,
                   "ref_plot": 5_000, "repeat": 1},
         "full": {"events": 1_000_000, "plot": 100_000, "ref_events": 50_000,
                  "ref_plot": 10_000, "repeat": 3}}


def synth_events(n: int, seed: int = 0) -> pd.DataFrame:
    """n events: mixed precisions; 10% share a claim (groups of 3), 5% an event key (pairs),
    5% follow another event; group members are copies of their first member's time with
    small jitter, and about 1% of groups and orderings are made inconsistent on purpose."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2020-01-01T00:00:00", "us") + rng.integers(
        0, 5 * 365 * 86_400, n).astype("timedelta64[s]")
    spans = np.array([1, 60, 3600, 86_400, 30 * 86_400, 365 * 86_400], dtype=np.int64)
    names = np.array(["second", "minute", "hour", "day", "month", "year"])
    pick = rng.choice(len(spans), n, p=[0.3, 0.1, 0.1, 0.35, 0.1, 0.05])
    ids = np.char.add("e", np.arange(n).astype(str)).astype(object)
    claims = np.full(n, "", dtype=object)
    keys = np.full(n, "", dtype=object)
    after = np.full(n, "", dtype=object)
    for column, share, group in ((claims, 0.10, 3), (keys, 0.05, 2)):
        members = np.flatnonzero(rng.random(n) < share)
        gid = np.arange(len(members)) // group
        column[members] = np.char.add("c" if group == 3 else "k", gid.astype(str))
        leader = members[np.searchsorted(gid, gid)]  # first member of each group
        start[members] = start[leader] + rng.integers(0, 60, len(members)).astype(
            "timedelta64[s]")
        pick[members] = 3  # day precision
        broken = members[rng.random(len(members)) < 0.01]
        start[broken] += np.timedelta64(40, "D")
    followers = np.flatnonzero(rng.random(n) < 0.05)
    anchors = rng.integers(0, n, len(followers))
    after[followers] = ids[anchors]
    start[followers] = start[anchors] + np.timedelta64(1, "D")
    wrong = followers[rng.random(len(followers)) < 0.01]
    start[wrong] -= np.timedelta64(800, "D")
    latest = start + spans[pick].astype("timedelta64[s]") - np.timedelta64(1, "us")
    return pd.DataFrame({
        "event_id": ids, "label": "event", "kind": "reported",
        "earliest": pd.DatetimeIndex(start).tz_localize("UTC"),
        "latest": pd.DatetimeIndex(latest).tz_localize("UTC"), "precision": names[pick],
        "source_ids": rng.choice(["s0", "s1", "s2", "s3", "s4"], n), "claim_ids": claims,
        "event_key": keys, "after": after,
    })


def ours_build_sort_conflicts(df: pd.DataFrame) -> int:
    from osint_kit.timeline import Timeline

    tl = Timeline(df).sort()
    return len(tl.conflicts())


def reference_build_sort_conflicts(df: pd.DataFrame) -> int:
    """Plain pandas: sort, per-group pairwise apply, per-row anchor lookup."""
    df = df.sort_values(["earliest", "latest"])
    rows = []
    claims = df[df["claim_ids"] != ""].assign(key=lambda d: "claim:" + d["claim_ids"])
    keyed = df[df["event_key"] != ""].assign(key=lambda d: "event:" + d["event_key"])

    def pairs(group: pd.DataFrame) -> int:
        bad = 0
        for (_, a), (_, b) in itertools.combinations(group.iterrows(), 2):
            if not (a["earliest"] <= b["latest"] and b["earliest"] <= a["latest"]):
                bad += 1
        return bad

    for part in (claims, keyed):
        if len(part):
            rows.append(int(part.groupby("key").apply(pairs).sum()))
    by_id = df.set_index("event_id")

    def order(row: pd.Series) -> int:
        if not row["after"] or row["after"] not in by_id.index:
            return 0
        anchor = by_id.loc[row["after"]]
        return int(row["latest"] < anchor["earliest"])

    rows.append(int(df.apply(order, axis=1).sum()))
    return sum(rows)


def ours_plot(df: pd.DataFrame) -> int:
    from osint_kit.display.timeline import figure_png, plot_timeline

    return len(figure_png(plot_timeline(df, lane="source")))


def reference_plot(df: pd.DataFrame) -> int:
    """Plain matplotlib: one bar per event, rendered to PNG."""
    import io

    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4))
    ax = fig.add_subplot(1, 1, 1)
    lanes = df["source_ids"].astype("category").cat.codes.to_numpy()
    start = df["earliest"].dt.tz_convert(None).to_numpy()
    width = (df["latest"] - df["earliest"]).to_numpy()
    ax.barh(lanes, width, left=start, height=0.6, alpha=0.5)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    return len(buf.getvalue())


_CPU: list[float] = []


def _time(fn: Callable[[pd.DataFrame], Any], df: pd.DataFrame, repeat: int) -> float:
    """Median wall time; the matching median CPU time is left in ``_CPU[-1]``."""
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(df)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    _CPU.append(statistics.median(cpu))
    return statistics.median(times)


def _load() -> str:
    try:
        return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    except OSError:  # pragma: no cover - not on every platform
        return "load average unknown"


def run(size: str = "quick") -> list[dict[str, Any]]:
    cfg = SIZES[size]
    import matplotlib

    matplotlib.use("Agg")
    rows: list[dict[str, Any]] = []
    n, n_ref = cfg["events"], cfg["ref_events"]
    df = synth_events(n)
    ours = _time(ours_build_sort_conflicts, df, cfg["repeat"])
    ours_cpu = _CPU[-1]
    ref_sub = _time(reference_build_sort_conflicts, synth_events(n_ref, seed=1), 1)
    ref = ref_sub * n / n_ref
    rows.append({
        "measure": f"build + sort + conflicts, {n:,} events", "osint_kit": round(ours, 3),
        "reference": round(ref, 1), "ratio": round(ref / ours, 1), "unit": "s",
        "note": f"goal < 5 s (CPU time {ours_cpu:.2f} s, {_load()}); reference = plain pandas per-group pairwise apply, measured on "
                f"{n_ref:,} events ({ref_sub:.2f} s) and extrapolated linearly",
    })
    n_plot, n_ref_plot = cfg["plot"], cfg["ref_plot"]
    plot_df = df.iloc[:n_plot]
    ours_plot(plot_df.iloc[:100])  # warm matplotlib imports and fonts
    ours_p = _time(ours_plot, plot_df, cfg["repeat"])
    ours_p_cpu = _CPU[-1]
    ref_p_sub = _time(reference_plot, plot_df.iloc[:n_ref_plot], 1)
    ref_p = ref_p_sub * n_plot / n_ref_plot
    rows.append({
        "measure": f"plot {n_plot:,} events to PNG", "osint_kit": round(ours_p, 3),
        "reference": round(ref_p, 2), "ratio": round(ref_p / ours_p, 1), "unit": "s",
        "note": f"goal < 2 s (CPU {ours_p_cpu:.2f} s; aggregated per-lane density); reference = one matplotlib bar per "
                f"event, measured on {n_ref_plot:,} ({ref_p_sub:.2f} s) and extrapolated",
    })
    return rows


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
