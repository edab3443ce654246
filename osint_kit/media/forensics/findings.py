"""Explained findings: what an image's metadata and structure say about its history.

``inspect(path_or_metadata)`` runs every rule over one image and returns :class:`Findings`;
``inspect_scan(scan_df)`` does it for every row of a metadata scan and returns one row per
finding (columns :data:`FINDING_COLUMNS`). Each finding has a code, a severity
(``info`` < ``notice`` < ``warning``), a title, a plain-language explanation that says what
the sign does and does not prove, and the evidence (which fields, which values).

No finding is a verdict. Metadata can be removed or forged by anyone; findings say where to
look, and the explanation says what else could explain them. The codes are documented in
docs/forensics.md.
"""

from __future__ import annotations

import json
import logging
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from osint_kit._html import STYLE, esc
from osint_kit._io import read_evidence_head, real_path
from osint_kit.errors import EvidenceError, ImageTooLargeError
from osint_kit.media.forensics.capture_dates import disagreements, read_stamp

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

Severity = Literal["info", "notice", "warning"]
SEVERITIES: tuple[str, ...] = ("info", "notice", "warning")

#: Columns of :func:`inspect_scan` and :meth:`Findings.to_frame` (evidence is a JSON object).
FINDING_COLUMNS: tuple[str, ...] = ("path", "code", "severity", "title", "explanation", "evidence")

#: Two times closer than this count as equal (cameras round; some write a second later).
SAME_TIME_TOLERANCE = timedelta(seconds=2)
#: ModifyDate may trail the capture by in-camera processing; beyond this it is a finding.
MODIFY_TOLERANCE = timedelta(seconds=60)
#: GPS time is the time of the fix, which can be older than the shot: allowed difference.
GPS_TOLERANCE = timedelta(minutes=10)
#: Read at most this many bytes for structural checks (C2PA, JPEG segments).
HEAD_BYTES = 64 << 20

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


@dataclass(frozen=True)
class Finding:
    """One explained sign about an image's history."""

    code: str
    severity: str
    title: str
    explanation: str
    evidence: Mapping[str, str] = field(default_factory=dict)
    path: str | None = None

    def __repr__(self) -> str:
        return f"Finding({self.severity}: {self.code} - {self.title})"

    def to_record(self) -> dict[str, Any]:
        """A flat dict with :data:`FINDING_COLUMNS` (evidence as a JSON object string)."""
        return {
            "path": self.path,
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "explanation": self.explanation,
            "evidence": json.dumps({str(k): str(v) for k, v in self.evidence.items()},
                                   ensure_ascii=False, sort_keys=True),
        }

    def _repr_html_(self) -> str:
        return Findings([self])._repr_html_()


_COLOURS = {"warning": "#fde2e1", "notice": "#fff4d6", "info": "#eef4fb"}


class Findings(Sequence[Finding]):
    """The findings for one image (or several): a sequence with a table and an HTML view."""

    def __init__(self, items: Sequence[Finding] = (), path: str | None = None) -> None:
        order = {s: i for i, s in enumerate(reversed(SEVERITIES))}
        self._items = tuple(sorted(items, key=lambda f: (order.get(f.severity, 9), f.code)))
        self.path = path

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> Findings: ...
    def __getitem__(self, index: int | slice) -> Finding | Findings:
        if isinstance(index, slice):
            return Findings(self._items[index], self.path)
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._items)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self._items)

    def by_severity(self, minimum: str = "notice") -> Findings:
        """Only findings at or above ``minimum`` severity."""
        rank = SEVERITIES.index(minimum)
        return Findings([f for f in self._items if SEVERITIES.index(f.severity) >= rank], self.path)

    def to_frame(self) -> pd.DataFrame:
        """One row per finding with :data:`FINDING_COLUMNS`."""
        import pandas as pd

        return pd.DataFrame([f.to_record() for f in self._items], columns=list(FINDING_COLUMNS))

    def __repr__(self) -> str:
        name = Path(self.path).name if self.path else ""
        inner = ", ".join(f"{f.severity}:{f.code}" for f in self._items)
        return f"Findings({name!r}, {len(self)}: {inner})" if name else f"Findings({len(self)}: {inner})"

    def _repr_html_(self) -> str:
        cell = "border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;"
        parts = []
        if self.path:
            parts.append(f"<h4 style='margin:6px 0 2px 0'>Findings for {esc(Path(self.path).name)}</h4>")
        if not self._items:
            parts.append("<p>No findings.</p>")
            return "".join(parts)
        parts.append(f"<table style='{STYLE}'><thead><tr>")
        for head in ("severity", "finding", "what it means", "evidence"):
            parts.append(f"<th style='{cell}background:#f4f4f4'>{esc(head)}</th>")
        parts.append("</tr></thead><tbody>")
        for f in self._items:
            colour = _COLOURS.get(f.severity, "")
            evidence = "<br>".join(f"<b>{esc(k)}</b>: {esc(v, limit=300)}" for k, v in f.evidence.items())
            parts.append(
                f"<tr><td style='{cell}background:{colour}'>{esc(f.severity)}</td>"
                f"<td style='{cell}'><b>{esc(f.title)}</b><br><code>{esc(f.code)}</code></td>"
                f"<td style='{cell}max-width:48em'>{esc(f.explanation)}</td>"
                f"<td style='{cell}font-size:11px'>{evidence}</td></tr>"
            )
        parts.append("</tbody></table>")
        return "".join(parts)


