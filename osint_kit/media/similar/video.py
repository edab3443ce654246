"""Near-duplicate videos and photos that are frames of a video, by perceptual hashes of frames.

A video's *fingerprint* (:func:`video_fingerprints`) is the pHash and dHash of frames sampled
at a fixed time step (default every 0.2 s, widened for long videos so that at most
``max_frames`` frames cover the whole video) plus every keyframe. The hashes are
``imagehash.phash`` / ``dhash`` of the greyscale frame, the same calls as
:mod:`osint_kit.media.similar.hashes` makes on an image file, computed on the decoded frame in
memory (a test checks they agree with the hashes of the frame's PNG working copy). Frames
with almost no contrast (black, white, fades: grey standard deviation below
:data:`FLAT_CONTRAST`) are kept in the table but never matched: their hash says nothing.

Why a time grid and not fixed relative positions (10 %, 20 %, ...): a trimmed copy shifts
every relative position, while it shares a *run* of frames at a constant time offset. So:

* :func:`video_pairs` finds all pairs of frames of different videos within ``max_distance``
  bits with the kit's multi-index search (:func:`osint_kit.media.similar.duplicates.duplicate_pairs`),
  then, per pair of videos, the time offset shared by most frame pairs, and counts the
  frames matched at that offset. Two videos are linked when at least ``min_frames`` frames
  and ``min_share`` of the shorter video's frames match at one offset;
* :func:`near_duplicate_videos` groups linked videos (connected components) and explains
  each video's strongest link;
* :func:`frame_matches` links a photo to the video frames within ``max_distance`` bits of it
  (:func:`osint_kit.media.similar.duplicates.find_copies`), with the time of the closest frame.

A match means *similar frames*: a re-encode, a resize, a trim, or simply the same static
scene filmed twice. It is a lead to check by eye (extract the frames with
:func:`osint_kit.media.frames.keyframes`), never proof of a common source.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from osint_kit.media.similar.duplicates import DEFAULT_MAX_DISTANCE, duplicate_pairs, find_copies

log = logging.getLogger(__name__)

#: Default sampling step (seconds) of a fingerprint.
EVERY = 0.2
#: Default maximum number of sampled frames per video (the step widens for long videos).
MAX_FRAMES = 600
#: Frames are reduced to at most this many pixels before hashing (pHash looks at 32x32).
HASH_PIXELS = 256 * 256
#: Frames whose grey standard deviation (0-255) is below this are "flat" and never matched.
FLAT_CONTRAST = 8.0
#: Default: at least this many frames must match at one offset to link two videos ...
MIN_FRAMES = 3
#: ... and at least this share of the shorter video's usable frames.
MIN_SHARE = 0.5

#: Columns of :func:`video_fingerprints` (one row per sampled frame; one row per failed video).
FINGERPRINT_COLUMNS: tuple[str, ...] = (
    "video", "time_s", "key", "phash", "dhash", "contrast", "flat", "reason", "duration_s",
    "step_s", "error", "error_type",
)
#: Columns of :func:`video_pairs`.
VIDEO_PAIR_COLUMNS: tuple[str, ...] = (
    "video_a", "video_b", "frames_a", "frames_b", "frames_matched", "share", "median_distance",
    "offset_s", "offset_spread_s", "linked", "explanation",
)
#: Columns of :func:`near_duplicate_videos`.
NEAR_VIDEO_COLUMNS: tuple[str, ...] = (
    "video", "group", "group_size", "frames", "duration_s", "matched_with", "frames_matched",
    "share", "median_distance", "offset_s", "method", "error",
)
#: Columns of :func:`frame_matches`.
FRAME_MATCH_COLUMNS: tuple[str, ...] = (
    "photo", "video", "time_s", "distance", "frames_within", "first_time_s", "last_time_s",
    "time_uncertainty_s", "explanation", "error",
)

_CAUTION = "similar frames, not proof of a common source"


# --- fingerprints -------------------------------------------------------------------------------


def _duration(path: str) -> float | None:
    """Declared duration in seconds (container, else stream), or None."""
    from osint_kit.media.frames import open_video

    with open_video(path) as (container, stream):
        if container.duration:
            return float(container.duration) / 1_000_000
        if stream.duration and stream.time_base:
            return float(stream.duration * stream.time_base)
    return None


def _fingerprint_one(path: str, every: float | None, iframes: bool, max_frames: int,
                      max_seconds: float) -> dict[str, Any]:
    """Batch worker body: the sampled frames' hashes of one video (typed errors raise)."""
    import imagehash

    from osint_kit.media.frames import frame_image, iter_frames

    duration = _duration(path)
    step = None
    if every is not None:
        span = min(duration or 0.0, max_seconds)
        step = max(every, span / max_frames) if span > 0 else every
    rows = []
    for picked in iter_frames(path, iframes=iframes, every=step, max_frames=2 * max_frames,
                              max_seconds=max_seconds):
        grey = frame_image(picked, HASH_PIXELS).convert("L")
        contrast = float(np.asarray(grey, dtype=np.float32).std())
        rows.append({
            "video": path, "time_s": round(picked.time_s, 6), "key": picked.key,
            "phash": str(imagehash.phash(grey)), "dhash": str(imagehash.dhash(grey)),
            "contrast": round(contrast, 2), "flat": contrast < FLAT_CONTRAST,
            "reason": picked.reason, "duration_s": duration, "step_s": step,
            "error": None, "error_type": None,
        })
    return {"rows": rows}


