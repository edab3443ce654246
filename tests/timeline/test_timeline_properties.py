"""Hypothesis properties: intervals are never reversed; Timesketch round trips are exact."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osint_kit.errors import DateError
from osint_kit.timeline import Event, Timeline, When, parse_when
from osint_kit.timeline.parse import QUALIFIERS

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
MONTHS_PL_GEN = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
                 "sierpnia", "września", "października", "listopada", "grudnia"]
ZONES = ["UTC", "Europe/Warsaw", "Asia/Kolkata", "Australia/Adelaide", "America/St_Johns",
         "Asia/Kathmandu", "Pacific/Kiritimati", "Etc/GMT+12", "+05:30", "-09:30", "unknown"]
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def expressions(draw: st.DrawFn) -> str:
    year = draw(st.integers(1990, 2035))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    form = draw(st.sampled_from(["year", "month", "day", "pl_day", "iso", "iso_time"]))
    base = {
        "year": f"{year}",
        "month": f"{MONTHS_EN[month - 1]} {year}",
        "day": f"{day} {MONTHS_EN[month - 1]} {year}",
        "pl_day": f"{day} {MONTHS_PL_GEN[month - 1]} {year}",
        "iso": f"{year}-{month:02d}-{day:02d}",
        "iso_time": f"{year}-{month:02d}-{day:02d}T{draw(st.integers(0, 23)):02d}:"
                    f"{draw(st.integers(0, 59)):02d}",
    }[form]
    qualifier = draw(st.sampled_from(["", "around ", *[f"{q} " for q in QUALIFIERS]]))
    return qualifier + base


@SETTINGS
@given(text=expressions(), tz=st.sampled_from(ZONES))
def test_generated_expressions_give_ordered_intervals(text: str, tz: str) -> None:
    when = parse_when(text, tz=tz)
    assert when.earliest <= when.latest
    assert when.earliest.tzinfo is dt.UTC


@SETTINGS
@given(text=st.text(max_size=25), ref=st.dates(dt.date(1950, 1, 1), dt.date(2050, 1, 1)))
def test_arbitrary_text_never_gives_a_reversed_interval(text: str, ref: dt.date) -> None:
    try:
        when = parse_when(text, reference=ref, tz="Europe/Warsaw")
    except DateError:
        return
    assert when.earliest <= when.latest


@SETTINGS
@given(a=st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2040, 1, 1)),
       b=st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2040, 1, 1)))
def test_when_constructor_refuses_reversed(a: dt.datetime, b: dt.datetime) -> None:
    lo, hi = sorted([a.replace(tzinfo=dt.UTC), b.replace(tzinfo=dt.UTC)])
    when = When(lo, hi, "second")  # type: ignore[arg-type]
    assert when.overlaps(when)
    if lo < hi:
        try:
            When(hi, lo, "second")  # type: ignore[arg-type]
        except DateError:
            pass
        else:  # pragma: no cover
            raise AssertionError("reversed interval accepted")


def _real(naive: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """Skip wall-clock times that do not exist (DST gaps): normalise through UTC."""
    return naive.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)


OFFSETS = st.one_of(
    st.sampled_from([dt.UTC, ZoneInfo("Asia/Kolkata"), ZoneInfo("Australia/Adelaide"),
                     ZoneInfo("Europe/Warsaw"), ZoneInfo("America/St_Johns")]),
    st.integers(-12 * 4, 14 * 4).map(lambda q: dt.timezone(dt.timedelta(minutes=15 * q))),
)


@SETTINGS
@given(stamps=st.lists(
    st.tuples(st.datetimes(dt.datetime(1971, 1, 1), dt.datetime(2100, 1, 1)), OFFSETS),
    min_size=1, max_size=8))
def test_timesketch_jsonl_round_trip_is_exact(tmp_path: Path,
                                             stamps: list[tuple[dt.datetime, dt.tzinfo]]) -> None:
    stamps = [(_real(n, z), z) for n, z in stamps]
    events = [Event(f"e{i}", When.exact(naive.replace(tzinfo=zone)), event_id=f"e{i}")
              for i, (naive, zone) in enumerate(stamps)]
    path = tmp_path / "rt.jsonl"
    Timeline(events).to_timesketch_jsonl(path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    back = {e.event_id: e for e in Timeline.from_timesketch(path)}
    for (naive, zone), event, line in zip(stamps, events, lines, strict=True):
        original = naive.replace(tzinfo=zone)
        written = dt.datetime.fromisoformat(line["datetime"])
        assert written == original  # same instant to the microsecond
        assert written.utcoffset() == original.utcoffset()  # and the same offset
        assert written.replace(tzinfo=None) == naive  # and the same wall-clock reading
        imported = back[event.event_id].when
        assert imported.earliest == event.when.earliest == imported.latest
        assert imported.tz == event.when.tz


@SETTINGS
@given(stamps=st.lists(st.tuples(st.datetimes(dt.datetime(1971, 1, 1), dt.datetime(2100, 1, 1)),
                                 OFFSETS), min_size=1, max_size=5))
def test_foreign_timesketch_datetime_keeps_microseconds_and_offset(
        tmp_path: Path, stamps: list[tuple[dt.datetime, dt.tzinfo]]) -> None:
    stamps = [(_real(n, z), z) for n, z in stamps]
    path = tmp_path / "foreign.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, (naive, zone) in enumerate(stamps):
            record = {"message": f"m{i}", "datetime": naive.replace(tzinfo=zone).isoformat(),
                      "timestamp_desc": "Write time"}
            fh.write(json.dumps(record) + "\n")
    imported = Timeline.from_timesketch(path)
    out = tmp_path / "again.jsonl"
    imported.to_timesketch_jsonl(out)
    first = [json.loads(x)["datetime"] for x in path.read_text().splitlines()]
    again = [json.loads(x)["datetime"] for x in out.read_text().splitlines()]
    for a, b in zip(first, again, strict=True):
        da, db = dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)
        assert da == db and da.utcoffset() == db.utcoffset()


@pytest.mark.parametrize("text", ["early 1990", "late 1990", "mid 1990", "early 2024"])
def test_qualified_year_with_unknown_zone_is_ordered(text: str) -> None:
    """Regression (found by Hypothesis in CI): widening for an unknown zone moved the start to
    31 Dec, and adding months then asked for 31 April."""
    when = parse_when(text, tz="unknown")
    assert when.earliest <= when.latest
