"""Scan rows of metadata records: photos and videos into one :data:`SCAN_COLUMNS` tuple.

A scan has one table for every kind of file (``schema``). ``ImageMetadata.to_row`` reads its
plain columns with one ``attrgetter`` call and computes the few others (:data:`IMAGE_SPECIAL`);
:func:`video_row` does the same for a ``VideoMetadata``, which has no hashes of its own, so a
scan hashes the video file (:func:`video_scan_row`). :func:`video_from_row` turns a scan row
back into what the video findings read (JSON text into tuples, ISO text into datetimes).
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from osint_kit.media.read.schema import SCAN_COLUMNS, VIDEO_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    from osint_kit.media.read.video import VideoMetadata

#: provenance as sorted JSON, by one encoder made once (json.dumps with options makes a new
#: encoder per call: 40 % of this column's time)
PROVENANCE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


# --- photos ----------------------------------------------------------------------------------


def _image_special(name: str) -> Callable[[Any], Any] | None:
    """How a photo's scan column that is not a plain attribute is computed (None: it is
    plain); see ``schema`` for the types."""
    if name in ("datetime_original", "datetime_digitized", "datetime_modified"):
        return lambda m: None if (v := getattr(m, name)) is None else v.isoformat()
    if name == "datetime_original_utc":
        return lambda m: m.datetime_original_utc
    if name in ("iptc_keywords", "xmp_history", "warnings"):
        return lambda m: "; ".join(items) if (items := getattr(m, name)) else None
    if name == "provenance":
        return lambda m: PROVENANCE_JSON(m.provenance)
    if name == "has_metadata":
        return lambda m: m.has_metadata
    if name in ("error", "error_type") or name in VIDEO_COLUMNS:
        return lambda m: None
    return None


# to_row reads every plain column with one attrgetter call (a placeholder attribute stands in
# for the computed columns) and then fills in the few computed ones.
IMAGE_SPECIAL = tuple((i, f) for i, name in enumerate(SCAN_COLUMNS)
                      if (f := _image_special(name)) is not None)
IMAGE_PLAIN_GET = operator.attrgetter(*(
    "path" if _image_special(name) is not None else name for name in SCAN_COLUMNS))


# --- videos ----------------------------------------------------------------------------------

#: the ``format`` column of a video row, from the record's ``container``
VIDEO_FORMATS = {"mp4": "MP4", "quicktime": "MOV", "m4v": "M4V", "3gp": "3GP",
                 "matroska": "MKV", "webm": "WEBM", "avi": "AVI"}
#: scan columns a VideoMetadata has under the same name and with the same meaning
_VIDEO_PLAIN = frozenset({
    "path", "file_name", "file_size", "kind", "width", "height", "make", "model", "software",
    "gps_latitude", "gps_longitude", "gps_altitude", "has_xmp", "container", "brand",
    "video_codec", "audio_codec", "display_width", "display_height", "rotation", "fps",
    "frame_count", "duration_s", "stream_duration_s", "created_raw", "created_utc",
    "created_assumption", "modified_utc", "encoder"})


def video_has_metadata(meta: Any) -> bool:
    """False means the video names no creation time, device or place and has no XMP (what
    platform re-uploads look like); an encoder's or software tag alone does not count, as
    every encoder writes one."""
    return any(getattr(meta, name, None) not in (None, "", False) for name in (
        "created_utc", "created_local", "make", "model", "gps_latitude", "has_xmp"))


def _video_value(meta: VideoMetadata, name: str) -> Any:
    if name in _VIDEO_PLAIN:
        return getattr(meta, name)
    if name == "format":
        return VIDEO_FORMATS.get(meta.container or "", (meta.container or "").upper() or None)
    if name == "created_local":
        return None if meta.created_local is None else meta.created_local.isoformat()
    if name == "edit_list":
        return json.dumps([list(e) for e in meta.edit_list]) if meta.edit_list else None
    if name in ("handlers", "warnings"):
        return "; ".join(items) if (items := getattr(meta, name)) else None
    if name == "provenance":
        return PROVENANCE_JSON(dict(meta.provenance))
    if name == "has_metadata":
        return video_has_metadata(meta)
    return None  # photo-only columns, hashes (see video_row), error columns


def video_row(meta: VideoMetadata, sha256: str | None = None, md5: str | None = None
              ) -> tuple[Any, ...]:
    """A video record as a scan row (a tuple in :data:`SCAN_COLUMNS` order), with the file's
    hashes when the caller took them."""
    row = [_video_value(meta, name) for name in SCAN_COLUMNS]
    row[_SHA256], row[_MD5] = sha256, md5
    return tuple(row)


_SHA256, _MD5 = SCAN_COLUMNS.index("sha256"), SCAN_COLUMNS.index("md5")


def video_scan_row(meta: VideoMetadata, md5: bool = False) -> tuple[Any, ...]:
    """:func:`video_row` with the SHA-256 (and MD5 when asked) of the video file: a scan
    hashes every file it lists, videos included (read-only, memory-mapped in chunks)."""
    from osint_kit._io import digests, map_evidence

    with map_evidence(meta.path) as mapped:
        sha, md5_hex = digests(mapped, md5)
    return video_row(meta, sha, md5_hex)


# --- back from a row -------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:  # pandas NA / NaT (without importing pandas)
        return bool(value != value)
    except (TypeError, ValueError):
        return True


def _when(value: Any, utc: bool) -> Any:
    """A datetime from a row's value: pandas Timestamps as datetimes, ISO text (a CSV's) parsed;
    ``utc``: a time without offset in a UTC column is UTC. Unparseable text gives None."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if utc and isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value if isinstance(value, datetime) else None


def video_from_row(row: Mapping[str, Any]) -> SimpleNamespace:
    """A scan row of a video (a dict, a pandas Series' dict, a row read back from CSV) with
    the record's field types back: ``edit_list`` and ``handlers`` as tuples, the times as
    datetimes, missing values (NaN, NA, NaT) as None. What :func:`video_findings` reads."""
    out: dict[str, Any] = {str(k): (None if _missing(v) else v) for k, v in row.items()}
    edits = out.get("edit_list")
    if isinstance(edits, str):
        try:
            parsed = json.loads(edits)
        except ValueError:
            parsed = []
        out["edit_list"] = tuple(tuple(e) for e in (parsed if isinstance(parsed, list) else [])
                                 if isinstance(e, list) and len(e) == 2)
    handlers = out.get("handlers")
    if isinstance(handlers, str):
        out["handlers"] = tuple(h for h in handlers.split("; ") if h)
    if out.get("created_local") is not None:
        out["created_local"] = _when(out["created_local"], utc=False)
    for name in ("created_utc", "modified_utc"):
        if out.get(name) is not None:
            out[name] = _when(out[name], utc=True)
    return SimpleNamespace(**out)
