"""Videos through the kit's front doors: read_metadata, scan, Parquet, inspect and the CLI.

Clips are made by make_clip (PyAV) and tagged by ExifTool as a phone would; photos by
make_image; hostile videos by the hostile-file generator. Every test that touches files
checks the originals are byte-identical afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import subprocess
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import osint_kit as ok
import osint_kit.media.read.metadata as metadata_mod
from osint_kit.cli import main
from osint_kit.errors import CorruptImageError, EvidenceError, UnsupportedFormatError
from osint_kit.media.read.schema import (
    COLUMN_DOCS,
    DATETIME_COLUMNS,
    SCAN_COLUMNS,
    VIDEO_COLUMNS,
)
from osint_kit.media.read.video import VideoMetadata, read_video_metadata
from osint_kit.testing.hostile_video import hostile_videos
from osint_kit.testing.images import make_image
from osint_kit.testing.videos import make_clip, scene_frames

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed "
                                    "(apt-get install libimage-exiftool-perl)")
SUFFIXES = (".mp4", ".mov", ".m4v", ".3gp", ".mkv", ".webm", ".avi")
FORMATS = {".mp4": "MP4", ".mov": "MOV", ".m4v": "M4V", ".3gp": "3GP", ".mkv": "MKV",
           ".webm": "WEBM", ".avi": "AVI"}


def _digests(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _by_name(df: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {str(r["file_name"]): {str(k): v for k, v in r.items()}
            for r in df.to_dict("records")}


def _exiftool(path: Path, *args: str) -> None:
    subprocess.run([EXIFTOOL or "exiftool", "-q", "-overwrite_original", *args, str(path)],
                   check=True, capture_output=True, timeout=60)


def _exiftool_json(path: Path, *tags: str) -> dict[str, Any]:
    out = subprocess.run([EXIFTOOL or "exiftool", "-json", "-n", "-G1", *tags, str(path)],
                         check=True, capture_output=True, timeout=60)
    return dict(json.loads(out.stdout)[0])


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {s: make_clip(folder / f"clip{s}", seconds=1, size=(96, 64), audio=s != ".avi")
            for s in SUFFIXES}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, clips: dict[str, Path]) -> Path:
    """Photos, clips, hostile videos, a video named .jpg and a text file in one folder."""
    root = tmp_path_factory.mktemp("mixed")
    make_image(root / "photo.jpg", exif={"Make": "Canon", "Model": "EOS R5"})
    make_image(root / "plain.png", "PNG")
    for suffix in (".mp4", ".mkv", ".avi"):
        shutil.copy(clips[suffix], root / f"clip{suffix}")
    shutil.copy(clips[".mov"], root / "video_named.jpg")  # the name lies; the bytes do not
    hostile = {h.name: h for h in hostile_videos()}
    for name in ("truncated_before_moov.mp4", "nesting_bomb.mp4", "garbage_ebml.mkv",
                 "huge_duration.mp4"):
        (root / name).write_bytes(hostile[name].data)
    (root / "notes.txt").write_text("not a photo, not a video\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def scanned(mixed: Path) -> pd.DataFrame:
    return ok.scan(mixed, workers=2, progress=False, timeout=60)


# --- read_metadata ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_read_metadata_gives_a_video_record_for_every_container(
        clips: dict[str, Path], suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the isolated worker: the caller's own video reader and av.open are never called
    (the same spies do see an in-process read)."""
    import av

    calls: list[str] = []
    real_open, real_read = av.open, metadata_mod._read_video

    def spy_open(*args: Any, **kwargs: Any) -> Any:
        calls.append("av.open")
        return real_open(*args, **kwargs)

    def spy_read(p: str) -> VideoMetadata:
        calls.append("read_video")
        return real_read(p)

    monkeypatch.setattr(av, "open", spy_open)
    monkeypatch.setattr(metadata_mod, "_read_video", spy_read)
    path = clips[suffix]
    before = path.read_bytes()
    meta = ok.read_metadata(path)
    assert calls == []  # read in the worker, not here
    assert isinstance(meta, VideoMetadata) and meta.kind == "video"
    assert meta == read_video_metadata(path)
    assert (meta.width, meta.height) == (96, 64)
    here = ok.read_metadata.here(path)
    assert here == meta and "read_video" in calls
    assert ("av.open" in calls) == (suffix in (".mkv", ".webm", ".avi"))
    assert path.read_bytes() == before


