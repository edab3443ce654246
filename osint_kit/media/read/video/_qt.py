"""The QuickTime-family record: header atoms (:mod:`._quicktime`) into a VideoMetadata.

Field sources, first found wins (the tag names are ExifTool-like groups: ``Keys`` is
``moov/meta`` with ``mdta`` keys, ``ItemList`` is ``udta/meta/ilst``, ``UserData`` is a
QuickTime ``udta`` atom):

- make: Keys com.apple.quicktime.make (iPhone), Keys com.android.manufacturer, UserData
  ``©mak``, ItemList ``©mak``, XMP tiff:Make
- model: Keys com.apple.quicktime.model, Keys com.android.model, UserData ``©mod``/``©mdl``,
  ItemList ``©mod``, XMP tiff:Model
- software: Keys com.apple.quicktime.software (iOS version), Keys com.android.version,
  UserData/ItemList ``©swr``, UserData ``FIRM`` (GoPro firmware), XMP xmp:CreatorTool
- encoder: ItemList/UserData ``©too`` (FFmpeg's "Lavf...", HandBrake), ``©enc``
- place: Keys com.apple.quicktime.location.ISO6709, UserData/ItemList ``©xyz`` (Android,
  FFmpeg), XMP exif:GPSLatitude/GPSLongitude
- make/model also from Sony's NonRealTimeMeta XML (``<Device manufacturer= modelName=>``)
- created_local: Keys com.apple.quicktime.creationdate, Sony XML ``<CreationDate>``, else a
  ``©day`` with a zone

Verified here with FFmpeg-written clips tagged by ExifTool 12.57 (Keys, ItemList, UserData,
XMP); the Android keys, GoPro ``FIRM`` and DJI/Sony atoms follow ExifTool's tag tables and
were not checked against camera files.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from osint_kit.media.read._xmp import XmpError, parse_xmp
from osint_kit.media.read.video import VideoMetadata, _record
from osint_kit.media.read.video import _values as vv
from osint_kit.media.read.video._quicktime import CODEC_NAMES, Atoms, Track, read_atoms

_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "make": ("Keys:com.apple.quicktime.make", "Keys:com.android.manufacturer",
             "UserData:©mak", "ItemList:©mak", "XML:Device.manufacturer", "XMP:tiff:Make"),
    "model": ("Keys:com.apple.quicktime.model", "Keys:com.android.model", "UserData:©mod",
              "UserData:©mdl", "ItemList:©mod", "XML:Device.modelName", "XMP:tiff:Model"),
    "software": ("Keys:com.apple.quicktime.software", "Keys:com.android.version",
                 "UserData:©swr", "ItemList:©swr", "UserData:FIRM", "XMP:xmp:CreatorTool"),
    "encoder": ("ItemList:©too", "UserData:©too", "Keys:©too", "ItemList:©enc",
                "UserData:©enc", "Keys:encoder"),
}
_PLACE_TAGS = ("Keys:com.apple.quicktime.location.ISO6709", "UserData:©xyz",
               "ItemList:©xyz", "Keys:©xyz")
_LOCAL_TAGS = ("Keys:com.apple.quicktime.creationdate", "XML:CreationDate", "UserData:©day",
               "ItemList:©day")


def container_of(brand: str | None) -> str:
    """The record's ``container`` from the ``ftyp`` major brand (no ftyp: old QuickTime)."""
    if brand is None or brand == "qt  ":
        return "quicktime"
    if brand.startswith(("3gp", "3g2", "3ge", "3gg", "3gs")):
        return "3gp"
    if brand.startswith("M4V"):
        return "m4v"
    return "mp4"


def _first(tracks: list[Track], handler: str) -> Track | None:
    return next((t for t in tracks if t.handler == handler), None)


def _frames(track: Track, warn: list[str]) -> tuple[float | None, int | None]:
    """(fps, frame count) of a track from its time-to-sample and sample-size tables."""
    count = track.sample_count or track.stts_samples or None
    fps = None
    if track.timescale and track.stts_ticks:
        fps = track.stts_samples * track.timescale / track.stts_ticks
    frames = vv.sane(count, vv.MAX_FRAMES, "frame count", warn)
    return vv.sane(fps, vv.MAX_FPS, "frame rate", warn), None if frames is None else int(frames)


def _size(track: Track, warn: list[str]) -> tuple[int | None, int | None, str]:
    """(width, height, source) of the stored frames: the sample entry, else the track header."""
    w: float
    h: float
    if track.coded_size and all(track.coded_size):
        (w, h), src = track.coded_size, "stsd visual sample entry"
    elif track.tkhd_size and all(track.tkhd_size):
        (w, h), src = track.tkhd_size, "tkhd width/height"
    else:
        return None, None, ""
    if w > vv.MAX_SIDE or h > vv.MAX_SIDE:
        warn.append(f"declared frame size {w:g}x{h:g} is above the {vv.MAX_SIDE}-pixel side "
                    "limit: left empty, the raw value is in tags")
        return None, None, ""
    return int(w), int(h), src


