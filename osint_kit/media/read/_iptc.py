"""IPTC-IIM records (via Pillow's IptcImagePlugin) and the ICC profile description."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

# (record, dataset) -> (raw key, normalised field or None)
IIM_NAMES: dict[tuple[int, int], str] = {
    (1, 90): "CodedCharacterSet",
    (2, 5): "ObjectName",
    (2, 15): "Category",
    (2, 25): "Keywords",
    (2, 40): "SpecialInstructions",
    (2, 55): "DateCreated",
    (2, 60): "TimeCreated",
    (2, 62): "DigitalCreationDate",
    (2, 63): "DigitalCreationTime",
    (2, 80): "By-line",
    (2, 85): "By-lineTitle",
    (2, 90): "City",
    (2, 92): "Sub-location",
    (2, 95): "Province-State",
    (2, 100): "Country-PrimaryLocationCode",
    (2, 101): "Country-PrimaryLocationName",
    (2, 103): "OriginalTransmissionReference",
    (2, 105): "Headline",
    (2, 110): "Credit",
    (2, 115): "Source",
    (2, 116): "CopyrightNotice",
    (2, 120): "Caption-Abstract",
    (2, 122): "Writer-Editor",
}
_MAX_ITEMS = 2000


def _decode(raw: bytes, utf8: bool) -> str:
    if utf8:
        return raw.decode("utf-8", errors="replace").strip("\x00 ")
    try:
        return raw.decode("utf-8").strip("\x00 ")
    except UnicodeDecodeError:
        return raw.decode("latin-1").strip("\x00 ")


def decode_iptc(info: Mapping[Any, Any]) -> dict[str, tuple[str, ...]]:
    """Turn ``getiptcinfo`` output into {"IPTC Name": (values...)} with text decoded."""
    charset = info.get((1, 90))
    if isinstance(charset, list):
        charset = charset[0] if charset else b""
    utf8 = isinstance(charset, bytes) and charset in (b"\x1b%G", b"\x1b%/G")
    out: dict[str, tuple[str, ...]] = {}
    for key, value in list(info.items())[:_MAX_ITEMS]:
        if not (isinstance(key, tuple) and len(key) == 2):
            continue
        name = IIM_NAMES.get(key, f"{key[0]}:{key[1]:03d}")
        values = value if isinstance(value, list) else [value]
        texts = tuple(_decode(v, utf8) for v in values[:_MAX_ITEMS] if isinstance(v, bytes))
        out[f"IPTC {name}"] = texts
    return out


def icc_description(profile: bytes) -> str | None:
    """The 'desc' tag of an ICC profile (v2 'desc' or v4 'mluc'), parsed without lcms."""
    if len(profile) < 132:
        return None
    (count,) = struct.unpack_from(">I", profile, 128)
    for i in range(min(count, 200)):
        pos = 132 + 12 * i
        if pos + 12 > len(profile):
            return None
        sig, off, size = struct.unpack_from(">4sII", profile, pos)
        if sig != b"desc":
            continue
        blob = profile[off : off + size]
        if blob[:4] == b"desc" and len(blob) >= 12:
            (n,) = struct.unpack_from(">I", blob, 8)
            text = blob[12 : 12 + n].split(b"\x00", 1)[0]
            return text.decode("latin-1").strip() or None
        if blob[:4] == b"mluc" and len(blob) >= 28:
            nrec, recsize = struct.unpack_from(">II", blob, 8)
            if nrec < 1 or recsize < 12:
                return None
            length, start = struct.unpack_from(">II", blob, 16 + 4)
            text = blob[start : start + length]
            return text.decode("utf-16-be", errors="replace").strip("\x00 ") or None
        return None
    return None
