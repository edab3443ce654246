"""The small preview image a camera embeds in EXIF (IFD1), and whether it still matches.

Cameras write a thumbnail (typically 160x120) when the picture is taken. Many editors update
the main image but leave the old thumbnail in place, so a thumbnail that shows something
else - a different crop, an object that is missing from the main image - is a classic sign
that the picture was edited after the camera wrote it. The reverse does not hold: a matching
thumbnail proves nothing (good editors regenerate it).

Some cameras letterbox a 3:2 picture into a 4:3 thumbnail with black bars; those bars are
trimmed before comparing.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from osint_kit._html import kv_table
from osint_kit.errors import CorruptImageError, ImageTooLargeError
from osint_kit.runner import isolated

if TYPE_CHECKING:
    from PIL import Image as PILImage

log = logging.getLogger(__name__)

#: Thumbnails bigger than this (bytes) are not decoded: EXIF limits APP1 to 64 KiB anyway.
MAX_THUMBNAIL_BYTES = 1 << 20
#: pHash distance (bits of 64) above which thumbnail and image are called different.
PHASH_THRESHOLD = 12
#: Relative aspect-ratio difference above which they are called different (after trimming).
ASPECT_TOLERANCE = 0.06


@dataclass(frozen=True)
class ThumbnailComparison:
    """Result of comparing the EXIF thumbnail with the main image."""

    thumbnail_size: tuple[int, int]
    image_size: tuple[int, int]
    trimmed_size: tuple[int, int]
    aspect_thumbnail: float
    aspect_image: float
    aspect_difference: float
    phash_distance: int
    differs: bool
    reason: str
    method: str = (
        "EXIF IFD1 JPEG thumbnail vs main image: dark letterbox bars trimmed, aspect ratio "
        f"(tolerance {ASPECT_TOLERANCE:.0%}) and pHash distance (threshold {PHASH_THRESHOLD} bits)"
    )

    def __repr__(self) -> str:
        verdict = "differs" if self.differs else "matches"
        return f"ThumbnailComparison({verdict}: {self.reason})"

    def _repr_html_(self) -> str:
        return kv_table(
            [
                ("verdict", "differs" if self.differs else "matches"),
                ("reason", self.reason),
                ("thumbnail size", f"{self.thumbnail_size[0]}x{self.thumbnail_size[1]}"),
                ("thumbnail size without bars", f"{self.trimmed_size[0]}x{self.trimmed_size[1]}"),
                ("image size", f"{self.image_size[0]}x{self.image_size[1]}"),
                ("aspect ratios", f"{self.aspect_thumbnail:.3f} vs {self.aspect_image:.3f}"),
                ("pHash distance", self.phash_distance),
                ("method", self.method),
            ],
            title="EXIF thumbnail vs image",
        )


@isolated
def extract_thumbnail(path: str | Path) -> bytes | None:
    """The EXIF IFD1 JPEG thumbnail bytes of an image, or None when there is none.

    Read through Pillow's EXIF parser (offsets are relative to the TIFF header); every offset
    is bounds-checked so a crafted file cannot make us read outside the EXIF block.
    Isolated (:func:`osint_kit.runner.isolated`): opened in the warm worker.
    """
    from PIL import ExifTags

    from osint_kit.media.similar.hashes import open_image_safely

    with open_image_safely(path) as im:
        raw = im.info.get("exif")
        if not isinstance(raw, (bytes, bytearray)) or len(raw) < 14:
            return None
        try:
            ifd1 = im.getexif().get_ifd(ExifTags.IFD.IFD1)
        except (KeyError, ValueError, TypeError, OSError, SyntaxError) as err:
            log.debug("IFD1 unreadable in %s: %s", path, err)
            return None
    tiff = bytes(raw[6:]) if raw[:6] == b"Exif\x00\x00" else bytes(raw)
    offset, length = ifd1.get(0x0201), ifd1.get(0x0202)
    if not isinstance(offset, int) or not isinstance(length, int) or length <= 0:
        return None
    if length > MAX_THUMBNAIL_BYTES or offset < 8 or offset + length > len(tiff):
        log.debug("thumbnail pointer out of bounds in %s", path)
        return None
    blob = tiff[offset : offset + length]
    return blob if blob[:2] == b"\xff\xd8" else None


def _decode_thumbnail(blob: bytes, path: str | Path) -> PILImage.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(blob)) as im:
            if im.size[0] * im.size[1] > 4_000_000:
                raise ImageTooLargeError(path, f"embedded thumbnail claims {im.size}: too large")
            im.load()
            return im.convert("L")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:
        raise CorruptImageError(path, f"embedded thumbnail cannot be decoded: {err}") from err


def trim_bars(img: PILImage.Image, level: int = 24, min_fraction: float = 0.98) -> PILImage.Image:
    """Cut uniform dark rows/columns at the edges (letterbox bars some cameras add)."""
    import numpy as np

    a = np.asarray(img.convert("L"), dtype=np.uint8)
    if a.size == 0:
        return img
    dark = a <= level
    rows = np.flatnonzero(dark.mean(axis=1) < min_fraction)
    cols = np.flatnonzero(dark.mean(axis=0) < min_fraction)
    if rows.size == 0 or cols.size == 0:
        return img
    box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
    if (box[2] - box[0]) * (box[3] - box[1]) < 0.3 * a.size:
        return img  # mostly dark picture, not bars
    return img.crop(box)


@isolated
def compare_thumbnail(path: str | Path, thumbnail: bytes | None = None
                      ) -> ThumbnailComparison | None:
    """Compare the embedded thumbnail with the main image; None when there is no thumbnail.

    ``thumbnail`` may be passed when already extracted (``ImageMetadata.thumbnail``).
    Raises CorruptImageError when the thumbnail or the image cannot be decoded. Isolated
    (:func:`osint_kit.runner.isolated`): both are decoded in the warm worker.
    """
    import imagehash

    from osint_kit.media.similar.hashes import load_for_hash

    blob = thumbnail if thumbnail is not None else extract_thumbnail(path)
    if not blob:
        return None
    thumb = _decode_thumbnail(blob, path)
    # stored pixels, no EXIF rotation: cameras store the thumbnail in sensor orientation too
    main, original, _ = load_for_hash(path, exact=False, size=256, transpose=False)
    ai = original[0] / max(1, original[1])
    # trim letterbox bars only when that brings the shape closer to the image (a dark
    # background is not a bar)
    trimmed = trim_bars(thumb)
    at_raw = thumb.size[0] / max(1, thumb.size[1])
    at = trimmed.size[0] / max(1, trimmed.size[1])
    if abs(at_raw - ai) <= abs(at - ai):
        trimmed, at = thumb, at_raw
    diff = abs(at - ai) / max(ai, 1e-9)
    dist = int(imagehash.phash(trimmed) - imagehash.phash(main))
    reasons = []
    if diff > ASPECT_TOLERANCE:
        reasons.append(f"aspect ratio {at:.3f} vs {ai:.3f} ({diff:.0%} apart)")
    if dist > PHASH_THRESHOLD:
        reasons.append(f"pictures differ: pHash distance {dist} of 64 bits")
    return ThumbnailComparison(
        thumbnail_size=thumb.size,
        image_size=original,
        trimmed_size=trimmed.size,
        aspect_thumbnail=round(at, 4),
        aspect_image=round(ai, 4),
        aspect_difference=round(diff, 4),
        phash_distance=dist,
        differs=bool(reasons),
        reason="; ".join(reasons) or f"same picture (pHash distance {dist}, aspect {at:.3f})",
    )


@isolated
def thumbnail_image(path: str | Path) -> PILImage.Image | None:
    """The embedded thumbnail as an RGB image (for display), or None. Isolated
    (:func:`osint_kit.runner.isolated`): decoded in the warm worker."""
    from PIL import Image

    blob = extract_thumbnail(path)
    if not blob:
        return None
    _decode_thumbnail(blob, path)  # validates size and decodability
    with Image.open(io.BytesIO(blob)) as im:
        return im.convert("RGB")

