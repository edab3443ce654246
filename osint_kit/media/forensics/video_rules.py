"""Explained findings for video files, from their metadata record alone.

``video_findings(record)`` runs every rule of :data:`VIDEO_RULES` over one
``VideoMetadata`` record (or anything with the same attribute names, e.g. a scan row as a
``SimpleNamespace``) and returns :class:`~osint_kit.media.forensics.model.Finding` objects: the
same type, severities (``info`` < ``notice`` < ``warning``) and kind of explanation as for
photos - what was seen, why it matters, what else explains it, what to check next.

No finding is a verdict. Container metadata is easy to remove, rewrite or forge; a finding
says where to look. The texts are data: the ``video`` entries of ``osint_kit/data/findings.yaml``
(also the photo texts), from which docs/video_findings.md is generated.

Conventions the rules assume of the record (the reader documents them):

* ``created_utc`` is the container's creation time read as UTC, ``created_assumption`` says
  how sure that reading is (QuickTime stores no offset; some devices write local time);
  ``created_local`` is a time with its own offset (e.g. Apple's ``creationdate``).
* ``edit_list`` holds ``(segment_duration, media_time)`` pairs in **seconds**; an empty edit
  (a gap before the media plays, ``-1`` in the file) has ``media_time`` None, as
  ``VideoMetadata`` gives it, or negative.
* ``created_raw`` is the stored value as the reader writes it out: ``"0 (mvhd, unset)"`` or
  ``"<seconds> (mvhd, seconds since 1904)"`` for the QuickTime family, the tag text otherwise.
* ``display_width``/``display_height`` may be the track header's size (before the rotation
  matrix, as MP4 stores it) or the size after rotation (as players report it): the display
  rule accepts both, and flags only what neither explains.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from osint_kit.media.forensics.model import Finding, finding_texts, make_finding, phrase

#: The QuickTime/MP4 epoch: a creation time of 0 in the file reads as this instant.
MP4_EPOCH = datetime(1904, 1, 1, tzinfo=UTC)
#: Creation times before this are implausible for a digital video file.
EARLIEST_PLAUSIBLE = datetime(2000, 1, 1, tzinfo=UTC)
#: A creation time more than this after "now" is in the future (clock skew and time zones).
FUTURE_TOLERANCE = timedelta(days=1)
#: Two creation times this close are the same moment (plus the clip's duration: some devices
#: stamp the start of recording, others the end).
SAME_TIME_TOLERANCE = timedelta(seconds=2)
#: The widest real UTC offset (UTC-12 to UTC+14): larger differences are no time zone.
MAX_ZONE_OFFSET = timedelta(hours=14)
#: Container and video stream durations may differ by this much (absolute, seconds) ...
DURATION_TOLERANCE_S = 1.0
#: ... or by this fraction of the longer one, whichever is larger (audio priming, the last
#: frame's duration and streams that start a little apart account for less).
DURATION_TOLERANCE_FRACTION = 0.02
#: Display and stored aspect ratios may differ by this fraction (coded sizes such as 1088 for
#: 1080 lines, rounding of the track header's fixed-point size).
ASPECT_TOLERANCE = 0.02
#: Edit-list shifts up to this (seconds) are codec delay (B-frame reordering, AAC priming).
EDIT_TOLERANCE_S = 0.5
#: At most this many edit-list entries are quoted in the evidence.
MAX_EDITS_SHOWN = 8

# (lower-case pattern, display name): encoders and editors that (re)write video files
ENCODERS: tuple[tuple[str, str], ...] = (
    ("lavf", "FFmpeg (libavformat)"), ("lavc", "FFmpeg (libavcodec)"), ("ffmpeg", "FFmpeg"),
    ("handbrake", "HandBrake"), ("capcut", "CapCut"), ("inshot", "InShot"),
    ("kinemaster", "KineMaster"), ("premiere", "Adobe Premiere"),
    ("after effects", "Adobe After Effects"), ("media encoder", "Adobe Media Encoder"),
    ("final cut", "Final Cut Pro"), ("imovie", "iMovie"), ("davinci", "DaVinci Resolve"),
    ("vegas", "VEGAS"), ("shotcut", "Shotcut"), ("openshot", "OpenShot"),
    ("avidemux", "Avidemux"), ("filmora", "Filmora"), ("movavi", "Movavi"),
    ("clipchamp", "Clipchamp"), ("videoleap", "Videoleap"), ("lumafusion", "LumaFusion"),
    ("powerdirector", "PowerDirector"), ("youcut", "YouCut"), ("vlc", "VLC"),
    ("obs studio", "OBS Studio"), ("mencoder", "MEncoder"), ("gstreamer", "GStreamer"),
)  # fmt: skip

#: Track handler names FFmpeg's MP4/MOV muxer writes by default (supporting evidence only).
FFMPEG_HANDLERS = frozenset({"VideoHandler", "SoundHandler", "SubtitleHandler"})

def __getattr__(name: str) -> Any:
    """``VIDEO_TEXTS``: code -> (severity, title, explanation template) of the video entries of
    ``osint_kit/data/findings.yaml`` (kept for callers of the former table)."""
    if name == "VIDEO_TEXTS":
        return {code: (t.severity, t.title, t.explanation)
                for code, t in finding_texts().items() if t.media == "video"}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- reading the record --------------------------------------------------------------------------


def _get(record: Any, name: str) -> Any:
    value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _text(record: Any, name: str) -> str:
    value = _get(record, name)
    return str(value).strip() if value is not None else ""


def _number(record: Any, name: str) -> float | None:
    value = _get(record, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _aware(record: Any, name: str) -> datetime | None:
    value = _get(record, name)
    if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None:
        return value
    return None


def _is_zero_time(record: Any) -> bool:
    """The creation time field holds 0 (read as the 1904 epoch, or kept raw as 0)."""
    utc = _aware(record, "created_utc")
    if utc is not None:
        return utc == MP4_EPOCH
    raw = _get(record, "created_raw")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return raw == 0
    if not isinstance(raw, str):
        return False
    # the reader's "0 (mvhd, unset)": a bare number before a note in brackets
    first, _, note = raw.strip().partition(" ")
    return raw.strip() in _ZERO_TIMES or (first == "0" and note.startswith("("))


#: How a zero creation time is written out by readers (FFmpeg, ExifTool, ISO format).
_ZERO_TIMES = frozenset({"0", "0000:00:00 00:00:00", "1904-01-01T00:00:00Z",
                         "1904-01-01T00:00:00.000000Z", "1904-01-01 00:00:00",
                         "1904:01:01 00:00:00", "1904-01-01T00:00:00+00:00"})


def _path(record: Any) -> str | None:
    path = _get(record, "path")
    return str(path) if path else None


def _device(record: Any) -> str:
    return " ".join(v for v in (_text(record, "make"), _text(record, "model")) if v)


def _fmt_delta(delta: timedelta) -> str:
    secs = round(delta.total_seconds())
    sign = "-" if secs < 0 else "+"
    days, rest = divmod(abs(secs), 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    text = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{sign}{days} d {text}" if days else f"{sign}{text}"


def _slack(record: Any) -> timedelta:
    """How far two stamps of one recording may be apart: start vs end, plus rounding."""
    duration = _number(record, "duration_s")
    return SAME_TIME_TOLERANCE + timedelta(seconds=max(0.0, min(duration or 0.0, 86400.0)))


# --- the rules -----------------------------------------------------------------------------------


def _encoder_names(record: Any) -> tuple[list[str], dict[str, str]]:
    fields = {"encoder": _text(record, "encoder"), "software": _text(record, "software")}
    xmp = _get(record, "xmp")
    if isinstance(xmp, Mapping):
        for key, value in xmp.items():
            if str(key).lower().endswith("creatortool") and value:
                fields[f"XMP {key}"] = str(value)
    names: list[str] = []
    evidence: dict[str, str] = {}
    for field, value in fields.items():
        low = value.lower()
        hits = [name for pattern, name in ENCODERS if pattern in low]
        if hits:
            evidence[field] = value
            names += [h for h in hits if h not in names]
    return names, evidence


def rule_reencoded(record: Any, now: datetime) -> list[Finding]:
    """An encoding program in the encoder/software tags, with or without a device named."""
    names, evidence = _encoder_names(record)
    if not names:
        return []
    handlers = _get(record, "handlers")
    if isinstance(handlers, Mapping):
        handlers = handlers.values()
    names_seen: set[str] = set()
    if isinstance(handlers, Iterable) and not isinstance(handlers, (str, bytes)):
        names_seen.update(str(h) for h in handlers)
    tags = _get(record, "tags")  # VideoMetadata keeps handler names as TrackN:HandlerDescription
    if isinstance(tags, Mapping):
        names_seen.update(str(v) for k, v in tags.items()
                          if str(k).endswith(":HandlerDescription"))
    ffmpeg = sorted(names_seen & FFMPEG_HANDLERS)
    if ffmpeg:
        evidence["handler names"] = ", ".join(ffmpeg) + " (FFmpeg's defaults)"
    device = _device(record)
    joined = ", ".join(names)
    if device:
        evidence["make/model"] = device
        return [make_finding("video_reencoded", evidence, _path(record), names=joined,
                         device=device)]
    return [make_finding("video_software_encoded", evidence, _path(record), names=joined)]


def rule_metadata_stripped(record: Any, now: datetime) -> list[Finding]:
    """No creation time (absent or zero), no make, no model and no GPS position."""
    created = _aware(record, "created_utc") or _aware(record, "created_local")
    zero = _is_zero_time(record)
    if (created is not None and not zero) or _device(record):
        return []
    if _get(record, "gps_latitude") is not None or _get(record, "gps_longitude") is not None:
        return []
    state = "zero, i.e. unset" if zero else "missing"
    evidence = {"creation time": state, "make/model": "absent", "GPS": "absent"}
    for name in ("encoder", "container", "brand"):
        if value := _text(record, name):
            evidence[name] = value
    return [make_finding("video_metadata_stripped", evidence, _path(record), created=state)]


def _sun_phase(elevation: float) -> str:
    if elevation >= -6.0:
        name = "civil"
    elif elevation >= -12.0:
        name = "nautical"
    elif elevation >= -18.0:
        name = "astronomical"
    else:
        name = "night"
    return phrase("video_sun_below_horizon", name)


def rule_sun(record: Any, now: datetime) -> list[Finding]:
    """Sun below the horizon at the GPS position and the creation time (both must exist)."""
    from osint_kit.errors import GeoError
    from osint_kit.geo.sun import sun_position

    # a local time with its own offset needs no assumption about the container's clock
    when, source = _aware(record, "created_local"), "created_local (with its offset)"
    if when is None:
        when, source = _aware(record, "created_utc"), "created_utc"
    lat, lon = _number(record, "gps_latitude"), _number(record, "gps_longitude")
    if when is None or lat is None or lon is None or (lat == 0.0 and lon == 0.0):
        return []
    if not EARLIEST_PLAUSIBLE <= when <= now + FUTURE_TOLERANCE:
        return []  # the time itself is a finding; the sun at a wrong clock says nothing
    try:
        sun = sun_position((lat, lon), when)
    except GeoError:  # coordinates out of range: the reader's warnings say so
        return []
    if sun.is_up:
        return []
    assumption = _text(record, "created_assumption") or "not stated"
    if source != "created_utc":
        assumption = "the offset is the device's own"
    evidence = {"GPS": f"{lat:.6f}, {lon:.6f}", "creation time": when.isoformat(),
                "time source": source, "created_assumption": _text(record, "created_assumption"), "sun elevation (°)": f"{sun.elevation:.1f}",
                "sun azimuth (°)": f"{sun.azimuth:.1f}", "method": sun.method}
    if (duration := _number(record, "duration_s")) is not None:
        evidence["duration (s)"] = f"{duration:.1f}"
    return [make_finding("video_sun_below_horizon", evidence, _path(record),
                     when=when.isoformat(), source=source, depth=-sun.elevation,
                     phase=_sun_phase(sun.elevation), assumption=assumption)]


def rule_duration(record: Any, now: datetime) -> list[Finding]:
    """Container duration vs the video stream's, beyond the documented tolerance."""
    container, stream = _number(record, "duration_s"), _number(record, "stream_duration_s")
    if container is None or stream is None or container <= 0 or stream <= 0:
        return []
    tolerance = max(DURATION_TOLERANCE_S, DURATION_TOLERANCE_FRACTION * max(container, stream))
    diff = container - stream
    if abs(diff) <= tolerance:
        return []
    evidence = {"container duration (s)": f"{container:.3f}",
                "video stream duration (s)": f"{stream:.3f}", "difference (s)": f"{diff:+.3f}",
                "tolerance (s)": f"{tolerance:.3f}"}
    return [make_finding("video_duration_mismatch", evidence, _path(record), container=container,
                     stream=stream, diff=diff, tolerance=tolerance)]