# --- reading facts from an ImageMetadata or a scan row -----------------------------------------


def _loaded_pandas() -> Any:
    """pandas when something has imported it, else None: a scan row, a Series, NA or a
    Timestamp can only come from pandas, so a path or an ImageMetadata never needs it (and
    the worker of an isolated ``inspect`` starts without importing it)."""
    return sys.modules.get("pandas")


def _get(meta: Any, name: str) -> Any:
    value = meta.get(name) if isinstance(meta, Mapping) else getattr(meta, name, None)
    if value is None:
        return None
    pd = _loaded_pandas()
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _dt(value: Any) -> datetime | None:
    if value is None:
        return None
    pd = _loaded_pandas()
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
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


def _diff(a: datetime, b: datetime) -> tuple[timedelta, str]:
    """a - b; absolute when both are aware, wall-clock otherwise (and say so)."""
    if (a.tzinfo is None) != (b.tzinfo is None):
        return a.replace(tzinfo=None) - b.replace(tzinfo=None), "compared as local clock times"
    if a.tzinfo is None:
        return a - b, "compared as local clock times (offsets unknown)"
    return a - b, "compared as absolute times (offsets known)"


# --- the rules -----------------------------------------------------------------------------------

Rule = Callable[[Any, "_FileFacts | None", "str | None"], list[Finding]]


