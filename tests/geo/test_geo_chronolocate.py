"""Chronolocation: shadows computed for a time map back to windows containing that time."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from osint_kit.errors import GeoError
from osint_kit.geo.chronolocate import (
    FINDER_COLUMNS,
    WINDOW_COLUMNS,
    angle_diff,
    chronolocate,
    expected_shadow,
    shadow_finder,
)
from osint_kit.geo.places import Place
from osint_kit.geo.sun import shadow, sun_position

KST = dt.timezone(dt.timedelta(hours=9))
TUMANGANG = Place("Tumangang station", 42.4214, 130.6081, 300, "Wikipedia infobox")


def test_case_late_morning_nnw_twice_as_long() -> None:
    """CASE_FACTS: shadows NNW (~336 deg), ~2x as long as tall -> about 10:30 KST on 18 Nov."""
    w = chronolocate(
        TUMANGANG,
        dt.date(2022, 11, 18),
        336,
        2.0,
        length_ratio=2.16,
        ratio_tol=0.03,
        tz="Asia/Pyongyang",
    )
    assert list(w.columns) == list(WINDOW_COLUMNS)
    assert len(w) == 1
    start, end = w["start"].iloc[0], w["end"].iloc[0]
    target = dt.datetime(2022, 11, 18, 10, 30, tzinfo=KST)
    assert start <= target <= end
    assert end - start < dt.timedelta(minutes=30)
    assert start.utcoffset() == dt.timedelta(hours=9)
    # in Khasan time (UTC+10) the same window reads one hour later
    wk = chronolocate(
        TUMANGANG,
        dt.date(2022, 11, 18),
        336,
        2.0,
        length_ratio=2.16,
        ratio_tol=0.03,
        tz="Asia/Vladivostok",
    )
    assert wk["start"].iloc[0] == start  # same instant
    assert wk["start"].iloc[0].astimezone(wk["start"].iloc[0].tzinfo).hour == start.hour + 1


def test_azimuth_only_gives_a_single_window_and_nothing_at_night() -> None:
    w = chronolocate(TUMANGANG, dt.date(2022, 11, 18), 18, 3.0, tz="Asia/Pyongyang")
    assert len(w) == 1
    t = dt.datetime(2022, 11, 18, 13, 10, tzinfo=KST)  # early afternoon, NNE shadows
    assert w["start"].iloc[0] <= t <= w["end"].iloc[0]
    none = chronolocate(TUMANGANG, dt.date(2022, 11, 18), 180, 3.0, tz="Asia/Pyongyang")
    assert none.empty and list(none.columns) == list(WINDOW_COLUMNS)


def test_expected_shadow_range() -> None:
    r = expected_shadow(
        TUMANGANG,
        dt.datetime(2022, 11, 18, 10, 0, tzinfo=KST),
        dt.datetime(2022, 11, 18, 11, 0, tzinfo=KST),
    )
    assert r.azimuth_start == pytest.approx(328.7, abs=0.1)
    assert r.azimuth_end == pytest.approx(343.4, abs=0.1)
    assert r.ratio_min == pytest.approx(1.98, abs=0.01)
    assert r.ratio_max == pytest.approx(2.44, abs=0.01)
    assert r.contains_azimuth(336) and not r.contains_azimuth(18)
    # through north: 11:00 -> 13:10 sweeps 343 -> 18 clockwise
    r2 = expected_shadow(
        TUMANGANG,
        dt.datetime(2022, 11, 18, 11, 0, tzinfo=KST),
        dt.datetime(2022, 11, 18, 13, 10, tzinfo=KST),
    )
    assert r2.azimuth_sweep == pytest.approx(34.4, abs=0.2)
    assert r2.contains_azimuth(0) and r2.contains_azimuth(10) and not r2.contains_azimuth(180)
    assert "<table" in r2._repr_html_()
    with pytest.raises(GeoError):
        expected_shadow(TUMANGANG, dt.datetime(2022, 11, 18, 11, 0), dt.datetime(2022, 11, 18))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    lat=st.floats(-66.0, 66.0),
    lon=st.floats(-179.0, 179.0),
    seconds=st.integers(
        int(dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp()),
        int(dt.datetime(2040, 1, 1, tzinfo=dt.UTC).timestamp()),
    ),
    use_ratio=st.booleans(),
)
def test_round_trip(lat: float, lon: float, seconds: int, use_ratio: bool) -> None:
    when = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    sun = sun_position((lat, lon), when)
    assume(5.0 < sun.elevation < 80.0)  # a real shadow, azimuth well defined
    sh = shadow((lat, lon), when)
    # local date at the place's mean solar time offset, as an investigator would pick it
    tz = dt.timezone(dt.timedelta(hours=round(lon / 15)))
    local = when.astimezone(tz)
    w = chronolocate(
        (lat, lon),
        local.date(),
        sh.azimuth,
        azimuth_tol=1.0,
        length_ratio=sh.length_ratio if use_ratio else None,
        ratio_tol=0.03,
        tz=tz,
    )
    assert not w.empty
    hit = (w["start"] <= when + dt.timedelta(seconds=1)) & (
        w["end"] >= when - dt.timedelta(seconds=1)
    )
    assert hit.any(), (when, w[["start", "end"]])


def test_shadow_finder_band_contains_the_true_place() -> None:
    when = dt.datetime(2022, 11, 18, 1, 30, tzinfo=dt.UTC)
    sh = shadow(TUMANGANG, when)
    df = shadow_finder(sh.length_ratio, when, tolerance=0.03, grid_deg=1.0)
    assert list(df.columns) == list(FINDER_COLUMNS)
    assert (df["ratio_error"] <= 0.03).all()
    near = df[(abs(df["lat"] - TUMANGANG.lat) <= 1.0) & (abs(df["lon"] - TUMANGANG.lon) <= 1.0)]
    assert not near.empty
    # adding the shadow direction narrows the band to one side of the subsolar point
    narrowed = shadow_finder(
        sh.length_ratio, when, 0.03, 1.0, shadow_azimuth=sh.azimuth, azimuth_tol=5
    )
    assert 0 < len(narrowed) < len(df)
    assert (angle_diff(narrowed["shadow_azimuth"].to_numpy(), sh.azimuth) <= 5).all()
    with pytest.raises(GeoError):
        shadow_finder(-1, when)
    with pytest.raises(GeoError):
        shadow_finder(2.0, dt.datetime(2022, 11, 18, 1, 30))


def test_angle_diff_wraps() -> None:
    assert float(angle_diff(359, 1)) == pytest.approx(2)
    assert float(angle_diff(10, 190)) == pytest.approx(180)
    assert math.isclose(float(angle_diff(-10, 350)), 0, abs_tol=1e-9)
