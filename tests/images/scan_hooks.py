"""Helpers for the scan tests: a mixed corpus generator and readers the workers can import.

Worker processes import readers by name (``"scan_hooks:sleepy_reader"``), so these live in a
plain module next to the tests rather than inside a test function.
"""

from __future__ import annotations

import io
import os
import random
import signal
import time
from pathlib import Path

from PIL import Image

from osint_kit.media.read.metadata import read_metadata

#: ``counting_reader`` logs to this file in the folder that holds the ``corpus`` folder
#: (workers fork from a server started earlier, so an environment variable would not reach them).
CALL_LOG = "calls.log"


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


def sleepy_reader(path: str):  # type: ignore[no-untyped-def]
    """Hangs on files named ``*hang*`` with signals blocked, like a stuck C decoder."""
    if "hang" in os.path.basename(path):
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM, signal.SIGINT, signal.SIGTERM])
        time.sleep(20)
    return read_metadata(path, md5=False, raw=False)  # as the default scan reader does


def crashing_reader(path: str):  # type: ignore[no-untyped-def]
    """Kills its own process on files named ``*crash*``, like a segfaulting decoder."""
    if "crash" in os.path.basename(path):
        os._exit(139)
    return read_metadata(path, md5=False, raw=False)  # as the default scan reader does


def counting_reader(path: str):  # type: ignore[no-untyped-def]
    """read_metadata that logs each call to ``<folder holding 'corpus'>/calls.log``."""
    parts = Path(path).parts
    if "corpus" in parts:
        log = Path(*parts[: parts.index("corpus")]) / CALL_LOG
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(path + "\n")
    return read_metadata(path, md5=False, raw=False)  # as the default scan reader does


def pid_of(path: str) -> int:
    """The worker's process id (to see which process handled a file)."""
    return os.getpid()
