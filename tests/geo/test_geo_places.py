"""Places, geodesic distances and bearings against reference values."""

from __future__ import annotations

from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from osint_kit.errors import GeoError
from osint_kit.geo.places import (
    Place,
    bearing,
    circle,
    destination,
    distance,
    inverse,
    load_places,
    places_frame,
    within,
)

TUMANGANG = Place("Tumangang station", 42.4214, 130.6081, 300, "Wikipedia infobox")
BRIDGE = Place("Korea-Russia Friendship Bridge", 42.415167, 130.641056, 300, "Wikipedia")
KHASAN = Place("Khasan", 42.42833, 130.64556, 300, "Wikipedia (settlement)")
TUMANGANG_DONG = Place("Tumangang-dong", 42.4216825, 130.6025505)

# Karney's GeodTest.dat lines (as shipped in geographiclib's own test-suite):
# lat1, lon1, azi1, lat2, lon2, azi2, s12
GEODTEST = [
    (
        35.60777,
        -139.44815,
        111.098748429560326,
        -11.17491,
        -69.95921,
        129.289270889708762,
        8935244.5604818305,
    ),
    (
        55.52454,
        106.05087,
        22.020059880982801,
        77.03196,
        197.18234,
        109.112041110671519,
        4105086.1713924406,
    ),
]


@pytest.mark.parametrize(("lat1", "lon1", "azi1", "lat2", "lon2", "azi2", "s12"), GEODTEST)
def test_geodtest_reference(
    lat1: float, lon1: float, azi1: float, lat2: float, lon2: float, azi2: float, s12: float
) -> None:
    g = inverse((lat1, lon1), (lat2, lon2))
    assert g.distance_m == pytest.approx(s12, abs=0.001)
    assert g.initial_bearing == pytest.approx(azi1 % 360, abs=1e-6)
    assert g.final_bearing == pytest.approx(azi2 % 360, abs=1e-6)
    lat, lon = destination((lat1, lon1), azi1, s12)
    assert lat == pytest.approx(lat2, abs=1e-9)
    assert ((lon - lon2 + 180) % 360 - 180) == pytest.approx(0, abs=1e-9)


def test_wellington_salamanca_nearly_antipodal() -> None:
    # Published in geographiclib's documentation: 19959679.267 m (Vincenty fails to converge).
    assert distance((-41.32, 174.81), (40.96, -5.50)) == pytest.approx(19959679.267, abs=0.01)


def test_case_distances_within_1m_of_geographiclib() -> None:
    ref = Geodesic.WGS84.Inverse(TUMANGANG.lat, TUMANGANG.lon, KHASAN.lat, KHASAN.lon)
    d = distance(TUMANGANG, KHASAN)
    assert abs(d - ref["s12"]) <= 1.0
    # CASE_FACTS section 3: ~3.2 km at ~76 deg; bridge ~2.8 km at ~104 deg; bridge->Khasan ~1.5 km
    assert 3150 <= d <= 3250
    assert bearing(TUMANGANG, KHASAN) == pytest.approx(76, abs=1)
    assert distance(TUMANGANG, BRIDGE) == pytest.approx(2800, abs=60)
    assert bearing(TUMANGANG, BRIDGE) == pytest.approx(104, abs=1)
    assert distance(BRIDGE, KHASAN) == pytest.approx(1500, abs=60)
    assert bearing(BRIDGE, KHASAN) == pytest.approx(14, abs=1)
    assert distance(TUMANGANG_DONG, TUMANGANG) == pytest.approx(460, abs=15)


@settings(max_examples=100, deadline=None)
@given(
    lat=st.floats(-85, 85),
    lon=st.floats(-180, 180),
    brg=st.floats(0, 359.999),
    dist=st.floats(1, 5_000_000),
)
def test_destination_round_trip(lat: float, lon: float, brg: float, dist: float) -> None:
    end = destination((lat, lon), brg, dist)
    assert distance((lat, lon), end) == pytest.approx(dist, rel=1e-9, abs=1e-6)


def test_within_and_circle() -> None:
    assert within(TUMANGANG_DONG, TUMANGANG, 500)
    assert not within(KHASAN, TUMANGANG)  # Place radius 300 m
    ring = circle(TUMANGANG, 300, n=36)
    assert len(ring) == 37 and ring[0] == ring[-1]
    for pt in ring:
        assert distance(TUMANGANG, pt) == pytest.approx(300, abs=1e-6)
    with pytest.raises(GeoError):
        within(KHASAN, (42.0, 130.0))


def test_place_validation_and_repr() -> None:
    with pytest.raises(GeoError, match="swapped"):
        Place("x", 130.6, 42.4)
    with pytest.raises(GeoError):
        Place("x", 1, 2, uncertainty_m=-5)
    p = Place("<b>x</b>", 1, 200)
    assert p.lon == -160
    assert "<b>" not in p._repr_html_()
    assert "Place('<b>x</b>'" in repr(p)


def test_load_places_csv_and_yaml(tmp_path: Path) -> None:
    csv_file = tmp_path / "p.csv"
    csv_file.write_text(
        "name,lat,lon,uncertainty_m,source,note\n"
        "Tumangang station,42.4214,130.6081,300,Wikipedia,infobox\n"
        "Khasan,42.42833,130.64556,,Wikipedia,\n",
        encoding="utf-8",
    )
    places = load_places(csv_file)
    assert [p.name for p in places] == ["Tumangang station", "Khasan"]
    assert places[1].uncertainty_m == 0
    yaml_file = tmp_path / "p.yaml"
    yaml_file.write_text(
        "places:\n  - {name: Bridge, latitude: 42.415167, longitude: 130.641056, "
        "uncertainty_m: 100, source: Wikipedia}\n",
        encoding="utf-8",
    )
    (bridge,) = load_places(yaml_file)
    assert bridge.lat == pytest.approx(42.415167) and bridge.uncertainty_m == 100
    df = places_frame(places)
    assert list(df.columns) == ["name", "lat", "lon", "uncertainty_m", "source", "note"]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat\nx,1\n", encoding="utf-8")
    with pytest.raises(GeoError, match="name, lat and lon"):
        load_places(bad)
    (tmp_path / "p.json").write_text("[]", encoding="utf-8")
    with pytest.raises(GeoError, match="unknown places file"):
        load_places(tmp_path / "p.json")
