"""Sun position, sunrise/sunset and shadows for a place and a timezone-aware time.

Two implementations of the same published equations (NOAA Solar Calculator, after Meeus,
*Astronomical Algorithms*), kept in step by the tests:

* :func:`sun_position`, :func:`shadow` and :func:`sun_times` call **astral** (3.x), a
  well-kept library, for single values; like every geo helper they take the place first, as
  one argument (a :class:`~osint_kit.geo.places.Place` or a ``(lat, lon)`` pair; the old
  ``lat, lon`` two-number form still works for one release, with a DeprecationWarning);
* :func:`sun_frame` and :func:`solar_position_arrays` are a numpy vectorisation of the NOAA
  equations for DataFrames of times and places (thousands of rows per millisecond); the tests
  pin them to astral within 0.01°.

Accuracy: the NOAA equations are stated to be good to about 0.01° (≈1 arcminute in the worst
case) for dates between 1901 and 2099; the tests compare them with NREL SPA reference output
(±0.0003°) for both hemispheres and a high-latitude station and find agreement within 0.05°.
Elevations are **apparent** (with NOAA's standard atmospheric refraction, ≈0.5° at the
horizon, ≈0.03° at 30°) unless ``refraction=False``. Refraction depends on real pressure and
temperature, so near the horizon (below ~2°) expect several tenths of a degree of uncertainty.
Azimuth is degrees clockwise from true north; shadows point away from the sun (azimuth
+180°) and are ``1 / tan(elevation)`` times as long as the object is tall, on level ground.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from osint_kit._html import kv_table
from osint_kit.errors import GeoError
from osint_kit.geo.places import PointLike, as_latlon, place_first

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Columns added by :func:`sun_frame`.
SUN_COLUMNS: tuple[str, ...] = ("sun_azimuth", "sun_elevation", "shadow_azimuth", "shadow_ratio")

_METHOD_ASTRAL = "astral.sun.zenith_and_azimuth (NOAA/Meeus equations)"
_METHOD_NOAA = "osint_kit NOAA solar equations (numpy), refraction per NOAA"


def _require_aware(when: dt.datetime, what: str = "time") -> dt.datetime:
    if not isinstance(when, dt.datetime):
        raise GeoError(f"{what} must be a datetime, got {type(when).__name__}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise GeoError(
            f"{what} {when.isoformat()} has no timezone: the sun's position depends on the "
            "absolute time. Attach the offset (e.g. datetime(..., tzinfo=ZoneInfo('Asia/"
            "Pyongyang'))) or, if the offset is unknown, try each candidate offset."
        )
    return when


# --- vectorised NOAA equations ---------------------------------------------------------------


def _unix_seconds(times: Any) -> np.ndarray:
    """Seconds since 1970-01-01 UTC for aware datetimes (scalar, list, Series or Index)."""
    import pandas as pd  # lazy: a single sun position (the daylight check) needs none

    if isinstance(times, dt.datetime):
        times = [times]
    if isinstance(times, pd.Series):
        values = times
    else:
        values = pd.Series(list(times) if not isinstance(times, pd.Index) else times)
    if len(values) == 0:
        return np.zeros(0, dtype=float)
    naive_msg = (
        "times are timezone-naive: the sun's position needs absolute times; localise them "
        "(Series.dt.tz_localize('Asia/Pyongyang')) or convert them to UTC first"
    )
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        conv = values
    elif values.dtype == object:
        for v in values:
            if not isinstance(v, dt.datetime | pd.Timestamp):
                raise GeoError(f"times must be aware datetimes, got {v!r}")
            if v.tzinfo is None:
                raise GeoError(naive_msg)
        conv = pd.to_datetime(values, utc=True)
    else:
        raise GeoError(naive_msg)
    utc = conv.dt.tz_convert("UTC").dt.tz_localize(None)
    ns = utc.to_numpy(dtype="datetime64[ns]").astype("int64").astype(float)
    return ns / 1e9


def _refraction(elevation: np.ndarray) -> np.ndarray:
    """NOAA's refraction correction (degrees) for a true elevation (degrees)."""
    e = np.asarray(elevation, dtype=float)
    te = np.tan(np.radians(np.clip(e, -89.9, 89.9)))
    out = np.zeros_like(e)
    high = (e > 5.0) & (e < 85.0)
    out[high] = 58.1 / te[high] - 0.07 / te[high] ** 3 + 0.000086 / te[high] ** 5
    mid = (e > -0.575) & (e <= 5.0)
    em = e[mid]
    out[mid] = 1735.0 + em * (-518.2 + em * (103.4 + em * (-12.79 + em * 0.711)))
    low = e <= -0.575
    out[low] = -20.774 / te[low]
    return out / 3600.0


