"""Events, the Timeline table, conflicts, merge/sort and CSV/YAML persistence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from osint_kit.errors import TimelineError
from osint_kit.timeline import (
    CONFLICT_COLUMNS,
    EVENT_COLUMNS,
    Event,
    Precision,
    Timeline,
    When,
    filter_events,
    parse_when,
)

DATA = Path(__file__).parent / "data"
UTC = dt.UTC


def day(text: str, tz: str = "UTC") -> When:
    return parse_when(text, tz=tz)


def test_case_yaml_loads_words_and_relative_to() -> None:
    tl = Timeline.load(DATA / "case_timeline.yaml")
    assert len(tl) == 8
    out = tl.get("cars-out").when
    assert out.local()[0].date() == dt.date(2022, 11, 19)
    assert out.tz == "Asia/Pyongyang"
    assert tl.get("briefing").when.local()[0].date() == dt.date(2023, 1, 20)
    assert tl.get("last-month").when.precision is Precision.MONTH
    assert tl.conflicts().empty
    assert list(tl.df.columns) == list(EVENT_COLUMNS)


def test_schema_dtypes() -> None:
    df = Timeline.load(DATA / "case_timeline.yaml").df
    assert str(df["earliest"].dtype) == "datetime64[us, UTC]"
    assert str(df["latest"].dtype) == "datetime64[us, UTC]"
    assert df["confidence"].dtype == np.float64
    assert df["actors"].map(lambda v: isinstance(v, str)).all()
    assert df["actors"].dtype == "str"


def test_csv_and_yaml_round_trip(tmp_path: Path) -> None:
    tl = Timeline.load(DATA / "case_timeline.yaml")
    for name in ("t.csv", "t.yaml"):
        path = tl.save(tmp_path / name)
        back = Timeline.load(path)
        pd.testing.assert_frame_equal(back.df, tl.df)


def test_conflict_no_overlap_same_claim() -> None:
    a = Event("cars in (Kirby)", day("18 November 2022"), claim_ids=("c1",), event_id="a")
    b = Event("cars in (typo source)", day("18 October 2022"), claim_ids=("c1",), event_id="b",
              source_ids=("yahoo",))
    c = Event("unrelated", day("1 October 2022"), event_id="c")
    conflicts = Timeline([a, b, c]).conflicts()
    assert list(conflicts.columns) == list(CONFLICT_COLUMNS)
    assert len(conflicts) == 1
    row = conflicts.iloc[0]
    assert row["conflict"] == "no_overlap" and row["key"] == "claim:c1"
    assert {row["event_id"], row["other_event_id"]} == {"a", "b"}
    assert row["gap"] > pd.Timedelta(days=30)
    assert "should coincide" in row["explanation"]


def test_overlapping_group_is_fine_and_helly_witness() -> None:
    events = [
        Event("x1", day("November 2022"), event_key="k", event_id="x1"),
        Event("x2", day("mid-November 2022"), event_key="k", event_id="x2"),
        Event("x3", day("18 November 2022"), event_key="k", event_id="x3"),
    ]
    assert Timeline(events).conflicts().empty
    events.append(Event("x4", day("25 November 2022"), event_key="k", event_id="x4"))
    conflicts = Timeline(events).conflicts()
    assert len(conflicts) == 1
    # witness pair: the interval ending first and the one starting last do not overlap
    assert set(conflicts.iloc[0][["event_id", "other_event_id"]]) == {"x3", "x4"}


def test_impossible_order_and_missing_anchor() -> None:
    base = Event("cars arrive", day("18 November 2022"), event_id="arrive")
    ok = Event("loaded", parse_when("the next day", reference=base.when), event_id="ok",
               after=("arrive",))
    wrong = Event("loaded (misdated)", day("17 November 2022"), event_id="wrong",
                  after=("arrive",))
    orphan = Event("orphan", day("2022"), event_id="orphan", after=("nowhere",))
    conflicts = Timeline([base, ok, wrong, orphan]).conflicts()
    kinds = dict(zip(conflicts["event_id"], conflicts["conflict"], strict=True))
    assert kinds == {"wrong": "impossible_order", "orphan": "missing_anchor"}


def test_same_day_in_different_zones_may_not_overlap() -> None:
    # 18 Nov in Pyongyang (UTC+9) and 18 Nov in Honolulu (UTC-10) share only 5 hours.
    a = Event("a", day("18 November 2022", "Asia/Pyongyang"), event_key="k", event_id="a")
    b = Event("b", day("18 November 2022", "Pacific/Honolulu"), event_key="k", event_id="b")
    assert Timeline([a, b]).conflicts().empty
    c = Event("c", day("19 November 2022", "Pacific/Honolulu"), event_key="k", event_id="c")
    assert len(Timeline([a, c]).conflicts()) == 1


def test_sort_merge_and_duplicates() -> None:
    late = Event("late", day("2023"), event_id="late")
    early = Event("early", day("2021"), event_id="early")
    mid = Event("mid", day("2022-06-01"), event_id="mid")
    tl = Timeline([late, early])
    merged = tl.merge(Timeline([mid, early]))
    assert len(merged) == 3
    assert merged.sort().df["event_id"].tolist() == ["early", "mid", "late"]
    clash = Event("other", day("2020"), event_id="late")
    with pytest.raises(TimelineError, match="duplicate event ids"):
        tl.merge(Timeline([clash]))


def test_validation_errors() -> None:
    with pytest.raises(TimelineError, match="required column"):
        Timeline(pd.DataFrame({"label": ["x"]}))
    bad = pd.DataFrame({"label": ["x"], "earliest": ["2022-01-02T00:00:00+00:00"],
                        "latest": ["2022-01-01T00:00:00+00:00"]})
    with pytest.raises(TimelineError, match="end before they start"):
        Timeline(bad)
    with pytest.raises(TimelineError, match="kind"):
        Event("x", day("2022"), kind="rumoured")
    with pytest.raises(TimelineError, match="confidence"):
        Event("x", day("2022"), confidence=1.5)
    with pytest.raises(TimelineError, match="not ISO 8601"):
        Timeline(pd.DataFrame({"label": ["x"], "earliest": ["soon"], "latest": ["later"]}))


def test_frame_input_gets_stable_ids() -> None:
    df = pd.DataFrame({"label": ["a", "b"],
                       "earliest": pd.to_datetime(["2022-01-01", "2022-02-01"], utc=True),
                       "latest": pd.to_datetime(["2022-01-02", "2022-02-02"], utc=True)})
    one, two = Timeline(df).df["event_id"], Timeline(df).df["event_id"]
    assert one.tolist() == two.tolist() and one.str.startswith("ev-").all()


def test_event_record_round_trip_and_reprs() -> None:
    event = Event("<script>alert(1)</script>", day("18 November 2022", "Asia/Kolkata"),
                  actors=("A", "B"), source_ids="s1; s2",  # type: ignore[arg-type]
                  confidence=0.5, event_id="x")
    assert event.source_ids == ("s1", "s2")
    assert Event.from_record(event.to_record()) == event
    assert "<script>" not in event._repr_html_()
    tl = Timeline([event])
    assert "<script>" not in tl._repr_html_() and "&lt;script&gt;" in tl._repr_html_()
    assert "1 events" in repr(tl)
    odd = When(event.when.earliest, event.when.latest, Precision.DAY, text="<i>x</i>")
    assert "<i>" not in odd._repr_html_() and "&lt;i&gt;" in odd._repr_html_()
    assert "2022-11-18" in repr(event)


def test_filter_events() -> None:
    tl = Timeline.load(DATA / "case_timeline.yaml")
    df = tl.df
    got = filter_events(df, start=dt.date(2023, 1, 1), end=dt.date(2023, 1, 31))
    assert set(got["event_id"]) == {"briefing", "published", "denial"}
    assert set(filter_events(df, kinds=["captured"])["event_id"]) == {"captured"}
    assert set(filter_events(df, text="KCNA")["event_id"]) == {"denial"}
    assert set(filter_events(df, lanes=["reuters"])["event_id"]) == {"reuters-dec"}
    assert set(filter_events(df, lanes=["John Kirby"], lane="actor")["event_id"]) == \
        {"last-month"}
    assert len(tl.filter(kinds=["published"])) == 2


def test_when_algebra() -> None:
    nov = day("November 2022")
    mid = day("mid-November 2022")
    dec = day("December 2022")
    assert nov.contains(mid) and not mid.contains(nov)
    assert nov.before(dec) and dec.after(nov) and not nov.overlaps(dec)
    assert sorted([dec, mid, nov]) == [nov, mid, dec]
    inter = nov.intersection(mid)
    assert inter is not None and inter.earliest == mid.earliest
    assert nov.intersection(dec) is None
    assert nov.contains(dt.datetime(2022, 11, 30, 23, 59, tzinfo=UTC))
    assert "2022-11" in nov.describe()
    with pytest.raises(ValueError, match="naive"):
        When.exact(dt.datetime(2022, 1, 1))  # naive datetimes hide a guess


def test_unknown_tz_local() -> None:
    w = When.from_local(dt.datetime(2022, 11, 18, 10, 30), Precision.SECOND, "unknown")
    assert w.duration == dt.timedelta(hours=26, seconds=1) - dt.timedelta(microseconds=1)


def test_merge_keeps_rows_that_differ_only_in_confidence() -> None:
    a = Event("x", day("2022"), event_id="x", confidence=0.5)
    b = Event("x", day("2022"), event_id="x", confidence=0.7)
    with pytest.raises(TimelineError, match="duplicate"):
        Timeline([a]).merge(Timeline([b]))
    assert len(Timeline([a]).merge(Timeline([a]))) == 1


def test_heavy_libraries_are_not_imported_eagerly() -> None:
    import subprocess
    import sys

    code = ("import sys, osint_kit.timeline, osint_kit.display.timeline; "
            "heavy = [m for m in ('matplotlib', 'ipywidgets', 'dateparser') if m in sys.modules]; "
            "print(heavy); sys.exit(1 if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
