"""parse_when over a table of English and Polish expressions with known intervals.

Each row: text, reference, tz, expected start, expected end (exclusive), precision. Expected
bounds without an offset are local times in the row's tz; the test converts them to UTC the
way a person would (zoneinfo), independently of the code under test.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from osint_kit.errors import DateError, MissingReferenceError, UnparseableDateError
from osint_kit.timeline import Precision, When, parse_when

REF = dt.date(2023, 1, 21)  # the day after the Friday briefing (publication date)
HEADER = dt.date(2024, 2, 26)  # the aggregator page header date: the wrong reference
W = "Europe/Warsaw"
U = "UTC"

Y, M, WK, D = Precision.YEAR, Precision.MONTH, Precision.WEEK, Precision.DAY
H, MI, S = Precision.HOUR, Precision.MINUTE, Precision.SECOND

# text, reference, tz, start, end (exclusive; == start for an exact instant), precision
CASES: list[tuple[str, object, str | None, str, str, Precision]] = [
    # --- absolute, English -------------------------------------------------------------
    ("2022", None, U, "2022-01-01", "2023-01-01", Y),
    ("November 2022", None, U, "2022-11-01", "2022-12-01", M),
    ("Nov 2022", None, U, "2022-11-01", "2022-12-01", M),
    ("in November 2022", None, U, "2022-11-01", "2022-12-01", M),
    ("18 November 2022", None, U, "2022-11-18", "2022-11-19", D),
    ("November 18, 2022", None, U, "2022-11-18", "2022-11-19", D),
    ("18 Nov 2022", None, U, "2022-11-18", "2022-11-19", D),
    ("Friday 20 January 2023", None, U, "2023-01-20", "2023-01-21", D),
    ("20 January 2023 10:30", None, U, "2023-01-20T10:30", "2023-01-20T10:31", MI),
    ("20 January 2023 10:30:15", None, U, "2023-01-20T10:30:15", "2023-01-20T10:30:16", S),
    ("20 January 2023 10 am", None, U, "2023-01-20T10:00", "2023-01-20T11:00", H),
    ("18.11.2022", None, U, "2022-11-18", "2022-11-19", D),
    # --- other languages dateparser knows (the case's Italian and Russian sources) -------
    ("venerdì 20 gennaio 2023", None, "Europe/Rome", "2023-01-20", "2023-01-21", D),
    ("в пятницу, 20 января 2023", None, "Europe/Moscow", "2023-01-20", "2023-01-21", D),
    ("20. Januar 2023", None, "Europe/Berlin", "2023-01-20", "2023-01-21", D),
    # --- ISO 8601 and EXIF -----------------------------------------------------------------
    ("2022-11-18", None, U, "2022-11-18", "2022-11-19", D),
    ("2022-11", None, U, "2022-11-01", "2022-12-01", M),
    ("2022-11-18T10:30", None, U, "2022-11-18T10:30", "2022-11-18T10:31", MI),
    ("2022-11-18T10:30:00", None, U, "2022-11-18T10:30", "2022-11-18T10:30:01", S),
    ("2022-11-18T10:30:00Z", None, None, "2022-11-18T10:30+00:00", "2022-11-18T10:30:01+00:00", S),
    ("2022-11-18T10:30:00+05:30", None, None, "2022-11-18T05:00+00:00",
     "2022-11-18T05:00:01+00:00", S),
    ("2022:11:18 10:30:00", None, U, "2022-11-18T10:30", "2022-11-18T10:30:01", S),
    ("2022-11-18T10:30:00.123456+05:30", None, None, "2022-11-18T05:00:00.123456+00:00",
     "2022-11-18T05:00:00.123456+00:00", S),
    ("2022-11-18 10:30:00-03:30", None, None, "2022-11-18T14:00+00:00",
     "2022-11-18T14:00:01+00:00", S),
    # --- leap days ---------------------------------------------------------------------------
    ("29 Feb 2024", None, U, "2024-02-29", "2024-03-01", D),
    ("29 February 2024", None, U, "2024-02-29", "2024-03-01", D),
    ("February 2024", None, U, "2024-02-01", "2024-03-01", M),
    ("February 2023", None, U, "2023-02-01", "2023-03-01", M),
    ("2024-02-29", None, U, "2024-02-29", "2024-03-01", D),
    ("29 lutego 2024", None, U, "2024-02-29", "2024-03-01", D),
    ("luty 2024", None, U, "2024-02-01", "2024-03-01", M),
    ("late February 2024", None, U, "2024-02-21", "2024-03-01", D),
    ("2024", None, U, "2024-01-01", "2025-01-01", Y),
    # --- absolute, Polish ------------------------------------------------------------------
    ("18 listopada 2022", None, W, "2022-11-18", "2022-11-19", D),
    ("18 listopada 2022 r.", None, W, "2022-11-18", "2022-11-19", D),
    ("listopad 2022", None, W, "2022-11-01", "2022-12-01", M),
    ("w listopadzie 2022", None, W, "2022-11-01", "2022-12-01", M),
    ("20 stycznia 2023 o 10:30", None, W, "2023-01-20T10:30", "2023-01-20T10:31", MI),
    ("2023 roku", None, W, "2023-01-01", "2024-01-01", Y),
    ("styczeń 2023", None, W, "2023-01-01", "2023-02-01", M),
    # --- qualifiers, English ---------------------------------------------------------------
    ("early November 2022", None, U, "2022-11-01", "2022-11-11", D),
    ("mid-November 2022", None, U, "2022-11-11", "2022-11-21", D),
    ("mid November 2022", None, U, "2022-11-11", "2022-11-21", D),
    ("in mid-November 2022", None, U, "2022-11-11", "2022-11-21", D),
    ("late November 2022", None, U, "2022-11-21", "2022-12-01", D),
    ("end of November 2022", None, U, "2022-11-21", "2022-12-01", D),
    ("beginning of November 2022", None, U, "2022-11-01", "2022-11-11", D),
    ("early 2022", None, U, "2022-01-01", "2022-05-01", M),
    ("mid-2022", None, U, "2022-05-01", "2022-09-01", M),
    ("late 2022", None, U, "2022-09-01", "2023-01-01", M),
    ("end of 2022", None, U, "2022-09-01", "2023-01-01", M),
    ("the end of 2022", None, U, "2022-09-01", "2023-01-01", M),
    ("towards the end of 2022", None, U, "2022-09-01", "2023-01-01", M),
    ("early 18 November 2022", None, U, "2022-11-18T00:00", "2022-11-18T08:00", H),
    ("around 20 January 2023", None, U, "2023-01-17", "2023-01-24", D),
    ("about November 2022", None, U, "2022-10-01", "2023-01-01", M),
    ("circa 2022", None, U, "2021-01-01", "2024-01-01", Y),
    ("around 2022-11-18T10:30", None, U, "2022-11-18T10:15", "2022-11-18T10:46", MI),
    # --- qualifiers, Polish ----------------------------------------------------------------
    ("na początku listopada 2022", None, W, "2022-11-01", "2022-11-11", D),
    ("w połowie listopada 2022", None, W, "2022-11-11", "2022-11-21", D),
    ("pod koniec listopada 2022", None, W, "2022-11-21", "2022-12-01", D),
    ("pod koniec 2022", None, W, "2022-09-01", "2023-01-01", M),
    ("na początku 2023 roku", None, W, "2023-01-01", "2023-05-01", M),
    ("około 20 stycznia 2023", None, W, "2023-01-17", "2023-01-24", D),
    ("koniec 2022", None, W, "2022-09-01", "2023-01-01", M),
    # --- ranges ------------------------------------------------------------------------------
    ("18-19 November 2022", None, U, "2022-11-18", "2022-11-20", D),
    ("between 18 November 2022 and 22 December 2022", None, U, "2022-11-18", "2022-12-23", D),
    ("od 18 listopada 2022 do 22 grudnia 2022", None, W, "2022-11-18", "2022-12-23", D),
    ("from November 2022 to January 2023", None, U, "2022-11-01", "2023-02-01", M),
    # month-first day ranges: the second number is a day, never a two-digit year (1919)
    ("Nov. 18-19", REF, W, "2022-11-18", "2022-11-20", D),
    ("November 18-19", REF, W, "2022-11-18", "2022-11-20", D),
    ("Nov. 18-19, 2022", REF, W, "2022-11-18", "2022-11-20", D),
    ("Nov. 18-19, 2022", None, U, "2022-11-18", "2022-11-20", D),
    ("Nov 18 - 19", REF, W, "2022-11-18", "2022-11-20", D),
    ("Nov. 18–19", REF, W, "2022-11-18", "2022-11-20", D),
    ("Nov. 18 – 19", REF, W, "2022-11-18", "2022-11-20", D),
    ("Nov. 18th–19th, 2022", None, U, "2022-11-18", "2022-11-20", D),
    ("November 18 – 19, 2022", None, U, "2022-11-18", "2022-11-20", D),
    ("November 18 to 19, 2022", None, U, "2022-11-18", "2022-11-20", D),
    ("November 18 to 19, 2022", HEADER, W, "2022-11-18", "2022-11-20", D),
    ("18–19 listopada 2022", None, W, "2022-11-18", "2022-11-20", D),
    ("18–19 listopada", REF, W, "2022-11-18", "2022-11-20", D),
    ("18 i 19 listopada 2022", None, W, "2022-11-18", "2022-11-20", D),
    ("18.-19. November 2022", None, "Europe/Berlin", "2022-11-18", "2022-11-20", D),
    ("between Nov. 18 and Nov. 19", REF, W, "2022-11-18", "2022-11-20", D),
    ("between Nov. 18 and 19", REF, W, "2022-11-18", "2022-11-20", D),
    ("between 18 and 19 November 2022", None, U, "2022-11-18", "2022-11-20", D),
    ("od 18 do 19 listopada", REF, W, "2022-11-18", "2022-11-20", D),
    # a year written only at the end dates the start too (stepping back over New Year)
    ("between 18 November and 22 December 2022", None, U, "2022-11-18", "2022-12-23", D),
    ("od 18 listopada do 22 grudnia 2022", HEADER, W, "2022-11-18", "2022-12-23", D),
    ("between 30 December and 2 January 2023", None, U, "2022-12-30", "2023-01-03", D),
    # ranges across a month or year end, each end with its own month
    ("December 31-January 2", REF, U, "2022-12-31", "2023-01-03", D),
    ("31 December - 2 January", REF, W, "2022-12-31", "2023-01-03", D),
    ("December 31, 2022 - January 2, 2023", None, U, "2022-12-31", "2023-01-03", D),
    ("31 grudnia - 2 stycznia 2023", None, W, "2022-12-31", "2023-01-03", D),
    ("Nov-Dec 2022", None, U, "2022-11-01", "2023-01-01", M),
    ("2022-11-18 - 2022-11-20", None, U, "2022-11-18", "2022-11-21", D),
    ("18.11.2022 - 20.11.2022", None, W, "2022-11-18", "2022-11-21", D),
    # qualifiers stay with their own end
    ("late November to early December 2022", None, U, "2022-11-21", "2022-12-11", D),
    ("mid-November to early December 2022", None, U, "2022-11-11", "2022-12-11", D),
    ("from late November to early December 2022", None, U, "2022-11-21", "2022-12-11", D),
    # counted ranges back from the reference: the larger count is the start
    ("2-3 weeks ago", REF, U, "2022-12-26", "2023-01-09", WK),
    ("two to three weeks ago", REF, U, "2022-12-26", "2023-01-09", WK),
    ("2-3 days ago", REF, U, "2023-01-18", "2023-01-20", D),
    ("2-3 tygodnie temu", REF, U, "2022-12-26", "2023-01-09", WK),
    # --- relative to the publication date (Saturday 21 January 2023, Warsaw) ----------------
    ("Friday", REF, W, "2023-01-20", "2023-01-21", D),
    ("on Friday", REF, W, "2023-01-20", "2023-01-21", D),
    ("last month", REF, W, "2022-12-01", "2023-01-01", M),
    ("yesterday", REF, W, "2023-01-20", "2023-01-21", D),
    ("w piątek", REF, W, "2023-01-20", "2023-01-21", D),
    ("w zeszłym miesiącu", REF, W, "2022-12-01", "2023-01-01", M),
    ("wczoraj", REF, W, "2023-01-20", "2023-01-21", D),
    ("przedwczoraj", REF, W, "2023-01-19", "2023-01-20", D),
    ("last year", REF, W, "2022-01-01", "2023-01-01", Y),
    ("w zeszłym roku", REF, W, "2022-01-01", "2023-01-01", Y),
    ("ubiegłego roku", REF, W, "2022-01-01", "2023-01-01", Y),
    ("last week", REF, W, "2023-01-09", "2023-01-16", WK),
    ("w zeszłym tygodniu", REF, W, "2023-01-09", "2023-01-16", WK),
    ("3 days ago", REF, W, "2023-01-18", "2023-01-19", D),
    ("3 dni temu", REF, W, "2023-01-18", "2023-01-19", D),
    ("20 January", REF, W, "2023-01-20", "2023-01-21", D),
    ("November", REF, W, "2022-11-01", "2022-12-01", M),
    ("w połowie listopada", REF, W, "2022-11-11", "2022-11-21", D),
    ("mid-November", REF, W, "2022-11-11", "2022-11-21", D),
    ("end of last year", REF, W, "2022-09-01", "2023-01-01", M),
    ("today", REF, W, "2023-01-21", "2023-01-22", D),
    ("dzisiaj", REF, W, "2023-01-21", "2023-01-22", D),
    ("w poniedziałek", REF, W, "2023-01-16", "2023-01-17", D),
    # --- counted from an anchor (the reference) --------------------------------------------
    ("the next day", REF, W, "2023-01-22", "2023-01-23", D),
    ("następnego dnia", REF, W, "2023-01-22", "2023-01-23", D),
    ("nazajutrz", REF, W, "2023-01-22", "2023-01-23", D),
    ("the day before", REF, W, "2023-01-20", "2023-01-21", D),
    ("the previous day", REF, W, "2023-01-20", "2023-01-21", D),
    ("dzień wcześniej", REF, W, "2023-01-20", "2023-01-21", D),
    ("two weeks later", REF, W, "2023-02-04", "2023-02-05", D),
    ("dwa tygodnie później", REF, W, "2023-02-04", "2023-02-05", D),
    ("three days earlier", REF, W, "2023-01-18", "2023-01-19", D),
    ("trzy dni wcześniej", REF, W, "2023-01-18", "2023-01-19", D),
    ("a week later", REF, W, "2023-01-28", "2023-01-29", D),
    ("the following month", REF, W, "2023-02-01", "2023-03-01", M),
    ("następnego miesiąca", REF, W, "2023-02-01", "2023-03-01", M),
    ("the next day", dt.datetime(2022, 11, 18, 23, 30), "Asia/Pyongyang", "2022-11-19",
     "2022-11-20", D),
    # --- the page header date: the wrong reference gives the wrong answer ------------------
    ("Friday", HEADER, W, "2024-02-23", "2024-02-24", D),
    ("last month", HEADER, W, "2024-01-01", "2024-02-01", M),
    # --- timezones: half-hour offsets, midnight in non-UTC zones, DST -----------------------
    ("18 November 2022", None, "Asia/Kolkata", "2022-11-18", "2022-11-19", D),
    ("18 November 2022 10:00", None, "Australia/Adelaide", "2022-11-18T10:00",
     "2022-11-18T10:01", MI),
    ("June 2022", None, "Australia/Adelaide", "2022-06-01", "2022-07-01", M),
    ("20 January 2023", None, W, "2023-01-20", "2023-01-21", D),
    ("2023-01-20T23:30", None, W, "2023-01-20T23:30", "2023-01-20T23:31", MI),
    ("2023-01-21T00:30", None, W, "2023-01-21T00:30", "2023-01-21T00:31", MI),
    ("2023-01-20T23:59:59", None, "Asia/Kolkata", "2023-01-20T23:59:59",
     "2023-01-21T00:00:00", S),
    ("20 January 2023 10:30 +05:30", None, None, "2023-01-20T05:00+00:00",
     "2023-01-20T05:01+00:00", MI),
    ("26 March 2023", None, W, "2023-03-26", "2023-03-27", D),  # 23-hour day (DST starts)
    ("29 October 2023", None, W, "2023-10-29", "2023-10-30", D),  # 25-hour day (DST ends)
    ("2022-11-18T10:30", None, "+09:45", "2022-11-18T10:30", "2022-11-18T10:31", MI),
]


def _utc(text: str, tz: str | None) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        zone = tz or "UTC"
        if zone.startswith(("+", "-")):
            sign = 1 if zone[0] == "+" else -1
            offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
            value = value.replace(tzinfo=dt.timezone(sign * offset))
        else:
            value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(dt.UTC)


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 80
    polish = [c for c in CASES if any(ch in c[0] for ch in "ąćęłńóśźż") or c[0].startswith(
        ("w ", "od ", "na ", "pod ", "listopad", "luty", "styczeń", "koniec", "nazajutrz"))]
    assert len(polish) >= 20


@pytest.mark.parametrize(("text", "reference", "tz", "start", "end", "precision"), CASES,
                         ids=[f"{c[0]}|{c[1]}|{c[2]}" for c in CASES])
def test_parse_when_table(text: str, reference: object, tz: str | None, start: str, end: str,
                          precision: Precision) -> None:
    when = parse_when(text, reference=reference, tz=tz)  # type: ignore[arg-type]
    expected_start = _utc(start, tz)
    expected_end = _utc(end, tz)
    assert when.earliest == expected_start, when.provenance
    if expected_end == expected_start:
        assert when.latest == expected_start
        assert when.is_exact
    else:
        assert when.latest == expected_end - dt.timedelta(microseconds=1), when.provenance
    assert when.precision is precision
    assert when.earliest.tzinfo is dt.UTC and when.latest.tzinfo is dt.UTC
    assert when.text == text
    assert when.provenance
    if reference is not None and when.reference is not None:
        assert "reference" in when.provenance


@pytest.mark.parametrize("text", [
    "Friday", "last month", "yesterday", "the next day", "two weeks later", "w piątek",
    "w zeszłym miesiącu", "wczoraj", "następnego dnia", "w połowie listopada", "20 January",
    "mid-November", "dwa tygodnie później", "end of last year",
])
def test_relative_without_reference_raises(text: str) -> None:
    with pytest.raises(MissingReferenceError) as info:
        parse_when(text)
    message = str(info.value)
    assert "reference" in message and repr(text) in message


@pytest.mark.parametrize("text", ["", "   ", "no date in here at all", "29 February 2023",
                                  "2023-02-30"])
def test_unparseable(text: str) -> None:
    with pytest.raises(UnparseableDateError):
        parse_when(text)


def test_bad_timezone_and_reference_type() -> None:
    with pytest.raises(DateError, match="unknown timezone"):
        parse_when("2022", tz="Mars/Olympus")
    with pytest.raises(DateError, match="reference must be"):
        parse_when("Friday", reference=3.5)  # type: ignore[arg-type]


def test_provenance_states_the_reference() -> None:
    when = parse_when("Friday", reference=REF, tz=W)
    assert "2023-01-21" in when.provenance and W in when.provenance
    absolute = parse_when("20 January 2023", reference=REF, tz=W)
    assert "absolute" in absolute.provenance


def test_no_tz_is_said() -> None:
    assert "read as UTC" in parse_when("20 January 2023").provenance


def test_unknown_tz_widens() -> None:
    when = parse_when("2022-11-18T10:30:00", tz="unknown")
    assert when.earliest == dt.datetime(2022, 11, 17, 20, 30, tzinfo=dt.UTC)
    assert when.latest == dt.datetime(2022, 11, 18, 22, 30, 0, 999999, tzinfo=dt.UTC)
    assert "unknown UTC offset" in when.provenance


def test_reference_as_when_and_string() -> None:
    anchor = parse_when("18 November 2022", tz="Asia/Pyongyang")
    nxt = parse_when("the next day", reference=anchor)
    assert nxt.tz == "Asia/Pyongyang"
    assert nxt.after(anchor)
    assert parse_when("Friday", reference="2023-01-21", tz=W).earliest == \
        _utc("2023-01-20", W)


def test_weekday_mismatch_is_reported() -> None:
    good = parse_when("Friday 20 January 2023", tz=W)
    assert "WARNING" not in good.provenance
    bad = parse_when("Friday 21 January 2023", tz=W)
    assert "WARNING" in bad.provenance and "Saturday" in bad.provenance
    assert "WARNING" in parse_when("piątek 21 stycznia 2023", tz=W).provenance


def test_when_is_a_when() -> None:
    assert isinstance(parse_when("2022"), When)


@pytest.mark.parametrize("text", ["Nov 18 19", "November 18 19"])
def test_day_number_never_becomes_a_far_year(text: str) -> None:
    """dateparser reads "19" after a day as the year 1919: that must not pass silently."""
    with pytest.raises(UnparseableDateError, match="two-digit year"):
        parse_when(text, reference=REF, tz=W)


def test_two_digit_year_of_a_numeric_date_is_the_century_nearest_the_reference() -> None:
    """"18.11.22" was refused (dateparser made a far year of it); the numeric-date layer
    reads it in the century nearest the reference and says so."""
    when = parse_when("18.11.22", reference=REF, tz=W)
    assert when.local()[0].date() == dt.date(2022, 11, 18)
    assert when.duration < dt.timedelta(days=1)
    assert "read as 2022" in when.provenance


def test_month_first_range_without_reference_needs_one() -> None:
    with pytest.raises(MissingReferenceError):
        parse_when("Nov. 18-19")


def test_counted_years_are_not_suspicious() -> None:
    when = parse_when("100 years ago", reference=REF, tz=W)
    assert when.local()[0].year == 1923


@pytest.mark.parametrize("month", ["Jan.", "Feb", "March", "Apr.", "May", "June", "Jul",
                                   "Aug.", "Sept.", "Oct", "Nov.", "December"])
def test_month_first_ranges_stay_near_the_reference(month: str) -> None:
    when = parse_when(f"{month} 18-19", reference=REF, tz=W)
    start, end = when.local()
    assert start.day == 18 and end.day == 19
    assert start.year in (2022, 2023) and start.year == end.year
    assert when.earliest <= _utc("2023-01-21", W)
