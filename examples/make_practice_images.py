"""Generate the two photos of the PRACTICE CASE (constructed for teaching; deterministic).

The practice case (``examples/practice/``) is fictional: a ferry that loses power between
Split and Supetar. Its two "passenger photos" are drawn here and say what they are in their
pixels and in their EXIF ImageDescription: "CONSTRUCTED FOR TEACHING - fictional photo".
Their metadata is written by ``osint_kit.testing.images`` with chosen values:

* ``practice_photo_1.jpg``: camera time 2025-07-15 16:41:07 with offset +02:00 (CEST), GPS in
  mid-channel, GPS time 14:41:07 UTC, a thumbnail made from the picture itself.
* ``practice_photo_2.jpg``: camera time 2025-07-15 17:56:30 +02:00, GPS at Supetar harbour,
  Software "Adobe Photoshop 26.0 (Windows)" and a stale embedded thumbnail of a wider,
  uncropped picture (the editing signs students should find: the photo was cropped after
  the camera wrote its preview).

This script is not copied into student folders (it names the answers).

Usage::

    python examples/make_practice_images.py [--out examples/practice/evidence]
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from osint_kit.testing.images import gps_tags, make_image

HERE = Path(__file__).resolve().parent
LABEL = "CONSTRUCTED FOR TEACHING - fictional photo"

#: name -> (local camera time, offset, lat, lon, extra EXIF, stale preview of a wider picture)
PHOTOS: dict[str, tuple[str, str, float, float, dict[str, str], bool]] = {
    "practice_photo_1.jpg": ("2025:07:15 16:41:07", "+02:00", 43.4420, 16.4980, {}, False),
    "practice_photo_2.jpg": ("2025:07:15 17:56:30", "+02:00", 43.3850, 16.5530,
                             {"Software": "Adobe Photoshop 26.0 (Windows)"}, True),
}


def _picture(title: str, sea: tuple[int, int, int], width: int = 320) -> Image.Image:
    im = Image.new("RGB", (width, 240), sea)
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, 320, 90), fill=(150, 190, 230))  # sky
    draw.polygon([(90, 150), (230, 150), (215, 175), (105, 175)], fill=(235, 235, 235))
    draw.rectangle((140, 125, 185, 150), fill=(220, 220, 220))  # the ferry's bridge
    draw.text((8, 8), LABEL, fill=(0, 0, 0))
    draw.text((8, 215), title, fill=(255, 255, 255))
    return im


def write(out: Path) -> list[Path]:
    """Write both photos into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for n, (name, (when, offset, lat, lon, extra, other_thumb)) in enumerate(PHOTOS.items()):
        sea = (30, 80 + 30 * n, 140)
        im = _picture(f"practice photo {n + 1}", sea)
        # photo 2: its preview still shows the wider picture it was cropped from
        thumb = _picture(f"practice photo {n + 1}", sea, 440) if other_thumb else im.copy()
        thumb.thumbnail((110, 60))
        local = datetime.strptime(when, "%Y:%m:%d %H:%M:%S")
        hours = int(offset[:3])
        utc = local.replace(tzinfo=UTC).timestamp() - hours * 3600
        exif = {"Make": "Fictiphone", "Model": "FP-7 (fictional)", "ImageDescription": LABEL,
                "DateTime": when, "DateTimeOriginal": when, "OffsetTimeOriginal": offset,
                "OffsetTime": offset, **extra}
        path = make_image(out / name, size=im.size, image=im, exif=exif,
                          gps=gps_tags(lat=lat, lon=lon,
                                       timestamp=datetime.fromtimestamp(utc, UTC)),
                          thumbnail=thumb, quality=88, seed=n)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "practice" / "evidence")
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
