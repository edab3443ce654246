"""Hostile video files: every one gives its typed outcome, quickly, and stays byte-identical."""

from __future__ import annotations

import contextlib
import hashlib
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osint_kit import errors
from osint_kit.errors import CorruptImageError, EvidenceError, ImageTooLargeError
from osint_kit.media.read.video import _quicktime, read_video_metadata
from osint_kit.media.read.video._boxes import walk_boxes
from osint_kit.media.read.video._quicktime import read_atoms
from osint_kit.testing.hostile_video import box, hostile_videos, movie, write_hostile_videos

CASES = list(hostile_videos(seed=0))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, str]]:
    folder = tmp_path_factory.mktemp("hostile-video")
    return {p.name: (p, expected, hashlib.sha256(p.read_bytes()).hexdigest())
            for p, expected in write_hostile_videos(folder, seed=0)}


def test_the_generator_is_deterministic() -> None:
    assert [(c.name, c.data) for c in hostile_videos(3)] == [
        (c.name, c.data) for c in hostile_videos(3)]
    assert len(CASES) >= 30


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_each_hostile_file_gives_its_expected_outcome(
        written: dict[str, tuple[Path, str, str]], name: str) -> None:
    path, expected, digest = written[name]
    try:
        meta = read_video_metadata(path)
    except EvidenceError as err:
        assert expected in ("any", type(err).__name__), f"{name}: {err!r}"
        assert err.path and err.reason
    else:
        assert not expected[0].isupper(), f"{name}: expected {expected}, got a record"
        if expected.startswith("warning:"):
            assert any(expected[8:] in w for w in meta.warnings), meta.warnings
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_a_movie_header_above_the_limit_is_refused(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big-moov.mp4"
    path.write_bytes(movie(moov_extra=box(b"free", b"\x00" * 4096)))
    monkeypatch.setattr(_quicktime, "MAX_MOOV_BYTES", 1024)
    with pytest.raises(ImageTooLargeError, match="moov"):
        read_video_metadata(path)


def test_limits_are_parameters_of_the_walker() -> None:
    data = box(b"moov", box(b"trak", box(b"mdia", b"")))
    assert [b.depth for b in walk_boxes(data)] == [0, 1, 2]
    with pytest.raises(CorruptImageError, match="deeper"):
        list(walk_boxes(data, max_depth=1))
    with pytest.raises(CorruptImageError, match="more than 2 boxes"):
        list(walk_boxes(data, max_boxes=2))


def test_size_zero_and_largesize_and_uuid() -> None:
    uuid = box(b"uuid", bytes(range(16)) + b"payload")
    data = box64(b"free", b"abcd", 20) + uuid + struct.pack(">I", 0) + b"mdat" + b"\x00" * 5
    boxes = list(walk_boxes(data))
    assert [(b.type, b.header_size, b.size) for b in boxes] == [
        ("free", 16, 20), ("uuid", 24, 31), ("mdat", 8, 13)]
    assert boxes[1].user_type == bytes(range(16))


def box64(kind: bytes, payload: bytes, size: int) -> bytes:
    return struct.pack(">I", 1) + kind + struct.pack(">Q", size) + payload


def _kit_error(err: BaseException) -> bool:
    return isinstance(err, errors.OsintKitError)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_fuzz_the_walker_on_random_bytes(data: bytes) -> None:
    warnings: list[str] = []
    try:
        boxes = list(walk_boxes(data, warnings=warnings, max_boxes=5000))
    except CorruptImageError:
        return
    for b in boxes:  # every box lies inside the data and moves forward
        assert 0 <= b.offset < b.offset + b.size <= len(data)
        assert b.payload <= b.end


_BOX_KINDS = st.sampled_from([b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"meta",
                              b"ilst", b"keys", b"mvhd", b"tkhd", b"mdhd", b"hdlr", b"stsd",
                              b"stts", b"stsz", b"elst", b"edts", b"\xa9xyz", b"uuid",
                              b"XMP_", b"data", b"\x00\x00\x00\x01"])


@st.composite
def _box_trees(draw: st.DrawFn, depth: int = 0) -> bytes:
    kind = draw(_BOX_KINDS)
    if depth < 4 and draw(st.booleans()):
        payload = b"".join(draw(st.lists(_box_trees(depth + 1), max_size=3)))  # type: ignore[arg-type]
    else:
        payload = draw(st.binary(max_size=64))
    size = draw(st.one_of(st.just(len(payload) + 8), st.integers(0, 2**32 - 1)))
    return struct.pack(">I", size) + kind + payload


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_box_trees(), min_size=1, max_size=4))
def test_fuzz_the_atom_reader_on_box_shaped_noise(parts: list[bytes]) -> None:
    data = box(b"ftyp", b"isom\x00\x00\x02\x00") + box(b"moov", b"".join(parts))
    with contextlib.suppress(errors.EvidenceError):  # anything else fails the test
        read_atoms(data, "<fuzz>")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          )
