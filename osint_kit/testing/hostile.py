"""A deterministic generator of hostile image files for fuzzing the readers.

Every file is made from a seed: the same ``generate(out, n, seed)`` call writes the same bytes,
so a crash found once can be reproduced and turned into a regression file. Families:

truncated, bitflip, ifd_cycle, count_overflow, offset_past_end, giant_png, giant_jpeg,
giant_tiff, wrong_extension, polyglot, zero_bytes, all_zero, deep_xmp, entity_xmp,
bad_iptc, heic_boxes, random_bytes.

The originals are camera samples (read-only, when present) or images generated with Pillow.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from PIL import Image

FAMILIES = (
    "truncated",
    "bitflip",
    "ifd_cycle",
    "count_overflow",
    "offset_past_end",
    "giant_png",
    "giant_jpeg",
    "giant_tiff",
    "wrong_extension",
    "polyglot",
    "zero_bytes",
    "all_zero",
    "deep_xmp",
    "entity_xmp",
    "bad_iptc",
    "heic_boxes",
    "random_bytes",
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def giant_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid-looking PNG header that declares an enormous image (decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def giant_jpeg(width: int = 65_535, height: int = 65_535) -> bytes:
    """A JPEG whose SOF0 declares 65535x65535 pixels over a tiny scan."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 30, 200)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    sof = data.find(b"\xff\xc0")
    if sof > 0:
        data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _tiff(entries: list[tuple[int, int, int, bytes]], next_ifd: int | None = None) -> bytes:
    """A little-endian TIFF with one IFD at offset 8; entries are (tag, type, count, value4)."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    out += struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        out += struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\x00")[:4]
    out += struct.pack("<I", 8 if next_ifd is None else next_ifd)
    return bytes(out)


def giant_tiff() -> bytes:
    return _tiff(
        [
            (256, 4, 1, struct.pack("<I", 4_000_000)),
            (257, 4, 1, struct.pack("<I", 4_000_000)),
            (258, 3, 1, struct.pack("<H", 8)),
            (273, 4, 1, struct.pack("<I", 8)),
            (277, 3, 1, struct.pack("<H", 1)),
            (279, 4, 1, struct.pack("<I", 16)),
        ],
        next_ifd=0,
    )


def _jpeg_with_exif(tiff: bytes) -> bytes:
    """Wrap a TIFF/EXIF body into the APP1 segment of a small valid JPEG."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 200, 10)).save(buf, "JPEG")
    body = buf.getvalue()
    app1 = b"Exif\x00\x00" + tiff
    seg = b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
    return body[:2] + seg + body[2:]


def ifd_cycle(variant: int) -> bytes:
    """EXIF whose IFD chain or ExifIFD pointer points back to itself."""
    if variant % 2 == 0:
        tiff = _tiff([(271, 2, 4, b"Cam\x00")], next_ifd=8)  # IFD0 -> IFD0 -> ...
    else:
        tiff = _tiff([(34665, 4, 1, struct.pack("<I", 8))], next_ifd=0)  # ExifIFD -> IFD0
    return _jpeg_with_exif(tiff)


def count_overflow(variant: int) -> bytes:
    counts = (0xFFFFFFFF, 0x7FFFFFFF, 0x10000000, 65535)
    tiff = _tiff([(270, 2, counts[variant % len(counts)], struct.pack("<I", 26))], next_ifd=0)
    return _jpeg_with_exif(tiff)


def offset_past_end(variant: int) -> bytes:
    tiff = _tiff(
        [
            (270, 2, 64, struct.pack("<I", 0xFFFFFF00 - variant)),
            (34665, 4, 1, struct.pack("<I", 0x7FFFFFF0)),
            (34853, 4, 1, struct.pack("<I", 0xFFFFFFFF)),
        ],
        next_ifd=0xFFFFFFF0,
    )
    return _jpeg_with_exif(tiff)


