"""Parts of periods: "mid-November", "around 2022", "the first week of March 2023", "Q3 2022",
"the second half of 2022", "summer 2022", "earlier this week" (and their Polish and Russian
forms).

Each rule keeps whole days and says in the provenance which convention it used:

* the n-th **week** of a month or year is calendar days 7n-6 .. 7n (1-7, 8-14, ...; the
  last week is the last seven days), not an ISO week;
* a **half** of a year is January-June / July-December, of a month the 1st-15th / 16th-end;
* a **quarter** is a calendar quarter (Q1 = January-March); a company's fiscal year may differ;
* a **season** is meteorological (whole months: spring March-May, summer June-August, autumn
  September-November, winter December-February) in the northern hemisphere unless
  ``hemisphere="south"``; "winter 2022" could be the winter that ends in 2022 or the one that
  starts in it, so both are kept (write "winter 2022/23" to settle it);
* "earlier this week/month/year" runs from the start of the reference's period to the end of
  the reference day; "later this ..." from the start of the reference day to the period's end.

The functions take the inner period already parsed (a callable), so this module does not
depend on the parser that calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from osint_kit.errors import DateError, UnparseableDateError
from osint_kit.timeline.when import (
    Precision,
    When,
    _add_months,
    local_bounds,
    missing_reference,
    period_bounds,
    reference_label,
    reference_start,
    utc_bounds,
)
from osint_kit.timeline.words import (
    AROUND,
    ORDINAL_PART_RE,
    ORDINALS,
    PART_UNITS,
    PERIOD_DIRECTIONS,
    SEASON_MONTHS,
    SEASON_RE,
    SEASONS,
    SHORT_PART_RE,
    THIS_PERIOD_RE,
    THIS_PERIOD_UNITS,
)

Inner = Callable[[str], When]
HEMISPHERES = ("north", "south")


def _make(start: dt.datetime, end: dt.datetime, precision: Precision, text: str, zone: str,
          provenance: str, reference: dt.datetime | None = None) -> When:
    earliest, latest = utc_bounds(start, end, zone)
    return When(earliest, latest, precision, text, zone, provenance, reference=reference)


def _part(inner: When, unit: str, index: int, text: str) -> When:
    """Cut ``inner`` (a month or a year) into weeks, halves or quarters and keep one."""
    zone = inner.tz
    start, end = local_bounds(inner, zone)
    if inner.precision not in (Precision.MONTH, Precision.YEAR) \
            or (start, end) != period_bounds(start, inner.precision):
        raise UnparseableDateError(
            f"{text!r}: a {unit} can be taken of a month or a year, not of "
            f"{inner.describe()}; write e.g. 'the first week of March 2023' or 'Q3 2022'")
    of_year = inner.precision is Precision.YEAR
    if unit == "week":
        days = (end - start).days
        count = -(-days // 7)  # the last, shorter week counts too ("the fifth week of May")
        n = count if index == -1 else index
        if not 1 <= n <= count:
            raise UnparseableDateError(f"{text!r}: {inner.describe()} has no week {n}")
        if index == -1:
            new_start, new_end = end - dt.timedelta(days=7), end
            rule = "the last 7 days"
        else:
            new_start = start + dt.timedelta(days=7 * (n - 1))
            new_end = min(new_start + dt.timedelta(days=7), end)
            rule = f"calendar days {7 * n - 6}-{min(7 * n, days)} (not an ISO week)"
        return _make(new_start, new_end, Precision.DAY, text, zone,
                     f"{'the last week' if index == -1 else f'week {n}'} of "
                     f"{inner.describe()} = {rule}; "
                     f"inner: {inner.provenance}", inner.reference)
    if unit == "half-year" and not of_year:
        raise UnparseableDateError(f"{text!r}: a half-year (półrocze/полугодие) is of a year")
    if unit == "quarter" and not of_year:
        raise UnparseableDateError(f"{text!r}: quarters are of a year, e.g. 'Q3 2022'")
    parts = 4 if unit == "quarter" else 2
    n = parts if index == -1 else index
    if not 1 <= n <= parts:
        raise UnparseableDateError(f"{text!r}: there is no {unit} {n} (1-{parts})")
    if of_year:
        months = 12 // parts
        new_start = _add_months(start, months * (n - 1))
        new_end = _add_months(new_start, months)
        rule = ("calendar quarter (a fiscal year may differ)" if unit == "quarter"
                else "January-June / July-December")
        precision = Precision.MONTH
    else:  # half of a month: 1st-15th, 16th-end
        middle = start + dt.timedelta(days=15)
        new_start, new_end = (start, middle) if n == 1 else (middle, end)
        rule = "1st-15th / 16th-end of the month"
        precision = Precision.DAY
    name = "half" if unit == "half-year" else unit
    return _make(new_start, new_end, precision, text, zone,
                 f"{name} {n} of {inner.describe()} = {rule}; inner: {inner.provenance}",
                 inner.reference)


def parse_part(text: str, inner: Inner) -> When | None:
    """"the first week of March 2023", "w drugiej połowie 2022", "Q3 2022" (None if not)."""
    m = ORDINAL_PART_RE.match(text)
    if m:
        index = ORDINALS[m.group("ord").lower()]
        return _part(inner(m.group("rest")), PART_UNITS[m.group("unit").lower()], index, text)
    m = SHORT_PART_RE.match(text)
    if m:
        letter = (m.group("u") or m.group("u2")).upper()
        index = int(m.group("n") or m.group("n2"))
        return _part(inner(m.group("rest")), "quarter" if letter == "Q" else "half", index,
                     text)
    return None


def parse_season(text: str, zone: str, hemisphere: str) -> When | None:
    """"summer 2022", "zimą 2022/23", "летом 2022 года": meteorological whole months."""
    m = SEASON_RE.match(text)
    if m is None:
        return None
    season = SEASONS[m.group("season").lower()]
    first_month = SEASON_MONTHS[hemisphere][season]
    y1 = int(m.group("y1"))
    caveat = (f"meteorological {season} in the {hemisphere}ern hemisphere (whole months; the "
              "astronomical season starts about three weeks later; pass hemisphere="
              f"{'south' if hemisphere == 'north' else 'north'!r} for the other hemisphere)")

    def one(start_year: int) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime(start_year, first_month, 1)
        return start, _add_months(start, 3)

    if first_month <= 10:  # the season lies within one calendar year
        if m.group("y2"):
            raise UnparseableDateError(f"{text!r}: {season} does not cross a new year here")
        start, end = one(y1)
        return _make(start, end, Precision.MONTH, text, zone, caveat)
    if m.group("y2"):  # "winter 2022/23": the one that starts in December 2022
        y2 = m.group("y2")
        second = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
        if second != y1 + 1:
            raise UnparseableDateError(f"{text!r}: the years of one {season} must follow "
                                       "each other, e.g. 'winter 2022/23'")
        start, end = one(y1)
        return _make(start, end, Precision.MONTH, text, zone, caveat)
    # "winter 2022": the winter ending in 2022 or the one starting in it; keep both
    readings = []
    for year in (y1 - 1, y1):
        start, end = one(year)
        readings.append(_make(start, end, Precision.MONTH, text, zone,
                              f"reading: {season} {year}/{str(year + 1)[2:]}; {caveat}"))
    return When(
        readings[0].earliest, readings[1].latest, Precision.MONTH, text, zone,
        f"AMBIGUOUS: {text!r} is the {season} of {y1 - 1}/{str(y1)[2:]} or of "
        f"{y1}/{str(y1 + 1)[2:]}; the interval spans both (write '{season} {y1}/"
        f"{str(y1 + 1)[2:]}' to settle it); {caveat}",
        candidates=tuple(readings),
    )


def parse_this_period(text: str, ref: When | None, zone: str) -> When | None:
    """"earlier this week" (period start .. end of the reference day), "later this month"."""
    m = THIS_PERIOD_RE.match(text)
    if m is None:
        return None
    if ref is None:
        raise missing_reference(text)
    direction = PERIOD_DIRECTIONS[m.group("dir").lower()]
    unit = THIS_PERIOD_UNITS[m.group("unit").lower()]
    precision = {"week": Precision.WEEK, "month": Precision.MONTH, "year": Precision.YEAR}[unit]
    ref_start = reference_start(ref, zone)
    day_start, day_end = period_bounds(ref_start, Precision.DAY)
    period_start, period_end = period_bounds(ref_start, precision)
    if direction < 0:
        start, end = period_start, day_end
        rule = f"from the start of the reference's {unit} to the end of the reference day"
    else:
        start, end = day_start, period_end
        rule = f"from the start of the reference day to the end of its {unit}"
    return _make(start, end, Precision.DAY, text, zone,
                 f"{text!r} resolved against reference {reference_label(ref, zone)}: {rule} "
                 "(the reference day itself is included)", ref.earliest)


def apply_qualifier(inner: When, third: int, text: str, qual: str) -> When:
    """Keep the early/mid/late third of ``inner`` at the next finer unit."""
    zone = inner.tz
    start, end = local_bounds(inner, zone)
    precision = inner.precision
    if precision in (Precision.YEAR,) or (end - start) > dt.timedelta(days=62):
        months = (end.year * 12 + end.month) - (start.year * 12 + start.month)
        cuts = [0, months // 3, 2 * months // 3, months]
        new_start = _add_months(start, cuts[third])
        new_end = _add_months(start, cuts[third + 1])
        sub = Precision.MONTH
    else:
        unit, sub = {
            Precision.MONTH: (dt.timedelta(days=1), Precision.DAY),
            Precision.WEEK: (dt.timedelta(days=1), Precision.DAY),
            Precision.DAY: (dt.timedelta(hours=1), Precision.HOUR),
            Precision.HOUR: (dt.timedelta(minutes=1), Precision.MINUTE),
        }.get(precision, (dt.timedelta(seconds=1), Precision.SECOND))
        count = round((end - start) / unit)
        cuts = [0, count // 3, 2 * count // 3, count]
        if precision is Precision.MONTH or (sub is Precision.DAY and 28 <= count <= 31):
            cuts = [0, 10, 20, count]  # the 1st-10th, 11th-20th, 21st-end convention
        if count < 3:
            cuts = [0, 0, count, count]
            cuts[third + 1] = max(cuts[third + 1], cuts[third])
        new_start = start + cuts[third] * unit
        new_end = start + max(cuts[third + 1], cuts[third] + 1) * unit
        new_end = min(new_end, end)
    earliest, latest = utc_bounds(new_start, new_end, zone)
    name = ("early", "mid", "late")[third]
    return When(
        earliest, latest, sub if sub.rank > precision.rank else precision, text, zone,
        f"qualifier {qual!r} = {name} third of {inner.describe()}; inner: {inner.provenance}",
        reference=inner.reference,
    )


def apply_around(inner: When, text: str, qual: str) -> When:
    zone = inner.tz
    start, end = local_bounds(inner, zone)
    widen = AROUND[inner.precision]
    if isinstance(widen, int):
        new_start, new_end = _add_months(start, -widen), _add_months(end, widen)
        how = f"±{widen} month(s)"
    else:
        new_start, new_end = start - widen, end + widen
        how = f"±{_human(widen)}"
    earliest, latest = utc_bounds(new_start, new_end, zone)
    return When(
        earliest, latest, inner.precision, text, zone,
        f"qualifier {qual!r}: {inner.describe()} widened by {how}; inner: {inner.provenance}",
        reference=inner.reference,
    )


def _human(delta: dt.timedelta) -> str:
    if delta >= dt.timedelta(days=1):
        return f"{delta.days} day(s)"
    if delta >= dt.timedelta(hours=1):
        return f"{delta.seconds // 3600} hour(s)"
    return f"{delta.seconds // 60} minute(s)"


def check_hemisphere(hemisphere: str) -> str:
    """The hemisphere argument, checked."""
    value = str(hemisphere).lower()
    if value not in HEMISPHERES:
        raise DateError(f"hemisphere must be 'north' or 'south', not {hemisphere!r}")
    return value


