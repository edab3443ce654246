"""Generate the RECONSTRUCTIONS FOR TEACHING in examples/evidence/ (deterministic).

The images the US government released on 20 January 2023 are not available offline, so the
worked case ships stand-ins drawn by this script. Every file says what it is twice: in its own
metadata (EXIF ImageDescription, XMP dc:description, IPTC caption or a JPEG comment) and
visibly in its pixels: "RECONSTRUCTION FOR TEACHING - not the released image".

Files written (all JPEG, each < 300 kB):

* ``overhead_tumangang_2022-11-18_reconstruction.jpg`` and ``..._2022-11-19_...``: schematic
  overhead views of the Tumangang rail facility (five flatcars empty; the same flatcars with
  containers). Shadows are cast from the Sun's computed position at a chosen time (see
  ``SCENES``), with a scale bar, a north arrow and objects of stated height, so that
  participants can measure a shadow and recover the time.
* ``briefing_agency_photo_reconstruction.jpg``: an agency-style photo file of the briefing
  (an empty lectern and a screen, no person) with IPTC by-line/credit/caption of a FICTIONAL
  photographer and a capture time with its US offset (-05:00), plus a matching EXIF thumbnail.
* ``briefing_reposted_social_copy_reconstruction.jpg``: the same picture as a social network
  re-post: EXIF/IPTC/XMP stripped, resized, re-encoded at a lower quality (only a JPEG comment
  with the reconstruction label remains, so the file still names itself).
* ``briefing_edited_copy_reconstruction.jpg``: an edited copy: the date on the screen changed
  from NOV 18 to OCT 18 and the right edge cropped off, Software "Adobe Photoshop ...", an
  XMP edit history, and a STALE embedded EXIF thumbnail that still shows the unedited,
  uncropped picture.

``reconstructions_truth.json`` (next to this script) records the chosen times, the Sun
position used and the pixel geometry: the teacher's answer key.

Pixels are drawn with Pillow and numpy only (fixed seeds). The metadata blocks (EXIF with
its IFD1 thumbnail, IPTC-IIM, XMP) are serialised by ``osint_kit.testing.images``, the same
writer the test fixtures use. The Sun position comes from ``osint_kit.geo.sun_position``
when available, else from ``astral`` directly (both follow the NOAA equations; angles are
rounded to 0.1 degree before drawing so either source gives the same pixels).

Usage::

    python examples/make_reconstructions.py [--out examples/evidence] [--truth PATH]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
LABEL = "RECONSTRUCTION FOR TEACHING - not the released image"
TOOL = "osint_kit examples/make_reconstructions.py"

# Tumangang station, Wikipedia infobox (CASE_FACTS section 3).
SITE_LAT, SITE_LON = 42.4214, 130.6081
KST = timezone(timedelta(hours=9), "KST")
EST = timezone(timedelta(hours=-5), "EST")

# Geometry of the overhead views.
WIDTH, HEIGHT = 960, 720
GSD_M = 0.25  # metres per pixel
TRACK_BEARING = 104.0  # degrees from north: towards the Friendship Bridge (ESE)
MAST_HEIGHT_M = 12.0
WAREHOUSE_HEIGHT_M = 7.5
DECK_HEIGHT_M = 1.1
CONTAINER_TOP_M = 3.7  # 1.1 m deck + 2.6 m container
MAST_BASE_PX = (700, 560)


@dataclass(frozen=True)
class Scene:
    """One overhead view: its date, the chosen local time, and whether cars are loaded."""

    day: str
    local_time: datetime
    loaded: bool
    title: str


SCENES = (
    Scene("2022-11-18", datetime(2022, 11, 18, 10, 32, 0, tzinfo=KST), False,
          "18 Nov 2022: five Russian flatcars arrive empty"),
    Scene("2022-11-19", datetime(2022, 11, 19, 11, 5, 0, tzinfo=KST), True,
          "19 Nov 2022: the same flatcars loaded with containers"),
)

BRIEFING_TIME = datetime(2023, 1, 20, 13, 47, 12, tzinfo=EST)
EDIT_TIME = datetime(2023, 1, 21, 9, 20, 45, tzinfo=EST)


# --------------------------------------------------------------------------------------------
# Sun position
# --------------------------------------------------------------------------------------------


def sun_angles(when: datetime) -> tuple[float, float, str]:
    """(azimuth, elevation, method) in degrees, rounded to 0.1, for the site at ``when``."""
    try:
        from osint_kit.geo import sun_position

        pos: Any = sun_position((SITE_LAT, SITE_LON), when)
        az = float(pos.azimuth)
        el = float(pos.elevation)
        method = "osint_kit.geo.sun_position"
    except (ImportError, AttributeError, TypeError):
        from astral import Observer
        from astral.sun import azimuth, elevation

        obs = Observer(latitude=SITE_LAT, longitude=SITE_LON)
        az = float(azimuth(obs, when))
        el = float(elevation(obs, when))
        method = "astral.sun (NOAA)"
    return round(az, 1), round(el, 1), method


# --------------------------------------------------------------------------------------------
# Metadata writers (EXIF with thumbnail IFD, IPTC APP13, XMP APP1, COM)
# --------------------------------------------------------------------------------------------

_ASCII, _SHORT, _LONG, _RATIONAL, _UNDEFINED = 2, 3, 4, 5, 7  # TIFF field types


def _synth_value(typ: int, value: Any) -> Any:
    """A (type, value) entry in the form osint_kit.testing.images.build_exif expects."""
    if typ == _ASCII:
        return str(value)
    if typ == _UNDEFINED:
        return bytes(value)
    if typ == _RATIONAL:
        return Fraction(value[0], value[1])
    if typ == _LONG:
        return (_LONG, [int(value)])
    return int(value)


def exif_segment(
    ifd0: dict[int, tuple[int, Any]],
    exif_ifd: dict[int, tuple[int, Any]],
    thumbnail: bytes | None,
) -> bytes:
    """A complete APP1 Exif segment (little-endian TIFF) with an optional IFD1 thumbnail.

    Serialised by helper A's ``osint_kit.testing.images.build_exif`` (tags are placed in IFD0
    or the EXIF IFD by number, as the standard says).
    """
    from osint_kit.testing.images import build_exif

    tags = {0x0213: (_SHORT, 1), **ifd0,  # YCbCrPositioning: centred
            0x9101: (_UNDEFINED, b"\x01\x02\x03\x00"),  # ComponentsConfiguration YCbCr
            0xA000: (_UNDEFINED, b"0100"),  # FlashpixVersion
            0xA001: (_SHORT, 1),  # ColorSpace sRGB
            **exif_ifd}
    return _segment(0xE1, build_exif({tag: _synth_value(*entry) for tag, entry in tags.items()},
                                     thumbnail=thumbnail))


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) + 2 > 0xFFFF:
        raise ValueError(f"segment too large ({len(payload)} bytes)")
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def iptc_segment(fields: list[tuple[int, str]]) -> bytes:
    """APP13 Photoshop 3.0 segment with the IPTC-IIM record 2 datasets (UTF-8 declared)."""
    from osint_kit.testing.images import build_iim, photoshop_app13

    grouped: dict[str, list[str]] = {}
    for dataset, value in fields:
        grouped.setdefault(str(dataset), []).append(value)
    return photoshop_app13(build_iim({k: v[0] if len(v) == 1 else v
                                      for k, v in grouped.items()}))


def xmp_segment(packet: str) -> bytes:
    return _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + packet.encode("utf-8"))


def com_segment(text: str) -> bytes:
    return _segment(0xFE, text.encode("utf-8"))


def xmp_packet(description: str, props: dict[str, str] | None = None,
               history: tuple[dict[str, str], ...] = ()) -> str:
    """An XMP packet with dc:description (built by osint_kit.testing.images.xmp_packet)."""
    from osint_kit.testing.images import xmp_packet as build

    return build(props=props, history=history, description=description)


def encode_jpeg(img: Image.Image, quality: int) -> bytes:
    """Plain baseline JPEG bytes from Pillow (no metadata), deterministic settings."""
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality, subsampling=2, optimize=False)
    return buf.getvalue()


def with_segments(jpeg: bytes, segments: list[bytes]) -> bytes:
    """Insert metadata segments after SOI and Pillow's JFIF APP0 segment."""
    if jpeg[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    pos = 2
    if jpeg[2:4] == b"\xff\xe0":
        pos = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:pos] + b"".join(segments) + jpeg[pos:]