def _jpeg_with_segment(marker: int, payload: bytes) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 10, 10)).save(buf, "JPEG")
    body = buf.getvalue()
    seg = bytes([0xFF, marker]) + struct.pack(">H", min(len(payload) + 2, 0xFFFF)) + payload
    return body[:2] + seg + body[2:]


def deep_xmp(depth: int) -> bytes:
    inner = "<a>" * depth + "x" + "</a>" * depth
    packet = f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{inner}</x:xmpmeta>'.encode()
    return _jpeg_with_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + packet[:65000])


def entity_xmp() -> bytes:
    """Billion-laughs style entity expansion inside an XMP packet."""
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};">'
        for i in range(8)
    )
    packet = f'<?xml version="1.0"?><!DOCTYPE x [{ents}]><x:xmpmeta xmlns:x="adobe:ns:meta/">&i;</x:xmpmeta>'
    return _jpeg_with_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + packet.encode())


def bad_iptc(variant: int, rng: random.Random) -> bytes:
    """Photoshop APP13 / 8BIM / IPTC-IIM blocks with lying lengths."""
    iim = b"\x1c\x02\x78" + struct.pack(">H", 0xFFFF - variant) + b"caption"
    if variant % 3 == 1:
        iim = b"\x1c\x02\x78\x80\x04\xff\xff\xff\xff" + b"x" * 10  # extended length
    if variant % 3 == 2:
        iim = bytes(rng.getrandbits(8) for _ in range(64))
    block = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim) + variant * 1000) + iim
    return _jpeg_with_segment(0xED, b"Photoshop 3.0\x00" + block)


def heic_boxes(variant: int, rng: random.Random) -> bytes:
    """ISOBMFF/HEIF box structures with zero, huge, looping and truncated sizes."""
    ftyp = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic"
    kinds = [
        struct.pack(">I", 0) + b"meta" + b"\x00" * 16,
        struct.pack(">I", 0xFFFFFFF0) + b"meta" + b"\x00" * 16,
        struct.pack(">I", 1) + b"meta" + struct.pack(">Q", 2**63) + b"\x00" * 8,
        struct.pack(">I", 8) + b"meta" + struct.pack(">I", 4) + b"iinf",
        struct.pack(">I", 40) + b"meta" + b"\x00" * 4 + struct.pack(">I", 28) + b"iloc"
        + bytes(rng.getrandbits(8) for _ in range(20)),
    ]
    return ftyp + kinds[variant % len(kinds)]


def polyglot(base: bytes, variant: int) -> bytes:
    tails = [
        b"PK\x03\x04" + b"\x00" * 26 + b"evil.txt",
        b"<html><script>window.__pwned=1</script></html>",
        b"%PDF-1.4\n1 0 obj<<>>endobj\n",
        b"\x89PNG\r\n\x1a\n",
    ]
    if variant % 5 == 4:
        return b"%PDF-1.4\n" + base
    return base + tails[variant % len(tails)]


def _generated_bases(rng: random.Random, count: int) -> list[tuple[str, bytes]]:
    out = []
    for i in range(count):
        img = Image.effect_noise((48 + i % 17, 32 + i % 13), 40 + i).convert("RGB")
        exif = Image.Exif()
        exif[0x010F] = "HostileCam"
        exif[0x0110] = f"Model {i}"
        exif[0x0131] = "<script>window.__pwned=1</script>"
        fmt, ext = [("JPEG", ".jpg"), ("PNG", ".png"), ("TIFF", ".tiff"), ("WEBP", ".webp")][i % 4]
        buf = io.BytesIO()
        img.save(buf, fmt, exif=exif.tobytes())
        out.append((ext, buf.getvalue()))
    return out


