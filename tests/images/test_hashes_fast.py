"""Perceptual and cryptographic hashes: fast (draft) vs exact, parallel, hostile files."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import imagehash
import numpy as np
import pytest
from PIL import Image

from osint_kit.errors import (
    CorruptImageError,
    EmptyFileError,
    ImageTooLargeError,
    UnsupportedFormatError,
)
from osint_kit.media.similar.hashes import (
    HASH_COLUMNS,
    crypto_hashes,
    image_hashes,
    perceptual_hashes,
)
from osint_kit.testing.image_sets import jpeg_bytes, structured_image


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
    from osint_kit.testing.hostile import giant_jpeg, giant_png

    for name, data in (("bomb.png", giant_png()), ("bomb.jpg", giant_jpeg())):
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises((ImageTooLargeError, CorruptImageError)):
            image_hashes(p)


def test_parallel_batch_with_hostile_files_gives_error_rows(tmp_path: Path) -> None:
    from osint_kit.testing.hostile import generate

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


def _sleepy_hash(path: str, exact: bool, crypto: bool, transpose: bool) -> dict:
    """``_hash_one`` that hangs on ``*hang*`` files with signals blocked, like a stuck decoder."""
    import os
    import signal
    import time

    from osint_kit.media.similar.hashes import _hash_one

    if "hang" in os.path.basename(path):
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM, signal.SIGINT, signal.SIGTERM])
        time.sleep(20)
    return _hash_one(path, exact, crypto, transpose)


@pytest.mark.parametrize("workers", [2, 0])
def test_a_hanging_file_becomes_a_timeout_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    # the engine's workers import the per-file function by name: point it at the sleepy one
    from osint_kit.media.similar import hashes

    monkeypatch.setattr(hashes, "_HASH_ONE", f"{__name__}:_sleepy_hash")
    paths = []
    for i, name in enumerate(["a.jpg", "b_hang.jpg", "c.jpg", "d.png", "e.jpg"]):
        p = tmp_path / name
        structured_image(i, (96, 72)).save(p)
        paths.append(p)
    df = perceptual_hashes(paths, workers=workers, timeout=2.0, chunk_size=2, progress=False)
    assert list(df.columns) == list(HASH_COLUMNS)
    assert df["path"].tolist() == [str(p) for p in paths]
    assert df["error_type"].fillna("").tolist() == ["", "ProcessingTimeoutError", "", "", ""]
    error = df.loc[1, "error"]
    assert isinstance(error, str) and "per-file limit" in error
    assert df.loc[1, ["phash", "dhash", "sha256"]].isna().all()
    ok = df.drop(index=1)
    assert ok["phash"].notna().all() and ok["sha256"].notna().all()
    # the hang did not disturb the other files' hashes
    direct = [image_hashes(p)["phash"] for p in paths if "hang" not in p.name]
    assert ok["phash"].tolist() == direct
