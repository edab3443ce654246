"""The Matroska/WebM and AVI record, through PyAV (FFmpeg's demuxers), on a read-only handle.

FFmpeg exposes Matroska tags (``DateUTC`` as ``creation_time``, ``MAKE``, ``LOCATION``,
``ENCODER``...) and AVI ``INFO`` chunks (``ISFT`` as ``software``/``encoder``, ``ICRD`` as
``date``, ``IDIT`` as ``creation_time``) in ``container.metadata``; names are matched without
regard to case. Rotation comes from a stream's ``ROTATE`` tag, which FFmpeg's Matroska writer
adds (Matroska has no standard display matrix, and PyAV 18 exposes no stream display matrix
to read); verified with FFmpeg-written clips only.
"""

from __future__ import annotations

from datetime import UTC
from fractions import Fraction
from typing import Any

from osint_kit._io import open_readonly
from osint_kit.errors import CorruptImageError
from osint_kit.media.read.video import VideoMetadata, _record
from osint_kit.media.read.video import _values as vv

#: FFmpeg probing bounds: bytes read to find the streams, and microseconds of stream analysed
_OPTIONS = {"probesize": str(4 << 20), "analyzeduration": "2000000"}
_TEXT = {"make": ("make", "com.apple.quicktime.make"),
         "model": ("model", "com.apple.quicktime.model"),
         "software": ("software", "com.apple.quicktime.software"),
         "encoder": ("encoder", "encoded_by", "writing_application")}


def _container_name(family: str, head: bytes) -> str:
    if family == "avi":
        return "avi"
    return "webm" if b"webm" in head[:64] else "matroska"


def _codec(stream: Any) -> str | None:
    """The codec's canonical FFmpeg name ("mp3", not the decoder's "mp3float"); None when
    FFmpeg knows no codec for the stream (a damaged or unknown codec ID)."""
    ctx = stream.codec_context
    codec = None if ctx is None else ctx.codec
    if codec is None:
        return None
    return str(getattr(codec, "canonical_name", None) or codec.name)


def av_errors() -> tuple[type[BaseException], ...]:
    """What PyAV and FFmpeg raise on a damaged or crafted file (found by fuzzing): the one
    list the reader and the frame decoder turn into the kit's typed errors."""
    import av

    # PyAV objects of a damaged file can lack what a sound one has (a stream without codec):
    # AttributeError is on the list so one such surprise stays a per-file error
    return (av.FFmpegError, OSError, EOFError, ValueError, OverflowError, UnicodeError,
            TypeError, ZeroDivisionError, IndexError, KeyError, MemoryError, AttributeError)


def pyav_record(p: str, size: int, family: str, head: bytes) -> VideoMetadata:
    """Read an MKV/WebM/AVI file's container and stream headers with PyAV."""
    import av

    errors = av_errors()
    fmt = "avi" if family == "avi" else "matroska"
    try:
        with open_readonly(p) as fh, av.open(fh, format=fmt, options=_OPTIONS,
                                             metadata_errors="replace") as box:
            return _from_container(p, size, _container_name(family, head), box)
    except errors as err:
        raise CorruptImageError(p, f"{fmt} container could not be read by FFmpeg "
                                f"({type(err).__name__}: {(getattr(err, 'strerror', None) or str(err))[:200]})"
                                ) from err


