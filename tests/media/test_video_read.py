"""read_video_metadata on clips made by make_clip, tagged by ExifTool as a phone would."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from osint_kit.errors import EvidenceError, NotAFileError, UnsupportedFormatError
from osint_kit.media.read.video import (
    VIDEO_COLUMN_DOCS,
    VIDEO_SUFFIXES,
    VideoMetadata,
    is_video,
    read_video_metadata,
    sniff_video,
    video_field_names,
)
from osint_kit.media.read.video._values import parse_iso6709, parse_tag_date, rotation_of
from osint_kit.testing.hostile_video import box, keys_meta, movie
from osint_kit.testing.videos import make_clip

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed "
                                    "(apt-get install libimage-exiftool-perl)")
CONTAINERS = {".mp4": "mp4", ".mov": "quicktime", ".m4v": "m4v", ".3gp": "3gp", ".3g2": "3gp",
              ".mkv": "matroska", ".webm": "webm", ".avi": "avi"}


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {suffix: make_clip(folder / f"clip{suffix}", seconds=1, size=(96, 64), fps=25,
                              audio=suffix != ".avi")
            for suffix in CONTAINERS}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _exiftool(path: Path, *args: str) -> None:
    subprocess.run([EXIFTOOL or "exiftool", "-q", "-overwrite_original", *args, str(path)],
                   check=True, capture_output=True, timeout=60)


@pytest.mark.parametrize("suffix", sorted(CONTAINERS))
def test_every_container_gives_size_rate_duration_and_codec(clips: dict[str, Path],
                                                            suffix: str) -> None:
    path = clips[suffix]
    before = _sha(path)
    meta = read_video_metadata(path)
    assert _sha(path) == before
    assert meta.kind == "video"
    assert meta.container == CONTAINERS[suffix]
    assert (meta.width, meta.height) == (96, 64)
    assert (meta.display_width, meta.display_height) == (96, 64)
    assert meta.rotation == 0
    assert meta.fps == pytest.approx(25.0)
    assert meta.duration_s == pytest.approx(1.0, abs=0.1)
    assert meta.video_codec == {".webm": "vp9", ".avi": "mpeg4"}.get(suffix, "h264")
    if suffix != ".avi":
        assert meta.audio_codec in ("aac", "opus")
    assert meta.file_size == path.stat().st_size
    assert meta.provenance["width"]
    assert is_video(path) and is_video(path.read_bytes()[:64])
    assert suffix in VIDEO_SUFFIXES


@pytest.mark.parametrize("suffix", [".mp4", ".mov", ".m4v", ".3gp"])
def test_quicktime_family_frame_count_and_edit_list(clips: dict[str, Path], suffix: str) -> None:
    meta = read_video_metadata(clips[suffix])
    assert meta.frame_count == 25
    assert meta.stream_duration_s == pytest.approx(1.0)
    assert meta.edit_list and meta.edit_list[0][0] == pytest.approx(1.0)
    assert "vide" in meta.handlers
    assert meta.created_raw == "0 (mvhd, unset)" and meta.created_utc is None


@pytest.mark.parametrize("suffix", [".mp4", ".mov"])
@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotation_from_the_track_matrix(tmp_path: Path, suffix: str, rotation: int) -> None:
    path = make_clip(tmp_path / f"r{suffix}", seconds=0.2, size=(96, 64), rotation=rotation)
    meta = read_video_metadata(path)
    assert meta.rotation == rotation
    assert (meta.width, meta.height) == (96, 64)
    expected = (64, 96) if rotation in (90, 270) else (96, 64)
    assert (meta.display_width, meta.display_height) == expected
    assert "tkhd" in meta.provenance["rotation"]


@needs_exiftool
def test_apple_keys_written_by_exiftool(clips: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "iphone.mp4"
    shutil.copy(clips[".mp4"], path)
    _exiftool(path, "-QuickTime:CreateDate=2022:11:18 01:30:00",
              "-Keys:GPSCoordinates=42.4214, 130.6081, 12", "-Keys:Make=Apple",
              "-Keys:Model=iPhone 12", "-Keys:Software=16.1",
              "-Keys:CreationDate=2022:11:18 10:30:00+09:00")
    before = _sha(path)
    meta = read_video_metadata(path)
    assert _sha(path) == before
    assert (meta.make, meta.model, meta.software) == ("Apple", "iPhone 12", "16.1")
    assert meta.created_utc == datetime(2022, 11, 18, 1, 30, tzinfo=UTC)
    assert meta.created_raw == f"{3_751_579_800} (mvhd, seconds since 1904)"
    assert "UTC confirmed" in (meta.created_assumption or "")
    assert meta.created_local == datetime(2022, 11, 18, 10, 30,
                                          tzinfo=timezone(timedelta(hours=9)))
    assert meta.created_local.utcoffset() == timedelta(hours=9)
    assert (meta.gps_latitude, meta.gps_longitude) == (42.4214, 130.6081)
    assert meta.gps_altitude == pytest.approx(12)
    assert meta.encoder and meta.encoder.startswith("Lavf")
    assert meta.provenance["make"].startswith("Keys:com.apple.quicktime.make")
    assert meta.provenance["gps_latitude"].startswith("Keys:com.apple.quicktime.location")
    assert meta.tags["Keys:com.apple.quicktime.model"] == "iPhone 12"
    assert "mdta" in meta.handlers


@needs_exiftool
def test_local_time_in_the_movie_header_is_detected(clips: dict[str, Path],
                                                    tmp_path: Path) -> None:
    path = tmp_path / "local.mp4"
    shutil.copy(clips[".mp4"], path)
    _exiftool(path, "-QuickTime:CreateDate=2022:11:18 10:30:00",
              "-Keys:CreationDate=2022:11:18 10:30:00+09:00")
    meta = read_video_metadata(path)
    assert meta.created_raw == f"{3_751_579_800 + 9 * 3600} (mvhd, seconds since 1904)"
    assert meta.created_utc == datetime(2022, 11, 18, 1, 30, tzinfo=UTC)
    assert "local wall-clock" in (meta.created_assumption or "")
    assert any("local time written as UTC" in w for w in meta.warnings)
    assert meta.provenance["created_utc"].startswith("Keys:com.apple.quicktime.creationdate")


@needs_exiftool
def test_userdata_android_style_and_xmp(clips: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "android.mov"
    shutil.copy(clips[".mov"], path)
    _exiftool(path, "-UserData:GPSCoordinates=-33.8568, 151.2153, 5", "-UserData:Make=samsung",
              "-UserData:Model=SM-G991B", "-XMP-xmp:CreatorTool=CapCut",
              "-XMP-tiff:Make=Ignored because UserData wins")
    meta = read_video_metadata(path)
    assert (meta.make, meta.model) == ("samsung", "SM-G991B")
    assert (meta.gps_latitude, meta.gps_longitude) == (-33.8568, 151.2153)
    assert meta.provenance["gps_latitude"].startswith("UserData:©xyz")
    assert meta.has_xmp and meta.xmp["xmp:CreatorTool"] == "CapCut"
    assert meta.tags["XMP:xmp:CreatorTool"] == "CapCut"


@needs_exiftool
def test_xmp_gps_is_the_last_resort(clips: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "xmp.mp4"
    shutil.copy(clips[".mp4"], path)
    _exiftool(path, "-XMP-exif:GPSLatitude=10.5", "-XMP-exif:GPSLongitude=20.25",
              "-XMP-tiff:Model=Hero")
    meta = read_video_metadata(path)
    assert (meta.gps_latitude, meta.gps_longitude) == (10.5, 20.25)
    assert meta.model == "Hero" and meta.provenance["model"].startswith("XMP:tiff:Model")


def test_matroska_rotation_from_ffmpegs_rotate_tag(tmp_path: Path) -> None:
    meta = read_video_metadata(make_clip(tmp_path / "r.mkv", seconds=0.2, size=(96, 64),
                                         rotation=90))
    assert meta.rotation == 90 and (meta.display_width, meta.display_height) == (64, 96)
    assert "ROTATE" in meta.provenance["rotation"]


@pytest.mark.parametrize("moov_last", [False, True])
def test_large_files_are_mapped_not_read(tmp_path: Path, moov_last: bool) -> None:
    path = tmp_path / "big.mp4"
    data = movie(mdat=box(b"mdat", b"\x00" * (3 << 20)))
    if moov_last:  # as a camera writes it: the movie header after the media data
        ftyp_end = int.from_bytes(data[:4], "big")
        moov_end = ftyp_end + int.from_bytes(data[ftyp_end:ftyp_end + 4], "big")
        data = data[:ftyp_end] + data[moov_end:] + data[ftyp_end:moov_end]
    path.write_bytes(data)
    before = _sha(path)
    meta = read_video_metadata(path)
    assert (meta.width, meta.height, meta.frame_count) == (320, 240, 50)
    assert meta.duration_s == 2.0 and meta.fps == 25.0
    assert meta.created_utc == datetime(2022, 11, 18, 1, 30, tzinfo=UTC)
    assert _sha(path) == before


def test_matroska_tags_through_pyav(tmp_path: Path) -> None:
    path = make_clip(tmp_path / "tagged.mkv", seconds=0.4, size=(64, 48), metadata={
        "creation_time": "2022-11-18T01:30:00.000000Z", "make": "Sony",
        "location": "+42.4214+130.6081/"})
    meta = read_video_metadata(path)
    assert meta.created_utc == datetime(2022, 11, 18, 1, 30, tzinfo=UTC)
    assert meta.make == "Sony"
    assert (meta.gps_latitude, meta.gps_longitude) == (42.4214, 130.6081)
    assert meta.created_raw == "2022-11-18T01:30:00.000000Z"


def test_record_pickles_is_frozen_and_rows_are_flat(clips: dict[str, Path]) -> None:
    meta = read_video_metadata(clips[".mp4"])
    again = pickle.loads(pickle.dumps(meta))
    assert again == meta
    with pytest.raises(TypeError):
        meta.tags["x"] = "y"  # type: ignore[index]
    with pytest.raises(AttributeError):
        meta.width = 1  # type: ignore[misc]
    row = meta.to_row()
    assert tuple(row) == video_field_names() == tuple(VIDEO_COLUMN_DOCS)
    assert json.loads(row["tags"])["File:MajorBrand"] == "isom"
    assert json.loads(row["provenance"])["width"]
    assert all(not isinstance(v, dict | tuple | list) for v in row.values())
    assert isinstance(meta, VideoMetadata) and "mp4" in repr(meta)
    assert "<" in meta._repr_html_()


def test_refusals_are_typed(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all")
    with pytest.raises(UnsupportedFormatError):
        read_video_metadata(text)
    with pytest.raises(NotAFileError):
        read_video_metadata(tmp_path / "missing.mp4")
    with pytest.raises(EvidenceError):
        read_video_metadata(tmp_path)
    assert not is_video(text) and not is_video(tmp_path / "missing.mp4")


def test_sniffing_by_magic_bytes() -> None:
    assert sniff_video(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00") == "quicktime"
    assert sniff_video(b"\x00\x00\x00\x08wide\x00\x00\x00\x08mdat") == "quicktime"
    assert sniff_video(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00") is None  # a HEIF photo
    assert sniff_video(b"RIFF\x00\x00\x00\x00AVI LIST") == "avi"
    assert sniff_video(b"RIFF\x00\x00\x00\x00WEBPVP8 ") is None
    assert sniff_video(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81") == "matroska"
    assert sniff_video(b"\xff\xd8\xff\xe0") is None


def test_value_parsers() -> None:
    assert parse_iso6709("+42.4214+130.6081+000.000/") == (42.4214, 130.6081, 0.0)
    assert parse_iso6709("-3351.36+15112.92/") == pytest.approx((-33.856, 151.2153333, None))
    assert parse_iso6709("+425117+1301229/")[0] == pytest.approx(42.854722)  # type: ignore[index]
    assert parse_iso6709("+91.0+10.0/") is None and parse_iso6709("garbage") is None
    when, zoned = parse_tag_date("2022-11-18T10:30:00+0900")  # type: ignore[misc]
    assert zoned and when.utcoffset() == timedelta(hours=9)
    assert parse_tag_date("2022:11:18 10:30:00")[1] is False  # type: ignore[index]
    assert parse_tag_date("2022-13-40T99:00:00Z") is None
    assert rotation_of((0, 1, 0, -1, 0, 0, 0, 0, 1)) == (90, True)
    assert rotation_of((-1, 0, 0, 0, -1, 0, 0, 0, 1)) == (180, True)
    assert rotation_of((0, -1, 0, 1, 0, 0, 0, 0, 1)) == (270, True)
    assert rotation_of((2, 0, 0, 0, 2, 0, 0, 0, 1)) == (0, False)


def test_sony_nonrealtimemeta_xml_box(tmp_path: Path) -> None:
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><NonRealTimeMeta xmlns="urn:schemas-'
           b'professionalDisc:nonRealTimeMeta:ver.2.00" lastUpdate="2019-07-31T13:06:33+09:00">'
           b'<CreationDate value="2019-07-31T13:06:33+09:00"/>'
           b'<Device manufacturer="Sony" modelName="ILCE-7M3" serialNo="4294967295"/>'
           b"</NonRealTimeMeta>")
    hd = box(b"hdlr", b"\x00" * 8 + b"meta" + b"\x00" * 13)
    meta_box = box(b"meta", b"\x00\x00\x00\x00" + hd + box(b"xml ", b"\x00" * 4 + xml))
    path = tmp_path / "C0001.MP4"
    path.write_bytes(movie(brand=b"XAVC") [:-72] + meta_box + box(b"mdat", b"\x00" * 64))
    meta = read_video_metadata(path)
    assert (meta.make, meta.model) == ("Sony", "ILCE-7M3")
    assert meta.created_local == datetime(2019, 7, 31, 13, 6, 33,
                                          tzinfo=timezone(timedelta(hours=9)))
    assert meta.provenance["model"].startswith("XML:Device.modelName (meta/xml )")
    assert meta.tags["XML:Device.serialNo"] == "4294967295"


def test_html_view_escapes_what_the_file_says(tmp_path: Path) -> None:
    path = tmp_path / "xss.mp4"
    path.write_bytes(movie(moov_extra=keys_meta(
        {"com.apple.quicktime.make": b"<script>alert(1)</script>"})))
    meta = read_video_metadata(path)
    assert meta.make == "<script>alert(1)</script>"
    html = meta._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_without_a_movie_header_time_utc_comes_from_the_local_date(tmp_path: Path) -> None:
    from osint_kit.testing.hostile_video import mvhd

    path = tmp_path / "no-mvhd-time.mp4"
    path.write_bytes(movie(mv=mvhd(created=0), moov_extra=keys_meta(
        {"com.apple.quicktime.creationdate": b"2022-11-18T10:30:00-0330"})))
    meta = read_video_metadata(path)
    assert meta.created_raw == "0 (mvhd, unset)"
    assert meta.created_utc == datetime(2022, 11, 18, 14, 0, tzinfo=UTC)
    assert "own UTC offset" in (meta.created_assumption or "")
    assert meta.modified_utc is None


def test_meta_is_a_full_box_in_iso_files_and_a_plain_one_in_quicktime() -> None:
    from osint_kit.media.read.video._boxes import walk_boxes

    hd = box(b"hdlr", b"\x00" * 8 + b"mdir" + b"\x00" * 13)
    iso = box(b"udta", box(b"meta", b"\x00\x00\x00\x00" + hd))
    qt = box(b"udta", box(b"meta", hd))
    for data in (iso, qt):
        assert [b.path for b in walk_boxes(data)] == ["udta", "udta/meta", "udta/meta/hdlr"]


def test_variable_frame_rate_sums_the_whole_time_to_sample_table(tmp_path: Path) -> None:
    import struct

    from osint_kit.testing.hostile_video import full, stsz, trak

    entries = [(10, 1), (10, 2), (5, 4)] * 2000  # 6,000 entries, as a phone's VFR clip has
    stts_box = full(b"stts", struct.pack(">I", len(entries)) + b"".join(
        struct.pack(">II", n, d) for n, d in entries))
    path = tmp_path / "vfr.mp4"
    path.write_bytes(movie(trak_box=trak(ts=stts_box, sz=stsz(50_000))))
    meta = read_video_metadata(path)
    assert meta.fps == pytest.approx(25 * 25 / 50)  # 25 frames per 50 ticks at 25 ticks/s
    assert meta.frame_count == 50_000 and not meta.warnings


def test_dji_bare_model_string_and_gopro_firmware(tmp_path: Path) -> None:
    udta = box(b"udta", box(b"\xa9mdl", b"FC3170") + box(b"\xa9dji", b"\x00\x01\x02")
               + box(b"FIRM", b"HD9.01.01.60.00") + box(b"\xa9mak", b"\x00\x03\x15\xc7DJI"))
    path = tmp_path / "DJI_0001.MP4"
    path.write_bytes(movie(moov_extra=udta))
    meta = read_video_metadata(path)
    assert (meta.make, meta.model, meta.software) == ("DJI", "FC3170", "HD9.01.01.60.00")
    assert meta.tags["UserData:©dji"] == "<3 bytes>"


def test_is_video_does_not_block_on_a_fifo(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.mp4"
    os.mkfifo(fifo)
    assert not is_video(fifo)  # refused by stat, never opened (an open would block here)
    with pytest.raises(NotAFileError):
        read_video_metadata(fifo)
