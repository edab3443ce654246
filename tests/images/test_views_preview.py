"""``preview_image``: small pictures for reports, decoded in the isolated worker."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from osint_kit.errors import ImageTooLargeError, UnsupportedFormatError
from osint_kit.media.forensics.views import preview_image
from osint_kit.testing.images import make_image


def _open(blob: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(blob))
    im.load()
    return im


def test_jpeg_is_reduced_and_turned_upright(tmp_path: Path) -> None:
    # 600x200 stored, EXIF orientation 6 (rotate 90° clockwise to view): upright 200x600
    path = make_image(tmp_path / "a.jpg", size=(600, 200), exif={"Orientation": 6})
    im = _open(preview_image(path, 120, "JPEG"))
    assert im.format == "JPEG" and im.size == (40, 120)
    png = _open(preview_image(path, 60))
    assert png.format == "PNG" and max(png.size) == 60


def test_transparent_png_flattens_for_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "t.png"
    Image.new("RGBA", (50, 50), (255, 0, 0, 0)).save(path)
    im = _open(preview_image(path, 32, "JPEG"))
    pixel = im.getpixel((10, 10))
    assert im.mode == "RGB" and isinstance(pixel, tuple) and pixel[1] > 240  # white, not black
    assert _open(preview_image(path, 32)).mode == "RGBA"


def test_refusals(tmp_path: Path) -> None:
    text = tmp_path / "x.txt"
    text.write_text("not a picture")
    with pytest.raises(UnsupportedFormatError):
        preview_image(text)
    big = tmp_path / "big.png"
    Image.new("1", (8000, 7000)).save(big)  # 56 MP of bits: tiny file, above the cap
    with pytest.raises(ImageTooLargeError, match="56,000,000 pixels"):
        preview_image(big)
    with pytest.raises(ValueError, match="fmt"):
        preview_image(big, fmt="GIF")
    with pytest.raises(ValueError, match="max_side"):
        preview_image(big, max_side=5)


def test_large_jpeg_decodes_in_draft_mode(tmp_path: Path) -> None:
    """A 60-megapixel JPEG is above the cap at full size but decodes at 1/8 scale."""
    path = tmp_path / "large.jpg"
    Image.new("RGB", (9000, 6700), (30, 60, 90)).save(path, quality=50)
    im = _open(preview_image(path, 240, "JPEG"))
    assert im.size == (240, 179)
