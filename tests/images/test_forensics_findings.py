"""Findings on generated images whose history is known, C2PA detection, views, hostile files."""

from __future__ import annotations

import contextlib
import io
import json
import struct
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from osint_kit.errors import EvidenceError
from osint_kit.media.forensics.c2pa import detect_c2pa, read_manifest
from osint_kit.media.forensics.inspect import (
    FINDING_COLUMNS,
    Finding,
    Findings,
    inspect,
    inspect_scan,
)
from osint_kit.media.read.metadata import read_metadata
from osint_kit.testing.image_sets import jpeg_bytes, structured_image
from osint_kit.testing.images import gps_tags, make_image, xmp_packet

CAMERA: dict[str | int, Any] = {"Make": "Canon", "Model": "Canon EOS 5D Mark IV", "MakerNote": b"\x00" * 64}


def codes(path_or_meta: object) -> set[str]:
    return set(inspect(path_or_meta).codes)


# --- thumbnail ----------------------------------------------------------------------------------


def _with_thumbnail(tmp: Path, name: str, picture: Image.Image, thumb_of: Image.Image) -> Path:
    small = thumb_of.copy()
    small.thumbnail((160, 120))
    return make_image(tmp / name, image=picture, thumbnail=small, exif=CAMERA, quality=92)


def test_thumbnail_finding_fires_only_after_editing(tmp_path: Path) -> None:
    original = structured_image(11, (320, 240))
    edited = original.copy()
    ImageDraw.Draw(edited).rectangle((20, 20, 300, 140), fill=(250, 250, 30))
    cropped = original.crop((0, 0, 200, 240))
    clean = _with_thumbnail(tmp_path, "clean.jpg", original, original)
    painted = _with_thumbnail(tmp_path, "painted.jpg", edited, original)
    recut = _with_thumbnail(tmp_path, "cropped.jpg", cropped, original)
    assert read_metadata(clean).has_thumbnail
    assert "thumbnail_mismatch" not in codes(clean)
    for p in (painted, recut):
        f = inspect(p)
        assert "thumbnail_mismatch" in f.codes, f
        hit = next(x for x in f if x.code == "thumbnail_mismatch")
        assert hit.severity == "warning" and "pHash distance" in hit.evidence


def test_unedited_thumbnails_across_seeds_do_not_fire(tmp_path: Path) -> None:
    fired = 0
    for seed in range(12):
        im = structured_image(100 + seed, (240, 180))
        if "thumbnail_mismatch" in codes(_with_thumbnail(tmp_path, f"c{seed}.jpg", im, im)):
            fired += 1
    assert fired == 0


def test_letterboxed_thumbnail_is_not_a_mismatch(tmp_path: Path) -> None:
    im = structured_image(3, (300, 200))  # 3:2 picture, 4:3 thumbnail with black bars
    thumb = Image.new("RGB", (160, 120))
    small = im.resize((160, 107))
    thumb.paste(small, (0, 6))
    p = make_image(tmp_path / "box.jpg", image=im, thumbnail=thumb, exif=CAMERA)
    assert "thumbnail_mismatch" not in codes(p)


def test_broken_thumbnail_is_reported(tmp_path: Path) -> None:
    p = make_image(tmp_path / "bad.jpg", image=structured_image(4, (200, 150)),
                   thumbnail=b"\xff\xd8\xff\xdb\x00\x04garbage", exif=CAMERA)
    assert "thumbnail_unreadable" in codes(p)


# --- dates and GPS -------------------------------------------------------------------------------


def test_modified_and_digitized_dates(tmp_path: Path) -> None:
    p = make_image(tmp_path / "d.jpg", exif={**CAMERA, "DateTimeOriginal": "2022:11:18 10:30:00",
                                             "DateTimeDigitized": "2022:11:18 10:35:00",
                                             "DateTime": "2022:11:19 08:00:00"})
    c = codes(p)
    assert {"modified_after_capture", "original_digitized_mismatch"} <= c
    same = make_image(tmp_path / "s.jpg", exif={**CAMERA, "DateTimeOriginal": "2022:11:18 10:30:00",
                                                "DateTimeDigitized": "2022:11:18 10:30:00",
                                                "DateTime": "2022:11:18 10:30:01"})
    assert not {"modified_after_capture", "original_digitized_mismatch"} & codes(same)


