"""``osint-kit geo``: sun position and geodesic distance from the command line.

``osint-kit geo sun LAT LON ISO_TIME``, ``osint-kit geo distance LAT1 LON1 LAT2 LON2`` and
``osint-kit geo chronolocate LAT LON DATE --shadow-azimuth DEG``; output is JSON on stdout. No analysis here: each subcommand calls one function.
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

    sh = shadow((args.lat, args.lon), _parse_time(args.time))
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
    register_chronolocate(sub)


def _chronolocate(args: argparse.Namespace) -> int:
    import datetime as dt

    from osint_kit.geo.chronolocate import chronolocate

    try:
        day = dt.date.fromisoformat(args.date)
    except ValueError as err:
        raise GeoError(f"{args.date!r} is not a date such as 2022-11-18") from err
    windows = chronolocate((args.lat, args.lon), day, args.shadow_azimuth,
                           azimuth_tol=args.azimuth_tol, length_ratio=args.length_ratio,
                           ratio_tol=args.ratio_tol, tz=args.tz)
    out = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
           for row in windows.to_dict("records")]
    sys.stdout.write(json.dumps(out, ensure_ascii=False, default=str) + "\n")
    return 0


def register_chronolocate(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``geo chronolocate LAT LON DATE --shadow-azimuth DEG ...``: time windows as JSON."""
    p = sub.add_parser("chronolocate", help="when on a day does a shadow point this way "
                                            "(and have this length)?")
    p.add_argument("lat", type=float)
    p.add_argument("lon", type=float)
    p.add_argument("date", help="local calendar date, e.g. 2022-11-18")
    p.add_argument("--shadow-azimuth", type=float, required=True, metavar="DEG",
                   help="direction the shadow points, degrees clockwise from true north")
    p.add_argument("--azimuth-tol", type=float, default=2.0, metavar="DEG",
                   help="tolerance on the azimuth in degrees (default 2)")
    p.add_argument("--length-ratio", type=float, default=None, metavar="RATIO",
                   help="shadow length / object height, if measured")
    p.add_argument("--ratio-tol", type=float, default=0.05, metavar="FRACTION",
                   help="relative tolerance on the ratio (default 0.05 = 5 %%)")
    p.add_argument("--tz", default=None, metavar="ZONE",
                   help="zone of DATE and of the windows (default UTC)")
    p.set_defaults(func=_chronolocate)
