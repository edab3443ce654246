"""EXIF through exifread, with guards against hostile IFD structures.

exifread does the tag decoding; this module drives it the way ``exifread.process_file`` does,
but through a subclass of its ``ExifHeader`` that bounds the work a crafted file can cause:
at most :data:`MAX_IFDS` IFDs in the main chain, :data:`MAX_ENTRIES_PER_IFD` entries per IFD,
:data:`MAX_TOTAL_ENTRIES` entries and :data:`MAX_TOTAL_VALUES` array values overall (exifread
decodes arrays value by value), and no IFD offset read twice (an EXIF or GPS
pointer that points back at an IFD already read is reported and skipped). MakerNote
decoding is off (``details=False``): the MakerNote's presence and size and the UserComment
are read straight from the EXIF IFD entries instead, which is much faster.

``read_exif(..., wanted=keys)`` decodes only the named tags ("EXIF DateTimeOriginal", ...):
the IFD walk, its guards and exifread's value decoding are the same, but the other tags of
each IFD are passed over after reading their id. A scan needs about 45 tags of the hundred
or more a camera writes; decoding them all was a third of a scan's time (pyinstrument).
"""

from __future__ import annotations

import io
import logging
import struct
from dataclasses import dataclass, field
from typing import Any

from exifread.core.exceptions import ExifError, ExifNotFound, InvalidExif
from exifread.core.exif_header import ExifHeader
from exifread.core.find_exif import determine_type, get_endian_str
from exifread.core.heic import HEICExifFinder, find_heic_tiff
from exifread.core.ifd_tag import IfdTag
from exifread.tags import DEFAULT_STOP_TAG
from exifread.tags.exif import EXIF_TAGS
from exifread.tags.fields import (
    FIELD_DEFINITIONS,
    FLOAT_FIELD_TYPES,
    RATIO_FIELD_TYPES,
    SIGNED_FIELD_TYPES,
    FieldType,
)
from exifread.utils import Ratio

from osint_kit._io import EvidenceBytes, as_file

logger = logging.getLogger(__name__)

MAX_IFDS = 16
MAX_ENTRIES_PER_IFD = 1024
MAX_TOTAL_ENTRIES = 8192
MAX_TOTAL_VALUES = 200_000
MAX_RAW_VALUE = 512
#: reads allowed to exifread's HEIF box walker (a real file needs a few hundred)
MAX_BOX_READS = 100_000
#: item-location fields it may decode (a real file needs a few hundred)
MAX_HEIF_FIELDS = 100_000
_MAX_USER_COMMENT = 64 * 1024

# exceptions exifread is known to let escape on malformed input
_EXIFREAD_ERRORS = (
    ExifError,
    ValueError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    ZeroDivisionError,
    OverflowError,
    RecursionError,
    AssertionError,  # exifread's HEIF box parser validates with assert
    EOFError,  # ... signals short boxes with EOFError
    RuntimeError,  # ... and unknown box sizes with NotImplementedError
)

_UNPACK = {
    (endian, length, signed): struct.Struct(("<" if endian == "I" else ">") + code)
    for endian in ("I", "M")
    for (length, signed), code in {
        (1, False): "B", (1, True): "b", (2, False): "H", (2, True): "h",
        (4, False): "I", (4, True): "i", (8, False): "Q", (8, True): "q"}.items()
}

_TYPE_LEN = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}


@dataclass
class ExifResult:
    """What exifread found, plus the few things read directly from the IFD entries."""

    tags: dict[str, Any] = field(default_factory=dict)
    #: every "IFD TagName" key met in the IFDs walked (decoded or not)
    keys: set[str] = field(default_factory=set)
    tiff_offset: int | None = None
    endian: str = "I"
    user_comment: bytes | None = None
    maker_note_len: int | None = None
    thumbnail: bytes | None = None
    thumbnail_offset: int | None = None
    warnings: list[str] = field(default_factory=list)


_INT_CODES = {(1, False): "B", (1, True): "b", (2, False): "H", (2, True): "h",
              (4, False): "I", (4, True): "i", (8, False): "Q", (8, True): "q"}


_FIELD_TYPES = {t.value: t for t in FieldType}


def _printable(values: Any, count: int, ftype: FieldType) -> str:
    """exifread's default printable form of a tag's values (truncating long arrays)."""
    if count == 1 and ftype != FieldType.ASCII:
        return str(values[0]) if values else ""
    if count > 50 and len(values) > 20 and not isinstance(values, str):
        return str(values[0:20])[0:-1] + ", ... ]"
    return str(values)