def thumbnail_jpeg(img: Image.Image) -> bytes:
    thumb = img.convert("RGB").copy()
    thumb.thumbnail((160, 120), Image.Resampling.LANCZOS)
    return encode_jpeg(thumb, 80)


def _exif_time(when: datetime) -> str:
    return when.strftime("%Y:%m:%d %H:%M:%S")


def _offset(when: datetime) -> str:
    off = when.utcoffset() or timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --------------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _ground(seed: int, colour: tuple[int, int, int], width: int, height: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    base = np.empty((height, width, 3), dtype=np.float32)
    base[:] = colour
    noise = rng.normal(0.0, 4.0, size=(height // 8 + 1, width // 8 + 1, 1)).astype(np.float32)
    noise = np.kron(noise, np.ones((8, 8, 1), dtype=np.float32))[:height, :width]
    fine = rng.normal(0.0, 1.5, size=(height, width, 1)).astype(np.float32)
    arr = np.clip(base + noise + fine, 0, 255).astype(np.uint8)
    return Image.fromarray(arr, "RGB")


def _unit(bearing_deg: float) -> tuple[float, float]:
    """Image-space unit vector (x right, y down) for a compass bearing (north up)."""
    rad = math.radians(bearing_deg)
    return math.sin(rad), -math.cos(rad)


def _rect(centre: tuple[float, float], length_px: float, width_px: float,
          bearing: float) -> list[tuple[float, float]]:
    ux, uy = _unit(bearing)
    vx, vy = -uy, ux
    cx, cy = centre
    hl, hw = length_px / 2, width_px / 2
    return [
        (cx + ux * hl + vx * hw, cy + uy * hl + vy * hw),
        (cx + ux * hl - vx * hw, cy + uy * hl - vy * hw),
        (cx - ux * hl - vx * hw, cy - uy * hl - vy * hw),
        (cx - ux * hl + vx * hw, cy - uy * hl + vy * hw),
    ]


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (monotone chain) of a few points."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _shadow_polygon(footprint: list[tuple[float, float]], z0: float, z1: float,
                    shadow_vec: tuple[float, float]) -> list[tuple[float, float]]:
    """Ground shadow of a prism from height z0 to z1 (metres) over ``footprint``."""
    sx, sy = shadow_vec
    pts = [(x + sx * z, y + sy * z) for (x, y) in footprint for z in (z0, z1)]
    return _hull(pts)


def _banner(draw: ImageDraw.ImageDraw, width: int, text: str, y: int, size: int = 18) -> None:
    font = _font(size)
    draw.rectangle([0, y, width, y + size + 10], fill=(170, 20, 20))
    draw.text((10, y + 4), text, fill=(255, 255, 255), font=font)


# --------------------------------------------------------------------------------------------
# (a) overhead views
# --------------------------------------------------------------------------------------------


def draw_overhead(scene: Scene) -> tuple[Image.Image, dict[str, Any]]:
    """Draw one schematic overhead view; returns the image and its geometry (the truth)."""
    az, el, method = sun_angles(scene.local_time)
    shadow_bearing = (az + 180.0) % 360.0
    ratio = 1.0 / math.tan(math.radians(el))  # shadow length / object height
    ux, uy = _unit(shadow_bearing)
    # pixels of shadow per metre of height
    svec = (ux * ratio / GSD_M, uy * ratio / GSD_M)

    img = _ground(20221118, (196, 190, 172), WIDTH, HEIGHT)
    draw = ImageDraw.Draw(img)

    # Yard surface and tracks along the bearing towards the bridge.
    tx, ty = _unit(TRACK_BEARING)
    nx, ny = -ty, tx
    track_centre = (480.0, 330.0)
    draw.polygon(_rect(track_centre, 1400, 150, TRACK_BEARING), fill=(168, 160, 146))
    track_offsets = (-40.0, 0.0, 40.0)
    for k, off in enumerate(track_offsets):
        cx, cy = track_centre[0] + nx * off, track_centre[1] + ny * off
        # standard gauge 1.435 m and broad gauge 1.520 m share one rail on the middle track
        gauges = (1.435, 1.520) if k == 1 else (1.520,)
        draw.polygon(_rect((cx, cy), 1400, 14, TRACK_BEARING), fill=(120, 108, 92))
        half = 1.520 / 2  # broad gauge; standard gauge shares the first rail
        rails = [-half, half] + ([-half + 1.435] if len(gauges) == 2 else [])
        for r_m in rails:
            r = r_m / GSD_M
            rx, ry = cx + nx * r, cy + ny * r
            draw.line([(rx - tx * 700, ry - ty * 700), (rx + tx * 700, ry + ty * 700)],
                      fill=(70, 70, 74), width=1)

    # Warehouse (flat roof, stated height) north of the tracks.
    wh_centre = (300.0, 150.0)
    wh = _rect(wh_centre, 30 / GSD_M, 12 / GSD_M, TRACK_BEARING)
    draw.polygon(_shadow_polygon(wh, 0, WAREHOUSE_HEIGHT_M, svec), fill=(92, 90, 86))
    draw.polygon(wh, fill=(150, 158, 166), outline=(60, 60, 60))
    font = _font(14)
    draw.text((wh_centre[0] - 40, wh_centre[1] - 8), f"W {WAREHOUSE_HEIGHT_M:.1f} m",
              fill=(20, 20, 20), font=font)

    # Five flatcars on the middle track; containers on 19 Nov.
    car_len, car_w = 13.6 / GSD_M, 2.9 / GSD_M
    cont_len, cont_w = 12.2 / GSD_M, 2.44 / GSD_M
    start = -2.0 * (car_len + 1.2 / GSD_M)
    cars = []
    for i in range(5):
        along = start + i * (car_len + 1.2 / GSD_M)
        centre = (track_centre[0] + tx * along, track_centre[1] + ty * along)
        cars.append(centre)
    for centre in cars:
        fp = _rect(centre, car_len, car_w, TRACK_BEARING)
        draw.polygon(_shadow_polygon(fp, 0, DECK_HEIGHT_M, svec), fill=(88, 86, 82))
        if scene.loaded:
            cfp = _rect(centre, cont_len, cont_w, TRACK_BEARING)
            draw.polygon(_shadow_polygon(cfp, DECK_HEIGHT_M, CONTAINER_TOP_M, svec),
                         fill=(88, 86, 82))
    for i, centre in enumerate(cars):
        fp = _rect(centre, car_len, car_w, TRACK_BEARING)
        draw.polygon(fp, fill=(105, 62, 40), outline=(40, 24, 16))
        if scene.loaded:
            colours = ((40, 90, 150), (170, 90, 40), (60, 120, 70), (150, 40, 40), (90, 90, 90))
            draw.polygon(_rect(centre, cont_len, cont_w, TRACK_BEARING),
                         fill=colours[i], outline=(20, 20, 20))
        draw.text((centre[0] - 4 + nx * 26, centre[1] - 8 + ny * 26), str(i + 1),
                  fill=(10, 10, 10), font=font)

    # Light mast of stated height: the object to measure.
    mx, my = MAST_BASE_PX
    tip = (mx + svec[0] * MAST_HEIGHT_M, my + svec[1] * MAST_HEIGHT_M)
    draw.line([(mx, my), tip], fill=(60, 58, 55), width=3)
    draw.ellipse([mx - 3, my - 3, mx + 3, my + 3], fill=(240, 240, 240), outline=(0, 0, 0))
    draw.text((mx + 8, my + 4), f"M: mast {MAST_HEIGHT_M:.1f} m", fill=(10, 10, 10), font=font)

    # Scale bar (50 m) and north arrow.
    sb_x, sb_y = 40, 640
    bar = 50 / GSD_M
    draw.rectangle([sb_x - 6, sb_y - 26, sb_x + bar + 60, sb_y + 14], fill=(250, 250, 250))
    for k in range(5):
        fill = (0, 0, 0) if k % 2 == 0 else (255, 255, 255)
        draw.rectangle([sb_x + k * bar / 5, sb_y, sb_x + (k + 1) * bar / 5, sb_y + 8],
                       fill=fill, outline=(0, 0, 0))
    draw.text((sb_x - 3, sb_y - 22), "0", fill=(0, 0, 0), font=font)
    draw.text((sb_x + bar - 14, sb_y - 22), "50 m", fill=(0, 0, 0), font=font)
    draw.text((sb_x + 60, sb_y - 22), f"({GSD_M} m/px)", fill=(0, 0, 0), font=font)
    ax, ay = 905, 90
    draw.rectangle([ax - 26, ay - 52, ax + 26, ay + 34], fill=(250, 250, 250))
    draw.polygon([(ax, ay - 40), (ax - 12, ay + 10), (ax, ay), (ax + 12, ay + 10)],
                 fill=(0, 0, 0))
    draw.text((ax - 6, ay + 12), "N", fill=(0, 0, 0), font=_font(18))

    _banner(draw, WIDTH, LABEL, 0)
    _banner(draw, WIDTH, f"Schematic overhead view, Tumangang rail facility. {scene.title}",
            HEIGHT - 28, size=16)

    truth = {
        "file": f"overhead_tumangang_{scene.day}_reconstruction.jpg",
        "local_time": scene.local_time.isoformat(),
        "utc_time": scene.local_time.astimezone(UTC).isoformat(),
        "sun_azimuth_deg": az,
        "sun_elevation_deg": el,
        "sun_method": method,
        "shadow_bearing_deg": round(shadow_bearing, 1),
        "shadow_length_over_height": round(ratio, 3),
        "gsd_m_per_px": GSD_M,
        "mast_height_m": MAST_HEIGHT_M,
        "mast_base_px": [mx, my],
        "mast_shadow_tip_px": [round(tip[0], 1), round(tip[1], 1)],
        "loaded": scene.loaded,
    }
    return img, truth


def overhead_file(scene: Scene) -> tuple[bytes, dict[str, Any]]:
    img, truth = draw_overhead(scene)
    desc = f"{LABEL}. Schematic overhead view of the Tumangang rail facility, {scene.title}."
    ifd0 = {
        0x010E: (_ASCII, desc),
        0x0112: (_SHORT, 1),
        0x011A: (_RATIONAL, (72, 1)),
        0x011B: (_RATIONAL, (72, 1)),
        0x0128: (_SHORT, 2),
        0x0131: (_ASCII, TOOL),
        0x013B: (_ASCII, "osint_kit worked case (reconstruction)"),
    }
    exif_ifd = {
        0x9000: (_UNDEFINED, b"0232"),
        0x9286: (_UNDEFINED, b"ASCII\x00\x00\x00" + LABEL.encode("ascii")),
        0xA002: (_LONG, WIDTH),
        0xA003: (_LONG, HEIGHT),
    }
    iptc = [
        (5, f"Tumangang rail facility {scene.day} (reconstruction)"),
        (25, "reconstruction"),
        (25, "teaching"),
        (25, "Tumangang"),
        (101, "North Korea"),
        (90, "Tumangang"),
        (120, desc),
        (110, "osint_kit worked case"),
    ]
    data = with_segments(
        encode_jpeg(img, 90),
        [exif_segment(ifd0, exif_ifd, None), xmp_segment(xmp_packet(desc)),
         iptc_segment(iptc)],
    )
    return data, truth


# --------------------------------------------------------------------------------------------
# (b) agency-style briefing photo, (c) re-post, (d) edited copy
# --------------------------------------------------------------------------------------------

BRIEF_W, BRIEF_H = 1200, 800
SCREEN_BOX = (70, 150, 470, 430)
DATE_BOX = (90, 370, 450, 418)
EDIT_CROP_WIDTH = 1040


def draw_briefing(screen_date: str = "NOV 18, 2022") -> Image.Image:
    """A placeholder briefing-room scene: backdrop, lectern, screen. No person."""
    rng = np.random.default_rng(20230120)
    yy = np.linspace(0.0, 1.0, BRIEF_H, dtype=np.float32)[:, None, None]
    base = np.array([38, 62, 112], dtype=np.float32) * (1.0 - 0.35 * yy)
    arr = np.broadcast_to(base, (BRIEF_H, BRIEF_W, 3)).copy()
    arr += rng.normal(0.0, 2.0, size=(BRIEF_H, BRIEF_W, 1)).astype(np.float32)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    # floor and curtain folds
    draw.rectangle([0, 640, BRIEF_W, BRIEF_H], fill=(70, 50, 40))
    for x in range(0, BRIEF_W, 60):
        draw.line([(x, 0), (x, 640)], fill=(30, 50, 95), width=3)
    # generic flags (plain fields, not any real flag)
    for fx, colour in ((880, (150, 30, 40)), (990, (230, 230, 230))):
        draw.line([(fx, 110), (fx, 640)], fill=(200, 180, 90), width=5)
        draw.polygon([(fx + 3, 120), (fx + 80, 135), (fx + 70, 380), (fx + 3, 360)],
                     fill=colour)
    # screen with a schematic of five railcars and a date
    draw.rectangle(SCREEN_BOX, fill=(235, 235, 228), outline=(20, 20, 20), width=4)
    draw.text((90, 165), "RAIL ACTIVITY (schematic)", fill=(20, 20, 20), font=_font(22))
    for i in range(5):
        x0 = 95 + i * 72
        draw.rectangle([x0, 260, x0 + 62, 292], fill=(105, 62, 40), outline=(0, 0, 0))
        draw.ellipse([x0 + 6, 290, x0 + 16, 300], fill=(0, 0, 0))
        draw.ellipse([x0 + 46, 290, x0 + 56, 300], fill=(0, 0, 0))
    draw.line([(85, 301), (455, 301)], fill=(60, 60, 60), width=3)
    draw_screen_date(draw, screen_date)
    # lectern with a generic placeholder emblem
    draw.polygon([(520, 430), (760, 430), (730, 700), (550, 700)], fill=(110, 70, 40),
                 outline=(40, 25, 15))
    draw.ellipse([590, 480, 690, 580], fill=(30, 50, 100), outline=(210, 190, 120), width=5)
    draw.text((604, 518), "BRIEFING", fill=(230, 220, 170), font=_font(16))
    draw.line([(640, 430), (625, 360)], fill=(20, 20, 20), width=4)  # microphone
    draw.ellipse([615, 348, 635, 368], fill=(20, 20, 20))
    # visible label, large and repeated so crops keep it
    _banner(draw, BRIEF_W, LABEL, 0, size=24)
    big = _font(44)
    draw.text((300, 725), "RECONSTRUCTION FOR TEACHING", fill=(255, 255, 255), font=big)
    draw.text((20, 700), "placeholder scene - no real person", fill=(230, 230, 230),
              font=_font(18))
    return img


def draw_screen_date(draw: ImageDraw.ImageDraw, text: str) -> None:
    draw.rectangle(DATE_BOX, fill=(250, 250, 245))
    draw.text((DATE_BOX[0] + 10, DATE_BOX[1] + 8), text, fill=(170, 20, 20), font=_font(30))


FICTIONAL_BYLINE = "SAM PLACEHOLDER (fictional)"
FICTIONAL_CREDIT = "PAP/EPA/SAM PLACEHOLDER"
BRIEF_CAPTION = (
    f"{LABEL}. Placeholder scene standing in for an agency photo of the White House briefing "
    "of Friday 20 January 2023 (Washington). No real person is shown; the photographer is "
    "fictional."
)


def _briefing_iptc() -> list[tuple[int, str]]:
    return [
        (5, "USA-RUSSIA-NKOREA-WAGNER (reconstruction)"),
        (25, "reconstruction"),
        (25, "teaching"),
        (25, "White House briefing"),
        (55, BRIEFING_TIME.strftime("%Y%m%d")),
        (60, BRIEFING_TIME.strftime("%H%M%S") + "-0500"),
        (80, FICTIONAL_BYLINE),
        (85, "Staff photographer (fictional)"),
        (90, "Washington"),
        (95, "DC"),
        (101, "United States"),
        (105, "White House briefing on North Korean rail deliveries (reconstruction)"),
        (110, FICTIONAL_CREDIT),
        (115, "EPA (fictional stand-in)"),
        (116, "(c) osint_kit worked case - reconstruction"),
        (120, BRIEF_CAPTION),
    ]


def _briefing_exif(
    software: str, modified: datetime, description: str
) -> tuple[dict[int, tuple[int, Any]], dict[int, tuple[int, Any]]]:
    ifd0 = {
        0x010E: (_ASCII, description),
        0x010F: (_ASCII, "Canon"),
        0x0110: (_ASCII, "Canon EOS-1D X Mark III"),
        0x0112: (_SHORT, 1),
        0x011A: (_RATIONAL, (300, 1)),
        0x011B: (_RATIONAL, (300, 1)),
        0x0128: (_SHORT, 2),
        0x0131: (_ASCII, software),
        0x0132: (_ASCII, _exif_time(modified)),
        0x013B: (_ASCII, FICTIONAL_BYLINE),
        0x8298: (_ASCII, "(c) osint_kit worked case - reconstruction"),
    }
    exif_ifd = {
        0x829A: (_RATIONAL, (1, 250)),
        0x829D: (_RATIONAL, (28, 10)),
        0x8827: (_SHORT, 3200),
        0x9000: (_UNDEFINED, b"0232"),
        0x9003: (_ASCII, _exif_time(BRIEFING_TIME)),
        0x9004: (_ASCII, _exif_time(BRIEFING_TIME)),
        0x9010: (_ASCII, _offset(modified)),
        0x9011: (_ASCII, _offset(BRIEFING_TIME)),
        0x9012: (_ASCII, _offset(BRIEFING_TIME)),
        0x9291: (_ASCII, "41"),
        0x920A: (_RATIONAL, (70, 1)),
        0xA002: (_LONG, BRIEF_W),
        0xA003: (_LONG, BRIEF_H),
        0xA431: (_ASCII, "000000000000 (fictional)"),
        0xA434: (_ASCII, "EF70-200mm f/2.8L IS III USM"),
    }
    return ifd0, exif_ifd


def briefing_files() -> dict[str, bytes]:
    original = draw_briefing()
    camera_fw = "Firmware Version 1.6.0"
    ifd0, exif_ifd = _briefing_exif(camera_fw, BRIEFING_TIME, BRIEF_CAPTION)
    thumb = thumbnail_jpeg(original)
    agency = with_segments(
        encode_jpeg(original, 92),
        [exif_segment(ifd0, exif_ifd, thumb), xmp_segment(xmp_packet(BRIEF_CAPTION)),
         iptc_segment(_briefing_iptc())],
    )

    # (c) re-posted social copy: decode the agency file, resize, re-encode, strip metadata.
    decoded = Image.open(io.BytesIO(agency)).convert("RGB")
    small = decoded.resize((720, 480), Image.Resampling.LANCZOS)
    repost = with_segments(encode_jpeg(small, 70), [com_segment(LABEL)])

    # (d) edited copy: change the date on the screen, crop the flags off the right edge (on
    # the 8-pixel JPEG grid), keep the camera's now stale thumbnail.
    edited_img = decoded.crop((0, 0, EDIT_CROP_WIDTH, BRIEF_H))
    draw_screen_date(ImageDraw.Draw(edited_img), "OCT 18, 2022")
    # the new date is a pasted patch: fresh, fine-grained pixels never JPEG-compressed
    # before (what error level analysis picks up)
    patch = np.asarray(edited_img.crop(DATE_BOX), dtype=np.float32)
    grain = np.random.default_rng(20230121).normal(0.0, 12.0, size=(*patch.shape[:2], 1))
    patch = np.clip(patch + grain.astype(np.float32), 0, 255).astype(np.uint8)
    edited_img.paste(Image.fromarray(patch, "RGB"), DATE_BOX[:2])
    ps = "Adobe Photoshop 24.1 (Windows)"
    ifd0_e, exif_e = _briefing_exif(ps, EDIT_TIME, BRIEF_CAPTION)
    exif_e[0xA002] = (_LONG, EDIT_CROP_WIDTH)
    props = {
        "xmp:CreatorTool": ps,
        "xmp:CreateDate": BRIEFING_TIME.isoformat(),
        "xmp:ModifyDate": EDIT_TIME.isoformat(),
        "xmp:MetadataDate": EDIT_TIME.isoformat(),
        "xmpMM:DocumentID": "xmp.did:0f1e2d3c-teach-0000-0000-reconstruction",
        "xmpMM:OriginalDocumentID": "xmp.did:0f1e2d3c-teach-0000-0000-reconstruction",
        "xmpMM:InstanceID": "xmp.iid:9a8b7c6d-teach-0000-0001-reconstruction",
        "photoshop:DateCreated": BRIEFING_TIME.isoformat(),
        "photoshop:Credit": FICTIONAL_CREDIT,
    }
    history = (
        {"action": "created", "instanceID": "xmp.iid:0f1e2d3c-teach-0000-0000-reconstruction",
         "when": (EDIT_TIME - timedelta(minutes=6)).isoformat(), "softwareAgent": ps},
        {"action": "saved", "instanceID": "xmp.iid:9a8b7c6d-teach-0000-0001-reconstruction",
         "when": EDIT_TIME.isoformat(), "softwareAgent": ps, "changed": "/"},
    )
    edited = with_segments(
        encode_jpeg(edited_img, 92),
        [exif_segment(ifd0_e, exif_e, thumb), xmp_segment(xmp_packet(BRIEF_CAPTION, props, history)),
         iptc_segment(_briefing_iptc())],
    )
    return {
        "briefing_agency_photo_reconstruction.jpg": agency,
        "briefing_reposted_social_copy_reconstruction.jpg": repost,
        "briefing_edited_copy_reconstruction.jpg": edited,
    }


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


def build(out_dir: Path, truth_path: Path | None = None) -> dict[str, Any]:
    """Write every reconstruction into ``out_dir``; return the truth record."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truth: dict[str, Any] = {
        "label": LABEL,
        "site": {"name": "Tumangang station", "lat": SITE_LAT, "lon": SITE_LON},
        "overheads": [],
        "briefing": {
            "capture_time": BRIEFING_TIME.isoformat(),
            "edit_time": EDIT_TIME.isoformat(),
            "byline": FICTIONAL_BYLINE,
            "credit": FICTIONAL_CREDIT,
            "edited_region_px": list(DATE_BOX),
            "edit": "screen date NOV 18, 2022 -> OCT 18, 2022; cropped to 1040 px wide",
        },
    }
    for scene in SCENES:
        data, info = overhead_file(scene)
        (out_dir / info["file"]).write_bytes(data)
        truth["overheads"].append(info)
    for name, data in briefing_files().items():
        (out_dir / name).write_bytes(data)
    if truth_path is not None:
        truth_path.write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n",
                              encoding="utf-8")
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "evidence")
    parser.add_argument("--truth", type=Path, default=HERE / "reconstructions_truth.json")
    args = parser.parse_args()
    truth = build(args.out, args.truth)
    for item in truth["overheads"]:
        print(f"{item['file']}: sun az {item['sun_azimuth_deg']} el "
              f"{item['sun_elevation_deg']} ({item['sun_method']})")
    for path in sorted(args.out.glob("*.jpg")):
        print(f"{path}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
