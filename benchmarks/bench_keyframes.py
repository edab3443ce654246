"""Keyframe extraction vs decoding every frame, as multiples of real time, same run.

A generated 1080p clip (1920x1080, 25 fps, one keyframe every 50 frames = 2 s; 10 s for
``quick``, 20 s for ``full``) is made once per run in a temporary folder (libx264
ultrafast, no B-frames). Measured, median of ``repeat`` passes:

* reference (row 1): decoding every frame with PyAV (same threading, frames
  discarded), the floor under any tool that looks at all frames (``every=``, ``scenes=``);
* row 1: ``iter_frames(clip)``: only I-frames are decoded (``skip_frame="NONKEY"``);
* row 2: ``keyframes.here(clip, out)``: the same, and each keyframe written as a
  PNG working copy with its SHA-256 (at 1080p the PNG encoding costs far more than the
  decoding), against decoding every frame and saving the same keyframes as the same PNGs;
  its note adds a video fingerprint (pHash every 0.2 s + keyframes, one pass).

``x real time`` = seconds of video per second of wall time (higher is faster).

    python benchmarks/bench_keyframes.py [quick|full]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from osint_kit.media.frames import iter_frames, keyframes
from osint_kit.media.similar.video import video_fingerprints
from osint_kit.testing.timing import median_seconds
from osint_kit.testing.videos import make_clip

SECONDS = {"quick": 10.0, "full": 20.0}
REPEAT = {"quick": 3, "full": 5}


def _full_decode(path: Path) -> int:
    import av

    n = 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            n += 1
    return n


def _naive_keyframes(path: Path, out: Path) -> int:
    """What a tool without skip_frame does: decode every frame, save the key ones as PNG."""
    import hashlib

    import av

    out.mkdir(exist_ok=True)
    n = 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            if frame.key_frame:
                target = out / f"naive_{n:04d}.png"
                frame.to_image().save(target, format="PNG", compress_level=1)
                hashlib.sha256(target.read_bytes()).hexdigest()
                n += 1
    return n


def run(size: str = "quick") -> list[dict]:
    seconds, repeat = SECONDS[size], REPEAT[size]
    with tempfile.TemporaryDirectory(prefix="bench_keyframes_") as tmp:
        clip = Path(tmp) / "clip1080.mp4"
        t0 = time.perf_counter()
        make_clip(clip, seconds=seconds, size=(1920, 1080), fps=25, gop=50, seed=3)
        made = time.perf_counter() - t0
        out = Path(tmp) / "frames"
        n_frames = _full_decode(clip)
        found = keyframes.here(clip, out)
        t_key = median_seconds(lambda: keyframes.here(clip, out), repeat)
        t_full = median_seconds(lambda: _full_decode(clip), repeat)
        t_iframes = median_seconds(lambda: sum(1 for _ in iter_frames(clip)), repeat)
        t_naive = median_seconds(lambda: _naive_keyframes(clip, Path(tmp) / "naive"), repeat)
        t_fp = median_seconds(lambda: video_fingerprints([clip], workers=0), 1)
        size_mb = clip.stat().st_size / 1e6
    what = (f"a 1080p clip ({seconds:g} s, 25 fps, GOP 50: {len(found)} keyframes of "
            f"{n_frames} frames)")
    common = (f"reference = PyAV decoding every frame (threads AUTO, frames discarded); median "
              f"of {repeat}; clip {size_mb:.1f} MB made in {made:.0f} s; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return [
        {
            "measure": f"keyframe decoding (I-frames only), {what}",
            "osint_kit": round(seconds / t_iframes, 1),
            "reference": round(seconds / t_full, 1),
            "ratio": round(t_full / t_iframes, 2),
            "unit": "x real time",
            "note": f"osint_kit = iter_frames() (skip_frame NONKEY), no files written; {common}",
        },
        {
            "measure": f"keyframes() with PNG working copies, {what}",
            "osint_kit": round(seconds / t_key, 1),
            "reference": round(seconds / t_naive, 1),
            "ratio": round(t_naive / t_key, 2),
            "unit": "x real time",
            "note": (f"osint_kit = keyframes.here(...): decoding, RGB conversion, PNG "
                     f"(zlib level 1) and SHA-256 of each working copy and of the video; "
                     f"fingerprint (pHash every 0.2 s + keyframes, full decode, one pass): "
                     f"{seconds / t_fp:.1f}x real time; reference = decoding every frame and "
                     f"saving the keyframes as the same PNGs (no skip_frame); decoding every "
                     f"frame alone: {seconds / t_full:.1f}x real time; median of {repeat}; "
                     f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"),
        },
    ]

if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
