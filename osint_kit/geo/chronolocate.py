"""Chronolocation from shadows: when (and where) could this shadow have been cast?

* :func:`chronolocate`: place + local date + measured shadow azimuth (and optionally the
  length ÷ height ratio), each with a tolerance -> the time windows consistent with them.
* :func:`expected_shadow`: place + time window -> the range of shadow azimuths and ratios.
* :func:`shadow_finder`: the inverse, ShadowFinder-style question: at this UTC time, where on
  a coarse global grid does a shadow ratio (and optionally azimuth) occur?

All three sample the vectorised NOAA sun equations of :mod:`osint_kit.geo.sun`; window edges
are refined by bisection to ``edge_precision_s``. A window shorter than the sampling step
could be missed, so keep ``step_s`` well below the width you expect (the default 10 s suits
tolerances of a fraction of a degree, except for a sun within a few degrees of the zenith).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np

from osint_kit._html import kv_table
from osint_kit.errors import GeoError
from osint_kit.geo.places import PointLike, as_latlon
from osint_kit.geo.sun import (
    _require_aware,
    _unix_seconds,
    shadow_ratio_from_elevation,
    solar_position_arrays,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Columns of the DataFrame returned by :func:`chronolocate`.
WINDOW_COLUMNS: tuple[str, ...] = (
    "start",
    "end",
    "duration_s",
    "shadow_azimuth_start",
    "shadow_azimuth_end",
    "shadow_ratio_start",
    "shadow_ratio_end",
    "sun_elevation_max",
    "provenance",
)

#: Columns of the DataFrame returned by :func:`shadow_finder`.
FINDER_COLUMNS: tuple[str, ...] = (
    "lat",
    "lon",
    "sun_azimuth",
    "sun_elevation",
    "shadow_azimuth",
    "shadow_ratio",
    "ratio_error",
)


def angle_diff(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """Smallest absolute difference between two azimuths, in degrees (0..180)."""
    d = np.mod(np.asarray(a, dtype=float) - np.asarray(b, dtype=float) + 180.0, 360.0) - 180.0
    return np.abs(d)


def _tz(tz: str | dt.tzinfo | None) -> dt.tzinfo:
    if tz is None:
        return dt.UTC
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz)
        except (KeyError, ValueError) as err:
            raise GeoError(
                f"unknown timezone {tz!r}: use an IANA name such as 'Asia/Pyongyang'"
            ) from err
    return tz


def _shadow_at(
    lat: float, lon: float, secs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    az, el = solar_position_arrays(secs, lat, lon)
    return np.mod(az + 180.0, 360.0), shadow_ratio_from_elevation(el), el


def _bisect(ok: Callable[[float], bool], good: float, bad: float, precision: float) -> float:
    """Move ``good`` towards the boundary with ``bad`` while ``ok`` stays true."""
    while abs(bad - good) > precision:
        mid = (good + bad) / 2.0
        if ok(mid):
            good = mid
        else:
            bad = mid
    return good


def chronolocate(
    place: PointLike,
    date: dt.date,
    shadow_azimuth: float,
    azimuth_tol: float = 2.0,
    length_ratio: float | None = None,
    ratio_tol: float = 0.05,
    tz: str | dt.tzinfo | None = None,
    min_elevation: float = 0.0,
    step_s: float = 10.0,
    edge_precision_s: float = 1.0,
) -> pd.DataFrame:
    """Time windows on a local ``date`` when the shadow matches the measurement.

    ``shadow_azimuth`` is the direction a vertical object's shadow points (degrees clockwise
    from true north) with an absolute tolerance ``azimuth_tol`` in degrees. ``length_ratio``
    (shadow length ÷ object height) is optional; ``ratio_tol`` is *relative* (0.05 = ±5 %),
    because measurement error scales with the length. ``date`` is a calendar date in ``tz``
    (IANA name or tzinfo; default UTC); the windows come back in ``tz`` with
    :data:`WINDOW_COLUMNS`, an empty frame when nothing matches.
    """
    lat, lon = as_latlon(place, "place")
    if not 0.0 < azimuth_tol <= 180.0:
        raise GeoError(f"azimuth_tol must be in (0, 180] degrees, got {azimuth_tol}")
    if length_ratio is not None and (length_ratio <= 0 or not math.isfinite(length_ratio)):
        raise GeoError(f"length_ratio must be a positive number, got {length_ratio}")
    if ratio_tol < 0:
        raise GeoError(f"ratio_tol must be >= 0, got {ratio_tol}")
    if step_s <= 0 or edge_precision_s <= 0:
        raise GeoError("step_s and edge_precision_s must be > 0 seconds")
    tzinfo = _tz(tz)
    start_local = dt.datetime(date.year, date.month, date.day, tzinfo=tzinfo)
    end_local = start_local + dt.timedelta(days=1)
    t0 = start_local.timestamp()
    t1 = end_local.timestamp()
    secs = np.arange(t0, t1 + step_s / 2, step_s)
    secs[-1] = min(secs[-1], t1)

    def mask_of(s: np.ndarray) -> np.ndarray:
        sh_az, ratio, el = _shadow_at(lat, lon, s)
        ok = (el > max(min_elevation, 0.0)) & (angle_diff(sh_az, shadow_azimuth) <= azimuth_tol)
        if length_ratio is not None:
            ok &= np.abs(ratio - length_ratio) <= ratio_tol * length_ratio
        return ok

    def ok_at(s: float) -> bool:
        return bool(mask_of(np.array([s]))[0])

    mask = mask_of(secs)
    rows = []
    idx = np.flatnonzero(mask)
    if idx.size:
        breaks = np.flatnonzero(np.diff(idx) > 1)
        starts = np.r_[idx[0], idx[breaks + 1]]
        ends = np.r_[idx[breaks], idx[-1]]
        what = f"shadow azimuth {shadow_azimuth:g}±{azimuth_tol:g}°"
        if length_ratio is not None:
            what += f", length/height {length_ratio:g}±{ratio_tol * 100:g}%"
        provenance = (
            f"{what} at {lat:.5f},{lon:.5f}; NOAA sun equations sampled every {step_s:g} s, "
            f"edges bisected to {edge_precision_s:g} s"
        )
        for i, j in zip(starts, ends, strict=True):
            s = float(secs[i])
            e = float(secs[j])
            if i > 0:
                s = _bisect(ok_at, s, float(secs[i - 1]), edge_precision_s)
            if j < len(secs) - 1:
                e = _bisect(ok_at, e, float(secs[j + 1]), edge_precision_s)
            sh_az, ratio, _el = _shadow_at(lat, lon, np.array([s, e]))
            inner = np.linspace(s, e, 50)
            el_max = float(np.max(solar_position_arrays(inner, lat, lon)[1]))
            rows.append(
                {
                    "start": dt.datetime.fromtimestamp(s, tz=dt.UTC).astimezone(tzinfo),
                    "end": dt.datetime.fromtimestamp(e, tz=dt.UTC).astimezone(tzinfo),
                    "duration_s": e - s,
                    "shadow_azimuth_start": float(sh_az[0]),
                    "shadow_azimuth_end": float(sh_az[1]),
                    "shadow_ratio_start": float(ratio[0]),
                    "shadow_ratio_end": float(ratio[1]),
                    "sun_elevation_max": el_max,
                    "provenance": provenance,
                }
            )
    import pandas as pd  # lazy: osint_kit.geo is imported by the daylight check of one photo

    return pd.DataFrame(rows, columns=list(WINDOW_COLUMNS))


@dataclass(frozen=True)
class ShadowRange:
    """Shadows expected at a place over a time window (vertical objects, level ground)."""

    start: dt.datetime
    end: dt.datetime
    azimuth_start: float
    azimuth_end: float
    azimuth_sweep: float
    ratio_min: float
    ratio_max: float
    sun_elevation_min: float
    sun_elevation_max: float
    sun_below_horizon: bool

    def contains_azimuth(self, azimuth: float, tol: float = 0.0) -> bool:
        """True when ``azimuth`` lies on the arc swept from azimuth_start (within ``tol``)."""
        rel = (azimuth - self.azimuth_start) % 360.0
        sweep = self.azimuth_sweep
        inside = rel <= sweep if sweep >= 0 else ((rel - 360.0) >= sweep or rel == 0.0)
        if inside:
            return True
        edges = np.array([self.azimuth_start, self.azimuth_end])
        return bool(np.min(angle_diff(edges, azimuth)) <= tol)

    def __repr__(self) -> str:
        return (
            f"ShadowRange({self.start.isoformat()} .. {self.end.isoformat()}: azimuth "
            f"{self.azimuth_start:.1f}° -> {self.azimuth_end:.1f}°, length/height "
            f"{self.ratio_min:.2f}..{self.ratio_max:.2f})"
        )

    def _repr_html_(self) -> str:
        return kv_table(
            [
                ("window", f"{self.start.isoformat()} .. {self.end.isoformat()}"),
                ("shadow azimuth (°)", f"{self.azimuth_start:.1f} -> {self.azimuth_end:.1f}"),
                ("length ÷ height", f"{self.ratio_min:.2f} .. {self.ratio_max:.2f}"),
                (
                    "sun elevation (°)",
                    f"{self.sun_elevation_min:.1f} .. {self.sun_elevation_max:.1f}",
                ),
                ("sun below horizon in part", "yes" if self.sun_below_horizon else "no"),
            ],
            title="Expected shadows",
        )


def expected_shadow(
    place: PointLike, start: dt.datetime, end: dt.datetime, step_s: float = 60.0
) -> ShadowRange:
    """The shadow azimuth arc and length ratios expected at ``place`` between two aware times.

    The azimuth is followed continuously (unwrapped), so a sweep through north is reported as
    e.g. 340° -> 20° with ``azimuth_sweep`` = +40°. Ratios count only sunlit instants.
    """
    lat, lon = as_latlon(place, "place")
    start = _require_aware(start, "start")
    end = _require_aware(end, "end")
    if end < start:
        raise GeoError(f"window end {end.isoformat()} is before its start {start.isoformat()}")
    t0, t1 = start.timestamp(), end.timestamp()
    n = max(2, math.ceil((t1 - t0) / step_s) + 1)
    secs = np.linspace(t0, t1, n)
    sh_az, ratio, el = _shadow_at(lat, lon, secs)
    unwrapped = np.degrees(np.unwrap(np.radians(sh_az)))
    lit = el > 0
    finite = ratio[lit]
    return ShadowRange(
        start=start,
        end=end,
        azimuth_start=float(sh_az[0]),
        azimuth_end=float(sh_az[-1]),
        azimuth_sweep=float(unwrapped[-1] - unwrapped[0]),
        ratio_min=float(finite.min()) if finite.size else math.inf,
        ratio_max=float(finite.max()) if finite.size else math.inf,
        sun_elevation_min=float(el.min()),
        sun_elevation_max=float(el.max()),
        sun_below_horizon=bool((~lit).any()),
    )


def shadow_finder(
    ratio: float,
    when_utc: dt.datetime,
    tolerance: float = 0.05,
    grid_deg: float = 1.0,
    shadow_azimuth: float | None = None,
    azimuth_tol: float = 5.0,
) -> pd.DataFrame:
    """Grid points (lat, lon) where a shadow length ÷ height ``ratio`` occurs at ``when_utc``.

    Like Bellingcat's ShadowFinder: the sun's elevation is computed on a global grid of
    ``grid_deg`` spacing and points whose ratio is within the *relative* ``tolerance`` are
    kept (the result is a band around the subsolar point). ``shadow_azimuth`` narrows the band
    to the points where the shadow also points that way. Columns :data:`FINDER_COLUMNS`,
    sorted by ``ratio_error``.
    """
    when_utc = _require_aware(when_utc, "when_utc")
    if ratio <= 0 or not math.isfinite(ratio):
        raise GeoError(f"ratio must be a positive number, got {ratio}")
    if not 0.01 <= grid_deg <= 30:
        raise GeoError(f"grid_deg must be between 0.01 and 30 degrees, got {grid_deg}")
    if tolerance < 0:
        raise GeoError(f"tolerance must be >= 0, got {tolerance}")
    lats = np.arange(-90.0 + grid_deg / 2, 90.0, grid_deg)
    lons = np.arange(-180.0 + grid_deg / 2, 180.0, grid_deg)
    lat_g, lon_g = np.meshgrid(lats, lons, indexing="ij")
    secs = float(_unix_seconds([when_utc])[0])
    az, el = solar_position_arrays(secs, lat_g.ravel(), lon_g.ravel())
    r = shadow_ratio_from_elevation(el)
    with np.errstate(invalid="ignore"):
        err = np.abs(r - ratio) / ratio
    keep = np.isfinite(r) & (err <= tolerance)
    sh_az = np.mod(az + 180.0, 360.0)
    if shadow_azimuth is not None:
        keep &= angle_diff(sh_az, shadow_azimuth) <= azimuth_tol
    import pandas as pd

    out = pd.DataFrame(
        {
            "lat": lat_g.ravel()[keep],
            "lon": lon_g.ravel()[keep],
            "sun_azimuth": az[keep],
            "sun_elevation": el[keep],
            "shadow_azimuth": sh_az[keep],
            "shadow_ratio": r[keep],
            "ratio_error": err[keep],
        },
        columns=list(FINDER_COLUMNS),
    )
    out.attrs["provenance"] = (
        f"shadow ratio {ratio:g}±{tolerance * 100:g}% at {when_utc.isoformat()} on a "
        f"{grid_deg:g}° grid (NOAA sun equations)"
    )
    return out.sort_values("ratio_error", kind="stable").reset_index(drop=True)
