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
* ``ok.inspect_scan(ok.scan(folder))`` (the findings of every file; only the inspect is timed);
* the read-and-hash floor: a plain loop that reads every file's bytes and takes its SHA-256,
  the least any scan must do.

Each child warms up every function on a few files first (worker pools start, modules
import), then times one call of each over the whole folder. Children alternate old, new,
old, new ... so both see the same machine load; the median per measure is reported.
Rows: ratio = new files/s ÷ old files/s (>= 1: the move cost nothing); the floor row gives
the new ``scan(workers=0)`` as a fraction of the in-process read-and-hash floor.

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
    "quick": {"files": 120, "repeat": 3, "size": (800, 600)},
    "full": {"files": 400, "repeat": 5, "size": (1600, 1200)},
}
MEASURES = ("scan_workers0", "scan_default", "perceptual_hashes", "inspect_scan", "floor")
WARMUP_FILES = 6


# --- the child: one tree, one timed call per measure --------------------------------------


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _floor(paths: list[Path]) -> None:
    for p in paths:
        with open(p, "rb") as fh:
            hashlib.sha256(fh.read()).hexdigest()


def child(folder: Path) -> dict[str, Any]:
    """Seconds for one call of each measure over ``folder`` with the ``osint_kit`` on sys.path."""
    import osint_kit as ok

    paths = _files(folder)
    few = [str(p) for p in paths[:WARMUP_FILES]]
    ok.inspect_scan(ok.scan(few, progress=False), progress=False)  # warm-up: imports, pools
    ok.scan(few, workers=0, progress=False)
    ok.perceptual_hashes(few, progress=False)
    _floor(paths)  # the page cache holds every file from here on, for every measure
    out: dict[str, Any] = {"osint_kit": ok.__file__, "files": len(paths)}

    def timed(name: str, fn: Any) -> Any:
        start = time.perf_counter()
        value = fn()
        out[name] = time.perf_counter() - start
        return value

    timed("floor", lambda: _floor(paths))
    timed("scan_workers0", lambda: ok.scan(folder, workers=0, progress=False))
    df = timed("scan_default", lambda: ok.scan(folder, progress=False))
    hashes = timed("perceptual_hashes", lambda: ok.perceptual_hashes(folder, progress=False))
    timed("inspect_scan", lambda: ok.inspect_scan(df, progress=False))
    out["rows"] = {"scan": len(df), "scan_errors": int(df["error"].notna().sum()),
                   "hashes": len(hashes), "hash_errors": int(hashes["error"].notna().sum())}
    return out


# --- the parent: trees, folder, interleaved children, rows ---------------------------------


def _git(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


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


def _run_child(tree: Path, folder: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(folder)],
                          env=env, cwd=folder.parent, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child on {tree} failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if not Path(result["osint_kit"]).resolve().is_relative_to(tree.resolve()):
        raise RuntimeError(f"child imported {result['osint_kit']}, not the tree {tree}")
    return result


def _row(measure: str, new: float, ref: float, note: str) -> dict[str, object]:
    return {"measure": measure, "osint_kit": round(new, 1), "reference": round(ref, 1),
            "ratio": round(new / ref, 2), "unit": "files/s", "note": note}


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
        seconds: dict[str, dict[str, list[float]]] = {t: {m: [] for m in MEASURES}
                                                      for t in ("old", "new")}
        info: dict[str, Any] = {}
        for _ in range(cfg["repeat"]):  # interleaved: old, new, old, new, ...
            for label, tree in (("old", old), ("new", ROOT)):
                result = _run_child(tree, folder)
                info[label] = result["rows"]
                for m in MEASURES:
                    seconds[label][m].append(result[m])
    n = cfg["files"]
    fps = {t: {m: n / statistics.median(v) for m, v in ms.items()} for t, ms in seconds.items()}
    if info["old"] != info["new"]:
        raise RuntimeError(f"old and new trees disagree on rows/errors: {info}")
    w, h = cfg["size"]
    common = (f"{n} generated {w}x{h} EXIF+GPS JPEGs, median of {cfg['repeat']} interleaved "
              f"runs; reference = old layout (git {OLD_COMMIT}), ratio = new/old; rows and "
              f"errors equal in both ({info['new']})")
    labels = {"scan_workers0": "ok.scan(folder, workers=0)",
              "scan_default": "ok.scan(folder) (default workers)",
              "perceptual_hashes": "ok.perceptual_hashes(folder)",
              "inspect_scan": "ok.inspect_scan(scan) (default workers)"}
    rows = [_row(f"layout new vs old: {label}", fps["new"][m], fps["old"][m], common)
            for m, label in labels.items()]
    # the floor does not depend on the tree: pooled over every child
    floor = n / statistics.median(seconds["old"]["floor"] + seconds["new"]["floor"])
    rows.append(_row("layout: ok.scan(folder, workers=0) vs the read-and-hash floor",
                     fps["new"]["scan_workers0"], floor,
                     f"reference = reading every file's bytes + SHA-256 in one process (the "
                     f"least any scan must do), median over all {2 * cfg['repeat']} children; "
                     f"ratio = fraction of the floor the scan reaches (old layout: "
                     f"{fps['old']['scan_workers0'] / floor:.2f})"))
    rows.append(_row("layout: ok.scan(folder) default workers vs the read-and-hash floor",
                     fps["new"]["scan_default"], floor,
                     "as above with the default worker pool (the floor stays one process); old "
                     f"layout: {fps['old']['scan_default'] / floor:.2f}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", default="quick", choices=sorted(SIZES))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return 0
    for row in run(args.size):
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
