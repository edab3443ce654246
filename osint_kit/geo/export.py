"""Export places and points to GeoJSON (RFC 7946) and KML 2.2.

Both take a sequence of :class:`~osint_kit.geo.places.Place` or a DataFrame with ``lat`` and
``lon`` columns (other columns become properties / ExtendedData). GeoJSON positions are
``[longitude, latitude]`` (RFC 7946 §3.1.1); KML is built with ``xml.etree`` so names such as
``<script>&`` are escaped by the XML serializer, never by string pasting.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import numpy as np

from osint_kit.errors import GeoError
from osint_kit.geo.places import Place, _check_latlon

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

KML_NS = "http://www.opengis.net/kml/2.2"


def _records(items: Iterable[Place] | pd.DataFrame) -> list[dict[str, Any]]:
    import pandas as pd  # lazy: osint_kit.geo is imported by the daylight check of one photo

    if isinstance(items, pd.DataFrame):
        df = items
        lat_col = "lat" if "lat" in df.columns else "gps_latitude"
        lon_col = "lon" if "lon" in df.columns else "gps_longitude"
        if lat_col not in df.columns or lon_col not in df.columns:
            raise GeoError(
                f"need 'lat'/'lon' (or gps_latitude/gps_longitude) columns, have {list(df.columns)}"
            )
        out: list[dict[str, Any]] = []
        for raw in df.to_dict(orient="records"):
            rec = {str(k): v for k, v in raw.items()}
            rec["lat"] = rec.pop(lat_col)
            rec["lon"] = rec.pop(lon_col)
            out.append(rec)
        return out
    records = []
    for item in items:
        if isinstance(item, Place):
            records.append(item.to_record())
        elif isinstance(item, Mapping):
            records.append(dict(item))
        else:
            raise GeoError(f"cannot export {type(item).__name__}: give Places or a DataFrame")
    return records


def _jsonable(value: Any) -> Any:
    """Properties as JSON values: datetimes to ISO 8601, NaN/NaT to null, numpy to Python."""
    import pandas as pd

    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _points(items: Iterable[Place] | pd.DataFrame) -> list[tuple[float, float, dict[str, Any]]]:
    import pandas as pd

    pts = []
    for i, rec in enumerate(_records(items)):
        lat = rec.pop("lat", None)
        lon = rec.pop("lon", None)
        if lat is None or lon is None or pd.isna(lat) or pd.isna(lon):
            continue  # rows without a position (e.g. photos without GPS) are skipped
        lat_f, lon_f = _check_latlon(lat, lon, f"row {i}")
        pts.append((lat_f, lon_f, rec))
    return pts


def to_geojson(
    items: Iterable[Place] | pd.DataFrame, path: str | Path | None = None
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of Point features (``[lon, lat]``); written if ``path``.

    Rows without coordinates are skipped. Coordinates are rounded to 7 decimals (~1 cm), as
    RFC 7946 §11.2 recommends not to imply more precision than there is.
    """
    features = []
    for lat, lon, props in _points(items):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
                "properties": {k: _jsonable(v) for k, v in props.items()},
            }
        )
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if path is not None:
        Path(path).write_text(
            json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False), encoding="utf-8"
        )
    return doc


def to_kml(
    items: Iterable[Place] | pd.DataFrame,
    path: str | Path | None = None,
    name: str = "osint_kit export",
) -> str:
    """A KML 2.2 document with one Placemark per point; written (UTF-8) if ``path``.

    ``name``/``note``/``source`` become the Placemark name and description; every other field
    goes to ExtendedData. All text is escaped by the XML serializer.
    """
    ET.register_namespace("", KML_NS)
    kml = ET.Element(f"{{{KML_NS}}}kml")
    doc = ET.SubElement(kml, f"{{{KML_NS}}}Document")
    ET.SubElement(doc, f"{{{KML_NS}}}name").text = name
    for lat, lon, props in _points(items):
        pm = ET.SubElement(doc, f"{{{KML_NS}}}Placemark")
        label = props.get("name")
        if label is None:
            label = props.get("file_name", props.get("path", ""))
        ET.SubElement(pm, f"{{{KML_NS}}}name").text = "" if label is None else str(label)
        desc = " | ".join(
            str(props[k]) for k in ("note", "source") if props.get(k) not in (None, "")
        )
        if desc:
            ET.SubElement(pm, f"{{{KML_NS}}}description").text = desc
        ext = ET.SubElement(pm, f"{{{KML_NS}}}ExtendedData")
        for key, value in props.items():
            if key == "name":
                continue
            data = ET.SubElement(ext, f"{{{KML_NS}}}Data", {"name": str(key)})
            val = _jsonable(value)
            ET.SubElement(data, f"{{{KML_NS}}}value").text = (
                "" if val is None else (val if isinstance(val, str) else json.dumps(val))
            )
        point = ET.SubElement(pm, f"{{{KML_NS}}}Point")
        ET.SubElement(point, f"{{{KML_NS}}}coordinates").text = f"{lon:.7f},{lat:.7f}"
    text = ET.tostring(kml, encoding="unicode", xml_declaration=False)
    out = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    if path is not None:
        Path(path).write_text(out, encoding="utf-8")
    return out