def _fingerprint_error(path: str, exc: BaseException) -> dict[str, Any]:
    from osint_kit._io import printable_text

    row: dict[str, Any] = dict.fromkeys(FINGERPRINT_COLUMNS)
    row.update(video=printable_text(path), error=printable_text(str(exc)),
               error_type=type(exc).__name__, flat=True)
    return {"rows": [row]}


def video_fingerprints(
    paths: Iterable[str | Path], *, every: float | None = EVERY, iframes: bool = True,
    max_frames: int = MAX_FRAMES, max_seconds: float = 4 * 3600,
    workers: int | None = None, timeout: float | None = 900.0,
) -> pd.DataFrame:
    """Hashes of sampled frames of each video: one row per frame (:data:`FINGERPRINT_COLUMNS`).

    ``every``: seconds between sampled frames (widened to ``duration / max_frames`` for long
    videos); ``None`` samples keyframes only (much faster: only I-frames are decoded, but
    trimmed copies then match only where their keyframes fall on similar frames).
    ``iframes`` adds every keyframe. Videos run on the kit's batch engine (worker processes,
    ``timeout`` seconds each); a video that fails gets one row with ``error`` set.
    """
    from osint_kit.runner.engine import map_files

    items = [os.fspath(p) for p in paths]
    results = map_files(f"{__name__}:_fingerprint_one", items,
                        args=(every, iframes, max_frames, max_seconds),
                        on_error=f"{__name__}:_fingerprint_error", workers=workers,
                        timeout=timeout)
    rows: list[dict[str, Any]] = []
    for given, result in zip(items, results, strict=True):
        for row in result["rows"]:
            row["video"] = given  # as the caller gave it (workers may see it made absolute)
            rows.append(row)
    return pd.DataFrame(rows, columns=list(FINGERPRINT_COLUMNS))


def _as_fingerprints(videos: pd.DataFrame | Iterable[str | Path], **kwargs: Any) -> pd.DataFrame:
    if isinstance(videos, pd.DataFrame):
        missing = [c for c in ("video", "time_s", "phash") if c not in videos.columns]
        if missing:
            raise ValueError(f"a fingerprint table needs the columns {missing}; "
                             "make it with video_fingerprints()")
        return videos
    if isinstance(videos, str | os.PathLike):
        videos = [videos]
    return video_fingerprints(videos, **kwargs)


def _usable(fp: pd.DataFrame) -> pd.DataFrame:
    ok = fp["phash"].notna()
    if "flat" in fp.columns:
        ok &= ~fp["flat"].fillna(True).astype(bool)
    return fp.loc[ok].reset_index(drop=True)


# --- pairs of videos ----------------------------------------------------------------------------


