"""``osint-kit geo``: sun position and geodesic distance from the command line.

``osint-kit geo sun LAT LON ISO_TIME`` and ``osint-kit geo distance LAT1 LON1 LAT2 LON2``;
output is one JSON object on stdout. No analysis here: each subcommand calls one function.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from osint_kit.errors import GeoError


def _parse_time(text: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise GeoError(f"{text!r} is not an ISO 8601 time such as 2022-11-18T10:30+09:00") from err
    if when.tzinfo is None:
        raise GeoError(f"{text!r} has no UTC offset; add one, e.g. 2022-11-18T10:30+09:00")
    return when


def _sun(args: argparse.Namespace) -> int:
    from osint_kit.geo.sun import shadow

    sh = shadow(args.lat, args.lon, _parse_time(args.time))
    out = {
        "lat": sh.sun.lat,
        "lon": sh.sun.lon,
        "time": sh.sun.when.isoformat(),
        "sun_azimuth": round(sh.sun.azimuth, 3),
        "sun_elevation": round(sh.sun.elevation, 3),
        "shadow_azimuth": round(sh.azimuth, 3),
        "shadow_ratio": None if sh.length_ratio == float("inf") else round(sh.length_ratio, 3),
        "method": sh.sun.method,
    }
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


def _distance(args: argparse.Namespace) -> int:
    from osint_kit.geo.places import inverse

    g = inverse((args.lat1, args.lon1), (args.lat2, args.lon2))
    out = {
        "distance_m": round(g.distance_m, 3),
        "initial_bearing": round(g.initial_bearing, 4),
        "final_bearing": round(g.final_bearing, 4),
        "method": "geographiclib WGS84 geodesic",
    }
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``geo`` command with its ``sun`` and ``distance`` subcommands."""
    geo = subparsers.add_parser("geo", help="sun position, shadows and distances")
    sub = geo.add_subparsers(dest="geo_command", required=True)
    sun = sub.add_parser("sun", help="sun azimuth/elevation and shadow at a place and time")
    sun.add_argument("lat", type=float)
    sun.add_argument("lon", type=float)
    sun.add_argument("time", help="ISO 8601 time WITH offset, e.g. 2022-11-18T10:30+09:00")
    sun.set_defaults(func=_sun)
    dist = sub.add_parser("distance", help="geodesic distance and bearing on WGS84")
    for name in ("lat1", "lon1", "lat2", "lon2"):
        dist.add_argument(name, type=float)
    dist.set_defaults(func=_distance)