def _aspect(w: float, h: float) -> float:
    return w / h


def rule_display_size(record: Any, now: datetime) -> list[Finding]:
    """Display size that neither the stored size nor its rotation explains."""
    width, height = _number(record, "width"), _number(record, "height")
    dw, dh = _number(record, "display_width"), _number(record, "display_height")
    if not (width and height and dw and dh) or min(width, height, dw, dh) <= 0:
        return []
    rotation_value = _number(record, "rotation")
    rotation = (rotation_value or 0.0) % 360
    stored, swapped = _aspect(width, height), _aspect(height, width)
    shown = _aspect(dw, dh)

    def near(a: float, b: float) -> bool:
        return abs(a - b) <= ASPECT_TOLERANCE * max(a, b)

    why = ""
    if rotation % 90:
        why = phrase("video_display_size_mismatch", "not_quarter_turn")
    elif not near(shown, stored) and not near(shown, swapped):
        why = phrase("video_display_size_mismatch", "non_square", shown=shown, stored=stored)
    elif rotation in (0.0, 180.0) and near(shown, swapped) and not near(shown, stored):
        why = phrase("video_display_size_mismatch", "turned")
    if not why:
        return []
    evidence = {"stored size": f"{width:g}x{height:g}", "display size": f"{dw:g}x{dh:g}",
                "rotation": "none" if rotation_value is None else f"{rotation_value:g}°"}
    return [make_finding("video_display_size_mismatch", evidence, _path(record),
                     stored=evidence["stored size"], display=evidence["display size"],
                     rotation=evidence["rotation"], why=why)]


