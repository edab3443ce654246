"""Metadata scan vs ``exiftool -json -r``: files per second on the same folder, same run.

The measures:

* the camera samples (real files, 0.3 MB on average): ``scan(folder)`` called in a running
  Python session, as a notebook user does (the worker processes stay warm between calls; the
  first call's speed, worker start included, is in the note), vs one
  ``exiftool -json -r folder`` process (Perl start-up included);
* a generated folder of small EXIF JPEGs (per-file overhead dominates), same pair;
* ``full`` only: the camera samples copied 10 times (1,200 files), where the per-call costs
  of both tools (Perl start-up; worker wake-up and building the DataFrame) weigh little;
* a floor on the camera samples: the same ``scan()`` with a reader that only reads each file
  and takes its SHA-256 (``osint_kit.testing.stand_ins.read_and_hash``), no parsing at all. It shows how far
  any parser could go here, whatever it is written in: the metadata scan's ratio can never
  exceed this one.

Each pair is repeated and the median taken; the ratio is osint_kit files/s / ExifTool files/s.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from osint_kit.media.scan import DEFAULT_READER, scan
from osint_kit.testing.corpus import copied_samples, count_files, generated_corpus

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "build" / "bench-corpus"
#: the developers' real camera samples (dev setup only; the kit itself knows no such folder)
CAMERA_SAMPLES = ROOT.parent / "shared" / "corpora" / "camera-samples"

SIZES = {"quick": {"repeat": 3, "small": 1000, "copies": 0},
         "full": {"repeat": 5, "small": 5000, "copies": 10}}


def _time_exiftool(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["exiftool", "-json", "-r", "-q", "-q", str(folder)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _time_scan(folder: Path, reader: str = DEFAULT_READER) -> tuple[float, int]:
    start = time.perf_counter()
    df = scan(folder, progress=False, reader=reader)
    return time.perf_counter() - start, len(df)


FLOOR_READER = "osint_kit.testing.stand_ins:read_and_hash"


def _pair(folder: Path, label: str, repeat: int, floor: bool = False) -> list[dict[str, object]]:
    from osint_kit.runner.engine import shutdown_pools

    n = count_files(folder)
    ok_times, ref_times, floor_times = [], [], []
    shutdown_pools()
    first, rows = _time_scan(folder)  # the session's first call also starts the workers
    if floor:
        _time_scan(folder, FLOOR_READER)
    for _ in range(repeat):  # interleaved so all see the same machine load
        t, rows = _time_scan(folder)
        ok_times.append(t)
        if floor:
            floor_times.append(_time_scan(folder, FLOOR_READER)[0])
        if shutil.which("exiftool"):
            ref_times.append(_time_exiftool(folder))
    ok = n / statistics.median(ok_times)
    ref = n / statistics.median(ref_times) if ref_times else None
    out = [_row(f"scan files/s: {label}", ok, ref, (
        f"{n} files, {rows} rows, median of {repeat}, workers kept warm between calls "
        f"(first call with worker start: {n / first:.0f} files/s); "
        + ("reference = exiftool -json -r" if ref else "exiftool not installed")))]
    if floor:
        low = n / statistics.median(floor_times)
        out.append(_row(f"scan floor files/s (read + SHA-256 only, no parsing): {label}", low,
                        ref, "same scan() engine and files, reader = osint_kit.testing.stand_ins.read_and_hash; "
                        "no parser can make the metadata scan faster than this"))
    return out


def _row(measure: str, ok: float, ref: float | None, note: str) -> dict[str, object]:
    return {
        "measure": measure,
        "osint_kit": round(ok, 1),
        "reference": round(ref, 1) if ref else None,
        "ratio": round(ok / ref, 2) if ref else None,
        "unit": "files/s",
        "note": note,
    }


def scan_corpus() -> tuple[Path, str]:
    """The real camera samples when present (dev setup), else a generated stand-in."""
    if CAMERA_SAMPLES.exists():
        return CAMERA_SAMPLES, "real camera samples"
    return generated_corpus(500, CORPUS_DIR, "stand-in"), "stand-in corpus (no camera samples)"


def run(size: str = "quick") -> list[dict[str, object]]:
    cfg = SIZES[size]
    folder, label = scan_corpus()
    small = generated_corpus(cfg["small"], CORPUS_DIR)
    rows = [
        *_pair(folder, label, cfg["repeat"], floor=True),
        *_pair(small, f"{cfg['small']} small generated JPEGs", cfg["repeat"]),
    ]
    if cfg["copies"] and CAMERA_SAMPLES.exists():
        copies = copied_samples(CAMERA_SAMPLES, cfg["copies"], CORPUS_DIR)
        rows.extend(_pair(copies, f"camera samples x{cfg['copies']}", 3))
    return rows


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
