"""GeoJSON (RFC 7946 essentials, checked with a JSON Schema) and KML (parsed as XML)."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pandas as pd
import pytest

from osint_kit.errors import GeoError
from osint_kit.geo.export import KML_NS, to_geojson, to_kml
from osint_kit.geo.places import Place

PAYLOAD = "<script>&"

PLACES = [
    Place(PAYLOAD, 42.4214, 130.6081, 300, "Wikipedia & co", "a <b>note</b>"),
    Place("Khasan", 42.42833, 130.64556, 300, "Wikipedia"),
]

# The parts of RFC 7946 that matter for a FeatureCollection of Points.
POSITION = {
    "type": "array",
    "minItems": 2,
    "maxItems": 3,
    "items": {"type": "number"},
    "prefixItems": [
        {"type": "number", "minimum": -180, "maximum": 180},
        {"type": "number", "minimum": -90, "maximum": 90},
    ],
}
GEOJSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {"type": {"const": "Point"}, "coordinates": POSITION},
                    },
                    "properties": {"type": ["object", "null"]},
                },
            },
        },
    },
}


def test_geojson_validates_and_uses_lon_lat(tmp_path: Path) -> None:
    out = tmp_path / "places.geojson"
    doc = to_geojson(PLACES, out)
    jsonschema.validate(doc, GEOJSON_SCHEMA)
    assert json.loads(out.read_text(encoding="utf-8")) == doc
    first = doc["features"][0]
    assert first["geometry"]["coordinates"] == [130.6081, 42.4214]  # lon, lat
    assert first["properties"]["name"] == PAYLOAD


def test_geojson_from_dataframe_with_datetimes_and_gaps() -> None:
    df = pd.DataFrame(
        {
            "file_name": ["a.jpg", "b.jpg"],
            "gps_latitude": [42.4, None],
            "gps_longitude": [130.6, None],
            "taken": [dt.datetime(2022, 11, 18, 10, 30, tzinfo=dt.UTC), pd.NaT],
            "score": [float("nan"), 1.5],
        }
    )
    doc = to_geojson(df)
    jsonschema.validate(doc, GEOJSON_SCHEMA)
    assert len(doc["features"]) == 1  # the row without GPS is skipped
    props = doc["features"][0]["properties"]
    assert props["taken"] == "2022-11-18T10:30:00+00:00"
    assert props["score"] is None
    json.dumps(doc, allow_nan=False)
    with pytest.raises(GeoError):
        to_geojson(pd.DataFrame({"x": [1]}))


def _text(element: ET.Element, path: str) -> str:
    """Text of the first KML element at ``path``; fails the test when it is missing."""
    found = element.find(path, {"k": KML_NS})
    assert found is not None and found.text is not None, path
    return found.text


def test_kml_parses_and_escapes_names(tmp_path: Path) -> None:
    out = tmp_path / "places.kml"
    text = to_kml(PLACES, out, name=PAYLOAD)
    assert "<script>" not in text
    # KML viewers render names and descriptions as HTML: the parsed text is escaped HTML,
    # which a viewer shows as the original characters
    assert "&amp;lt;script&amp;gt;&amp;amp;" in text
    root = ET.fromstring(out.read_bytes())
    ns = {"k": KML_NS}
    assert root.tag == f"{{{KML_NS}}}kml"
    assert html.unescape(_text(root, "k:Document/k:name")) == PAYLOAD
    assert "<" not in _text(root, "k:Document/k:name")
    marks = root.findall("k:Document/k:Placemark", ns)
    assert [html.unescape(_text(m, "k:name")) for m in marks] == [PAYLOAD, "Khasan"]
    coords = _text(marks[0], "k:Point/k:coordinates")
    lon, lat = (float(x) for x in coords.split(","))
    assert (lon, lat) == (130.6081, 42.4214)
    assert "a &lt;b&gt;note&lt;/b&gt;" in _text(marks[0], "k:description")