def _edits(record: Any) -> list[tuple[float, float]]:
    raw = _get(record, "edit_list")
    if not isinstance(raw, Iterable) or isinstance(raw, (str, bytes)):
        return []
    out: list[tuple[float, float]] = []
    for entry in raw:
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            continue
        duration, start = entry[0], -1.0 if entry[1] is None else entry[1]  # None: empty edit
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
               for v in (duration, start)):
            out.append((float(duration), float(start)))
    return out


def rule_edit_list(record: Any, now: datetime) -> list[Finding]:
    """An edit list that cuts, shifts or reorders the media (more than codec delay)."""
    edits = _edits(record)
    if not edits:
        return []
    gaps = [d for d, t in edits if t < 0]
    shown = [(d, t) for d, t in edits if t >= 0]
    what: list[str] = []
    if sum(gaps) > EDIT_TOLERANCE_S:
        what.append(f"show nothing for {sum(gaps):.2f} s before the media plays")
    if len(shown) > 1:
        what.append(f"play {len(shown)} separate pieces of the media, one after another")
    elif shown:
        duration, start = shown[0]
        if start > EDIT_TOLERANCE_S:
            what.append(f"skip the first {start:.2f} s of the media")
        stream = _number(record, "stream_duration_s")
        if duration > 0 and stream is not None and start + duration < stream - EDIT_TOLERANCE_S:
            what.append(f"stop after {duration:.2f} s, {stream - start - duration:.2f} s "
                        "before the media ends")
    if not what:
        return []
    listed = "; ".join(f"{d:.3f} s from {'(empty)' if t < 0 else f'{t:.3f} s'}"
                       for d, t in edits[:MAX_EDITS_SHOWN])
    if len(edits) > MAX_EDITS_SHOWN:
        listed += f"; ... {len(edits) - MAX_EDITS_SHOWN} more"
    evidence = {"edits (duration from media time)": listed, "entries": str(len(edits))}
    return [make_finding("video_edit_list", evidence, _path(record), what=", and ".join(what))]


