"""Perceptual and cryptographic hashes: fast (draft) vs exact, parallel, hostile files."""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

import imagehash
import numpy as np
import pytest
from forensics_sets import jpeg_bytes, structured_image
from PIL import Image

from osint_kit.errors import (
    CorruptImageError,
    EmptyFileError,
    ImageTooLargeError,
    UnsupportedFormatError,
)
from osint_kit.images.hashes import HASH_COLUMNS, crypto_hashes, image_hashes, perceptual_hashes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))


def _ham(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def _big_jpeg(tmp_path: Path, seed: int) -> Path:
    p = tmp_path / f"big{seed}.jpg"
    p.write_bytes(jpeg_bytes(structured_image(seed, (1200, 900)), 90))
    return p


def test_draft_hash_close_to_exact_and_to_imagehash(tmp_path: Path) -> None:
    dists = []
    for seed in range(6):
        p = _big_jpeg(tmp_path, seed)
        fast = image_hashes(p, transpose=False)
        exact = image_hashes(p, exact=True, transpose=False)
        assert fast["hash_mode"] == "draft" and exact["hash_mode"] == "exact"
        assert fast["decoded_width"] < exact["decoded_width"]
        # exact mode is exactly imagehash on the full image
        assert exact["phash"] == str(imagehash.phash(Image.open(p)))
        dists.append(_ham(fast["phash"], exact["phash"]))
    print("draft vs exact pHash distances:", dists)
    assert max(dists) <= 6


def test_crypto_hashes_match_hashlib(tmp_path: Path) -> None:
    p = _big_jpeg(tmp_path, 1)
    data = p.read_bytes()
    assert crypto_hashes(p) == {"sha256": hashlib.sha256(data).hexdigest(), "md5": hashlib.md5(data).hexdigest()}
    row = image_hashes(p)
    assert row["sha256"] == hashlib.sha256(data).hexdigest()


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    im = structured_image(5, (160, 120))
    upright = tmp_path / "upright.jpg"
    upright.write_bytes(jpeg_bytes(im, 95))
    rotated = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # display needs a 90-degree clockwise turn
    buf = io.BytesIO()
    im.transpose(Image.Transpose.ROTATE_90).save(buf, "JPEG", quality=95, exif=exif.tobytes())
    rotated.write_bytes(buf.getvalue())
    a, b = image_hashes(upright), image_hashes(rotated)
    assert _ham(a["phash"], b["phash"]) <= 4


def test_single_file_errors_are_typed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        image_hashes(empty)
    text = tmp_path / "notes.jpg"
    text.write_text("not an image")
    with pytest.raises(UnsupportedFormatError):
        image_hashes(text)
    good = jpeg_bytes(structured_image(2, (256, 256)), 90)
    trunc = tmp_path / "trunc.jpg"
    trunc.write_bytes(good[: len(good) // 3])
    with pytest.raises(CorruptImageError):
        image_hashes(trunc, exact=True)


def test_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    from hostile import giant_jpeg, giant_png

    for name, data in (("bomb.png", giant_png()), ("bomb.jpg", giant_jpeg())):
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises((ImageTooLargeError, CorruptImageError)):
            image_hashes(p)


def test_parallel_batch_with_hostile_files_gives_error_rows(tmp_path: Path) -> None:
    from hostile import generate

    hostile = generate(tmp_path / "hostile", n=60, seed=11)
    good = []
    for i in range(8):
        p = tmp_path / f"good{i}.jpg"
        p.write_bytes(jpeg_bytes(structured_image(i), 85))
        good.append(p)
    paths = good + hostile
    df = perceptual_hashes(paths, workers=2, progress=False, timeout=30)
    assert list(df.columns) == list(HASH_COLUMNS)
    assert len(df) == len(paths)
    assert df["path"].tolist() == [str(p) for p in paths]
    assert df.loc[: len(good) - 1, "error"].isna().all()
    errors = df[df["error"].notna()]
    print(f"{len(errors)} of {len(hostile)} hostile files gave error rows:",
          errors["error_type"].value_counts().to_dict())
    assert len(errors) > 0
    assert errors["phash"].isna().all()
    # the same results in-process
    serial = perceptual_hashes(paths, workers=0, progress=False)
    assert serial["phash"].fillna("").tolist() == df["phash"].fillna("").tolist()


def test_non_jpeg_is_decoded_fully(tmp_path: Path) -> None:
    p = tmp_path / "a.png"
    structured_image(3).save(p)
    row = image_hashes(p)
    assert row["hash_mode"] == "exact"
    assert np.isfinite(int(row["phash"], 16))


def _slow(item: float) -> dict:
    import time

    time.sleep(item)
    return {"item": item, "error_type": None}


def _err(item: float, exc: BaseException) -> dict:
    return {"item": item, "error_type": type(exc).__name__}


def test_a_hanging_file_becomes_a_timeout_row() -> None:
    from osint_kit.images.hashes import run_in_processes

    class Bar:
        def update(self, n: int) -> None:
            pass

    rows = run_in_processes([0.0, 30.0, 0.0, 0.0], _slow, _err, 2, 1.0, 2, Bar(), name=str)
    assert [r["item"] for r in rows] == [0.0, 30.0, 0.0, 0.0]
    assert [r["error_type"] for r in rows] == [None, "ProcessingTimeoutError", None, None]
