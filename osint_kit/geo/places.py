"""Named places with an uncertainty radius, and geodesics on the WGS84 ellipsoid.

**One convention for every geo helper** (docs/geo.md, "How geo helpers take a place"): a
helper that looks from a point takes it first, as one argument (``place``, ``a``/``b``,
``origin``, ``center``): a :class:`Place`, a ``(lat, lon)`` pair, or anything with ``.lat``
and ``.lon``. :func:`as_latlon` reads all three; :func:`place_first` lets the sun helpers that
used to take ``lat, lon`` as two numbers accept that old form for one release, with a
DeprecationWarning. Helpers over DataFrames (``sun_frame``) take column names instead.

A gazetteer entry is a claim like any other: every :class:`Place` says where its coordinates
came from (``source``) and how far off they may be (``uncertainty_m``; infobox coordinates
are typically good to a few hundred metres).

Distances, bearings and destination points use geographiclib (Karney's geodesic algorithms on
WGS84, accurate to about 15 nanometres), never a spherical haversine, which can be off by
0.5 %.
"""

from __future__ import annotations

import csv
import functools
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from geographiclib.geodesic import Geodesic

from osint_kit._html import kv_table
from osint_kit._structured import load_yaml, read_text
from osint_kit.errors import GeoError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The ellipsoid every computation here uses.
WGS84 = Geodesic.WGS84

#: Columns of :func:`places_frame`.
PLACE_COLUMNS: tuple[str, ...] = ("name", "lat", "lon", "uncertainty_m", "source", "note")


def _check_latlon(lat: float, lon: float, what: str = "point") -> tuple[float, float]:
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError) as err:
        raise GeoError(f"{what}: latitude/longitude must be numbers, got {lat!r}, {lon!r}") from err
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise GeoError(f"{what}: latitude/longitude must be finite, got {lat_f}, {lon_f}")
    if not -90.0 <= lat_f <= 90.0:
        raise GeoError(
            f"{what}: latitude {lat_f} is outside -90..90 (were latitude and longitude swapped?)"
        )
    if not -180.0 <= lon_f <= 360.0:
        raise GeoError(f"{what}: longitude {lon_f} is outside -180..360")
    if lon_f > 180.0:
        lon_f -= 360.0
    return lat_f, lon_f


@dataclass(frozen=True)
class Place:
    """A named point in decimal degrees (WGS84) with an uncertainty radius and a source.

    ``uncertainty_m`` is the radius within which the real place is believed to lie (0 = not
    stated). ``source`` says where the coordinates come from (a URL, "OSM way 123", "measured
    on imagery"); ``note`` is free text.
    """

    name: str
    lat: float
    lon: float
    uncertainty_m: float = 0.0
    source: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        lat, lon = _check_latlon(self.lat, self.lon, f"place {self.name!r}")
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "lon", lon)
        try:
            unc = float(self.uncertainty_m or 0.0)
        except (TypeError, ValueError) as err:
            raise GeoError(
                f"place {self.name!r}: uncertainty_m must be a number of metres, "
                f"got {self.uncertainty_m!r}"
            ) from err
        if not math.isfinite(unc) or unc < 0:
            raise GeoError(f"place {self.name!r}: uncertainty_m must be >= 0, got {unc}")
        object.__setattr__(self, "uncertainty_m", unc)
        object.__setattr__(self, "name", str(self.name))
        object.__setattr__(self, "source", "" if self.source is None else str(self.source))
        object.__setattr__(self, "note", "" if self.note is None else str(self.note))

    @property
    def latlon(self) -> tuple[float, float]:
        return (self.lat, self.lon)

    def to_record(self) -> dict[str, Any]:
        return asdict(self)

    def __repr__(self) -> str:
        unc = f" ±{self.uncertainty_m:.0f} m" if self.uncertainty_m else ""
        return f"Place({self.name!r}, {self.lat:.6f}, {self.lon:.6f}{unc})"

    def _repr_html_(self) -> str:
        return kv_table(
            [
                ("latitude", f"{self.lat:.6f}"),
                ("longitude", f"{self.lon:.6f}"),
                ("uncertainty (m)", f"{self.uncertainty_m:g}"),
                ("source", self.source),
                ("note", self.note),
            ],
            title=f"Place: {self.name}",
        )


