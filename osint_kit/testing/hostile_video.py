"""Deterministic hostile video files, each with the outcome a safe reader must give.

:func:`hostile_videos` yields :class:`HostileVideo` records (name, bytes, expected outcome).
The outcome is either the name of an :mod:`osint_kit.errors` class the reader must raise, or
``"warning:<text>"``: a record must come back with ``<text>`` in one of its warnings, or
``"ok"``: a record with no expectation on warnings. The QuickTime files are built box by box
here (no encoder involved), so the same call writes the same bytes on every machine.

Families: truncated files, box sizes past the file or the parent, 64-bit huge sizes, headers cut
short (``uuid``, ``largesize``), stray bytes, zero-size boxes, a nesting bomb, a box-count bomb, bad ``ftyp``, bad ``elst``/``stts``/``keys`` counts, huge
declared frame size and duration, an XML-bomb XMP packet, garbage EBML, RIFF with bogus sizes.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HostileVideo:
    """One crafted file: ``expected`` is an error class name, ``warning:<text>`` or ``ok``."""

    name: str
    data: bytes
    expected: str


def box(kind: bytes, payload: bytes = b"", *, size: int | None = None) -> bytes:
    """A box with a 32-bit size (the real one unless ``size`` is given)."""
    return struct.pack(">I", len(payload) + 8 if size is None else size) + kind + payload


def box64(kind: bytes, payload: bytes, largesize: int) -> bytes:
    """A box with ``size == 1`` and the given 64-bit ``largesize``."""
    return struct.pack(">I", 1) + kind + struct.pack(">Q", largesize) + payload


def full(kind: bytes, payload: bytes, version: int = 0) -> bytes:
    return box(kind, struct.pack(">I", version << 24) + payload)


def _matrix() -> bytes:
    return struct.pack(">9i", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def mvhd(timescale: int = 1000, duration: int = 2000, created: int = 3_751_579_800) -> bytes:
    body = struct.pack(">IIII", created, created, timescale, duration)
    body += struct.pack(">IH", 0x10000, 0x100) + b"\x00" * 10 + _matrix() + b"\x00" * 24
    return full(b"mvhd", body + struct.pack(">I", 2))


def tkhd(width: float = 320, height: float = 240) -> bytes:
    body = struct.pack(">IIIII", 0, 0, 1, 0, 2000) + b"\x00" * 16 + _matrix()
    return full(b"tkhd", body + struct.pack(">II", int(width * 65536) & 0xFFFFFFFF,
                                            int(height * 65536) & 0xFFFFFFFF))


def mdhd(timescale: int = 25, duration: int = 50) -> bytes:
    return full(b"mdhd", struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))


def hdlr(kind: bytes = b"vide", name: bytes = b"VideoHandler\x00") -> bytes:
    return full(b"hdlr", struct.pack(">I", 0) + kind + b"\x00" * 12 + name)


def stsd(width: int = 320, height: int = 240) -> bytes:
    entry = b"\x00" * 6 + struct.pack(">H", 1) + b"\x00" * 16 + struct.pack(">HH", width, height)
    entry += struct.pack(">III", 0x480000, 0x480000, 0) + struct.pack(">H", 1)
    entry += bytes([4]) + b"test".ljust(31, b"\x00") + struct.pack(">Hh", 24, -1)
    return full(b"stsd", struct.pack(">I", 1) + box(b"avc1", entry))


def stts(count: int = 50, delta: int = 1, entries: int | None = None) -> bytes:
    return full(b"stts", struct.pack(">III", 1 if entries is None else entries, count, delta))


def stsz(samples: int = 50) -> bytes:
    return full(b"stsz", struct.pack(">II", 0, samples) + struct.pack(">I", 100) * min(samples, 50))


def elst(entries: list[tuple[int, int]], declared: int | None = None) -> bytes:
    body = struct.pack(">I", len(entries) if declared is None else declared)
    body += b"".join(struct.pack(">Iii", d, t, 0x10000) for d, t in entries)
    return box(b"edts", full(b"elst", body))


def trak(*, tk: bytes | None = None, md: bytes | None = None, sd: bytes | None = None,
         ts: bytes | None = None, sz: bytes | None = None, edits: bytes = b"") -> bytes:
    stbl = box(b"stbl", (sd or stsd()) + (ts or stts()) + (sz or stsz()))
    minf = box(b"minf", full(b"vmhd", b"\x00" * 8) + stbl)
    mdia = box(b"mdia", (md or mdhd()) + hdlr() + minf)
    return box(b"trak", (tk or tkhd()) + edits + mdia)


def keys_meta(items: dict[str, bytes], declared: int | None = None) -> bytes:
    """A QuickTime ``moov/meta`` with ``mdta`` keys and their ``ilst`` UTF-8 values."""
    names = list(items)
    keys = struct.pack(">I", len(names) if declared is None else declared)
    keys += b"".join(box(b"mdta", n.encode()) for n in names)
    ilst = b"".join(box(struct.pack(">I", i + 1), box(b"data", struct.pack(">II", 1, 0) + v))
                    for i, v in enumerate(items.values()))
    hd = box(b"hdlr", struct.pack(">II", 0, 0) + b"mdta" + b"\x00" * 13)
    return box(b"meta", hd + full(b"keys", keys) + box(b"ilst", ilst))


def movie(*, moov_extra: bytes = b"", trak_box: bytes | None = None, mv: bytes | None = None,
          brand: bytes = b"isom", mdat: bytes | None = None) -> bytes:
    """A small, valid-looking MP4: ftyp, moov (mvhd, one video trak, extras), mdat."""
    ftyp = box(b"ftyp", brand + struct.pack(">I", 0x200) + b"isomiso2avc1mp41")
    moov = box(b"moov", (mv or mvhd()) + (trak_box or trak()) + moov_extra)
    return ftyp + moov + (box(b"mdat", b"\x00" * 64) if mdat is None else mdat)


def _nest(depth: int) -> bytes:
    inner = box(b"free", b"")
    for _ in range(depth):
        inner = box(b"udta", inner)
    return inner


def _xml_bomb() -> bytes:
    packet = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
              b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#">&b;</rdf:RDF></x:xmpmeta>')
    return box(b"uuid", bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC") + packet)


def _riff(bogus: int) -> bytes:
    hdrl = b"LIST" + struct.pack("<I", bogus) + b"hdrl" + b"avih" + struct.pack("<I", bogus)
    hdrl += b"\x00" * 56
    return b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"AVI " + hdrl + b"JUNK" + b"\xff" * 8


def hostile_videos(seed: int = 0) -> Iterator[HostileVideo]:
    """Every hostile file, in a fixed order, from ``seed`` (which drives the random families)."""
    rng = random.Random(seed)
    good = movie()
    moov_at = good.index(b"moov") - 4
    yield HostileVideo("valid.mp4", good, "ok")
    yield HostileVideo("empty.mp4", b"", "EmptyFileError")
    yield HostileVideo("not_video.mp4", b"hello, this is text\n" * 8, "UnsupportedFormatError")
    yield HostileVideo("heic_brand.mp4", movie(brand=b"heic"), "UnsupportedFormatError")
    yield HostileVideo("truncated_before_moov.mp4", good[: moov_at + 6], "CorruptImageError")
    yield HostileVideo("truncated_in_moov.mp4", good[: moov_at + 200], "warning:truncated")
    yield HostileVideo("truncated_in_mdat.mp4", good[:-10], "warning:past the end of the file")
    yield HostileVideo("only_mdat.mp4", box(b"mdat", b"\x00" * 32), "CorruptImageError")
    yield HostileVideo("moov_larger_than_file.mp4",
                       good[:moov_at] + struct.pack(">I", 1 << 30) + good[moov_at + 4:],
                       "warning:past the end of the file")
    yield HostileVideo("mdat_64bit_huge.mp4",
                       movie(mdat=box64(b"mdat", b"\x00" * 16, (1 << 63) + 5)),
                       "warning:past the end of the file")
    yield HostileVideo("moov_64bit_tiny.mp4",
                       good[:moov_at] + box64(b"moov", good[moov_at + 8:], 4),
                       "CorruptImageError")
    yield HostileVideo("child_past_parent.mp4",
                       movie(moov_extra=box(b"udta", box(b"\xa9xyz", b"\x00" * 8, size=4096))),
                       "warning:past the end of its parent moov/udta")
    yield HostileVideo("uuid_cut_short.mp4", good + b"\x00\x00\x00\x40uuid\xbe\x7a",
                       "warning:cut off before its user type")
    yield HostileVideo("largesize_cut_short.mp4", good + b"\x00\x00\x00\x01mdat\x00\x00",
                       "warning:64-bit size but the data ends first")
    yield HostileVideo("stray_bytes_in_udta.mp4",
                       movie(moov_extra=box(b"udta", box(b"\xa9too", b"\x00\x01\x00\x00x")
                                            + b"\x01\x02\x03")),
                       "warning:stray byte")
    yield HostileVideo("box_size_below_header.mp4",
                       movie(moov_extra=box(b"udta", b"\x00\x00\x00\x03abcd")),
                       "warning:less than its")
    yield HostileVideo("zero_size_child.mp4",
                       movie(moov_extra=box(b"udta", box(b"free", b"", size=0) + b"\x00" * 12)),
                       "ok")
    yield HostileVideo("zero_size_mdat.mp4", movie(mdat=box(b"mdat", b"\x00" * 40, size=0)), "ok")
    yield HostileVideo("zero_size_ftyp.mp4", box(b"ftyp", b"isom" + good[8:], size=0),
                       "CorruptImageError")
    yield HostileVideo("nesting_bomb.mp4", movie(moov_extra=_nest(2000)), "CorruptImageError")
    yield HostileVideo("box_count_bomb.mp4", movie(moov_extra=box(b"free", b"") * 30_000),
                       "CorruptImageError")
    yield HostileVideo("ftyp_without_brand.mp4", box(b"ftyp") + good[good.index(b"moov") - 4:],
                       "warning:ftyp box too short")
    yield HostileVideo("ftyp_garbage_brand.mp4", movie(brand=b"\xff\x00\xfe\x01"), "ok")
    yield HostileVideo("elst_count_huge.mp4",
                       movie(trak_box=trak(edits=elst([(2000, 0)], declared=0xFFFFFFFF))),
                       "warning:declares 4294967295 entries")
    yield HostileVideo("stts_count_huge.mp4", movie(trak_box=trak(ts=stts(entries=0x7FFFFFFF))),
                       "warning:declares 2147483647 entries")
    yield HostileVideo("keys_count_huge.mp4",
                       movie(moov_extra=keys_meta({"com.apple.quicktime.make": b"X"},
                                                  declared=0xFFFFFFF0)),
                       "warning:entries")
    yield HostileVideo("huge_frame_size.mp4",
                       movie(trak_box=trak(tk=tkhd(65535, 65535), sd=stsd(65535, 65535))),
                       "warning:above the 16384-pixel")
    yield HostileVideo("huge_duration.mp4", movie(mv=mvhd(timescale=1, duration=0xFFFFFFFF)),
                       "warning:not plausible")
    yield HostileVideo("zero_timescale.mp4", movie(mv=mvhd(timescale=0, duration=10)),
                       "warning:time scale is 0")
    yield HostileVideo("huge_frame_count.mp4",
                       movie(trak_box=trak(sz=stsz(0xFFFFFFFF), ts=stts(count=0xFFFFFFFF))),
                       "warning:frame count")
    yield HostileVideo("short_mvhd.mp4", movie(mv=full(b"mvhd", b"\x00" * 6)),
                       "warning:malformed")
    yield HostileVideo("xmp_entity_bomb.mp4", good + _xml_bomb(), "warning:XMP packet")
    yield HostileVideo("bad_iso6709.mp4",
                       movie(moov_extra=keys_meta({
                           "com.apple.quicktime.location.ISO6709": b"+999.0+999.0/"})),
                       "warning:not an ISO 6709")
    yield HostileVideo("garbage_ebml.mkv",
                       b"\x1a\x45\xdf\xa3" + bytes(rng.randrange(256) for _ in range(2000)),
                       "CorruptImageError")
    yield HostileVideo("ebml_only_magic.webm", b"\x1a\x45\xdf\xa3", "CorruptImageError")
    yield HostileVideo("riff_bogus_sizes.avi", _riff(0xFFFFFFF0), "CorruptImageError")
    yield HostileVideo("riff_truncated.avi", b"RIFF\x10\x00\x00\x00AVI LIST", "CorruptImageError")
    for i in range(8):  # random bit flips in the movie header: any typed outcome will do
        data = bytearray(good)
        for _ in range(4):
            pos = rng.randrange(moov_at, len(good) - 72)
            data[pos] ^= 1 << rng.randrange(8)
        yield HostileVideo(f"bitflip_{i}.mp4", bytes(data), "any")
    for i in range(4):  # random bytes behind a valid ftyp
        tail = bytes(rng.randrange(256) for _ in range(rng.randrange(16, 600)))
        yield HostileVideo(f"random_after_ftyp_{i}.mp4", good[:moov_at] + tail, "any")


def write_hostile_videos(out: str | Path, seed: int = 0) -> list[tuple[Path, str]]:
    """Write every hostile file into ``out``; return (path, expected outcome) pairs."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in hostile_videos(seed):
        path = folder / item.name
        path.write_bytes(item.data)
        written.append((path, item.expected))
    return written
