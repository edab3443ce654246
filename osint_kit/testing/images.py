"""Generate small test images whose metadata is known exactly (fixtures, demos, workshops).

The EXIF block is serialised here by a small TIFF writer (not Pillow's ``Image.Exif``)
because tests also need what Pillow will not write: an IFD1 thumbnail, rational seconds with
chosen denominators, UTF-16 XP* tags, and deliberately malformed structures (an EXIF IFD that
points to itself). IPTC-IIM goes into a Photoshop APP13 8BIM resource, XMP into its own APP1
(JPEG), iTXt (PNG), XMP chunk (WebP), tag 700 (TIFF) or the HEIF item. Only Pillow (and
pillow-heif for HEIF) are used, so this module ships with the package.

>>> from osint_kit.testing.images import make_image
>>> make_image(tmp / "a.jpg", exif={"Make": "Canon", "DateTimeOriginal": "2022:11:18 10:30:00",
...            "OffsetTimeOriginal": "+05:30"}, gps={"lat": -33.5, "lon": -70.25})  # doctest: +SKIP
"""

from __future__ import annotations

import io
import random
import struct
from collections.abc import Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from PIL import ExifTags, Image

# --- EXIF / TIFF serialisation ---------------------------------------------------------------

ASCII, BYTE, SHORT, LONG, RATIONAL, UNDEFINED, SRATIONAL = 2, 1, 3, 4, 5, 7, 10
_SIZES = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, UNDEFINED: 1, SRATIONAL: 8}

#: A tag value, either plain (type inferred) or explicit ``(type, value)``.
TagValue = Any
#: EXIF/GPS tags by name ("Make") or number (0x010F); either kind of mapping is accepted.
TagMap = Mapping[str, TagValue] | Mapping[int, TagValue] | Mapping[str | int, TagValue]

_XP_TAGS = {0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F}
_GPS_IDS = {t.name: int(t.value) for t in ExifTags.GPS}
_BASE_IDS = {t.name: int(t.value) for t in ExifTags.Base}
_BASE_IDS.update({"ExifImageWidth": 0xA002, "ExifImageLength": 0xA003})


def tag_id(name: str | int, gps: bool = False) -> int:
    """Numeric id of an EXIF tag given by Pillow's name ("DateTimeOriginal") or number."""
    if isinstance(name, int):
        return name
    table = _GPS_IDS if gps else _BASE_IDS
    if name not in table:
        raise KeyError(f"unknown {'GPS' if gps else 'EXIF'} tag name {name!r}")
    return table[name]


def _in_ifd0(tag: int) -> bool:
    return tag < 0x829A or tag in _XP_TAGS or tag in (0x8298, 0x83BB, 0xC4A5)