#: Anything that names a point: a Place or a (lat, lon) pair (or an object with .lat/.lon).
PointLike = Place | tuple[float, float] | Sequence[float]

_R = TypeVar("_R")


def as_latlon(point: PointLike | Any, what: str = "point") -> tuple[float, float]:
    """Return ``(lat, lon)`` for a Place, a ``(lat, lon)`` pair or an object with lat/lon."""
    if isinstance(point, Place):
        return point.lat, point.lon
    lat = getattr(point, "lat", None)
    lon = getattr(point, "lon", None)
    if lat is not None and lon is not None:
        return _check_latlon(lat, lon, what)
    if _is_number(point):
        raise GeoError(f"{what}: expected a Place or a (lat, lon) pair, got the single number "
                       f"{point!r}; give latitude and longitude together, e.g. (42.42, 130.61)")
    try:
        lat, lon = point  # type: ignore[misc]
    except (TypeError, ValueError) as err:
        raise GeoError(f"{what}: expected a Place or a (lat, lon) pair, got {point!r}") from err
    return _check_latlon(lat, lon, what)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def place_first(fn: Callable[..., _R]) -> Callable[..., _R]:
    """Let ``fn(place, ...)`` still be called the old way, ``fn(lat, lon, ...)`` or
    ``fn(lat=..., lon=..., ...)``, for one release: the two numbers become the ``(lat, lon)``
    pair, with a DeprecationWarning that shows the new call."""
    name = fn.__name__

    def _warn() -> None:
        warnings.warn(
            f"{name}(lat, lon, ...) is deprecated: pass the place as one argument, "
            f"{name}((lat, lon), ...) or {name}(Place(...), ...) (docs/geo.md); the two-number "
            "form goes in the next release",
            DeprecationWarning,
            stacklevel=3,
        )

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> _R:
        if "lon" in kwargs and "lat" not in kwargs and args and _is_number(args[0]):
            _warn()
            args = ((args[0], kwargs.pop("lon")), *args[1:])
        elif "lat" in kwargs or "lon" in kwargs:
            if "lat" not in kwargs or "lon" not in kwargs:
                raise GeoError(f"{name}: give the place as one argument, {name}((lat, lon), ...)")
            _warn()
            args = ((kwargs.pop("lat"), kwargs.pop("lon")), *args)
        elif len(args) >= 2 and _is_number(args[0]) and _is_number(args[1]):
            _warn()
            args = ((args[0], args[1]), *args[2:])
        return fn(*args, **kwargs)

    return wrapper


# --- loading ---------------------------------------------------------------------------------


def _place_from_mapping(row: Mapping[str, Any], where: str) -> Place:
    keys = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    lat = keys.get("lat", keys.get("latitude"))
    lon = keys.get("lon", keys.get("lng", keys.get("longitude")))
    name = keys.get("name")
    if name in (None, "") or lat in (None, "") or lon in (None, ""):
        raise GeoError(f"{where}: every place needs name, lat and lon (got keys {sorted(keys)})")
    unc = keys.get("uncertainty_m", keys.get("uncertainty")) or 0.0
    return Place(
        name=str(name),
        lat=lat,  # type: ignore[arg-type]
        lon=lon,  # type: ignore[arg-type]
        uncertainty_m=unc,
        source=keys.get("source") or "",
        note=keys.get("note") or "",
    )


def load_places(path: str | Path) -> list[Place]:
    """Load places from a CSV (header: name,lat,lon[,uncertainty_m,source,note]) or YAML file.

    YAML may be a list of mappings or a mapping with a ``places`` list. ``latitude`` /
    ``longitude`` / ``lng`` are accepted as column names too.
    """
    p = Path(path)
    text = read_text(p, GeoError, encoding="utf-8-sig")  # bounded: a places file is small
    suffix = p.suffix.lower()
    rows: list[Mapping[str, Any]]
    if suffix in (".yaml", ".yml"):
        data = load_yaml(text, GeoError, what=str(p))  # no aliases, bounded nodes and depth
        if isinstance(data, Mapping):
            data = data.get("places")
        if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
            raise GeoError(f"{p}: expected a list of places (or a 'places:' list) in the YAML")
        for i, row in enumerate(data):
            bad = [str(k) for k, v in row.items()
                   if v is not None and not isinstance(v, str | int | float)]
            if bad:
                raise GeoError(f"{p} entry {i + 1}: {', '.join(bad)} must be text or a "
                               "number, not a list or mapping")
        rows = data
    elif suffix in (".csv", ".txt"):
        rows = list(csv.DictReader(text.splitlines()))
    else:
        raise GeoError(f"{p}: unknown places file type {suffix!r}; use .csv or .yaml")
    return [_place_from_mapping(r, f"{p} entry {i + 1}") for i, r in enumerate(rows)]