def _best_offset(offsets: np.ndarray, tol: float) -> tuple[float, np.ndarray]:
    """The offset shared by most pairs (within ``tol``) and the mask of those pairs."""
    order = np.sort(offsets)
    counts = (np.searchsorted(order, offsets + tol, side="right")
              - np.searchsorted(order, offsets - tol, side="left"))
    centre = float(offsets[int(np.argmax(counts))])
    mask = np.abs(offsets - centre) <= tol
    return float(np.median(offsets[mask])), mask


def video_pairs(
    videos: pd.DataFrame | Iterable[str | Path],
    max_distance: int = DEFAULT_MAX_DISTANCE,
    min_frames: int = MIN_FRAMES,
    min_share: float = MIN_SHARE,
    **fingerprint_options: Any,
) -> pd.DataFrame:
    """Every pair of videos with at least one pair of similar frames (:data:`VIDEO_PAIR_COLUMNS`).

    ``videos``: paths, or a :func:`video_fingerprints` table. For each pair: the frames of
    each (usable, i.e. not flat), the time offset most frame pairs agree on (``offset_s``:
    time in ``video_a`` minus time in ``video_b`` for the same picture; the tolerance is
    1.5 sampling steps), how many frames match at that offset (``frames_matched``, counted
    once per frame of each video, the smaller count), their share of the shorter video,
    the median pHash distance, how far the matched offsets spread, and whether the pair
    is ``linked`` (``frames_matched >= min_frames`` and ``share >= min_share``).
    """
    fp = _as_fingerprints(videos, **fingerprint_options)
    usable = _usable(fp)
    if usable.empty:
        return pd.DataFrame(columns=list(VIDEO_PAIR_COLUMNS))
    names = usable["video"].astype(str).to_numpy()
    times = usable["time_s"].astype(float).to_numpy()
    steps = usable.groupby("video")["step_s"].max() if "step_s" in usable else None
    n_frames = usable.groupby("video").size()
    pairs = duplicate_pairs(usable, max_distance, column="phash", workers=1)
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    # order each pair by video name so (video_a, video_b) is one key
    swap = names[a] > names[b]
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    keep = names[a] != names[b]
    a, b, dist = a[keep], b[keep], pairs["distance"].to_numpy()[keep]
    rows = []
    frame = pd.DataFrame({"va": names[a], "vb": names[b], "a": a, "b": b, "d": dist})
    for key, grp in frame.groupby(["va", "vb"], sort=True):
        va, vb = str(key[0]), str(key[1])  # type: ignore[index]
        ia, ib, d = grp["a"].to_numpy(), grp["b"].to_numpy(), grp["d"].to_numpy()
        offsets = times[ia] - times[ib]
        step = max(_step(steps, va), _step(steps, vb))
        offset, mask = _best_offset(offsets, tol=1.5 * step)
        matched = min(len(np.unique(ia[mask])), len(np.unique(ib[mask])))
        na, nb = int(n_frames[va]), int(n_frames[vb])
        share = matched / max(1, min(na, nb))
        spread = float(np.ptp(offsets[mask])) if mask.any() else math.nan
        med = float(np.median(d[mask]))
        linked = matched >= min_frames and share >= min_share
        rows.append({
            "video_a": va, "video_b": vb, "frames_a": na, "frames_b": nb,
            "frames_matched": matched, "share": round(share, 3), "median_distance": med,
            "offset_s": round(offset, 3), "offset_spread_s": round(spread, 3),
            "linked": linked,
            "explanation": (
                f"{matched} frame(s) match at one time offset ({share:.0%} of the shorter "
                f"video's {min(na, nb)} sampled frames; median pHash distance {med:g} of 64 "
                f"bits, at most {max_distance}): {Path(vb).name} at t is like "
                f"{Path(va).name} at t{offset:+.2f} s. "
                + ("Linked: " if linked else f"Not linked (needs {min_frames} frames and "
                   f"{min_share:.0%}): ") + _CAUTION),
        })
    out = pd.DataFrame(rows, columns=list(VIDEO_PAIR_COLUMNS))
    return out.sort_values(["linked", "frames_matched"], ascending=[False, False],
                           kind="stable").reset_index(drop=True)


