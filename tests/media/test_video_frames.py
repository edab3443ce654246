"""Keyframes as working copies: GOP structure, times, bounds, read-only, hostile files."""

from __future__ import annotations

import hashlib
import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from osint_kit.errors import (
    CorruptImageError,
    EmptyFileError,
    EvidenceError,
    ImageTooLargeError,
    UnsupportedFormatError,
)
from osint_kit.media import frames as frames_mod
from osint_kit.media.frames import FRAME_COLUMNS, Frame, frames_table, keyframes, working_name
from osint_kit.testing.videos import make_clip, scene_frames


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def make_cut_clip(path: Path, seeds: tuple[int, ...], seconds_each: float = 1.0,
                  fps: int = 25, size: tuple[int, int] = (160, 120)) -> Path:
    """A clip of several shots (one seeded scene each) with hard cuts between them."""
    import av

    with av.open(str(path), mode="w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast", "bf": "0", "sc_threshold": "0"}
        stream.gop_size = 250
        stream.time_base = Fraction(1, fps)
        n = round(seconds_each * fps)
        pts = 0
        for seed in seeds:
            for rgb in scene_frames(seed, size, n, fps):
                frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
                frame.pts = pts
                pts += 1
                for packet in stream.encode(frame):
                    out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("evidence")


@pytest.mark.parametrize(("suffix", "gop"), [(".mp4", 10), (".mp4", 25), (".mkv", 20),
                                            (".avi", 10), (".mov", 50), (".webm", 10),
                                            (".3gp", 20)])
def test_keyframes_follow_the_gop(evidence: Path, tmp_path: Path, suffix: str, gop: int) -> None:
    clip = make_clip(evidence / f"gop{gop}{suffix}", seconds=4, fps=25, gop=gop, seed=3)
    found = keyframes.here(clip, tmp_path)
    expected = list(range(0, 100, gop))
    assert len(found) == len(expected)
    assert [f.time_s for f in found] == pytest.approx([k / 25 for k in expected], abs=1e-3)
    assert all(f.key and f.reason == "keyframe" for f in found)
    assert [f.index for f in found] == list(range(len(found)))


def test_records_and_working_copies(evidence: Path, tmp_path: Path) -> None:
    clip = make_clip(evidence / "rec.mp4", seconds=2, gop=25, seed=4)
    before = sha256(clip)
    found = keyframes.here(clip, tmp_path / "work")
    assert sha256(clip) == before  # the evidence is untouched
    assert sorted(os.listdir(evidence)).count("rec.mp4") == 1
    assert not [p for p in os.listdir(evidence) if p.endswith(".png")]
    for f in found:
        assert isinstance(f, Frame)
        assert f.video == str(clip) and f.video_sha256 == before
        assert Path(f.path).parent == tmp_path / "work"
        assert Path(f.path).name == working_name(clip, before, f.time_s)
        assert Path(f.path).name.startswith(f"rec_{before[:8]}_t")
        assert f.sha256 == sha256(f.path)
        assert (f.width, f.height) == (320, 240)
    assert Path(found[1].path).name == f"rec_{before[:8]}_t000001.000.png"
    table = frames_table(found)
    assert list(table.columns) == list(FRAME_COLUMNS) and len(table) == len(found)
    assert "rec.mp4" in repr(found[0]) and "&lt;" not in found[0]._repr_html_()


def test_refuses_to_write_beside_the_evidence(evidence: Path) -> None:
    clip = make_clip(evidence / "beside.mp4", seconds=1)
    with pytest.raises(ValueError, match="beside the evidence"):
        keyframes.here(clip, evidence)


def test_every_n_seconds(evidence: Path, tmp_path: Path) -> None:
    clip = make_clip(evidence / "every.mp4", seconds=4, gop=100, seed=5)
    found = keyframes.here(clip, tmp_path, every=0.5, iframes=False)
    assert len(found) == 8
    for k, f in enumerate(found):
        assert k * 0.5 <= f.time_s < k * 0.5 + 1 / 25 + 1e-6
    assert [f.key for f in found] == [True] + [False] * 7  # only frame 0 is an I-frame
    both = keyframes.here(clip, tmp_path, every=1.0)
    assert both[0].reason == "keyframe, every 1 s"


