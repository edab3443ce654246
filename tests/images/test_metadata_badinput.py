"""Hostile and broken input: each case ends quickly with a typed error or a clean result."""

from __future__ import annotations

import hashlib
import os
import random
import struct
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osint_kit.errors import (
    CorruptImageError,
    EmptyFileError,
    EvidenceError,
    ImageTooLargeError,
    NotAFileError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from osint_kit.media.read.metadata import ImageMetadata, read_metadata
from osint_kit.testing.images import build_exif, make_image, pattern

pytestmark = pytest.mark.timeout(30)  # a hang guard, not a timing assertion


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError) as info:
        read_metadata(path)
    assert str(path) in str(info.value)


def test_truncated_jpeg(tmp_path: Path) -> None:
    whole = make_image(tmp_path / "whole.jpg", size=(256, 256), exif={"Make": "Nikon"}).read_bytes()
    half = tmp_path / "half.jpg"
    half.write_bytes(whole[: len(whole) // 2])
    meta = read_metadata(half)  # header intact: metadata still readable, truncation flagged
    assert meta.make == "Nikon"
    assert any("end-of-image" in w for w in meta.warnings)
    head = tmp_path / "head.jpg"
    head.write_bytes(whole[:40])  # cut inside the EXIF segment: nothing usable
    with pytest.raises(CorruptImageError) as info:
        read_metadata(head)
    assert "JPEG" in info.value.reason


def test_random_bytes_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "random.jpg"
    path.write_bytes(random.Random(1).randbytes(4096))
    with pytest.raises(UnsupportedFormatError):
        read_metadata(path)
    fake = tmp_path / "fake.jpg"
    fake.write_bytes(b"\xff\xd8\xff" + random.Random(2).randbytes(4096))
    with pytest.raises(CorruptImageError):
        read_metadata(fake)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(NotAFileError, match="directory"):
        read_metadata(tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotAFileError):
        read_metadata(tmp_path / "nope.jpg")


def test_unreadable_file(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading the file")
    path = make_image(tmp_path / "locked.jpg")
    path.chmod(0)
    try:
        with pytest.raises(UnreadableFileError):
            read_metadata(path)
    finally:
        path.chmod(0o644)


def test_symlink_loop(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jpg", tmp_path / "b.jpg"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(NotAFileError, match="loop"):
        read_metadata(a)


def test_one_pixel_image(tmp_path: Path) -> None:
    for fmt in ("JPEG", "PNG"):
        meta = read_metadata(make_image(tmp_path / f"one.{fmt.lower()}", fmt, size=(1, 1)))
        assert (meta.width, meta.height) == (1, 1)
        assert not meta.has_metadata


def test_png_decompression_bomb_is_refused_without_allocation(tmp_path: Path) -> None:
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _png_chunk(b"IEND", b""))
    path = tmp_path / "bomb.png"
    path.write_bytes(data)
    with pytest.raises(ImageTooLargeError) as info:
        read_metadata(path)
    assert str(path) in str(info.value)


def test_exif_ifd_pointing_to_itself(tmp_path: Path) -> None:
    blob = build_exif({"Make": "Loop", "DateTimeOriginal": "2022:11:18 10:30:00"},
                      exif_ifd_points_to_itself=True)
    meta = read_metadata(make_image(tmp_path / "loop.jpg", exif_bytes=blob))
    assert meta.make == "Loop"
    assert any("leads back" in w for w in meta.warnings)


def test_ifd_chain_loop_and_huge_entry_count(tmp_path: Path) -> None:
    # IFD0 whose next-IFD pointer is itself
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1)
    tiff += struct.pack("<HHII", 0x010F, 2, 4, int.from_bytes(b"Abc\x00", "little"))
    tiff += struct.pack("<I", 8)
    meta = read_metadata(make_image(tmp_path / "chain.jpg", exif_bytes=b"Exif\x00\x00" + tiff))
    assert meta.make == "Abc"
    # an IFD claiming 5000 entries, each a 999-value array (a CPU-time bomb for exifread)
    n = 5000
    entries = b"".join(struct.pack("<HHII", 0x9000 + i, 3, 999, 8) for i in range(n))
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", n) + entries + b"\0" * 4
    meta = read_metadata(make_image(tmp_path / "wide.jpg", exif_bytes=b"Exif\x00\x00" + tiff))
    assert any("5000 entries" in w for w in meta.warnings)
    # within the entry limit, but 1000 x 999 values to decode one by one
    n = 1000
    entries = b"".join(struct.pack("<HHII", 0x9000 + i, 3, 999, 8) for i in range(n))
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", n) + entries + b"\0" * 4
    meta = read_metadata(make_image(tmp_path / "deep.jpg", exif_bytes=b"Exif\x00\x00" + tiff))
    # the normalised fields decode only the few tags they need; the raw dump of every tag
    # is the pass the value budget protects, and it says what it skipped
    assert "999000 array values" in meta.raw["EXIF raw dump notes"]
    assert "999000 array values" not in " ".join(meta.warnings)


@pytest.mark.parametrize("payload", [
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&b;</x:xmpmeta>',
    "<!DOCTYPE x SYSTEM 'file:///etc/passwd'><x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
    .encode("utf-16"),
    b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</x:xmpmeta>",
    b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><unclosed></x:xmpmeta>",
])
def test_hostile_xmp_is_refused_not_parsed(tmp_path: Path, payload: bytes) -> None:
    meta = read_metadata(make_image(tmp_path / "x.jpg", xmp=payload))
    assert meta.has_xmp
    assert any(w.startswith("XMP ignored") for w in meta.warnings)
    assert not any(k.startswith("XMP ") for k in meta.raw)


def test_files_are_opened_read_only(tmp_path: Path) -> None:
    paths = [make_image(tmp_path / f"r.{f.lower()}", f, exif={"Make": "X"}, thumbnail="auto")
             for f in ("JPEG", "PNG", "TIFF", "WEBP")]
    before = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
              for p in paths}
    for p in paths:
        read_metadata(p)
    after = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
             for p in paths}
    assert before == after


