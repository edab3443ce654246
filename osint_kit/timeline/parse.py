"""``parse_when``: words to a :class:`~osint_kit.timeline.when.When`.

dateparser does the heavy lifting for absolute and speaker-relative dates in many languages
("20 January 2023", "18 listopada 2022", "last month"). This module adds what dateparser
does not do, in layers around it (the rules of each live in their own module):

0. Text longer than :data:`MAX_TEXT_LENGTH` is refused before any pattern runs.
1. ISO 8601 and EXIF timestamps are read exactly (microseconds and offsets kept); numeric
   dates whose day/month order is not written keep both readings (:mod:`.numeric`).
1a. Weekdays ("Friday", "w piątek", "в пятницу", "last Friday") follow the named rules of
   :mod:`.weekdays` (a Friday story's "on Friday" is that day).
1b. Parts of periods ("the first week of March 2023", "Q3 2022", "summer 2022", "earlier
   this week") follow :mod:`.periods`.
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
from dataclasses import dataclass, replace

from osint_kit.errors import DateError, MissingReferenceError, UnparseableDateError
from osint_kit.timeline.numeric import check_year, parse_iso, parse_numeric, settle_order
from osint_kit.timeline.periods import (
    apply_around,
    apply_qualifier,
    check_hemisphere,
    parse_part,
    parse_season,
    parse_this_period,
)
from osint_kit.timeline.weekdays import check_rule, check_weekday, parse_weekday
from osint_kit.timeline.when import (
    UNKNOWN_TZ,
    Precision,
    When,
    _add_months,
    format_offset,
    get_tz,
    local_bounds,
    localize,
    missing_reference,
    period_bounds,
    reference_label,
    reference_start,
    tz_name,
    utc_bounds,
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
    _TRAILING_YEAR_RE,
    _UNIT_PRECISION,
    _UNITS,
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
    return reference_start(ref, zone)


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
        check_year(probes[0], text, ref)
        return replace(probes[0], provenance=f"{note}: absolute date, read in {probes[0].tz}")
    if ref is None:
        raise missing_reference(text)
    found = _dateparser(query, _ref_local(ref, zone), langs, prefer)
    if found is None:  # pragma: no cover - parsed with the probes above
        raise UnparseableDateError(f"no date found in {text!r}")
    when = _to_when(found[0], found[1], text, zone, note)
    check_year(when, text, ref)
    return replace(
        when,
        provenance=f"{text!r} resolved against reference {reference_label(ref, zone)} by {note}",
        reference=ref.earliest,
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
    start, end = local_bounds(ref, zone)
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
    earliest, latest = utc_bounds(new_start, new_end, zone)
    return When(
        earliest, latest, precision, text, zone,
        f"{text!r} counted from reference {reference_label(ref, zone)} ({n:+d} {unit})",
        reference=ref.earliest,
    )


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
        year = local_bounds(a, a.tz)[0].year
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
    both parse. Checked before qualifiers, so "late" stays with "November".

    Where the month names are is found once: a cut qualifies when a month name ends before
    it and another starts after it. (Searching both sides again at every cut made hostile
    text with thousands of "-" quadratic: 4 KB of "1 - " took 19 s.)
    """
    months = list(_MONTH_ANY_RE.finditer(text))
    if len(months) < 2:
        return None
    first_end, last_start = months[0].end(), months[-1].start()
    for cut in _RANGE_CUT_RE.finditer(text, first_end):
        if cut.end() > last_start:
            break
        first, second = text[: cut.start()].strip(), text[cut.end() :].strip()
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
        return apply_around(inner, text, m.group("q"))
    m = _QUAL_RE.match(text)
    if m:
        inner = _parse(m.group("rest"), ref, zone, languages, prefer)
        return apply_qualifier(inner, QUALIFIERS[m.group("q").lower()], text, m.group("q"))
    rules = _RULES.get() or _Rules()
    period = (parse_part(text, lambda rest: _parse(rest, ref, zone, languages, prefer))
              or parse_season(text, zone, rules.hemisphere)
              or parse_this_period(text, ref, zone))
    if period is not None:
        return period
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
    named = parse_weekday(text, ref, zone, rules.weekday, prefer,
                          lambda words, day: _at_day(words, day, zone, languages))
    if named is not None:
        return named
    ref_day = reference_start(ref, zone).date() if ref is not None else None
    numeric = parse_numeric(text, zone, rules.date_order, rules.order_reason, ref_day, prefer)
    if numeric is not None:
        return numeric
    return _parse_plain(text, ref, zone, languages, prefer)


