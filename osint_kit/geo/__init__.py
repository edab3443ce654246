"""osint_kit.geo: places, geodesics, sun and shadows, chronolocation, GeoJSON/KML exports.

Static and interactive maps live in :mod:`osint_kit.display.maps` (the interactive one fetches
tiles from the network and only runs when explicitly allowed).
"""

from osint_kit.geo.chronolocate import (
    FINDER_COLUMNS,
    WINDOW_COLUMNS,
    ShadowRange,
    chronolocate,
    expected_shadow,
    shadow_finder,
)
from osint_kit.geo.export import to_geojson, to_kml
from osint_kit.geo.places import (
    PLACE_COLUMNS,
    GeodesicResult,
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
from osint_kit.geo.sun import (
    SUN_COLUMNS,
    Shadow,
    SunPosition,
    SunTimes,
    shadow,
    sun_frame,
    sun_position,
    sun_positions,
    sun_times,
)

__all__ = [
    "FINDER_COLUMNS",
    "PLACE_COLUMNS",
    "SUN_COLUMNS",
    "WINDOW_COLUMNS",
    "GeodesicResult",
    "Place",
    "Shadow",
    "ShadowRange",
    "SunPosition",
    "SunTimes",
    "bearing",
    "chronolocate",
    "circle",
    "destination",
    "distance",
    "expected_shadow",
    "inverse",
    "load_places",
    "places_frame",
    "shadow",
    "shadow_finder",
    "sun_frame",
    "sun_position",
    "sun_positions",
    "sun_times",
    "to_geojson",
    "to_kml",
    "within",
]
