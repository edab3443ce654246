"""The rules: each reads an ImageMetadata or a scan row (and the file facts, when the file was
read) and returns the findings it sees, explained. :data:`RULES` is the list ``inspect`` runs.
A rule decides whether a finding fires and with which evidence; its texts are data
(``osint_kit/data/findings.yaml``, built by :func:`~osint_kit.media.forensics.model.make_finding`
with the values from the file)."""

from __future__ import annotations

import json
import logging
import math
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from osint_kit.media.forensics.capture_dates import disagreements, read_stamp
from osint_kit.media.forensics.model import FileFacts, Finding, make_finding, phrase

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


#: Two times closer than this count as equal (cameras round; some write a second later).
SAME_TIME_TOLERANCE = timedelta(seconds=2)
#: ModifyDate may trail the capture by in-camera processing; beyond this it is a finding.
MODIFY_TOLERANCE = timedelta(seconds=60)
#: GPS time is the time of the fix, which can be older than the shot: allowed difference.
GPS_TOLERANCE = timedelta(minutes=10)
#: Read at most this many bytes for structural checks (C2PA, JPEG segments).

# (lower-case pattern, display name) - editors, raw converters, phone apps and libraries
EDITORS: tuple[tuple[str, str], ...] = (
    ("photoshop", "Adobe Photoshop"), ("lightroom", "Adobe Lightroom"),
    ("camera raw", "Adobe Camera Raw"), ("adobe express", "Adobe Express"),
    ("gimp", "GIMP"), ("snapseed", "Snapseed"), ("affinity", "Affinity Photo"),
    ("pixelmator", "Pixelmator"), ("paint.net", "Paint.NET"), ("picsart", "PicsArt"),
    ("canva", "Canva"), ("luminar", "Luminar"), ("capture one", "Capture One"),
    ("darktable", "darktable"), ("rawtherapee", "RawTherapee"), ("acdsee", "ACDSee"),
    ("picasa", "Picasa"), ("photoscape", "PhotoScape"), ("fotor", "Fotor"),
    ("facetune", "Facetune"), ("faceapp", "FaceApp"), ("vsco", "VSCO"),
    ("instagram", "Instagram"), ("paint shop", "PaintShop Pro"), ("paintshop", "PaintShop Pro"),
    ("corel", "Corel"), ("photopea", "Photopea"), ("krita", "Krita"),
    ("imagemagick", "ImageMagick"), ("graphicsmagick", "GraphicsMagick"),
    ("digikam", "digiKam"), ("shotwell", "Shotwell"), ("aperture", "Apple Aperture"),
    ("iphoto", "Apple iPhoto"), ("meitu", "Meitu"), ("polarr", "Polarr"),
    ("windows photo", "Windows Photo Viewer/Editor"), ("microsoft photos", "Microsoft Photos"),
    ("paint tool sai", "PaintTool SAI"), ("painttool", "PaintTool SAI"),
    ("photodirector", "PhotoDirector"), ("lightroom mobile", "Adobe Lightroom Mobile"),
)  # fmt: skip

#: Makers whose cameras (and phones, for Apple) write a MakerNote into EXIF.
MAKER_NOTE_MAKERS: tuple[str, ...] = (
    "canon", "nikon", "sony", "fujifilm", "olympus", "om digital", "panasonic", "pentax",
    "ricoh", "apple", "leica", "casio", "minolta", "sanyo", "sigma",
)  # fmt: skip


# --- reading facts from an ImageMetadata or a scan row -----------------------------------------


def loaded_pandas() -> Any:
    """pandas when something has imported it, else None: a scan row, a Series, NA or a
    Timestamp can only come from pandas, so a path or an ImageMetadata never needs it (and
    the worker of an isolated ``inspect`` starts without importing it)."""
    return sys.modules.get("pandas")


def get_field(meta: Any, name: str) -> Any:
    value = meta.get(name) if isinstance(meta, Mapping) else getattr(meta, name, None)
    if value is None:
        return None
    pd = loaded_pandas()
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _dt(value: Any) -> datetime | None:
    if value is None:
        return None
    pd = loaded_pandas()
    if pd is not None and isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _bool(value: Any) -> bool:
    return bool(value) if value is not None else False


