"""The photo tie-in: brightness against the sun at the photo's GPS position and time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from PIL import Image

from osint_kit.errors import CorruptImageError, UnsupportedFormatError
from osint_kit.media.forensics.daylight import check_daylight, mean_luminance
from osint_kit.media.read.metadata import read_metadata
from osint_kit.testing.images import gps_tags, make_image

KST = dt.timezone(dt.timedelta(hours=9))
LAT, LON = 42.4214, 130.6081  # Tumangang station


def make_photo(
    path: Path, grey: int, local: str, offset: str | None, lat: float = LAT, lon: float = LON
) -> Path:
    """A JPEG with GPS and DateTimeOriginal (+ OffsetTimeOriginal when given): known truth."""
    exif: dict[str | int, Any] = {"DateTimeOriginal": local}
    if offset is not None:
        exif["OffsetTimeOriginal"] = offset
    return make_image(
        path,
        image=Image.new("RGB", (640, 480), (grey, grey, grey)),
        exif=exif,
        gps=cast("Mapping[str | int, Any]", gps_tags(lat, lon)),  # gps_tags keys are str only
        quality=90,
    )


def meta_for(path: Path, local: str, offset: str | None) -> Any:
    """ImageMetadata as the metadata reader returns it, checked against the known truth."""
    meta = read_metadata(path)
    assert meta.gps_latitude == pytest.approx(LAT, abs=1e-6)
    assert meta.gps_longitude == pytest.approx(LON, abs=1e-6)
    naive = dt.datetime.strptime(local, "%Y:%m:%d %H:%M:%S")
    assert meta.datetime_original is not None
    assert meta.datetime_original.replace(tzinfo=None) == naive
    assert (meta.datetime_original.tzinfo is None) == (offset is None)
    return meta


def test_mean_luminance(tmp_path: Path) -> None:
    bright = make_photo(tmp_path / "b.jpg", 235, "2022:11:18 10:30:00", "+09:00")
    dark = make_photo(tmp_path / "d.jpg", 8, "2022:11:18 10:30:00", "+09:00")
    assert mean_luminance(bright) == pytest.approx(235 / 255, abs=0.02)
    assert mean_luminance(dark) == pytest.approx(8 / 255, abs=0.02)
    png = tmp_path / "p.png"
    Image.new("L", (50, 50), 128).save(png)
    assert mean_luminance(png) == pytest.approx(128 / 255, abs=0.01)
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not an image at all")
    with pytest.raises(UnsupportedFormatError):
        mean_luminance(junk)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(bright.read_bytes()[:300])
    with pytest.raises((CorruptImageError, UnsupportedFormatError)):
        mean_luminance(broken)


def test_fires_on_night_time_bright_photo(tmp_path: Path) -> None:
    local, off = "2022:11:18 23:30:00", "+09:00"  # sun about -60 deg at Tumangang
    path = make_photo(tmp_path / "night_bright.jpg", 235, local, off)
    findings = check_daylight(meta_for(path, local, off), mean_luminance(path))
    assert [f.code for f in findings] == ["daylight_night_but_bright"]
    f = findings[0]
    assert f.severity == "notice"
    assert float(f.evidence["sun_elevation_deg"]) < -6
    assert f.path == str(path)


def test_fires_on_daytime_dark_photo(tmp_path: Path) -> None:
    local, off = "2022:11:18 11:00:00", "+09:00"  # sun 26.8 deg
    path = make_photo(tmp_path / "day_dark.jpg", 6, local, off)
    findings = check_daylight(meta_for(path, local, off), mean_luminance(path))
    assert [f.code for f in findings] == ["daylight_day_but_dark"]


@pytest.mark.parametrize(
    ("grey", "local"),
    [(235, "2022:11:18 10:30:00"), (6, "2022:11:18 23:30:00"), (60, "2022:11:18 23:30:00")],
)
def test_silent_on_consistent_photos(tmp_path: Path, grey: int, local: str) -> None:
    path = make_photo(tmp_path / "ok.jpg", grey, local, "+09:00")
    assert check_daylight(meta_for(path, local, "+09:00"), mean_luminance(path)) == []


def test_unknown_offset_lists_consistent_offsets(tmp_path: Path) -> None:
    local = "2022:11:18 10:30:00"
    path = make_photo(tmp_path / "nooffset.jpg", 235, local, None)
    findings = check_daylight(meta_for(path, local, None), mean_luminance(path))
    assert [f.code for f in findings] == ["daylight_offset_candidates"]
    listed = findings[0].evidence["consistent_offsets"]
    # the real offsets on both ends of the bridge fit a bright 10:30 picture
    assert "UTC+09:00" in listed and "UTC+10:00" in listed
    # ...but an offset that puts 10:30 local at 01:30 local time there does not
    assert "UTC+00:00" not in listed  # 10:30 UTC = 19:30 KST, sun well below -6


def test_unknown_offset_none_consistent_at_polar_night() -> None:
    meta = SimpleNamespace(
        path="x.jpg",
        gps_latitude=78.22,
        gps_longitude=15.65,
        datetime_original=dt.datetime(2022, 12, 21, 12, 0),
        gps_timestamp=None,
    )
    (f,) = check_daylight(meta, 0.8)
    assert f.code == "daylight_no_consistent_offset"


def test_gps_time_used_when_offset_unknown() -> None:
    meta = {
        "path": "x.jpg",
        "gps_latitude": LAT,
        "gps_longitude": LON,
        "datetime_original": "2022-11-18T23:30:00",
        "gps_timestamp": dt.datetime(2022, 11, 18, 14, 30, tzinfo=dt.UTC),
    }
    (f,) = check_daylight(meta, 0.9)
    assert f.code == "daylight_night_but_bright"
    assert f.evidence["time_source"].startswith("GPS time stamp (UTC)")
    assert "suggests UTC+09:00" in f.evidence["time_source"]


def test_nothing_without_gps_or_luminance() -> None:
    meta = SimpleNamespace(
        path="x",
        gps_latitude=None,
        gps_longitude=None,
        datetime_original=dt.datetime(2022, 11, 18, 23, 30, tzinfo=KST),
        gps_timestamp=None,
    )
    assert check_daylight(meta, 0.9) == []
    meta.gps_latitude, meta.gps_longitude = LAT, LON
    assert check_daylight(meta, None) == []


def test_works_on_scan_records(tmp_path: Path) -> None:
    """A scan row (ISO strings, NaN for missing GPS) works like an ImageMetadata."""
    import pandas as pd

    local = "2022:11:18 23:30:00"
    path = make_photo(tmp_path / "rec.jpg", 235, local, "+09:00")
    record = read_metadata(path).to_record()
    lum = mean_luminance(path)
    assert [f.code for f in check_daylight(record, lum)] == ["daylight_night_but_bright"]
    row = pd.DataFrame([record]).iloc[0]
    assert [f.code for f in check_daylight(row, lum)] == ["daylight_night_but_bright"]
    record["gps_latitude"] = float("nan")
    assert check_daylight(record, lum) == []


@pytest.mark.parametrize(("minutes", "text"), [
    (0, "+00:00"), (330, "+05:30"), (345, "+05:45"), (840, "+14:00"),
    (-30, "-00:30"), (-570, "-09:30"), (-720, "-12:00"),
])
def test_one_offset_text_in_timeline_and_findings(minutes: int, text: str) -> None:
    """UTC offsets are written by one function (``timeline.when.format_offset``): the
    daylight check, the capture-clock rule and the timeline say the same, the sign kept for
    offsets under an hour."""
    from osint_kit.media.forensics.rules import _fmt_offset
    from osint_kit.timeline.when import format_offset

    assert format_offset(dt.timedelta(minutes=minutes)) == text
    assert _fmt_offset(minutes) == "UTC" + text
    gps = dt.datetime(2022, 11, 18, 14, 30, tzinfo=dt.UTC)
    local = (gps + dt.timedelta(minutes=minutes)).replace(tzinfo=None)
    meta = {"path": "x.jpg", "gps_latitude": LAT, "gps_longitude": LON,
            "datetime_original": local.isoformat(), "gps_timestamp": gps}
    sources = {f.evidence.get("time_source") for f in check_daylight(meta, 0.9)}
    assert sources == {f"GPS time stamp (UTC); local clock minus GPS time suggests UTC{text}"}
