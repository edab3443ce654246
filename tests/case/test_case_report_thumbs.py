"""Issue 19.8: report thumbnails are decoded in the isolated worker, never in the caller.

Uses only ``Case.report`` (no report internals), so it runs unchanged against the report of
any version: with the old in-process decoding it fails (no thumbnails once Pillow cannot open
files here, and the 64-megapixel PNG is decoded in the kernel).
"""

from __future__ import annotations

import re
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from case_factory import make_png

from osint_kit.case import Case


def sparse_png(path: Path, width: int, height: int) -> Path:
    """A valid greyscale PNG of ``width`` x ``height`` zeros: tiny on disk, huge decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    comp = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    body = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body)
                     + chunk(b"IEND", b""))
    return path


def test_thumbnails_are_not_decoded_in_the_calling_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With Pillow unable to open anything in this process, the report still has both
    thumbnails (they come from the worker), and the 64-megapixel PNG of about 70 KB gets
    none (the preview's pixel cap) and is never opened here."""
    from PIL import Image

    files = tmp_path / "files"
    files.mkdir()
    case = Case.create(tmp_path / "case", title="thumbs")
    try:
        case.add_evidence(make_png(files / "a.png"), analyse=False)
        case.add_evidence(make_png(files / "b.png", (10, 10, 200)), analyse=False)
        big = sparse_png(files / "bomb.png", 8000, 8000)
        assert big.stat().st_size < 200_000
        case.add_evidence(big, analyse=False)
        opened_here: list[str] = []

        def refuse(fp: Any, *args: Any, **kwargs: Any) -> Any:
            opened_here.append(str(fp))
            raise OSError("Pillow may not decode evidence in the calling process")

        monkeypatch.setattr(Image, "open", refuse)
        started = time.monotonic()
        html_path, _md = case.report(tmp_path / "report.html")
        took = time.monotonic() - started
    finally:
        case.close()
    page = html_path.read_text(encoding="utf-8")
    thumbs = re.findall(r"<img [^>]*src=['\"]data:image/(?:png|jpeg);base64,", page)
    assert len(thumbs) == 2, "one thumbnail for each small picture"
    assert "64,000,000 pixels" in page  # why the big one has none
    assert opened_here == []
    assert took < 60
