"""Near-duplicate videos (re-encoded, resized, trimmed copies) and photos that are frames."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from osint_kit.media.similar.video import (
    FINGERPRINT_COLUMNS,
    FRAME_MATCH_COLUMNS,
    NEAR_VIDEO_COLUMNS,
    frame_matches,
    near_duplicate_videos,
    video_fingerprints,
    video_pairs,
)
from osint_kit.testing.videos import make_clip, scene_frames

FPS = 25


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("videos")
    out: dict[str, Path] = {}
    for seed in (1, 2):
        out[f"orig{seed}"] = make_clip(d / f"orig{seed}.mp4", seconds=4, seed=seed)
        out[f"reenc{seed}"] = make_clip(d / f"reenc{seed}.webm", seconds=4, seed=seed,
                                        bitrate=150_000)
        out[f"mpeg4_{seed}"] = make_clip(d / f"mpeg4_{seed}.avi", seconds=4, seed=seed,
                                         bitrate=300_000, gop=12)
        out[f"small{seed}"] = make_clip(d / f"small{seed}.mkv", seconds=4, seed=seed,
                                        size=(160, 120))
        out[f"trim{seed}"] = make_clip(d / f"trim{seed}.mov", seconds=2, seed=seed,
                                       start_frame=37, size=(256, 192))
    for seed in (5, 7, 11):
        out[f"other{seed}"] = make_clip(d / f"other{seed}.mp4", seconds=3, seed=seed)
    return out


@pytest.fixture(scope="module")
def fingerprints(clips: dict[str, Path]) -> pd.DataFrame:
    before = {k: sha256(p) for k, p in clips.items()}
    fp = video_fingerprints(list(clips.values()), workers=2)
    assert {k: sha256(p) for k, p in clips.items()} == before  # evidence untouched
    return fp


def test_fingerprint_table(fingerprints: pd.DataFrame, clips: dict[str, Path]) -> None:
    assert list(fingerprints.columns) == list(FINGERPRINT_COLUMNS)
    assert fingerprints["error"].isna().all()
    assert set(fingerprints["video"]) == {str(p) for p in clips.values()}
    orig = fingerprints[fingerprints["video"] == str(clips["orig1"])]
    assert len(orig) == 20  # every 0.2 s over 4 s (keyframes fall on the grid)
    assert orig["key"].sum() == 4
    assert not orig["flat"].any()


def test_frame_hash_agrees_with_the_image_hash_of_its_working_copy(
        clips: dict[str, Path], fingerprints: pd.DataFrame, tmp_path: Path) -> None:
    from osint_kit.media.frames import keyframes
    from osint_kit.media.similar.hashes import image_hashes

    fp = fingerprints[(fingerprints["video"] == str(clips["orig1"])) & fingerprints["key"]]
    for frame in keyframes.here(clips["orig1"], tmp_path):
        row = fp[np.isclose(fp["time_s"], frame.time_s)].iloc[0]
        kit = image_hashes.here(frame.path, crypto=False)
        assert bin(int(kit["phash"], 16) ^ int(row["phash"], 16)).count("1") <= 4


def group_of(result: pd.DataFrame, clip: Path) -> Any:
    row = result[result["video"] == str(clip)]
    return row["group"].iloc[0] if len(row) else None


def test_copies_are_grouped_with_their_original(clips: dict[str, Path],
                                                fingerprints: pd.DataFrame) -> None:
    result = near_duplicate_videos(fingerprints)
    assert list(result.columns) == list(NEAR_VIDEO_COLUMNS)
    for seed in (1, 2):
        g = group_of(result, clips[f"orig{seed}"])
        assert g is not None and not pd.isna(g)
        for kind in ("reenc", "mpeg4_", "small", "trim"):
            assert group_of(result, clips[f"{kind}{seed}"]) == g, kind
        assert (result["group"] == g).sum() == 5
    assert group_of(result, clips["orig1"]) != group_of(result, clips["orig2"])
    for seed in (5, 7, 11):  # unrelated scenes are in no group
        assert group_of(result, clips[f"other{seed}"]) is None
    trim = result[result["video"] == str(clips["trim1"])].iloc[0]
    assert trim["frames_matched"] >= 5 and trim["share"] >= 0.5
    assert trim["median_distance"] <= 8
    assert "not proof" in trim["method"]


def test_trimmed_copy_offset(clips: dict[str, Path], fingerprints: pd.DataFrame) -> None:
    pairs = video_pairs(fingerprints)
    row = pairs[(pairs["video_a"] == str(clips["orig1"]))
                & (pairs["video_b"] == str(clips["trim1"]))].iloc[0]
    assert row["linked"]
    assert row["offset_s"] == pytest.approx(37 / FPS, abs=0.2)  # one sampling step
    assert row["frames_b"] == 10 and row["frames_matched"] >= 8
    assert "trim1.mov at t is like orig1.mp4 at t+1." in row["explanation"]
    same = pairs[(pairs["video_a"] == str(clips["orig1"]))
                 & (pairs["video_b"] == str(clips["small1"]))].iloc[0]
    assert same["offset_s"] == pytest.approx(0.0, abs=0.2) and same["share"] >= 0.8


def test_unrelated_are_not_linked(clips: dict[str, Path]) -> None:
    others = [clips["other5"], clips["other7"], clips["other11"], clips["orig1"]]
    assert near_duplicate_videos(others, workers=0).empty
    alone = near_duplicate_videos(others, include_singletons=True, workers=0)
    assert len(alone) == 4 and alone["group"].isna().all()
    assert (alone["group_size"] == 1).all()


def test_keyframe_only_fingerprints_still_group_untrimmed_copies(clips: dict[str, Path]) -> None:
    chosen = [clips["orig1"], clips["small1"], clips["reenc1"], clips["other5"]]
    fp = video_fingerprints(chosen, every=None, workers=0)
    assert fp["reason"].eq("keyframe").all()
    result = near_duplicate_videos(fp)
    assert set(result["video"]) == {str(clips["orig1"]), str(clips["small1"]),
                                    str(clips["reenc1"])}


def test_broken_video_is_an_error_row(clips: dict[str, Path], tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4)
    result = near_duplicate_videos([clips["orig1"], junk, clips["small1"]], workers=0)
    bad = result[result["video"] == str(junk)].iloc[0]
    assert isinstance(bad["error"], str) and bad["error"]
    assert pd.isna(bad["group"])
    assert group_of(result, clips["orig1"]) == group_of(result, clips["small1"])


def decoded_frame(clip: Path, index: int) -> np.ndarray:
    import av

    with av.open(str(clip)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i == index:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError("clip too short")


def test_photos_that_are_frames(clips: dict[str, Path], fingerprints: pd.DataFrame,
                                tmp_path: Path) -> None:
    png = tmp_path / "still.png"
    Image.fromarray(decoded_frame(clips["orig1"], 61)).save(png)  # t = 2.44 s
    jpeg = tmp_path / "still_resaved.jpg"
    with Image.open(png) as im:
        im.resize((200, 150)).save(jpeg, quality=70)
    unrelated = tmp_path / "unrelated.png"
    Image.fromarray(next(scene_frames(9, (320, 240), 1))).save(unrelated)
    photos = [png, jpeg, unrelated]
    before = [sha256(p) for p in photos]
    result = frame_matches(photos, fingerprints)
    assert [sha256(p) for p in photos] == before
    assert list(result.columns) == list(FRAME_MATCH_COLUMNS)
    assert str(unrelated) not in set(result["photo"])
    for photo in (png, jpeg):
        mine = result[result["photo"] == str(photo)]
        best = mine.sort_values("distance").iloc[0]
        seed1 = {str(clips[k]) for k in ("orig1", "reenc1", "mpeg4_1", "small1", "trim1")}
        assert set(mine["video"]) <= seed1  # never a clip of another scene
        at = mine[mine["video"] == str(clips["orig1"])].iloc[0]
        assert at["time_s"] == pytest.approx(61 / FPS, abs=1.0)  # one GOP (25 frames)
        assert abs(at["time_s"] - 61 / FPS) <= at["time_uncertainty_s"] + 1 / FPS
        assert best["distance"] <= 8 and "not proof" in best["explanation"]
        trim = mine[mine["video"] == str(clips["trim1"])]
        if len(trim):  # the trimmed copy starts 1.48 s later
            assert trim["time_s"].iloc[0] == pytest.approx(61 / FPS - 37 / FPS, abs=1.0)


def test_photo_errors_are_rows(clips: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really")
    result = frame_matches([bad], [clips["orig1"]], workers=0)
    assert len(result) == 1 and result["error"].iloc[0] and result["video"].isna().all()


def test_photo_time_from_keyframes_only(clips: dict[str, Path], tmp_path: Path) -> None:
    png = tmp_path / "still.png"
    Image.fromarray(decoded_frame(clips["mpeg4_1"], 40)).save(png)  # GOP 12 frames
    fp = video_fingerprints([clips["mpeg4_1"], clips["other5"]], every=None, workers=0)
    result = frame_matches([png], fp)
    assert list(result["video"]) == [str(clips["mpeg4_1"])]
    row = result.iloc[0]
    assert abs(row["time_s"] - 40 / FPS) <= 12 / FPS + 1e-6  # within one GOP
    assert row["time_uncertainty_s"] == pytest.approx(12 / FPS, abs=1e-3)
