"""Large files that are not images are refused from their first bytes, never read whole;
large videos go to the video reader from their first bytes, also never read whole here.

``read_metadata`` checks a file above ``WHOLE_READ_CHECK_BYTES`` with the signature sniff and
Pillow reading from a handle before it loads the whole file. The decision must be the one the
whole-file path makes: the differential tests run every file through the check (threshold 0)
and through the whole-file path only (no threshold) and require the same outcome.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from differential import EXAMPLES, files_below, same_either_way
from PIL import Image

import osint_kit.media.read.metadata as metadata_mod
from osint_kit._io import MAX_FILE_BYTES
from osint_kit.errors import CorruptImageError, EvidenceError, UnsupportedFormatError
from osint_kit.media.read.metadata import read_metadata


def _outcome(path: Path) -> dict[str, Any] | str:
    try:
        return read_metadata.here(path, md5=False).to_record()  # thresholds patched
    except EvidenceError as err:
        return f"{type(err).__name__}: {err}"


def _compare(paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> int:
    return same_either_way(paths, monkeypatch, "WHOLE_READ_CHECK_BYTES", _outcome)


def _pillow_only_images(folder: Path) -> list[Path]:
    """Images the signature sniff does not know but Pillow opens (the check must let them
    through), and files that are no image at all."""
    folder.mkdir()
    im = Image.new("RGB", (40, 30), (200, 30, 30))
    out = []
    for fmt, suffix in (("TGA", "tga"), ("PCX", "pcx"), ("ICO", "ico"), ("SGI", "sgi"),
                        ("PPM", "ppm"), ("DDS", "dds"), ("IM", "im")):
        buf = io.BytesIO()
        im.save(buf, fmt)
        path = folder / f"image.{suffix}"
        path.write_bytes(buf.getvalue())
        out.append(path)
    for name, data in (
        ("video.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(5000)),
        ("archive.zip", b"PK\x03\x04" + bytes(3000)),
        ("statement.pdf", b"%PDF-1.7\n" + b"x" * 3000),
        ("zeros.bin", bytes(4096)),
        ("notes.txt", "Only text here. é".encode() * 50),
    ):
        path = folder / name
        path.write_bytes(data)
        out.append(path)
    return out


def test_same_outcome_with_and_without_the_check_on_generated_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _pillow_only_images(tmp_path / "gen")
    assert _compare(paths, monkeypatch) == 12
    monkeypatch.setattr(metadata_mod, "WHOLE_READ_CHECK_BYTES", 0)
    formats = {p.suffix: _outcome(p) for p in paths}
    assert isinstance(formats[".tga"], dict) and formats[".tga"]["format"] == "TGA"
    # an ftyp and no movie header: the video reader's error, not a refusal as "no image"
    assert formats[".mp4"] == (f"CorruptImageError: {tmp_path / 'gen' / 'video.mp4'}: "
                               "no movie header (moov box): the recording may have been cut "
                               "off before the camera wrote it, or this is not a movie; its "
                               "frames cannot be located without it")
    assert formats[".zip"] == (f"UnsupportedFormatError: {tmp_path / 'gen' / 'archive.zip'}: "
                               "not an image or video format osint_kit can read "
                               "(starts with b'PK\\x03\\x04\\x00\\x00\\x00\\x00')")


def test_same_outcome_on_hostile_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from osint_kit.testing.hostile import generate

    paths = generate(tmp_path / "hostile", n=300, seed=11)
    assert _compare(paths, monkeypatch) == 300


def test_same_outcome_on_camera_samples_and_examples(
    camera_samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _compare(files_below(camera_samples, EXAMPLES), monkeypatch) >= 100


def test_a_large_video_goes_to_the_video_reader_without_being_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osint_kit.testing.hostile_video import movie

    broken, good = tmp_path / "clip.mp4", tmp_path / "good.mp4"
    with broken.open("wb") as fh:
        fh.write(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
        fh.truncate(metadata_mod.WHOLE_READ_CHECK_BYTES + 1)  # sparse: cheap to make
    with good.open("wb") as fh:
        fh.write(movie())
        fh.truncate(metadata_mod.WHOLE_READ_CHECK_BYTES + 1)
    reads: list[str] = []
    real = metadata_mod.read_evidence

    def spy(path: str, *args: Any) -> bytes:
        reads.append(path)
        return real(path, *args)

    monkeypatch.setattr(metadata_mod, "read_evidence", spy)
    with pytest.raises(CorruptImageError, match="no movie header"):
        read_metadata.here(broken)  # the spy sees this process only
    meta = read_metadata.here(good)
    assert meta.kind == "video" and (meta.width, meta.height) == (320, 240)
    assert meta.file_size == metadata_mod.WHOLE_READ_CHECK_BYTES + 1
    assert reads == []


def test_a_large_image_is_still_read(tmp_path: Path) -> None:
    big = tmp_path / "big.tga"  # no signature: Pillow has to recognise it from the handle
    Image.effect_noise((1300, 1100), 60).convert("RGB").save(big, "TGA")
    assert big.stat().st_size > metadata_mod.WHOLE_READ_CHECK_BYTES
    meta = read_metadata(big)
    assert (meta.format, meta.width, meta.height) == ("TGA", 1300, 1100)
    assert meta.file_size == big.stat().st_size and len(meta.sha256) == 64


def test_a_non_image_above_the_whole_read_limit_says_what_it_is(tmp_path: Path) -> None:
    archive = tmp_path / "dump.zip"
    with archive.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk space used
    with pytest.raises(UnsupportedFormatError):  # not ImageTooLargeError
        read_metadata(archive)
