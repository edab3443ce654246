"""ExifTool as an oracle: read_video_metadata vs ``exiftool -json -n -G1 -api QuickTimeUTC``.

24 clips (MP4, MOV, M4V, 3GP; sizes, rates, durations and rotations varied) are tagged by
ExifTool with a creation time, GPS, make and model (Apple ``Keys`` or QuickTime ``UserData``),
then both readers read the folder. The agreement rate per field is printed (``-s`` shows it)
and must be 100 %: a disagreement is a bug on one side, to be looked at, not averaged away.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from osint_kit.media.read.video import VideoMetadata, read_video_metadata
from osint_kit.testing.videos import make_clip

EXIFTOOL = shutil.which("exiftool")
pytestmark = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed (apt-get "
                                "install libimage-exiftool-perl): no oracle to compare with")
N_CLIPS = 24
FIELDS = ("created_utc", "duration_s", "width", "height", "rotation", "fps", "gps_latitude",
          "gps_longitude", "make", "model")


def _tag_args(i: int, rng: random.Random) -> list[str]:
    when = datetime(2015, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(300_000_000))
    lat, lon = round(rng.uniform(-80, 80), 4), round(rng.uniform(-179, 179), 4)
    make, model = rng.choice([("Apple", "iPhone 12"), ("samsung", "SM-G991B"),
                              ("Google", "Pixel 7"), ("DJI", "FC3170")])
    group = "Keys" if i % 2 == 0 else "UserData"
    return [f"-QuickTime:CreateDate={when:%Y:%m:%d %H:%M:%S}",
            f"-{group}:GPSCoordinates={lat}, {lon}, {rng.randrange(0, 900)}",
            f"-{group}:Make={make}", f"-{group}:Model={model}"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, Any]]:
    folder = tmp_path_factory.mktemp("differential")
    rng = random.Random(20221118)
    paths = []
    for i in range(N_CLIPS):
        suffix = (".mp4", ".mov", ".m4v", ".3gp")[i % 4]
        size = (rng.randrange(32, 161, 16), rng.randrange(32, 121, 8))
        path = make_clip(folder / f"clip{i:02d}{suffix}", seconds=rng.choice([0.4, 0.8, 1.2]),
                         size=size, fps=rng.choice([10, 24, 25, 30]), seed=i,
                         rotation=rng.choice([None, None, 90, 180, 270]))
        subprocess.run([EXIFTOOL or "exiftool", "-q", "-overwrite_original",
                        *_tag_args(i, rng), str(path)], check=True, capture_output=True,
                       timeout=60)
        paths.append(path)
    out = subprocess.run([EXIFTOOL or "exiftool", "-json", "-n", "-G1", "-api", "QuickTimeUTC",
                          str(folder)], check=True, capture_output=True, timeout=120)
    oracle = {Path(rec["SourceFile"]).name: rec for rec in json.loads(out.stdout)}
    return paths, oracle


def _first(rec: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in rec:
            return rec[name]
    return None


def _exiftool_values(rec: dict[str, Any]) -> dict[str, Any]:
    created = rec.get("QuickTime:CreateDate")
    size = str(rec.get("Composite:ImageSize", "")).split()
    return {
        "created_utc": None if not created else datetime.strptime(created, "%Y:%m:%d %H:%M:%S%z"),
        "duration_s": rec.get("QuickTime:Duration"),
        "width": int(size[0]) if size else None,
        "height": int(size[1]) if size else None,
        "rotation": rec.get("Composite:Rotation"),
        "fps": rec.get("Track1:VideoFrameRate"),
        "gps_latitude": rec.get("Composite:GPSLatitude"),
        "gps_longitude": rec.get("Composite:GPSLongitude"),
        "make": _first(rec, "Keys:Make", "UserData:Make"),
        "model": _first(rec, "Keys:Model", "UserData:Model"),
    }


def _agree(name: str, ours: Any, theirs: Any) -> bool:
    if ours is None or theirs is None:
        return ours is None and theirs is None
    if isinstance(ours, float) or isinstance(theirs, float):
        tol = 1e-4 if name.startswith("gps") else 0.02
        return abs(float(ours) - float(theirs)) <= tol
    return bool(ours == theirs) or str(ours) == str(theirs)


def test_agreement_with_exiftool_per_field(corpus: tuple[list[Path], dict[str, Any]],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    paths, oracle = corpus
    agree = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    for path in paths:
        meta: VideoMetadata = read_video_metadata(path)
        theirs = _exiftool_values(oracle[path.name])
        for name in FIELDS:
            if _agree(name, getattr(meta, name), theirs[name]):
                agree[name] += 1
            else:
                misses.append(f"{path.name} {name}: ours {getattr(meta, name)!r} "
                              f"exiftool {theirs[name]!r}")
    with capsys.disabled():
        print("\nvideo metadata vs ExifTool, agreement per field over", len(paths), "clips:")
        for name in FIELDS:
            print(f"  {name:14} {agree[name]}/{len(paths)} = {agree[name] / len(paths):.0%}")
    assert len(paths) >= 20
    assert not misses, "\n".join(misses[:20])


PYAV_FIELDS = ("duration_s", "width", "height", "fps", "created_utc", "make")


def _hms(text: Any) -> float | None:
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    h, m, s = str(text).split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_agreement_with_exiftool_on_matroska_webm_avi(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(7)
    paths = []
    for i in range(9):
        suffix = (".mkv", ".webm", ".avi")[i % 3]
        when = datetime(2016, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(200_000_000))
        paths.append(make_clip(
            tmp_path / f"p{i}{suffix}", seconds=rng.choice([0.4, 0.8, 1.2]), seed=i,
            size=(rng.randrange(32, 129, 16), rng.randrange(32, 97, 16)),
            fps=rng.choice([10, 25, 30]),
            metadata={"creation_time": f"{when:%Y-%m-%dT%H:%M:%S}.000000Z",
                      "make": rng.choice(["Sony", "DJI", "GoPro"])}))
    out = subprocess.run([EXIFTOOL or "exiftool", "-json", "-n", "-G1", str(tmp_path)],
                         check=True, capture_output=True, timeout=120)
    oracle = {Path(r["SourceFile"]).name: r for r in json.loads(out.stdout)}
    agree = dict.fromkeys(PYAV_FIELDS, 0)
    misses = []
    for path in paths:
        rec, meta = oracle[path.name], read_video_metadata(path)
        created = rec.get("Matroska:DateTimeOriginal")
        theirs = {
            "duration_s": _hms(rec.get("Matroska:Duration", rec.get("Composite:Duration"))),
            "width": rec.get("Track1:ImageWidth", rec.get("RIFF:ImageWidth")),
            "height": rec.get("Track1:ImageHeight", rec.get("RIFF:ImageHeight")),
            "fps": rec.get("Track1:VideoFrameRate", rec.get("RIFF:VideoFrameRate")),
            # FFmpeg's AVI writer drops creation_time and make: both sides must say None
            "created_utc": None if created is None else datetime.strptime(
                created.replace("Z", "+0000"), "%Y:%m:%d %H:%M:%S%z"),
            "make": rec.get("Matroska:Make"),
        }
        for name in PYAV_FIELDS:
            if _agree(name, getattr(meta, name), theirs[name]):
                agree[name] += 1
            else:
                misses.append(f"{path.name} {name}: ours {getattr(meta, name)!r} "
                              f"exiftool {theirs[name]!r}")
    with capsys.disabled():
        print("\nMKV/WebM/AVI (PyAV path) vs ExifTool, agreement per field over", len(paths),
              "clips:")
        for name in PYAV_FIELDS:
            print(f"  {name:14} {agree[name]}/{len(paths)} = {agree[name] / len(paths):.0%}")
    assert not misses, "\n".join(misses)
