"""The uncertain date: an interval in UTC plus its precision, original text and provenance.

A :class:`When` never pretends to know more than its source: "November 2022" is the whole
month, "mid-November" is the 11th to the 20th, a camera's naive local time with an unknown
UTC offset is a 26-hour window. Both bounds are *inclusive* and timezone-aware UTC; ``latest``
is the last microsecond that is still inside (the end of a day is 23:59:59.999999).

Ordering and overlap are defined on intervals:

* ``a.before(b)``: every instant of ``a`` is earlier than every instant of ``b``;
* ``a.overlaps(b)``: the two intervals share at least one instant;
* ``a < b`` sorts by ``(earliest, latest)`` (a total order for sorting, not a claim that
  ``a`` happened first: use :meth:`When.before` for that).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from osint_kit._html import kv_table
from osint_kit.errors import DateError, MissingReferenceError

UTC = dt.UTC
ONE_US = dt.timedelta(microseconds=1)
#: Possible range of real-world UTC offsets, used when a local time's offset is unknown.
MIN_OFFSET = dt.timedelta(hours=-12)
MAX_OFFSET = dt.timedelta(hours=14)
#: ``tz`` value of a When whose local time had no known UTC offset.
UNKNOWN_TZ = "unknown"


class Precision(enum.Enum):
    """How finely a date was stated; ordered from coarse (year) to fine (second)."""

    YEAR = "year"
    MONTH = "month"
    WEEK = "week"
    DAY = "day"
    HOUR = "hour"
    MINUTE = "minute"
    SECOND = "second"

    @property
    def rank(self) -> int:
        """0 for year ... 6 for second (larger is finer)."""
        return _RANK[self]

    def coarser(self, other: Precision) -> Precision:
        """The coarser of two precisions."""
        return self if self.rank <= other.rank else other

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Precision):
            return NotImplemented
        return self.rank < other.rank


_RANK = {p: i for i, p in enumerate(Precision)}


@functools.lru_cache(maxsize=256)
def get_tz(name: str) -> dt.tzinfo:
    """A tzinfo for an IANA name ("Europe/Warsaw"), "UTC"/"Z" or a fixed offset ("+05:30")."""
    text = name.strip()
    if text.upper() in {"UTC", "Z", "GMT", "+00:00", "00:00"}:
        return UTC
    if text[:1] in "+-" and len(text) in (3, 5, 6):
        digits = text[1:].replace(":", "")
        if digits.isdigit():
            hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
            if hours > 23 or minutes > 59:
                raise DateError(
                    f"impossible UTC offset {name!r}: offsets lie between -23:59 and +23:59 "
                    "(real zones use -12:00 to +14:00)"
                )
            delta = dt.timedelta(hours=hours, minutes=minutes)
            return dt.timezone(-delta if text[0] == "-" else delta)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError) as err:  # OSError: name too long
        raise DateError(
            f"unknown timezone {name!r}: give an IANA name such as 'Europe/Warsaw', "
            "'UTC', or a fixed offset such as '+05:30'"
        ) from err


def tz_name(tzinfo: dt.tzinfo | None) -> str:
    """A string naming ``tzinfo`` that :func:`get_tz` understands again."""
    if tzinfo is None:
        return UNKNOWN_TZ
    key = getattr(tzinfo, "key", None)
    if isinstance(key, str):
        return key
    if tzinfo is UTC:
        return "UTC"
    offset = tzinfo.utcoffset(None)
    if offset is None:
        return UNKNOWN_TZ
    return format_offset(offset)


def format_offset(offset: dt.timedelta) -> str:
    """``+05:30`` style text for a UTC offset (seconds are not used by real zones)."""
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    total = abs(total)
    return f"{sign}{total // 3600:02d}:{(total % 3600) // 60:02d}"


def as_utc(value: dt.datetime) -> dt.datetime:
    """Convert an aware datetime to UTC; refuse naive ones (they hide a timezone guess)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise DateError(
            f"naive datetime {value.isoformat()} has no timezone; attach one "
            "(value.replace(tzinfo=ZoneInfo(...))) or use When.from_local(..., tz=...)"
        )
    return value.astimezone(UTC)


