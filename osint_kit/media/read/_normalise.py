"""Turn exifread tags into normalised values (datetimes, offsets, GPS, text encodings).

Each helper returns the value or None and appends a human-readable note to ``warnings`` when
a tag is present but unusable. Nothing is guessed: a missing offset stays None.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

_DT = re.compile(r"^\s*(\d{4})[:\-/.](\d{2})[:\-/.](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")
_DATE = re.compile(r"^\s*(\d{4})[:\-/.](\d{2})[:\-/.](\d{2})\s*$")


def short(value: Any, limit: int = 60) -> str:
    """repr() of a value for a warning message, cut to ``limit`` characters."""
    text_ = repr(value)
    return text_ if len(text_) <= limit else text_[: limit - 1] + "…"


def text(tag: Any) -> str | None:
    """ASCII tag -> stripped text, None when absent or blank."""
    if tag is None:
        return None
    values = tag.values if hasattr(tag, "values") else tag
    if isinstance(values, bytes):
        values = values.decode("utf-8", errors="replace")
    if isinstance(values, list):
        values = tag.printable if hasattr(tag, "printable") else str(values)
    out = str(values).replace("\x00", "").strip()
    return out or None


def integer(tag: Any) -> int | None:
    if tag is None or not getattr(tag, "values", None):
        return None
    value = tag.values[0] if isinstance(tag.values, list) else tag.values
    if isinstance(value, tuple):
        value = value[0]
    try:
        return int(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None


def ratio(value: Any) -> float | None:
    """An exifread Ratio / int / float tuple -> float; None for a zero denominator."""
    if isinstance(value, tuple):
        value = value[0] if value else None
    if value is None:
        return None
    den = getattr(value, "_denominator", None)
    if den == 0:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return out if out == out else None


def offset(raw: str | None, name: str, warnings: list[str]) -> str | None:
    """'+05:30' style offset, validated; None (offset unknown) when absent or invalid."""
    if raw is None or not raw.strip(" :\x00"):
        return None
    m = _OFFSET.match(raw)
    if not m:
        warnings.append(f"{name} {short(raw)} is not a ±HH:MM offset; offset treated as unknown")
        return None
    sign, hh, mm = m.groups()
    if int(hh) > 14 or int(mm) > 59:
        warnings.append(f"{name} {short(raw)} is out of range; offset treated as unknown")
        return None
    return f"{sign}{hh}:{mm}"


def tz_of(off: str) -> timezone:
    sign = -1 if off[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(off[1:3]), minutes=int(off[4:6])))


def exif_datetime(raw: str | None, name: str, off: str | None, warnings: list[str]
                  ) -> datetime | None:
    """'YYYY:MM:DD HH:MM:SS' -> datetime, aware only when ``off`` is known."""
    if raw is None:
        return None
    m = _DT.match(raw)
    if not m:
        if raw.strip(" :0\x00"):
            warnings.append(f"{name} {short(raw)} is not an EXIF date-time; ignored")
        else:
            warnings.append(f"{name} is blank or all zeros (camera clock not set?)")
        return None
    parts = [int(p) for p in m.groups()]
    if parts[0] == 0:
        warnings.append(f"{name} {short(raw)} has year 0 (camera clock not set?)")
        return None
    try:
        value = datetime(*parts)  # type: ignore[arg-type]
    except ValueError as err:
        warnings.append(f"{name} {short(raw)} is not a valid date-time ({err})")
        return None
    return value.replace(tzinfo=tz_of(off)) if off else value


def gps_coordinate(tag: Any, ref: str | None, name: str, limit: float, negative: str,
                   warnings: list[str]) -> float | None:
    """Degrees/minutes/seconds rationals + hemisphere ref -> signed decimal degrees."""
    if tag is None:
        return None
    values = tag.values if isinstance(tag.values, list) else [tag.values]
    parts = [ratio(v) for v in values[:3]]
    if not parts or any(p is None for p in parts):
        warnings.append(f"GPS {name} {short(text(tag))} has a zero denominator or bad value; ignored")
        return None
    nums = [float(p) for p in parts if p is not None]
    nums += [0.0] * (3 - len(nums))
    value = nums[0] + nums[1] / 60.0 + nums[2] / 3600.0
    if not 0.0 <= value <= limit:
        warnings.append(f"GPS {name} {value} is outside 0..{limit}; ignored")
        return None
    ref_clean = (ref or "").strip().upper()[:1]
    if not ref_clean:
        warnings.append(f"GPS {name}Ref is missing; assumed {'N' if limit == 90 else 'E'}")
    elif ref_clean == negative:
        value = -value
    return value


def gps_timestamp(time_tag: Any, date_raw: str | None, warnings: list[str]) -> datetime | None:
    """GPSDateStamp + GPSTimeStamp -> aware UTC datetime (GPS time is UTC)."""
    if time_tag is None or date_raw is None:
        return None
    m = _DATE.match(date_raw)
    if not m:
        warnings.append(f"GPSDateStamp {short(date_raw)} is not YYYY:MM:DD; GPS time ignored")
        return None
    values = time_tag.values if isinstance(time_tag.values, list) else [time_tag.values]
    hms = [ratio(v) for v in values[:3]]
    if len(hms) < 3 or any(v is None for v in hms):
        warnings.append("GPSTimeStamp has a zero denominator or missing part; GPS time ignored")
        return None
    h, mi, s = (float(v) for v in hms if v is not None)
    try:
        day = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=UTC)
    except ValueError as err:
        warnings.append(f"GPSDateStamp {short(date_raw)} is invalid ({err}); GPS time ignored")
        return None
    if not (0 <= h < 24 and 0 <= mi < 60 and 0 <= s < 61):
        warnings.append(f"GPSTimeStamp {h}:{mi}:{s} is out of range; GPS time ignored")
        return None
    return day + timedelta(hours=h, minutes=mi, seconds=round(s, 6))


def xp_text(tag: Any) -> str | None:
    """Windows XP* tags are UTF-16LE byte arrays ending in NULs."""
    if tag is None:
        return None
    values = tag.values
    if isinstance(values, str):
        return values.strip("\x00 ") or None
    try:
        raw = bytes(values)  # the usual case: BYTE values 0..255
    except (TypeError, ValueError):
        try:
            raw = bytes(int(v) & 0xFF for v in values)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return None  # not bytes (a crafted type: rationals with a zero denominator...)
    out = raw.decode("utf-16-le", errors="replace").split("\x00", 1)[0].strip()
    return out or None


def user_comment(raw: bytes | None, endian: str) -> str | None:
    """EXIF UserComment: an 8-byte charset header (ASCII/UNICODE/JIS/undefined) then text."""
    if not raw:
        return None
    head, body = raw[:8], raw[8:]
    if head.startswith(b"ASCII"):
        out = body.decode("latin-1")
    elif head.startswith(b"UNICODE"):
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            out = body.decode("utf-16", errors="replace")
        else:
            out = body.decode("utf-16-le" if endian == "I" else "utf-16-be", errors="replace")
    elif head.startswith(b"JIS"):
        out = body.decode("shift_jis", errors="replace")
    else:
        data = body if head == b"\x00" * 8 else raw
        try:
            out = data.decode("utf-8")
        except UnicodeDecodeError:
            out = data.decode("latin-1")
    out = out.replace("\x00", "").strip()
    return out or None


def iptc_date(date: str | None, time: str | None, warnings: list[str]) -> str | None:
    """IPTC CCYYMMDD [+ HHMMSS±HHMM] -> ISO 8601 text, or the raw text with a warning."""
    if not date:
        return None
    d = date.strip()
    if not re.fullmatch(r"\d{8}", d):
        warnings.append(f"IPTC DateCreated {short(date)} is not CCYYMMDD; kept as written")
        return d
    iso = f"{d[:4]}-{d[4:6]}-{d[6:]}"
    if time:
        t = time.strip()
        m = re.fullmatch(r"(\d{2})(\d{2})(\d{2})([+-]\d{4})?", t)
        if m:
            iso += f"T{m.group(1)}:{m.group(2)}:{m.group(3)}"
            if m.group(4):
                iso += f"{m.group(4)[:3]}:{m.group(4)[3:]}"
        else:
            warnings.append(f"IPTC TimeCreated {short(time)} is not HHMMSS±HHMM; date kept alone")
    return iso
