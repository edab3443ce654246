"""Read what a video file claims about itself: ``read_video_metadata(path) -> VideoMetadata``.

MP4, MOV, M4V, 3GP/3G2 (the QuickTime family) are read with the kit's own box walker
(:mod:`._boxes`, :mod:`._quicktime`): header atoms only, never the media data, with bounds on
depth, box count and the size of the movie header. Matroska/WebM and AVI go through PyAV
(FFmpeg), opened on a read-only file handle with a bounded probe. Every field records in
``provenance`` which box or tag it came from and ``tags`` keeps every raw tag read.

Why the box walker and not PyAV for the QuickTime family: it is measured faster (see
``benchmarks/bench_video.py``), it sees what FFmpeg hides (the raw 1904-based ``mvhd``
seconds, the display matrix, edit lists, tag groups, XMP) and it runs no C parser on
untrusted bytes. This function is the in-process body; callers that want crash and hang
isolation wrap it (``osint_kit.runner``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from osint_kit._io import (
    map_evidence,
    read_evidence,
    read_evidence_head,
    real_path,
    stat_evidence,
)
from osint_kit.errors import EvidenceError, UnsupportedFormatError
from osint_kit.media.read.metadata import FrozenMap

#: File name suffixes of the video containers read here (lower case, with the dot).
VIDEO_SUFFIXES: frozenset[str] = frozenset(
    {".mp4", ".mov", ".qt", ".m4v", ".3gp", ".3g2", ".mkv", ".webm", ".avi"})

#: QuickTime-family top-level box types a file may start with (no ``ftyp`` in old MOVs).
_QT_FIRST = (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot")
#: ``ftyp`` brands of still images and audio files (HEIF, AVIF, Canon CR3, iTunes audio).
_NOT_VIDEO_BRANDS = frozenset({
    b"heic", b"heix", b"heim", b"heis", b"mif1", b"mif2", b"msf1", b"avif", b"avis",
    b"hevc", b"hevx", b"crx ", b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "})
#: files at most this large are read at once (faster); larger ones are mapped read-only, so
#: only the pages holding box headers and the movie header are ever read from disk
_READ_AT_ONCE = 1 << 20


def _empty() -> Mapping[str, str]:
    return FrozenMap()


@dataclass(frozen=True)
class VideoMetadata:
    """What one video file claims about itself, normalised, with provenance per field.

    ``width``/``height`` are the stored frame size; ``display_*`` apply ``rotation`` (degrees
    clockwise). ``created_utc`` rests on ``created_assumption``; ``created_local`` keeps the
    offset the device wrote (Apple's ``com.apple.quicktime.creationdate``). ``edit_list`` holds
    (segment duration s, media start s or None for an empty edit) of the video track."""

    path: str
    file_name: str
    file_size: int
    kind: str = "video"
    container: str | None = None
    brand: str | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    width: int | None = None
    height: int | None = None
    display_width: int | None = None
    display_height: int | None = None
    rotation: int | None = None
    fps: float | None = None
    frame_count: int | None = None
    duration_s: float | None = None
    stream_duration_s: float | None = None
    created_raw: str | None = None
    created_utc: datetime | None = None
    created_assumption: str | None = None
    created_local: datetime | None = None
    modified_utc: datetime | None = None
    gps_latitude: float | None = None
    gps_longitude: float | None = None
    gps_altitude: float | None = None
    make: str | None = None
    model: str | None = None
    software: str | None = None
    encoder: str | None = None
    has_xmp: bool = False
    xmp: Mapping[str, str] = field(default_factory=_empty, repr=False)
    edit_list: tuple[tuple[float, float | None], ...] = ()
    handlers: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=_empty, repr=False)
    provenance: Mapping[str, str] = field(default_factory=_empty, repr=False)
    warnings: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash((self.path, self.file_size, self.created_raw))

    def to_row(self) -> dict[str, Any]:
        """A flat dict for a scan DataFrame row: one column per field; ``created_local`` as
        ISO text (its offset kept), tuples and mappings as JSON text (``None`` when empty)."""
        row: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "created_local":
                value = None if value is None else value.isoformat()
            elif f.name in ("xmp", "tags", "provenance", "edit_list", "handlers", "warnings"):
                value = _JSON(dict(value) if isinstance(value, Mapping) else list(value)
                              ) if value else None
            row[f.name] = value
        return row

    def __repr__(self) -> str:
        bits = [self.container or "?"]
        if self.width and self.height:
            bits.append(f"{self.width}x{self.height}")
        if self.rotation:
            bits.append(f"rotated {self.rotation}")
        if self.duration_s is not None:
            bits.append(f"{self.duration_s:.2f} s")
        camera = " ".join(x for x in (self.make, self.model) if x)
        if camera:
            bits.append(camera)
        if self.created_utc is not None:
            bits.append(f"created {self.created_utc.isoformat(sep=' ')}")
        if self.gps_latitude is not None and self.gps_longitude is not None:
            bits.append(f"GPS {self.gps_latitude:.5f},{self.gps_longitude:.5f}")
        if self.warnings:
            bits.append(f"{len(self.warnings)} warning(s)")
        return f"VideoMetadata({self.file_name!r}, {', '.join(bits)})"

    def _repr_html_(self) -> str:
        from osint_kit._html import kv_table

        return str(kv_table([(f.name, str(v)) for f in fields(self)
                             if (v := getattr(self, f.name)) not in (None, (), {})]))


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


#: What each column of :meth:`VideoMetadata.to_row` holds (one line each, for docs and scans).
VIDEO_COLUMN_DOCS: dict[str, str] = {
    "path": "absolute path of the file",
    "file_name": "base name of the file",
    "file_size": "size in bytes",
    "kind": "always 'video' (photos have their own record)",
    "container": "mp4, quicktime, 3gp, m4v, matroska, webm or avi (magic bytes + ftyp brand)",
    "brand": "ftyp major brand as written ('isom', 'qt  ', 'mp42', '3gp4'...)",
    "video_codec": "codec of the first video track, FFmpeg's name (h264, hevc, vp9...)",
    "audio_codec": "codec of the first audio track, FFmpeg's name (aac, opus...)",
    "width": "stored frame width in pixels (before rotation)",
    "height": "stored frame height in pixels (before rotation)",
    "display_width": "width as played, after rotation",
    "display_height": "height as played, after rotation",
    "rotation": "clockwise degrees 0/90/180/270 (tkhd display matrix or stream tag)",
    "fps": "average frame rate of the video track",
    "frame_count": "number of video frames (sample table or AVI header)",
    "duration_s": "duration of the movie / container, seconds",
    "stream_duration_s": "duration of the video track, seconds",
    "created_raw": "creation time as stored, with where it was stored",
    "created_utc": "creation time in UTC (aware datetime); see created_assumption",
    "created_assumption": "the one assumption created_utc rests on, in a sentence",
    "created_local": "device's local creation time with its offset, ISO 8601 text",
    "modified_utc": "modification time from the movie header, UTC",
    "gps_latitude": "decimal degrees, north positive (ISO 6709 tag or XMP)",
    "gps_longitude": "decimal degrees, east positive",
    "gps_altitude": "metres, when the position tag has one",
    "make": "device maker (Apple keys, ©mak, Sony XML, XMP...)",
    "model": "device model",
    "software": "OS or firmware version that recorded or last wrote the file",
    "encoder": "muxing/encoding software (©too: Lavf..., HandBrake...)",
    "has_xmp": "whether an XMP packet was read",
    "xmp": "XMP properties as JSON text",
    "edit_list": "video track edits [[segment s, media start s or null], ...] as JSON text",
    "handlers": "track and metadata handler types as JSON text",
    "tags": "every raw tag read, name -> text, as JSON text",
    "provenance": "field -> tag or box it came from, as JSON text",
    "warnings": "what looked wrong while reading, as JSON text",
}


def video_field_names() -> tuple[str, ...]:
    """Names of all fields of :class:`VideoMetadata` (the columns of :meth:`to_row`)."""
    return tuple(f.name for f in fields(VideoMetadata))


# --- sniffing --------------------------------------------------------------------------------


def sniff_video(head: bytes) -> str | None:
    """The container family of a file's first bytes ("quicktime", "matroska", "avi") or None.

    QuickTime family: a top-level box type at bytes 4..8 (``ftyp`` with a brand that is not a
    still image or audio, or ``moov``/``mdat``/``free``/``wide``/``skip``); AVI: ``RIFF....AVI ``;
    Matroska/WebM: the EBML magic ``1A 45 DF A3``."""
    if len(head) >= 12 and head[4:8] in _QT_FIRST:
        if head[4:8] == b"ftyp" and head[8:12] in _NOT_VIDEO_BRANDS:
            return None
        return "quicktime"
    if head[:4] == b"RIFF" and head[8:12] in (b"AVI ", b"AVIX", b"AVI\x19"):
        return "avi"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "matroska"
    return None


def is_video(path_or_head_bytes: str | os.PathLike[str] | bytes) -> bool:
    """Whether a file (a path, read-only, first 64 bytes) or its first bytes look like a video
    container read by :func:`read_video_metadata`; by magic bytes, not by name."""
    if isinstance(path_or_head_bytes, bytes | bytearray | memoryview):
        return sniff_video(bytes(path_or_head_bytes[:64])) is not None
    try:  # stat first: a FIFO or device is refused before an open() that could block
        head = read_evidence_head(os.fspath(path_or_head_bytes), 64)
    except (OSError, EvidenceError):  # missing, a directory, empty, unreadable: not a video
        return False
    return sniff_video(head) is not None


# --- reading ---------------------------------------------------------------------------------


def read_video_metadata(path: str | os.PathLike[str]) -> VideoMetadata:
    """Read one video's metadata without modifying it or decoding a frame.

    Raises a subclass of :class:`osint_kit.errors.EvidenceError` naming the file and the
    reason: NotAFileError, UnreadableFileError, EmptyFileError, UnsupportedFormatError (not a
    video container read here), CorruptImageError (the container is recognised but broken, or
    a safety limit was hit), ImageTooLargeError (a movie header above 64 MiB). Oddities that
    leave the rest readable (a truncated file, implausible durations) become ``warnings``.

    Files up to 1 MiB are read at once; larger ones are memory-mapped read-only, so only the
    pages holding box headers, the movie header and XMP are read from disk, never the media
    data. Matroska/WebM/AVI are opened by FFmpeg on a read-only handle, probing at most 4 MiB.
    """
    p = real_path(os.path.abspath(os.fspath(path)))
    size = stat_evidence(p).st_size
    data = read_evidence(p) if size <= _READ_AT_ONCE else None  # small: one read, one open
    head = data[:64] if data is not None else read_evidence_head(p, 64)
    family = sniff_video(head)
    if family is None:
        raise UnsupportedFormatError(p, "not a video container osint_kit can read (MP4, MOV, "
                                     "M4V, 3GP, MKV, WebM, AVI)")
    if family == "quicktime":
        from osint_kit.media.read.video._qt import quicktime_record

        if data is not None:
            return quicktime_record(p, data, len(data))
        with map_evidence(p) as mapped:
            return quicktime_record(p, mapped, size)
    from osint_kit.media.read.video._av import pyav_record

    return pyav_record(p, size, family, head)


def _record(p: str, size: int, values: dict[str, Any], prov: dict[str, str],
            tags: dict[str, str], xmp: dict[str, str], warn: list[str]) -> VideoMetadata:
    """The record from what a reader found (empty values dropped, warnings de-duplicated)."""
    clean = {k: v for k, v in values.items() if v is not None and v != ""}
    return VideoMetadata(
        path=p, file_name=os.path.basename(p), file_size=size, has_xmp=bool(xmp),
        xmp=FrozenMap(xmp), tags=FrozenMap(tags),
        provenance=FrozenMap({k: v for k, v in prov.items() if k in clean}),
        warnings=tuple(dict.fromkeys(warn)), **clean)