def _fmt_delta(delta: timedelta) -> str:
    secs = round(delta.total_seconds())
    sign = "-" if secs < 0 else "+"
    secs = abs(secs)
    days, rest = divmod(secs, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    text = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{sign}{days} d {text}" if days else f"{sign}{text}"


def _fmt_offset(minutes: int) -> str:
    """``UTC-05:30``: the offset as :func:`osint_kit.timeline.when.format_offset` writes it."""
    from osint_kit.timeline.when import format_offset

    return "UTC" + format_offset(timedelta(minutes=minutes))


def _diff(a: datetime, b: datetime) -> tuple[timedelta, str]:
    """a - b; absolute when both are aware, wall-clock otherwise (and say so)."""
    if (a.tzinfo is None) != (b.tzinfo is None):
        return a.replace(tzinfo=None) - b.replace(tzinfo=None), "compared as local clock times"
    if a.tzinfo is None:
        return a - b, "compared as local clock times (offsets unknown)"
    return a - b, "compared as absolute times (offsets known)"


# --- the rules -----------------------------------------------------------------------------------

Rule = Callable[[Any, "FileFacts | None", "str | None"], list[Finding]]


def rule_editing_software(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    sources = {
        "EXIF Software": get_field(meta, "software"),
        "XMP CreatorTool": get_field(meta, "xmp_creator_tool"),
    }
    history = get_field(meta, "xmp_history")
    if isinstance(history, str):
        history = tuple(h for h in history.split("; ") if h)
    hist_text = "; ".join(history or ())
    if hist_text:
        sources["XMP History"] = hist_text
    named: list[str] = []
    evidence: dict[str, str] = {}
    for field_name, value in sources.items():
        if not value:
            continue
        low = str(value).lower()
        hits = [name for pat, name in EDITORS if pat in low]
        if "photoshop lightroom" in low:  # Lightroom's full name, not Photoshop itself
            hits = [h for h in hits if h != "Adobe Photoshop"]
        if hits or field_name == "XMP History":
            evidence[field_name] = str(value)
            named += hits
    if not evidence:
        return []
    names = sorted(set(named)) or ["software recorded in the edit history"]
    return [make_finding("editing_software", evidence, path, names=", ".join(names))]


def rule_dates(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    out: list[Finding] = []
    original = _dt(get_field(meta, "datetime_original"))
    modified = _dt(get_field(meta, "datetime_modified"))
    digitized = _dt(get_field(meta, "datetime_digitized"))
    if original is not None and modified is not None:
        delta, how = _diff(modified, original)
        if delta > MODIFY_TOLERANCE:
            out.append(make_finding(
                "modified_after_capture",
                {"DateTimeOriginal": original.isoformat(), "DateTime (ModifyDate)": modified.isoformat(),
                 "difference": _fmt_delta(delta), "comparison": how},
                path, delta=_fmt_delta(delta)))
    if original is not None and digitized is not None:
        delta, how = _diff(original, digitized)
        if abs(delta) > SAME_TIME_TOLERANCE:
            out.append(make_finding(
                "original_digitized_mismatch",
                {"DateTimeOriginal": original.isoformat(), "DateTimeDigitized": digitized.isoformat(),
                 "difference": _fmt_delta(delta), "comparison": how},
                path, delta=_fmt_delta(delta)))
    return out


def _provenance_of(meta: Any, name: str) -> str:
    """Where a field came from: the record's provenance (a mapping, or JSON in a scan row)."""
    prov = get_field(meta, "provenance")
    if isinstance(prov, str):
        try:
            prov = json.loads(prov)
        except ValueError:
            return ""
    return str(prov.get(name, "")) if isinstance(prov, Mapping) else ""


XMP_CREATE = "XMP xmp:CreateDate"


def rule_capture_dates(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    """EXIF DateTimeOriginal, IPTC DateCreated(+TimeCreated), XMP xmp:CreateDate and
    photoshop:DateCreated, compared by :mod:`osint_kit.media.forensics.capture_dates`."""
    original = _dt(get_field(meta, "datetime_original"))
    iptc_from = _provenance_of(meta, "iptc_date_created")
    fields: list[tuple[str, Any]] = [
        ("EXIF DateTimeOriginal" + ("+OffsetTimeOriginal" if original is not None
                                    and original.tzinfo is not None else ""), original),
        (XMP_CREATE, get_field(meta, "xmp_create_date")),
        ("XMP photoshop:DateCreated", get_field(meta, "xmp_date_created")),
    ]
    if not iptc_from.startswith("XMP"):  # not the XMP fallback: a date of its own
        fields.insert(1, (iptc_from or "IPTC DateCreated", get_field(meta, "iptc_date_created")))
    stamps = [s for s in (read_stamp(f, v) for f, v in fields if v is not None) if s is not None]
    gaps = disagreements(stamps)
    if not gaps:
        return []
    # Metadata Working Group mapping: DateTimeOriginal = IPTC DateCreated = photoshop:DateCreated
    # (when it was taken); xmp:CreateDate = DateTimeDigitized (a scan, a raw conversion).
    # A file made (xmp:CreateDate) more than a day *before* it was taken is not innocent.
    early = [g for g in gaps if XMP_CREATE in (g.a.field, g.b.field)
             and (g.difference if g.a.field == XMP_CREATE else -g.difference) < -timedelta(days=1)]
    taken = [g for g in gaps if XMP_CREATE not in (g.a.field, g.b.field)] + early
    worst = max(taken or gaps, key=lambda g: abs(g.difference))
    evidence = {s.field: s.written for s in stamps}
    evidence["differences"] = "; ".join(
        f"{g.a.field} - {g.b.field} = {_fmt_delta(g.difference)}" for g in gaps)
    evidence["comparison"] = worst.comparison
    far = bool(taken) and abs(worst.difference) > timedelta(days=1)
    create_note = "" if taken else " " + phrase("capture_dates_disagree", "later_create_date")
    return [make_finding(
        "capture_dates_disagree", evidence, path, severity="warning" if far else "notice",
        field_a=worst.a.field, field_b=worst.b.field, delta=_fmt_delta(worst.difference),
        create_note=create_note)]


def rule_gps_time(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    original = _dt(get_field(meta, "datetime_original"))
    gps = _dt(get_field(meta, "gps_timestamp"))
    if original is None or gps is None:
        return []
    if gps.tzinfo is None:
        gps = gps.replace(tzinfo=UTC)
    evidence = {"DateTimeOriginal": original.isoformat(), "GPS time (UTC)": gps.isoformat()}
    if original.tzinfo is not None:
        delta = original - gps
        if abs(delta) <= GPS_TOLERANCE:
            return []
        return [make_finding(
            "gps_time_mismatch",
            {**evidence, "difference": _fmt_delta(delta), "offset": str(original.utcoffset())},
            path, delta=_fmt_delta(delta), minutes=int(GPS_TOLERANCE.total_seconds() // 60))]
    # offset unknown: which offset would reconcile the two clocks?
    delta = original - gps.replace(tzinfo=None)
    quarter = round(delta.total_seconds() / 900) * 15  # minutes, multiple of 15
    residual = delta - timedelta(minutes=quarter)
    if abs(residual) <= GPS_TOLERANCE and -12 * 60 <= quarter <= 14 * 60:
        return [make_finding(
            "gps_time_implied_offset",
            {**evidence, "implied offset": _fmt_offset(quarter), "residual": _fmt_delta(residual)},
            path, offset=_fmt_offset(quarter), residual=_fmt_delta(residual))]
    return [make_finding("gps_time_unreconcilable", {**evidence, "difference": _fmt_delta(delta)},
                         path, delta=_fmt_delta(delta))]


def rule_metadata_presence(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    fmt = (get_field(meta, "format") or "").upper()
    if _bool(get_field(meta, "has_exif")):
        return []
    evidence: dict[str, str] = {"format": fmt or "unknown", "EXIF": "absent",
                                "XMP": str(_bool(get_field(meta, "has_xmp"))),
                                "IPTC": str(_bool(get_field(meta, "has_iptc")))}
    if fmt == "JPEG":
        tables = ff.quality if ff else None
        segs = [s for s in (ff.segments if ff else ()) if s[0].startswith("APP")]
        if segs:
            evidence["APP segments"] = ", ".join(f"{n} {i}".strip() for n, _, i in segs)
        if tables is not None:
            evidence["quantisation tables"] = tables.description
        if tables is not None and tables.family in ("ijg-standard", "ijg-mixed"):
            return [make_finding("metadata_stripped", evidence, path, tables=tables.description)]
        return [make_finding("exif_absent", evidence, path)]
    if fmt in ("PNG", "GIF", "BMP", "WEBP"):
        return [make_finding("no_camera_metadata", evidence, path, format=fmt)]
    return []


def rule_thumbnail(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    if ff is None or (ff.thumbnail is None and ff.thumbnail_error is None):
        return []
    if ff.thumbnail_error is not None:
        return [make_finding("thumbnail_unreadable", {"error": ff.thumbnail_error}, path)]
    comp = ff.thumbnail
    if comp is None or not comp.differs:
        return []
    return [make_finding(
        "thumbnail_mismatch",
        {"thumbnail size": f"{comp.thumbnail_size[0]}x{comp.thumbnail_size[1]}",
         "image size": f"{comp.image_size[0]}x{comp.image_size[1]}",
         "aspect ratios": f"{comp.aspect_thumbnail} vs {comp.aspect_image}",
         "pHash distance": str(comp.phash_distance), "method": comp.method},
        path, reason=comp.reason)]


def rule_dimensions(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    ew, eh = get_field(meta, "exif_width"), get_field(meta, "exif_height")
    w, h = get_field(meta, "width"), get_field(meta, "height")
    if not (ew and eh and w and h):
        return []
    ew, eh, w, h = int(ew), int(eh), int(w), int(h)
    if (ew, eh) in ((w, h), (h, w)):
        return []
    return [make_finding(
        "exif_dimensions_mismatch",
        {"EXIF PixelXDimension x PixelYDimension": f"{ew}x{eh}", "real size": f"{w}x{h}"},
        path, exif_size=f"{ew}x{eh}", real_size=f"{w}x{h}")]


def rule_maker_note(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    make = get_field(meta, "make")
    if not make or not _bool(get_field(meta, "has_exif")) or _bool(get_field(meta, "has_maker_note")):
        return []
    low = str(make).lower()
    if not any(m in low for m in MAKER_NOTE_MAKERS):
        return []
    return [make_finding(
        "maker_note_missing",
        {"Make": str(make), "Model": str(get_field(meta, "model") or ""), "MakerNote": "absent"},
        path, make=str(make))]


def rule_c2pa(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    if ff is None or ff.c2pa is None or not ff.c2pa.found:
        return []
    det = ff.c2pa
    evidence = {"container": str(det.container), "offset": str(det.offset),
                "JUMBF labels": ", ".join(det.labels)}
    summary = det.manifest or {}
    for key in ("claim_generator", "title", "signer", "signed_at", "actions", "ingredients",
                "validation_state", "validation_problems"):
        value = summary.get(key)
        if value:
            evidence[key] = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if det.read_error:
        evidence["manifest"] = det.read_error
    problems = bool(summary.get("validation_problems"))
    return [make_finding("c2pa_present", evidence, path,
                         severity="notice" if problems else "info")]


def rule_jpeg_quality(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    if ff is None or ff.quality is None:
        return []
    q = ff.quality
    camera = " ".join(str(x) for x in (get_field(meta, "make"), get_field(meta, "model")) if x)
    camera_note = ""
    if q.family == "ijg-standard" and camera:
        camera_note = " " + phrase("jpeg_quality", "camera_tables", camera=camera)
    return [make_finding(
        "jpeg_quality",
        {"family": q.family, "estimated quality": str(q.quality),
         "per-table IJG quality": ", ".join(map(str, q.table_qualities)), "method": q.method},
        path, description=q.description, camera_note=camera_note)]


def _notes(meta: Any) -> list[str]:
    """The reader's notes: a tuple in a record, joined by "; " in a scan row."""
    noted = get_field(meta, "warnings")
    text = noted if isinstance(noted, str) else "; ".join(map(str, noted or ()))
    return [p for p in text.split("; ") if p]


def rule_image_damage(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    from osint_kit.media.read._pillow import TOO_LARGE_NOTE

    declared = [n for n in _notes(meta) if n.startswith(TOO_LARGE_NOTE)]
    if declared or (ff is not None and ff.too_large):
        return [make_finding(
            "picture_not_decoded",
            {"declared size": declared[0][len(TOO_LARGE_NOTE):].split(".")[0]} if declared
            else {"error": getattr(ff, "decode_error", None) or ""},
            path)]
    if ff is None or ff.decode_error is None:
        return []
    return [make_finding("image_data_damaged", {"error": ff.decode_error}, path,
                         error=ff.decode_error)]


def rule_reading_problems(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    # the notes on what osint_kit cannot read or decode are about the tool, not the file (the
    # record keeps them; a size above the decoding limit is picture_not_decoded)
    from osint_kit.media.read._pillow import TOO_LARGE_NOTE
    from osint_kit.media.read.metadata import LIMITATION_NOTE

    reader = "; ".join(p for p in _notes(meta)
                       if not p.startswith((LIMITATION_NOTE, TOO_LARGE_NOTE)))
    # the reader's own Pillow notes ("Pillow: ...") are not repeated for the decoder
    decoder = "; ".join(n for n in (ff.decoder_warnings if ff is not None else ())
                        if n not in reader)
    if not reader and not decoder:
        return []
    evidence = {k: v for k, v in (("metadata reader", reader), ("image decoder", decoder)) if v}
    return [make_finding("reading_problems", evidence, path)]


RULES: tuple[Rule, ...] = (
    rule_editing_software, rule_dates, rule_capture_dates, rule_gps_time,
    rule_metadata_presence, rule_thumbnail,
    rule_dimensions, rule_maker_note, rule_c2pa, rule_jpeg_quality, rule_image_damage,
    rule_reading_problems,
)  # fmt: skip