@pytest.mark.parametrize(
    ("offset", "gps_utc", "expected"),
    [
        ("+05:30", datetime(2022, 11, 18, 5, 2, tzinfo=UTC), None),
        ("+05:30", datetime(2022, 11, 18, 7, 0, tzinfo=UTC), "gps_time_mismatch"),
        (None, datetime(2022, 11, 18, 4, 30, tzinfo=UTC), "gps_time_implied_offset"),
        (None, datetime(2022, 11, 20, 4, 30, tzinfo=UTC), "gps_time_unreconcilable"),
    ],
)
def test_gps_time_against_capture_time(tmp_path: Path, offset, gps_utc, expected) -> None:
    exif = {**CAMERA, "DateTimeOriginal": "2022:11:18 10:30:00"}
    if offset:
        exif["OffsetTimeOriginal"] = offset
    gps = cast("Mapping[str | int, Any]", gps_tags(20.0, 78.0, timestamp=gps_utc))  # str keys only
    p = make_image(tmp_path / "g.jpg", exif=exif, gps=gps)
    f = inspect(p, daylight=False)
    gps_codes = {c for c in f.codes if c.startswith("gps_time")}
    assert gps_codes == ({expected} if expected else set())
    if expected == "gps_time_implied_offset":
        hit = next(x for x in f if x.code == expected)
        assert hit.evidence["implied offset"] == "UTC+06:00"


# --- metadata presence ---------------------------------------------------------------------------


def test_stripped_copy_vs_original_vs_png(tmp_path: Path) -> None:
    im = structured_image(21, (200, 150))
    original = make_image(tmp_path / "orig.jpg", image=im, exif={**CAMERA, "DateTimeOriginal": "2022:11:18 10:30:00"})
    stripped = tmp_path / "stripped.jpg"
    Image.open(original).save(stripped, "JPEG", quality=80)  # how platforms re-encode
    png = tmp_path / "screenshot.png"
    im.save(png)
    assert not {"metadata_stripped", "exif_absent"} & codes(original)
    f = inspect(stripped)
    assert "metadata_stripped" in f.codes
    assert "quality 80" in next(x for x in f if x.code == "jpeg_quality").title
    assert "no_camera_metadata" in codes(png)


def test_exif_removed_without_reencoding(tmp_path: Path) -> None:
    custom = [[max(1, round(v * 0.3)) for v in range(10, 74)]] * 2
    p = tmp_path / "own.jpg"
    structured_image(5, (120, 90)).save(p, "JPEG", qtables=custom)
    assert "exif_absent" in codes(p)


def test_dimensions_maker_note_and_software(tmp_path: Path) -> None:
    p = make_image(tmp_path / "x.jpg", size=(64, 48), exif={
        "Make": "NIKON CORPORATION", "Model": "NIKON D70", "ExifImageWidth": 3008,
        "ExifImageLength": 2000, "Software": "Adobe Photoshop 24.0 (Windows)"})
    f = inspect(p)
    assert {"exif_dimensions_mismatch", "maker_note_missing", "editing_software"} <= set(f.codes)
    ok = make_image(tmp_path / "y.jpg", size=(64, 48), exif={
        **CAMERA, "ExifImageWidth": 48, "ExifImageLength": 64, "Software": "Firmware 1.0"})
    assert not {"exif_dimensions_mismatch", "maker_note_missing", "editing_software"} & codes(ok)


def test_xmp_history_names_the_editor(tmp_path: Path) -> None:
    xmp = xmp_packet({"xmp:CreatorTool": "GIMP 2.10"}, history=[
        {"action": "saved", "softwareAgent": "Snapseed 2.0", "when": "2022-11-19T08:00:00Z"}])
    f = inspect(make_image(tmp_path / "h.jpg", xmp=xmp, exif=CAMERA))
    hit = next(x for x in f if x.code == "editing_software")
    assert "GIMP" in hit.title and "Snapseed" in hit.title
    assert "XMP History" in hit.evidence