def _step(steps: pd.Series | None, video: str) -> float:
    """The sampling step of a video (seconds); keyframe-only fingerprints count as 1 s."""
    if steps is None:
        return 1.0
    value = steps.get(video)
    return float(value) if value is not None and value == value else 1.0


def near_duplicate_videos(
    videos: pd.DataFrame | Iterable[str | Path],
    max_distance: int = DEFAULT_MAX_DISTANCE,
    min_frames: int = MIN_FRAMES,
    min_share: float = MIN_SHARE,
    include_singletons: bool = False,
    **fingerprint_options: Any,
) -> pd.DataFrame:
    """Group re-encoded, resized and trimmed copies of a video (:data:`NEAR_VIDEO_COLUMNS`).

    ``videos``: paths, or a :func:`video_fingerprints` table (then nothing is decoded
    again); ``fingerprint_options`` go to :func:`video_fingerprints` (``every``,
    ``workers``, ...). Videos linked by :func:`video_pairs` form a group (connected
    components, as for photos); each row explains the video's strongest link
    (``matched_with``, ``frames_matched``, ``share``, ``median_distance``, and ``offset_s``:
    this video at time t looks like ``matched_with`` at t + ``offset_s``).
    Groups are numbered 0, 1, ... biggest first; videos in no group are left out unless
    ``include_singletons``; videos that could not be read are always listed with ``error``.
    """
    fp = _as_fingerprints(videos, **fingerprint_options)
    pairs = video_pairs(fp, max_distance, min_frames, min_share)
    linked = pairs.loc[pairs["linked"].astype(bool).to_numpy()]
    order = list(dict.fromkeys(fp["video"].astype(str)))
    parent = {v: v for v in order}

    def root(v: str) -> str:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for va, vb in zip(linked["video_a"], linked["video_b"], strict=True):
        parent[root(va)] = root(vb)
    members: dict[str, list[str]] = {}
    for v in order:
        members.setdefault(root(v), []).append(v)
    ranked = sorted(members.values(), key=lambda m: (-len(m), order.index(m[0])))
    group_of = {v: g for g, m in enumerate(ranked) for v in m}
    usable = _usable(fp)
    n_frames = usable.groupby("video").size()
    errors = fp.groupby("video")["error"].first() if "error" in fp else pd.Series(dtype=object)
    durations = fp.groupby("video")["duration_s"].first() if "duration_s" in fp else None
    method = (f"pHash of frames sampled in time, <= {max_distance} bits; linked when >= "
              f"{min_frames} frames and >= {min_share:.0%} of the shorter video match at one "
              f"time offset; groups are connected components; {_CAUTION}")
    rows = []
    for v in order:
        mine = linked[(linked["video_a"] == v) | (linked["video_b"] == v)]
        size = len(ranked[group_of[v]])
        err = errors.get(v) if len(errors) else None
        if size < 2 and not include_singletons and not (isinstance(err, str) and err):
            continue
        best: dict[str, Any] = {}
        if not mine.empty:
            top = mine.sort_values(["frames_matched", "median_distance"],
                                   ascending=[False, True]).iloc[0]
            sign = 1.0 if top["video_b"] == v else -1.0
            best = {"matched_with": top["video_a"] if sign > 0 else top["video_b"],
                    "frames_matched": int(top["frames_matched"]), "share": top["share"],
                    "median_distance": top["median_distance"],
                    "offset_s": sign * float(top["offset_s"]) + 0.0}
        rows.append({
            "video": v, "group": group_of[v] if size >= 2 else pd.NA, "group_size": size,
            "frames": int(n_frames.get(v, 0)),
            "duration_s": durations.get(v) if durations is not None else None,
            "matched_with": best.get("matched_with"),
            "frames_matched": best.get("frames_matched", 0), "share": best.get("share"),
            "median_distance": best.get("median_distance"), "offset_s": best.get("offset_s"),
            "method": method, "error": err if isinstance(err, str) else None,
        })
    out = pd.DataFrame(rows, columns=list(NEAR_VIDEO_COLUMNS))
    out["group"] = out["group"].astype("Int64")
    return out.sort_values(["group", "video"], kind="stable", na_position="last"
                           ).reset_index(drop=True)


