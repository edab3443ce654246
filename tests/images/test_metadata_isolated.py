"""read_metadata(path) parses in a warm worker process: a C decoder (libheif, libwebp) that
crashes or hangs on a crafted file costs an exception, not the notebook's kernel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from osint_kit.errors import EvidenceError
from osint_kit.media.read.metadata import read_metadata
from osint_kit.media.scan import scan
from osint_kit.testing.images import gps_tags, make_image
from osint_kit.testing.stand_ins import CRASHING, assert_crash_and_hang_contained


def _mixed(root: Path) -> list[Path]:
    """Images with and without metadata in several formats, plus broken files."""
    root.mkdir()
    files = [
        make_image(root / "gps.jpg", exif={"Make": "Canon", "DateTimeOriginal": "2022:11:10 10:30:00",
                                           "OffsetTimeOriginal": "+02:00"},
                   gps=gps_tags(lat=50.45, lon=30.52), iptc={"City": "Kyiv"}),
        make_image(root / "plain.png", "PNG"),
        make_image(root / "tagged.tiff", "TIFF", exif={"Model": "X"}),
    ]
    Image.new("RGB", (16, 8), (200, 10, 10)).save(root / "pic.webp", "WEBP")
    files.append(root / "pic.webp")
    (root / "empty.jpg").write_bytes(b"")
    (root / "notes.txt").write_text("not an image", encoding="utf-8")
    (root / "cut.jpg").write_bytes(files[0].read_bytes()[:20])
    return [*files, root / "empty.jpg", root / "notes.txt", root / "cut.jpg"]


def _outcome(path: Path, here: bool = False) -> Any:
    try:
        meta = read_metadata.here(path) if here else read_metadata(path)
    except EvidenceError as err:
        return type(err).__name__, err.path, err.reason
    return meta, meta.thumbnail  # dataclass equality covers raw, provenance and warnings


def test_an_isolated_read_equals_a_read_in_this_process(tmp_path: Path) -> None:
    paths = _mixed(tmp_path / "set")
    errors = 0
    for p in paths:
        here = _outcome(p, here=True)
        errors += isinstance(here, tuple) and isinstance(here[0], str)
        assert _outcome(p) == here, p.name
    assert errors == 3  # the broken files fail the same way in both


def test_a_crashing_or_hanging_decoder_costs_an_exception(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    good = make_image(tmp_path / "a.jpg", exif={"Make": "Nikon"})
    assert_crash_and_hang_contained(monkeypatch, read_metadata,
                                    lambda **kw: read_metadata(good, **kw), good)
    assert read_metadata(good).make == "Nikon"  # a fresh worker takes over


def test_scans_read_in_their_own_workers_or_here_never_through_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan reads with ``read_metadata.here``: its workers are the isolation, and
    ``workers=0`` asks for this process. With what the isolated worker runs replaced by a
    crash, both still read normally."""
    paths = _mixed(tmp_path / "set")
    monkeypatch.setattr(read_metadata, "_target", CRASHING)
    for workers in (0, 2):
        df = scan(tmp_path / "set", workers=workers, progress=False)
        assert len(df) == len(paths)
        assert not df["error_type"].isin(["WorkerCrashedError"]).any(), workers
        assert df.loc[df["file_name"] == "gps.jpg", "make"].item() == "Canon"


def _helpers(thumbnail: bytes) -> dict[str, Any]:
    from osint_kit.media.forensics.daylight import mean_luminance
    from osint_kit.media.forensics.quality import jpeg_quality
    from osint_kit.media.forensics.thumbnail import compare_thumbnail, extract_thumbnail
    from osint_kit.media.similar.hashes import image_hashes

    return {"mean_luminance": (mean_luminance, ()), "image_hashes": (image_hashes, ()),
            "jpeg_quality": (jpeg_quality, ()), "extract_thumbnail": (extract_thumbnail, ()),
            "compare_thumbnail": (compare_thumbnail, ()),
            "compare_thumbnail(given bytes)": (compare_thumbnail, (thumbnail,))}


def test_single_file_helpers_decode_in_the_worker(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The other helpers a notebook calls on one file decode there too: with Pillow's
    ``Image.open`` made to fail in this process, isolated calls still give the results
    (and errors) of in-process ones."""
    import PIL.Image

    good = make_image(tmp_path / "t.jpg", exif={"Make": "Canon"}, thumbnail="auto")
    broken = tmp_path / "cut.jpg"
    broken.write_bytes(good.read_bytes()[:20])
    from osint_kit.media.forensics.thumbnail import extract_thumbnail

    thumbnail = extract_thumbnail.here(good)
    assert thumbnail  # the image has one to compare
    helpers = _helpers(thumbnail)
    expected = {}
    for name, (fn, args) in helpers.items():
        for p in (good, broken):
            try:
                expected[name, p] = fn.here(p, *args)
            except EvidenceError as err:
                expected[name, p] = (type(err).__name__, err.reason)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("decoded in the notebook's process")

    monkeypatch.setattr(PIL.Image, "open", refuse)
    for name, (fn, args) in helpers.items():
        for p in (good, broken):
            try:
                got = fn(p, *args)
            except EvidenceError as err:
                got = (type(err).__name__, err.reason)
            assert got == expected[name, p], (name, p.name)