def _edits(atoms: Atoms, track: Track, warn: list[str]) -> tuple[tuple[float, float | None], ...]:
    if not track.edits:
        return ()
    if not atoms.movie_timescale or not track.timescale:
        warn.append("edit list present but a time scale is zero: not converted to seconds")
        return ()
    return tuple((seg / atoms.movie_timescale,
                  None if media == -1 else media / track.timescale)
                 for seg, media in track.edits)


def quicktime_record(p: str, buf: Any, size: int) -> VideoMetadata:
    """Read an MP4/MOV/M4V/3GP file's header atoms from ``buf`` into a VideoMetadata."""
    atoms = read_atoms(buf, p)
    warn = list(atoms.warnings)
    tags = {name: value for name, (value, _) in atoms.tags.items()}
    where = {name: f"{name} ({box})" for name, (_, box) in atoms.tags.items()}
    xmp: dict[str, str] = {}
    if atoms.xmp is not None:
        try:
            xmp = dict(parse_xmp(atoms.xmp).props)
        except XmpError as err:
            warn.append(f"XMP packet in {atoms.xmp_where} not read: {err}")
    for key, value in xmp.items():
        where.setdefault(f"XMP:{key}", f"XMP:{key} ({atoms.xmp_where})")
        tags.setdefault(f"XMP:{key}", value)
    lookup = tags

    values: dict[str, Any] = {"container": container_of(atoms.brand), "brand": atoms.brand,
                              "handlers": tuple(atoms.handlers)}
    prov: dict[str, str] = {"container": "ftyp major brand" if atoms.brand else "no ftyp box",
                            "brand": "ftyp", "handlers": "hdlr boxes"}
    for name, sources in _TEXT_FIELDS.items():
        for src in sources:
            if lookup.get(src):
                values[name], prov[name] = lookup[src], where.get(src, src)
                break
    _place(lookup, where, values, prov, warn)
    _times(atoms, lookup, where, values, prov, warn)

    video, audio = _first(atoms.tracks, "vide"), _first(atoms.tracks, "soun")
    if audio and audio.fourcc:
        values["audio_codec"] = CODEC_NAMES.get(audio.fourcc, audio.fourcc.strip())
        prov["audio_codec"] = f"Track{audio.number} stsd {audio.fourcc!r}"
    if atoms.movie_timescale:
        values["duration_s"] = vv.sane((atoms.movie_duration or 0) / atoms.movie_timescale,
                                       vv.MAX_DURATION_S, "movie duration (s)", warn)
        prov["duration_s"] = "mvhd duration / time scale"
    elif atoms.movie_duration:
        warn.append("mvhd time scale is 0: duration unknown")
    if video is None:
        warn.append("no video track (hdlr 'vide'): an audio-only or damaged file")
    else:
        _video_track(atoms, video, values, prov, warn)
    return _record(p, size, values, prov, tags, xmp, warn)


def _video_track(atoms: Atoms, video: Track, values: dict[str, Any], prov: dict[str, str],
                 warn: list[str]) -> None:
    n = video.number
    if video.fourcc:
        values["video_codec"] = CODEC_NAMES.get(video.fourcc, video.fourcc.strip())
        prov["video_codec"] = f"Track{n} stsd {video.fourcc!r}"
    w, h, src = _size(video, warn)
    rotation, exact = vv.rotation_of(video.matrix) if video.matrix else (0, True)
    if not exact:
        warn.append(f"track {n} display matrix is not a pure rotation (scaled, skewed or "
                    f"mirrored): rotation {rotation} is the nearest quarter turn")
    values["rotation"] = rotation
    prov["rotation"] = f"Track{n} tkhd matrix" if video.matrix else "no tkhd matrix (0)"
    if w is not None and h is not None:
        values.update(width=w, height=h)
        turned = rotation in (90, 270)
        values["display_width"], values["display_height"] = (h, w) if turned else (w, h)
        prov["width"] = prov["height"] = f"Track{n} {src}"
        prov["display_width"] = prov["display_height"] = f"Track{n} {src} + tkhd rotation"
    fps, frames = _frames(video, warn)
    values["fps"], values["frame_count"] = fps, frames
    prov["fps"] = f"Track{n} stts + mdhd time scale"
    prov["frame_count"] = f"Track{n} stsz sample count" if video.sample_count else f"Track{n} stts"
    if video.timescale:
        values["stream_duration_s"] = vv.sane((video.duration or 0) / video.timescale,
                                              vv.MAX_DURATION_S, "track duration (s)", warn)
        prov["stream_duration_s"] = f"Track{n} mdhd duration / time scale"
    values["edit_list"] = _edits(atoms, video, warn)
    prov["edit_list"] = f"Track{n} edts/elst"