# --- photos that are frames ---------------------------------------------------------------------


def frame_matches(
    photos: Sequence[str | Path] | pd.DataFrame,
    videos: pd.DataFrame | Iterable[str | Path],
    max_distance: int = DEFAULT_MAX_DISTANCE,
    **fingerprint_options: Any,
) -> pd.DataFrame:
    """Link photos that are (near-)frames of a video to that video, with the time.

    ``photos``: image paths, or a :func:`~osint_kit.media.similar.hashes.perceptual_hashes` table;
    ``videos``: paths or a :func:`video_fingerprints` table. One row per (photo, video) with
    at least one sampled frame within ``max_distance`` pHash bits (:data:`FRAME_MATCH_COLUMNS`):
    ``time_s`` of the closest frame, its ``distance``, how many sampled frames are that close
    (``frames_within``) and the times they span (a long span means a static shot: the time
    is then not pinned down), and ``time_uncertainty_s`` (half the sampling step, or the
    longest keyframe gap for keyframe-only fingerprints). Photos and videos that could not
    be read get a row with ``error``. Photos without a match have no row.
    """
    from osint_kit.media.similar.hashes import perceptual_hashes

    if isinstance(photos, pd.DataFrame):
        hashed = photos
    else:
        hashed = perceptual_hashes([os.fspath(p) for p in photos], workers=0, crypto=False,
                                   progress=False)
    fp = _as_fingerprints(videos, **fingerprint_options)
    usable = _usable(fp)
    rows: list[dict[str, Any]] = []
    failed = fp[fp["error"].notna()] if "error" in fp.columns else fp.iloc[:0]
    for v, err in failed[["video", "error"]].itertuples(index=False):
        rows.append(dict.fromkeys(FRAME_MATCH_COLUMNS) | {"video": v, "error": err})
    for photo, phash, err in hashed[["path", "phash", "error"]].itertuples(index=False):
        if not isinstance(phash, str) or not phash:
            rows.append(dict.fromkeys(FRAME_MATCH_COLUMNS) | {"photo": photo, "error": err})
            continue
        if usable.empty:
            continue
        hits = find_copies(int(phash, 16), usable, max_distance)
        for video, grp in hits.groupby("video", sort=False):
            best = grp.sort_values(["distance", "time_s"], kind="stable").iloc[0]
            unc = _uncertainty(usable[usable["video"] == video])
            first, last = float(grp["time_s"].min()), float(grp["time_s"].max())
            rows.append({
                "photo": photo, "video": video, "time_s": float(best["time_s"]),
                "distance": int(best["distance"]), "frames_within": len(grp),
                "first_time_s": first, "last_time_s": last,
                "time_uncertainty_s": round(unc, 3),
                "explanation": (
                    f"closest sampled frame at {float(best['time_s']):.2f} s (+-{unc:.2f} s), "
                    f"pHash distance {int(best['distance'])} of 64 bits (at most "
                    f"{max_distance}); {len(grp)} sampled frame(s) within that distance "
                    f"between {first:.2f} and {last:.2f} s; {_CAUTION}"),
                "error": None,
            })
    out = pd.DataFrame(rows, columns=list(FRAME_MATCH_COLUMNS))
    return out.sort_values(["photo", "distance"], kind="stable", na_position="last"
                           ).reset_index(drop=True)


def _uncertainty(frames: pd.DataFrame) -> float:
    step = frames["step_s"].max() if "step_s" in frames else None
    if step is not None and step == step:
        return float(step) / 2
    times = np.sort(frames["time_s"].astype(float).to_numpy())
    return float(np.diff(times).max()) if len(times) > 1 else math.nan


__all__ = [
    "FINGERPRINT_COLUMNS", "FRAME_MATCH_COLUMNS", "NEAR_VIDEO_COLUMNS", "VIDEO_PAIR_COLUMNS",
    "frame_matches", "near_duplicate_videos", "video_fingerprints", "video_pairs",
]