def test_photos_say_they_are_images(tmp_path: Path) -> None:
    photo = make_image(tmp_path / "p.jpg", exif={"Make": "Canon"})
    meta = ok.read_metadata(photo)
    assert isinstance(meta, ok.ImageMetadata) and meta.kind == "image"
    assert "kind" not in metadata_mod.field_names()  # a class constant, not a field
    assert meta.to_record()["kind"] == "image"


def test_a_video_is_told_by_its_bytes_not_its_name(clips: dict[str, Path],
                                                   tmp_path: Path) -> None:
    disguised = tmp_path / "holiday.jpg"
    shutil.copy(clips[".mp4"], disguised)
    assert ok.read_metadata.here(disguised).kind == "video"
    text = tmp_path / "clip.mp4"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match="not an image or video format"):
        ok.read_metadata.here(text)


def test_hostile_videos_give_the_video_readers_outcome(tmp_path: Path) -> None:
    """Through read_metadata, each hostile file ends as read_video_metadata ends it (an
    image-branded ftyp goes to the image reader: still a typed error)."""
    compared = 0
    for item in hostile_videos():
        path = tmp_path / item.name
        path.write_bytes(item.data)
        try:
            direct: Any = type(read_video_metadata(path))
        except EvidenceError as err:
            direct = type(err)
        try:
            routed: Any = type(ok.read_metadata.here(path))
        except EvidenceError as err:
            routed = type(err)
        if item.name == "heic_brand.mp4":
            assert issubclass(routed, EvidenceError)
            continue
        assert routed is direct, item.name
        compared += 1
        assert path.read_bytes() == item.data
    assert compared >= 40


# --- scan ------------------------------------------------------------------------------------


def test_scan_gives_one_row_per_file_with_its_kind(mixed: Path, scanned: pd.DataFrame) -> None:
    assert tuple(scanned.columns) == SCAN_COLUMNS
    assert set(VIDEO_COLUMNS) <= set(COLUMN_DOCS) and "kind" in COLUMN_DOCS
    rows = _by_name(scanned)
    assert len(rows) == len(list(mixed.iterdir()))
    assert rows["photo.jpg"]["kind"] == rows["plain.png"]["kind"] == "image"
    for name in ("clip.mp4", "clip.mkv", "clip.avi", "video_named.jpg", "huge_duration.mp4"):
        assert rows[name]["kind"] == "video", name
        assert pd.isna(rows[name]["error"]), rows[name]["error"]
    for name in ("truncated_before_moov.mp4", "nesting_bomb.mp4", "garbage_ebml.mkv"):
        assert rows[name]["error_type"] == "CorruptImageError", name
        assert rows[name]["kind"] == "video"  # what the first bytes are, on error rows
    assert rows["notes.txt"]["error_type"] == "UnsupportedFormatError"
    assert pd.isna(rows["notes.txt"]["kind"])
    assert "not plausible" in rows["huge_duration.mp4"]["warnings"]