def _at_day(words: str, day: dt.date, zone: str, languages: Sequence[str]) -> When | None:
    """"Friday at 10:30" on a day already chosen by the weekday rule: dateparser reads the
    time, counting back from the next midnight (so its own weekday rule lands on ``day``)."""
    base = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    found = _dateparser(words, base, languages, "past")
    if found is None:
        return None
    when = _to_when(found[0], found[1], words, zone, "dateparser")
    return when if local_bounds(when, zone)[0].date() == day else None


@dataclass(frozen=True)
class _Rules:
    """The reading rules of one parse_when call (set once, read by the layers)."""

    weekday: str = "inclusive"
    date_order: str | None = None
    order_reason: str = ""
    hemisphere: str = "north"


_RULES: contextvars.ContextVar[_Rules | None] = contextvars.ContextVar("rules", default=None)

#: Longest text parse_when reads (characters). Real date expressions are far shorter (the
#: longest in the tests has 46); text from pages, YAML and Timesketch files is hostile.
MAX_TEXT_LENGTH = 256


def parse_when(
    text: str,
    reference: Reference | None = None,
    tz: str | None = None,
    languages: Sequence[str] | None = None,
    prefer: str = "past",
    *,
    weekday: str = "inclusive",
    date_order: str | None = None,
    locale: str | None = None,
    hemisphere: str = "north",
) -> When:
    """Turn a date expression into a :class:`When` (an interval in UTC with provenance).

    ``reference`` is the date the text must be read against (the publication date of an
    article, the date of the event "the next day" follows); relative text without it raises
    :class:`MissingReferenceError`. ``tz`` is the zone the words are meant in (default: the
    reference's zone, else UTC, stated in the result); ``tz="unknown"`` widens the interval by
    the full range of UTC offsets. ``prefer="past"`` reads "20 January" as the most recent one
    before the reference (how articles talk); use "future" for schedules.

    ``weekday="inclusive"`` reads a bare weekday ("Friday", "w piątek", "в пятницу") as the
    most recent such day on or before the reference day (a Friday story's "on Friday" is that
    day); ``"strict"`` counts only days before it. "last Friday" is never the reference day.
    A numeric date whose order is not known ("11/12/2022") keeps both readings
    (``When.candidates``) unless ``date_order`` ("DMY"/"MDY"), ``locale`` ("en-US", "en-GB",
    "pl") or day-first ``languages`` settle it. ``hemisphere`` ("north"/"south") places the
    seasons. Text longer than :data:`MAX_TEXT_LENGTH` characters is refused.
    """
    if not isinstance(text, str):
        raise UnparseableDateError(f"expected a string, not {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise UnparseableDateError(
            f"date expression too long: {len(text)} characters, the limit is "
            f"{MAX_TEXT_LENGTH} (parse.MAX_TEXT_LENGTH); give the date alone, e.g. "
            "'18 November 2022', or find it in longer text with osint_kit.sources.capture.datefind.find_dates")
    cleaned = _normalise(text)
    if not cleaned:
        raise UnparseableDateError("empty date expression: nothing to parse")
    if tz is not None and tz != UNKNOWN_TZ:
        get_tz(tz)  # fail early on unknown zone names
    langs = tuple(languages or DEFAULT_LANGUAGES)
    order, why = settle_order(date_order, locale, languages)
    rules = _Rules(check_rule(weekday), order, why, check_hemisphere(hemisphere))
    ref: When | None = None
    zone = tz or "UTC"
    if reference is not None:
        ref, zone = _resolve_reference(reference, tz)
    budget = _READINGS_LEFT.set([MAX_READINGS])
    rules_token = _RULES.set(rules)
    try:
        when = _parse(cleaned, ref, zone, langs, prefer)
    except MissingReferenceError as err:
        if repr(cleaned) in str(err):
            raise
        raise MissingReferenceError(f"in {cleaned!r}: {err}") from err
    except _TooComplex as err:
        raise UnparseableDateError(f"{err} (text: {cleaned[:80]!r})") from None
    finally:
        _RULES.reset(rules_token)
        _READINGS_LEFT.reset(budget)
    if tz is None and reference is None and when.tz == "UTC" \
            and "offset in text" not in when.provenance and "exact" not in when.provenance:
        when = replace(when, provenance=f"{when.provenance}; no tz given: local time read as UTC")
    when = check_weekday(when, cleaned)
    return replace(when, text=text) if when.text != text and when.text == cleaned else when