# --- C2PA ------------------------------------------------------------------------------------------


def _jumbf(label: bytes = b"c2pa") -> bytes:
    jumd = b"jumd" + b"c2pa\x00\x11\x00\x10\x80\x00\x00\xaa\x00\x38\x9b\x71" + b"\x03" + label + b"\x00"
    jumd = struct.pack(">I", len(jumd) + 4) + jumd
    return struct.pack(">I", len(jumd) + 8) + b"jumb" + jumd


def _jpeg_with_app11(data: bytes, box: bytes) -> bytes:
    body = b"JP" + b"\x00\x01" + struct.pack(">I", 1) + box
    seg = b"\xff\xeb" + struct.pack(">H", len(body) + 2) + body
    return data[:2] + seg + data[2:]


def test_c2pa_box_detected_in_jpeg_and_png(tmp_path: Path) -> None:
    data = _jpeg_with_app11(jpeg_bytes(structured_image(1, (64, 64))), _jumbf())
    det = detect_c2pa(data)
    assert det.found and det.container == "jpeg-app11" and "c2pa" in det.labels
    assert not detect_c2pa(jpeg_bytes(structured_image(1, (64, 64)))).found
    png = io.BytesIO()
    structured_image(2, (32, 32)).save(png, "PNG")
    raw = png.getvalue()
    chunk_body = _jumbf()
    import zlib

    chunk = struct.pack(">I", len(chunk_body)) + b"caBX" + chunk_body
    chunk += struct.pack(">I", zlib.crc32(b"caBX" + chunk_body) & 0xFFFFFFFF)
    with_box = raw[:33] + chunk + raw[33:]
    assert detect_c2pa(with_box).container == "png-caBX"
    p = tmp_path / "c2pa.jpg"
    p.write_bytes(data)
    f = inspect(p)
    hit = next(x for x in f if x.code == "c2pa_present")
    assert hit.evidence["container"] == "jpeg-app11"
    assert "manifest" in hit.evidence  # our fake store cannot be validated: reported, no crash


def test_c2pa_reading_without_the_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "c2pa", None)
    p = tmp_path / "c.jpg"
    p.write_bytes(_jpeg_with_app11(jpeg_bytes(structured_image(1, (64, 64))), _jumbf()))
    summary, error = read_manifest(p)
    assert summary is None and error is not None and "not installed" in error
    found = inspect.here(p)  # here, where the library is hidden
    hit = next(x for x in found if x.code == "c2pa_present")
    assert "not installed" in hit.evidence["manifest"]


# --- display, frames, batch ---------------------------------------------------------------------------


def test_findings_html_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    f = Findings([Finding("editing_software", "notice", evil, evil, {evil: evil}, "/x/" + evil)])
    html = f._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    frame = f.to_frame()
    assert list(frame.columns) == list(FINDING_COLUMNS)
    evidence = frame.loc[0, "evidence"]
    assert isinstance(evidence, str)
    assert json.loads(evidence) == {evil: evil}
    assert "editing_software" in repr(f)


def test_inspect_scan_never_stops_on_hostile_files(tmp_path: Path) -> None:
    from osint_kit.media.scan import scan
    from osint_kit.testing.hostile import generate

    folder = tmp_path / "mixed"
    folder.mkdir()
    generate(folder, n=40, seed=5)
    make_image(folder / "good.jpg", exif=CAMERA)
    df = scan(folder, workers=0, progress=False)
    out = inspect_scan(df, progress=False)
    assert list(out.columns) == list(FINDING_COLUMNS)
    assert set(out["severity"]) <= {"info", "notice", "warning"}
    assert set(out["path"]) <= set(df["path"])
    failed = set(df.loc[df["error"].notna(), "path"])
    assert failed and failed <= set(out.loc[out["code"] == "unreadable_file", "path"])
    print("\nhostile findings:", out["code"].value_counts().to_dict())
    # the same rows from worker processes
    parallel = inspect_scan(df, progress=False, workers=2)
    assert parallel.sort_values(["path", "code"]).reset_index(drop=True).equals(
        out.sort_values(["path", "code"]).reset_index(drop=True))
    # single-file inspect raises only typed errors
    for p in sorted(folder.iterdir()):
        with contextlib.suppress(EvidenceError):
            inspect(p)


