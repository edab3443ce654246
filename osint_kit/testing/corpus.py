"""Generated folders of evidence for the scan tests and the benchmarks.

- :func:`jpeg_bytes` / :func:`make_mixed_folder`: small EXIF JPEGs, and a folder mixing good
  images, broken files and awkward links with the error each must give (scan tests).
- :func:`generated_corpus`: ``n`` small JPEGs with EXIF (Make, Model, DateTimeOriginal with
  offset, GPS), IPTC and XMP, built once under a folder the caller gives and reused. A few
  templates are rendered with :mod:`osint_kit.testing.images`; each file then gets a unique
  serial number patched into a fixed-width EXIF ImageDescription, so all files differ
  (distinct SHA-256) without encoding 100,000 JPEGs (scan, memory and Dask benchmarks).
- :func:`copied_samples`: a folder of samples copied ``times`` times, for a scan big enough
  that per-call costs no longer count. The caller names the samples folder: the kit knows
  no corpus outside the folders it is given.
"""

from __future__ import annotations

import io
import json
import os
import random
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from PIL import Image

_MARK = b"SERIAL-0000000000"
_VERSION = 1


def jpeg_bytes(make: str = "TestCam", model: str = "T1", when: str = "2022:11:18 10:30:00",
               size: tuple[int, int] = (16, 12), seed: int = 0) -> bytes:
    """A small JPEG with a few EXIF tags (Make, Model, DateTimeOriginal)."""
    img = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, 120))
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif.get_ifd(0x8769)[0x9003] = when
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes(), quality=80)
    return buf.getvalue()


def make_mixed_folder(root: Path, n_good: int = 4) -> dict[str, str | None]:
    """Good images, broken files and awkward links; returns file name -> expected error_type.

    Keys are paths relative to ``root`` of everything that must be a row; None = read fine.
    """
    root.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}
    for i in range(n_good):
        (root / f"good_{i}.jpg").write_bytes(jpeg_bytes(model=f"T{i}", seed=i))
        expected[f"good_{i}.jpg"] = None
    png = io.BytesIO()
    Image.new("RGB", (5, 5)).save(png, "PNG")
    (root / "plain.png").write_bytes(png.getvalue())
    expected["plain.png"] = None
    (root / ".hidden.jpg").write_bytes(jpeg_bytes(model="hidden", seed=99))
    expected[".hidden.jpg"] = None
    (root / "empty.jpg").write_bytes(b"")
    expected["empty.jpg"] = "EmptyFileError"
    (root / "truncated.jpg").write_bytes(jpeg_bytes(seed=5)[:40])
    expected["truncated.jpg"] = "?"  # corrupt, or read with a warning: reader's decision
    (root / "random.jpg").write_bytes(random.Random(1).randbytes(3000))
    expected["random.jpg"] = "UnsupportedFormatError"
    (root / "notes.txt").write_text("not an image\n", encoding="utf-8")
    expected["notes.txt"] = "UnsupportedFormatError"
    nested = root / "nested" / "deeper"
    nested.mkdir(parents=True)
    (nested / "inner.jpg").write_bytes(jpeg_bytes(model="inner", seed=7))
    expected["nested/deeper/inner.jpg"] = None
    os.symlink("loop", root / "loop")  # a link to itself
    expected["loop"] = "NotAFileError"
    os.symlink(root / "nested", root / "link_to_dir")  # must not be followed
    expected["link_to_dir"] = "NotAFileError"
    os.symlink(root / "good_0.jpg", root / "link_to_file.jpg")  # read through
    expected["link_to_file.jpg"] = None
    return expected


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


def generated_corpus(n: int, root: Path, name: str = "jpeg") -> Path:
    """``root/<name>-<n>``: ``n`` small EXIF JPEGs in sub-folders of 1,000; built once (a
    stamp file beside it records that), reused after."""
    folder = root / f"{name}-{n}"
    stamp = root / f"{name}-{n}.complete.json"  # outside: it must not become a row
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


def copied_samples(samples: Path, times: int, root: Path) -> Path:
    """``root/<samples name>-x<times>``: the files under ``samples`` copied ``times`` times
    (one sub-folder per copy); built once, reused after. The samples are only read."""
    folder = root / f"{samples.name}-x{times}"
    stamp = root / f"{samples.name}-x{times}.complete.json"
    if stamp.exists():
        return folder
    for k in range(times):
        for src in sorted(p for p in samples.rglob("*") if p.is_file()):
            dst = folder / f"copy{k:02d}" / src.relative_to(samples)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())  # a copy: the samples themselves are never touched
    stamp.write_text(json.dumps({"copies": times}))
    return folder


def count_files(folder: Path) -> int:
    """How many files are under ``folder`` (all depths)."""
    return sum(len(files) for _, _, files in os.walk(folder))