def test_scene_changes(evidence: Path, tmp_path: Path) -> None:
    clip = make_cut_clip(evidence / "cuts.mp4", seeds=(1, 2, 3), seconds_each=1.0)
    found = keyframes.here(clip, tmp_path, scenes=True, iframes=False)
    assert [round(f.time_s, 2) for f in found] == [1.0, 2.0]
    assert all(f.reason.startswith("scene change") for f in found)
    # within one moving shot nothing passes the threshold
    calm = make_clip(evidence / "calm.mp4", seconds=3, seed=1)
    assert keyframes.here(calm, tmp_path, scenes=True, iframes=False) == []


def test_bounds(evidence: Path, tmp_path: Path) -> None:
    clip = make_clip(evidence / "bounds.mp4", seconds=4, gop=5, seed=6)
    assert len(keyframes.here(clip, tmp_path, max_frames=3)) == 3
    small = keyframes.here(clip, tmp_path, max_pixels=10_000, max_frames=2)
    for f in small:
        assert f.width * f.height <= 10_000
        assert f.width / f.height == pytest.approx(320 / 240, rel=0.03)
    early = keyframes.here(clip, tmp_path, max_seconds=1.0)
    assert early and max(f.time_s for f in early) <= 1.0 and len(early) == 6


def test_declared_size_limit(evidence: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                             ) -> None:
    clip = make_clip(evidence / "large.mp4", seconds=1)
    monkeypatch.setattr(frames_mod, "MAX_DECODE_PIXELS", 320 * 240 - 1)
    with pytest.raises(ImageTooLargeError):
        keyframes.here(clip, tmp_path)


def test_rotation_is_applied(evidence: Path, tmp_path: Path) -> None:
    clip = make_clip(evidence / "rot.mov", seconds=1, rotation=90, seed=2)
    (f,) = keyframes.here(clip, tmp_path)
    assert (f.width, f.height, f.rotation) == (240, 320, 90)


def test_image_helpers_accept_frames(evidence: Path, tmp_path: Path) -> None:
    from osint_kit.media.forensics.daylight import mean_luminance
    from osint_kit.media.forensics.views import ela
    from osint_kit.media.similar.hashes import image_hashes, perceptual_hashes

    clip = make_clip(evidence / "helpers.mp4", seconds=2, seed=7)
    found = keyframes(clip, tmp_path)  # isolated worker, the default
    f = found[0]
    row = image_hashes.here(f.path)
    assert len(row["phash"]) == 16 and row["sha256"] == f.sha256
    assert perceptual_hashes([x.path for x in found], workers=0, progress=False)["error"].isna().all()
    view = ela.here(f.path)
    assert view.shape == (f.height, f.width, 3)
    assert 0.0 < mean_luminance.here(f.path) < 1.0


# --- hostile and broken files ------------------------------------------------------------------


def test_empty_and_junk(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        keyframes.here(empty, tmp_path / "w")
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(UnsupportedFormatError):
        keyframes.here(junk, tmp_path / "w")
    text = tmp_path / "notes.mp4"
    text.write_text("just some text\n" * 20)
    with pytest.raises(UnsupportedFormatError):
        keyframes.here(text, tmp_path / "w")


def test_playlists_are_not_followed(tmp_path: Path) -> None:
    target = make_clip(tmp_path / "target.mp4", seconds=1)
    playlist = tmp_path / "list.m3u8"
    playlist.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n{target}\n"
                        "#EXTINF:1,\nhttp://10.255.255.1/a.ts\n#EXT-X-ENDLIST\n")
    concat = tmp_path / "list.ffconcat"
    concat.write_text(f"ffconcat version 1.0\nfile '{target}'\n")
    for hostile in (playlist, concat):
        with pytest.raises(UnsupportedFormatError):
            keyframes.here(hostile, tmp_path / "w")