def test_video_rows_carry_the_video_fields_and_hashes(mixed: Path,
                                                      scanned: pd.DataFrame) -> None:
    rows = _by_name(scanned)
    for suffix in (".mp4", ".mkv", ".avi"):
        row = rows[f"clip{suffix}"]
        path = mixed / f"clip{suffix}"
        meta = read_video_metadata(path)
        assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert pd.isna(row["md5"])  # as for photos: only when asked
        assert row["format"] == FORMATS[suffix]
        assert (row["width"], row["height"]) == (96, 64)
        assert (row["display_width"], row["display_height"]) == (96, 64)
        assert row["container"] == meta.container and row["video_codec"] == meta.video_codec
        assert row["duration_s"] == pytest.approx(meta.duration_s)
        assert row["fps"] == pytest.approx(25.0)
        assert json.loads(row["provenance"])["width"] == meta.provenance["width"]
        assert row["file_size"] == path.stat().st_size
    assert json.loads(rows["clip.mp4"]["edit_list"]) == [[1.0, 0.0]]
    assert rows["clip.mp4"]["created_raw"] == "0 (mvhd, unset)"
    assert not rows["clip.mp4"]["has_metadata"]  # an encoder tag alone is not metadata
    for col in DATETIME_COLUMNS:
        assert str(scanned[col].dtype) == "datetime64[us, UTC]", col
    assert str(scanned["rotation"].dtype) == "Int64"
    assert str(scanned["duration_s"].dtype) == "float64"


def test_photo_rows_are_what_a_photo_only_scan_gives(mixed: Path,
                                                     scanned: pd.DataFrame) -> None:
    photos = [mixed / "photo.jpg", mixed / "plain.png"]
    alone = ok.scan(photos, workers=0, progress=False)
    both = scanned[scanned["path"].isin([str(p) for p in photos])].reset_index(drop=True)
    pd.testing.assert_frame_equal(both, alone)
    assert both[list(VIDEO_COLUMNS)].isna().all().all()


def test_scan_md5_covers_videos(mixed: Path) -> None:
    df = ok.scan([mixed / "clip.mkv", mixed / "photo.jpg"], workers=0, progress=False,
                 md5=True)
    for row in df.itertuples():
        assert row.md5 == hashlib.md5(Path(str(row.path)).read_bytes()).hexdigest()


def test_parquet_round_trip_of_a_mixed_folder(mixed: Path, scanned: pd.DataFrame,
                                              tmp_path: Path) -> None:
    """Parts of 3 rows: some all photos or errors, some all videos; one Arrow schema."""
    out = ok.scan_to_parquet(mixed, tmp_path / "pq", chunk_size=3, workers=0,
                             progress=False, timeout=60)
    back = ok.read_scan_parquet(out)
    pd.testing.assert_frame_equal(back, scanned)
    plain = pd.read_parquet(out)
    assert set(plain["kind"].dropna()) == {"image", "video"}


def test_scanning_leaves_originals_byte_identical(mixed: Path, scanned: pd.DataFrame,
                                                  tmp_path: Path) -> None:
    before = _digests(mixed)
    ok.scan(mixed, workers=0, progress=False)
    ok.inspect_scan(ok.scan(mixed, workers=0, progress=False), progress=False)
    for path in mixed.iterdir():
        with contextlib.suppress(EvidenceError):
            ok.inspect(path)
    assert _digests(mixed) == before


# --- inspect ---------------------------------------------------------------------------------


def test_inspect_a_video_by_path_record_and_scan_row(mixed: Path,
                                                     scanned: pd.DataFrame) -> None:
    path = mixed / "clip.mp4"
    by_path = ok.inspect(path)
    by_record = ok.inspect(ok.read_metadata(path))
    row = _by_name(scanned)["clip.mp4"]
    by_series = ok.inspect(scanned[scanned["file_name"] == "clip.mp4"].iloc[0])
    by_dict = ok.inspect(row)
    assert isinstance(by_path, ok.Findings)
    expected = {"video_software_encoded", "video_metadata_stripped", "video_created_zero"}
    assert set(by_path.codes) == expected
    assert by_record.codes == by_path.codes == by_series.codes == by_dict.codes
    assert by_path.path == str(path)
    zero = next(f for f in by_path if f.code == "video_created_zero")
    assert zero.evidence["created_raw"] == "0 (mvhd, unset)"


