"""``parse_when``: words to a :class:`~osint_kit.timeline.when.When`.

dateparser does the heavy lifting for absolute and speaker-relative dates in many languages
("20 January 2023", "18 listopada 2022", "Friday", "w piątek", "last month"). This module adds
what dateparser does not do, in layers around it:

1. ISO 8601 and EXIF timestamps are read exactly (microseconds and offsets kept).
2. Qualifiers: early/mid/late, beginning/end of, around ("w połowie listopada", "pod koniec
   2022", "around 20 January") narrow or widen the interval of what follows them.
3. Ranges: "18-19 November 2022", "Nov. 18-19, 2022", "18–19 listopada", "between X and
   Y", "od X do Y". The month or year written once is lent to the other side ("between
   Nov. 18 and 19", "od 18 listopada do 22 grudnia 2022").
4. Anchor-relative expressions ("the next day", "two weeks later", "następnego dnia") are
   counted from the reference.
5. Guard: a year read from a one- or two-digit number far (> 50 years) from the reference
   (dateparser turns "Nov. 18-19" into 18 November 1919) raises UnparseableDateError
   instead of passing silently.
6. Any expression whose meaning depends on *when it was said* raises
   :class:`~osint_kit.errors.MissingReferenceError` unless a reference is given: we detect that
   by resolving the text against two different reference dates and comparing the results, so
   "20 January" (no year) needs a reference just like "Friday" does.

The whole period a statement names is kept: "November 2022" is 1-30 November, local time in
``tz``; the tables of qualifiers and widening are in :data:`QUALIFIERS` and :data:`AROUND`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from osint_kit.errors import DateError, MissingReferenceError, UnparseableDateError
from osint_kit.timeline.when import (
    ONE_US,
    UNKNOWN_TZ,
    UTC,
    Precision,
    When,
    _add_months,
    format_offset,
    get_tz,
    localize,
    period_bounds,
    tz_name,
)
from osint_kit.timeline.words import (
    _AROUND_RE,
    _BARE_DAY_RE,
    _COUNT_RANGE_RE,
    _DAY_FIRST_RE,
    _EARLIER,
    _FIXED_SHIFTS,
    _FOUR_DIGITS_RE,
    _FRACTION_RE,
    _ISO_RE,
    _LATER,
    _MINUTES_RE,
    _MONTH_ANY_RE,
    _MONTH_FIRST_RE,
    _NEXT,
    _NEXT_RE,
    _NUMBERS,
    _PREVIOUS,
    _PROBE_BASES,
    _QUAL_RE,
    _RANGE_CUT_RE,
    _RANGE_DAYS_RE,
    _RANGE_MONTH_FIRST_RE,
    _RANGE_RE,
    _REWRITES,
    _SECONDS_RE,
    _SHIFT_RE,
    _SHORT_NUMBER_RE,
    _TRAILING_YEAR_RE,
    _UNIT_PRECISION,
    _UNITS,
    _WEEKDAY_RE,
    _WEEKDAYS,
    AROUND,
    QUALIFIERS,
)

log = logging.getLogger(__name__)

#: Languages tried by dateparser when none are given (order matters for ambiguous words).
DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "pl", "de", "fr", "it", "es", "ru", "uk")

Reference = dt.datetime | dt.date | When | str

# --- helpers ---------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().rstrip(",;")


def _resolve_reference(reference: Reference, tz: str | None) -> tuple[When, str]:
    """Turn any accepted reference into a When and decide the zone to read text in."""
    if isinstance(reference, When):
        zone = tz or (reference.tz if reference.tz != UNKNOWN_TZ else "UTC")
        return reference, zone
    if isinstance(reference, str):
        reference = parse_when(reference, tz=tz)
        return _resolve_reference(reference, tz)
    if isinstance(reference, dt.datetime):
        if reference.tzinfo is None:
            zone = tz or "UTC"
            aware = localize(reference, zone)
        else:
            zone = tz or tz_name(reference.tzinfo)
            aware = reference
        return When.exact(aware, text=reference.isoformat(), provenance="reference"), zone
    if isinstance(reference, dt.date):
        zone = tz or "UTC"
        start = dt.datetime.combine(reference, dt.time())
        when = When.from_local(start, Precision.DAY, zone, reference.isoformat(), "reference")
        return when, zone
    raise DateError(
        f"reference must be a datetime, date, When or ISO string, not {type(reference).__name__}"
    )


def _ref_local(ref: When, zone: str) -> dt.datetime:
    """The naive local start of the reference in ``zone`` (dateparser's RELATIVE_BASE)."""
    info = UTC if zone == UNKNOWN_TZ else get_tz(zone)
    return ref.earliest.astimezone(info).replace(tzinfo=None)


def _ref_label(ref: When, zone: str) -> str:
    start = ref.earliest.astimezone(UTC if zone == UNKNOWN_TZ else get_tz(zone))
    if ref.precision is Precision.DAY and not ref.is_exact:
        return f"{start.date().isoformat()} ({zone})"
    return f"{start.isoformat()} ({zone})"


def _local_bounds(when: When, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """Naive local [start, end) of a When in ``zone``."""
    info = UTC if zone == UNKNOWN_TZ else get_tz(zone)
    start = when.earliest.astimezone(info).replace(tzinfo=None)
    end = (when.latest + ONE_US).astimezone(info).replace(tzinfo=None)
    return start, end


def _from_bounds(start: dt.datetime, end: dt.datetime, zone: str) -> tuple[dt.datetime, dt.datetime]:
    if zone == UNKNOWN_TZ:
        return start.replace(tzinfo=UTC), end.replace(tzinfo=UTC) - ONE_US
    return localize(start, zone).astimezone(UTC), localize(end, zone).astimezone(UTC) - ONE_US


def _shift(value: dt.datetime, n: int, unit: str) -> dt.datetime:
    if unit == "year":
        return _add_months(value, 12 * n) if not (value.month == 2 and value.day == 29) \
            else value.replace(day=28, year=value.year + n)
    if unit == "month":
        try:
            return _add_months(value, n)
        except ValueError:  # 31 January + 1 month: clamp to the month's last day
            first = _add_months(value.replace(day=1), n)
            nxt = _add_months(first, 1)
            return first.replace(day=(nxt - dt.timedelta(days=1)).day)
    if unit == "week":
        return value + dt.timedelta(weeks=n)
    if unit == "day":
        return value + dt.timedelta(days=n)
    if unit == "hour":
        return value + dt.timedelta(hours=n)
    return value + dt.timedelta(minutes=n)


# --- layers ----------------------------------------------------------------------------------


def parse_iso(text: str, zone: str) -> When | None:
    """ISO 8601 / EXIF timestamp at its stated precision (None if the text is not one).

    ``zone`` applies when the text has no offset; ``"unknown"`` widens by -12h..+14h.
    """
    match = _ISO_RE.match(text)
    if not match:
        return None
    g = match.groupdict()
    try:
        frac = g["f"]
        micro = int((frac + "000000")[:6]) if frac else 0
        local = dt.datetime(int(g["y"]), int(g["m"] or 1), int(g["d"] or 1), int(g["H"] or 0),
                            int(g["M"] or 0), int(g["S"] or 0), micro)
    except ValueError as err:
        raise UnparseableDateError(f"{text!r} looks like ISO 8601 but is invalid: {err}") from err
    if g["z"]:
        z = g["z"].upper()
        if z in ("Z", "UTC"):
            zone = "UTC"
        else:
            digits = z[1:].replace(":", "")
            zone = f"{z[0]}{digits[:2]}:{digits[2:4] or '00'}"
            zone = "UTC" if zone in ("+00:00", "-00:00") else zone
    for key, precision in (("f", None), ("S", Precision.SECOND), ("M", Precision.MINUTE),
                           ("H", Precision.HOUR), ("d", Precision.DAY), ("m", Precision.MONTH),
                           ("y", Precision.YEAR)):
        if g[key] is None:
            continue
        if precision is None:  # a fraction of a second: an exact instant
            if zone == UNKNOWN_TZ:
                return When.from_local(local, Precision.SECOND, zone, text, "ISO 8601")
            return When.exact(localize(local, zone), text=text, provenance="ISO 8601, exact")
        note = "ISO 8601, offset in text" if g["z"] else "ISO 8601"
        return When.from_local(local, precision, zone, text, note)
    return None  # pragma: no cover - the year group always matches


def _dateparser(
    text: str, base: dt.datetime, languages: Sequence[str], prefer: str
) -> tuple[dt.datetime, str] | None:
    from dateparser.date import DateDataParser

    parser = DateDataParser(
        languages=list(languages),
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": prefer,
            "RETURN_TIME_AS_PERIOD": True,
        },
    )
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj, str(data.period or "day")


def _time_precision(text: str) -> Precision:
    if _SECONDS_RE.search(text):
        return Precision.SECOND
    if _MINUTES_RE.search(text):
        return Precision.MINUTE
    return Precision.HOUR


def _to_when(value: dt.datetime, period: str, text: str, zone: str, provenance: str) -> When:
    precision = {
        "year": Precision.YEAR, "month": Precision.MONTH, "week": Precision.WEEK,
        "day": Precision.DAY,
    }.get(period) or _time_precision(text)
    if value.tzinfo is not None and value.utcoffset() is not None:
        offset = value.utcoffset()
        zone = tz_name(value.tzinfo) if hasattr(value.tzinfo, "key") else format_offset(
            offset if offset is not None else dt.timedelta(0))
        if zone == "+00:00":
            zone = "UTC"
        value = value.replace(tzinfo=None)
    if _FRACTION_RE.search(text) and zone != UNKNOWN_TZ:
        return When.exact(localize(value, zone), text=text, provenance=provenance)
    return When.from_local(value, precision, zone, text, provenance)


def _parse_plain(
    text: str, ref: When | None, zone: str, languages: Sequence[str], prefer: str
) -> When:
    """ISO fast path, then dateparser, with the relative-vs-absolute check."""
    iso = parse_iso(text, zone)
    if iso is not None:
        return iso
    query, note = text, "dateparser"
    for pattern, english in _REWRITES:
        if pattern.match(text):
            query, note = english, f"dateparser (read as {english!r})"
            break
    langs = list(languages) if query == text else ["en"]
    probes = []
    for base in _PROBE_BASES:
        found = _dateparser(query, base, langs, prefer)
        if found is None:
            raise UnparseableDateError(
                f"no date found in {text!r} (languages tried: {', '.join(langs)}); "
                "write it as e.g. '18 November 2022' or ISO 8601 '2022-11-18', or pass "
                "languages=[...]"
            )
        probes.append(_to_when(found[0], found[1], text, zone, note))
    relative = (probes[0].earliest, probes[0].latest) != (probes[1].earliest, probes[1].latest)
    if not relative:
        _check_year(probes[0], text, ref)
        return replace(probes[0], provenance=f"{note}: absolute date, read in {probes[0].tz}")
    if ref is None:
        raise MissingReferenceError(
            f"{text!r} is relative (its meaning depends on when it was written): pass "
            "reference= the publication or capture date it should be counted from, e.g. "
            "parse_when(text, reference=datetime.date(2023, 1, 21), tz='Europe/Warsaw')"
        )
    found = _dateparser(query, _ref_local(ref, zone), langs, prefer)
    if found is None:  # pragma: no cover - parsed with the probes above
        raise UnparseableDateError(f"no date found in {text!r}")
    when = _to_when(found[0], found[1], text, zone, note)
    _check_year(when, text, ref)
    return replace(
        when,
        provenance=f"{text!r} resolved against reference {_ref_label(ref, zone)} by {note}",
        reference=ref.earliest,
    )


#: A year read from a short number must lie this close to the reference (or to today).
YEAR_WINDOW = 50


def _check_year(when: When, text: str, ref: When | None) -> None:
    """Refuse a year dateparser made out of a day number ("Nov. 18-19" -> 18 Nov 1919).

    Only text without a 4-digit number is checked: its year is either counted from the
    reference ("100 years ago") or read from a one- or two-digit token, and the latter must
    lie within :data:`YEAR_WINDOW` years of the reference (of today without one).
    """
    if _FOUR_DIGITS_RE.search(text):
        return
    year = _local_bounds(when, when.tz)[0].year
    pivot = _local_bounds(ref, when.tz)[0].year if ref is not None else dt.datetime.now(UTC).year
    if abs(year - pivot) <= YEAR_WINDOW:
        return
    short = {int(t) for t in _SHORT_NUMBER_RE.findall(text)}
    if year >= 1900 and year % 100 not in short:
        return  # counted, not read from a number: "100 years ago"
    raise UnparseableDateError(
        f"{text!r} was read as a date in {year}, more than {YEAR_WINDOW} years from "
        f"{pivot}: a day number was probably taken for a two-digit year. Write the year in "
        "full, e.g. 'November 18-19, 2022' or '18.11.2022'"
    )


def _parse_anchor_shift(text: str, ref: When | None, zone: str) -> When | None:
    """"the next day", "two weeks later", "następnego dnia": counted from the reference."""
    lowered = text.lower()
    spec: tuple[int, str, bool] | None = _FIXED_SHIFTS.get(lowered)
    if spec is None:
        m = _SHIFT_RE.match(lowered)
        if m and m.group("dir") in (_LATER | _EARLIER):
            raw = m.group("n")
            n = 1 if raw is None else int(raw) if raw.isdigit() else _NUMBERS[raw]
            sign = 1 if m.group("dir") in _LATER else -1
            spec = (sign * n, _UNITS[m.group("unit")], False)
    if spec is None:
        m = _NEXT_RE.match(lowered)
        if m and m.group("dir") in (_NEXT | _PREVIOUS):
            spec = (1 if m.group("dir") in _NEXT else -1, _UNITS[m.group("unit")], True)
    if spec is None:
        return None
    if ref is None:
        raise MissingReferenceError(
            f"{text!r} is counted from another date: pass reference= the date of the event "
            "it follows (a date, datetime or When), e.g. reference=parse_when('18 November 2022')"
        )
    n, unit, whole = spec
    unit_precision = _UNIT_PRECISION[unit]
    start, end = _local_bounds(ref, zone)
    if whole and ref.precision.rank >= unit_precision.rank:
        # "the next day" after 20 Jan 10:30 is the whole of 21 Jan
        new_start, new_end = period_bounds(_shift(start, n, unit), unit_precision)
        precision = unit_precision
    else:
        # "two weeks later" keeps the reference's own uncertainty, at least to the day
        floor = Precision.DAY if unit in {"day", "week", "month", "year"} else unit_precision
        precision = ref.precision.coarser(floor)
        if ref.precision.rank > precision.rank:
            start, end = period_bounds(start, precision)
        new_start, new_end = _shift(start, n, unit), _shift(end, n, unit)
    earliest, latest = _from_bounds(new_start, new_end, zone)
    return When(
        earliest, latest, precision, text, zone,
        f"{text!r} counted from reference {_ref_label(ref, zone)} ({n:+d} {unit})",
        reference=ref.earliest,
    )


def _apply_qualifier(inner: When, third: int, text: str, qual: str) -> When:
    """Keep the early/mid/late third of ``inner`` at the next finer unit."""
    zone = inner.tz
    start, end = _local_bounds(inner, zone)
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
    earliest, latest = _from_bounds(new_start, new_end, zone)
    name = ("early", "mid", "late")[third]
    return When(
        earliest, latest, sub if sub.rank > precision.rank else precision, text, zone,
        f"qualifier {qual!r} = {name} third of {inner.describe()}; inner: {inner.provenance}",
        reference=inner.reference,
    )


def _apply_around(inner: When, text: str, qual: str) -> When:
    zone = inner.tz
    start, end = _local_bounds(inner, zone)
    widen = AROUND[inner.precision]
    if isinstance(widen, int):
        new_start, new_end = _add_months(start, -widen), _add_months(end, widen)
        how = f"±{widen} month(s)"
    else:
        new_start, new_end = start - widen, end + widen
        how = f"±{_human(widen)}"
    earliest, latest = _from_bounds(new_start, new_end, zone)
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


def _span(a: When, b: When, text: str) -> When:
    if b.latest < a.earliest:
        raise DateError(f"range {text!r} ends ({b.describe()}) before it starts ({a.describe()})")
    return When(
        a.earliest, max(a.latest, b.latest), a.precision.coarser(b.precision), text, a.tz,
        f"range from ({a.provenance}) to ({b.provenance})", reference=a.reference,
    )


def _lend_parts(first: str, second: str) -> tuple[str, str]:
    """Give a bare day number the month written on the other side of a range.

    "between Nov. 18 and 19" -> ("Nov. 18", "Nov. 19"); "od 18 do 19 listopada" ->
    ("18 listopada", "19 listopada").
    """
    bare_a, bare_b = _BARE_DAY_RE.match(first), _BARE_DAY_RE.match(second)
    if bare_a and not bare_b and not bare_a.group("rest"):
        m = _DAY_FIRST_RE.match(second)
        if m:
            return f"{bare_a.group('d')} {m.group('rest')}", second
    if bare_b and not bare_a:
        m = _MONTH_FIRST_RE.match(first)
        if m:
            year = bare_b.group("rest") or m.group("rest")
            return first, f"{m.group('month')} {bare_b.group('d')}{year}"
    return first, second


def _parse_range(
    first: str, second: str, text: str, ref: When | None, zone: str,
    languages: Sequence[str], prefer: str,
) -> When:
    """Both ends of a range; a year written only at the end also dates the start.

    "between 30 December and 2 January 2023" starts on 30 December 2022: the lent year is
    stepped back once when it would put the start after the end.
    """
    first, second = _lend_parts(first, second)
    b = _parse(second, ref, zone, languages, prefer)
    year = _TRAILING_YEAR_RE.search(second)
    a: When | None = None
    if year and not _FOUR_DIGITS_RE.search(first) and _MONTH_ANY_RE.search(first):
        y = int(year.group("y"))
        try:
            a = _parse(f"{first} {y}", ref, zone, languages, prefer)
            if a.earliest > b.latest:
                a = _parse(f"{first} {y - 1}", ref, zone, languages, prefer)
        except UnparseableDateError:
            a = None
    if a is None:
        a = _parse(first, ref, zone, languages, prefer)
    return _span(a, b, text)


def _parse_day_range(
    first: str, second: str, year_given: bool, text: str, ref: When | None, zone: str,
    languages: Sequence[str], prefer: str,
) -> When:
    """"18-19 November", "Nov. 18-19": without a written year the end takes the start's."""
    a = _parse(first, ref, zone, languages, prefer)
    if year_given or a.precision is not Precision.DAY:
        b = _parse(second, ref, zone, languages, prefer)
    else:
        year = _local_bounds(a, a.tz)[0].year
        try:
            b = _parse(f"{second} {year}", ref, zone, languages, prefer)
            b = replace(b, provenance=f"{b.provenance}; year {year} taken from the start")
        except _TooComplex:
            raise
        except DateError:
            b = _parse(second, ref, zone, languages, prefer)
    return _span(a, b, text)


def _month_range(
    text: str, ref: When | None, zone: str, languages: Sequence[str], prefer: str
) -> When | None:
    """"December 31-January 2", "late November to early December 2022", "Nov-Dec 2022":
    a range whose two ends each name a month, cut at the first place where both do and
    both parse. Checked before qualifiers, so "late" stays with "November"."""
    for cut in _RANGE_CUT_RE.finditer(text):
        first, second = text[: cut.start()].strip(), text[cut.end() :].strip()
        if not (first and second and _MONTH_ANY_RE.search(first)
                and _MONTH_ANY_RE.search(second)):
            continue
        try:
            return _parse_range(first, second, text, ref, zone, languages, prefer)
        except UnparseableDateError:
            continue  # not a cut between two dates ("from ...": _RANGE_RE's business)
    return None


def _count_range(
    m: re.Match[str], text: str, ref: When | None, zone: str, languages: Sequence[str],
    prefer: str,
) -> When:
    """"2-3 weeks ago": both counts read with the same unit and direction, earlier first."""
    ends = [_parse(f"{m.group(k)} {m.group('rest')}", ref, zone, languages, prefer)
            for k in ("a", "b")]
    ends.sort(key=lambda w: w.earliest)
    return _span(ends[0], ends[1], text)


#: Readings (parts of the text tried as a date) allowed per parse_when call. Each range
#: is cut at every "-", "to", "and"... where both sides name a month, and each side is read
#: again the same way: hostile text with many such cuts ("Nov--Nov--Nov...", found by
#: make fuzz: 91 characters took 18 s) would be tried in exponentially many ways. Real
#: expressions need at most 9 readings (the test suite's longest: "from late November to
#: early December 2022").
MAX_READINGS = 32
_READINGS_LEFT: contextvars.ContextVar[list[int]] = contextvars.ContextVar("readings_left")


class _TooComplex(DateError):
    """Raised when the reading budget is spent. Not an UnparseableDateError, so no range
    cut takes it for "not this cut"; parse_when turns it into one for the caller."""


def _parse(
    text: str, ref: When | None, zone: str, languages: Sequence[str], prefer: str
) -> When:
    left = _READINGS_LEFT.get(None)
    if left is not None:
        left[0] -= 1
        if left[0] < 0:
            raise _TooComplex(
                f"date expression too complex to read: more than {MAX_READINGS} ways of "
                "cutting it into a range were tried; give the date alone, e.g. "
                "'18 November 2022' or 'between 18 and 20 November 2022'")
    ranged = _month_range(text, ref, zone, languages, prefer)
    if ranged is not None:
        return ranged
    m = _COUNT_RANGE_RE.match(text)
    if m:
        return _count_range(m, text, ref, zone, languages, prefer)
    m = _AROUND_RE.match(text)
    if m:
        inner = _parse(m.group("rest"), ref, zone, languages, prefer)
        return _apply_around(inner, text, m.group("q"))
    m = _QUAL_RE.match(text)
    if m:
        inner = _parse(m.group("rest"), ref, zone, languages, prefer)
        return _apply_qualifier(inner, QUALIFIERS[m.group("q").lower()], text, m.group("q"))
    shifted = _parse_anchor_shift(text, ref, zone)
    if shifted is not None:
        return shifted
    m = _RANGE_DAYS_RE.match(text)
    if m:
        rest = m.group("rest")
        return _parse_day_range(
            f"{m.group('a')} {rest}", f"{m.group('b')} {rest}",
            bool(_FOUR_DIGITS_RE.search(rest)), text, ref, zone, languages, prefer)
    m = _RANGE_MONTH_FIRST_RE.match(text)
    if m:
        month, rest = m.group("month"), m.group("rest")
        return _parse_day_range(
            f"{month} {m.group('a')}{rest}", f"{month} {m.group('b')}{rest}",
            bool(_FOUR_DIGITS_RE.search(rest)), text, ref, zone, languages, prefer)
    m = _RANGE_RE.match(text)
    if m:
        parts = [p for p in m.groups() if p is not None]
        return _parse_range(parts[0], parts[1], text, ref, zone, languages, prefer)
    return _parse_plain(text, ref, zone, languages, prefer)


def parse_when(
    text: str,
    reference: Reference | None = None,
    tz: str | None = None,
    languages: Sequence[str] | None = None,
    prefer: str = "past",
) -> When:
    """Turn a date expression into a :class:`When` (an interval in UTC with provenance).

    ``reference`` is the date the text must be read against (the publication date of an
    article, the date of the event "the next day" follows); relative text without it raises
    :class:`MissingReferenceError`. ``tz`` is the zone the words are meant in (default: the
    reference's zone, else UTC, stated in the result); ``tz="unknown"`` widens the interval by
    the full range of UTC offsets. ``prefer="past"`` reads "Friday" or "20 January" as the most
    recent one before the reference (how articles talk); use "future" for schedules.
    """
    if not isinstance(text, str):
        raise UnparseableDateError(f"expected a string, not {type(text).__name__}")
    cleaned = _normalise(text)
    if not cleaned:
        raise UnparseableDateError("empty date expression: nothing to parse")
    if tz is not None and tz != UNKNOWN_TZ:
        get_tz(tz)  # fail early on unknown zone names
    ref: When | None = None
    zone = tz or "UTC"
    if reference is not None:
        ref, zone = _resolve_reference(reference, tz)
    budget = _READINGS_LEFT.set([MAX_READINGS])
    try:
        when = _parse(cleaned, ref, zone, tuple(languages or DEFAULT_LANGUAGES), prefer)
    except MissingReferenceError as err:
        if repr(cleaned) in str(err):
            raise
        raise MissingReferenceError(f"in {cleaned!r}: {err}") from err
    except _TooComplex as err:
        raise UnparseableDateError(f"{err} (text: {cleaned[:80]!r})") from None
    finally:
        _READINGS_LEFT.reset(budget)
    if tz is None and reference is None and when.tz == "UTC" \
            and "offset in text" not in when.provenance and "exact" not in when.provenance:
        when = replace(when, provenance=f"{when.provenance}; no tz given: local time read as UTC")
    when = _check_weekday(when, cleaned)
    return replace(when, text=text) if when.text != text and when.text == cleaned else when


def _check_weekday(when: When, text: str) -> When:
    """Say so in the provenance when a stated weekday does not match the resolved day."""
    match = _WEEKDAY_RE.search(text)
    if match is None or when.precision is not Precision.DAY \
            or when.duration > dt.timedelta(days=1):
        return when
    stated = _WEEKDAYS[match.group(1).lower()]
    day = when.local()[0]
    if day.weekday() == stated:
        return when
    note = (f"WARNING: the text says {match.group(1)!r} but {day.date().isoformat()} is a "
            f"{day.strftime('%A')}: check the date or the weekday")
    log.info("%s (%r)", note, text)
    return replace(when, provenance=f"{when.provenance}; {note}")
