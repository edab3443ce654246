"""The per-file reader in one process vs exifread alone, on the real camera samples.

What each scan worker runs, ``read_metadata(p, md5=False, raw=False)``, does more than
exifread (IPTC/XMP/ICC and dimensions, SHA-256 of every byte, normalisation), so two
references are reported: exifread as usually called (``process_file(fh)``, MakerNotes
decoded) and exifread with ``details=False``. The note gives the single-file default
(``read_metadata(p)``: MD5 too and a raw dump of every tag) and reading + SHA-256 alone, the
floor under any reader that hashes every byte. Median of ``repeat`` passes, same run.
"""

from __future__ import annotations

import contextlib
import hashlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CAMERA_SAMPLES = ROOT.parent / "shared" / "corpora" / "camera-samples"
SIZES = {"quick": 3, "full": 9}


def _files() -> list[Path]:
    if not CAMERA_SAMPLES.exists():
        raise FileNotFoundError(f"camera samples not found at {CAMERA_SAMPLES}")
    return sorted(p for p in CAMERA_SAMPLES.rglob("*")
                  if p.is_file() and p.suffix.lower() not in (".txt", ".md", ".rst"))


def _rate(fn: Callable[[Path], object], files: list[Path], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for path in files:
            with contextlib.suppress(Exception):  # errors count as files read
                fn(path)
        times.append(time.perf_counter() - start)
    return len(files) / statistics.median(times)


def run(size: str = "quick") -> list[dict[str, object]]:
    import exifread

    from osint_kit.media.read.metadata import read_metadata

    repeat = SIZES[size]
    files = _files()

    def exif_default(p: Path) -> object:
        with open(p, "rb") as fh:
            return exifread.process_file(fh)

    def exif_fast(p: Path) -> object:
        with open(p, "rb") as fh:
            return exifread.process_file(fh, details=False)

    def hashes_only(p: Path) -> object:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    def scan_reader(p: Path) -> object:
        return read_metadata.here(p, md5=False, raw=False)

    def single_file(p: Path) -> object:  # a notebook's call, minus the worker round trip
        return read_metadata.here(p)

    _rate(scan_reader, files, 1)  # warm imports and the page cache
    ours = _rate(scan_reader, files, repeat)
    single = _rate(single_file, files, repeat)
    ref_default = _rate(exif_default, files, repeat)
    ref_fast = _rate(exif_fast, files, repeat)
    hashing = _rate(hashes_only, files, repeat)
    note = (f"{len(files)} camera samples, 1 process, median of {repeat}; read_metadata(p) "
            f"with MD5 and the raw tag dump: {single:.0f} files/s; reading + SHA-256 alone: "
            f"{hashing:.0f} files/s (the ceiling for a reader that hashes every byte)")
    return [
        {"measure": "scan reader vs exifread.process_file (defaults)", "osint_kit": ours,
         "reference": ref_default, "ratio": ours / ref_default, "unit": "files/s",
         "note": note},
        {"measure": "scan reader vs exifread details=False", "osint_kit": ours,
         "reference": ref_fast, "ratio": ours / ref_fast, "unit": "files/s", "note": note},
    ]


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