#: tag id and field type at the start of each 12-byte IFD entry
_ENTRY_HEAD = {"I": struct.Struct("<HH8x"), "M": struct.Struct(">HH8x")}
_IFD_KEYS: dict[tuple[str, int, frozenset[str]], tuple[dict[int, str], frozenset[int]]] = {}


def _ifd_keys(ifd_name: str, tag_dict: Any, wanted: frozenset[str]
              ) -> tuple[dict[int, str], frozenset[int]]:
    """For one IFD kind: tag id -> "IFD TagName" key, and the ids of the wanted tags.

    Cached per IFD name and (module-level, immutable) tag table of exifread."""
    cache_key = (ifd_name, id(tag_dict), wanted)
    found = _IFD_KEYS.get(cache_key)
    if found is None:
        names = {tag: f"{ifd_name} {entry[0]}" for tag, entry in tag_dict.items()}
        found = (names, frozenset(t for t, k in names.items() if k in wanted))
        if len(_IFD_KEYS) < 256:
            _IFD_KEYS[cache_key] = found
    return found


class _GuardedHeader(ExifHeader):
    """exifread's header walker with bounds on IFD chains, entry counts and re-visits."""

    def __init__(self, buf: EvidenceBytes, *args: Any, wanted: frozenset[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(as_file(buf), *args, **kwargs)
        self.wanted = wanted
        self.keys: set[str] = set()
        self.notes: list[str] = []
        self._budget = MAX_TOTAL_ENTRIES
        self._values_left = MAX_TOTAL_VALUES
        self._seen: dict[int, str] = {}
        self._buf = buf

    def s2n(self, offset: int, length: int, signed: bool = False) -> int:
        """exifread's s2n (offset -> integer) on the in-memory bytes, without seek/read:
        same results, including 0 for reads past the end."""
        unpacker = _UNPACK.get((self.endian, length, signed))
        if unpacker is None:
            raise ValueError(f"unexpected unpacking length: {length}")
        pos = self.offset + offset
        if pos < 0 or pos + length > len(self._buf):
            return 0
        return int(unpacker.unpack_from(self._buf, pos)[0])

    def list_ifd(self) -> list[int]:
        ifd = self._first_ifd()
        ifds: list[int] = []
        while ifd:
            if ifd in ifds:
                self.notes.append(f"IFD chain loops back to offset {ifd}; stopped there")
                break
            if len(ifds) >= MAX_IFDS:
                self.notes.append(f"more than {MAX_IFDS} IFDs in the chain; rest ignored")
                break
            ifds.append(ifd)
            ifd = self._next_ifd(ifd)
        return ifds

    def dump_ifd(
        self,
        ifd: int,
        ifd_name: str,
        tag_dict: Any = None,
        relative: int = 0,
        stop_tag: str = DEFAULT_STOP_TAG,
    ) -> None:
        if not isinstance(ifd, int):
            self.notes.append(f"{ifd_name} IFD pointer is not an integer; skipped")
            return
        if ifd in self._seen:
            self.notes.append(
                f"{ifd_name} IFD pointer leads back to the {self._seen[ifd]} IFD at offset "
                f"{ifd} (malformed or crafted file); skipped"
            )
            return
        self._seen[ifd] = ifd_name
        if self.offset + ifd + 2 > len(self._buf):
            self.notes.append(
                f"{ifd_name} IFD offset {ifd} lies past the end of the EXIF block "
                f"({len(self._buf) - self.offset} bytes): corrupt EXIF, no tags read there")
            return
        entries = self.s2n(ifd, 2)
        if entries > MAX_ENTRIES_PER_IFD or entries > self._budget:
            self.notes.append(
                f"{ifd_name} IFD at offset {ifd} claims {entries} entries (limit "
                f"{min(MAX_ENTRIES_PER_IFD, self._budget)}); skipped"
            )
            return
        self._budget -= entries
        if self.wanted is not None:
            self._dump_wanted(ifd, ifd_name, tag_dict or EXIF_TAGS, entries, stop_tag)
            return
        values = self._value_count(ifd, entries)
        if values > self._values_left:
            self.notes.append(
                f"{ifd_name} IFD at offset {ifd} holds {values} array values (limit "
                f"{self._values_left} left of {MAX_TOTAL_VALUES}); skipped")
            return
        self._values_left -= values
        super().dump_ifd(ifd, ifd_name, tag_dict=tag_dict, relative=relative, stop_tag=stop_tag)

    def _dump_wanted(self, ifd: int, ifd_name: str, tag_dict: Any, entries: int,
                     stop_tag: str) -> None:
        """exifread's IFD loop, decoding only the wanted tags (and following sub-IFDs).

        Each decoded tag has fewer than 1000 values or is ASCII (exifread's own limit), and
        at most ``len(wanted)`` tags are decoded per IFD: bounded without a value count.
        (exifread's ``relative`` offsets only concern Nikon MakerNotes, never decoded here.)"""
        assert self.wanted is not None
        start = self.offset + ifd + 2
        whole = max(0, min(entries, (len(self._buf) - start) // 12))
        names, wanted = _ifd_keys(ifd_name, tag_dict, self.wanted)
        heads = [(start + 12 * i, tag, type_id) for i, (tag, type_id)
                 in enumerate(_ENTRY_HEAD[self.endian].iter_unpack(
                     self._buf[start : start + 12 * whole]))]
        if whole < entries:
            self.notes.append(
                f"{ifd_name} IFD at offset {ifd}: {entries - whole} of its {entries} entries "
                "run past the end of the EXIF block (truncated or corrupt EXIF)")
            # exifread reads the bytes missing at the end of the block as 0
            heads += [(pos, self.s2n(pos - self.offset, 2), self.s2n(pos - self.offset + 2, 2))
                      for pos in range(start + 12 * whole, start + 12 * entries, 12)]
        for entry_pos, tag, type_id in heads:
            if not 0 < type_id < 14:
                continue  # exifread skips unknown and proprietary field types too
            key = names.get(tag)
            if key is None:
                self.keys.add(f"{ifd_name} Tag 0x{tag:04X}")
                continue  # never wanted: the wanted keys all have names
            self.keys.add(key)
            if tag in wanted:
                self._decode(ifd_name, key, tag_dict[tag], entry_pos, tag, type_id, stop_tag)

    def _decode(self, ifd_name: str, key: str, tag_entry: Any, entry_pos: int, tag: int,
                type_id: int, stop_tag: str) -> None:
        """One tag as exifread's ``_process_tag`` decodes it (same values, same Ratio and
        IfdTag types), with arrays unpacked in one call instead of value by value."""
        buf, order = self._buf, "<" if self.endian == "I" else ">"
        ftype = _FIELD_TYPES[type_id]  # 1..13, checked by the caller
        size = FIELD_DEFINITIONS[ftype][0]
        if entry_pos + 12 <= len(buf):
            count, word = struct.unpack_from(order + "II", buf, entry_pos + 4)
        else:
            count = self.s2n(entry_pos - self.offset + 4, 4)
            word = self.s2n(entry_pos - self.offset + 8, 4)
        offset = entry_pos + 8 - self.offset if count * size <= 4 else word
        start = self.offset + offset
        if count and start + count * size > len(buf) and (ftype == FieldType.ASCII or count < 1000):
            self.notes.append(
                f"{key}: its {count * size}-byte value at offset {offset} runs past the end "
                f"of the EXIF block ({len(buf) - self.offset} bytes), read as far as it goes")
        values: Any
        if ftype == FieldType.ASCII:
            values = ""
            if count:
                text = buf[start : start + count].split(b"\x00", 1)[0]
                try:
                    values = text.decode("utf-8")
                except UnicodeDecodeError:
                    values = text
        elif count >= 1000:
            values = []  # exifread's limit (it only reads long MakerNotes, not wanted here)
        else:
            values = self._array(ftype, count, start, size, order)
        printable = _printable(values, count, ftype)
        prefer = tag_entry[1] is not None
        sub_ifd = isinstance(tag_entry[1], tuple)
        if prefer and not sub_ifd:  # a value map (Orientation names...): exifread's own
            printable, _ = self._get_printable_for_field(count, values, ftype, tag_entry,
                                                         stop_tag)
        self.tags[key] = IfdTag(printable, tag, ftype, values, offset, count * size, prefer)
        if sub_ifd and values:
            self.dump_ifd(values[0], tag_entry[1][0], tag_dict=tag_entry[1][1])

    def _array(self, ftype: FieldType, count: int, start: int, size: int,
               order: str) -> list[Any]:
        buf = self._buf
        signed = ftype in SIGNED_FIELD_TYPES
        fits = start + count * size <= len(buf)
        if ftype in RATIO_FIELD_TYPES:
            if fits:
                nums = struct.unpack_from(f"{order}{2 * count}{'i' if signed else 'I'}", buf,
                                          start)
            else:  # exifread reads 0 past the end
                nums = tuple(self.s2n(start - self.offset + 4 * k, 4, signed)
                             for k in range(2 * count))
            return [Ratio(nums[k], nums[k + 1]) for k in range(0, 2 * count, 2)]
        if ftype in FLOAT_FIELD_TYPES:  # exifread keeps each float as a 1-tuple
            code = "f" if ftype == FieldType.FLOAT_32 else "d"
            whole = max(0, min(count, (len(buf) - start) // size)) if start < len(buf) else 0
            return [struct.unpack_from(order + code, buf, start + k * size)
                    for k in range(whole)]
        if fits:
            code = _INT_CODES[(size, signed)]
            return list(struct.unpack_from(f"{order}{count}{code}", buf, start))
        return [self.s2n(start - self.offset + k * size, size, signed) for k in range(count)]

    def _value_count(self, ifd: int, entries: int) -> int:
        """How many values exifread would decode one by one in this IFD (it does so for
        every non-ASCII tag with fewer than 1000 values): a bound on its work."""
        total = 0
        for i in range(entries):
            entry = ifd + 2 + 12 * i
            if self.s2n(entry + 2, 2) == 2:  # ASCII: read in one piece
                continue
            count = self.s2n(entry + 4, 4)
            if count < 1000:
                total += count
        return total


def _scan_entries(data: EvidenceBytes, base: int, ifd: int, endian: str,
                  tags: frozenset[int] = frozenset({0x927C, 0x9286}),
                  ) -> dict[int, tuple[int, int, int]]:
    """Map tag -> (type, count, absolute value position) for ``tags`` of one IFD, read
    directly (the MakerNote and UserComment, which exifread cuts at 1000 values)."""
    fmt = "<" if endian == "I" else ">"
    out: dict[int, tuple[int, int, int]] = {}
    pos = base + ifd
    if pos < 0 or pos + 2 > len(data):
        return out
    (count,) = struct.unpack_from(fmt + "H", data, pos)
    whole = min(count, MAX_ENTRIES_PER_IFD, (len(data) - pos - 2) // 12)
    block = data[pos + 2 : pos + 2 + 12 * whole]
    for i, (tag, typ, n, value) in enumerate(struct.iter_unpack(fmt + "HHII", block)):
        if tag in tags:
            entry = pos + 2 + 12 * i
            size = n * _TYPE_LEN.get(typ, 1)
            out[tag] = (typ, n, entry + 8 if size <= 4 else base + value)
    return out


class _BoundedReader(io.BytesIO):
    """In-memory file that ends (EOFError, which read_exif reports) once read more than
    :data:`MAX_BOX_READS` times: a box walker that keeps re-reading the same box stops."""

    def __init__(self, data: EvidenceBytes) -> None:
        super().__init__(data)
        self._reads_left = MAX_BOX_READS

    def read(self, size: int | None = -1, /) -> bytes:
        self._reads_left -= 1
        if self._reads_left < 0:
            raise EOFError(f"HEIF boxes read more than {MAX_BOX_READS} times: a box that "
                           "never advances (corrupt or crafted file); EXIF search stopped")
        return super().read(size)


class _BoundedHeicFinder(HEICExifFinder):
    """exifread's HEIF box walker with a budget of item-location fields. Its iloc loop
    decodes fields of size 0 without reading the file, up to 65,535 per item: a 579-byte
    file (found by fuzzing, 2026-11-29) took 1-3 s and built 1.9 million entries, and a
    larger one would run for hours and fill the memory."""

    def __init__(self, file_handle: Any) -> None:
        super().__init__(file_handle)
        self._fields_left = MAX_HEIF_FIELDS

    def get_int(self, size: int) -> int:
        self._fields_left -= 1
        if self._fields_left < 0:
            raise EOFError(f"HEIF item locations hold more than {MAX_HEIF_FIELDS} fields "
                           "(corrupt or crafted file); EXIF search stopped")
        return int(super().get_int(size))


def _locate(fh: Any) -> tuple[int, bytes, int]:
    """exifread's ``determine_type`` (EXIF offset, byte order, fake-EXIF flag), with the
    bounded walker for HEIF/AVIF files."""
    head = fh.read(12)
    fh.seek(0)
    if head[0:2] not in (b"II", b"MM") and head[4:12] in (b"ftypheic", b"ftypavif",
                                                           b"ftypmif1"):
        offset, endian = _BoundedHeicFinder(fh).find_exif()
        if offset == 0:
            offset, endian = find_heic_tiff(fh)
        return offset, endian, 0
    return determine_type(fh)  # type: ignore[no-any-return]


def read_exif(data: EvidenceBytes, payload: bytes | None = None,
              wanted: frozenset[str] | None = None) -> ExifResult:
    """Read the EXIF block of an in-memory file; problems become ``warnings``, never raise.

    ``wanted``: decode only these tag keys (others are still listed in ``keys``); None
    decodes every tag.

    ``payload`` is the EXIF block as Pillow found it (``Image.info["exif"]``: JPEG APP1,
    PNG eXIf, WebP EXIF chunk, HEIF Exif item). It is parsed on its own, as a TIFF structure,
    which bounds every offset to the block; without it exifread locates EXIF in ``data``.
    """
    result = ExifResult()
    whole_file = data
    if payload:
        tiff = payload[6:] if payload.startswith(b"Exif\x00\x00") else payload
        if tiff[:4] in (b"II*\x00", b"MM\x00*"):
            data = tiff
        else:
            result.warnings.append("EXIF block does not start with a TIFF header; ignored")
            return result
    # HEIF/AVIF that pillow-heif could not open (no payload): exifread's box walker finds
    # EXIF in what is left of a damaged file, but loops for ever on a box that never advances
    # (a 90-byte file found by make fuzz), hence the bounded reader
    fh = _BoundedReader(data) if data[4:8] == b"ftyp" else as_file(data)
    try:
        offset, endian_bytes, fake_exif = _locate(fh)
        endian, _ = get_endian_str(endian_bytes)
    except (ExifNotFound, InvalidExif):
        return result
    except _EXIFREAD_ERRORS as err:
        result.warnings.append(f"EXIF block could not be located: {type(err).__name__}: {err}")
        return result
    if endian not in ("I", "M"):
        result.warnings.append(f"EXIF block has an unknown byte order marker {endian!r}")
        return result
    result.tiff_offset = offset
    result.endian = endian
    hdr = _GuardedHeader(data, endian, offset, fake_exif, False, False, False, True,
                         wanted=wanted)
    try:
        thumb_ifd = 0
        for ctr, ifd in enumerate(hdr.list_ifd()):
            name = "Image" if ctr == 0 else "Thumbnail" if ctr == 1 else f"IFD {ctr}"
            if ctr == 1:
                thumb_ifd = ifd
            hdr.dump_ifd(ifd, name)
        exif_off = hdr.tags.get("Image ExifOffset")
        if exif_off and exif_off.values:
            exif_ifd = exif_off.values[0]
            hdr.dump_ifd(exif_ifd, "EXIF")
            if hdr._seen.get(exif_ifd) == "EXIF":
                entries = _scan_entries(data, offset, exif_ifd, endian)
                if 0x927C in entries:
                    result.maker_note_len = entries[0x927C][1]
                if 0x9286 in entries:
                    _, n, where = entries[0x9286]
                    result.user_comment = data[where : where + min(n, _MAX_USER_COMMENT)]
        if thumb_ifd:
            hdr.extract_jpeg_thumbnail()
    except _EXIFREAD_ERRORS as err:
        result.warnings.append(f"EXIF partly unreadable: {type(err).__name__}: {err}")
    result.warnings.extend(hdr.notes)
    thumb = hdr.tags.pop("JPEGThumbnail", None)
    if isinstance(thumb, bytes) and thumb:
        result.thumbnail = thumb
        pos = hdr.tags.get("Thumbnail JPEGInterchangeFormat")
        if pos is not None and pos.values:
            # where the payload sits in the file: looked up only here, as it means searching
            # the whole file when the EXIF item comes after the image data (HEIF: ~0.2 ms)
            file_base = max(whole_file.find(data[:4096]), 0) if data is not whole_file else 0
            result.thumbnail_offset = file_base + offset + int(pos.values[0])
    hdr.tags.pop("TIFFThumbnail", None)
    result.tags = hdr.tags
    result.keys = hdr.keys if wanted is not None else set(hdr.tags)
    return result


def raw_value(tag: Any) -> str:
    """A short printable form of one exifread tag for the raw dictionary."""
    text = tag.printable if hasattr(tag, "printable") else str(tag)
    text = str(text)
    if len(text) > MAX_RAW_VALUE:
        text = text[:MAX_RAW_VALUE] + f"… [{len(text) - MAX_RAW_VALUE} more characters]"
    return text