def test_errors_are_evidence_errors_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "text.jpg"
    path.write_text("just text")
    with pytest.raises(EvidenceError) as info:
        read_metadata(path)
    assert info.value.path == str(path.absolute())
    assert info.value.reason


def test_a_size_above_the_pixel_limit_is_noted_not_refused(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from osint_kit.media.read import metadata

    monkeypatch.setattr(metadata, "MAX_PIXELS", 100)
    path = tmp_path / "p.png"
    pattern((20, 20)).save(path)
    # the patched limit holds in this process only
    meta = read_metadata.here(path)  # the header is read, the size noted
    assert (meta.width, meta.height) == (20, 20)
    assert [w for w in meta.warnings if "20x20 = 400 pixels, limit 100." in w]
    small = read_metadata.here(make_image(tmp_path / "s.png", "PNG", size=(5, 5)))
    assert not [w for w in small.warnings if "decoding limit" in w]


def test_permission_denied_is_typed_even_as_root(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Root ignores chmod 000, so simulate the EACCES the kernel gives other users."""
    import errno

    from osint_kit import _io

    path = make_image(tmp_path / "denied.jpg")

    def deny(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(_io.os, "open", deny)
    with pytest.raises(UnreadableFileError, match="permission denied"):
        read_metadata.here(path)


@pytest.fixture(scope="module")
def rich_bytes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from osint_kit.testing.images import gps_tags, xmp_packet

    folder = tmp_path_factory.mktemp("rich")
    out = {}
    for fmt in ("JPEG", "PNG", "TIFF", "WEBP"):
        path = make_image(folder / f"rich.{fmt.lower()}", fmt, size=(16, 16),
                          exif={"Make": "M", "DateTimeOriginal": "2022:01:02 03:04:05",
                                "XPTitle": "t", "UserComment": b"ASCII\x00\x00\x00c"},
                          gps=cast("Mapping[str | int, Any]", gps_tags(-1.5, -2.5, 3.0)),
                          xmp=xmp_packet({"xmp:CreatorTool": "x"}),
                          iptc={"City": "c"} if fmt in ("JPEG", "TIFF") else None,
                          thumbnail="auto" if fmt != "TIFF" else None)
        out[fmt] = path.read_bytes()
    return out


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(["JPEG", "PNG", "TIFF", "WEBP"]),
       flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                      min_size=1, max_size=12),
       cut=st.one_of(st.none(), st.floats(0.05, 1.0)))
def test_mutated_files_give_result_or_typed_error(rich_bytes: dict[str, bytes],
                                                  tmp_path: Path, fmt: str,
                                                  flips: list[tuple[float, int]],
                                                  cut: float | None) -> None:
    data = bytearray(rich_bytes[fmt])
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: max(1, int(len(data) * cut))]
    path = tmp_path / f"mutant.{fmt.lower()}"
    path.write_bytes(bytes(data))
    try:
        meta = read_metadata(path)
    except EvidenceError as err:
        assert err.reason
    else:
        assert isinstance(meta, ImageMetadata)
        meta.to_record()
        meta._repr_html_()


_MAGICS = {
    "jpeg": b"\xff\xd8\xff",
    "jpeg_exif": b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00",
    "png": b"\x89PNG\r\n\x1a\n",
    "tiff_le": b"II*\x00",
    "tiff_be": b"MM\x00*",
    "webp": b"RIFF\x00\x00\x00\x00WEBPVP8X",
    "heic": b"\x00\x00\x00\x18ftypheic",
    "avif": b"\x00\x00\x00\x18ftypavif",
    "jxl": b"\x00\x00\x00\x0cJXL \r\n\x87\n",
}


@pytest.mark.parametrize("magic", sorted(_MAGICS))
@pytest.mark.parametrize("body", [b"", b"\x00", b"\xff" * 16, random.Random(3).randbytes(300)])
def test_magic_then_garbage(tmp_path: Path, magic: str, body: bytes) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(_MAGICS[magic] + body)
    try:
        meta = read_metadata(path)
    except EvidenceError as err:
        assert err.reason
    else:
        assert isinstance(meta, ImageMetadata)


def test_values_and_ifds_past_the_end_of_the_exif_block_are_reported(tmp_path: Path) -> None:
    """Corrupt EXIF is a finding in itself: say where it breaks, keep what can be read."""
    # ImageDescription claims 4096 bytes at offset 26 of a 40-byte block
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1)
    tiff += struct.pack("<HHII", 0x010E, 2, 4096, 26) + struct.pack("<I", 0) + b"short text"
    meta = read_metadata(make_image(tmp_path / "desc.jpg", exif_bytes=b"Exif\x00\x00" + tiff))
    assert meta.image_description == "short text"  # what is there is still read
    assert any("ImageDescription" in w and "runs past the end" in w for w in meta.warnings)
    # IFD0 pointer far beyond the block (a flipped bit)
    tiff = b"II*\x00" + struct.pack("<I", 1 << 25) + b"\x00" * 32
    meta = read_metadata(make_image(tmp_path / "ifd.jpg", exif_bytes=b"Exif\x00\x00" + tiff))
    assert any("lies past the end of the EXIF block" in w for w in meta.warnings)
    # an IFD whose entries are cut off by the end of the block
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 3)
    tiff += struct.pack("<HHII", 0x010F, 2, 4, int.from_bytes(b"Cam\x00", "little"))
    meta = read_metadata(make_image(tmp_path / "cut.jpg", exif_bytes=b"Exif\x00\x00" + tiff))
    assert meta.make == "Cam"
    assert any("2 of its 3 entries run past the end" in w for w in meta.warnings)
