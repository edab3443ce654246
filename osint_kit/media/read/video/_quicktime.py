"""QuickTime / ISO-BMFF header atoms into the raw facts of a clip (no PyAV, no mdat payload).

Reads, with the one box walker (:mod:`._boxes`): ``ftyp``; ``mvhd`` (movie times, duration);
per track ``tkhd`` (display matrix, size), ``mdhd`` (time scale, duration), ``hdlr``, the
first ``stsd`` entry (codec four-cc, coded frame size, compressor name), ``stts`` and
``stsz`` (frame rate, frame count), ``elst`` (edit list); tags from ``moov/meta`` (``keys``
+ ``ilst``, Apple's and Android's ``mdta`` keys), ``udta/meta/ilst`` (iTunes-style ``©too``
...), QuickTime ``udta`` text atoms (``©xyz``, ``©mak``, ``©mod``, ``©swr``, ``©day`` ...),
3GPP ``udta`` strings (``titl``, ``auth``...), GoPro ``udta`` atoms (``FIRM``, ``LENS``,
``CAME``), Sony's NonRealTimeMeta XML in a top-level ``meta/xml `` box (device maker and
model, creation date with offset), and XMP from the ``uuid`` box or ``udta/XMP_``.

What was checked here: FFmpeg/Lavf output and ExifTool 12.57 tagging (Keys, ItemList,
UserData, XMP). Read as ExifTool 12.57's QuickTime tables describe them, with no camera file at
hand to verify: Apple's ``mdta`` keys and Android's ``com.android.version``; DJI's ``©mdl``
(a bare string without the text header) and its binary ``©dji``/``©res``/``©uid``; GoPro's
``GoPr``, ``FIRM``, ``LENS``, ``CAME`` (Hero3+/Hero4); Sony's NonRealTimeMeta XML box (layout
as public parsers read it). ``com.android.manufacturer``/``model`` are read when present but
are in no table consulted.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from typing import Any

from osint_kit.errors import CorruptImageError, ImageTooLargeError
from osint_kit.media.read.video._boxes import XMP_UUID, Box, walk_boxes

#: A movie header larger than this is refused (real ones: kilobytes to a few MiB).
MAX_MOOV_BYTES = 64 << 20
#: Edit-list entries and keys read per box at most (the time-to-sample table is summed whole).
MAX_ENTRIES = 10_000
#: Text values longer than this are cut (tags hold names and dates, not documents).
MAX_TEXT = 4096

_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
_I32 = struct.Struct(">i")
_I64 = struct.Struct(">q")

#: sample-entry four-cc -> codec name as FFmpeg spells it (what PyAV reports for MKV/AVI)
CODEC_NAMES = {
    "avc1": "h264", "avc3": "h264", "hvc1": "hevc", "hev1": "hevc", "dvh1": "hevc",
    "dvhe": "hevc", "mp4v": "mpeg4", "av01": "av1", "vp09": "vp9", "vp08": "vp8",
    "jpeg": "mjpeg", "mjpa": "mjpeg", "s263": "h263", "h263": "h263", "apch": "prores",
    "apcn": "prores", "apcs": "prores", "apco": "prores", "ap4h": "prores", "ap4x": "prores",
    "mp4a": "aac", "ac-3": "ac3", "ec-3": "eac3", "Opus": "opus", "fLaC": "flac",
    "samr": "amr_nb", "sawb": "amr_wb", "sowt": "pcm_s16le", "twos": "pcm_s16be",
    "lpcm": "pcm", "ipcm": "pcm", ".mp3": "mp3", "alac": "alac",
}
MAX_XML = 1 << 20
_DEVICE = re.compile(r"<Device\s([^<>]{0,2000})>")
_ATTR = re.compile(r"(\w{1,40})=\"([^\"]{0,200})\"")
_CREATION = re.compile(r"<CreationDate\s+value=\"([^\"]{1,64})\"")
_UDTA_TEXT = frozenset({"titl", "auth", "dscp", "cprt", "perf", "gnre", "albm", "kywd"})
_GOPRO = frozenset({"FIRM", "LENS", "CAME", "GoPr"})
#: DJI's binary ``udta`` atoms (no text header; ExifTool hides them too)
_BINARY_UDTA = frozenset({"©dji", "©res", "©uid"})


@dataclass
class Track:
    """The facts of one ``trak`` (None: the box was missing or unreadable)."""

    number: int
    handler: str | None = None
    matrix: tuple[float, ...] | None = None
    tkhd_size: tuple[float, float] | None = None
    timescale: int | None = None
    duration: int | None = None
    fourcc: str | None = None
    coded_size: tuple[int, int] | None = None
    sample_count: int | None = None
    stts_samples: int = 0  # sum of the time-to-sample counts
    stts_ticks: float = 0.0  # sum of count x delta: the samples' total duration in media ticks
    edits: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Atoms:
    """Everything read from the header atoms; ``tags`` maps tag name -> (text, box path)."""

    brand: str | None = None
    compatible: tuple[str, ...] = ()
    movie_timescale: int | None = None
    movie_duration: int | None = None
    created: int | None = None
    modified: int | None = None
    tracks: list[Track] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    tags: dict[str, tuple[str, str]] = field(default_factory=dict)
    xmp: bytes | None = None
    xmp_where: str | None = None
    has_moov: bool = False
    warnings: list[str] = field(default_factory=list)


def _text(raw: bytes) -> str:
    """Tag bytes as text: UTF-8 (else Latin-1), NULs and surrounding blanks stripped, capped."""
    raw = raw[:MAX_TEXT]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.replace("\x00", "").strip()


def _data_value(kind: int, raw: bytes) -> str:
    """An ``ilst`` ``data`` box value by its well-known type (1 UTF-8, 2 UTF-16, 21/22 integers,
    23/24 floats); other types (pictures, binary) are described, not dumped."""
    if kind == 1:
        return _text(raw)
    if kind == 2:
        return raw[:MAX_TEXT].decode("utf-16-be", errors="replace").replace("\x00", "").strip()
    if kind in (21, 22) and len(raw) in (1, 2, 4, 8):
        return str(int.from_bytes(raw, "big", signed=kind == 21))
    if kind == 23 and len(raw) == 4:
        return repr(struct.unpack(">f", raw)[0])
    if kind == 24 and len(raw) == 8:
        return repr(struct.unpack(">d", raw)[0])
    return f"<{len(raw)} bytes, data type {kind}>"


class _Reader:
    """The walk over one file's boxes; fills an :class:`Atoms`."""

    def __init__(self, buf: Any, path: str) -> None:
        self.buf = buf
        self.path = path
        self.atoms = Atoms()
        self.keys: dict[str, dict[int, str]] = {}  # meta path -> key index -> key name
        self.track: Track | None = None

    def bytes_of(self, box: Box, limit: int = MAX_MOOV_BYTES) -> bytes:
        return bytes(self.buf[box.payload : min(box.end, box.payload + limit)])

    def tag(self, group: str, name: str, value: str, where: str) -> None:
        if value:
            self.atoms.tags.setdefault(f"{group}:{name}", (value, where))

    def group(self, box: Box) -> str:
        """ExifTool-like group of a tag: Keys, ItemList, UserData, with TrackN: inside a trak."""
        prefix = f"Track{self.track.number}:" if self.track and "/trak/" in box.path else ""
        if "/meta/" in box.path and "udta/" not in box.path:
            return prefix + "Keys"
        if "/ilst/" in box.path:
            return prefix + "ItemList"
        return prefix + "UserData"

    def run(self) -> Atoms:
        atoms = self.atoms
        for box in walk_boxes(self.buf, path=self.path, warnings=atoms.warnings,
                              descend=_DESCEND):
            try:
                self.visit(box)
            except (struct.error, IndexError, ValueError, OverflowError) as err:
                atoms.warnings.append(f"box {box.path} at offset {box.offset} is malformed "
                                      f"({type(err).__name__}: {err}); skipped")
        return atoms

    def visit(self, box: Box) -> None:
        kind, where = box.type, box.path
        atoms = self.atoms
        if box.depth == 0:
            if kind == "ftyp":
                self.ftyp(box)
            elif kind == "moov":
                if box.size > MAX_MOOV_BYTES:
                    raise ImageTooLargeError(self.path, f"movie header (moov) of {box.size} "
                                             f"bytes is above the {MAX_MOOV_BYTES}-byte limit")
                atoms.has_moov = True
            elif kind == "uuid" and box.user_type == XMP_UUID:
                self.xmp(box)
            return
        if kind in _PASS_THROUGH:
            return
        if kind == "trak" and box.depth == 1:
            self.track = Track(len(atoms.tracks) + 1)
            atoms.tracks.append(self.track)
        elif kind == "mvhd":
            self.mvhd(box)
        elif kind == "tkhd" and self.track:
            self.tkhd(box, self.track)
        elif kind == "mdhd" and self.track:
            self.mdhd(box, self.track)
        elif kind == "hdlr" and not where.endswith("minf/hdlr"):  # not a data handler ('url ')
            self.hdlr(box)
        elif kind == "stsd" and self.track:
            self.stsd(box, self.track)
        elif kind == "stts" and self.track:
            self.stts(box, self.track)
        elif kind == "stsz" and self.track:
            self.stsz(box, self.track)
        elif kind == "elst" and self.track:
            self.elst(box, self.track)
        elif kind == "keys":
            self.keys_box(box)
        elif box.path.rsplit("/", 2)[-2:-1] == ["ilst"]:
            self.ilst_item(box)
        elif kind == "xml " and where.endswith("meta/xml "):
            self.xml_box(box)
        elif kind == "XMP_" and where.endswith("udta/XMP_"):
            self.xmp(box)
        elif box.path.rsplit("/", 2)[-2:-1] == ["udta"]:
            self.udta_item(box)

    # --- headers --------------------------------------------------------------------------

    def ftyp(self, box: Box) -> None:
        raw = self.bytes_of(box, 4096)
        if len(raw) < 4:
            self.atoms.warnings.append("ftyp box too short to hold a brand")
            return
        self.atoms.brand = raw[:4].decode("latin-1")
        self.atoms.compatible = tuple(raw[i:i + 4].decode("latin-1")
                                      for i in range(8, len(raw) - 3, 4))
        self.tag("File", "MajorBrand", self.atoms.brand, box.path)

    def _times(self, box: Box) -> tuple[int, int, int, int, int]:
        """(version, created, modified, timescale, duration) of an mvhd/mdhd-like header;
        for tkhd the third value is the track ID and the fourth is unused."""
        buf, p = self.buf, box.payload
        version = buf[p]
        if box.payload + (32 if version == 1 else 20) > box.end:
            raise ValueError("header shorter than its version requires")
        if version == 1:
            c, m = _U64.unpack_from(buf, p + 4)[0], _U64.unpack_from(buf, p + 12)[0]
            scale, dur = _U32.unpack_from(buf, p + 20)[0], _U64.unpack_from(buf, p + 24)[0]
        else:
            c, m, scale, dur = struct.unpack_from(">IIII", buf, p + 4)
        return version, c, m, scale, dur

    def mvhd(self, box: Box) -> None:
        _, created, modified, scale, dur = self._times(box)
        a = self.atoms
        a.created, a.modified, a.movie_timescale, a.movie_duration = created, modified, scale, dur
        self.tag("mvhd", "CreationTime", str(created), box.path)
        self.tag("mvhd", "ModificationTime", str(modified), box.path)
        self.tag("mvhd", "TimeScale", str(scale), box.path)
        self.tag("mvhd", "Duration", str(dur), box.path)

    def tkhd(self, box: Box, track: Track) -> None:
        version = self.buf[box.payload]
        start = box.payload + 4 + (32 if version == 1 else 20) + 16
        if start + 44 > box.end:
            raise ValueError("tkhd shorter than its matrix and size")
        words = struct.unpack_from(">9i", self.buf, start)
        # a, b, c, d, tx, ty are 16.16 fixed point; u, v, w are 2.30
        track.matrix = tuple(w / (1 << 30) if i in (2, 5, 8) else w / 65536
                                  for i, w in enumerate(words))
        w, h = struct.unpack_from(">II", self.buf, start + 36)
        track.tkhd_size = (w / 65536, h / 65536)
        self.tag(f"Track{track.number}", "MatrixStructure",
                 " ".join(f"{x:g}" for x in track.matrix), box.path)

    def mdhd(self, box: Box, track: Track) -> None:
        _, _, _, scale, dur = self._times(box)
        track.timescale, track.duration = scale, dur
        self.tag(f"Track{track.number}", "MediaTimeScale", str(scale), box.path)
        self.tag(f"Track{track.number}", "MediaDuration", str(dur), box.path)

    def hdlr(self, box: Box) -> None:
        raw = self.bytes_of(box, 512)
        if len(raw) < 12:
            raise ValueError("hdlr too short")
        handler = raw[8:12].decode("latin-1")
        self.atoms.handlers.append(handler)
        if box.path.endswith("mdia/hdlr") and self.track and self.track.handler is None:
            self.track.handler = handler
            name = raw[24:]
            if name and name[0] == len(name) - 1:  # QuickTime: a Pascal string
                name = name[1:]
            self.tag(f"Track{self.track.number}", "HandlerDescription", _text(name), box.path)

    def stsd(self, box: Box, track: Track) -> None:
        raw = self.bytes_of(box, 4096)
        if len(raw) < 16:
            raise ValueError("stsd too short for one entry")
        fourcc = raw[12:16].decode("latin-1")
        track.fourcc = fourcc
        n = track.number
        self.tag(f"Track{n}", "CompressorID", fourcc, box.path)
        if track.handler == "vide" and len(raw) >= 8 + 86:
            e = 8  # the first entry, after version/flags and entry count
            track.coded_size = _U16.unpack_from(raw, e + 32)[0], _U16.unpack_from(raw, e + 34)[0]
            name = raw[e + 50 : e + 82]
            self.tag(f"Track{n}", "CompressorName", _text(name[1 : 1 + name[0]]), box.path)

    def _entries(self, box: Box, first: int, width: int, what: str,
                 limit: int = MAX_ENTRIES) -> tuple[int, int]:
        """(count, start) of a table whose count is at ``first``: a count that the box cannot
        hold, or above ``limit``, is cut down with a warning."""
        count = _U32.unpack_from(self.buf, first)[0]
        room = max(0, (box.end - first - 4) // width)
        if count > room:
            self.atoms.warnings.append(f"{what} at offset {box.offset} declares {count} entries "
                                       f"but holds {room}: read {min(room, limit)}")
            count = room
        if count > limit:
            self.atoms.warnings.append(f"{what} at offset {box.offset} has {count} entries: "
                                       f"the first {limit} are read")
            count = limit
        return count, first + 4

    def stts(self, box: Box, track: Track) -> None:
        """Sum the time-to-sample table (all of it, vectorised: a long variable-rate phone
        clip has one entry per frame)."""
        import numpy as np

        count, start = self._entries(box, box.payload + 4, 8, "stts", limit=1 << 31)
        # copied out of the buffer (at most the moov limit), so no view keeps a map open
        table = np.frombuffer(bytes(self.buf[start : start + 8 * count]), dtype=">u4")
        counts = table[0::2].astype(np.uint64)  # at most 2**31 x 2**32: no overflow
        track.stts_samples = int(counts.sum())
        # float64: exact below 2**53 ticks (any real clip); hostile sums cannot wrap around
        track.stts_ticks = float((counts.astype(np.float64) * table[1::2]).sum())

    def stsz(self, box: Box, track: Track) -> None:
        if box.payload + 12 > box.end:
            raise ValueError("stsz too short")
        track.sample_count = _U32.unpack_from(self.buf, box.payload + 8)[0]

    def elst(self, box: Box, track: Track) -> None:
        version = self.buf[box.payload]
        width = 20 if version == 1 else 12
        count, start = self._entries(box, box.payload + 4, width, "elst")
        fmt = ">Qq" if version == 1 else ">Ii"
        track.edits = [struct.unpack_from(fmt, self.buf, start + width * i)
                            for i in range(count)]

    # --- tags ------------------------------------------------------------------------------

    def keys_box(self, box: Box) -> None:
        count, pos = self._entries(box, box.payload + 4, 8, "keys")
        names: dict[int, str] = {}
        for index in range(1, count + 1):
            if pos + 8 > box.end:
                break
            size = _U32.unpack_from(self.buf, pos)[0]
            if size < 8 or pos + size > box.end:
                self.atoms.warnings.append(f"keys entry {index} at offset {pos} is malformed")
                break
            names[index] = _text(bytes(self.buf[pos + 8 : pos + size]))
            pos += size
        self.keys[box.path.rsplit("/", 1)[0]] = names

    def ilst_item(self, box: Box) -> None:
        meta = box.path.rsplit("/", 2)[0]
        raw_type = box.type.encode("latin-1")
        keys = self.keys.get(meta)
        if keys is not None and raw_type[:2] == b"\x00\x00":
            name = keys.get(int.from_bytes(raw_type, "big"), f"key#{int.from_bytes(raw_type, 'big')}")
        else:
            name = box.type
        for sub in walk_boxes(self.buf, path=self.path, start=box.payload, end=box.end,
                              depth=box.depth + 1, parent=box.path, descend=frozenset(),
                              warnings=self.atoms.warnings, max_boxes=64):
            if sub.type == "data" and sub.payload_size >= 8:
                kind = _U32.unpack_from(self.buf, sub.payload)[0] & 0xFFFFFF
                value = _data_value(kind, bytes(self.buf[sub.payload + 8 : min(
                    sub.end, sub.payload + 8 + MAX_TEXT)]))
                self.tag(self.group(box), name, value, box.path)
                return

    def udta_item(self, box: Box) -> None:
        raw = self.bytes_of(box, MAX_TEXT + 8)
        kind = box.type
        if kind in _BINARY_UDTA:
            self.tag(self.group(box), kind, f"<{box.payload_size} bytes>", box.path)
        elif kind.startswith("©"):
            if len(raw) >= 4:
                n = _U16.unpack_from(raw, 0)[0]
                # QuickTime international text: length, language, text. DJI's ©mdl omits both
                # (a bare string, whose first two letters read as a length above its size)
                value = _text(raw[4 : 4 + n]) if 0 < n <= len(raw) - 4 else _text(raw)
                self.tag(self.group(box), kind, value, box.path)
        elif kind in _UDTA_TEXT and len(raw) > 6:  # 3GPP: full box, language, UTF-8 text
            self.tag(self.group(box), kind, _text(raw[6:]), box.path)
        elif kind in _GOPRO:
            self.tag(self.group(box), kind, _text(raw) if kind != "CAME" else raw.hex(),
                     box.path)

    def xml_box(self, box: Box) -> None:
        """A ``meta/xml `` box: Sony's NonRealTimeMeta (``<Device manufacturer= modelName=>``,
        ``<CreationDate value=>``), read with bounded patterns, not an XML parser."""
        text = _text(self.bytes_of(box, MAX_XML))[:MAX_XML]
        device = _DEVICE.search(text)
        if device:
            for name, value in _ATTR.findall(device.group(1))[:32]:
                self.tag("XML", f"Device.{name}", value, box.path)
        created = _CREATION.search(text)
        if created:
            self.tag("XML", "CreationDate", created.group(1), box.path)

    def xmp(self, box: Box) -> None:
        if self.atoms.xmp is None:
            self.atoms.xmp = self.bytes_of(box, (4 << 20) + 1)
            self.atoms.xmp_where = box.path if box.type != "uuid" else "uuid BE7ACFCB (XMP)"


#: boxes with nothing to read here (containers walked anyway, sample tables, data references)
_PASS_THROUGH = frozenset({"mdia", "minf", "stbl", "edts", "dinf", "dref", "udta", "meta",
                           "ilst", "stco", "co64", "stsc", "stss", "sgpd", "sbgp", "vmhd",
                           "smhd", "free", "skip", "ctts", "sdtp"})

#: the walker descends into these (not into movie fragments: their many small boxes hold
#: sample tables only, and a long fragmented recording would reach the box-count limit)
_DESCEND = frozenset({"moov", "trak", "mdia", "minf", "stbl", "udta", "meta", "edts", "ilst"})


def read_atoms(buf: Any, path: str) -> Atoms:
    """The header atoms of a QuickTime-family file in ``buf`` (bytes or a read-only mmap).

    Raises CorruptImageError (no movie header, limits) or ImageTooLargeError (moov too big)."""
    atoms = _Reader(buf, path).run()
    if not atoms.has_moov:
        raise CorruptImageError(path, "no movie header (moov box): the recording may have been "
                                "cut off before the camera wrote it, or this is not a movie; "
                                "its frames cannot be located without it")
    return atoms