def _place(lookup: dict[str, str], where: dict[str, str], values: dict[str, Any],
           prov: dict[str, str], warn: list[str]) -> None:
    for src in _PLACE_TAGS:
        if src in lookup:
            parsed = vv.parse_iso6709(lookup[src])
            if parsed is None:
                warn.append(f"{src} {lookup[src][:60]!r} is not an ISO 6709 position")
                continue
            values["gps_latitude"], values["gps_longitude"], values["gps_altitude"] = parsed
            prov["gps_latitude"] = prov["gps_longitude"] = where.get(src, src)
            if parsed[2] is not None:
                prov["gps_altitude"] = where.get(src, src)
            return
    lat = vv.parse_xmp_gps(lookup.get("XMP:exif:GPSLatitude"), "S")
    lon = vv.parse_xmp_gps(lookup.get("XMP:exif:GPSLongitude"), "W")
    if lat is not None and lon is not None and abs(lat) <= 90 and abs(lon) <= 180:
        values["gps_latitude"], values["gps_longitude"] = lat, lon
        prov["gps_latitude"] = prov["gps_longitude"] = "XMP exif:GPSLatitude/GPSLongitude"


def _times(atoms: Atoms, lookup: dict[str, str], where: dict[str, str],
           values: dict[str, Any], prov: dict[str, str], warn: list[str]) -> None:
    for src in _LOCAL_TAGS:
        parsed = vv.parse_tag_date(lookup.get(src))
        if parsed is not None and parsed[1]:
            values["created_local"], prov["created_local"] = parsed[0], where.get(src, src)
            break
    if atoms.created is not None:
        values["created_raw"] = (f"{atoms.created} (mvhd, seconds since 1904)" if atoms.created
                                 else "0 (mvhd, unset)")
        prov["created_raw"] = "mvhd creation_time"
        created = vv.qt_time(atoms.created)
        if created is not None:
            values["created_utc"], prov["created_utc"] = created, "mvhd creation_time"
            values["created_assumption"] = vv.CREATED_ASSUMPTION_QT
            prov["created_assumption"] = "mvhd creation_time"
            if created.year < 1970:
                warn.append(f"mvhd creation time {created:%Y-%m-%d} is before 1970: an unset "
                            "clock, or seconds since 1970 written where 1904 is meant")
    if "created_utc" in values and "created_local" in values:
        _cross_check(values, prov, warn)
    if "created_utc" not in values and "created_local" in values:
        values["created_utc"] = values["created_local"].astimezone(UTC)
        prov["created_utc"] = prov["created_local"]
        values["created_assumption"] = ("From the device's creation date with its own UTC "
                                        "offset (no movie header time).")
        prov["created_assumption"] = prov["created_local"]
    if atoms.modified:
        values["modified_utc"] = vv.qt_time(atoms.modified)
        prov["modified_utc"] = "mvhd modification_time"


def _cross_check(values: dict[str, Any], prov: dict[str, str], warn: list[str]) -> None:
    """Compare the movie header time with the device's local creation date and offset.

    Equal instants: the header is UTC, as the standard says. Equal wall-clock readings with
    a non-zero offset: the device wrote local time into the header, so UTC is taken from the
    local date and its offset instead, and the record says so (never silently)."""
    header, local = values["created_utc"], values["created_local"]
    offset = local.utcoffset()
    if abs((header - local).total_seconds()) <= 2:
        values["created_assumption"] = (
            "The movie header time (UTC by the standard) agrees with the device's local "
            f"creation date and its offset {local:%z}: UTC confirmed by two tags.")
        prov["created_assumption"] = f"mvhd creation_time + {prov['created_local']}"
    elif offset and abs((header.replace(tzinfo=None) - local.replace(tzinfo=None))
                        .total_seconds()) <= 2:
        values["created_utc"] = local.astimezone(UTC)
        prov["created_utc"] = prov["created_assumption"] = prov["created_local"]
        values["created_assumption"] = (
            "The movie header holds the device's local wall-clock time (it equals the local "
            f"creation date, whose offset is {local:%z}), not UTC; UTC is taken from the local "
            "date and its offset.")
        warn.append("movie header creation time is local time written as UTC (it matches the "
                    "local creation date's wall clock): created_utc uses the local date's offset")
    else:
        warn.append(f"movie header creation time {header:%Y-%m-%d %H:%M:%S}Z and the local "
                    f"creation date {local.isoformat()} are different instants "
                    f"({(header - local).total_seconds():+.0f} s): one was edited or the clock "
                    "changed")