@given(st.binary(min_size=1, max_size=1024))
def test_fuzz_the_whole_reader_through_a_file(tmp_path_factory: pytest.TempPathFactory,
                                              data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "f.mp4"
    path.write_bytes(box(b"ftyp", b"isom\x00\x00\x02\x00") + data)
    try:
        read_video_metadata(path)
    except BaseException as err:  # noqa: BLE001 - the point: only the kit's errors may escape
        assert _kit_error(err), repr(err)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([b"\x1a\x45\xdf\xa3", b"RIFF\xff\xff\xff\xffAVI LIST"]),
       st.binary(max_size=2048))
def test_fuzz_the_pyav_path_with_magic_and_noise(tmp_path_factory: pytest.TempPathFactory,
                                                 magic: bytes, noise: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz-av") / ("f.mkv" if magic[0] == 0x1A else "f.avi")
    path.write_bytes(magic + noise)
    try:
        read_video_metadata(path)
    except BaseException as err:  # noqa: BLE001 - the point: only the kit's errors may escape
        assert _kit_error(err), repr(err)


@pytest.fixture(scope="module")
def real_clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from osint_kit.testing.videos import make_clip

    folder = tmp_path_factory.mktemp("real")
    return {s: make_clip(folder / f"c{s}", seconds=0.3, size=(48, 32), audio=True).read_bytes()
            for s in (".mp4", ".mov", ".mkv", ".webm", ".avi")}


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".mp4", ".mov", ".mkv", ".webm", ".avi"]),
       flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                      min_size=1, max_size=12),
       cut=st.one_of(st.none(), st.floats(0.01, 1)))
def test_fuzz_real_clips_with_flipped_bytes_and_cuts(
        real_clips: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory,
        suffix: str, flips: list[tuple[float, int]], cut: float | None) -> None:
    data = bytearray(real_clips[suffix])
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: max(1, int(cut * len(data)))]
    path = tmp_path_factory.mktemp("flip") / f"f{suffix}"
    path.write_bytes(bytes(data))
    try:
        read_video_metadata(path)
    except BaseException as err:  # noqa: BLE001 - the point: only the kit's errors may escape
        assert _kit_error(err), repr(err)


def test_a_stream_with_an_unknown_codec_id_is_still_a_record(
        real_clips: dict[str, bytes], tmp_path: Path) -> None:
    data = real_clips[".mkv"]
    assert data.count(b"V_MPEG4/ISO/AVC") == 1
    path = tmp_path / "unknown-codec.mkv"
    path.write_bytes(data.replace(b"V_MPEG4/ISO/AVC", b"V_XXXXX/ISO/XYZ"))
    meta = read_video_metadata(path)  # FFmpeg has no codec for it: PyAV gives codec None
    assert meta.video_codec is None and meta.container == "matroska"
    assert any("knows no codec" in w for w in meta.warnings)
