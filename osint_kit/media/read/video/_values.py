"""Turning raw video tags into the record's values: ISO 6709 places, dates, rotation, sanity.

Pure functions over strings and numbers, shared by the QuickTime and the PyAV paths of
:mod:`osint_kit.media.read.video`.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone

#: seconds between 1904-01-01 (QuickTime's epoch) and 1970-01-01
QT_EPOCH_OFFSET = 2_082_844_800
#: Declared values above these are not believed (kept in ``tags``, field left empty).
MAX_DURATION_S = 30 * 24 * 3600.0
MAX_FRAMES = 1_000_000_000
MAX_FPS = 1000.0
MAX_SIDE = 16384

CREATED_ASSUMPTION_QT = (
    "The movie header time is read as UTC, as the QuickTime and ISO standards define it; many "
    "phones and cameras write local time there instead, so check it against created_local or "
    "another clock before trusting the hour.")
CREATED_ASSUMPTION_TAG = (
    "The container's creation tag ({tag}) is read as UTC because it carries a zone marker; "
    "the device's clock and time zone setting are not known, so check it against another "
    "clock before trusting the hour.")
CREATED_ASSUMPTION_NAIVE = (
    "The container's creation tag ({tag}) has no zone: it is read as UTC by assumption (FFmpeg "
    "writes UTC there), but a camera may have written local time.")

_ISO6709 = re.compile(r"^\s*([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)?")
_DATE = re.compile(
    r"^\s*(\d{4})[-:](\d{2})[-:](\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$")


def _sexagesimal(text: str, degree_digits: int) -> float:
    """An ISO 6709 component in degrees: ±DD.D, ±DDMM.M or ±DDMMSS.S (by its integer digits)."""
    sign = -1.0 if text[0] == "-" else 1.0
    body = text[1:]
    whole, _, frac = body.partition(".")
    digits = len(whole)
    value = float(body) if body not in ("", ".") else 0.0
    if digits <= degree_digits:
        return sign * value
    if digits <= degree_digits + 2:
        deg, minutes = int(whole[:-2]), float(whole[-2:] + "." + (frac or "0"))
        return sign * (deg + minutes / 60)
    deg, minutes = int(whole[:-4]), int(whole[-4:-2])
    seconds = float(whole[-2:] + "." + (frac or "0"))
    return sign * (deg + minutes / 60 + seconds / 3600)


def parse_iso6709(text: str) -> tuple[float, float, float | None] | None:
    """(latitude, longitude, altitude or None) of an ISO 6709 string such as
    ``+42.4214+130.6081+000.000/``; None when it is not one or is out of range."""
    m = _ISO6709.match(text or "")
    if not m:
        return None
    try:
        lat = _sexagesimal(m.group(1), 2)
        lon = _sexagesimal(m.group(2), 3)
        alt = float(m.group(3)) if m.group(3) else None
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not all(
            math.isfinite(v) for v in (lat, lon, alt if alt is not None else 0.0)):
        return None
    return lat, lon, alt


def parse_xmp_gps(text: str | None, negative: str) -> float | None:
    """An XMP exif:GPSLatitude/Longitude (``42,25.284N``, ``42,25,17.04N`` or decimal)."""
    if not text:
        return None
    t = text.strip().upper()
    sign = 1.0
    if t and t[-1] in "NSEW":
        sign = -1.0 if t[-1] == negative else 1.0
        t = t[:-1]
    try:
        parts = [float(x) for x in t.split(",")]
    except ValueError:
        return None
    if not parts or len(parts) > 3:
        return None
    value = parts[0] + sum(p / 60 ** (i + 1) for i, p in enumerate(parts[1:]))
    return sign * value if math.isfinite(value) else None


def parse_tag_date(text: str | None) -> tuple[datetime, bool] | None:
    """(datetime, has_zone) of a date tag: ``2022-11-18T10:30:00+0900``, ``...Z``,
    ``2022:11:18 10:30:00``; the datetime is aware when the text has a zone, naive otherwise."""
    m = _DATE.match(text or "")
    if not m:
        return None
    y, mo, d, h, mi = (int(m.group(i)) for i in range(1, 6))
    s = int(m.group(6) or 0)
    micro = int((m.group(7) or "0")[:6].ljust(6, "0"))
    zone = m.group(8)
    tz: timezone | None = None
    if zone == "Z":
        tz = UTC
    elif zone:
        z = zone.replace(":", "")
        minutes = int(z[1:3]) * 60 + int(z[3:5])
        if minutes > 18 * 60:
            return None
        tz = timezone(timedelta(minutes=-minutes if z[0] == "-" else minutes))
    try:
        return datetime(y, mo, d, h, mi, s, micro, tzinfo=tz), zone is not None
    except ValueError:
        return None


def qt_time(seconds: int) -> datetime | None:
    """A QuickTime time (seconds since 1904-01-01 UTC) as an aware datetime; None for 0
    (unset) or a value past year 9999."""
    if seconds <= 0:
        return None
    try:
        return datetime(1904, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    except OverflowError:
        return None


def rotation_of(matrix: tuple[float, ...]) -> tuple[int, bool]:
    """(clockwise degrees 0/90/180/270, exact) of a track's display matrix.

    The matrix [a b u; c d v; x y w] maps (x, y) to (a x + c y, b x + d y); a phone's portrait
    clip has a=0, b=1, c=-1, d=0 (ExifTool's "Rotation 90"). A matrix that is not a pure quarter
    turn (scaled, skewed, mirrored) gives the nearest quarter turn and ``exact=False``."""
    a, b, c, d = matrix[0], matrix[1], matrix[3], matrix[4]
    exact: dict[tuple[float, ...], int] = {(1, 0, 0, 1): 0, (0, 1, -1, 0): 90, (-1, 0, 0, -1): 180, (0, -1, 1, 0): 270}
    key = (round(a, 6), round(b, 6), round(c, 6), round(d, 6))
    if key in exact:
        return exact[key], True
    angle = math.degrees(math.atan2(b, a)) if (a or b) else 0.0
    return round(angle / 90.0) % 4 * 90, False


def sane(value: float | None, limit: float, what: str, warn: list[str]) -> float | None:
    """The value when finite and in (0, limit]; else None, with a warning when it was set."""
    if value is None:
        return None
    if not math.isfinite(value) or value <= 0 or value > limit:
        if value != 0:
            warn.append(f"declared {what} of {value!r} is not plausible (limit {limit:g}): "
                        "left empty, the raw value is in tags")
        return None
    return value
