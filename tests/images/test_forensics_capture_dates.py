"""capture_dates_disagree: EXIF, IPTC and XMP capture dates of one file, on generated JPEGs
whose dates are known (IPTC-IIM and XMP written in Python by ``synth``, so it always runs)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from osint_kit.media.forensics.capture_dates import disagreements, read_stamp
from osint_kit.media.forensics.inspect import inspect, inspect_scan
from osint_kit.media.read.metadata import read_metadata
from osint_kit.testing.images import make_image, xmp_packet

CODE = "capture_dates_disagree"
EXIF_AWARE = {"Make": "Canon", "DateTimeOriginal": "2022:11:18 10:30:00",
              "OffsetTimeOriginal": "+05:30"}
EXIF_NAIVE = {"Make": "Canon", "DateTimeOriginal": "2022:11:18 10:30:00"}
IPTC_SAME = {"DateCreated": "20221118", "TimeCreated": "103000+0530"}


def _image(tmp: Path, name: str, exif: dict[str, Any] | None = None,
           iptc: dict[str, Any] | None = None, **xmp: str) -> Path:
    props = {k.replace("_", ":", 1): v for k, v in xmp.items()}
    return make_image(tmp / name, exif=exif, iptc=iptc,
                      xmp=xmp_packet(props) if props else None)


def _finding(path: Path) -> Any:
    hits = [f for f in inspect(path, daylight=False) if f.code == CODE]
    assert len(hits) <= 1
    return hits[0] if hits else None


def test_agreeing_dates_in_all_three_blocks_give_no_finding(tmp_path: Path) -> None:
    path = _image(tmp_path, "same.jpg", EXIF_AWARE, IPTC_SAME,
                  xmp_CreateDate="2022-11-18T10:30:00+05:30",
                  photoshop_DateCreated="2022-11-18T05:00:00Z")  # same instant in UTC
    meta = read_metadata(path)
    assert meta.xmp_date_created == "2022-11-18T05:00:00Z"
    assert meta.provenance["xmp_date_created"] == "XMP photoshop:DateCreated"
    assert meta.iptc_date_created == "2022-11-18T10:30:00+05:30"
    assert _finding(path) is None


def test_xmp_create_date_years_away_is_a_warning_with_the_fields_as_evidence(
        tmp_path: Path) -> None:
    path = _image(tmp_path, "xmp_years.jpg", EXIF_AWARE, IPTC_SAME,
                  xmp_CreateDate="2019-06-01T12:00:00+02:00")
    finding = _finding(path)
    assert finding is not None and finding.severity == "warning"
    ev = finding.evidence
    assert ev["EXIF DateTimeOriginal+OffsetTimeOriginal"] == "2022-11-18T10:30:00+05:30"
    assert ev["IPTC DateCreated+TimeCreated"] == "2022-11-18T10:30:00+05:30"
    assert ev["XMP xmp:CreateDate"] == "2019-06-01T12:00:00+02:00"
    assert "XMP xmp:CreateDate" in ev["differences"]
    assert "absolute" in ev["comparison"]
    assert "does not say which date is right" in finding.explanation


def test_a_later_xmp_create_date_is_only_a_notice(tmp_path: Path) -> None:
    """XMP CreateDate is the digitisation time by the MWG mapping (a raw conversion days
    later is normal); seen in the real corpus (a Pentax K10D file, 6 days later)."""
    path = _image(tmp_path, "converted.jpg", EXIF_AWARE, IPTC_SAME,
                  xmp_CreateDate="2022-11-24T09:00:00+01:00")
    finding = _finding(path)
    assert finding is not None and finding.severity == "notice"
    assert "Only XMP CreateDate differs, and it is later" in finding.explanation


def test_iptc_date_alone_allows_one_day_but_not_a_week(tmp_path: Path) -> None:
    near = _image(tmp_path, "near.jpg", EXIF_AWARE, {"DateCreated": "20221119"})
    assert _finding(near) is None
    far = _image(tmp_path, "far.jpg", EXIF_AWARE, {"DateCreated": "20221125"})
    finding = _finding(far)
    assert finding is not None and finding.evidence["IPTC DateCreated"] == "2022-11-25"
    assert "as dates" in finding.evidence["comparison"]


def test_unknown_offset_explains_whole_hours_but_not_odd_minutes(tmp_path: Path) -> None:
    utc_copy = _image(tmp_path, "utc.jpg", EXIF_NAIVE, xmp_CreateDate="2022-11-18T09:30:00Z")
    assert _finding(utc_copy) is None  # the camera was on UTC+1
    odd = _image(tmp_path, "odd.jpg", EXIF_NAIVE, xmp_CreateDate="2022-11-18T10:47:00Z")
    finding = _finding(odd)
    assert finding is not None and finding.severity == "notice"
    assert "clock times" in finding.evidence["comparison"]
    assert finding.evidence["differences"].endswith("-00:17:00")


def test_photoshop_date_created_is_compared_once_and_named_as_xmp(tmp_path: Path) -> None:
    """Without an IPTC-IIM block, iptc_date_created falls back to XMP photoshop:DateCreated;
    that value is listed once, under its real name."""
    path = _image(tmp_path, "xmp_only.jpg", EXIF_AWARE,
                  photoshop_DateCreated="2021-03-02T08:00:00+01:00")
    assert read_metadata(path).provenance["iptc_date_created"] == "XMP photoshop:DateCreated"
    finding = _finding(path)
    assert finding is not None
    assert set(finding.evidence) == {"EXIF DateTimeOriginal+OffsetTimeOriginal",
                                     "XMP photoshop:DateCreated", "differences", "comparison"}


def test_finding_from_scan_rows(tmp_path: Path) -> None:
    from osint_kit.media.scan import scan

    bad = _image(tmp_path, "bad.jpg", EXIF_AWARE, {"DateCreated": "20200101"})
    good = _image(tmp_path, "good.jpg", EXIF_AWARE, IPTC_SAME)
    rows = inspect_scan(scan([bad, good], workers=0, progress=False), progress=False)
    hits = rows[rows["code"] == CODE]
    assert list(hits["path"]) == [str(bad)]
    assert json.loads(hits["evidence"].iloc[0])["IPTC DateCreated"] == "2020-01-01"


@pytest.mark.parametrize(("text", "offset", "step"), [
    ("2022-11-18T10:30:00+05:30", timedelta(hours=5, minutes=30), timedelta(seconds=1)),
    ("2022:11:18 10:30:00", None, timedelta(seconds=1)),
    ("2022-11-18T10:30-03:00", timedelta(hours=-3), timedelta(minutes=1)),
    ("2022-11-18T10:30:00.25Z", timedelta(0), timedelta(seconds=1)),
    ("2022-11-18", None, timedelta(days=1)),
])
def test_read_stamp(text: str, offset: timedelta | None, step: timedelta) -> None:
    stamp = read_stamp("f", text)
    assert stamp is not None and stamp.offset == offset and stamp.step == step


@pytest.mark.parametrize("text", ["2022-11", "2022", "yesterday", "2022-13-01T00:00",
                                  "2022-11-18T10:30+99:00", "", "\x00" * 50])
def test_unreadable_stamps_are_left_out(text: str) -> None:
    assert read_stamp("f", text) is None


def test_minute_precision_is_not_a_disagreement() -> None:
    a = read_stamp("a", "2022-11-18T10:30:40+01:00")
    b = read_stamp("b", "2022-11-18T10:30+01:00")
    assert a is not None and b is not None and disagreements([a, b]) == []
