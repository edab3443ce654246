"""JPEG quantisation tables: IJG quality estimate and family, on images whose truth is known."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from osint_kit.errors import UnsupportedFormatError
from osint_kit.media.forensics.quality import (
    ANNEX_K_CHROMINANCE,
    ANNEX_K_LUMINANCE,
    estimate_quality,
    ijg_table,
    jpeg_quality,
    jpeg_segments,
)
from osint_kit.testing.image_sets import structured_image


def _save(im: Image.Image, quality: int, **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, **kw)
    return buf.getvalue()


@given(st.integers(min_value=1, max_value=100))
def test_ijg_tables_round_trip(q: int) -> None:
    est = estimate_quality({0: ijg_table(ANNEX_K_LUMINANCE, q), 1: ijg_table(ANNEX_K_CHROMINANCE, q)})
    assert est.family == "ijg-standard"
    # at very high qualities several q give identical tables (all ones): any of them is exact
    assert ijg_table(ANNEX_K_LUMINANCE, est.quality or 0) == ijg_table(ANNEX_K_LUMINANCE, q)


@pytest.mark.parametrize("quality", range(50, 96, 5))
def test_resaved_by_pillow_estimate_within_5(tmp_path, quality: int) -> None:
    # an "original" with non-standard tables (scaled Annex K x 0.37), then re-saved by Pillow
    custom = [[max(1, round(v * 0.37)) for v in t] for t in (ANNEX_K_LUMINANCE, ANNEX_K_CHROMINANCE)]
    im = structured_image(quality, (96, 96))
    buf = io.BytesIO()
    im.save(buf, "JPEG", qtables=custom)
    original = buf.getvalue()
    first = jpeg_quality_from_bytes(tmp_path, original)
    assert first.family != "ijg-standard"
    resaved = _save(Image.open(io.BytesIO(original)), quality)
    est = jpeg_quality_from_bytes(tmp_path, resaved)
    print(f"re-saved at {quality}: {est.description}")
    assert est.quality is not None and abs(est.quality - quality) <= 5
    assert est.family == "ijg-standard"


def jpeg_quality_from_bytes(tmp_path, data: bytes):
    p = tmp_path / f"x{random.random()}.jpg"
    p.write_bytes(data)
    return jpeg_quality(p)


def test_random_quality_with_chroma_subsampling(tmp_path) -> None:
    rng = random.Random(3)
    for _ in range(10):
        q = rng.randint(50, 95)
        data = _save(structured_image(q), q, subsampling=rng.choice([0, 1, 2]))
        assert abs((jpeg_quality_from_bytes(tmp_path, data).quality or 0) - q) <= 5


def test_mixed_and_nonstandard_families() -> None:
    mixed = estimate_quality({0: ijg_table(ANNEX_K_LUMINANCE, 90), 1: ijg_table(ANNEX_K_CHROMINANCE, 70)})
    assert mixed.family == "ijg-mixed"
    assert mixed.table_qualities == (90, 70)
    scaled = estimate_quality([[max(1, round(v * 0.37)) for v in ANNEX_K_LUMINANCE]])
    assert scaled.family == "annex-k-scaled"
    own = estimate_quality({0: list(range(1, 65)), 1: [7] * 64})
    assert own.family == "non-standard"
    assert "nearest IJG quality" in own.description


def test_png_is_not_a_jpeg(tmp_path) -> None:
    p = tmp_path / "a.png"
    structured_image(1).save(p)
    with pytest.raises(UnsupportedFormatError):
        jpeg_quality(p)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_segment_walker_never_loops_or_crashes(tail: bytes) -> None:
    segs = jpeg_segments(b"\xff\xd8" + tail)
    assert len(segs) <= 512


def test_segments_of_a_pillow_jpeg() -> None:
    data = _save(Image.fromarray(np.zeros((16, 16, 3), np.uint8)), 80)
    names = [s[0] for s in jpeg_segments(data)]
    assert names[0] == "APP0" and "DQT" in names and names[-1] == "SOS"


def test_a_decompression_bomb_is_a_typed_error(tmp_path) -> None:
    """Pillow will not open these even for their headers: the refusal must come out as
    osint_kit's ImageTooLargeError, not as Pillow's own DecompressionBombError."""
    from osint_kit.errors import ImageTooLargeError
    from osint_kit.testing.hostile import giant_jpeg, giant_png

    for name, data in (("bomb.png", giant_png()), ("bomb.jpg", giant_jpeg())):
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(ImageTooLargeError):
            jpeg_quality.here(p)
