"""Do the capture dates of one file agree? EXIF DateTimeOriginal, IPTC DateCreated(+TimeCreated)
and XMP xmp:CreateDate / photoshop:DateCreated all say when the picture was taken.

Pure comparison (the finding built on it is ``capture_dates_disagree`` in
:mod:`osint_kit.media.forensics.inspect`). A difference counts only when nothing innocent explains it:

* both stamps carry a UTC offset: compared as absolute times, within
  :data:`SAME_INSTANT` (a minute when either is written to the minute only);
* either offset is unknown (EXIF without OffsetTimeOriginal, XMP without a zone): a
  difference that a UTC offset could make (a whole quarter of an hour, at most 14 hours) is
  explained, as when a camera writes local time and a program writes UTC;
* a date without a time (IPTC DateCreated alone, XMP "2022-11-18"): the dates may differ by
  one day (the other stamp may be in another zone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

#: Two stamps written to the second agree within this (cameras and programs round).
SAME_INSTANT = timedelta(seconds=2)
#: A difference an unknown UTC offset can explain: at most this, in quarter hours.
MAX_OFFSET_GAP = timedelta(hours=14)
_QUARTER = timedelta(minutes=15)

_STAMP_RE = re.compile(
    r"^(?P<y>\d{4})[-:](?P<m>\d{2})[-:](?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Stamp:
    """One capture date as written: ``wall`` is the clock reading, ``offset`` its UTC offset
    (None when unknown), ``step`` how finely it is written (1 s, 1 min, or a day)."""

    field: str
    written: str
    wall: datetime
    offset: timedelta | None
    step: timedelta

    @property
    def date_only(self) -> bool:
        return self.step >= timedelta(days=1)


def read_stamp(field: str, value: object) -> Stamp | None:
    """A :class:`Stamp` from a datetime or ISO/EXIF-style text; None when it cannot be read
    (partial dates such as "2022-11" are too coarse to compare)."""
    if isinstance(value, datetime):
        return Stamp(field, value.isoformat(), value.replace(tzinfo=None), value.utcoffset(),
                     timedelta(seconds=1))
    if not isinstance(value, str):
        return None
    m = _STAMP_RE.match(value.strip())
    if m is None:
        return None
    try:
        wall = datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"] or 0),
                        int(m["M"] or 0), int(m["S"] or 0))
    except ValueError:
        return None
    offset: timedelta | None = None
    if m["z"]:
        z = m["z"].upper()
        if z != "Z":
            digits = z[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:])
            if hours > 23 or minutes > 59:
                return None
            offset = timedelta(hours=hours, minutes=minutes) * (-1 if z[0] == "-" else 1)
        else:
            offset = timedelta(0)
    if m["H"] is None:
        step = timedelta(days=1)
    else:
        step = timedelta(seconds=1) if m["S"] else timedelta(minutes=1)
    return Stamp(field, value.strip(), wall, offset, step)


@dataclass(frozen=True)
class Gap:
    """Two stamps that disagree: ``difference`` is ``a - b`` (absolute when both offsets are
    known, else between the clock readings or dates), ``comparison`` says which."""

    a: Stamp
    b: Stamp
    difference: timedelta
    comparison: str


def _gap(a: Stamp, b: Stamp) -> Gap | None:
    if a.date_only or b.date_only:
        da: date = a.wall.date()
        db: date = b.wall.date()
        diff = da - db
        if abs(diff) <= timedelta(days=1):
            return None
        return Gap(a, b, diff, "compared as dates (one has no time; one day allowed for zones)")
    tolerance = max(SAME_INSTANT, a.step, b.step)
    if a.offset is not None and b.offset is not None:
        diff = (a.wall - a.offset) - (b.wall - b.offset)
        if abs(diff) <= tolerance:
            return None
        return Gap(a, b, diff, "compared as absolute times (both offsets known)")
    diff = a.wall - b.wall
    if abs(diff) <= tolerance:
        return None
    off_quarter = abs(diff - round(diff / _QUARTER) * _QUARTER)
    if abs(diff) <= MAX_OFFSET_GAP and off_quarter <= tolerance:
        return None  # an unknown UTC offset explains it
    return Gap(a, b, diff, "compared as clock times (an offset is unknown; a difference a "
                           "time zone could make is allowed)")


def disagreements(stamps: list[Stamp]) -> list[Gap]:
    """Every pair of stamps that disagrees beyond what offsets and precision explain."""
    out = []
    for i, a in enumerate(stamps):
        for b in stamps[i + 1 :]:
            gap = _gap(a, b)
            if gap is not None:
                out.append(gap)
    return out

