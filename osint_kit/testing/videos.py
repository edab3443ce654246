"""Small video clips whose content is known exactly, made with PyAV (FFmpeg inside the wheel).

A clip is a moving scene drawn from a seed (a gradient, a few shapes that drift, a frame
counter bar), so that re-encoded, resized and trimmed copies of one clip look alike and
clips with other seeds do not. Metadata tags (dates, GPS, make/model) are written by
ExifTool in the tests, as a camera or phone would have written them.

>>> from osint_kit.testing.videos import make_clip
>>> make_clip("clip.mp4", seconds=2, size=(320, 240))  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

#: container suffix -> (codec, pixel format) that this suffix plays with
CODECS: dict[str, tuple[str, str]] = {
    ".mp4": ("libx264", "yuv420p"),
    ".mov": ("libx264", "yuv420p"),
    ".m4v": ("libx264", "yuv420p"),
    ".3gp": ("libx264", "yuv420p"),
    ".mkv": ("libx264", "yuv420p"),
    ".webm": ("libvpx-vp9", "yuv420p"),
    ".avi": ("mpeg4", "yuv420p"),
}


def scene_frames(seed: int, size: tuple[int, int], count: int, fps: float = 25.0,
                 start: int = 0) -> Iterator[np.ndarray]:
    """RGB frames (height x width x 3, uint8) of the seeded moving scene.

    Frame ``k`` depends only on ``seed`` and ``start + k``: a clip made with ``start=50``
    is the same scene as the tail of one made from 0 (a trimmed copy)."""
    width, height = size
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, size=3)
    shapes = [(rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9), rng.uniform(0.05, 0.2),
               rng.integers(0, 256, size=3), rng.uniform(-0.15, 0.15), rng.uniform(-0.15, 0.15))
              for _ in range(4)]
    yy, xx = np.mgrid[0:height, 0:width]
    fx, fy = xx / max(width - 1, 1), yy / max(height - 1, 1)
    for k in range(start, start + count):
        t = k / fps
        img = np.empty((height, width, 3), dtype=np.float32)
        for c in range(3):
            img[..., c] = base[c] * (0.5 + 0.5 * fx) + (255 - base[c]) * 0.4 * fy
        for cx, cy, r, colour, vx, vy in shapes:
            px, py = (cx + vx * t) % 1.0, (cy + vy * t) % 1.0
            mask = (fx - px) ** 2 + ((fy - py) * height / width) ** 2 < r * r
            img[mask] = colour
        bar = int(width * ((k % int(fps * 4)) / (fps * 4)))
        img[height - max(2, height // 40):, :bar] = 255
        yield np.clip(img, 0, 255).astype(np.uint8)


def make_clip(
    path: str | os.PathLike[str],
    *,
    seconds: float = 2.0,
    size: tuple[int, int] = (320, 240),
    fps: int = 25,
    seed: int = 0,
    start_frame: int = 0,
    codec: str | None = None,
    gop: int | None = None,
    bitrate: int | None = None,
    rotation: int | None = None,
    metadata: dict[str, str] | None = None,
    audio: bool = False,
) -> Path:
    """Write a clip of the seeded scene to ``path`` and return it.

    The container follows the suffix (MP4, MOV, M4V, 3GP, MKV, WebM, AVI); ``codec`` overrides
    the video codec; ``gop`` is the keyframe interval in frames (default: one a second).
    ``rotation`` (90, 180, 270) is written as the display-matrix rotation a phone writes;
    ``metadata`` goes into the container's own tags (FFmpeg names, e.g. ``creation_time``,
    ``encoder``). ``audio`` adds a silent AAC/Opus/MP3 track where the container takes one.
    """
    import av

    path = Path(path)
    suffix = path.suffix.lower()
    default_codec, pix_fmt = CODECS.get(suffix, ("libx264", "yuv420p"))
    codec = codec or default_codec
    width, height = size
    options: dict[str, str] = {}
    if suffix in (".mp4", ".mov", ".m4v", ".3gp"):
        options["movflags"] = "+faststart"
    with av.open(str(path), mode="w", options=options) as out:
        for key, value in (metadata or {}).items():
            out.metadata[key] = value
        stream: Any = out.add_stream(codec, rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = pix_fmt
        stream.gop_size = gop or fps
        if bitrate:
            stream.bit_rate = bitrate
        if codec == "libx264":
            stream.options = {"preset": "ultrafast", "bf": "0"}
        if rotation:
            stream.metadata["rotate"] = str(rotation)
        stream.time_base = Fraction(1, fps)
        frames = scene_frames(seed, size, max(1, round(seconds * fps)), fps, start_frame)
        a_stream = _add_silence(out, suffix) if audio else None
        for i, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
        if a_stream is not None:
            _write_silence(out, a_stream, seconds)
    if rotation and suffix in (".mp4", ".mov", ".m4v", ".3gp"):
        _set_rotation(path, rotation)
    return path


def _add_silence(out: object, suffix: str) -> object | None:
    codec = {".webm": "libopus", ".avi": "mp3"}.get(suffix, "aac")
    try:
        stream = out.add_stream(codec, rate=48000)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a container or build without this audio codec
        return None
    return stream


def _write_silence(out: object, stream: object, seconds: float) -> None:
    import av

    rate = 48000
    samples = int(rate * seconds)
    step = 1024
    for pos in range(0, samples, step):
        n = min(step, samples - pos)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, n), dtype=np.float32), format="fltp",
                                           layout="mono")
        frame.sample_rate = rate
        frame.pts = pos
        for packet in stream.encode(frame):  # type: ignore[attr-defined]
            out.mux(packet)  # type: ignore[attr-defined]
    for packet in stream.encode():  # type: ignore[attr-defined]
        out.mux(packet)  # type: ignore[attr-defined]


def _set_rotation(path: Path, rotation: int) -> None:
    """Write the rotation into the track header's display matrix, as a phone does.

    FFmpeg's muxer ignores the old ``rotate`` tag on write; the matrix is in ``tkhd``:
    nine 32-bit fixed-point numbers after 40 bytes of version-0 header fields."""
    import struct

    one, zero = 0x00010000, 0
    cos, sin = {90: (0, 1), 180: (-1, 0), 270: (0, -1)}[rotation % 360]
    matrix = [cos * one, sin * one, zero, -sin * one, cos * one, zero, 0, 0, 0x40000000]
    data = bytearray(path.read_bytes())
    pos = data.find(b"tkhd")
    if pos < 0:
        return
    version = data[pos + 4]
    start = pos + 4 + (4 + (32 if version == 1 else 20) + 16)
    data[start:start + 36] = struct.pack(">9i", *matrix)
    path.write_bytes(bytes(data))