def test_inspect_scan_gives_video_findings_for_video_rows(mixed: Path,
                                                          scanned: pd.DataFrame) -> None:
    found = ok.inspect_scan(scanned, progress=False)
    by_file = found.groupby(found["path"].map(lambda p: Path(p).name))["code"].apply(set)
    for name in ("clip.mp4", "clip.mkv", "clip.avi", "video_named.jpg"):
        assert by_file[name] and all(c.startswith("video_") for c in by_file[name]), name
    assert by_file["truncated_before_moov.mp4"] == {"unreadable_file"}
    assert by_file["notes.txt"] == {"unreadable_file"}
    assert not any(c.startswith("video_") for c in by_file["photo.jpg"])


@needs_exiftool
def test_a_scan_read_back_from_csv_gives_the_same_video_findings(
        clips: dict[str, Path], tmp_path: Path) -> None:
    """Times, edit lists and handlers come back from CSV text; garbage in those cells is
    ignored, never an exception."""
    folder = tmp_path / "ev"
    folder.mkdir()
    path = folder / "night.mp4"
    shutil.copy(clips[".mp4"], path)
    # the device's local date (00:30 at night) and a movie header 8 days earlier
    _exiftool(path, "-QuickTime:CreateDate=2022:11:10 15:30:00",
              "-Keys:CreationDate=2022:11:19 00:30:00+09:00", "-Keys:Make=Apple",
              "-Keys:GPSCoordinates=42.4214, 130.6081, 12")
    df = ok.scan(folder, workers=0, progress=False)
    csv = tmp_path / "scan.csv"
    assert main(["scan", str(folder), "--out", str(csv), "--workers", "0", "--quiet"]) == 0
    from_csv = pd.read_csv(csv)
    expected = ok.inspect(path).codes
    assert "video_sun_below_horizon" in expected and "video_created_disagree" in expected
    assert ok.inspect(df.iloc[0]).codes == expected
    assert ok.inspect(from_csv.iloc[0]).codes == expected
    garbage = {**_by_name(df)["night.mp4"], "edit_list": "5", "created_local": "soon",
               "created_utc": "yesterday", "handlers": 7}
    assert isinstance(ok.inspect(garbage), ok.Findings)


def _late_start_clip(path: Path) -> Path:
    """A clip whose video starts 1 s in: FFmpeg's MP4 muxer writes an empty edit for it."""
    import av

    with av.open(str(path), "w") as out:
        stream: Any = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        stream.options = {"preset": "ultrafast", "bf": "0"}
        stream.time_base = Fraction(1, 25)
        for i, rgb in enumerate(scene_frames(3, (96, 64), 25)):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts, frame.time_base = i + 25, Fraction(1, 25)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@needs_exiftool
def test_an_empty_edit_in_a_real_clip_is_found(tmp_path: Path) -> None:
    """The reader gives an empty edit as (seconds, None); the rule reads it as a gap. ExifTool
    agrees on the gap: the track lasts 1 s longer than its media."""
    path = _late_start_clip(tmp_path / "late.mp4")
    meta = ok.read_metadata(path)
    assert meta.edit_list[0][1] is None
    tool = _exiftool_json(path, "-Track1:TrackDuration", "-Track1:MediaDuration")
    gap = tool["Track1:TrackDuration"] - tool["Track1:MediaDuration"]
    assert meta.edit_list[0][0] == pytest.approx(gap, abs=0.01)
    edit = next(f for f in ok.inspect(path) if f.code == "video_edit_list")
    assert f"show nothing for {gap:.2f} s" in edit.explanation
    assert "(empty)" in edit.evidence["edits (duration from media time)"]


