"""Video evidence in a case: keyframes as derived working copies linked to their video.

A video is taken in like any file (:meth:`~osint_kit.case.case.Case.add_evidence`: hashes,
read-only stored copy, custody entry ``intake``); its metadata is read from the stored copy by
:func:`~osint_kit.media.read.video.read_video_metadata` and judged by
:func:`~osint_kit.media.forensics.video_rules.video_findings`.

:meth:`~osint_kit.case.case.Case.add_keyframes` then decodes the **stored copy** (never the
original; read-only, in the kit's isolated worker, bounded in frames, pixels and seconds:
:func:`osint_kit.media.frames.keyframes`) into PNG frames in a temporary folder outside the
case, and takes each frame in as a working copy:

* ``role`` "working", ``parent_id`` the video's evidence id;
* ``derivation`` ``"video frame at 12.345 s (keyframe)"`` (:func:`derivation_text`; the time
  is the frame's presentation time from the start of the video stream);
* ``original_name`` ``<video stem>_<sha8>_t000012.345.png`` (the kit's working-copy name);
* custody action ``derive``, whose details name the video's SHA-256, the frame time, why the
  frame was chosen and the extraction options (:func:`derive_details`).

The frames were decoded from exactly the bytes taken in: the decoder hashes what it reads and
a frame whose video hash differs from the intake hash is refused. The video's record and
stored copy are never written. Frames already taken in from the same video (same pixels, same
time) are not added twice.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from osint_kit.errors import CaseError

#: What :func:`derivation_text` writes and :func:`frame_of` reads back.
FRAME_DERIVATION = re.compile(r"^video frame at (-?\d+(?:\.\d+)?) s \(([^()]*)\)$")
#: Frames taken in by one call unless the caller asks for more (a case is not a frame store).
MAX_FRAMES = 60
#: Largest working copy (pixels); bigger frames are downscaled, aspect kept (1080p fits).
MAX_PIXELS = 2_100_000
#: The function that decodes the frames (named in every ``derive`` entry).
METHOD = "osint_kit.media.frames.keyframes"


def derivation_text(time_s: float, reason: str) -> str:
    """``"video frame at 12.345 s (keyframe)"``: the derivation recorded for one frame."""
    clean = reason.replace("(", "[").replace(")", "]")
    return f"video frame at {time_s:.3f} s ({clean})"


def frame_of(derivation: Any) -> tuple[float, str] | None:
    """(time in seconds, reason) of a frame's derivation text, or None for anything else."""
    match = FRAME_DERIVATION.match(str(derivation or ""))
    return (float(match.group(1)), match.group(2)) if match else None


def is_video_record(record: Mapping[str, Any]) -> bool:
    """Whether an evidence record's metadata (JSON text) says it is a video."""
    import json

    try:
        meta = json.loads(str(record.get("metadata") or "{}"))
    except ValueError:
        return False
    return isinstance(meta, dict) and meta.get("kind") == "video"


@contextlib.contextmanager
def extracted(
    stored: Path,
    record: Mapping[str, Any],
    every: float | None,
    scenes: bool,
    max_frames: int,
    max_pixels: int,
    partial: bool = False,
) -> Iterator[list[Any]]:
    """The frames of a video's stored copy, written to a temporary folder that is removed
    when the block ends. Raises :class:`CaseError` for an item that is not a video or whose
    decoded bytes are not the ones taken in; the decoder's own typed errors pass through."""
    from osint_kit.media.frames import keyframes
    from osint_kit.media.read.video import is_video

    rid = record.get("id")
    if not stored.is_file() or not is_video(stored):
        raise CaseError(
            f"evidence {rid} ({record.get('original_name')}) is not a video container the kit "
            "reads (MP4, MOV, 3GP, MKV, WebM, AVI): no keyframes to take")
    with tempfile.TemporaryDirectory(prefix="osint_kit_case_frames_") as tmp:
        frames = keyframes(stored, tmp, every=every, scenes=scenes, max_frames=max_frames,
                           max_pixels=max_pixels, partial=partial)
        for frame in frames:
            if frame.video_sha256 != record.get("sha256"):
                raise CaseError(
                    f"the stored copy of evidence {rid} did not hash to its intake SHA-256 "
                    "while it was decoded; run verify() before deriving anything from it")
        yield frames


def frame_name(record: Mapping[str, Any], frame: Any) -> str:
    """The kit's working-copy name for a frame, from the video's original name."""
    from osint_kit.media.frames import working_name

    return working_name(str(record.get("original_name") or "video"), str(record["sha256"]),
                        float(frame.time_s))


def derive_details(
    record: Mapping[str, Any], frame: Any, every: float | None, scenes: bool, max_pixels: int,
    partial: bool = False,
) -> dict[str, Any]:
    """What the ``derive`` custody entry says about one frame, beside the item's own hashes."""
    return {
        "from": record.get("id"),
        "from_sha256": record.get("sha256"),
        "frame_time_s": round(float(frame.time_s), 6),
        "keyframe": bool(frame.key),
        "reason": frame.reason,
        "width": frame.width,
        "height": frame.height,
        "rotation": frame.rotation,
        "method": METHOD,
        "options": {"every": every, "scenes": scenes, "max_pixels": max_pixels,
                    "partial": partial},
    }


__all__ = ["FRAME_DERIVATION", "MAX_FRAMES", "MAX_PIXELS", "derivation_text", "derive_details",
           "extracted", "frame_name", "frame_of", "is_video_record"]