def test_no_stream_is_video(tmp_path: Path) -> None:
    import av

    audio = tmp_path / "sound.mkv"
    with av.open(str(audio), mode="w") as out:
        stream = out.add_stream("libopus", rate=48000)
        for pos in range(0, 48000, 960):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 960), np.float32), format="fltp",
                                               layout="mono")
            frame.sample_rate, frame.pts = 48000, pos
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    with pytest.raises(UnsupportedFormatError, match="no video stream"):
        keyframes.here(audio, tmp_path / "w")


@pytest.mark.parametrize("suffix", [".mp4", ".mkv", ".avi", ".webm"])
def test_truncated_clips(evidence: Path, tmp_path: Path, suffix: str) -> None:
    clip = make_clip(evidence / f"whole{suffix}", seconds=3, gop=10, seed=8)
    data = clip.read_bytes()
    raised = 0
    for cut in (16, 100, 2000, len(data) // 3, len(data) // 2, len(data) - 50):
        broken = tmp_path / f"cut{cut}{suffix}"
        broken.write_bytes(data[:cut])
        try:
            keyframes.here(broken, tmp_path / "w")
        except EvidenceError as err:
            raised += 1
            assert isinstance(err, CorruptImageError | UnsupportedFormatError)
            assert err.path == str(broken) and err.reason
    assert raised >= 2  # the short heads at least cannot be videos


def test_truncated_mp4_raises_or_gives_partial(evidence: Path, tmp_path: Path) -> None:
    clip = make_clip(evidence / "half.mp4", seconds=4, gop=10, seed=9)
    data = clip.read_bytes()
    broken = tmp_path / "half.mp4"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptImageError, match="truncated or damaged"):
        keyframes.here(broken, tmp_path / "w")
    some = keyframes.here(broken, tmp_path / "w", partial=True)
    assert 0 < len(some) < 10


def test_bit_flips_give_frames_or_kit_errors(evidence: Path, tmp_path: Path) -> None:
    clip = make_clip(evidence / "flip.mp4", seconds=2, gop=10, seed=10)
    data = clip.read_bytes()
    rng = np.random.default_rng(1)
    for k in range(25):
        mutated = bytearray(data)
        for pos in rng.integers(0, len(data), size=int(rng.integers(1, 40))):
            mutated[pos] = int(rng.integers(0, 256))
        broken = tmp_path / f"flip{k}.mp4"
        broken.write_bytes(bytes(mutated))
        try:
            found = keyframes.here(broken, tmp_path / "w", max_frames=20)
        except EvidenceError:
            continue
        assert all(Path(f.path).exists() for f in found)


def test_hostile_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    clip = make_clip(folder / "<img src=x onerror=alert(1)>..;$(rm).mp4", seconds=1)
    (f,) = keyframes.here(clip, tmp_path / "w")
    name = Path(f.path).name
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    html = f._repr_html_()
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_packet_limit(evidence: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = make_clip(evidence / "packets.mp4", seconds=2, gop=5, seed=12)
    monkeypatch.setattr(frames_mod, "PACKET_ALLOWANCE", 0)
    monkeypatch.setattr(frames_mod, "PACKETS_PER_SECOND", 3)
    found = keyframes.here(clip, tmp_path, max_seconds=4.0)  # 12 packets at most
    assert [round(f.time_s, 2) for f in found] == [0.0, 0.2, 0.4]


def test_errors_cross_the_isolated_worker(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mov"
    junk.write_bytes(b"\x00\x00\x00\x14ftypqt  " + b"\xff" * 3000)
    with pytest.raises(UnsupportedFormatError) as info:
        keyframes(junk, tmp_path / "w")  # isolated, the default
    assert info.value.path == str(junk)


def test_animated_gif(tmp_path: Path) -> None:
    from PIL import Image

    pictures = [Image.fromarray(a) for a in scene_frames(1, (64, 48), 10)]
    gif = tmp_path / "in" / "anim.gif"
    gif.parent.mkdir()
    pictures[0].save(gif, save_all=True, append_images=pictures[1:], duration=100)
    found = keyframes.here(gif, tmp_path / "w", every=0.3, iframes=False)
    assert [f.time_s for f in found] == pytest.approx([0.0, 0.3, 0.6, 0.9])
