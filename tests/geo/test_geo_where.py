"""One convention for every geo helper: the place first, as one argument (docs/geo.md).

A :class:`Place`, a ``(lat, lon)`` pair or anything with ``.lat``/``.lon`` give the same
answer; the old two-number form of the sun helpers still works for one release, with a
DeprecationWarning, and gives the same answer too.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from osint_kit.errors import GeoError
from osint_kit.geo import (
    Place,
    bearing,
    chronolocate,
    circle,
    destination,
    distance,
    expected_shadow,
    shadow,
    sun_position,
    sun_positions,
    sun_times,
    within,
)

KST = dt.timezone(dt.timedelta(hours=9))
WHEN = dt.datetime(2022, 11, 18, 10, 30, tzinfo=KST)
DAY = dt.date(2022, 11, 18)
LAT, LON = 42.4214, 130.6081
PLACE = Place("Tumangang station", LAT, LON, 300, "Wikipedia infobox")
KHASAN = Place("Khasan station", 42.4303, 130.6444)


class Row(NamedTuple):  # e.g. a DataFrame row read with itertuples()
    name: str
    lat: float
    lon: float


#: helper -> a call with the place given as ``where`` (the rest of the arguments fixed)
HELPERS: dict[str, Callable[[Any], Any]] = {
    "sun_position": lambda where: sun_position(where, WHEN).elevation,
    "shadow": lambda where: shadow(where, WHEN).azimuth,
    "sun_times": lambda where: sun_times(where, DAY, "Asia/Pyongyang").sunset,
    "sun_positions": lambda where: sun_positions(where, [WHEN])["sun_azimuth"].iloc[0],
    "expected_shadow": lambda where: expected_shadow(where, WHEN, WHEN + dt.timedelta(hours=1)),
    "chronolocate": lambda where: len(chronolocate(where, DAY, 330.0, tz="Asia/Pyongyang")),
    "distance": lambda where: distance(where, KHASAN),
    "bearing": lambda where: bearing(KHASAN, where),
    "destination": lambda where: destination(where, 45.0, 1000.0),
    "within": lambda where: within(where, KHASAN, 5000.0),
    "circle": lambda where: circle(where, 100.0, n=8)[3],
}


@pytest.mark.parametrize("name", sorted(HELPERS))
def test_place_pair_and_lat_lon_object_agree(name: str) -> None:
    call = HELPERS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of the current forms warns
        by_place = call(PLACE)
        assert call((LAT, LON)) == by_place
        assert call([LAT, LON]) == by_place
        assert call(Row("station", LAT, LON)) == by_place


#: the old two-number calls and their one-argument equivalents
LEGACY: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
    ("sun_position", lambda: sun_position(LAT, LON, WHEN, False),
     lambda: sun_position(PLACE, WHEN, False)),
    ("sun_position", lambda: sun_position(lat=LAT, lon=LON, when=WHEN),
     lambda: sun_position(PLACE, when=WHEN)),
    ("sun_position", lambda: sun_position(LAT, lon=LON, when=WHEN),
     lambda: sun_position(PLACE, WHEN)),
    ("shadow", lambda: shadow(LAT, LON, WHEN), lambda: shadow((LAT, LON), WHEN)),
    ("sun_times", lambda: sun_times(LAT, LON, DAY, tz="Asia/Pyongyang"),
     lambda: sun_times(PLACE, DAY, tz="Asia/Pyongyang")),
    ("sun_positions", lambda: sun_positions(LAT, LON, [WHEN]).to_dict(),
     lambda: sun_positions(PLACE, [WHEN]).to_dict()),
]


@pytest.mark.parametrize(("name", "old", "new"), LEGACY, ids=[f"{c[0]}-{i}" for i, c in
                                                               enumerate(LEGACY)])
def test_two_numbers_still_work_with_a_deprecation_warning(
    name: str, old: Callable[[], Any], new: Callable[[], Any]
) -> None:
    with pytest.warns(DeprecationWarning, match=rf"{name}\(\(lat, lon\), \.\.\.\)") as caught:
        got = old()
    assert got == new()
    # the warning points at the caller's line (this file), not at the decorator
    assert all(w.filename == __file__ for w in caught if w.category is DeprecationWarning)


def test_wrapped_helpers_keep_their_name_and_docstring() -> None:
    for fn in (sun_position, shadow, sun_times, sun_positions):
        assert fn.__doc__ and "place" in fn.__doc__
        assert fn.__name__ in {"sun_position", "shadow", "sun_times", "sun_positions"}


@pytest.mark.parametrize(
    ("call", "message"),
    [  # wrong on purpose: the type checker flags these calls too
        (lambda: distance(LAT, KHASAN), "single number"),  # type: ignore[arg-type]
        (lambda: sun_position(LAT, WHEN), "single number"),  # type: ignore[call-overload]
        (lambda: sun_position(lat=LAT, when=WHEN), "one argument"),  # type: ignore[call-overload]
        (lambda: shadow(LON, LAT, WHEN), "outside -90..90"),  # swapped: caught, not guessed
        (lambda: sun_times("Tumangang", DAY), "Place or a \\(lat, lon\\) pair"),  # type: ignore[arg-type]
    ],
)
def test_wrong_places_are_refused_with_a_message_that_says_what_to_give(
    call: Callable[[], Any], message: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(GeoError, match=message):
            call()
