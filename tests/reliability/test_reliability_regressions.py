"""Focused regression tests for reliability bugs found by the hostile corpus and fuzzing.

Byte-level crash inputs live under ``regressions/<target>/`` and are replayed by
``test_reliability_fuzz.py``; the bugs here need a small scenario instead of one input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest


def test_inspect_scan_survives_missing_gps_time(tmp_path: Path) -> None:
    """A naive capture time plus GPS without a time stamp, next to a file that has one.

    The scan table then holds NaT in ``gps_timestamp``; ``findings._get`` let NaT through
    (it is a datetime instance), and ``rule_gps_time`` died on ``round(NaN)``, killing the
    whole ``inspect_scan`` batch (found by the hostile corpus).
    """
    from osint_kit.media.forensics import inspect as findings
    from osint_kit.media.scan import scan
    from osint_kit.testing.images import gps_tags, make_image

    naive = make_image(tmp_path / "naive.jpg",
                       exif={"Make": "X", "DateTimeOriginal": "2022:11:18 10:30:00"},
                       gps=gps_tags(lat=1.0, lon=2.0))
    aware = make_image(tmp_path / "aware.jpg",
                       exif={"Make": "X", "DateTimeOriginal": "2022:11:18 10:30:00",
                             "OffsetTimeOriginal": "+01:00"},
                       gps=gps_tags(lat=1.0, lon=2.0,
                                    timestamp=dt.datetime(2022, 11, 18, 9, 30)))
    df = scan([naive, aware], workers=0, progress=False)
    out = findings.inspect_scan(df, progress=False)
    assert list(out.columns) == list(findings.FINDING_COLUMNS)
    assert set(out["path"]) <= {str(naive), str(aware)}


def test_timezone_offset_beyond_a_day_is_a_date_error() -> None:
    """``+50:30`` in an ISO date reached ``datetime.timezone`` and raised a bare ValueError
    (found by atheris; inputs in regressions/parse_when/)."""
    from osint_kit.errors import DateError
    from osint_kit.timeline import parse_when

    with pytest.raises(DateError):
        parse_when("2022-11-18T10:30:00+50:30")


def test_text_with_many_range_cuts_is_refused_after_a_bounded_number_of_readings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each "--" between two parts naming a month was tried as a range cut, and each side
    again the same way: 4**k readings for k parts. A 91-byte input from ``make fuzz``
    (2026-11-29) took 18 s; 10 parts would take hours. Readings are now budgeted per call
    (MAX_READINGS); real expressions need at most 9."""
    from osint_kit.errors import UnparseableDateError
    from osint_kit.timeline import parse as parse_mod
    from osint_kit.timeline import parse_when

    readings = []
    real = parse_mod._parse

    def counting(text: str, *args: object) -> object:
        readings.append(text)
        return real(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_mod, "_parse", counting)
    for parts in (6, 12):  # 6 parts: 1,024 readings without the budget
        readings.clear()
        with pytest.raises(UnparseableDateError, match="too complex"):
            parse_when("--".join(["Nov\ufffd-N"] * parts))
        assert len(readings) <= parse_mod.MAX_READINGS + 1
    readings.clear()
    assert parse_when("from late November to early December 2022").earliest.day == 21
    assert 1 < len(readings) <= 9


@pytest.mark.parametrize("unit", ["1 - ", "from a to ", "2022-11-18T10:30:00 "])
def test_overlong_date_text_is_refused_at_once(unit: str) -> None:
    """issue 19 item 7: 4 KB of date-like text took 16-19 s in parse_when (8 KB: 105 s),
    reachable through timeline YAML and Timesketch import. Text above MAX_TEXT_LENGTH is now
    refused before any pattern runs, with the limit in the message."""
    import time

    from osint_kit.errors import UnparseableDateError
    from osint_kit.timeline import parse_when

    text = (unit * 2000)[:4096]
    start = time.perf_counter()
    with pytest.raises(UnparseableDateError, match="too long: 4096 characters, the limit is"):
        parse_when(text, reference="2023-01-21")
    assert time.perf_counter() - start < 0.5


