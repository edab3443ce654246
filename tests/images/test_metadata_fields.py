"""Generated fixtures with known truth for every normalised field of ImageMetadata."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osint_kit.media.read.metadata import ImageMetadata, read_metadata
from osint_kit.media.read.schema import COLUMN_DOCS, SCAN_COLUMNS, VIDEO_COLUMNS
from osint_kit.testing.images import gps_tags, make_image, xmp_packet

EXIF: dict[str | int, Any] = {
    "Make": "Canon",
    "Model": "Canon EOS 5D Mark IV",
    "LensModel": "EF24-70mm f/2.8L II USM",
    "BodySerialNumber": "012345678901",
    "LensSerialNumber": "0000c15d2f",
    "Software": "Firmware 1.2.3",
    "DateTimeOriginal": "2022:11:18 10:30:00",
    "OffsetTimeOriginal": "+05:30",
    "SubsecTimeOriginal": "042",
    "DateTimeDigitized": "2022:11:18 10:30:01",
    "DateTime": "2022:11:19 08:00:00",
    "OffsetTime": "-03:00",
    "Orientation": 6,
    "ExifImageWidth": 6720,
    "ExifImageLength": 4480,
    "Artist": "Jane Doe",
    "Copyright": "(c) 2022 Jane Doe",
    "ImageDescription": "Protest on the main square",
    "UserComment": b"ASCII\x00\x00\x00shot from the roof",
    "XPTitle": "Título ✓",
    "XPComment": "Коментар",
    "XPAuthor": "Jane Doe",
    "XPKeywords": "square;protest",
    "XPSubject": "Тема",
}
# rational seconds with a chosen denominator: 33° 27' 12.3456" S, 70° 38' 30.5" W
GPS: dict[str | int, Any] = {
    "GPSLatitudeRef": "S",
    "GPSLatitude": (Fraction(33), Fraction(27), Fraction(123456, 10000)),
    "GPSLongitudeRef": "W",
    "GPSLongitude": (Fraction(70), Fraction(38), Fraction(61, 2)),
    "GPSAltitudeRef": (1, b"\x01"),
    "GPSAltitude": Fraction(125, 10),
    "GPSDateStamp": "2022:11:18",
    "GPSTimeStamp": (Fraction(5), Fraction(0), Fraction(3, 2)),
    "GPSImgDirectionRef": "T",
    "GPSImgDirection": Fraction(2471, 10),
}
LAT = -(33 + 27 / 60 + 12.3456 / 3600)
LON = -(70 + 38 / 60 + 30.5 / 3600)
IPTC = {
    "By-line": "Jane Doe",
    "Credit": "Agency X",
    "Source": "Telegram channel",
    "Caption-Abstract": "Crowd <b>gathers</b>",
    "City": "Kyiv",
    "Country-PrimaryLocationName": "Ukraine",
    "DateCreated": "20221118",
    "TimeCreated": "103000+0530",
    "Keywords": ["protest", "square", "Київ"],
}
HISTORY = [
    {"action": "created", "softwareAgent": "Canon EOS", "when": "2022-11-18T10:30:00+05:30"},
    {"action": "saved", "softwareAgent": "Adobe Photoshop 24.0 (Windows)",
     "when": "2022-11-20T09:00:00+01:00", "changed": "/"},
]
XMP = xmp_packet(
    {"xmp:CreatorTool": "Adobe Photoshop 24.0 (Windows)",
     "xmp:MetadataDate": "2022-11-20T09:00:00+01:00",
     "xmp:CreateDate": "2022-11-18T10:30:00+05:30",
     "xmp:ModifyDate": "2022-11-20T09:00:00+01:00",
     "xmpMM:DocumentID": "xmp.did:1111",
     "xmpMM:OriginalDocumentID": "xmp.did:0000",
     "xmpMM:InstanceID": "xmp.iid:2222"},
    history=HISTORY)

IST = timezone(timedelta(hours=5, minutes=30))
EXPECTED = {
    "format": "JPEG", "width": 64, "height": 48,
    "make": "Canon", "model": "Canon EOS 5D Mark IV", "lens": "EF24-70mm f/2.8L II USM",
    "body_serial": "012345678901", "lens_serial": "0000c15d2f", "software": "Firmware 1.2.3",
    "datetime_original": datetime(2022, 11, 18, 10, 30, tzinfo=IST),
    "datetime_digitized": datetime(2022, 11, 18, 10, 30, 1),
    "datetime_modified": datetime(2022, 11, 19, 8, 0, tzinfo=timezone(timedelta(hours=-3))),
    "offset_original": "+05:30", "offset_digitized": None, "offset_modified": "-03:00",
    "subsec_original": "042",
    "gps_altitude": -12.5,
    "gps_timestamp": datetime(2022, 11, 18, 5, 0, 1, 500000, tzinfo=UTC),
    "gps_img_direction": 247.1,
    "orientation": 6, "exif_width": 6720, "exif_height": 4480,
    "artist": "Jane Doe", "copyright": "(c) 2022 Jane Doe",
    "image_description": "Protest on the main square", "user_comment": "shot from the roof",
    "xp_title": "Título ✓", "xp_comment": "Коментар", "xp_author": "Jane Doe",
    "xp_keywords": "square;protest", "xp_subject": "Тема",
    "iptc_byline": "Jane Doe", "iptc_credit": "Agency X", "iptc_source": "Telegram channel",
    "iptc_caption": "Crowd <b>gathers</b>", "iptc_city": "Kyiv", "iptc_country": "Ukraine",
    "iptc_date_created": "2022-11-18T10:30:00+05:30",
    "iptc_keywords": ("protest", "square", "Київ"),
    "xmp_creator_tool": "Adobe Photoshop 24.0 (Windows)",
    "xmp_metadata_date": "2022-11-20T09:00:00+01:00",
    "xmp_create_date": "2022-11-18T10:30:00+05:30",
    "xmp_modify_date": "2022-11-20T09:00:00+01:00",
    "xmp_document_id": "xmp.did:1111", "xmp_original_document_id": "xmp.did:0000",
    "xmp_instance_id": "xmp.iid:2222",
    "xmp_history": ("created | Canon EOS | 2022-11-18T10:30:00+05:30 | ",
                    "saved | Adobe Photoshop 24.0 (Windows) | 2022-11-20T09:00:00+01:00 | /"),
    "has_exif": True, "has_iptc": True, "has_xmp": True, "has_maker_note": False,
    "has_thumbnail": True,
}


@pytest.fixture(scope="module")
def full_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("full")
    return make_image(folder / "full.jpg", exif=EXIF, gps=GPS, iptc=IPTC, xmp=XMP,
                      thumbnail="auto")


def test_every_normalised_field_has_known_value(full_jpeg: Path) -> None:
    meta = read_metadata(full_jpeg)
    for name, expected in EXPECTED.items():
        assert getattr(meta, name) == expected, name
    assert meta.gps_latitude == pytest.approx(LAT, abs=1e-9)
    assert meta.gps_longitude == pytest.approx(LON, abs=1e-9)
    assert meta.file_size == full_jpeg.stat().st_size
    assert meta.thumbnail is not None and meta.thumbnail[:2] == b"\xff\xd8"
    assert meta.thumbnail_bytes_len == len(meta.thumbnail)
    data = full_jpeg.read_bytes()
    assert meta.thumbnail_offset is not None
    assert data[meta.thumbnail_offset: meta.thumbnail_offset + 4] == meta.thumbnail[:4]
    assert meta.warnings == ()
    assert meta.has_metadata


def test_fields_cover_the_contract_and_schema(full_jpeg: Path) -> None:
    meta = read_metadata(full_jpeg)
    record = meta.to_record()
    assert tuple(record) == SCAN_COLUMNS
    assert set(COLUMN_DOCS) == set(SCAN_COLUMNS)
    assert record["datetime_original"] == "2022-11-18T10:30:00+05:30"
    assert record["datetime_digitized"] == "2022-11-18T10:30:01"
    assert record["datetime_original_utc"] == datetime(2022, 11, 18, 5, 0, tzinfo=UTC)
    assert record["iptc_keywords"] == "protest; square; Київ"
    assert record["error"] is None and record["error_type"] is None
    assert record["kind"] == meta.kind == "image"
    assert all(record[name] is None for name in VIDEO_COLUMNS)  # a photo has no video fields
    for name in SCAN_COLUMNS:
        if name not in ("datetime_original_utc", "has_metadata", "provenance", "error",
                        "error_type", *VIDEO_COLUMNS):
            assert hasattr(meta, name), name
    provenance = json.loads(record["provenance"])
    assert provenance["datetime_original"] == "EXIF DateTimeOriginal+OffsetTimeOriginal"
    assert provenance["datetime_digitized"].startswith("EXIF DateTimeDigitized (offset unknown")
    assert provenance["gps_latitude"] == "GPS GPSLatitude+GPSLatitudeRef"
    assert provenance["iptc_byline"] == "IPTC By-line"
    assert provenance["xmp_creator_tool"] == "XMP xmp:CreatorTool"
    assert meta.raw["EXIF DateTimeOriginal"] == "2022:11:18 10:30:00"
    assert meta.raw["IPTC City"] == "Kyiv"
    assert meta.raw["XMP xmpMM:DocumentID"] == "xmp.did:1111"


@pytest.mark.parametrize("fmt", ["PNG", "TIFF", "WEBP", "HEIF"])
def test_other_containers_carry_the_same_exif_and_xmp(
        tmp_path: Path, fmt: Literal["PNG", "TIFF", "WEBP", "HEIF"]) -> None:
    exif = {k: v for k, v in EXIF.items() if k != "Orientation"}
    path = make_image(tmp_path / f"x.{fmt.lower()}", fmt, exif=exif, gps=GPS, xmp=XMP,
                      iptc=IPTC if fmt == "TIFF" else None)
    meta = read_metadata(path)
    assert meta.format == fmt
    assert (meta.width, meta.height) == (64, 48)
    for name in ("make", "model", "lens", "datetime_original", "datetime_modified",
                 "offset_original", "gps_altitude", "gps_timestamp", "xp_title",
                 "user_comment", "xmp_creator_tool", "xmp_history", "xmp_document_id"):
        assert getattr(meta, name) == EXPECTED[name], (fmt, name)
    assert meta.gps_latitude == pytest.approx(LAT, abs=1e-9)
    assert meta.gps_longitude == pytest.approx(LON, abs=1e-9)
    if fmt == "TIFF":
        assert meta.iptc_city == "Kyiv" and meta.iptc_keywords == EXPECTED["iptc_keywords"]


def test_big_endian_exif(tmp_path: Path) -> None:
    path = make_image(tmp_path / "mm.jpg", exif=EXIF, gps=GPS, byteorder=">")
    meta = read_metadata(path)
    assert meta.datetime_original == EXPECTED["datetime_original"]
    assert meta.gps_latitude == pytest.approx(LAT, abs=1e-9)
    assert meta.xp_title == EXPECTED["xp_title"]


def test_missing_offset_stays_naive_and_is_marked(tmp_path: Path) -> None:
    path = make_image(tmp_path / "naive.jpg", exif={"DateTimeOriginal": "2021:01:02 03:04:05"})
    meta = read_metadata(path)
    assert meta.datetime_original == datetime(2021, 1, 2, 3, 4, 5)
    assert meta.datetime_original.tzinfo is None
    assert meta.offset_original is None
    assert meta.datetime_original_utc is None
    assert "offset unknown" in meta.provenance["datetime_original"]
    assert "offset unknown" in repr(meta)


@pytest.mark.parametrize(("raw", "expected"), [("+05:30", "+05:30"), ("-03:00", "-03:00"),
                                               ("+00:00", "+00:00"), ("   :  ", None)])
def test_offsets(tmp_path: Path, raw: str, expected: str | None) -> None:
    path = make_image(tmp_path / "o.jpg", exif={"DateTimeOriginal": "2022:11:18 10:30:00",
                                               "OffsetTimeOriginal": raw})
    meta = read_metadata(path)
    assert meta.offset_original == expected
    if expected:
        assert meta.datetime_original is not None
        assert meta.datetime_original.utcoffset() is not None
        assert meta.datetime_original.isoformat().endswith(expected)


def test_bad_values_become_warnings(tmp_path: Path) -> None:
    path = make_image(tmp_path / "bad.jpg", exif={
        "DateTimeOriginal": "0000:00:00 00:00:00", "OffsetTimeOriginal": "+25:00",
        "DateTime": "yesterday"}, gps={"GPSLatitudeRef": "N",
                                       "GPSLatitude": (Fraction(91), Fraction(0), Fraction(0)),
                                       "GPSLongitudeRef": "E",
                                       "GPSLongitude": (Fraction(1), Fraction(0), Fraction(0))})
    meta = read_metadata(path)
    assert meta.datetime_original is None and meta.datetime_modified is None
    assert meta.offset_original is None
    assert meta.gps_latitude is None
    text = " ".join(meta.warnings)
    assert "OffsetTimeOriginal" in text and "DateTime" in text and "Latitude" in text


def test_xmp_fallbacks_for_iptc_core(tmp_path: Path) -> None:
    xmp = xmp_packet({"photoshop:Credit": "Agency Y", "photoshop:City": "Lviv"},
                     subjects=["a", "b"], creators=["Ann"], description="A caption")
    meta = read_metadata(make_image(tmp_path / "x.png", "PNG", xmp=xmp))
    assert (meta.iptc_credit, meta.iptc_city, meta.iptc_byline, meta.iptc_caption) == (
        "Agency Y", "Lviv", "Ann", "A caption")
    assert meta.iptc_keywords == ("a", "b")
    assert meta.provenance["iptc_credit"] == "XMP photoshop:Credit"
    assert not meta.has_iptc and meta.has_xmp and not meta.has_exif


def test_no_metadata_is_a_normal_result(tmp_path: Path) -> None:
    for fmt in ("JPEG", "PNG", "WEBP", "TIFF"):
        meta = read_metadata(make_image(tmp_path / f"plain.{fmt.lower()}", fmt))
        assert not meta.has_metadata, fmt
        assert meta.warnings == ()
        assert "no metadata" in repr(meta)
        assert meta.to_record()["has_metadata"] is False


def test_icc_description(tmp_path: Path) -> None:
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    meta = read_metadata(make_image(tmp_path / "icc.jpg", icc_profile=icc))
    assert meta.has_icc
    assert meta.icc_description and "sRGB" in meta.icc_description


def test_html_repr_escapes_everything_and_shows_thumbnail(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    path = make_image(tmp_path / "evil.jpg", exif={"Make": evil, "Model": "<img src=x>",
                                                  "Artist": "\"'&"},
                      iptc={"Caption-Abstract": evil}, thumbnail="auto")
    html = read_metadata(path)._repr_html_()
    assert "<script>" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;" in html
    assert "data:image/png;base64," in html
    assert "<details>" in html
    for group in ("File", "Camera", "Credits / IPTC"):
        assert group in html


def test_undecodable_thumbnail_is_not_shown(tmp_path: Path) -> None:
    path = make_image(tmp_path / "t.jpg", exif={"Make": "X"}, thumbnail=b"\xff\xd8garbage")
    meta = read_metadata(path)
    assert meta.has_thumbnail
    html = meta._repr_html_()
    assert "data:image" not in html and "does not decode" in html


def test_repr_is_short(full_jpeg: Path) -> None:
    text = repr(read_metadata(full_jpeg))
    assert text.startswith("ImageMetadata('full.jpg'") and len(text) < 200
    assert "+05:30" in text


@settings(max_examples=25, deadline=None)
@given(lat=st.floats(-89.999, 89.999), lon=st.floats(-179.999, 179.999),
       alt=st.floats(-400, 9000))
def test_gps_round_trip(tmp_path_factory: pytest.TempPathFactory, lat: float, lon: float,
                        alt: float) -> None:
    folder = tmp_path_factory.mktemp("gps")
    gps = cast("Mapping[str | int, Any]", gps_tags(lat, lon, alt))  # gps_tags keys are str only
    path = make_image(folder / "g.jpg", size=(8, 8), gps=gps)
    meta = read_metadata(path)
    assert meta.gps_latitude == pytest.approx(lat, abs=1e-6)
    assert meta.gps_longitude == pytest.approx(lon, abs=1e-6)
    assert meta.gps_altitude == pytest.approx(alt, abs=1e-3)
    assert meta.gps_latitude is not None
    assert (meta.gps_latitude < 0) == (lat < 0) or abs(lat) < 1e-9


def test_dataclass_is_frozen(full_jpeg: Path) -> None:
    meta = read_metadata(full_jpeg)
    assert isinstance(meta, ImageMetadata)
    with pytest.raises(AttributeError):
        meta.make = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        meta.raw["x"] = "y"  # type: ignore[index]


def test_records_pickle_and_copy(full_jpeg: Path) -> None:
    import copy
    import dataclasses
    import pickle

    meta = read_metadata(full_jpeg)
    again = pickle.loads(pickle.dumps(meta))
    assert again == meta and again.raw == meta.raw and again.thumbnail == meta.thumbnail
    assert copy.deepcopy(meta) == meta
    assert dataclasses.asdict(meta)["provenance"]["make"] == "Image Make"
    assert {meta, again} == {meta}
    with pytest.raises(TypeError):
        again.provenance.update({"x": "y"})  # type: ignore[attr-defined]


def test_multi_picture_jpeg_is_reported_as_jpeg(tmp_path: Path) -> None:
    from osint_kit.testing.images import pattern

    path = tmp_path / "mpo.jpg"
    pattern((32, 24), 1).save(path, "MPO", save_all=True, append_images=[pattern((32, 24), 2)])
    meta = read_metadata(path)
    assert meta.format == "JPEG"
    assert meta.raw["File Multi-Picture"] == "MPO: 2 images"
    assert not meta.has_metadata or meta.has_exif
