"""Keyframes of a video as ordinary image files, so that every image helper works on them.

:func:`keyframes` decodes a video (read-only, through PyAV/FFmpeg) and writes selected frames
as PNG *working copies* into a working folder, named so that their origin is plain
(``<videostem>_<sha8>_t000012.345.png``). Each :class:`Frame` records the source video and
its SHA-256, the presentation time, whether the frame is a keyframe, and the SHA-256 of the
working copy. The video itself is never written to.

Which frames:

* **keyframes** (I-frames, ``iframes=True``): only these are decoded
  (``skip_frame="NONKEY"``), which is several times faster than decoding every frame;
* **one frame every N seconds** (``every=N``): the first frame at or after each multiple of N;
* **scene changes** (``scenes=True``): a frame whose 64x36 greyscale thumbnail differs from
  the previous frame's by more than :data:`SCENE_THRESHOLD` (mean absolute difference on the
  0-255 scale). Measured on the kit's generated scenes: a hard cut between two shots gives
  13-55, consecutive frames of one moving shot at most 2; handheld footage and compression
  noise stay under about 10, slow fades change little per frame. Fast pans, flashes or a cut
  between two look-alike shots are missed or caught wrongly: a "scene change" is a frame worth
  looking at, not a detected edit. Lower ``scene_threshold`` to catch softer cuts.

``every`` and ``scenes`` need every frame decoded. Everything is bounded: frames written
(``max_frames``), pixels per working copy (``max_pixels``; larger frames are downscaled),
seconds of video read (``max_seconds``), packets read and declared picture size (a frame
above :data:`MAX_DECODE_PIXELS` is refused before decoding). Only video containers are
opened (:data:`CONTAINERS`: no playlists, no network protocols), through a read-only file
descriptor. Broken or hostile files raise the kit's typed errors (``UnsupportedFormatError``,
``CorruptImageError``, ``EmptyFileError``, ``ImageTooLargeError``), never anything else;
the decoding runs in the kit's warm isolated worker (as the image views do), so a crash or a
hang in FFmpeg becomes ``WorkerCrashedError`` / ``ProcessingTimeoutError``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osint_kit._io import open_readonly, stat_evidence
from osint_kit.errors import (
    CorruptImageError,
    EvidenceError,
    ImageTooLargeError,
    UnsupportedFormatError,
)
from osint_kit.media.read.video._av import av_errors
from osint_kit.runner import isolated

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from PIL import Image as PILImage

log = logging.getLogger(__name__)

#: FFmpeg demuxers that may open evidence: video containers only. Playlists (HLS, DASH,
#: concat), image sequences and raw streams are refused, so a file cannot make FFmpeg open
#: other files or network addresses.
CONTAINERS = "mov,matroska,webm,avi,mpegts,flv,mpeg,ogg,asf,mxf,gif"
#: Refuse streams whose frames are larger than this (8K UHD is 33.2 megapixels).
MAX_DECODE_PIXELS = 40_000_000
#: Packets read per second of ``max_seconds`` (plus a fixed allowance): a hostile file full
#: of tiny packets with stalled timestamps still ends.
PACKETS_PER_SECOND = 250
#: Packets read whatever ``max_seconds`` is.
PACKET_ALLOWANCE = 10_000
#: Mean absolute difference (0-255) of 64x36 grey thumbnails above which a frame is a scene
#: change (see the module docstring for what it does and does not catch).
SCENE_THRESHOLD = 12.0
#: Size of the grey thumbnails compared for scene changes.
SCENE_THUMB = (64, 36)
#: Default time limit (seconds) of one isolated extraction.
TIMEOUT = 900.0

#: Columns of :func:`frames_table` (the fields of :class:`Frame`).
FRAME_COLUMNS: tuple[str, ...] = (
    "video", "video_sha256", "index", "time_s", "key", "width", "height", "path", "sha256",
    "rotation", "reason",
)


@dataclass(frozen=True)
class Frame:
    """One frame of a video, written as a PNG working copy.

    ``index`` counts the extracted frames (0, 1, ...), not the frames of the video;
    ``time_s`` is the presentation time in seconds from the start of the video stream (what a
    player's position shows); ``key`` is True for a keyframe (I-frame); ``width`` and
    ``height`` are those of the working copy at ``path`` (after downscaling and after the
    display ``rotation`` in degrees clockwise, as a player shows it); ``reason`` says why the
    frame was chosen ("keyframe", "every 2 s", "scene change 41.2").
    """

    video: str
    video_sha256: str
    index: int
    time_s: float
    key: bool
    width: int
    height: int
    path: str
    sha256: str
    rotation: int = 0
    reason: str = "keyframe"

    def __repr__(self) -> str:
        kind = "key" if self.key else "frame"
        return (f"Frame({Path(self.video).name!r} t={self.time_s:.3f}s {kind} "
                f"{self.width}x{self.height} -> {Path(self.path).name!r})")

    def _repr_html_(self) -> str:
        from osint_kit._html import kv_table

        return kv_table(dataclasses.asdict(self).items(), title="Video frame")


# --- opening and decoding ------------------------------------------------------------------------


@contextlib.contextmanager
def open_video(path: str | Path) -> Iterator[tuple[Any, Any]]:
    """``(container, video stream)`` of an evidence video opened read-only; typed errors.

    The file is handed to FFmpeg as an ``O_RDONLY`` Python file, never by name (a name can
    be an FFmpeg URL such as ``concat:`` or ``http:``); only :data:`CONTAINERS` are probed.
    """
    import av

    stat_evidence(path)
    with open_readonly(path) as fh:
        try:
            container = av.open(fh, mode="r", options={"format_whitelist": CONTAINERS})
        except (av.error.FFmpegError, ValueError, OSError, EOFError, IndexError) as err:
            raise UnsupportedFormatError(
                path, f"not a video container osint_kit opens ({CONTAINERS}); FFmpeg said: "
                f"{_ffmpeg_message(err)}") from err
        try:
            if not container.streams.video:
                raise UnsupportedFormatError(path, "the container has no video stream")
            stream = container.streams.video[0]
            width, height = stream.codec_context.width or 0, stream.codec_context.height or 0
            if width * height > MAX_DECODE_PIXELS:
                raise ImageTooLargeError(
                    path, f"video frames of {width}x{height} = {width * height:,} pixels are "
                    f"above the {MAX_DECODE_PIXELS:,} limit; refusing to decode")
            yield container, stream
        finally:
            with contextlib.suppress(Exception):
                container.close()


def _ffmpeg_message(err: BaseException) -> str:
    text = str(err)
    return text[:300]


def _decode_error(path: str | Path, err: BaseException, decoded: int) -> EvidenceError:
    if isinstance(err, MemoryError):
        return ImageTooLargeError(path, "ran out of memory while decoding the video")
    return CorruptImageError(
        path, f"the video data is broken after {decoded} decoded frame(s) (truncated or "
        f"damaged file?): {type(err).__name__}: {_ffmpeg_message(err)}")


#: Exceptions PyAV and FFmpeg raise on malformed data (FFmpegError subclasses ValueError or
#: OSError); mapped to the kit's errors.
@dataclass(frozen=True)
class Picked:
    """A decoded frame chosen by :func:`iter_frames`, with why it was chosen."""

    time_s: float
    key: bool
    frame: Any  # av.VideoFrame
    rotation: int
    reason: str


def iter_frames(
    path: str | Path, *, iframes: bool = True, every: float | None = None,
    scenes: bool = False, max_frames: int = 200, max_seconds: float = 4 * 3600,
    scene_threshold: float = SCENE_THRESHOLD, partial: bool = False,
) -> Iterator[Picked]:
    """The chosen frames of a video, decoded, in presentation order (see :func:`keyframes`).

    With ``partial=True`` a damaged file ends the iteration quietly (a warning is logged)
    instead of raising CorruptImageError after the frames decoded so far.
    """
    if every is not None and not every > 0:
        raise ValueError(f"every must be a positive number of seconds, got {every!r}")
    if max_frames < 1:
        raise ValueError(f"max_frames must be at least 1, got {max_frames!r}")
    if not (iframes or every or scenes):
        raise ValueError("nothing to extract: set iframes, every or scenes")
    errors = av_errors()
    full = bool(every or scenes)
    with open_video(path) as (container, stream):
        ctx = stream.codec_context
        if not full:
            ctx.skip_frame = "NONKEY"
        stream.thread_type = "AUTO"
        base = stream.time_base
        start = stream.start_time if stream.start_time is not None else None
        rate = float(stream.average_rate or stream.guessed_rate or 25)
        max_packets = int(max_seconds * PACKETS_PER_SECOND) + PACKET_ALLOWANCE
        decoded = picked = 0
        next_every = 0.0
        prev_thumb: np.ndarray | None = None
        last_time = -math.inf
        try:
            for frame in _decoded(path, container, stream, max_packets):
                decoded += 1
                if frame.pts is not None and base is not None:
                    if start is None:
                        start = frame.pts
                    t = float((frame.pts - start) * base)
                else:  # no timestamp: one frame period after the previous one
                    t = (last_time + 1.0 / rate) if last_time > -math.inf else 0.0
                last_time = t
                if t > max_seconds:
                    return
                if frame.width * frame.height > MAX_DECODE_PIXELS:
                    raise ImageTooLargeError(
                        path, f"a frame of {frame.width}x{frame.height} is above the "
                        f"{MAX_DECODE_PIXELS:,}-pixel limit")
                key = bool(frame.key_frame)
                reasons = []
                if iframes and key:
                    reasons.append("keyframe")
                if every and t >= next_every - 1e-6:
                    reasons.append(f"every {every:g} s")
                    next_every = (math.floor(t / every + 1e-6) + 1) * every
                if scenes:
                    thumb = _grey_thumb(frame)
                    if prev_thumb is not None:
                        diff = float(abs(thumb - prev_thumb).mean())
                        if diff > scene_threshold:
                            reasons.append(f"scene change {diff:.1f}")
                    prev_thumb = thumb
                if not reasons:
                    continue
                yield Picked(t, key, frame, _rotation(frame), ", ".join(reasons))
                picked += 1
                if picked >= max_frames:
                    return
        except EvidenceError:
            raise
        except errors as err:
            if partial and decoded:
                log.warning("%s: %s", path, _decode_error(path, err, decoded).reason)
                return
            raise _decode_error(path, err, decoded) from err
    if decoded == 0:
        raise CorruptImageError(path, "the video stream holds no decodable frame")


def _decoded(path: str | Path, container: Any, stream: Any, max_packets: int) -> Iterator[Any]:
    """Decoded frames of ``stream``, reading at most ``max_packets`` packets; the decoder's
    buffered frames are flushed at the end either way."""
    for packets, packet in enumerate(container.demux(stream), start=1):
        if packets > max_packets:
            log.warning("%s: stopped after %d packets (limit)", path, max_packets)
            yield from stream.codec_context.decode(None)
            return
        yield from packet.decode()


def _grey_thumb(frame: Any) -> np.ndarray:
    import numpy as np

    small = frame.reformat(width=SCENE_THUMB[0], height=SCENE_THUMB[1], format="gray")
    return np.asarray(small.to_ndarray(), dtype=np.float32)


def _rotation(frame: Any) -> int:
    """Degrees clockwise a player turns the frame (from the display matrix), 0/90/180/270."""
    angle = getattr(frame, "rotation", 0) or 0
    return round(-float(angle) / 90.0) % 4 * 90


def frame_image(picked: Picked, max_pixels: int) -> PILImage.Image:
    """The frame as an RGB picture as a player shows it (rotated), at most ``max_pixels``."""
    from PIL import Image

    frame = picked.frame
    width, height = frame.width, frame.height
    if width * height > max_pixels:
        scale = math.sqrt(max_pixels / (width * height))
        width, height = max(2, int(width * scale)), max(2, int(height * scale))
        img = frame.reformat(width=width, height=height, format="rgb24",
                             interpolation="AREA").to_image()
    else:
        img = frame.to_image()
    if picked.rotation:
        img = img.transpose({90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                             270: Image.Transpose.ROTATE_90}[picked.rotation])
    return img


# --- the public functions ------------------------------------------------------------------------


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def working_name(video: str | Path, video_sha256: str, time_s: float) -> str:
    """``<videostem>_<sha8>_t000012.345.png``: plainly derived, safe characters only."""
    stem = _UNSAFE.sub("_", Path(video).stem).strip("._")[:60] or "video"
    sign = "-" if time_s < 0 else ""
    return f"{stem}_{video_sha256[:8]}_t{sign}{abs(time_s):010.3f}.png"


def _same_folder(a: str | Path, b: str | Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


@isolated(timeout=TIMEOUT)
def keyframes(
    path: str | Path,
    out_dir: str | Path | None = None,
    *,
    every: float | None = None,
    scenes: bool = False,
    iframes: bool = True,
    max_frames: int = 200,
    max_pixels: int = 4_000_000,
    max_seconds: float = 4 * 3600,
    scene_threshold: float = SCENE_THRESHOLD,
    partial: bool = False,
) -> list[Frame]:
    """Write keyframes (and optionally a frame every ``every`` seconds and scene changes) of
    a video as PNG working copies into ``out_dir``; return them as :class:`Frame` records.

    ``out_dir``: the working folder (created if missing; a new temporary folder when None).
    It may not be the folder that holds the video: working copies never sit beside the
    evidence. At most ``max_frames`` frames are written, from the first ``max_seconds`` of
    video; frames above ``max_pixels`` are downscaled (aspect kept). ``partial=True`` keeps
    the frames decoded before a damaged part instead of raising. Isolated
    (:func:`osint_kit.runner.isolated`): decoded in the warm worker within ``timeout``
    seconds (default :data:`TIMEOUT`); ``keyframes.here(...)`` runs in this process.
    """
    if max_pixels < 64:
        raise ValueError(f"max_pixels must be at least 64, got {max_pixels!r}")
    if out_dir is None:
        out_dir = tempfile.mkdtemp(prefix="osint_kit_frames_")
    if _same_folder(out_dir, Path(os.path.abspath(path)).parent):
        raise ValueError(
            f"out_dir {str(out_dir)!r} is the folder of the evidence video: working copies "
            "never go beside the evidence; give another working folder")
    os.makedirs(out_dir, exist_ok=True)
    rows = _write_frames(os.path.abspath(path), os.path.abspath(out_dir), every, scenes,
                         iframes, max_frames, max_pixels, max_seconds, scene_threshold, partial)
    # the rows name the path made absolute; the records name it as the caller gave it
    return [dataclasses.replace(Frame(**row), video=str(path)) for row in rows]


def _write_frames(path: str, out_dir: str, every: float | None, scenes: bool, iframes: bool,
                  max_frames: int, max_pixels: int, max_seconds: float,
                  scene_threshold: float, partial: bool) -> list[dict[str, Any]]:
    """The body of :func:`keyframes`: decode, pick, write the PNGs, hash them."""
    import hashlib

    from osint_kit._io import sha256_file

    video_sha = sha256_file(path)
    rows: list[dict[str, Any]] = []
    for i, picked in enumerate(iter_frames(
            path, iframes=iframes, every=every, scenes=scenes, max_frames=max_frames,
            max_seconds=max_seconds, scene_threshold=scene_threshold, partial=partial)):
        img = frame_image(picked, max_pixels)
        target = Path(out_dir) / working_name(path, video_sha, picked.time_s)
        img.save(target, format="PNG", compress_level=1)  # fast: a 1080p frame is ~0.1 s
        rows.append({
            "video": path, "video_sha256": video_sha, "index": i,
            "time_s": round(picked.time_s, 6), "key": picked.key, "width": img.width,
            "height": img.height, "path": str(target),
            "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
            "rotation": picked.rotation, "reason": picked.reason,
        })
    return rows


def frames_table(frames: Iterable[Frame]) -> pd.DataFrame:
    """One row per frame, columns :data:`FRAME_COLUMNS` (the fields of :class:`Frame`)."""
    import pandas as pd

    return pd.DataFrame([dataclasses.asdict(f) for f in frames], columns=list(FRAME_COLUMNS))


__all__ = [
    "CONTAINERS", "FRAME_COLUMNS", "MAX_DECODE_PIXELS", "SCENE_THRESHOLD", "Frame",
    "frames_table", "iter_frames", "keyframes", "open_video", "working_name",
]