def noaa_declination_eot(unix_s: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Solar declination (degrees) and equation of time (minutes) at UTC seconds since 1970."""
    jd = np.asarray(unix_s, dtype=float) / 86400.0 + 2440587.5
    t = (jd - 2451545.0) / 36525.0
    l0 = np.mod(280.46646 + t * (36000.76983 + 0.0003032 * t), 360.0)
    m = 357.52911 + t * (35999.05029 - 0.0001537 * t)
    e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    mr = np.radians(m)
    c = (
        np.sin(mr) * (1.914602 - t * (0.004817 + 0.000014 * t))
        + np.sin(2 * mr) * (0.019993 - 0.000101 * t)
        + np.sin(3 * mr) * 0.000289
    )
    true_long = l0 + c
    omega = 125.04 - 1934.136 * t
    app_long = true_long - 0.00569 - 0.00478 * np.sin(np.radians(omega))
    seconds = 21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))
    eps0 = 23.0 + (26.0 + seconds / 60.0) / 60.0
    eps = eps0 + 0.00256 * np.cos(np.radians(omega))
    decl = np.degrees(np.arcsin(np.sin(np.radians(eps)) * np.sin(np.radians(app_long))))
    y = np.tan(np.radians(eps) / 2.0) ** 2
    l0r = np.radians(l0)
    eot_rad = (
        y * np.sin(2 * l0r)
        - 2 * e * np.sin(mr)
        + 4 * e * y * np.sin(mr) * np.cos(2 * l0r)
        - 0.5 * y * y * np.sin(4 * l0r)
        - 1.25 * e * e * np.sin(2 * mr)
    )
    return decl, np.degrees(eot_rad) * 4.0


def solar_position_arrays(
    unix_s: np.ndarray | float,
    lat: np.ndarray | float,
    lon: np.ndarray | float,
    refraction: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised sun ``(azimuth, elevation)`` in degrees; inputs broadcast against each other.

    ``unix_s`` is seconds since 1970-01-01 UTC; latitudes are clamped to ±89.8° as in astral
    (the azimuth is undefined at the poles).
    """
    t_s, la, lo = np.broadcast_arrays(
        np.asarray(unix_s, dtype=float), np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    )
    la = np.clip(la, -89.8, 89.8)
    decl, eot = noaa_declination_eot(t_s)
    minutes_utc = np.mod(t_s, 86400.0) / 60.0
    true_solar = np.mod(minutes_utc + eot + 4.0 * lo, 1440.0)
    ha = true_solar / 4.0 - 180.0  # hour angle, degrees, negative in the morning
    phi, d, h = np.radians(la), np.radians(decl), np.radians(ha)
    cos_z = np.clip(np.sin(phi) * np.sin(d) + np.cos(phi) * np.cos(d) * np.cos(h), -1.0, 1.0)
    elevation = 90.0 - np.degrees(np.arccos(cos_z))
    azimuth = np.mod(
        np.degrees(np.arctan2(np.sin(h), np.cos(h) * np.sin(phi) - np.tan(d) * np.cos(phi)))
        + 180.0,
        360.0,
    )
    if refraction:
        elevation = elevation + _refraction(elevation)
    return azimuth, elevation


def shadow_ratio_from_elevation(elevation: np.ndarray | float) -> np.ndarray:
    """Shadow length ÷ object height on level ground; ``inf`` when the sun is not above 0°."""
    e = np.asarray(elevation, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = 1.0 / np.tan(np.radians(e))
    return np.where(e > 0.0, ratio, np.inf)


def sun_frame(
    df: pd.DataFrame,
    time: str = "time",
    lat: str = "lat",
    lon: str = "lon",
    refraction: bool = True,
) -> pd.DataFrame:
    """Return a copy of ``df`` with :data:`SUN_COLUMNS` added for each row's time and place.

    ``df[time]`` must hold timezone-aware datetimes (any offset). ``shadow_ratio`` is ``inf``
    when the sun is at or below the horizon.
    """
    for col in (time, lat, lon):
        if col not in df.columns:
            raise GeoError(f"sun_frame: column {col!r} is missing (have {list(df.columns)})")
    out = df.copy()
    secs = _unix_seconds(df[time])
    az, el = solar_position_arrays(
        secs, df[lat].to_numpy(dtype=float), df[lon].to_numpy(dtype=float), refraction
    )
    out["sun_azimuth"] = az
    out["sun_elevation"] = el
    out["shadow_azimuth"] = np.mod(az + 180.0, 360.0)
    out["shadow_ratio"] = shadow_ratio_from_elevation(el)
    return out


# --- single values through astral -----------------------------------------------------------


@dataclass(frozen=True)
class SunPosition:
    """Where the sun is seen from (lat, lon) at ``when`` (degrees; azimuth from true north)."""

    lat: float
    lon: float
    when: dt.datetime
    azimuth: float
    elevation: float
    refraction: bool = True
    method: str = _METHOD_ASTRAL

    @property
    def is_up(self) -> bool:
        """The sun's upper limb is above the horizon (apparent elevation > -0.833°)."""
        return self.elevation > -0.833

    def __repr__(self) -> str:
        return (
            f"SunPosition(azimuth={self.azimuth:.2f}°, elevation={self.elevation:.2f}° at "
            f"{self.when.isoformat()} for {self.lat:.4f}, {self.lon:.4f})"
        )

    def _repr_html_(self) -> str:
        return kv_table(
            [
                ("time", self.when.isoformat()),
                ("place", f"{self.lat:.5f}, {self.lon:.5f}"),
                ("sun azimuth (°)", f"{self.azimuth:.2f}"),
                ("sun elevation (°)", f"{self.elevation:.2f}"),
                ("refraction", "applied" if self.refraction else "not applied"),
                ("method", self.method),
            ],
            title="Sun position",
        )


@overload
def sun_position(place: PointLike, when: dt.datetime, refraction: bool = True) -> SunPosition: ...
@overload  # deprecated: two numbers instead of one place
def sun_position(
    lat: float, lon: float, when: dt.datetime, refraction: bool = True
) -> SunPosition: ...
@place_first
def sun_position(place: PointLike, when: dt.datetime, refraction: bool = True) -> SunPosition:
    """Sun azimuth and elevation (astral) at ``place`` and a timezone-aware time.

    Accuracy ≈0.01° for 1901-2099 (NOAA equations); apparent elevation with standard
    refraction unless ``refraction=False``. See the module docstring.
    """
    from astral import Observer
    from astral.sun import zenith_and_azimuth

    lat, lon = as_latlon(place, "place")
    when = _require_aware(when)
    zenith, azimuth = zenith_and_azimuth(
        Observer(latitude=lat, longitude=lon), when.astimezone(dt.UTC), refraction
    )
    return SunPosition(lat, lon, when, float(azimuth), 90.0 - float(zenith), refraction)


@dataclass(frozen=True)
class Shadow:
    """The shadow of a vertical object on level ground at a place and time."""

    azimuth: float
    length_ratio: float
    sun: SunPosition

    def __repr__(self) -> str:
        if math.isinf(self.length_ratio):
            return f"Shadow(none: sun at {self.sun.elevation:.2f}° at {self.sun.when.isoformat()})"
        return (
            f"Shadow(azimuth={self.azimuth:.1f}°, length/height={self.length_ratio:.2f} at "
            f"{self.sun.when.isoformat()})"
        )

    def _repr_html_(self) -> str:
        return kv_table(
            [
                ("time", self.sun.when.isoformat()),
                ("shadow azimuth (°)", f"{self.azimuth:.1f}"),
                ("shadow length ÷ height", f"{self.length_ratio:.3f}"),
                ("sun elevation (°)", f"{self.sun.elevation:.2f}"),
                ("method", self.sun.method),
            ],
            title="Shadow",
        )


@overload
def shadow(place: PointLike, when: dt.datetime) -> Shadow: ...
@overload  # deprecated: two numbers instead of one place
def shadow(lat: float, lon: float, when: dt.datetime) -> Shadow: ...
@place_first
def shadow(place: PointLike, when: dt.datetime) -> Shadow:
    """Shadow direction (sun azimuth + 180°) and length ÷ height (1/tan(elevation)) at
    ``place`` and a timezone-aware time.

    When the sun is not above the horizon the ratio is ``inf`` (no cast shadow).
    """
    sun = sun_position(place, when)
    ratio = float(shadow_ratio_from_elevation(sun.elevation))
    return Shadow(azimuth=(sun.azimuth + 180.0) % 360.0, length_ratio=ratio, sun=sun)


@dataclass(frozen=True)
class SunTimes:
    """Sun events for one local date; ``None`` where the event does not happen (polar)."""

    date: dt.date
    dawn: dt.datetime | None
    sunrise: dt.datetime | None
    noon: dt.datetime
    sunset: dt.datetime | None
    dusk: dt.datetime | None
    noon_elevation: float

    def __repr__(self) -> str:
        def f(x: dt.datetime | None) -> str:
            return x.strftime("%H:%M:%S") if x else "-"

        return (
            f"SunTimes({self.date}: sunrise {f(self.sunrise)}, noon {f(self.noon)}, "
            f"sunset {f(self.sunset)})"
        )

    def _repr_html_(self) -> str:
        return kv_table(
            [
                ("date", self.date.isoformat()),
                ("civil dawn", self.dawn.isoformat() if self.dawn else "does not occur"),
                ("sunrise", self.sunrise.isoformat() if self.sunrise else "does not occur"),
                ("solar noon", self.noon.isoformat()),
                ("max elevation (°)", f"{self.noon_elevation:.2f}"),
                ("sunset", self.sunset.isoformat() if self.sunset else "does not occur"),
                ("civil dusk", self.dusk.isoformat() if self.dusk else "does not occur"),
            ],
            title="Sun times",
        )


@overload
def sun_times(place: PointLike, date: dt.date, tz: str | dt.tzinfo = "UTC") -> SunTimes: ...
@overload  # deprecated: two numbers instead of one place
def sun_times(lat: float, lon: float, date: dt.date, tz: str | dt.tzinfo = "UTC") -> SunTimes: ...
@place_first
def sun_times(place: PointLike, date: dt.date, tz: str | dt.tzinfo = "UTC") -> SunTimes:
    """Civil dawn, sunrise, solar noon, sunset and civil dusk (astral) at ``place`` in ``tz``.

    Events that do not occur on that date (midnight sun, polar night) are ``None``.
    """
    from zoneinfo import ZoneInfo

    from astral import Observer
    from astral import sun as asun

    lat, lon = as_latlon(place, "place")
    tzinfo: dt.tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz
    obs = Observer(latitude=lat, longitude=lon)

    def event(fn: Any) -> dt.datetime | None:
        try:
            return fn(obs, date, tzinfo=tzinfo)  # type: ignore[no-any-return]
        except ValueError:  # astral: "Sun never reaches ..." (polar day or night)
            return None

    noon = asun.noon(obs, date, tzinfo=tzinfo)
    return SunTimes(
        date=date,
        dawn=event(asun.dawn),
        sunrise=event(asun.sunrise),
        noon=noon,
        sunset=event(asun.sunset),
        dusk=event(asun.dusk),
        noon_elevation=sun_position((lat, lon), noon).elevation,
    )


@overload
def sun_positions(place: PointLike, times: Sequence[dt.datetime] | pd.Series) -> pd.DataFrame: ...
@overload  # deprecated: two numbers instead of one place
def sun_positions(
    lat: float, lon: float, times: Sequence[dt.datetime] | pd.Series
) -> pd.DataFrame: ...
@place_first
def sun_positions(place: PointLike, times: Sequence[dt.datetime] | pd.Series) -> pd.DataFrame:
    """Sun and shadow for one place over many aware times (vectorised): :data:`SUN_COLUMNS`."""
    lat, lon = as_latlon(place, "place")
    import pandas as pd

    df = pd.DataFrame({"time": list(times)})
    df["lat"] = lat
    df["lon"] = lon
    return sun_frame(df)