def _typed(tag: int, value: TagValue) -> tuple[int, list[Any] | bytes]:
    """Infer (type, values) for a tag value."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], int) \
            and value[0] in _SIZES and not isinstance(value[1], (int, float, Fraction)):
        typ, inner = value
        if typ == ASCII:
            return ASCII, str(inner).encode("utf-8") + b"\x00"
        if typ in (BYTE, UNDEFINED):
            return typ, bytes(inner)
        return typ, list(inner) if isinstance(inner, (list, tuple)) else [inner]
    if tag in _XP_TAGS and isinstance(value, str):
        return BYTE, value.encode("utf-16-le") + b"\x00\x00"
    if isinstance(value, str):
        return ASCII, value.encode("utf-8") + b"\x00"
    if isinstance(value, (bytes, bytearray)):
        return UNDEFINED, bytes(value)
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        return (SHORT if all(0 <= v < 65536 for v in items) else LONG), items
    fractions = [v if isinstance(v, Fraction) else Fraction(v).limit_denominator(1_000_000)
                 for v in items]
    return (SRATIONAL if any(f < 0 for f in fractions) else RATIONAL), fractions


def _pack_values(typ: int, values: list[Any] | bytes, bo: str) -> bytes:
    if isinstance(values, bytes):
        return values
    if typ == SHORT:
        return struct.pack(f"{bo}{len(values)}H", *values)
    if typ == LONG:
        return struct.pack(f"{bo}{len(values)}I", *values)
    out = b""
    for v in values:
        f = v if isinstance(v, Fraction) else Fraction(v)
        num, den = (v.numerator, v.denominator) if isinstance(v, Fraction) else (f.numerator,
                                                                                f.denominator)
        out += struct.pack(f"{bo}{'ii' if typ == SRATIONAL else 'II'}", num, den)
    return out


class _Ifd:
    def __init__(self, entries: Mapping[int, tuple[int, list[Any] | bytes]]) -> None:
        self.entries = dict(sorted(entries.items()))

    def size(self, bo: str) -> int:
        data = 0
        for t, v in self.entries.values():
            n = len(self._blob(t, v, bo))
            if n > 4:
                data += n + n % 2
        return 2 + 12 * len(self.entries) + 4 + data

    @staticmethod
    def _blob(typ: int, values: list[Any] | bytes, bo: str) -> bytes:
        return _pack_values(typ, values, bo)

    def pack(self, offset: int, next_ifd: int, bo: str) -> bytes:
        head = struct.pack(f"{bo}H", len(self.entries))
        data = b""
        data_start = offset + 2 + 12 * len(self.entries) + 4
        for tag, (typ, values) in self.entries.items():
            blob = self._blob(typ, values, bo)
            count = len(blob) // _SIZES[typ]
            if len(blob) <= 4:
                head += struct.pack(f"{bo}HHI", tag, typ, count) + blob.ljust(4, b"\x00")
            else:
                head += struct.pack(f"{bo}HHII", tag, typ, count, data_start + len(data))
                data += blob + (b"\x00" if len(blob) % 2 else b"")
        return head + struct.pack(f"{bo}I", next_ifd) + data


def build_exif(
    exif: TagMap | None = None,
    gps: TagMap | None = None,
    thumbnail: bytes | None = None,
    byteorder: Literal["<", ">"] = "<",
    exif_ifd_points_to_itself: bool = False,
    header: bool = True,
    ifd0_extra: Mapping[int, tuple[int, list[Any] | bytes]] | None = None,
    strip: bytes | None = None,
) -> bytes:
    """Serialise an EXIF block (``Exif\\0\\0`` + TIFF) with IFD0, EXIF IFD, GPS IFD, IFD1.

    ``exif`` keys are Pillow tag names or numbers; tags are put in IFD0 or the EXIF IFD as
    the standard says. ``gps`` keys are GPS tag names ("GPSLatitude") or numbers.
    ``exif_ifd_points_to_itself`` writes an ExifOffset in IFD0 that points back at IFD0 (so
    the "EXIF IFD" is IFD0, whose ExifOffset again points at itself): a crafted file for
    robustness tests. ``ifd0_extra`` and ``strip`` (pixel data; StripOffsets is patched to
    its position) let :func:`make_image` write a whole TIFF file with ``header=False``.
    """
    bo = byteorder
    ifd0: dict[int, tuple[int, list[Any] | bytes]] = dict(ifd0_extra or {})
    sub: dict[int, tuple[int, list[Any] | bytes]] = {}
    for name, value in (exif or {}).items():
        tid = tag_id(name)
        (ifd0 if _in_ifd0(tid) else sub)[tid] = _typed(tid, value)
    gps_entries = {tag_id(n, gps=True): _typed(tag_id(n, gps=True), v)
                   for n, v in (gps or {}).items()}
    if exif_ifd_points_to_itself:
        ifd0[0x8769] = (LONG, [8])
        sub = {}
    elif sub:
        ifd0[0x8769] = (LONG, [0])
    if gps_entries:
        ifd0[0x8825] = (LONG, [0])
    ifd1: dict[int, tuple[int, list[Any] | bytes]] = {}
    if thumbnail is not None:
        ifd1 = {0x0103: (SHORT, [6]), 0x0201: (LONG, [0]), 0x0202: (LONG, [len(thumbnail)])}
    named = [("0", ifd0), ("exif", sub), ("gps", gps_entries), ("1", ifd1)]
    named = [(n, d) for n, d in named if d or n == "0"]
    offsets: dict[str, int] = {}
    pos = 8
    for name, entries in named:
        offsets[name] = pos
        pos += _Ifd(entries).size(bo)
    if "exif" in offsets:
        ifd0[0x8769] = (LONG, [offsets["exif"]])
    if "gps" in offsets:
        ifd0[0x8825] = (LONG, [offsets["gps"]])
    if ifd1:
        ifd1[0x0201] = (LONG, [pos])
    if strip is not None:
        ifd0[0x0111] = (LONG, [pos + len(thumbnail or b"")])
    tiff = (b"II*\x00" if bo == "<" else b"MM\x00*") + struct.pack(f"{bo}I", 8)
    for name, entries in named:
        nxt = offsets["1"] if name == "0" and "1" in offsets else 0
        tiff += _Ifd(entries).pack(offsets[name], nxt, bo)
    tiff += (thumbnail or b"") + (strip or b"")
    return (b"Exif\x00\x00" if header else b"") + tiff


def gps_tags(lat: float | None = None, lon: float | None = None, alt: float | None = None,
             timestamp: datetime | None = None, direction: float | None = None
             ) -> dict[str, TagValue]:
    """GPS IFD tags for a decimal position (refs from signs; seconds kept as exact rationals)."""
    out: dict[str, TagValue] = {}

    def dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
        v = Fraction(abs(value)).limit_denominator(10**9)
        deg = Fraction(int(v))
        minutes = Fraction(int((v - deg) * 60))
        seconds = ((v - deg) * 60 - minutes) * 60
        return deg, minutes, seconds.limit_denominator(100_000)

    if lat is not None:
        out["GPSLatitudeRef"] = "S" if lat < 0 else "N"
        out["GPSLatitude"] = dms(lat)
    if lon is not None:
        out["GPSLongitudeRef"] = "W" if lon < 0 else "E"
        out["GPSLongitude"] = dms(lon)
    if alt is not None:
        out["GPSAltitudeRef"] = (BYTE, bytes([1 if alt < 0 else 0]))
        out["GPSAltitude"] = Fraction(abs(alt)).limit_denominator(1000)
    if timestamp is not None:
        out["GPSDateStamp"] = timestamp.strftime("%Y:%m:%d")
        sec = Fraction(timestamp.second) + Fraction(timestamp.microsecond, 1_000_000)
        out["GPSTimeStamp"] = (Fraction(timestamp.hour), Fraction(timestamp.minute), sec)
    if direction is not None:
        out["GPSImgDirectionRef"] = "T"
        out["GPSImgDirection"] = Fraction(direction).limit_denominator(100)
    return out


# --- IPTC and XMP ----------------------------------------------------------------------------

_IIM_IDS = {
    "ObjectName": 5, "Keywords": 25, "DateCreated": 55, "TimeCreated": 60, "By-line": 80,
    "By-lineTitle": 85, "City": 90, "Province-State": 95, "Country-PrimaryLocationName": 101,
    "Headline": 105, "Credit": 110, "Source": 115, "CopyrightNotice": 116,
    "Caption-Abstract": 120,
}


def build_iim(iptc: Mapping[str, str | Sequence[str]], utf8: bool = True) -> bytes:
    """IPTC-IIM datasets (record 2; record 1:90 = UTF-8 when ``utf8``)."""
    out = b""
    if utf8:
        out += b"\x1c\x01\x5a" + struct.pack(">H", 3) + b"\x1b%G"
    out += b"\x1c\x02\x00" + struct.pack(">H", 2) + b"\x00\x04"  # record version 4
    for name, value in iptc.items():
        ds = _IIM_IDS[name] if name in _IIM_IDS else int(name)
        for item in ([value] if isinstance(value, str) else list(value)):
            data = item.encode("utf-8" if utf8 else "latin-1")
            out += b"\x1c\x02" + bytes([ds]) + struct.pack(">H", len(data)) + data
    return out


def photoshop_app13(iim: bytes) -> bytes:
    """A JPEG APP13 segment: "Photoshop 3.0" + one 8BIM resource 0x0404 holding ``iim``."""
    block = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    if len(iim) % 2:
        block += b"\x00"
    body = b"Photoshop 3.0\x00" + block
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def xmp_packet(props: Mapping[str, str] | None = None,
               history: Sequence[Mapping[str, str]] = (),
               subjects: Sequence[str] = (), creators: Sequence[str] = (),
               description: str | None = None) -> str:
    """A small XMP packet. ``props`` keys are "xmp:CreatorTool", "xmpMM:DocumentID",
    "photoshop:Credit"...; ``history`` items use stEvt keys (action, softwareAgent, when...)."""
    from xml.sax.saxutils import escape, quoteattr

    attrs = "".join(f" {k}={quoteattr(v)}" for k, v in (props or {}).items())
    children = ""
    if history:
        lis = "".join(
            "<rdf:li rdf:parseType='Resource'>"
            + "".join(f"<stEvt:{k}>{escape(v)}</stEvt:{k}>" for k, v in step.items())
            + "</rdf:li>" for step in history)
        children += f"<xmpMM:History><rdf:Seq>{lis}</rdf:Seq></xmpMM:History>"
    if subjects:
        lis = "".join(f"<rdf:li>{escape(s)}</rdf:li>" for s in subjects)
        children += f"<dc:subject><rdf:Bag>{lis}</rdf:Bag></dc:subject>"
    if creators:
        lis = "".join(f"<rdf:li>{escape(s)}</rdf:li>" for s in creators)
        children += f"<dc:creator><rdf:Seq>{lis}</rdf:Seq></dc:creator>"
    if description is not None:
        children += (f"<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>"
                     f"{escape(description)}</rdf:li></rdf:Alt></dc:description>")
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about=''"
        " xmlns:xmp='http://ns.adobe.com/xap/1.0/'"
        " xmlns:xmpMM='http://ns.adobe.com/xap/1.0/mm/'"
        " xmlns:stEvt='http://ns.adobe.com/xap/1.0/sType/ResourceEvent#'"
        " xmlns:dc='http://purl.org/dc/elements/1.1/'"
        " xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'"
        f"{attrs}>{children}</rdf:Description></rdf:RDF></x:xmpmeta>"
        "<?xpacket end='w'?>"
    )


# --- images ----------------------------------------------------------------------------------


def pattern(size: tuple[int, int] = (64, 48), seed: int = 0) -> Image.Image:
    """A deterministic RGB image: a gradient plus seeded blocks (distinct per seed)."""
    w, h = size
    im = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    rng = random.Random(seed)
    for _ in range(6):
        x0, y0 = rng.randrange(max(w, 1)), rng.randrange(max(h, 1))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        im.paste(colour, (x0, y0, min(w, x0 + max(1, w // 4)), min(h, y0 + max(1, h // 4))))
    return im


def _jpeg_bytes(im: Image.Image, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _insert_after_app1(jpeg: bytes, segments: bytes) -> bytes:
    """Insert APP segments after SOI and any leading APP0/APP1 segments."""
    pos = 2
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF and jpeg[pos + 1] in (0xE0, 0xE1):
        pos += 2 + struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
    return jpeg[:pos] + segments + jpeg[pos:]


def make_image(
    path: str | Path,
    fmt: Literal["JPEG", "PNG", "TIFF", "WEBP", "HEIF"] = "JPEG",
    size: tuple[int, int] = (64, 48),
    exif: TagMap | None = None,
    gps: TagMap | None = None,
    iptc: Mapping[str, str | Sequence[str]] | None = None,
    xmp: str | bytes | None = None,
    thumbnail: Image.Image | Literal["auto"] | bytes | None = None,
    icc_profile: bytes | None = None,
    comment: str | None = None,
    quality: int = 85,
    seed: int = 0,
    byteorder: Literal["<", ">"] = "<",
    exif_bytes: bytes | None = None,
    image: Image.Image | None = None,
) -> Path:
    """Write an image with exactly the metadata given and return its path.

    ``exif``/``gps`` take tag names or numbers (see :func:`build_exif`, :func:`gps_tags` for
    decimal positions); ``exif_bytes`` overrides them with a ready EXIF block (crafted files).
    IPTC is written for JPEG (APP13) and TIFF (tag 33723); XMP for every format.
    """
    path = Path(path)
    im = image if image is not None else pattern(size, seed)
    thumb: bytes | None = None
    if isinstance(thumbnail, bytes):
        thumb = thumbnail
    elif thumbnail == "auto":
        small = im.copy()
        small.thumbnail((16, 16))
        thumb = _jpeg_bytes(small, 70)
    elif isinstance(thumbnail, Image.Image):
        thumb = _jpeg_bytes(thumbnail, 70)
    blob = exif_bytes
    if blob is None and (exif or gps or thumb):
        blob = build_exif(exif, gps, thumb, byteorder)
    xmp_bytes = xmp.encode("utf-8") if isinstance(xmp, str) else xmp
    iim = build_iim(iptc) if iptc else None
    kwargs: dict[str, Any] = {}
    if icc_profile is not None:
        kwargs["icc_profile"] = icc_profile
    if fmt == "JPEG":
        if blob:
            kwargs["exif"] = blob
        if comment is not None:
            kwargs["comment"] = comment
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=quality, **kwargs)
        data = buf.getvalue()
        extra = b""
        if iim is not None:
            extra += photoshop_app13(iim)
        if xmp_bytes is not None:
            body = b"http://ns.adobe.com/xap/1.0/\x00" + xmp_bytes
            extra += b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
        path.write_bytes(_insert_after_app1(data, extra) if extra else data)
    elif fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        if xmp_bytes is not None:
            info.add_itxt("XML:com.adobe.xmp", xmp_bytes.decode("utf-8"))
        if comment is not None:
            info.add_text("Comment", comment)
        if blob:
            kwargs["exif"] = blob
        im.save(path, "PNG", pnginfo=info, **kwargs)
    elif fmt == "WEBP":
        if blob:
            kwargs["exif"] = blob
        if xmp_bytes is not None:
            kwargs["xmp"] = xmp_bytes
        im.save(path, "WEBP", quality=quality, **kwargs)
    elif fmt == "TIFF":
        _save_tiff(im, path, exif, gps, xmp_bytes, iim, byteorder)
    elif fmt == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
        if blob:
            kwargs["exif"] = blob
        if xmp_bytes is not None:
            kwargs["xmp"] = xmp_bytes
        im.save(path, "HEIF", quality=quality, **kwargs)
    else:
        raise ValueError(f"unsupported format {fmt!r}")
    return path


def _save_tiff(im: Image.Image, path: Path, exif: TagMap | None,
               gps: TagMap | None, xmp: bytes | None,
               iim: bytes | None, byteorder: Literal["<", ">"]) -> None:
    """An uncompressed RGB TIFF written by :func:`build_exif`: EXIF tags in IFD0 and its
    EXIF/GPS sub-IFDs, XMP in tag 700, IPTC in tag 33723."""
    rgb = im.convert("RGB")
    w, h = rgb.size
    pixels = rgb.tobytes()
    extra: dict[int, tuple[int, list[Any] | bytes]] = {
        0x0100: (LONG, [w]), 0x0101: (LONG, [h]), 0x0102: (SHORT, [8, 8, 8]),
        0x0103: (SHORT, [1]), 0x0106: (SHORT, [2]), 0x0111: (LONG, [0]),
        0x0115: (SHORT, [3]), 0x0116: (LONG, [h]), 0x0117: (LONG, [len(pixels)]),
    }
    if xmp is not None:
        extra[700] = (BYTE, xmp)
    if iim is not None:
        extra[33723] = (UNDEFINED, iim)
    path.write_bytes(build_exif(exif, gps, None, byteorder, header=False, ifd0_extra=extra,
                                strip=pixels))