def test_inspect_accepts_scan_rows_and_metadata(tmp_path: Path) -> None:
    p = make_image(tmp_path / "r.jpg", exif={**CAMERA, "DateTimeOriginal": "2022:11:18 10:30:00",
                                             "DateTime": "2022:11:20 10:30:00"})
    meta = read_metadata(p)
    assert codes(meta) == codes(p) == codes(pd.Series(meta.to_record()))


# --- views ------------------------------------------------------------------------------------------


def test_views_return_arrays_and_figures(tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    from osint_kit.display.media import side_by_side, thumbnail_vs_image
    from osint_kit.media.forensics.views import ela, noise_view, thumbnail_pair

    im = structured_image(8, (200, 150))
    p = _with_thumbnail(tmp_path, "v.jpg", im, im)
    e = ela(p, quality=90)
    assert e.shape == (150, 200, 3) and e.dtype == np.uint8
    n = noise_view(p)
    assert n.shape == (150, 200)
    fig = thumbnail_vs_image(p)
    assert isinstance(fig, Figure) and "EXIF thumbnail" in fig.axes[0].get_title()
    assert isinstance(side_by_side([e, n], ["ELA", "noise"]), Figure)
    with pytest.raises(ValueError):
        ela(p, quality=0)
    # decoded in the isolated worker by default: the same pixels as here
    assert np.array_equal(e, ela.here(p, quality=90))
    assert np.array_equal(n, noise_view.here(p))
    thumb, main, verdict = thumbnail_pair.here(p)  # what the figure was drawn from
    assert thumb is not None
    assert np.array_equal(np.asarray(fig.axes[1].images[0].get_array()), main)
    assert fig.texts[0].get_text() == verdict


def test_ela_brighter_where_pasted(tmp_path: Path) -> None:
    from osint_kit.media.forensics.views import ela

    base = structured_image(9, (256, 256))
    low = Image.open(io.BytesIO(jpeg_bytes(base, 50))).convert("RGB")
    pasted = Image.open(io.BytesIO(jpeg_bytes(structured_image(10, (256, 256)), 98))).convert("RGB")
    low.paste(pasted.crop((64, 64, 192, 192)), (64, 64))
    p = tmp_path / "splice.jpg"
    p.write_bytes(jpeg_bytes(low, 95))
    e = ela(p, quality=75).mean(axis=2)
    inside = e[72:184, 72:184].mean()
    outside = np.concatenate([e[:56].ravel(), e[200:].ravel()]).mean()
    print(f"ELA mean inside {inside:.1f}, outside {outside:.1f}")
    assert inside > outside


def test_real_c2pa_manifest_read_offline(tmp_path: Path) -> None:
    pytest.importorskip("c2pa")
    from osint_kit.testing.image_sets import c2pa_signed_jpeg

    data = c2pa_signed_jpeg("signed.jpg")
    p = tmp_path / "signed.jpg"
    p.write_bytes(data)
    hit = next(x for x in inspect(p) if x.code == "c2pa_present")  # sockets are disabled here
    assert hit.evidence["claim_generator"] == "osint_kit test"
    assert hit.evidence["actions"] == "c2pa.created"
    assert "signingCredential.untrusted" in hit.evidence["validation_problems"]  # test CA
    # change the pixels after signing: validation must say so
    tampered = bytearray(data)
    sos = bytes(tampered).rfind(b"\xff\xda")
    tampered[sos + 40] ^= 0xFF
    q = tmp_path / "tampered.jpg"
    q.write_bytes(bytes(tampered))
    hit = next(x for x in inspect(q) if x.code == "c2pa_present")
    print("\ntampered:", hit.evidence.get("validation_problems"), hit.evidence.get("validation_state"))
    assert hit.severity == "notice"
    assert "mismatch" in hit.evidence["validation_problems"] or hit.evidence.get("validation_state") == "Invalid"


def test_c2pa_validation_sees_the_whole_file_not_the_head(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A file longer than the bytes inspect reads for its header checks (64 MiB) is still
    validated whole: validating the head alone reported a signed, untouched file as altered
    (assertion.dataHash.mismatch). The head is shrunk here instead of writing 64 MiB."""
    pytest.importorskip("c2pa")
    from osint_kit.media.forensics import c2pa as c2pa_mod
    from osint_kit.media.forensics import facts
    from osint_kit.testing.image_sets import c2pa_signed_jpeg

    p = tmp_path / "signed.jpg"
    p.write_bytes(c2pa_signed_jpeg("signed.jpg"))
    whole = c2pa_mod.c2pa_info(p).manifest
    assert whole is not None and "assertion.dataHash.mismatch" not in whole["validation_problems"]
    head = p.stat().st_size - 100  # the whole manifest store and most of the image
    monkeypatch.setattr(facts, "HEAD_BYTES", head)
    monkeypatch.setattr(c2pa_mod, "MAX_SCAN_BYTES", head)
    of_head = c2pa_mod.read_manifest(p, p.read_bytes()[:head])[0]
    assert of_head is not None  # validating a head alone: what this test guards against
    assert "assertion.dataHash.mismatch" in of_head["validation_problems"]
    hit = next(x for x in inspect.here(p) if x.code == "c2pa_present")  # patched here
    assert hit.evidence["validation_problems"] == ", ".join(whole["validation_problems"])
    assert c2pa_mod.c2pa_info(p).manifest == whole


@settings(max_examples=150, deadline=None)
@given(prefix=st.sampled_from([b"\xff\xd8", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBP", b"\x00\x00\x00\x18ftypheic", b""]),
       body=st.binary(max_size=600))
def test_c2pa_detector_survives_any_bytes(prefix: bytes, body: bytes) -> None:
    det = detect_c2pa(prefix + body)
    assert det.found in (True, False)


# --- problems noted while reading ---------------------------------------------------------------


def _tiff_with_overlong_tag() -> bytes:
    """A small TIFF whose ImageDescription claims a million bytes: Pillow warns while opening
    it ("Tag data larger than file") and reads the picture all the same."""
    buf = io.BytesIO()
    structured_image(3, (32, 24)).save(buf, "TIFF", description="a caption")
    data = bytearray(buf.getvalue())
    assert data[:4] == b"II*\x00"
    (ifd,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, ifd)
    for i in range(count):
        entry = ifd + 2 + 12 * i
        if struct.unpack_from("<H", data, entry)[0] == 270:
            struct.pack_into("<I", data, entry + 4, 1_000_000)
            return bytes(data)
    raise AssertionError("no ImageDescription entry")


def test_reading_problems_data_after_the_image(tmp_path: Path) -> None:
    p = tmp_path / "tail.jpg"
    p.write_bytes(jpeg_bytes(structured_image(4, (64, 48))) + b"PK\x03\x04hidden archive")
    hit = next(f for f in inspect(p) if f.code == "reading_problems")
    assert "end-of-image marker" in hit.evidence["metadata reader"]
    assert hit.severity == "notice" and "image decoder" not in hit.evidence
    row = inspect_scan(pd.DataFrame([read_metadata(p).to_record()]), progress=False)
    assert "end-of-image marker" in row[row["code"] == "reading_problems"]["evidence"].iloc[0]
    clean = tmp_path / "clean.jpg"
    clean.write_bytes(jpeg_bytes(structured_image(4, (64, 48))))
    assert "reading_problems" not in codes(clean)


def test_reading_problems_leave_out_what_osint_kit_cannot_read() -> None:
    from osint_kit.media.forensics.rules import rule_reading_problems

    limit = ("Pillow cannot open this JXL file (Pillow cannot identify the image), so only EXIF "
             "was read (no IPTC, XMP, ICC or pixel dimensions)")
    assert rule_reading_problems({"warnings": (limit,)}, None, None) == []
    other = "EXIF IFD pointer is not an integer; skipped"
    for notes in ((limit, other), f"{limit}; {other}"):  # a record, then a scan row
        (hit,) = rule_reading_problems({"warnings": notes}, None, "x.jxl")
        assert hit.evidence == {"metadata reader": other}


def test_decoder_warnings_become_evidence_not_notebook_noise(tmp_path: Path) -> None:
    import warnings

    p = tmp_path / "long_tag.tiff"
    p.write_bytes(_tiff_with_overlong_tag())
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        found = inspect.here(p)
    assert [str(w.message) for w in shown if "PIL" in w.filename] == []
    hit = next(f for f in found if f.code == "reading_problems")
    assert "Tag data larger than file" in hit.evidence["metadata reader"]  # Pillow's header read
    # the decoder's own notes (here the same as the reader's, so not repeated) are kept apart
    assert "image decoder" not in hit.evidence
    # a JPEG whose EXIF count overflows: the header walk notes it in its own words, and
    # Pillow, reading the EXIF while decoding, in its own
    from osint_kit.testing.hostile import count_overflow

    q = tmp_path / "count_overflow.jpg"
    q.write_bytes(count_overflow(0))
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        jpeg = next(f for f in inspect.here(q) if f.code == "reading_problems")
    assert [str(w.message) for w in shown if "PIL" in w.filename] == []
    assert "Tag data larger than file" in jpeg.evidence["image decoder"]
    assert "Tag data larger than file" not in jpeg.evidence["metadata reader"]
    isolated = next(f for f in inspect(p) if f.code == "reading_problems")
    assert isolated.evidence == hit.evidence


def test_the_daylight_check_prints_no_decoder_warnings(tmp_path: Path) -> None:
    """A photo with GPS and a capture time is decoded once more for the sun check; Pillow's
    complaints then (the same as in the file facts, already evidence) stay out of the cell."""
    import warnings

    from osint_kit.testing.images import gps_tags, make_image

    p = make_image(tmp_path / "gps.tiff", "TIFF", gps=gps_tags(lat=50.45, lon=30.52),
                   exif={"ImageDescription": "a caption", "DateTimeOriginal": "2022:11:10 10:30:00",
                         "OffsetTimeOriginal": "+02:00"})
    data = bytearray(p.read_bytes())
    (ifd,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, ifd)
    entry = next(ifd + 2 + 12 * i for i in range(count)
                 if struct.unpack_from("<H", data, ifd + 2 + 12 * i)[0] == 270)
    struct.pack_into("<I", data, entry + 4, 1_000_000)  # ImageDescription past the end
    p.write_bytes(bytes(data))
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        found = inspect.here(p)
    assert [str(w.message) for w in shown if "PIL" in w.filename] == []
    assert "reading_problems" in found.codes


def test_a_200_megapixel_photo_keeps_its_metadata(tmp_path: Path) -> None:
    """A phone photo of 16320x12240 (Galaxy S23 Ultra, 200 MP) is above the decoding limit
    against decompression bombs (179 MP). Its metadata is read all the same, and inspect says
    that the pixels were not decoded, instead of refusing the file or calling it damaged."""
    from osint_kit.media.scan import scan
    from osint_kit.testing.images import make_image

    p = make_image(tmp_path / "s23.jpg", exif={"Make": "samsung", "Model": "SM-S918B"})
    data = bytearray(p.read_bytes())
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 12240, 16320)  # height, width
    p.write_bytes(bytes(data))
    meta = read_metadata(p)
    assert (meta.width, meta.height, meta.model) == (16320, 12240, "SM-S918B")
    found = inspect(p)
    assert "picture_not_decoded" in found.codes
    assert not {"image_data_damaged", "reading_problems"} & set(found.codes)
    hit = next(f for f in found if f.code == "picture_not_decoded")
    assert hit.evidence["declared size"].startswith("16320x12240 = 199,756,800 pixels")
    row = scan(tmp_path, progress=False)
    assert row["error_type"].isna().all() and row["width"].tolist() == [16320]
    from_row = inspect_scan(row, progress=False, read_files=False)
    assert from_row["code"].tolist() == ["picture_not_decoded"]
