"""The package move (issue 22) did not slow the batch functions: old layout vs new, same run.

The old layout is a commit from before the move (:data:`OLD_COMMIT`, ``images/`` flat); the
bench extracts its ``osint_kit/`` with ``git archive`` into a temporary folder, so nothing
but this checkout's git history is needed (outside a git checkout, or when the commit is
missing, it returns one row saying why it was skipped). Both trees run over the same
generated folder of JPEGs with EXIF (``osint_kit.testing.images.make_image`` around the
pictures of ``osint_kit.testing.image_sets.structured_image``), each in its own interpreter
with ``PYTHONPATH`` on that tree (the child checks which ``osint_kit`` it imported). Only the
public batch functions are timed, as a notebook calls them, so the bench measures whatever
the single-file helpers do inside them:

* ``ok.scan(folder, workers=0)`` (in-process) and ``ok.scan(folder)`` (default workers);
* ``ok.perceptual_hashes(folder)`` (pHash + dHash + SHA-256 per file);
* ``ok.inspect_scan(ok.scan(folder))`` (the findings of every file; only the inspect is timed),
  with each tree's default (the new one runs in worker processes started per call, the old
  one ran in the caller) and with ``workers=0`` (in the caller in both: the same work);
* the read-and-hash floor: a plain loop that reads every file's bytes and takes its SHA-256,
  the least any scan must do.

Both interpreters start together, warm every function up on a few files (imports, worker
pools) and then stay running, as a notebook session does. Each round times one call of every
measure in each tree, old and new back to back (which goes first alternates), so a pair
sees the same machine load; files/s is the median over rounds and the ratio the median of
the per-round new ÷ old ratios (>= 1: the move cost nothing). A call shorter than a second
is repeated within its turn (up to 5 times) and the fastest counts. The floor rows give the new
``scan`` as a fraction of the in-process read-and-hash floor timed just before it.

    python benchmarks/bench_layout.py [quick|full]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: The last commit before the media packages moved (osint_kit/images/ still flat).
OLD_COMMIT = os.environ.get("BENCH_LAYOUT_OLD", "239a68b")
SIZES: dict[str, dict[str, Any]] = {
    "quick": {"files": 150, "rounds": 7, "size": (800, 600)},
    "full": {"files": 400, "rounds": 11, "size": (1600, 1200)},
}
MEASURES = ("floor", "scan_workers0", "scan_default", "perceptual_hashes", "inspect_scan",
            "inspect_scan_workers0")
WARMUP_FILES = 6
#: a request repeats a call that takes under a second (up to 5 times, about 1 s in all) and
#: answers the fastest: short calls are the ones other load distorts most
INNER_SECONDS, INNER_MAX = 1.0, 5


# --- the child: one tree, kept running; one timed call per request -------------------------


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _floor(paths: list[Path]) -> None:
    for p in paths:
        with open(p, "rb") as fh:
            hashlib.sha256(fh.read()).hexdigest()


def _cpu_seconds() -> float:
    """CPU seconds of this interpreter and all its worker processes (live ones, and those it
    or they have reaped): a measure of work that a busy machine distorts far less than wall
    time (benchmarks/bench_dask.py counts its workers the same way)."""
    import psutil

    me = psutil.Process()
    mine = me.cpu_times()
    total = time.process_time() + mine.children_user + mine.children_system  # fine-grained
    for proc in me.children(recursive=True):  # clock ticks (10 ms)
        try:
            t = proc.cpu_times()
        except psutil.Error:  # a worker that ended between the listing and the reading
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def child(folder: Path) -> None:
    """Serve timed calls over ``folder`` with the ``osint_kit`` found on sys.path: read a
    measure name per stdin line, answer one JSON line with its seconds (and row counts)."""
    import osint_kit as ok

    paths = _files(folder)
    few = [str(p) for p in paths[:WARMUP_FILES]]
    ok.inspect_scan(ok.scan(few, progress=False), progress=False)  # warm-up: imports, pools
    ok.scan(few, workers=0, progress=False)
    ok.perceptual_hashes(few, progress=False)
    _floor(paths)  # the page cache holds every file from here on, for every measure
    scan_df = ok.scan(folder, progress=False)  # inspect_scan's input (not timed)
    calls: dict[str, Any] = {
        "floor": lambda: _floor(paths),
        "scan_workers0": lambda: ok.scan(folder, workers=0, progress=False),
        "scan_default": lambda: ok.scan(folder, progress=False),
        "perceptual_hashes": lambda: ok.perceptual_hashes(folder, progress=False),
        "inspect_scan": lambda: ok.inspect_scan(scan_df, progress=False),
        "inspect_scan_workers0": lambda: ok.inspect_scan(scan_df, workers=0, progress=False),
    }
    print(json.dumps({"osint_kit": ok.__file__, "files": len(paths)}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        if name not in calls:
            break
        times: list[float] = []
        cpus: list[float] = []
        while not times or (len(times) < INNER_MAX and sum(times) < INNER_SECONDS):
            cpu0, start = _cpu_seconds(), time.perf_counter()
            value = calls[name]()
            times.append(time.perf_counter() - start)
            cpus.append(_cpu_seconds() - cpu0)
        seconds = min(times)  # the machine's other load only ever adds time
        cpu = sum(cpus) / len(cpus)  # the mean: worker CPU comes in 10 ms clock ticks
        rows = None if value is None else len(value)
        errors = (int(value["error"].notna().sum())
                  if value is not None and "error" in value.columns else None)
        print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "errors": errors}),
              flush=True)


# --- the parent: trees, folder, interleaved calls, rows ------------------------------------


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=False)
    except OSError as err:  # no git program: the same answer as "not a checkout"
        return subprocess.CompletedProcess(["git", *args], 127, b"", str(err).encode())


def old_tree(dest: Path) -> str | None:
    """Extract ``osint_kit/`` of :data:`OLD_COMMIT` into ``dest``; a reason string on failure."""
    if _git("rev-parse", "--git-dir").returncode != 0:
        return f"{ROOT} is not a git checkout: the old layout ({OLD_COMMIT}) comes from git"
    if _git("cat-file", "-e", f"{OLD_COMMIT}^{{commit}}").returncode != 0:
        return f"commit {OLD_COMMIT} is not in this clone's history (shallow clone?)"
    archive = _git("archive", "--format=tar", OLD_COMMIT, "osint_kit")
    if archive.returncode != 0:
        return f"git archive {OLD_COMMIT} failed: {archive.stderr.decode(errors='replace')}"
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return None


def make_folder(dest: Path, n: int, size: tuple[int, int]) -> Path:
    """``n`` JPEGs with camera EXIF and GPS, each a different structured picture."""
    from osint_kit.testing.image_sets import structured_image
    from osint_kit.testing.images import gps_tags, make_image

    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        make_image(dest / f"img_{i:05d}.jpg", size=size, image=structured_image(i, size),
                   exif={"Make": "Canon", "Model": "EOS 40D", "Software": "bench",
                         "DateTimeOriginal": f"2022:11:{1 + i % 28:02d} {8 + i % 10:02d}:30:00",
                         "OffsetTimeOriginal": "+09:00"},
                   gps=gps_tags(lat=42.42 + i / 1e4, lon=130.60 - i / 1e4),  # type: ignore[arg-type]
                   thumbnail="auto", quality=88)
    return dest


class _Child:
    """One tree's interpreter, kept running so its worker pools stay warm between calls."""

    def __init__(self, tree: Path, folder: Path) -> None:
        self.tree = tree
        env = {**os.environ, "PYTHONPATH": str(tree)}
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(folder)],
            env=env, cwd=folder.parent, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True)
        hello = self._read()
        if not Path(hello["osint_kit"]).resolve().is_relative_to(tree.resolve()):
            self.close()
            raise RuntimeError(f"child imported {hello['osint_kit']}, not the tree {tree}")

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the child on {self.tree} stopped (exit {self.proc.wait()})")
        result: dict[str, Any] = json.loads(line)
        return result

    def call(self, measure: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(measure + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()  # the child's loop ends; its pools shut down on exit
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _row(measure: str, new: float, ref: float, ratio: float, note: str) -> dict[str, object]:
    return {"measure": measure, "osint_kit": round(new, 1), "reference": round(ref, 1),
            "ratio": round(ratio, 2), "unit": "files/s", "note": note}


def measure(old: Path, new: Path, folder: Path, rounds: int) -> dict[str, Any]:
    """Seconds per call, ``{tree: {measure: [..]}}``, the two trees' calls interleaved."""
    seconds: dict[str, dict[str, list[float]]] = {t: {m: [] for m in MEASURES}
                                                  for t in ("old", "new")}
    cpu: dict[str, dict[str, list[float]]] = {t: {m: [] for m in MEASURES}
                                              for t in ("old", "new")}
    counts: dict[str, dict[str, Any]] = {"old": {}, "new": {}}
    children = {"old": _Child(old, folder)}
    try:
        children["new"] = _Child(new, folder)
        for r in range(rounds):
            order = ("old", "new") if r % 2 == 0 else ("new", "old")  # no tree always first
            for m in MEASURES:
                for label in order:
                    result = children[label].call(m)
                    seconds[label][m].append(result["seconds"])
                    cpu[label][m].append(result["cpu"])
                    counts[label][m] = (result["rows"], result["errors"])
    finally:
        for c in children.values():
            c.close()
    same_work = ("scan_workers0", "scan_default", "perceptual_hashes")
    if any(counts["old"][m] != counts["new"][m] for m in same_work):
        raise RuntimeError(f"old and new trees disagree on rows/errors: {counts}")
    return {"seconds": seconds, "cpu": cpu, "counts": counts}


def run(size: str = "quick") -> list[dict[str, object]]:
    cfg = SIZES[size]
    with tempfile.TemporaryDirectory(prefix="bench-layout-") as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        reason = old_tree(old)
        if reason is not None:
            return [{"measure": "layout: old vs new", "osint_kit": None, "reference": None,
                     "ratio": None, "unit": "", "note": f"skipped: {reason}"}]
        folder = make_folder(Path(tmp) / "images", cfg["files"], cfg["size"])
        got = measure(old, ROOT, folder, cfg["rounds"])
    seconds, counts = got["seconds"], got["counts"]
    n, rounds = cfg["files"], cfg["rounds"]

    def fps(tree: str, m: str) -> float:
        return float(n / statistics.median(seconds[tree][m]))

    def ratios(m: str, ref_tree: str = "old", ref_m: str | None = None,
               of: str = "seconds") -> list[float]:
        """Per-round ratios new/reference: each pair ran seconds apart, under the same load."""
        table = got[of]
        ref = table[ref_tree][ref_m or m]
        return sorted(o / max(s, 1e-9) for o, s in zip(ref, table["new"][m], strict=True))

    def spread(values: list[float]) -> str:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else values * 3
        return (f"per-round ratios {values[0]:.2f}..{values[-1]:.2f}, middle half "
                f"{q1:.2f}..{q3:.2f}; ")

    w, h = cfg["size"]
    common = (f"{n} generated {w}x{h} EXIF+GPS JPEGs, {rounds} rounds, old and new calls "
              f"alternating in two warm interpreters; reference = old layout (git {OLD_COMMIT}); "
              f"a turn = fastest of up to {INNER_MAX} calls within ~{INNER_SECONDS:g} s; "
              f"files/s = median; ratio = median of the per-round new/old ratios (>= 1: no "
              f"slower); {counts['new']['scan_workers0'][0]} scan rows and "
              f"{counts['new']['perceptual_hashes'][0]} hashes (same rows and errors in both "
              f"trees); findings old/new: {counts['old']['inspect_scan'][0]}/"
              f"{counts['new']['inspect_scan'][0]}")
    labels = {"scan_workers0": "ok.scan(folder, workers=0)",
              "scan_default": "ok.scan(folder) (default workers)",
              "perceptual_hashes": "ok.perceptual_hashes(folder) (default workers)",
              "inspect_scan": "ok.inspect_scan(scan) (each tree's default: new = worker "
                              "processes started per call, old = in the caller)",
              "inspect_scan_workers0": "ok.inspect_scan(scan, workers=0) (in the caller, both)"}
    rows = [_row(f"layout new vs old: {label}", fps("new", m), fps("old", m),
                 statistics.median(ratios(m)),
                 spread(ratios(m)) + "CPU seconds per call (interpreter + workers, psutil) old/new, >= 1: new no costlier: "
                 f"median {statistics.median(ratios(m, of='cpu')):.2f}; " + common)
            for m, label in labels.items()]
    for m, label in (("scan_workers0", "ok.scan(folder, workers=0)"),
                     ("scan_default", "ok.scan(folder) default workers")):
        old_ratio = float(statistics.median(
            f / s for f, s in zip(seconds["old"]["floor"], seconds["old"][m], strict=True)))
        rows.append(_row(
            f"layout: {label} vs the read-and-hash floor", fps("new", m), fps("new", "floor"),
            statistics.median(ratios(m, "new", "floor")), spread(ratios(m, "new", "floor")) +
            "reference = reading every file's bytes + SHA-256 in one process, no parsing (the "
            "least any scan must do), timed in the same interpreter seconds before; ratio = "
            f"the fraction of the floor the scan reaches (old layout: {old_ratio:.2f})"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", default="quick", choices=sorted(SIZES))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child)
        return 0
    for row in run(args.size):
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
