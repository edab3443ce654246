"""Forensic views: pictures that help the eye, computed from one image file.

Each function returns data (numpy arrays, PNG/JPEG bytes); the figures that show them are in
:mod:`osint_kit.display.media`. None of these views proves anything on its own: they point at regions to
look at more closely.

* :func:`ela` - error level analysis: re-save at a known JPEG quality and amplify the
  difference. Regions pasted from another picture, or edited after the last save, often
  re-compress differently from their surroundings. Edges, text and saturated colours are
  bright in untouched photos too.
* :func:`noise_view` - a cheap high-pass (image minus its median-filtered self): regions with
  a different noise texture (cloned, smoothed, inserted) stand out.
* :func:`thumbnail_pair` - the EXIF thumbnail and the main image as arrays, with the verdict
  (drawn by :func:`osint_kit.display.media.thumbnail_vs_image`).
* :func:`preview_image` - a small PNG or JPEG of the picture (the case report's thumbnails).

Every function here is isolated (:func:`osint_kit.runner.isolated`): the pixels are decoded in
the warm worker process, so a C decoder that crashes or hangs on a crafted file raises
WorkerCrashedError or ProcessingTimeoutError instead of killing or freezing the notebook;
``ela.here(path)`` (and so on) decodes in this process.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from osint_kit.runner import isolated

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image as PILImage

#: Views are computed on at most this many pixels per side (bigger images are reduced first).
MAX_VIEW_SIDE = 2048
#: A preview decodes at most this many pixels (after the JPEG decoder's draft reduction):
#: a 50-megapixel PNG or TIFF is about 150 MB of RGB; anything larger gets no preview.
PREVIEW_MAX_PIXELS = 50_000_000
#: Time limit (seconds) of one preview.
PREVIEW_TIMEOUT = 20.0


def _load_rgb(path: str | Path, max_side: int) -> PILImage.Image:
    from osint_kit.media.similar.hashes import open_image_safely

    with open_image_safely(path) as im:
        if im.format in ("JPEG", "MPO") and max(im.size) > 2 * max_side:
            im.draft("RGB", (max_side, max_side))
        rgb = im.convert("RGB")
        rgb.load()
    if max(rgb.size) > max_side:
        rgb.thumbnail((max_side, max_side))
    return rgb


@isolated
def ela(
    path: str | Path, quality: int = 90, scale: float = 15.0, max_side: int = MAX_VIEW_SIDE,
) -> np.ndarray:
    """Error level analysis: |image - image re-saved as JPEG at ``quality``| x ``scale``.

    Returns an HxWx3 uint8 array (bright = large re-compression error). Compare regions of
    similar content with each other; a uniformly dark result means the image was last saved
    at or below ``quality``.
    """
    if not 1 <= quality <= 100:
        raise ValueError(f"quality must be 1..100, got {quality}")
    import numpy as np
    from PIL import Image

    img = _load_rgb(path, max_side)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as resaved:
        again = np.asarray(resaved.convert("RGB"), dtype=np.int16)
    diff = np.abs(np.asarray(img, dtype=np.int16) - again).astype(np.float32) * float(scale)
    return np.clip(diff, 0, 255).astype(np.uint8)


@isolated
def noise_view(path: str | Path, size: int = 3, scale: float = 8.0,
               max_side: int = MAX_VIEW_SIDE) -> np.ndarray:
    """High-pass residual: |grey - median filter(grey)| x ``scale``, an HxW uint8 array."""
    import numpy as np
    from PIL import ImageFilter

    grey = _load_rgb(path, max_side).convert("L")
    smooth = grey.filter(ImageFilter.MedianFilter(size))
    diff = np.abs(np.asarray(grey, dtype=np.int16) - np.asarray(smooth, dtype=np.int16))
    return np.clip(diff.astype(np.float32) * float(scale), 0, 255).astype(np.uint8)


@isolated
def thumbnail_pair(path: str | Path) -> tuple[np.ndarray | None, np.ndarray, str]:
    """The thumbnail and the main image as arrays, and the comparison's verdict."""
    import numpy as np

    from osint_kit.media.forensics.thumbnail import compare_thumbnail, thumbnail_image

    thumb = thumbnail_image(path)
    main = np.asarray(_load_rgb(path, 1024))
    if thumb is None:
        return None, main, "no thumbnail to compare"
    comp = compare_thumbnail(path)
    return np.asarray(thumb), main, comp.reason if comp is not None else ""


@isolated(timeout=PREVIEW_TIMEOUT)
def preview_image(path: str | Path, max_side: int = 240, fmt: str = "PNG", *,
                  timeout: float | None = PREVIEW_TIMEOUT) -> bytes:
    """A ``fmt`` ("PNG" or "JPEG") picture of the image, at most ``max_side`` pixels per side
    (EXIF orientation applied).

    Isolated (:func:`osint_kit.runner.isolated`), with a ``timeout`` of
    :data:`PREVIEW_TIMEOUT` seconds: JPEGs go through the decoder's draft mode (1/2 to 1/8
    scale, so a 100-megapixel photo decodes as about 1.6 megapixels), other formats only up
    to :data:`PREVIEW_MAX_PIXELS`; a larger picture raises ImageTooLargeError before any
    pixel is decoded. Undecodable files raise the same typed errors as the other views.
    """
    if not 16 <= max_side <= 4096:
        raise ValueError(f"max_side must be 16..4096, got {max_side}")
    if fmt not in ("PNG", "JPEG"):
        raise ValueError(f"fmt must be 'PNG' or 'JPEG', got {fmt!r}")
    from PIL import Image, ImageOps

    from osint_kit.errors import ImageTooLargeError
    from osint_kit.media.similar.hashes import open_image_safely

    with open_image_safely(path) as im:
        if im.format in ("JPEG", "MPO"):
            im.draft("RGB", (max_side, max_side))
        width, height = im.size
        if width * height > PREVIEW_MAX_PIXELS:
            raise ImageTooLargeError(
                path, f"{width}x{height} = {width * height:,} pixels to decode, above the "
                f"preview limit of {PREVIEW_MAX_PIXELS:,}: no preview")
        im.thumbnail((max_side, max_side))
        alpha = "A" in im.getbands() or "transparency" in im.info
        small = ImageOps.exif_transpose(im.convert("RGBA" if alpha else "RGB"))
    if fmt == "JPEG" and small.mode == "RGBA":  # JPEG has no alpha: flatten on white
        flat = Image.new("RGB", small.size, (255, 255, 255))
        flat.paste(small, mask=small.getchannel("A"))
        small = flat
    buf = io.BytesIO()
    if fmt == "JPEG":
        small.save(buf, format="JPEG", quality=85, optimize=True)
    else:
        small.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
