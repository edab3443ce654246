"""Export places and points to GeoJSON (RFC 7946) and KML 2.2.

Both take a sequence of :class:`~osint_kit.geo.places.Place` or a DataFrame with ``lat`` and
``lon`` columns (other columns become properties / ExtendedData). GeoJSON positions are
``[longitude, latitude]`` (RFC 7946 §3.1.1); KML is built with ``xml.etree`` so names such as
``<script>&`` are escaped by the XML serializer, never by string pasting. KML viewers (Google
Earth, QGIS balloons) render ``<name>``, ``<description>`` and ExtendedData values as HTML, so
that text is HTML-escaped first (:func:`osint_kit._html.esc`): a tag in a place name shows as
text. The investigator's absolute file paths (a scan's ``path`` column, and the same path
inside other text such as ``error``) stay out of both formats unless ``include_paths=True``:
the file name says which photo it is.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
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


#: Columns that hold where a file lies on the investigator's machine.
PATH_COLUMNS = frozenset({"path", "real_path", "folder", "stored_path", "source_path"})


def _without_paths(rec: dict[str, Any]) -> dict[str, Any]:
    """``rec`` without path columns, and with those paths cut to file names in other text."""
    paths = [str(rec[k]) for k in PATH_COLUMNS if isinstance(rec.get(k), str) and rec[k]]
    out = {}
    for key, value in rec.items():
        if key in PATH_COLUMNS:
            continue
        if isinstance(value, str):
            for p in sorted(paths, key=len, reverse=True):
                value = value.replace(p, os.path.basename(p.rstrip("/\\")) or "…")
        out[key] = value
    return out


def _points(items: Iterable[Place] | pd.DataFrame,
            include_paths: bool = False) -> list[tuple[float, float, dict[str, Any]]]:
    import pandas as pd

    pts = []
    for i, rec in enumerate(_records(items)):
        lat = rec.pop("lat", None)
        lon = rec.pop("lon", None)
        if lat is None or lon is None or pd.isna(lat) or pd.isna(lon):
            continue  # rows without a position (e.g. photos without GPS) are skipped
        lat_f, lon_f = _check_latlon(lat, lon, f"row {i}")
        pts.append((lat_f, lon_f, rec if include_paths else _without_paths(rec)))
    return pts


def _inert(value: Any) -> str:
    """Text a KML viewer's HTML renderer shows as text (tags, entities and all).

    Characters XML 1.0 cannot hold (C0 controls) are dropped: the serializer would write them.
    """
    text = html.escape(str(value), quote=True)
    return "".join(c for c in text if c >= " " or c in "\t\n\r")


def to_geojson(
    items: Iterable[Place] | pd.DataFrame, path: str | Path | None = None,
    include_paths: bool = False,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of Point features (``[lon, lat]``); written if ``path``.

    Rows without coordinates are skipped. Coordinates are rounded to 7 decimals (~1 cm), as
    RFC 7946 §11.2 recommends not to imply more precision than there is. Absolute file paths
    are left out unless ``include_paths=True`` (see the module docstring).
    """
    features = []
    for lat, lon, props in _points(items, include_paths):
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
    include_paths: bool = False,
) -> str:
    """A KML 2.2 document with one Placemark per point; written (UTF-8) if ``path``.

    ``name``/``note``/``source`` become the Placemark name and description; every other field
    goes to ExtendedData. Text is HTML-escaped (viewers render it as HTML), then escaped by the
    XML serializer. Absolute file paths are left out unless ``include_paths=True``.
    """
    ET.register_namespace("", KML_NS)
    kml = ET.Element(f"{{{KML_NS}}}kml")
    doc = ET.SubElement(kml, f"{{{KML_NS}}}Document")
    ET.SubElement(doc, f"{{{KML_NS}}}name").text = _inert(name)
    for lat, lon, props in _points(items, include_paths):
        pm = ET.SubElement(doc, f"{{{KML_NS}}}Placemark")
        label = props.get("name")
        if label is None:
            label = props.get("file_name", props.get("path", ""))
        ET.SubElement(pm, f"{{{KML_NS}}}name").text = "" if label is None else _inert(label)
        desc = " | ".join(
            str(props[k]) for k in ("note", "source") if props.get(k) not in (None, "")
        )
        if desc:
            ET.SubElement(pm, f"{{{KML_NS}}}description").text = _inert(desc)
        ext = ET.SubElement(pm, f"{{{KML_NS}}}ExtendedData")
        for key, value in props.items():
            if key == "name":
                continue
            data = ET.SubElement(ext, f"{{{KML_NS}}}Data", {"name": _inert(key)})
            val = _jsonable(value)
            ET.SubElement(data, f"{{{KML_NS}}}value").text = (
                "" if val is None else _inert(val if isinstance(val, str) else json.dumps(val))
            )
        point = ET.SubElement(pm, f"{{{KML_NS}}}Point")
        ET.SubElement(point, f"{{{KML_NS}}}coordinates").text = f"{lon:.7f},{lat:.7f}"
    text = ET.tostring(kml, encoding="unicode", xml_declaration=False)
    out = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    if path is not None:
        Path(path).write_text(out, encoding="utf-8")
    return out