def test_month_range_search_is_linear_without_the_length_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cause of the 16 s: ``_month_range`` searched both sides of every "-"/"to" cut for
    a month name again (O(n) cuts x O(n) search). With the length cap lifted, 4 KB of
    "1 - " took 18.7 s before the fix and takes about 0.1 s now."""
    import time

    from osint_kit.errors import UnparseableDateError
    from osint_kit.timeline import parse as parse_mod
    from osint_kit.timeline import parse_when

    monkeypatch.setattr(parse_mod, "MAX_TEXT_LENGTH", 10**9, raising=False)
    for unit in ("1 - ", "from a to "):
        start = time.perf_counter()
        with pytest.raises(UnparseableDateError):
            parse_when((unit * 2000)[:4096], reference="2023-01-21")
        assert time.perf_counter() - start < 3.0, unit


@pytest.mark.parametrize("char", ["\x1f", "\x0b", "\x01", "\ufffe"])
def test_html_with_control_characters_is_ingested_or_refused(char: str) -> None:
    """A C0 control character (or U+FFFE) in the page text made lxml refuse to set an
    element's text (ValueError "All strings must be XML compatible") in ``_page_lines``."""
    from osint_kit.errors import IngestError
    from osint_kit.sources import ingest_html

    try:
        cap = ingest_html(f"<html><body><p>A line{char} with a unit separator.</p></body></html>")
    except IngestError:
        return
    assert any("unit separator" in ln.text for ln in cap.lines)


def test_damaged_case_archive_is_a_case_error(tmp_path: Path) -> None:
    """A zip whose first byte is missing: zipfile raises OSError (seek before the start) or
    NotImplementedError (a garbled compression method) from ``zf.open``, which
    ``exchange._copy_entry`` did not turn into a CaseError."""
    from osint_kit.case import Case
    from osint_kit.errors import CaseError
    from osint_kit.testing.images import make_image

    img = make_image(tmp_path / "a.jpg", exif={"Make": "X"})
    case = Case.create(tmp_path / "case", title="t")
    case.add_evidence(img, source=None)
    case.export(tmp_path / "case.zip")
    case.close()
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes((tmp_path / "case.zip").read_bytes()[1:])
    with pytest.raises(CaseError):
        Case.import_(damaged, tmp_path / "imported")
    assert not (tmp_path / "imported").exists() or not any((tmp_path / "imported").iterdir())


def test_jpeg_with_empty_exif_block_reads(tmp_path: Path) -> None:
    """An APP1 "Exif\\0\\0" segment with nothing after it: exifread's ``get_endian_str``
    indexed an empty byte string (IndexError) outside the guarded block of ``read_exif``."""
    from osint_kit.errors import EvidenceError
    from osint_kit.media.read.metadata import read_metadata

    path = tmp_path / "empty-exif.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe1\x00\x40Exif\x00\x00")
    with contextlib.suppress(EvidenceError):
        read_metadata.here(path)  # the reader itself, in this process


@pytest.mark.timeout(30)  # the bug was a hang: fail fast if it comes back
def test_heif_with_a_box_that_never_advances_is_refused_not_looped(tmp_path: Path) -> None:
    """A 90-byte HEIF whose second box declares a 64-bit size of 0: pillow-heif refuses it,
    and exifread's HEIC box walker, asked to find EXIF instead, looped for ever (found by
    ``make fuzz``, 2026-11-29). The walker now reads through a bounded reader that ends
    after MAX_BOX_READS reads."""
    from osint_kit.errors import CorruptImageError
    from osint_kit.media.read.metadata import read_metadata

    path = tmp_path / "loop.heic"
    path.write_bytes(bytes.fromhex(
        "000000186674797068656963000000006d696631686569630000000100000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000004006861735f6d"
        "65746164617461c8d44df77a5be4"))
    with pytest.raises(CorruptImageError, match="looks like HEIF"):
        read_metadata.here(path)  # the reader itself, in this process


