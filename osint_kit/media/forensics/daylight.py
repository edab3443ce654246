"""Does the photo's brightness fit the sun at its claimed place and time?

For an image with GPS coordinates and a capture time, the sun's elevation there and then is
computed (:mod:`osint_kit.geo.sun`) and compared with how bright the pixels are:

* ``daylight_night_but_bright``: the claimed time is at night (sun below -6°, past civil
  dusk) but the picture is daylight-bright;
* ``daylight_day_but_dark``: the sun is well above the horizon (above 10°) but the picture
  is very dark;
* ``daylight_offset_candidates``: the capture time has no UTC offset, so the UTC offsets
  (whole and half hours, -12..+14) that would make time and brightness consistent are listed;
  ``daylight_no_consistent_offset`` when none would.

These are *notices*, not verdicts: a flash, street lights, an indoor scene, snow under a full
moon or a long exposure all break the rule of thumb. The finding says which explanation to
check. When the GPS time stamp (UTC) exists and the capture time has no offset, the GPS time
is used and the provenance says so.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from osint_kit.errors import CorruptImageError, ImageTooLargeError, UnsupportedFormatError
from osint_kit.geo.sun import sun_position
from osint_kit.media.forensics.model import Finding, make_finding
from osint_kit.runner import isolated

log = logging.getLogger(__name__)

#: Mean luminance (0..1) above which a picture counts as daylight-bright.
BRIGHT_LUMINANCE = 0.40
#: Mean luminance (0..1) below which a picture counts as very dark.
DARK_LUMINANCE = 0.10
#: Sun elevation below which it is night for this check (civil twilight ends at -6°).
NIGHT_ELEVATION = -6.0
#: Sun elevation above which the sky is fully lit ("well above the horizon").
DAY_ELEVATION = 10.0
#: Candidate UTC offsets in minutes: whole and half hours from -12:00 to +14:00.
CANDIDATE_OFFSETS_MIN: tuple[int, ...] = tuple(range(-12 * 60, 14 * 60 + 1, 30))

#: Thumbnail edge used by :func:`mean_luminance` (pixels).
_THUMB = 64


@isolated
def mean_luminance(path: str | Path) -> float:
    """Mean luminance (0 = black, 1 = white) of a small thumbnail of the image.

    JPEGs are decoded in Pillow's draft mode (DCT scaling to about 1/8 size, grey), so even a
    large photo costs a few milliseconds; other formats are decoded and reduced. Isolated
    (:func:`osint_kit.runner.isolated`): decoded in the warm worker; ``.here`` decodes here.
    """
    from PIL import Image, ImageStat, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im.draft("L", (_THUMB, _THUMB))
            im.thumbnail((_THUMB, _THUMB))
            grey = im.convert("L")
            return float(ImageStat.Stat(grey).mean[0]) / 255.0
    except UnidentifiedImageError as err:
        raise UnsupportedFormatError(path, "not an image Pillow can decode") from err
    except Image.DecompressionBombError as err:
        raise ImageTooLargeError(
            path, f"declared pixel count is above the safety limit ({err})"
        ) from err
    except (OSError, SyntaxError, ValueError) as err:
        raise CorruptImageError(path, f"pixels could not be decoded ({err})") from err


def _get(meta: Any, name: str) -> Any:
    if isinstance(meta, Mapping):
        return meta.get(name)
    return getattr(meta, name, None)


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _brightness_class(luminance: float) -> str | None:
    if luminance >= BRIGHT_LUMINANCE:
        return "bright"
    if luminance <= DARK_LUMINANCE:
        return "dark"
    return None


def check_daylight(meta: Any, luminance: float | None) -> list[Finding]:
    """Findings where the image brightness contradicts the sun at the claimed place and time.

    ``meta`` is an :class:`~osint_kit.media.read.metadata.ImageMetadata` (or a scan record with
    the same field names); ``luminance`` comes from :func:`mean_luminance`. Returns ``[]``
    when GPS, the capture time or the luminance is missing, or when the brightness is
    ambiguous (between :data:`DARK_LUMINANCE` and :data:`BRIGHT_LUMINANCE`).
    """
    lat = _get(meta, "gps_latitude")
    lon = _get(meta, "gps_longitude")
    local = _as_datetime(_get(meta, "datetime_original"))
    gps_time = _as_datetime(_get(meta, "gps_timestamp"))
    path = _get(meta, "path")
    if lat is None or lon is None or luminance is None:
        return []
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        return []
    if lat_f != lat_f or lon_f != lon_f:  # NaN from a DataFrame row
        return []
    klass = _brightness_class(float(luminance))
    if klass is None:
        return []

    when: dt.datetime | None = None
    source = ""
    if local is not None and local.tzinfo is not None:
        when, source = local, "EXIF DateTimeOriginal with its offset"
    elif gps_time is not None and gps_time.tzinfo is not None:
        when, source = gps_time, "GPS time stamp (UTC)"
        if local is not None:
            # The camera clock minus GPS time hints at the offset the camera was set to.
            from osint_kit.timeline.when import format_offset

            diff_min = (local.replace(tzinfo=None) - gps_time.replace(tzinfo=None)).total_seconds()
            implied = dt.timedelta(minutes=round(diff_min / 60 / 15) * 15)
            source += f"; local clock minus GPS time suggests UTC{format_offset(implied)}"
    if when is not None:
        return _known_time(lat_f, lon_f, when, source, float(luminance), klass, path)
    if local is not None:
        return _unknown_offset(lat_f, lon_f, local, float(luminance), klass, path)
    return []


def _known_time(
    lat: float,
    lon: float,
    when: dt.datetime,
    source: str,
    luminance: float,
    klass: str,
    path: str | None,
) -> list[Finding]:
    sun = sun_position((lat, lon), when)
    evidence = {
        "gps": f"{lat:.6f}, {lon:.6f}",
        "time": when.isoformat(),
        "time_source": source,
        "sun_elevation_deg": f"{sun.elevation:.1f}",
        "sun_azimuth_deg": f"{sun.azimuth:.1f}",
        "mean_luminance": f"{luminance:.2f}",
        "method": sun.method,
    }
    if klass == "bright" and sun.elevation < NIGHT_ELEVATION:
        return [make_finding("daylight_night_but_bright", evidence, path,
                             depth=abs(sun.elevation), when=when.isoformat(),
                             luminance=luminance)]
    if klass == "dark" and sun.elevation > DAY_ELEVATION:
        return [make_finding("daylight_day_but_dark", evidence, path,
                             elevation=sun.elevation, when=when.isoformat(),
                             luminance=luminance)]
    return []


def _unknown_offset(
    lat: float, lon: float, local: dt.datetime, luminance: float, klass: str, path: str | None
) -> list[Finding]:
    consistent: list[int] = []
    naive = local.replace(tzinfo=None)
    for off in CANDIDATE_OFFSETS_MIN:
        when = (naive - dt.timedelta(minutes=off)).replace(tzinfo=dt.UTC)
        el = sun_position((lat, lon), when).elevation
        if (klass == "bright" and el >= NIGHT_ELEVATION) or (
            klass == "dark" and el <= DAY_ELEVATION
        ):
            consistent.append(off)
    from osint_kit.timeline.when import format_offset

    listed = ", ".join(f"UTC{format_offset(dt.timedelta(minutes=o))}" for o in consistent)
    evidence = {
        "gps": f"{lat:.6f}, {lon:.6f}",
        "local_time": naive.isoformat(),
        "mean_luminance": f"{luminance:.2f}",
        "brightness": klass,
        "consistent_offsets": listed,
        "rule": (f"bright needs sun >= {NIGHT_ELEVATION:g}°; dark needs sun <= {DAY_ELEVATION:g}°"),
    }
    if not consistent:
        return [make_finding("daylight_no_consistent_offset", evidence, path,
                             local=naive.isoformat(), brightness=klass)]
    return [make_finding("daylight_offset_candidates", evidence, path,
                         local=naive.isoformat(), brightness=klass, offsets=listed)]