def _from_container(p: str, size: int, container: str, box: Any) -> VideoMetadata:
    warn: list[str] = []
    tags = {f"Container:{k}": str(v)[:4096] for k, v in dict(box.metadata).items()}
    low = {k.split(":", 1)[1].lower(): (k, v) for k, v in tags.items()}
    values: dict[str, Any] = {"container": container}
    prov: dict[str, str] = {"container": f"file signature + FFmpeg {box.format.name}"}
    for name, keys in _TEXT.items():
        for key in keys:
            if key in low and low[key][1]:
                values[name], prov[name] = low[key][1], low[key][0]
                break
    if "location" in low:
        parsed = vv.parse_iso6709(low["location"][1])
        if parsed is not None:
            values["gps_latitude"], values["gps_longitude"], values["gps_altitude"] = parsed
            prov["gps_latitude"] = prov["gps_longitude"] = prov["gps_altitude"] = low["location"][0]
    for key in ("creation_time", "date_utc", "date"):
        if key in low:
            parsed_date = vv.parse_tag_date(low[key][1])
            values["created_raw"], prov["created_raw"] = low[key][1], low[key][0]
            if parsed_date is not None:
                when, zoned = parsed_date
                values["created_utc"] = (when if zoned else when.replace(tzinfo=UTC)
                                         ).astimezone(UTC)
                prov["created_utc"] = prov["created_assumption"] = low[key][0]
                text = vv.CREATED_ASSUMPTION_TAG if zoned else vv.CREATED_ASSUMPTION_NAIVE
                values["created_assumption"] = text.format(tag=low[key][0])
            break
    if box.duration is not None:
        values["duration_s"] = vv.sane(box.duration / 1_000_000, vv.MAX_DURATION_S,
                                       "container duration (s)", warn)
        prov["duration_s"] = "container duration (FFmpeg)"
    values["handlers"] = tuple(s.type for s in box.streams)
    prov["handlers"] = "stream types (FFmpeg)"
    audio = next(iter(box.streams.audio), None)
    if audio is not None:
        values["audio_codec"], prov["audio_codec"] = _codec(audio), "audio stream codec (FFmpeg)"
    video = next(iter(box.streams.video), None)
    if video is None:
        warn.append("no video stream: an audio-only or damaged file")
    else:
        _video_stream(video, tags, values, prov, warn)
    return _record(p, size, values, prov, tags, {}, warn)


def _video_stream(video: Any, tags: dict[str, str], values: dict[str, Any],
                  prov: dict[str, str], warn: list[str]) -> None:
    for k, v in dict(video.metadata).items():
        tags[f"Stream{video.index}:{k}"] = str(v)[:4096]
    ctx = video.codec_context
    values["video_codec"], prov["video_codec"] = _codec(video), "video stream codec (FFmpeg)"
    w, h = (ctx.width or None, ctx.height or None) if ctx is not None else (None, None)
    if values["video_codec"] is None:
        warn.append("FFmpeg knows no codec for the video stream (an unknown or damaged codec "
                    "ID): codec and frame size are not reported")
    if w and h and (w > vv.MAX_SIDE or h > vv.MAX_SIDE):
        warn.append(f"declared frame size {w}x{h} is above the {vv.MAX_SIDE}-pixel side "
                    "limit: left empty")
        w = h = None
    stream_tags = {str(k).lower(): str(v) for k, v in dict(video.metadata).items()}
    rotate = stream_tags.get("rotate", "0").strip()
    rotation = int(rotate) % 360 if rotate.lstrip("-").isdigit() else 0
    rotation = rotation if rotation in (0, 90, 180, 270) else 0
    values["rotation"] = rotation
    prov["rotation"] = ("stream ROTATE tag (FFmpeg's Matroska writer)" if "rotate" in stream_tags
                        else "none declared (0)")
    if w and h:
        values.update(width=w, height=h)
        values["display_width"], values["display_height"] = (h, w) if rotation in (90, 270) \
            else (w, h)
        prov["width"] = prov["height"] = "video stream header (FFmpeg)"
        prov["display_width"] = prov["display_height"] = "video stream header + rotation"
    rate = video.average_rate or video.guessed_rate
    values["fps"] = vv.sane(float(rate) if rate else None, vv.MAX_FPS, "frame rate", warn)
    prov["fps"] = "stream average frame rate (FFmpeg)"
    if video.frames:
        frames = vv.sane(video.frames, vv.MAX_FRAMES, "frame count", warn)
        values["frame_count"] = None if frames is None else int(frames)
        prov["frame_count"] = "stream frame count (AVI index header)"
    if video.duration and video.time_base:
        seconds = float(video.duration * Fraction(video.time_base))
        values["stream_duration_s"] = vv.sane(seconds, vv.MAX_DURATION_S,
                                              "stream duration (s)", warn)
        prov["stream_duration_s"] = "video stream duration (FFmpeg)"