_ILOC_BOMB = bytes.fromhex(
    "000000186674797068656963000000006d69663169006568006300286d657461000000000000"
    "001c696c6f6300010000000000ff7efff218660000000c4a584c200d0a870a00000000007479"
    "706865f7ff019827286d299d3d3c946565656565656565656565656565656565656565656565"
    "656565656565656565656565656565656565ffffffffffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff656565"
    "65656565656565656565656565656565656565ffd8ffe000104a464946000101000001000100"
    "00ffe1042145786966000049492a000800000006000f0102000600002e560000001001020004"
    "000000454f53003b010200020000004100000069870400010000005c00000025880400010000"
    "00b00000009b9c0100040000007400ffd8ffeeffe043616e6f6e030000039002001400000000"
    "00000000900200070000009a000008869207000d000000a200000000000000323032323d3131"
    "3a31382031300033303a3030002b30353a331d0000415343494900000068656c6c6f00060001"
    "000200020000004e0000000200050003000000fe000001000000000200656565000045000000"
    "04000500656565f9034200000016010000050001f7827c67000100d007000000000000050023"
    "010000002e01000000000000ff0000000000001001bba5cbf62b5983228e1c7d4d6f64656c6d"
    "45eb7696fe7a9fffd9"
)


def test_heif_item_locations_without_bytes_are_budgeted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """exifread's iloc loop decodes fields of size 0 without reading, up to 65,535 per item,
    so the read budget never ends it: this 579-byte HEIF (found by differential fuzzing of
    the mapped reader, 2026-11-29) made 3.8 million field decodes (1-3 s, 1.9 million
    entries in memory); a larger one would run for hours and fill the memory. Fields are
    now budgeted (MAX_HEIF_FIELDS)."""
    from osint_kit.errors import CorruptImageError
    from osint_kit.media.read import _exif
    from osint_kit.media.read.metadata import read_metadata

    calls = []
    real = _exif.HEICExifFinder.get_int

    def counting(self: object, size: int) -> int:
        calls.append(size)
        return real(self, size)  # type: ignore[arg-type]

    monkeypatch.setattr(_exif.HEICExifFinder, "get_int", counting)
    path = tmp_path / "iloc.heic"
    path.write_bytes(_ILOC_BOMB)
    with pytest.raises(CorruptImageError, match="looks like HEIF"):
        read_metadata.here(path)  # the reader itself, in this process
    assert 0 < len(calls) <= _exif.MAX_HEIF_FIELDS + 1


def test_a_damaged_heif_still_gives_its_exif(camera_samples: Path, tmp_path: Path) -> None:
    """An iPhone HEIC cut after 27,000 bytes: pillow-heif refuses it, but its EXIF is all
    there. The fix for the box-walker hang above first dropped such files to
    CorruptImageError; exifread's walker now runs on a bounded reader instead."""
    from osint_kit.media.read.metadata import read_metadata

    original = camera_samples / "tests/resources/heic/mobile/iphone_13_pro_max.heic"
    cut = tmp_path / "cut.heic"
    cut.write_bytes(original.read_bytes()[:27_000])
    meta = read_metadata(cut)
    assert (meta.format, meta.make, meta.model) == ("HEIF", "Apple", "iPhone 13 Pro Max")
    assert meta.datetime_original is not None
    # pillow-heif before 1.9 refused the cut file (size unknown, only EXIF read); 1.9 reads
    # the size from the boxes in the first 27 kB. Either way the EXIF must be there.
    if meta.width is None:
        assert any("only EXIF was read" in w for w in meta.warnings)
    else:
        assert (meta.width, meta.height) == (3024, 4032)