def rule_creation_time(record: Any, now: datetime) -> list[Finding]:
    """Creation time zero (1904), before 2000, or in the future."""
    path = _path(record)
    if _is_zero_time(record):
        raw = _get(record, "created_raw")
        return [make_finding("video_created_zero",
                             {"created_raw": raw if raw is not None else "",
                              "read as": MP4_EPOCH.isoformat()}, path)]
    created = _aware(record, "created_utc")
    name = "created_utc"
    if created is None:
        created, name = _aware(record, "created_local"), "created_local"
    if created is None:
        return []
    evidence = {name: created.isoformat(), "created_raw": _text(record, "created_raw"),
                "created_assumption": _text(record, "created_assumption")}
    if created > now + FUTURE_TOLERANCE:
        evidence["checked at"] = now.isoformat(timespec="seconds")
        return [make_finding("video_created_in_future", evidence, path, created=created.isoformat(),
                         now=now.isoformat(timespec="seconds"))]
    if created < EARLIEST_PLAUSIBLE:
        return [make_finding("video_created_too_early", evidence, path,
                         created=created.isoformat())]
    return []


def rule_created_local(record: Any, now: datetime) -> list[Finding]:
    """created_local vs created_utc: a time-zone shift (info) or a disagreement."""
    local, utc = _aware(record, "created_local"), _aware(record, "created_utc")
    if local is None or utc is None or _is_zero_time(record):
        return []
    diff = local - utc
    slack = _slack(record)
    if abs(diff) <= slack:
        return []
    evidence = {"created_local": local.isoformat(), "created_utc": utc.isoformat(),
                "difference": _fmt_delta(diff), "tolerance": _fmt_delta(slack),
                "created_assumption": _text(record, "created_assumption")}
    quarters = round(diff / timedelta(minutes=15))
    residual = diff - quarters * timedelta(minutes=15)
    if abs(residual) <= slack and abs(diff) <= MAX_ZONE_OFFSET + slack:
        offset = local.utcoffset() or timedelta(0)
        match = phrase("video_created_zone_shift",
                       "utc_is_local" if abs(diff + offset) <= slack else "unclear")
        return [make_finding("video_created_zone_shift", evidence, _path(record),
                         local=local.isoformat(), utc=utc.isoformat(), diff=_fmt_delta(diff),
                         match=match)]
    far = abs(diff) > MAX_ZONE_OFFSET + slack
    beyond = phrase("video_created_disagree", "beyond_zones" if far else "not_a_zone")
    severity = "warning" if far else "notice"
    return [make_finding("video_created_disagree", evidence, _path(record), severity=severity,
                     local=local.isoformat(), utc=utc.isoformat(), diff=_fmt_delta(diff),
                     beyond=beyond)]


#: A rule: the record and the time of the check (aware) in, its findings out.
VideoRule = Callable[[Any, datetime], list[Finding]]

#: Every rule :func:`video_findings` runs, in order.
VIDEO_RULES: tuple[VideoRule, ...] = (
    rule_reencoded, rule_metadata_stripped, rule_sun, rule_duration, rule_display_size,
    rule_edit_list, rule_creation_time, rule_created_local,
)


def video_findings(record: Any, *, now: datetime | None = None) -> list[Finding]:
    """The explained findings of one video metadata record (a ``VideoMetadata`` or any object
    or mapping with its field names). ``now`` (aware; default the current time) is what a
    creation time "in the future" is measured against. Pure: reads no file."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got {now.isoformat()}")
    out: list[Finding] = []
    for rule in VIDEO_RULES:
        out.extend(rule(record, now))
    return out