def places_frame(places: Iterable[Place]) -> pd.DataFrame:
    """A DataFrame with :data:`PLACE_COLUMNS`, one row per place."""
    import pandas as pd

    return pd.DataFrame([p.to_record() for p in places], columns=list(PLACE_COLUMNS))


# --- geodesics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeodesicResult:
    """Distance and azimuths between two points (Karney's inverse problem on WGS84)."""

    distance_m: float
    initial_bearing: float
    final_bearing: float

    def __repr__(self) -> str:
        return (
            f"GeodesicResult({self.distance_m:.1f} m, bearing {self.initial_bearing:.1f}°"
            f" -> {self.final_bearing:.1f}°)"
        )

    def _repr_html_(self) -> str:
        return kv_table(
            [
                ("distance (m)", f"{self.distance_m:.3f}"),
                ("initial bearing (°)", f"{self.initial_bearing:.3f}"),
                ("final bearing (°)", f"{self.final_bearing:.3f}"),
                ("method", "geographiclib Geodesic.WGS84.Inverse"),
            ]
        )


def inverse(a: PointLike, b: PointLike) -> GeodesicResult:
    """Solve the inverse geodesic problem from ``a`` to ``b`` (bearings in 0..360 from north)."""
    lat1, lon1 = as_latlon(a, "from")
    lat2, lon2 = as_latlon(b, "to")
    g = WGS84.Inverse(lat1, lon1, lat2, lon2)
    return GeodesicResult(
        distance_m=float(g["s12"]),
        initial_bearing=float(g["azi1"]) % 360.0,
        final_bearing=float(g["azi2"]) % 360.0,
    )


def distance(a: PointLike, b: PointLike) -> float:
    """Geodesic distance in metres between two points on WGS84."""
    return inverse(a, b).distance_m


def bearing(a: PointLike, b: PointLike) -> float:
    """Initial bearing (degrees clockwise from true north, 0..360) from ``a`` towards ``b``."""
    return inverse(a, b).initial_bearing


def destination(origin: PointLike, bearing_deg: float, distance_m: float) -> tuple[float, float]:
    """The ``(lat, lon)`` reached from ``origin`` along ``bearing_deg`` after ``distance_m``."""
    lat1, lon1 = as_latlon(origin, "origin")
    if not (math.isfinite(bearing_deg) and math.isfinite(distance_m)):
        raise GeoError(f"bearing and distance must be finite, got {bearing_deg}, {distance_m}")
    g = WGS84.Direct(lat1, lon1, float(bearing_deg), float(distance_m))
    return float(g["lat2"]), float(g["lon2"])


def within(point: PointLike, center: PointLike, radius_m: float | None = None) -> bool:
    """True when ``point`` lies within ``radius_m`` of ``center`` (geodesic distance).

    With a :class:`Place` as ``center`` and no radius, its ``uncertainty_m`` is used.
    """
    if radius_m is None:
        if not isinstance(center, Place):
            raise GeoError("within(): give radius_m, or a Place whose uncertainty_m is the radius")
        radius_m = center.uncertainty_m
    if radius_m < 0:
        raise GeoError(f"radius_m must be >= 0, got {radius_m}")
    return distance(point, center) <= radius_m


def circle(center: PointLike, radius_m: float, n: int = 72) -> list[tuple[float, float]]:
    """A closed polygon of ``n`` geodesic points at ``radius_m`` around ``center`` (lat, lon)."""
    if radius_m <= 0:
        raise GeoError(f"circle radius must be > 0 m, got {radius_m}")
    pts = [destination(center, 360.0 * i / n, radius_m) for i in range(n)]
    return [*pts, pts[0]]