def _add_months(value: dt.datetime, months: int) -> dt.datetime:
    """Shift by whole months, clamping the day (31 Dec + 4 months is 30 Apr, not an error)."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = index // 12, index % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def period_bounds(
    local: dt.datetime, precision: Precision
) -> tuple[dt.datetime, dt.datetime]:
    """Naive local start of the period containing ``local`` and start of the next one."""
    naive = local.replace(tzinfo=None)
    if precision is Precision.YEAR:
        start = naive.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        return start, start.replace(year=start.year + 1)
    if precision is Precision.MONTH:
        start = naive.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return start, _add_months(start, 1)
    if precision is Precision.WEEK:
        day = naive.replace(hour=0, minute=0, second=0, microsecond=0)
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=7)
    if precision is Precision.DAY:
        start = naive.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, start + dt.timedelta(days=1)
    if precision is Precision.HOUR:
        start = naive.replace(minute=0, second=0, microsecond=0)
        return start, start + dt.timedelta(hours=1)
    if precision is Precision.MINUTE:
        start = naive.replace(second=0, microsecond=0)
        return start, start + dt.timedelta(minutes=1)
    start = naive.replace(microsecond=0)
    return start, start + dt.timedelta(seconds=1)


def localize(naive: dt.datetime, tz: str) -> dt.datetime:
    """Attach zone ``tz`` to a naive local datetime (first occurrence on DST folds)."""
    return naive.replace(tzinfo=get_tz(tz), fold=0)


def local_bounds(when: When, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """Naive local ``[start, end)`` of a When in ``zone`` (UTC for ``"unknown"``)."""
    info = UTC if zone == UNKNOWN_TZ else get_tz(zone)
    start = when.earliest.astimezone(info).replace(tzinfo=None)
    end = (when.latest + ONE_US).astimezone(info).replace(tzinfo=None)
    return start, end


def utc_bounds(start: dt.datetime, end: dt.datetime, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """Inclusive UTC bounds of the naive local ``[start, end)`` in ``zone``."""
    if zone == UNKNOWN_TZ:
        return start.replace(tzinfo=UTC), end.replace(tzinfo=UTC) - ONE_US
    return localize(start, zone).astimezone(UTC), localize(end, zone).astimezone(UTC) - ONE_US


def reference_start(ref: When, zone: str) -> dt.datetime:
    """The naive local start of a reference in ``zone``: what "the reference day" means.

    A reference read with an unknown offset was widened by -12h..+14h; its own start is
    taken back (otherwise 2023-01-20 with ``tz="unknown"`` would start on the 19th).
    """
    if zone == UNKNOWN_TZ:
        start = ref.earliest + MAX_OFFSET if ref.tz == UNKNOWN_TZ else ref.earliest
        return start.replace(tzinfo=None)
    return ref.earliest.astimezone(get_tz(zone)).replace(tzinfo=None)


def missing_reference(text: str) -> MissingReferenceError:
    """The error for relative text read without a reference (one wording for every rule)."""
    return MissingReferenceError(
        f"{text!r} is relative (its meaning depends on when it was written): pass "
        "reference= the publication or capture date it should be counted from, e.g. "
        "parse_when(text, reference=datetime.date(2023, 1, 21), tz='Europe/Warsaw')"
    )


def reference_label(ref: When, zone: str) -> str:
    """How a reference is named in provenance: its day (or instant) and the zone."""
    start = reference_start(ref, zone)
    if ref.precision is Precision.DAY and not ref.is_exact:
        return f"{start.date().isoformat()} ({zone})"
    return f"{start.isoformat()} ({zone})"


@functools.total_ordering
@dataclass(frozen=True, eq=True)
class When:
    """An uncertain point in time: the closed interval ``[earliest, latest]`` in UTC.

    ``precision`` is the granularity of the statement, ``text`` the words it came from,
    ``tz`` the timezone the words were read in (IANA name, fixed offset, or ``"unknown"``),
    ``provenance`` how it was resolved (e.g. "'Friday' resolved against reference
    2023-01-21 (Europe/Warsaw)"), ``reference`` the reference instant used, if any.

    ``candidates`` holds the separate readings when the words allow more than one ("11/12/2022":
    11 December or 12 November): the interval then spans all of them, so nothing downstream
    treats one reading as fact, and :attr:`ambiguous` is True.
    """

    earliest: dt.datetime
    latest: dt.datetime
    precision: Precision
    text: str = ""
    tz: str = "UTC"
    provenance: str = ""
    reference: dt.datetime | None = field(default=None, compare=False)
    candidates: tuple[When, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        earliest = as_utc(self.earliest)
        latest = as_utc(self.latest)
        if latest < earliest:
            raise DateError(
                f"interval ends before it starts ({earliest.isoformat()} > "
                f"{latest.isoformat()}) for {self.text!r}"
            )
        object.__setattr__(self, "earliest", earliest)
        object.__setattr__(self, "latest", latest)
        if not isinstance(self.precision, Precision):
            object.__setattr__(self, "precision", Precision(self.precision))

    # --- constructors -------------------------------------------------------------------

    @classmethod
    def exact(cls, value: dt.datetime, text: str = "", provenance: str = "exact") -> When:
        """A point in time known to the microsecond; keeps its offset/zone in ``tz``."""
        utc = as_utc(value)
        return cls(utc, utc, Precision.SECOND, text or value.isoformat(),
                   tz_name(value.tzinfo), provenance)

    @classmethod
    def from_local(
        cls,
        local: dt.datetime,
        precision: Precision,
        tz: str,
        text: str = "",
        provenance: str = "",
    ) -> When:
        """The whole period (of ``precision``) containing naive local time ``local`` in ``tz``.

        ``tz="unknown"`` widens the period by the full range of UTC offsets (-12h..+14h).
        """
        start, end = period_bounds(local, precision)
        if tz == UNKNOWN_TZ:
            earliest = (start - MAX_OFFSET).replace(tzinfo=UTC)
            latest = (end - MIN_OFFSET).replace(tzinfo=UTC) - ONE_US
            note = "local time with unknown UTC offset: widened to UTC-12..UTC+14"
            provenance = f"{provenance}; {note}" if provenance else note
        else:
            earliest = localize(start, tz).astimezone(UTC)
            latest = localize(end, tz).astimezone(UTC) - ONE_US
        return cls(earliest, latest, precision, text, tz, provenance)

    # --- interval algebra ---------------------------------------------------------------

    @property
    def duration(self) -> dt.timedelta:
        """Length of the interval (0 for an exact instant)."""
        return self.latest - self.earliest

    @property
    def is_exact(self) -> bool:
        """True when the interval is shorter than one second (a point on a plot)."""
        return self.duration < dt.timedelta(seconds=1)

    @property
    def ambiguous(self) -> bool:
        """True when the words allow several readings (listed in :attr:`candidates`)."""
        return len(self.candidates) > 1

    @property
    def midpoint(self) -> dt.datetime:
        return self.earliest + self.duration / 2

    def overlaps(self, other: When) -> bool:
        """True when both intervals share at least one instant."""
        return self.earliest <= other.latest and other.earliest <= self.latest

    def before(self, other: When) -> bool:
        """True when this interval ends strictly before ``other`` starts."""
        return self.latest < other.earliest

    def after(self, other: When) -> bool:
        """True when this interval starts strictly after ``other`` ends."""
        return self.earliest > other.latest

    def contains(self, other: When | dt.datetime) -> bool:
        """True when ``other`` (an instant or interval) lies entirely inside this one."""
        if isinstance(other, dt.datetime):
            instant = as_utc(other)
            return self.earliest <= instant <= self.latest
        return self.earliest <= other.earliest and other.latest <= self.latest

    def intersection(self, other: When) -> When | None:
        """The common part of two intervals, or None when they do not overlap."""
        if not self.overlaps(other):
            return None
        return replace(
            self,
            earliest=max(self.earliest, other.earliest),
            latest=min(self.latest, other.latest),
            precision=self.precision if self.precision.rank >= other.precision.rank
            else other.precision,
            text=f"{self.text} ∩ {other.text}",
            provenance=f"intersection of ({self.provenance}) and ({other.provenance})",
        )

    def _key(self) -> tuple[dt.datetime, dt.datetime]:
        return (self.earliest, self.latest)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._key() < other._key()

    def local(self, tz: str | None = None) -> tuple[dt.datetime, dt.datetime]:
        """Both bounds in ``tz`` (default: the When's own zone; UTC when that is unknown)."""
        zone = tz or self.tz
        info = UTC if zone == UNKNOWN_TZ else get_tz(zone)
        return self.earliest.astimezone(info), self.latest.astimezone(info)

    def describe(self) -> str:
        """A short human description of the interval in its own zone."""
        start, end = self.local()
        zone = "UTC" if self.tz == UNKNOWN_TZ else self.tz
        if self.is_exact:
            return f"{start.isoformat()} ({zone})"
        fmt = {
            Precision.YEAR: "%Y", Precision.MONTH: "%Y-%m", Precision.WEEK: "%Y-%m-%d",
            Precision.DAY: "%Y-%m-%d", Precision.HOUR: "%Y-%m-%d %H:00",
            Precision.MINUTE: "%Y-%m-%d %H:%M", Precision.SECOND: "%Y-%m-%d %H:%M:%S",
        }[self.precision]
        first, last = start.strftime(fmt), end.strftime(fmt)
        span = first if first == last else f"{first} .. {last}"
        return f"{span} ({zone})"

    def __repr__(self) -> str:
        readings = f", {len(self.candidates)} readings" if self.ambiguous else ""
        return (
            f"When({self.describe()!r}, precision={self.precision.value}, "
            f"text={self.text!r}{readings})"
        )

    def _repr_html_(self) -> str:
        return kv_table(
            [
                ("text", self.text),
                ("earliest (UTC)", self.earliest.isoformat()),
                ("latest (UTC)", self.latest.isoformat()),
                ("precision", self.precision.value),
                ("timezone", self.tz),
                ("provenance", self.provenance),
                *[(f"reading {i}", c.describe()) for i, c in enumerate(self.candidates, 1)],
            ],
            title=f"When: {self.describe()}",
        )
