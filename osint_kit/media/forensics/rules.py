"""The rules: each reads an ImageMetadata or a scan row (and the file facts, when the file was
read) and returns the findings it sees, explained. :data:`RULES` is the list ``inspect`` runs."""

from __future__ import annotations

import json
import logging
import math
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from osint_kit.media.forensics.capture_dates import disagreements, read_stamp
from osint_kit.media.forensics.model import FileFacts, Finding

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
    return [Finding(
        "editing_software",
        "notice",
        f"Processed with {', '.join(names)}",
        "The file's own metadata names software that opens and re-saves pictures "
        f"({', '.join(names)}). This shows the file passed through that program at least once - "
        "for example to crop, resize, rotate, convert a raw file or change colours - and that "
        "what you see is not straight out of the camera. It does not show what was changed: "
        "re-saving alone writes this entry, and the content may be untouched. Nor does its "
        "absence prove anything, because metadata can be removed or written by anyone. Compare "
        "with other copies of the picture and look for the original source.",
        evidence,
        path,
    )]


def rule_dates(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    out: list[Finding] = []
    original = _dt(get_field(meta, "datetime_original"))
    modified = _dt(get_field(meta, "datetime_modified"))
    digitized = _dt(get_field(meta, "datetime_digitized"))
    if original is not None and modified is not None:
        delta, how = _diff(modified, original)
        if delta > MODIFY_TOLERANCE:
            out.append(Finding(
                "modified_after_capture",
                "notice",
                "Changed after it was taken",
                "The file's modification time (EXIF DateTime, 'ModifyDate') is "
                f"{_fmt_delta(delta)} after the time the picture was taken (DateTimeOriginal). "
                "Cameras write both at the moment of the shot, so a later modification time "
                "means some program re-wrote the file afterwards: an editor, a photo manager "
                "that rotated it or changed tags, or a conversion. It does not tell what was "
                "changed; the capture time itself may still be right.",
                {"DateTimeOriginal": original.isoformat(), "DateTime (ModifyDate)": modified.isoformat(),
                 "difference": _fmt_delta(delta), "comparison": how},
                path,
            ))
    if original is not None and digitized is not None:
        delta, how = _diff(original, digitized)
        if abs(delta) > SAME_TIME_TOLERANCE:
            out.append(Finding(
                "original_digitized_mismatch",
                "notice",
                "Capture and digitisation times differ",
                "A digital camera records the same moment as 'taken' (DateTimeOriginal) and "
                f"'digitised' (DateTimeDigitized); here they are {_fmt_delta(delta)} apart. "
                "That is normal for a scanned film photo or a frame exported from video, and it "
                "also happens when someone edits one of the dates but not the other. Ask which "
                "of the two the other evidence supports.",
                {"DateTimeOriginal": original.isoformat(), "DateTimeDigitized": digitized.isoformat(),
                 "difference": _fmt_delta(delta), "comparison": how},
                path,
            ))
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
    create_note = (
        "" if taken else " Only XMP CreateDate differs, and it is later: by the Metadata "
        "Working Group's mapping it is the time the file was made (a scan, a raw conversion, "
        "an export), which can rightly come after the capture; check what the program that "
        "wrote it puts there.")
    return [Finding(
        "capture_dates_disagree",
        "warning" if far else "notice",
        "Capture dates in EXIF, IPTC and XMP disagree",
        "Several places in one file say when the picture was taken: EXIF DateTimeOriginal "
        "(written by the camera), IPTC DateCreated/TimeCreated and XMP DateCreated/CreateDate "
        "(written or copied by photo software, agencies and archives). Here "
        f"{worst.a.field} and {worst.b.field} are {_fmt_delta(worst.difference)} apart, more "
        "than rounding or a time-zone offset explains." + create_note + " Innocent causes "
        "exist: a date typed in by hand (the day of filing, or of an event), a camera clock "
        "corrected in one field only, a copy or scan of an older picture. It also happens "
        "when a picture is re-captioned or when someone changed one date and not the others. "
        "The finding does not say which date is right: test each against the content (light, "
        "weather, events) and other copies of the picture.",
        evidence,
        path,
    )]


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
        return [Finding(
            "gps_time_mismatch",
            "warning",
            "GPS time disagrees with the capture time",
            "The camera recorded the capture time with its UTC offset, and the GPS receiver "
            f"recorded the time of its position fix in UTC. They are {_fmt_delta(delta)} apart, "
            f"more than the {int(GPS_TOLERANCE.total_seconds() // 60)} minutes a stale GPS fix "
            "usually explains. Possible causes: the camera clock was wrong, the GPS data was "
            "copied from another picture, or one of the times was edited. The position may "
            "belong to a different moment than the picture.",
            {**evidence, "difference": _fmt_delta(delta), "offset": str(original.utcoffset())},
            path,
        )]
    # offset unknown: which offset would reconcile the two clocks?
    delta = original - gps.replace(tzinfo=None)
    quarter = round(delta.total_seconds() / 900) * 15  # minutes, multiple of 15
    residual = delta - timedelta(minutes=quarter)
    if abs(residual) <= GPS_TOLERANCE and -12 * 60 <= quarter <= 14 * 60:
        return [Finding(
            "gps_time_implied_offset",
            "info",
            f"Camera clock consistent with {_fmt_offset(quarter)}",
            "The capture time has no time-zone offset, but the GPS time (always UTC) fits it if "
            f"the camera clock was set to {_fmt_offset(quarter)} (remaining difference "
            f"{_fmt_delta(residual)}). Check that this offset matches the place in the GPS "
            "position at that date (daylight saving included); if it does, both clocks agree.",
            {**evidence, "implied offset": _fmt_offset(quarter), "residual": _fmt_delta(residual)},
            path,
        )]
    return [Finding(
        "gps_time_unreconcilable",
        "notice",
        "GPS time fits no time zone",
        "The capture time has no time-zone offset, and no real offset (UTC-12 to UTC+14) "
        f"turns it into the GPS time: they are {_fmt_delta(delta)} apart. The camera clock was "
        "probably wrong (never set, or off by days), or the GPS block comes from another "
        "moment or picture. Do not use the capture time without other support.",
        {**evidence, "difference": _fmt_delta(delta)},
        path,
    )]


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
            return [Finding(
                "metadata_stripped",
                "notice",
                "Camera metadata removed (re-encoded copy)",
                "This JPEG carries no EXIF at all, and its compression tables are the standard "
                f"ones of the libjpeg library ({tables.description}). That combination is "
                "typical of a copy re-encoded by software or a platform that removes metadata "
                "on upload (social networks and messengers do this). So this is probably not "
                "the first-generation file: look for an earlier copy that still has its "
                "metadata. It does not show that the picture was altered.",
                evidence,
                path,
            )]
        return [Finding(
            "exif_absent",
            "notice",
            "No camera metadata in this JPEG",
            "The JPEG has no EXIF block. Either the device never wrote one (some apps, "
            "scanners and older software do not) or it was removed without re-compressing "
            "(tools such as exiftool or jpegtran can do that). The compression tables are "
            "not the libjpeg standard ones, which makes a platform re-encode less likely. "
            "Either way, nothing about the camera, time or place can be read from this file.",
            evidence,
            path,
        )]
    if fmt in ("PNG", "GIF", "BMP", "WEBP"):
        return [Finding(
            "no_camera_metadata",
            "info",
            f"No camera metadata ({fmt})",
            f"This {fmt} file has no EXIF. Cameras rarely write {fmt}; screenshots, graphics, "
            "web exports and messenger conversions do. So the metadata was most likely never "
            "there rather than removed - and a screenshot of someone else's photo looks "
            "exactly like this. The picture's origin has to be established another way.",
            evidence,
            path,
        )]
    return []


def rule_thumbnail(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    if ff is None or (ff.thumbnail is None and ff.thumbnail_error is None):
        return []
    if ff.thumbnail_error is not None:
        return [Finding(
            "thumbnail_unreadable",
            "notice",
            "Embedded preview is damaged",
            "The EXIF block declares a preview picture, but it cannot be decoded. Cameras "
            "write valid previews; a broken one suggests the EXIF block was moved, cut or "
            "rebuilt by a program that did not handle it properly.",
            {"error": ff.thumbnail_error},
            path,
        )]
    comp = ff.thumbnail
    if comp is None or not comp.differs:
        return []
    return [Finding(
        "thumbnail_mismatch",
        "warning",
        "Embedded preview differs from the picture",
        "The camera stores a small preview of the picture inside the EXIF block. Here that "
        f"preview does not match the main picture ({comp.reason}). Many editors change the "
        "picture but leave the old preview untouched, so this is a classic sign that the image "
        "was cropped or edited after the camera wrote it - compare the two side by side "
        "(views.thumbnail_vs_image) to see what changed. A matching preview, on the other "
        "hand, proves nothing.",
        {"thumbnail size": f"{comp.thumbnail_size[0]}x{comp.thumbnail_size[1]}",
         "image size": f"{comp.image_size[0]}x{comp.image_size[1]}",
         "aspect ratios": f"{comp.aspect_thumbnail} vs {comp.aspect_image}",
         "pHash distance": str(comp.phash_distance), "method": comp.method},
        path,
    )]


def rule_dimensions(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    ew, eh = get_field(meta, "exif_width"), get_field(meta, "exif_height")
    w, h = get_field(meta, "width"), get_field(meta, "height")
    if not (ew and eh and w and h):
        return []
    ew, eh, w, h = int(ew), int(eh), int(w), int(h)
    if (ew, eh) in ((w, h), (h, w)):
        return []
    return [Finding(
        "exif_dimensions_mismatch",
        "notice",
        "Size in EXIF differs from the real size",
        f"The EXIF block says the picture is {ew}x{eh} pixels, but the image is {w}x{h}. The "
        "camera writes both together, so the picture was most likely resized or cropped by a "
        "program that copied the old EXIF without updating it. That is common and harmless "
        "(e.g. downsizing for the web), but it also means the other EXIF values describe the "
        "original file, not necessarily this one.",
        {"EXIF PixelXDimension x PixelYDimension": f"{ew}x{eh}", "real size": f"{w}x{h}"},
        path,
    )]


def rule_maker_note(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    make = get_field(meta, "make")
    if not make or not _bool(get_field(meta, "has_exif")) or _bool(get_field(meta, "has_maker_note")):
        return []
    low = str(make).lower()
    if not any(m in low for m in MAKER_NOTE_MAKERS):
        return []
    return [Finding(
        "maker_note_missing",
        "notice",
        "Manufacturer's private data missing",
        f"The EXIF says the camera was a {make}, and cameras of this maker write a 'MakerNote' "
        "block of private data (serial numbers, focus, settings). It is missing here. Editors "
        "and upload tools often drop it when they re-write EXIF, so the file has probably been "
        "re-saved by other software; it can also mean the camera fields were typed in by hand. "
        "Some older models or modes write no MakerNote, so treat this as a hint only.",
        {"Make": str(make), "Model": str(get_field(meta, "model") or ""), "MakerNote": "absent"},
        path,
    )]


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
    return [Finding(
        "c2pa_present",
        "notice" if problems else "info",
        "Content Credentials (C2PA) present",
        "The file carries a C2PA manifest ('Content Credentials'): signed statements by the "
        "software or device that made or edited it, listing actions and earlier versions. A "
        "valid signature shows the statements were not changed since signing by whoever holds "
        "that certificate; it does not show they are true, and a manifest can be removed "
        "without trace. Read who signed and which actions are listed; validation problems mean "
        "the file changed after signing. (Read offline: remote manifests are never fetched.)",
        evidence,
        path,
    )]


def rule_jpeg_quality(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    if ff is None or ff.quality is None:
        return []
    q = ff.quality
    camera = " ".join(str(x) for x in (get_field(meta, "make"), get_field(meta, "model")) if x)
    extra = ""
    if q.family == "ijg-standard" and camera:
        extra = (f" The EXIF names a camera ({camera}); some cameras do use these standard "
                 "tables, but a camera-original more often has tables of its own, so this may "
                 "be a re-saved copy.")
    return [Finding(
        "jpeg_quality",
        "info",
        f"JPEG compression: {q.description}",
        "Every JPEG stores the tables its encoder used to compress it, and a re-saved picture "
        "carries the tables of the program that saved it last. These tables are "
        f"{q.description}. Standard IJG tables come from the libjpeg library used by most "
        "editors, converters and web platforms; cameras and Photoshop often use their own. "
        f"A low quality (below about 70) means information was thrown away.{extra}",
        {"family": q.family, "estimated quality": str(q.quality),
         "per-table IJG quality": ", ".join(map(str, q.table_qualities)), "method": q.method},
        path,
    )]


def _notes(meta: Any) -> list[str]:
    """The reader's notes: a tuple in a record, joined by "; " in a scan row."""
    noted = get_field(meta, "warnings")
    text = noted if isinstance(noted, str) else "; ".join(map(str, noted or ()))
    return [p for p in text.split("; ") if p]


def rule_image_damage(meta: Any, ff: FileFacts | None, path: str | None) -> list[Finding]:
    from osint_kit.media.read._pillow import TOO_LARGE_NOTE

    declared = [n for n in _notes(meta) if n.startswith(TOO_LARGE_NOTE)]
    if declared or (ff is not None and ff.too_large):
        return [Finding(
            "picture_not_decoded",
            "info",
            "Picture too large to decode here",
            "The picture declares more pixels than osint_kit decodes (the safety limit against "
            "decompression bombs), so the checks that need pixels cannot run: thumbnail "
            "comparison, daylight and JPEG quality. The metadata checks ran. A 200-megapixel "
            "phone photo is this large; a small file declaring it is a crafted one.",
            {"declared size": declared[0][len(TOO_LARGE_NOTE):].split(".")[0]} if declared
            else {"error": getattr(ff, "decode_error", None) or ""},
            path,
        )]
    if ff is None or ff.decode_error is None:
        return []
    return [Finding(
        "image_data_damaged",
        "notice",
        "Picture data is damaged",
        "The metadata could be read, but the picture itself does not decode cleanly "
        f"({ff.decode_error}). The file is truncated, bit-flipped or was assembled by hand. "
        "A damaged download is the usual reason; get another copy before drawing conclusions.",
        {"error": ff.decode_error},
        path,
    )]


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
    return [Finding(
        "reading_problems",
        "notice",
        "Problems noted while reading the file",
        "While reading this file, the metadata reader or the image decoder noted problems "
        "(listed in the evidence): data after the end of the picture, pointers that lead "
        "nowhere or back on themselves, values cut short or impossible (a date in year 0, a "
        "position at exactly 0,0). Cameras write tidy files. Incomplete downloads, files made "
        "or patched by hand, and programs that append data (a hidden archive, a 'polyglot' "
        "file) leave marks like these. They do not show that anything was hidden or edited: "
        "read the notes, and look at data after the end of the image with a hex viewer.",
        evidence,
        path,
    )]


RULES: tuple[Rule, ...] = (
    rule_editing_software, rule_dates, rule_capture_dates, rule_gps_time,
    rule_metadata_presence, rule_thumbnail,
    rule_dimensions, rule_maker_note, rule_c2pa, rule_jpeg_quality, rule_image_damage,
    rule_reading_problems,
)  # fmt: skip

