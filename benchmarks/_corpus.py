"""Deterministic benchmark corpora under build/bench-corpus/ (generated once, then reused).

Not a benchmark itself (no ``bench_`` prefix): the scan, memory and Dask benchmarks share it.
Files are small JPEGs with EXIF (Make, Model, DateTimeOriginal with offset, GPS), IPTC and
XMP. A few templates are rendered with ``osint_kit.testing.images``; each file then gets a
unique serial number patched into a fixed-width EXIF ImageDescription, so all files differ
(distinct SHA-256) without encoding 100,000 JPEGs.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "build" / "bench-corpus"
CAMERA_SAMPLES = ROOT.parent / "shared" / "corpora" / "camera-samples"
_MARK = b"SERIAL-0000000000"
_VERSION = 1


def _templates() -> list[bytes]:
    from osint_kit.testing.images import gps_tags, make_image

    out = []
    makes = [("Canon", "EOS 40D"), ("NIKON CORPORATION", "NIKON D750"), ("Apple", "iPhone 13"),
             ("samsung", "SM-G991B")]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (make, model) in enumerate(makes):
            path = make_image(
                Path(tmp) / f"t{i}.jpg", size=(96, 64), seed=i,
                exif={"Make": make, "Model": model, "ImageDescription": _MARK.decode(),
                      "DateTimeOriginal": f"2022:11:{10 + i:02d} 10:30:00",
                      "OffsetTimeOriginal": "+02:00", "Software": "bench"},
                # gps_tags returns str keys only; make_image declares Mapping[str | int, ...]
                gps=cast("Mapping[str | int, Any]", gps_tags(lat=50.45 + i / 100, lon=30.52 - i / 100)),
                iptc={"By-line": "bench", "City": "Kyiv"},
            )
            data = path.read_bytes()
            if data.count(_MARK) != 1:
                raise RuntimeError("template marker not found exactly once")
            out.append(data)
    return out


def generated_corpus(n: int, name: str = "jpeg") -> Path:
    """A folder with ``n`` small EXIF JPEGs in sub-folders of 1,000; built once, reused."""
    folder = CORPUS_DIR / f"{name}-{n}"
    stamp = CORPUS_DIR / f"{name}-{n}.complete.json"  # outside: it must not become a row
    if stamp.exists() and json.loads(stamp.read_text())["version"] == _VERSION:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    templates = _templates()
    for i in range(n):
        sub = folder / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(exist_ok=True)
        data = templates[i % len(templates)].replace(_MARK, f"SERIAL-{i:010d}".encode())
        (sub / f"img_{i:07d}.jpg").write_bytes(data)
    stamp.write_text(json.dumps({"version": _VERSION, "files": n}))
    return folder


def scan_corpus() -> tuple[Path, str]:
    """The real camera samples when present (dev setup), else a generated stand-in."""
    if CAMERA_SAMPLES.exists():
        return CAMERA_SAMPLES, "real camera samples"
    return generated_corpus(500, "stand-in"), "stand-in corpus (no camera samples)"


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def camera_copies(times: int) -> Path | None:
    """The camera samples copied ``times`` times (one sub-folder per copy), for a scan big
    enough that per-call costs (worker wake-up, building the DataFrame) no longer count;
    None where the samples are absent. Built once under build/bench-corpus/."""
    if not CAMERA_SAMPLES.exists():
        return None
    folder = CORPUS_DIR / f"camera-x{times}"
    stamp = CORPUS_DIR / f"camera-x{times}.complete.json"
    if stamp.exists():
        return folder
    for k in range(times):
        for src in sorted(p for p in CAMERA_SAMPLES.rglob("*") if p.is_file()):
            dst = folder / f"copy{k:02d}" / src.relative_to(CAMERA_SAMPLES)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())  # a copy: the samples themselves are never touched
    stamp.write_text(json.dumps({"copies": times}))
    return folder