@needs_exiftool
def test_findings_of_a_phone_clip_tagged_by_exiftool(clips: dict[str, Path],
                                                     tmp_path: Path) -> None:
    day, night = tmp_path / "day.mp4", tmp_path / "night.mp4"
    for path, when in ((day, "2022:11:18 01:30:00"), (night, "2022:11:18 15:30:00")):
        shutil.copy(clips[".mp4"], path)
        _exiftool(path, f"-QuickTime:CreateDate={when}", "-Keys:Make=Apple",
                  "-Keys:Model=iPhone 12", "-Keys:GPSCoordinates=42.4214, 130.6081, 12")
    _exiftool(day, "-Keys:CreationDate=2022:11:18 10:30:00+09:00")
    tool = _exiftool_json(day, "-QuickTime:CreateDate")  # the stored value, as UTC
    meta = ok.read_metadata(day)
    assert meta.created_utc == datetime(2022, 11, 18, 1, 30, tzinfo=UTC)
    assert tool["QuickTime:CreateDate"] == f"{meta.created_utc:%Y:%m:%d %H:%M:%S}"
    found = ok.inspect(day)
    assert set(found.codes) == {"video_reencoded"}  # Apple named, FFmpeg wrote the file
    reencoded = found[0]
    assert "Apple iPhone 12" in reencoded.evidence["make/model"]
    assert "VideoHandler" in reencoded.evidence["handler names"]
    dark = ok.inspect(night)  # 00:30 local time near Vladivostok: night
    sun = next(f for f in dark if f.code == "video_sun_below_horizon")
    assert sun.evidence["time source"] == "created_utc"
    assert "video_metadata_stripped" not in dark.codes


# --- CLI -------------------------------------------------------------------------------------


def test_cli_meta_reads_videos(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["meta", str(mixed / "clip.mkv"), str(mixed / "photo.jpg")])
    out = capsys.readouterr().out
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("clip.mkv"))
    assert "MKV" in line and "96x64" in line
    code = main(["meta", "--json", str(mixed / "clip.mp4"), str(mixed / "notes.txt")])
    captured = capsys.readouterr()
    assert code == 1
    records = json.loads(captured.out)
    assert [tuple(r) for r in records] == [SCAN_COLUMNS] * 2
    assert records[0]["kind"] == "video" and records[0]["format"] == "MP4"
    assert records[0]["duration_s"] == pytest.approx(1.0)
    data = (mixed / "clip.mp4").read_bytes()
    assert records[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert records[0]["md5"] == hashlib.md5(data).hexdigest()  # as meta gives for photos
    assert records[1]["error_type"] == "UnsupportedFormatError"


def test_cli_inspect_reads_videos(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--json", str(mixed / "clip.mp4")]) == 0
    codes = {r["code"] for r in json.loads(capsys.readouterr().out)}
    assert "video_created_zero" in codes


def test_cli_keyframes_table_and_json(clips: dict[str, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    video = clips[".mp4"]
    before = video.read_bytes()
    work = tmp_path / "frames"
    assert main(["keyframes", str(video), "--out", str(work), "--every", "0.5"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["index", "time_s", "key"]
    assert "frames of" in out
    assert main(["keyframes", str(video), "--out", str(tmp_path / "j"), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records and records[0]["time_s"] == 0.0 and records[0]["key"] is True
    for rec in records:
        written = Path(rec["path"])
        assert written.parent == tmp_path / "j"
        assert hashlib.sha256(written.read_bytes()).hexdigest() == rec["sha256"]
        assert rec["video_sha256"] == hashlib.sha256(before).hexdigest()
    assert video.read_bytes() == before


def test_cli_keyframes_refuses_the_evidence_folder_and_broken_files(
        mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digests(mixed)
    assert main(["keyframes", str(mixed / "clip.mp4"), "--out", str(mixed)]) == 2
    assert "never go beside the evidence" in capsys.readouterr().err
    work = mixed.parent / f"{mixed.name}_work"
    assert main(["keyframes", str(mixed / "notes.txt"), "--out", str(work)]) == 1
    assert "UnsupportedFormatError" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["keyframes", str(mixed / "clip.mp4"), "--out", str(work), "--every", "0"])
    assert _digests(mixed) == before


def test_corrupt_video_errors_stay_in_the_error_tree(mixed: Path) -> None:
    with pytest.raises(CorruptImageError):
        ok.read_metadata(mixed / "nesting_bomb.mp4")
