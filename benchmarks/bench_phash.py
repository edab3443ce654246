"""Perceptual hashing: osint_kit's fast path vs ``imagehash.phash(Image.open(p))``.

Same run, same files. osint_kit = ``perceptual_hashes(paths, workers=2)`` (JPEG DCT-scaled
draft decoding, two processes, pHash AND dHash per file); reference = a plain loop of
``imagehash.phash(Image.open(p))``. Files: the real camera JPEGs in
../shared/corpora/camera-samples (small, mostly downscaled - a hard case for draft mode) and
generated 12-megapixel JPEGs (a typical phone photo). A third row checks that duplicate
clustering recall on the generated duplicate set is unchanged between fast and exact mode.
``perceptual_hashes`` runs on the batch engine of ``scan``, which keeps its worker processes
warm between calls: the first repeat pays the process start, the median does not.

    python benchmarks/bench_phash.py [quick|full]
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image

from osint_kit.media.similar.duplicates import DEFAULT_MAX_DISTANCE, near_duplicates
from osint_kit.media.similar.hashes import perceptual_hashes

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT.parent / "shared" / "corpora" / "camera-samples"


def _camera_jpegs() -> list[Path]:
    if not CAMERA.exists():
        return []
    out = []
    for p in sorted(CAMERA.rglob("*")):
        if p.suffix.lower() in (".jpg", ".jpeg"):
            try:
                with Image.open(p) as im:
                    if im.format == "JPEG":
                        out.append(p)
            except (OSError, SyntaxError, ValueError):
                continue
    return out


def _reference(paths: list[Path]) -> float:
    t = time.perf_counter()
    for p in paths:
        with contextlib.suppress(OSError, SyntaxError, ValueError):
            imagehash.phash(Image.open(p))
    return time.perf_counter() - t


def _ours(paths: list[Path], exact: bool = False, workers: int = 2) -> float:
    t = time.perf_counter()
    perceptual_hashes(paths, workers=workers, exact=exact, crypto=False, progress=False)
    return time.perf_counter() - t


def _compare(paths: list[Path], label: str, repeats: int) -> dict:
    ref, ours, single = [], [], []
    for _ in range(repeats):
        ref.append(_reference(paths))
        ours.append(_ours(paths))
        single.append(_ours(paths, workers=0))
    r, o, s = statistics.median(ref), statistics.median(ours), statistics.median(single)
    return {
        "measure": f"perceptual hashing, {label} ({len(paths)} files)",
        "osint_kit": round(len(paths) / o, 1),
        "reference": round(len(paths) / r, 1),
        "ratio": round(r / o, 2),
        "unit": "files/s",
        "note": (f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {repeats}; osint_kit = draft decoding + 2 processes, pHash+dHash; "
                 f"draft alone in 1 process: {len(paths) / s:.1f} files/s ({r / s:.2f}x)"),
    }


def _movement(paths: list[Path], label: str) -> dict:
    """How many bits the hashes move between draft and full decoding, same files."""
    fast = perceptual_hashes(paths, workers=0, crypto=False, progress=False)
    exact = perceptual_hashes(paths, workers=0, exact=True, crypto=False, progress=False)
    ok = fast["phash"].notna() & exact["phash"].notna()
    def bits(col: str) -> list[int]:
        return [bin(int(a, 16) ^ int(b, 16)).count("1") for a, b in zip(fast.loc[ok, col], exact.loc[ok, col], strict=True)]
    ph, dh = bits("phash"), bits("dhash")
    hist = {k: ph.count(k) for k in sorted(set(ph))}
    return {
        "measure": f"hash bits moved by draft decoding, {label} ({int(ok.sum())} files)",
        "osint_kit": round(float(np.mean(ph)), 2),
        "reference": 0.0,
        "ratio": None,
        "unit": "mean pHash bits (of 64)",
        "note": f"pHash distance histogram {hist}; max {max(ph)}; dHash mean {np.mean(dh):.2f}, max {max(dh)}",
    }


def _recall_fast_vs_exact(size: str) -> dict:
    from osint_kit.testing.image_sets import make_duplicate_set, precision_recall

    groups, unrelated = (30, 130) if size == "quick" else (60, 260)
    with tempfile.TemporaryDirectory() as tmp:
        ds = make_duplicate_set(Path(tmp), n_groups=groups, n_unrelated=unrelated)
        result = {}
        for exact in (False, True):
            df = perceptual_hashes(ds.paths, workers=2, exact=exact, crypto=False, progress=False)
            cl = near_duplicates(df, max_distance=DEFAULT_MAX_DISTANCE, workers=1)
            index = {str(p): i for i, p in enumerate(ds.paths)}
            found = set()
            for _, m in cl.groupby("cluster"):
                ids = sorted(index[p] for p in m["path"])
                found |= {(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]}
            result[exact] = precision_recall(found, ds.true_pairs())
    (pf, rf), (pe, re_) = result[False], result[True]
    return {
        "measure": f"duplicate-cluster recall, fast vs exact ({len(ds.paths)} generated images, {groups} groups)",
        "osint_kit": round(rf, 3),
        "reference": round(re_, 3),
        "ratio": round(rf / re_, 3) if re_ else None,
        "unit": "pair recall",
        "note": f"precision fast {pf:.3f} / exact {pe:.3f}; max_distance={DEFAULT_MAX_DISTANCE}",
    }


def _big_jpegs(folder: Path, n: int) -> list[Path]:
    from osint_kit.testing.image_sets import structured_image

    out = []
    for i in range(n):
        im = structured_image(i, (400, 300)).resize((4000, 3000), Image.Resampling.BILINEAR)
        noise = np.random.default_rng(i).normal(0, 4, size=(3000, 4000, 3))
        arr = np.clip(np.asarray(im, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
        p = folder / f"big{i}.jpg"
        Image.fromarray(arr).save(p, "JPEG", quality=92)
        out.append(p)
    return out


def run(size: str = "quick") -> list[dict]:
    rows = []
    repeats = 3 if size == "quick" else 5
    cams = _camera_jpegs()
    if cams:
        rows.append(_compare(cams, "real camera JPEGs", repeats))
        rows.append(_movement(cams, "real camera JPEGs"))
    with tempfile.TemporaryDirectory() as tmp:
        big = _big_jpegs(Path(tmp), 6 if size == "quick" else 16)
        rows.append(_compare(big, "generated 12 MP JPEGs", repeats))
        rows.append(_movement(big, "generated 12 MP JPEGs"))
    rows.append(_recall_fast_vs_exact(size))
    return rows


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