def rule_editing_software(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
    sources = {
        "EXIF Software": _get(meta, "software"),
        "XMP CreatorTool": _get(meta, "xmp_creator_tool"),
    }
    history = _get(meta, "xmp_history")
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


def rule_dates(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
    out: list[Finding] = []
    original = _dt(_get(meta, "datetime_original"))
    modified = _dt(_get(meta, "datetime_modified"))
    digitized = _dt(_get(meta, "datetime_digitized"))
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
    prov = _get(meta, "provenance")
    if isinstance(prov, str):
        try:
            prov = json.loads(prov)
        except ValueError:
            return ""
    return str(prov.get(name, "")) if isinstance(prov, Mapping) else ""


XMP_CREATE = "XMP xmp:CreateDate"


def rule_capture_dates(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
    """EXIF DateTimeOriginal, IPTC DateCreated(+TimeCreated), XMP xmp:CreateDate and
    photoshop:DateCreated, compared by :mod:`osint_kit.media.forensics.capture_dates`."""
    original = _dt(_get(meta, "datetime_original"))
    iptc_from = _provenance_of(meta, "iptc_date_created")
    fields: list[tuple[str, Any]] = [
        ("EXIF DateTimeOriginal" + ("+OffsetTimeOriginal" if original is not None
                                    and original.tzinfo is not None else ""), original),
        (XMP_CREATE, _get(meta, "xmp_create_date")),
        ("XMP photoshop:DateCreated", _get(meta, "xmp_date_created")),
    ]
    if not iptc_from.startswith("XMP"):  # not the XMP fallback: a date of its own
        fields.insert(1, (iptc_from or "IPTC DateCreated", _get(meta, "iptc_date_created")))
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


def rule_gps_time(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
    original = _dt(_get(meta, "datetime_original"))
    gps = _dt(_get(meta, "gps_timestamp"))
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


def rule_metadata_presence(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
    fmt = (_get(meta, "format") or "").upper()
    if _bool(_get(meta, "has_exif")):
        return []
    evidence: dict[str, str] = {"format": fmt or "unknown", "EXIF": "absent",
                                "XMP": str(_bool(_get(meta, "has_xmp"))),
                                "IPTC": str(_bool(_get(meta, "has_iptc")))}
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


def rule_thumbnail(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
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


def rule_dimensions(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
    ew, eh = _get(meta, "exif_width"), _get(meta, "exif_height")
    w, h = _get(meta, "width"), _get(meta, "height")
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


def rule_maker_note(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
    make = _get(meta, "make")
    if not make or not _bool(_get(meta, "has_exif")) or _bool(_get(meta, "has_maker_note")):
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
        {"Make": str(make), "Model": str(_get(meta, "model") or ""), "MakerNote": "absent"},
        path,
    )]


def rule_c2pa(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
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


def rule_jpeg_quality(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
    if ff is None or ff.quality is None:
        return []
    q = ff.quality
    camera = " ".join(str(x) for x in (_get(meta, "make"), _get(meta, "model")) if x)
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
    noted = _get(meta, "warnings")
    text = noted if isinstance(noted, str) else "; ".join(map(str, noted or ()))
    return [p for p in text.split("; ") if p]


def rule_image_damage(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
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


def rule_reading_problems(meta: Any, ff: _FileFacts | None, path: str | None) -> list[Finding]:
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


# --- facts that need the file itself ------------------------------------------------------------


@dataclass
class _FileFacts:
    quality: Any = None  # JpegQuality
    segments: tuple[tuple[str, int, str], ...] = ()
    thumbnail: Any = None  # ThumbnailComparison
    thumbnail_error: str | None = None
    c2pa: Any = None  # C2paDetection
    decode_error: str | None = None
    #: the decoder refused the declared size (not damage: a 200 MP photo, or a bomb)
    too_large: bool = False
    #: what Pillow warned about while opening and decoding (corrupt EXIF, truncated tags...)
    decoder_warnings: tuple[str, ...] = ()


#: at most this many distinct decoder warnings are kept per file
MAX_DECODER_WARNINGS = 5


def _file_facts(path: str, thumbnail: bytes | None, fmt: str | None, read_c2pa: bool) -> _FileFacts:
    """What the file itself shows; Pillow's warnings while decoding become evidence (for
    :func:`rule_reading_problems`) instead of text printed under the notebook cell."""
    from PIL import Image

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ff = _decoded_facts(path, thumbnail, fmt, read_c2pa)
    notes: dict[str, None] = {}
    for w in caught:
        if (issubclass(w.category, UserWarning)
                and not issubclass(w.category, Image.DecompressionBombWarning)
                and f"{os.sep}PIL{os.sep}" in w.filename):  # what Pillow says about the file
            notes[str(w.message).strip()] = None
        else:  # anything else (deprecations, numpy) goes on to the caller as usual
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    ff.decoder_warnings = tuple(n for n in notes if n)[:MAX_DECODER_WARNINGS]
    return ff


def _decoded_facts(path: str, thumbnail: bytes | None, fmt: str | None,
                   read_c2pa: bool) -> _FileFacts:
    from osint_kit.media.forensics.c2pa import detect_c2pa, read_manifest
    from osint_kit.media.forensics.quality import (
        estimate_quality,
        jpeg_segments,
        quantization_tables,
    )
    from osint_kit.media.forensics.thumbnail import compare_thumbnail, extract_thumbnail
    from osint_kit.media.similar.hashes import load_for_hash, open_image_safely

    ff = _FileFacts()
    head = read_evidence_head(path, HEAD_BYTES)
    det = detect_c2pa(head)
    if det.found and read_c2pa:
        # from the file, not from ``head``: the manifest's hashes cover the whole file, and a
        # file longer than the head would be reported as altered (assertion.dataHash.mismatch)
        manifest, error = read_manifest(path)
        det = type(det)(det.found, det.container, det.offset, det.length, det.labels, manifest, error)
    ff.c2pa = det
    is_jpeg = head[:2] == b"\xff\xd8"
    if is_jpeg:
        ff.segments = tuple(jpeg_segments(head))
        try:
            with open_image_safely(path) as im:
                if tables := quantization_tables(im):
                    ff.quality = estimate_quality(tables)
        except EvidenceError as err:
            ff.decode_error, ff.too_large = err.reason, isinstance(err, ImageTooLargeError)
    try:
        load_for_hash(path, exact=False, transpose=False)
    except EvidenceError as err:
        ff.decode_error, ff.too_large = err.reason, isinstance(err, ImageTooLargeError)
    if ff.decode_error is None:
        try:
            blob = thumbnail if thumbnail is not None else extract_thumbnail(path, isolate=False)
            if blob:
                ff.thumbnail = compare_thumbnail(path, blob, isolate=False)
        except EvidenceError as err:
            ff.thumbnail_error = err.reason
    return ff


def _daylight(meta: Any, path: str | None) -> list[Finding]:
    if path is None or _get(meta, "gps_latitude") is None or _get(meta, "datetime_original") is None:
        return []
    from osint_kit.media.forensics.daylight import check_daylight, mean_luminance

    try:
        with warnings.catch_warnings():
            # the same pixels were decoded for the file facts, whose decoder warnings are
            # already evidence of reading_problems: printed again here they only pile up
            warnings.simplefilter("ignore")
            lum = mean_luminance(real_path(path), isolate=False)
    except EvidenceError as err:
        log.debug("no luminance for %s: %s", path, err)
        return []
    return [_as_finding(f, path) for f in check_daylight(meta, lum)]


def _as_finding(f: Any, path: str | None) -> Finding:
    if isinstance(f, Finding):
        return f
    return Finding(str(f.code), str(f.severity), str(f.title), str(f.explanation),
                   dict(getattr(f, "evidence", {}) or {}), getattr(f, "path", None) or path)


def inspect(
    path_or_metadata: Any,
    read_file: bool = True,
    daylight: bool = True,
    read_c2pa: bool = True,
    *,
    isolate: bool = True,
    timeout: float | None = 60.0,
) -> Findings:
    """Run every rule over one image and return its explained :class:`Findings`.

    Accepts a path (metadata is read with ``read_metadata``), an ``ImageMetadata`` or a scan
    row (a dict / pandas Series with the scan columns). ``read_file`` enables the checks that
    need the bytes (JPEG tables, thumbnail, C2PA, decodability); ``daylight`` the sun check
    when GPS and a capture time exist. A path that cannot be read raises the typed
    EvidenceError of :func:`~osint_kit.media.read.metadata.read_metadata`.

    A path is read in a worker process kept warm between calls (``isolate=True``): a decoder
    that crashes on a crafted file raises WorkerCrashedError, and one that hangs raises
    ProcessingTimeoutError after ``timeout`` seconds, instead of killing or freezing the
    notebook (see :func:`~osint_kit.runner.engine.call_isolated`). ``isolate=False`` reads it
    in this process, with no time limit.
    """
    meta = path_or_metadata
    if isolate and read_file and isinstance(meta, (str, Path)):
        from osint_kit.runner.engine import call_isolated

        found: Findings = call_isolated(_INSPECT_PATH, os.fspath(meta), (daylight, read_c2pa),
                                        timeout)
        return found
    if isinstance(meta, (str, Path)):
        from osint_kit.media.read.metadata import read_metadata

        meta = read_metadata(meta, isolate=False)
    elif (pd := _loaded_pandas()) is not None and isinstance(meta, pd.Series):
        meta = meta.to_dict()
    path = _get(meta, "path")
    path = str(path) if path else None
    ff: _FileFacts | None = None
    if read_file and path is not None:
        thumb = getattr(meta, "thumbnail", None) if not isinstance(meta, Mapping) else None
        # a scan row shows a non-UTF-8 file name with \xNN escapes: read the real file
        ff = _file_facts(real_path(path), thumb, _get(meta, "format"), read_c2pa)
    items: list[Finding] = []
    for rule in RULES:
        items.extend(rule(meta, ff, path))
    if daylight and read_file:
        items.extend(_daylight(meta, path))
    return Findings(items, path)


def _inspect_path(path: str, daylight: bool, read_c2pa: bool) -> Findings:
    """Worker body of an isolated :func:`inspect` of a path."""
    return inspect(path, daylight=daylight, read_c2pa=read_c2pa, isolate=False)


#: what an isolated inspect runs in its worker (a module attribute, so tests can swap it)
_INSPECT_PATH = "osint_kit.media.forensics.findings:_inspect_path"


def _error_finding(path: str, error: str, error_type: str) -> Finding:
    return Finding(
        "unreadable_file",
        "notice",
        "File could not be read",
        "This file could not be analysed, so nothing can be said about it. The reason is "
        "given in the evidence: a damaged or truncated file, a format osint_kit does not "
        "read, or a file too large to open safely. Get another copy if it matters.",
        {"error_type": error_type, "error": error},
        path,
    )


def _inspect_record(rec: dict[str, Any], read_files: bool = True, daylight: bool = True) -> list[dict[str, Any]]:
    """Finding rows of one scan record; never raises for a bad file (worker body)."""
    path = str(rec.get("path") or "")
    err = _get(rec, "error")
    if err:
        return [_error_finding(path, str(err), str(_get(rec, "error_type") or "")).to_record()]
    try:
        found = inspect(rec, read_file=read_files, daylight=daylight)
    except EvidenceError as exc:
        return [_error_finding(path, str(exc), type(exc).__name__).to_record()]
    return [f.to_record() for f in found]


def _inspect_item(
    item: str, records: tuple[dict[str, Any], ...], read_files: bool, daylight: bool
) -> list[dict[str, Any]]:
    """Engine worker body: ``item`` is the record's index (records travel once per worker)."""
    return _inspect_record(records[int(item)], read_files, daylight)


def _item_error(item: str, exc: BaseException) -> dict[str, Any]:
    """Engine ``on_error``: what failed, for the parent to turn into an ``unreadable_file`` row.

    The engine names the item (an index), not the file, so the parent adds the path.
    """
    reason = exc.reason if isinstance(exc, EvidenceError) else str(exc)
    return {"item": item, "error_type": type(exc).__name__, "reason": reason,
            "evidence_error": isinstance(exc, EvidenceError)}


_INSPECT_ITEM = "osint_kit.media.forensics.findings:_inspect_item"
#: Scan rows sent to the workers at a time by :func:`inspect_scan` (each worker holds one
#: batch of records; workers start again for each batch, a fraction of a second).
INSPECT_BATCH = 5000
_ITEM_ERROR = "osint_kit.media.forensics.findings:_item_error"
#: Imported once in the process the local workers fork from, not once per worker.
_INSPECT_PRELOAD = ("PIL.Image", "PIL.JpegImagePlugin", "PIL.PngImagePlugin",
                    "osint_kit.media.similar.hashes", "osint_kit.media.forensics.quality",
                    "osint_kit.media.forensics.thumbnail", "osint_kit.media.forensics.c2pa")


def inspect_scan(
    scan_df: pd.DataFrame,
    read_files: bool = True,
    daylight: bool = True,
    progress: bool = True,
    workers: int | None = 0,
    timeout: float | None = 60.0,
    engine: str = "local",
    client: Any = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Findings for every row of a metadata scan: one row per finding (:data:`FINDING_COLUMNS`).

    Rows whose scan failed, and files that fail here, give an ``unreadable_file`` row with
    the error in its evidence: a batch never stops on one bad file. Rows come in the order
    of ``scan_df``. Runs on the batch engine of :mod:`osint_kit.runner.engine` (as ``scan``
    does): ``workers`` > 1 runs files in worker processes (None = the CPUs available;
    default 0 = in this process); ``timeout`` is the per-file limit in seconds (a file over
    it becomes an ``unreadable_file`` row with ``ProcessingTimeoutError``);
    ``engine="dask"`` runs on ``client`` or the default ``distributed`` client. The scan
    records travel to the workers in batches of :data:`INSPECT_BATCH` rows, so memory does
    not grow with the size of the scan.
    """
    from osint_kit.runner.engine import FileMapper, _progress_bar

    n = len(scan_df)
    n_workers = None if workers is None else max(0, int(workers))
    if engine == "local" and (n < 8 or (n_workers is not None and n_workers <= 1)):
        n_workers = 0  # in this process: starting workers costs more than a few files
    rows: list[dict[str, Any]] = []
    bar = _progress_bar(n, "inspecting", progress)
    try:
        for start in range(0, n, INSPECT_BATCH):
            records = tuple(cast(list[dict[str, Any]],
                                 scan_df.iloc[start : start + INSPECT_BATCH].to_dict("records")))
            with FileMapper(
                _INSPECT_ITEM, (records, read_files, daylight), _ITEM_ERROR, n_workers, engine,
                timeout, client, preload=_INSPECT_PRELOAD, keep_pool=False,
            ) as mapper:
                results = mapper.map([str(i) for i in range(len(records))], chunk_size,
                                     bar.update)
            rows.extend(_finding_rows(records, results))
    finally:
        bar.close()
    import pandas as pd

    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def _finding_rows(records: tuple[dict[str, Any], ...], results: list[Any]
                  ) -> list[dict[str, Any]]:
    """The finding rows of one batch, errors turned into ``unreadable_file`` rows."""
    rows: list[dict[str, Any]] = []
    for rec, res in zip(records, results, strict=True):
        if isinstance(res, dict):  # from _item_error: a timeout, a crash, an unexpected error
            path = str(rec.get("path") or "")
            message = f"{path}: {res['reason']}" if res["evidence_error"] else str(res["reason"])
            rows.append(_error_finding(path, message, str(res["error_type"])).to_record())
        else:
            rows.extend(res)
    return rows
