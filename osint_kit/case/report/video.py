"""What the report says about a video: its metadata in words with the field each value came
from, and a contact sheet of the frames taken into the case from it.

Read from the case's own records: the video's metadata as recorded at intake (the JSON of
:func:`osint_kit.case.evidence.video_record`) and its working copies whose derivation
:func:`osint_kit.case.video.frame_of` recognises. The thumbnails are the report's own
(:func:`osint_kit.case.report.build.thumbnails`: decoded in the isolated worker, bounded);
nothing here opens a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from osint_kit.case.video import frame_of, is_video_record

#: Frames drawn on one video's contact sheet; all of them are listed in the hash appendix.
SHEET_FRAMES = 60


@dataclass(frozen=True)
class VideoFact:
    """One metadata value in words, with the box or tag it was read from."""

    label: str
    value: str
    source: str


@dataclass(frozen=True)
class FrameView:
    """One frame on a contact sheet: its evidence id, time and thumbnail."""

    id: str
    time: str  # h:mm:ss.mmm from the start of the video stream
    key: bool
    reason: str
    sha256: str
    thumbnail: str | None
    no_thumbnail: str


@dataclass(frozen=True)
class VideoView:
    """A video's metadata summary, its reader's warnings and its contact sheet."""

    facts: tuple[VideoFact, ...]
    warnings: tuple[str, ...]
    frames: tuple[FrameView, ...]  # the first SHEET_FRAMES, in time order
    frames_total: int


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _number(value: Any, fmt: str) -> str:
    return format(value, fmt) if isinstance(value, int | float) and value == value else ""


def _size(w: Any, h: Any) -> str:
    return f"{w} x {h} px" if isinstance(w, int) and isinstance(h, int) else ""


def _gps(meta: Mapping[str, Any]) -> str:
    lat, lon = meta.get("gps_latitude"), meta.get("gps_longitude")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return ""
    alt = meta.get("gps_altitude")
    tail = f", altitude {alt:g} m" if isinstance(alt, int | float) else ""
    return f"{lat:.5f}, {lon:.5f}{tail}"


def video_facts(meta: Mapping[str, Any]) -> tuple[VideoFact, ...]:
    """The metadata of one video (its recorded JSON) as labelled values with provenance; empty
    values are left out."""
    given = meta.get("provenance")
    prov: Mapping[str, Any] = given if isinstance(given, Mapping) else {}

    def src(*names: str) -> str:
        return "; ".join(dict.fromkeys(_text(prov.get(n)) for n in names if prov.get(n)))

    listed = meta.get("edit_list")
    edits: list[Any] = listed if isinstance(listed, list) else []
    rows = [
        ("container", " ".join(x for x in (_text(meta.get("container")),
                                           f"(brand {_text(meta.get('brand'))})"
                                           if meta.get("brand") else "") if x),
         src("container", "brand")),
        ("video codec", _text(meta.get("video_codec")), src("video_codec")),
        ("audio codec", _text(meta.get("audio_codec")), src("audio_codec")),
        ("duration (container)", _number(meta.get("duration_s"), ".3f") + " s"
         if meta.get("duration_s") is not None else "", src("duration_s")),
        ("duration (video stream)", _number(meta.get("stream_duration_s"), ".3f") + " s"
         if meta.get("stream_duration_s") is not None else "", src("stream_duration_s")),
        ("frame size (stored)", _size(meta.get("width"), meta.get("height")),
         src("width", "height")),
        ("display size (after rotation)",
         _size(meta.get("display_width"), meta.get("display_height")),
         src("display_width", "display_height")),
        ("rotation", f"{meta['rotation']}° clockwise" if meta.get("rotation") else "",
         src("rotation")),
        ("frame rate", _number(meta.get("fps"), ".3f") + " frames/s" if meta.get("fps") else "",
         src("fps")),
        ("frames", _text(meta.get("frame_count")), src("frame_count")),
        ("created (UTC)", _text(meta.get("created_utc")), src("created_utc")),
        ("how that time was read", _text(meta.get("created_assumption")),
         src("created_assumption")),
        ("created, raw value", _text(meta.get("created_raw")), src("created_raw")),
        ("created (local, with offset)", _text(meta.get("created_local")),
         src("created_local")),
        ("modified (UTC)", _text(meta.get("modified_utc")), src("modified_utc")),
        ("GPS (lat, lon)", _gps(meta), src("gps_latitude", "gps_longitude")),
        ("make", _text(meta.get("make")), src("make")),
        ("model", _text(meta.get("model")), src("model")),
        ("software", _text(meta.get("software")), src("software")),
        ("encoder", _text(meta.get("encoder")), src("encoder")),
        ("XMP", "present" if meta.get("has_xmp") else "", src("xmp")),
        ("edit list", f"{len(edits)} entr{'y' if len(edits) == 1 else 'ies'}" if edits else "",
         src("edit_list")),
    ]
    return tuple(VideoFact(label, value, source) for label, value, source in rows
                 if value.strip())


def _format_time(seconds: float) -> str:
    from osint_kit.display.contact_sheet import format_time

    return format_time(seconds)


def video_views(
    evidence: pd.DataFrame, thumbnails: Mapping[str, tuple[str | None, str]],
    sheet_frames: int = SHEET_FRAMES,
) -> tuple[dict[str, VideoView], dict[str, str]]:
    """``({video id: VideoView}, {frame id: its video's id})`` for every video in the case."""
    rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items()}
                                  for r in evidence.to_dict("records")]
    videos: dict[str, dict[str, Any]] = {}
    for row in rows:
        if is_video_record(row):
            try:
                meta = json.loads(str(row.get("metadata")))
            except ValueError:  # is_video_record parsed it: cannot happen, but never fatal
                meta = {}
            videos[_text(row.get("id"))] = meta
    frames: dict[str, list[tuple[float, dict[str, Any], str]]] = {v: [] for v in videos}
    frame_parent: dict[str, str] = {}
    for row in rows:
        parent = _text(row.get("parent_id"))
        found = frame_of(row.get("derivation"))
        if parent in videos and _text(row.get("role")) == "working" and found is not None:
            frames[parent].append((found[0], row, found[1]))
            frame_parent[_text(row.get("id"))] = parent
    out = {}
    for vid, meta in videos.items():
        listed = sorted(frames[vid], key=lambda f: (f[0], _text(f[1].get("id"))))
        views = []
        for time_s, row, reason in listed[:sheet_frames]:
            fid = _text(row.get("id"))
            thumb, why = thumbnails.get(fid, (None, "no thumbnail"))
            views.append(FrameView(id=fid, time=_format_time(time_s),
                                   key=reason.startswith("keyframe"), reason=reason,
                                   sha256=_text(row.get("sha256")), thumbnail=thumb,
                                   no_thumbnail=why))
        said = meta.get("warnings")
        warnings: list[Any] = said if isinstance(said, list) else []
        out[vid] = VideoView(facts=video_facts(meta),
                             warnings=tuple(_text(w) for w in warnings),
                             frames=tuple(views), frames_total=len(listed))
    return out, frame_parent


__all__ = ["SHEET_FRAMES", "FrameView", "VideoFact", "VideoView", "video_facts", "video_views"]