def _bases(
    samples: Path | None, rng: random.Random, max_base_bytes: int
) -> list[tuple[str, bytes]]:
    bases: list[tuple[str, bytes]] = []
    if samples is not None and samples.exists():
        for path in sorted(samples.rglob("*")):
            if path.is_file() and path.suffix.lower() in {
                ".jpg", ".jpeg", ".tiff", ".heic", ".heif", ".png", ".webp", ".dng",
            }:
                # Large originals contribute their head only (metadata lives there), which keeps
                # a 10,000-file corpus around 1 GB instead of many.
                with path.open("rb") as fh:
                    bases.append((path.suffix.lower(), fh.read(max_base_bytes)))
    bases.extend(_generated_bases(rng, 24))
    return bases


def iter_hostile(
    n: int, seed: int = 0, samples: Path | None = None, max_base_bytes: int = 150_000
) -> Iterator[tuple[str, str, bytes]]:
    """Yield (family, file name, bytes) for n hostile files, deterministically from seed."""
    rng = random.Random(seed)
    bases = _bases(samples, rng, max_base_bytes)
    makers: dict[str, Callable[[int], tuple[str, bytes]]] = {}

    def pick() -> tuple[str, bytes]:
        return bases[rng.randrange(len(bases))]

    def truncated(i: int) -> tuple[str, bytes]:
        ext, data = pick()
        return ext, data[: rng.randrange(1, max(2, len(data)))]

    def bitflip(i: int) -> tuple[str, bytes]:
        ext, data = pick()
        buf = bytearray(data)
        window = min(len(buf), 70_000)  # headers and metadata live at the start
        for _ in range(rng.randrange(1, 17)):
            pos = rng.randrange(window)
            buf[pos] ^= 1 << rng.randrange(8)
        return ext, bytes(buf)

    makers["truncated"] = truncated
    makers["bitflip"] = bitflip
    makers["ifd_cycle"] = lambda i: (".jpg", ifd_cycle(i))
    makers["count_overflow"] = lambda i: (".jpg", count_overflow(i))
    makers["offset_past_end"] = lambda i: (".jpg", offset_past_end(i))
    makers["giant_png"] = lambda i: (".png", giant_png(100_000 + i, 100_000))
    makers["giant_jpeg"] = lambda i: (".jpg", giant_jpeg(65_535 - i % 7, 65_535))
    makers["giant_tiff"] = lambda i: (".tiff", giant_tiff())
    makers["wrong_extension"] = lambda i: ([".heic", ".png", ".jpg", ".webp"][i % 4], pick()[1])
    makers["polyglot"] = lambda i: (".jpg", polyglot(pick()[1], i))
    makers["zero_bytes"] = lambda i: (".jpg", b"")
    makers["all_zero"] = lambda i: (".jpg", b"\x00" * rng.randrange(1, 300_000))
    makers["deep_xmp"] = lambda i: (".jpg", deep_xmp(1000 + 37 * (i % 300)))
    makers["entity_xmp"] = lambda i: (".jpg", entity_xmp())
    makers["bad_iptc"] = lambda i: (".jpg", bad_iptc(i, rng))
    makers["heic_boxes"] = lambda i: (".heic", heic_boxes(i, rng))
    makers["random_bytes"] = lambda i: (
        ".jpg",
        bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 4096))),
    )
    # Mutations of real files are most of the corpus; every crafted family is present.
    weights = {f: 1 for f in FAMILIES}
    weights["truncated"] = 12
    weights["bitflip"] = 20
    families = [f for f in FAMILIES for _ in range(weights[f])]
    for i in range(n):
        family = FAMILIES[i] if i < len(FAMILIES) else families[rng.randrange(len(families))]
        ext, data = makers[family](i)
        yield family, f"{i:06d}_{family}{ext}", data


def generate(out: Path, n: int = 10_000, seed: int = 0, samples: Path | None = None) -> list[Path]:
    """Write n hostile files into ``out`` (created) and return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for _family, name, data in iter_hostile(n, seed, samples):
        path = out / name
        path.write_bytes(data)
        paths.append(path)
    return paths
