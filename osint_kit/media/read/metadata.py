"""Read what a photo or video claims about itself: ``read_metadata(path) -> ImageMetadata``
(or :class:`~osint_kit.media.read.video.VideoMetadata` for a video, see :func:`read_metadata`).

EXIF comes from exifread (driven with bounds, see :mod:`osint_kit.media.read._exif`); IPTC, XMP,
ICC and the image properties from Pillow. The file is read once, read-only, and both libraries
parse the same in-memory bytes; pixels are never decoded. Every normalised field records in
``provenance`` which tag(s) it came from, and ``raw`` keeps every tag read.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from osint_kit._io import (
    EvidenceBytes,
    digests,
    inside_own_folder,
    map_evidence,
    open_readonly,
    read_evidence,
    real_path,
    stat_evidence,
)
from osint_kit.errors import CorruptImageError, UnreadableFileError, UnsupportedFormatError
from osint_kit.media.read import _normalise as norm
from osint_kit.media.read._exif import ExifResult, raw_value, read_exif
from osint_kit.media.read._frozen import FrozenMap, empty_map
from osint_kit.media.read._iptc import icc_description
from osint_kit.media.read._pillow import PilInfo, pillow_identifies, read_pillow, sniff_format
from osint_kit.media.read._rows import IMAGE_PLAIN_GET, IMAGE_SPECIAL
from osint_kit.media.read._xmp import XmpError, parse_xmp
from osint_kit.media.read.schema import SCAN_COLUMNS
from osint_kit.runner import DEFAULT_TIMEOUT, isolated

if TYPE_CHECKING:  # pragma: no cover
    from osint_kit.media.read.video import VideoMetadata

logger = logging.getLogger(__name__)
# exifread logs per-tag oddities as warnings; without a handler they would reach stderr via
# logging's last resort. Our own ``warnings`` tuple reports what matters.
logging.getLogger("exifread").addHandler(logging.NullHandler())

#: Declared pixel counts above this are refused before anything is allocated (Pillow's own
#: decompression-bomb error threshold, 2 x ``Image.MAX_IMAGE_PIXELS`` by default).
MAX_PIXELS = 178_956_970


@dataclass(frozen=True)
class ImageMetadata:
    """What one image file claims about itself, normalised, with provenance per field."""

    #: the media kind, as in a scan's ``kind`` column (a video's record says "video")
    kind: ClassVar[str] = "image"
    path: str
    file_name: str
    file_size: int
    sha256: str
    md5: str | None
    format: str | None = None
    width: int | None = None
    height: int | None = None
    make: str | None = None
    model: str | None = None
    lens: str | None = None
    body_serial: str | None = None
    lens_serial: str | None = None
    software: str | None = None
    datetime_original: datetime | None = None
    datetime_digitized: datetime | None = None
    datetime_modified: datetime | None = None
    offset_original: str | None = None
    offset_digitized: str | None = None
    offset_modified: str | None = None
    subsec_original: str | None = None
    gps_latitude: float | None = None
    gps_longitude: float | None = None
    gps_altitude: float | None = None
    gps_timestamp: datetime | None = None
    gps_img_direction: float | None = None
    orientation: int | None = None
    exif_width: int | None = None
    exif_height: int | None = None
    artist: str | None = None
    copyright: str | None = None
    image_description: str | None = None
    user_comment: str | None = None
    xp_title: str | None = None
    xp_comment: str | None = None
    xp_author: str | None = None
    xp_keywords: str | None = None
    xp_subject: str | None = None
    iptc_byline: str | None = None
    iptc_credit: str | None = None
    iptc_source: str | None = None
    iptc_caption: str | None = None
    iptc_city: str | None = None
    iptc_country: str | None = None
    iptc_date_created: str | None = None
    iptc_keywords: tuple[str, ...] = ()
    xmp_creator_tool: str | None = None
    xmp_metadata_date: str | None = None
    xmp_create_date: str | None = None
    xmp_date_created: str | None = None
    xmp_modify_date: str | None = None
    xmp_document_id: str | None = None
    xmp_original_document_id: str | None = None
    xmp_instance_id: str | None = None
    xmp_history: tuple[str, ...] = ()
    has_exif: bool = False
    has_iptc: bool = False
    has_xmp: bool = False
    has_icc: bool = False
    has_maker_note: bool = False
    has_thumbnail: bool = False
    thumbnail_bytes_len: int | None = None
    thumbnail_offset: int | None = None
    icc_description: str | None = None
    provenance: Mapping[str, str] = field(default_factory=empty_map, repr=False)
    raw: Mapping[str, str] = field(default_factory=empty_map, repr=False)
    warnings: tuple[str, ...] = ()
    thumbnail: bytes | None = field(default=None, repr=False, compare=False)

    def __hash__(self) -> int:
        return hash((self.path, self.sha256))

    @property
    def has_metadata(self) -> bool:
        """False means "no metadata at all": no EXIF, IPTC, XMP, comment or text chunk."""
        return self.has_exif or self.has_iptc or self.has_xmp or any(
            k.startswith(("PNG ", "File Comment")) for k in self.raw)

    @property
    def datetime_original_utc(self) -> datetime | None:
        """Capture time in UTC, only when the offset is known (never guessed)."""
        if self.datetime_original is None or self.datetime_original.tzinfo is None:
            return None
        return self.datetime_original.astimezone(UTC)

    def to_record(self) -> dict[str, Any]:
        """A flat dict whose keys are exactly :data:`SCAN_COLUMNS` (see ``schema``)."""
        return dict(zip(SCAN_COLUMNS, self.to_row(), strict=True))

    def to_row(self) -> tuple[Any, ...]:
        """The record's values in :data:`SCAN_COLUMNS` order (what scan workers send back)."""
        row = list(IMAGE_PLAIN_GET(self))
        for i, compute in IMAGE_SPECIAL:
            row[i] = compute(self)
        return tuple(row)

    def __repr__(self) -> str:
        bits = [self.format or "?"]
        if self.width and self.height:
            bits.append(f"{self.width}x{self.height}")
        camera = " ".join(x for x in (self.make, self.model) if x)
        if camera:
            bits.append(camera)
        if self.datetime_original is not None:
            when = self.datetime_original.isoformat(sep=" ")
            bits.append(when if self.offset_original else f"{when} (offset unknown)")
        if self.gps_latitude is not None and self.gps_longitude is not None:
            bits.append(f"GPS {self.gps_latitude:.5f},{self.gps_longitude:.5f}")
        if not self.has_metadata:
            bits.append("no metadata")
        if self.warnings:
            bits.append(f"{len(self.warnings)} warning(s)")
        return f"ImageMetadata({self.file_name!r}, {', '.join(bits)})"

    def _repr_html_(self) -> str:
        from osint_kit.media.read._html import metadata_html

        return metadata_html(self)


# --- the reader ------------------------------------------------------------------------------

_EXIF_TEXT = {
    "make": ("Image Make",),
    "model": ("Image Model",),
    "lens": ("EXIF LensModel", "EXIF LensMake"),
    "body_serial": ("EXIF BodySerialNumber",),
    "lens_serial": ("EXIF LensSerialNumber",),
    "software": ("Image Software",),
    "artist": ("Image Artist",),
    "copyright": ("Image Copyright",),
    "image_description": ("Image ImageDescription",),
    "subsec_original": ("EXIF SubSecTimeOriginal",),
}
_DATETIMES = (
    ("original", ("EXIF DateTimeOriginal", "Image DateTimeOriginal"), "EXIF OffsetTimeOriginal"),
    ("digitized", ("EXIF DateTimeDigitized",), "EXIF OffsetTimeDigitized"),
    ("modified", ("Image DateTime",), "EXIF OffsetTime"),
)
_XP = {"xp_title": "Image XPTitle", "xp_comment": "Image XPComment",
       "xp_author": "Image XPAuthor", "xp_keywords": "Image XPKeywords",
       "xp_subject": "Image XPSubject"}
_IPTC = {
    "iptc_byline": ("IPTC By-line", "XMP dc:creator"),
    "iptc_credit": ("IPTC Credit", "XMP photoshop:Credit"),
    "iptc_source": ("IPTC Source", "XMP photoshop:Source"),
    "iptc_caption": ("IPTC Caption-Abstract", "XMP dc:description"),
    "iptc_city": ("IPTC City", "XMP photoshop:City"),
    "iptc_country": ("IPTC Country-PrimaryLocationName", "XMP photoshop:Country"),
}
_XMP = {
    "xmp_creator_tool": "xmp:CreatorTool",
    "xmp_metadata_date": "xmp:MetadataDate",
    "xmp_create_date": "xmp:CreateDate",
    "xmp_date_created": "photoshop:DateCreated",
    "xmp_modify_date": "xmp:ModifyDate",
    "xmp_document_id": "xmpMM:DocumentID",
    "xmp_original_document_id": "xmpMM:OriginalDocumentID",
    "xmp_instance_id": "xmpMM:InstanceID",
}


_OTHER_EXIF = ("GPS GPSLatitude", "GPS GPSLatitudeRef", "GPS GPSLongitude", "GPS GPSLongitudeRef",
               "GPS GPSAltitude", "GPS GPSAltitudeRef", "GPS GPSTimeStamp", "GPS GPSDate",
               "GPS GPSImgDirection", "GPS GPSImgDirectionRef", "Image Orientation",
               "EXIF ExifImageWidth", "EXIF ExifImageLength", "Image ExifOffset", "Image GPSInfo",
               "Thumbnail JPEGInterchangeFormat", "Thumbnail JPEGInterchangeFormatLength")
#: The EXIF tags the normalised fields are made of: the only ones decoded (see ``_exif``).
EXIF_KEYS: frozenset[str] = frozenset(
    [k for keys in _EXIF_TEXT.values() for k in keys]
    + [k for _, keys, off in _DATETIMES for k in (*keys, off)]
    + list(_XP.values()) + list(_OTHER_EXIF))


def _exif_fields(tags: Mapping[str, Any], values: dict[str, Any], prov: dict[str, str],
                 warn: list[str]) -> None:
    for name, keys in _EXIF_TEXT.items():
        for key in keys:
            value = norm.text(tags.get(key))
            if value is not None:
                values[name], prov[name] = value, key
                break
    for suffix, keys, off_key in _DATETIMES:
        off = norm.offset(norm.text(tags.get(off_key)), off_key.split()[1], warn)
        for key in keys:
            raw = norm.text(tags.get(key))
            if raw is None:
                continue
            when = norm.exif_datetime(raw, key.split()[1], off, warn)
            if when is not None:
                values[f"datetime_{suffix}"] = when
                prov[f"datetime_{suffix}"] = (
                    f"{key}+{off_key.split()[1]}" if off
                    else f"{key} (offset unknown: no valid {off_key.split()[1]})")
            break
        if off is not None:
            values[f"offset_{suffix}"], prov[f"offset_{suffix}"] = off, off_key
    lat = norm.gps_coordinate(tags.get("GPS GPSLatitude"), norm.text(tags.get("GPS GPSLatitudeRef")),
                              "Latitude", 90.0, "S", warn)
    lon = norm.gps_coordinate(tags.get("GPS GPSLongitude"),
                              norm.text(tags.get("GPS GPSLongitudeRef")),
                              "Longitude", 180.0, "W", warn)
    if lat is not None and lon is not None:
        values["gps_latitude"], values["gps_longitude"] = lat, lon
        prov["gps_latitude"] = "GPS GPSLatitude+GPSLatitudeRef"
        prov["gps_longitude"] = "GPS GPSLongitude+GPSLongitudeRef"
        if lat == 0.0 and lon == 0.0:
            warn.append("GPS position is exactly 0,0 (often a placeholder for 'no fix')")
    alt_tag = tags.get("GPS GPSAltitude")
    if alt_tag is not None and alt_tag.values:
        alt = norm.ratio(alt_tag.values[0])
        if alt is None:
            warn.append("GPS GPSAltitude has a zero denominator; ignored")
        else:
            below = norm.integer(tags.get("GPS GPSAltitudeRef")) == 1
            values["gps_altitude"] = -alt if below else alt
            prov["gps_altitude"] = "GPS GPSAltitude+GPSAltitudeRef"
    stamp = norm.gps_timestamp(tags.get("GPS GPSTimeStamp"), norm.text(tags.get("GPS GPSDate")),
                               warn)
    if stamp is not None:
        values["gps_timestamp"], prov["gps_timestamp"] = stamp, "GPS GPSDate+GPSTimeStamp (UTC)"
    direction = tags.get("GPS GPSImgDirection")
    if direction is not None and direction.values:
        deg = norm.ratio(direction.values[0])
        if deg is not None:
            ref = norm.text(tags.get("GPS GPSImgDirectionRef")) or "?"
            values["gps_img_direction"] = deg
            prov["gps_img_direction"] = f"GPS GPSImgDirection (ref {ref}: T=true, M=magnetic)"
    for name, key in (("orientation", "Image Orientation"), ("exif_width", "EXIF ExifImageWidth"),
                      ("exif_height", "EXIF ExifImageLength")):
        number = norm.integer(tags.get(key))
        if number is not None:
            values[name], prov[name] = number, key
    for name, key in _XP.items():
        value = norm.xp_text(tags.get(key))
        if value is not None:
            values[name], prov[name] = value, f"{key} (UTF-16LE)"


def _xmp_iptc_fields(pil: PilInfo, values: dict[str, Any], prov: dict[str, str],
                     warn: list[str]) -> dict[str, str]:
    """XMP properties and IPTC-IIM datasets; IPTC fields fall back to IPTC Core in XMP.

    Returns the flattened XMP properties (for the raw dump)."""
    xmp_props: dict[str, str] = {}
    xmp_lists: dict[str, tuple[str, ...]] = {}
    if pil.xmp:
        try:
            parsed = parse_xmp(pil.xmp)
        except XmpError as err:
            warn.append(f"XMP ignored: {err}")
        else:
            xmp_props, xmp_lists = parsed.props, parsed.lists
            values["xmp_history"] = parsed.history
            if parsed.history:
                prov["xmp_history"] = "XMP xmpMM:History"
            for name, key in _XMP.items():
                if xmp_props.get(key):
                    values[name], prov[name] = xmp_props[key], f"XMP {key}"
    for name, (iim, xmp_key) in _IPTC.items():
        if pil.iptc.get(iim):
            values[name], prov[name] = "; ".join(pil.iptc[iim]), iim
        elif xmp_props.get(xmp_key[4:]):
            values[name], prov[name] = xmp_props[xmp_key[4:]], xmp_key
    if pil.iptc.get("IPTC Keywords"):
        values["iptc_keywords"], prov["iptc_keywords"] = pil.iptc["IPTC Keywords"], "IPTC Keywords"
    elif xmp_lists.get("dc:subject"):
        values["iptc_keywords"], prov["iptc_keywords"] = xmp_lists["dc:subject"], "XMP dc:subject"
    date = (pil.iptc.get("IPTC DateCreated") or ("",))[0]
    if date:
        time = (pil.iptc.get("IPTC TimeCreated") or ("",))[0] or None
        values["iptc_date_created"] = norm.iptc_date(date, time, warn)
        prov["iptc_date_created"] = "IPTC DateCreated" + ("+TimeCreated" if time else "")
    elif xmp_props.get("photoshop:DateCreated"):
        values["iptc_date_created"] = xmp_props["photoshop:DateCreated"]
        prov["iptc_date_created"] = "XMP photoshop:DateCreated"
    return xmp_props


# Tags that only describe how a TIFF stores its pixels: not metadata about the picture.
_TIFF_STRUCTURE = frozenset({
    "ImageWidth", "ImageLength", "BitsPerSample", "Compression", "PhotometricInterpretation",
    "StripOffsets", "SamplesPerPixel", "RowsPerStrip", "StripByteCounts",
    "PlanarConfiguration", "XResolution", "YResolution", "ResolutionUnit", "FillOrder",
    "TileWidth", "TileLength", "TileOffsets", "TileByteCounts", "ExtraSamples", "SampleFormat",
    "Predictor", "NewSubfileType", "SubfileType", "ColorMap", "JPEGTables", "YCbCrSubSampling",
    "YCbCrPositioning", "YCbCrCoefficients", "ReferenceBlackWhite", "Threshholding",
    "CellWidth", "CellLength", "MinSampleValue", "MaxSampleValue", "GrayResponseUnit",
    "GrayResponseCurve", "T4Options", "T6Options", "DocumentName", "PageName", "PageNumber",
    "XPosition", "YPosition",
})


def _has_exif(keys: set[str], fmt: str | None) -> bool:
    """An EXIF block with content; for TIFF files, more than the pixel-layout tags."""
    if fmt != "TIFF":
        return bool(keys)
    return any(not (key.startswith("Image ") and key[6:] in _TIFF_STRUCTURE) for key in keys)


def _raw_dump(data: EvidenceBytes, pil: PilInfo, exif: ExifResult, comment: str | None,
              xmp_props: Mapping[str, str], icc_desc: str | None) -> dict[str, str]:
    """Every tag read, printable: EXIF from a second, separately guarded exifread pass that
    decodes all tags (its own problems noted under "EXIF raw dump notes"), then XMP, IPTC,
    container text and ICC."""
    raw: dict[str, str] = {}
    full = read_exif(data, pil.exif)
    for key, tag in full.tags.items():
        raw[key] = raw_value(tag)
    if full.warnings:
        raw["EXIF raw dump notes"] = raw_value("; ".join(full.warnings))
    if comment is not None:
        raw["EXIF UserComment"] = comment
    if exif.maker_note_len is not None:
        raw["EXIF MakerNote"] = f"{exif.maker_note_len} bytes (not decoded)"
    for key, value in xmp_props.items():
        raw[f"XMP {key}"] = raw_value(value)
    for key, texts in pil.iptc.items():
        raw[key] = raw_value("; ".join(texts))
    raw.update(pil.text)
    if pil.icc:
        raw["ICC Description"] = icc_desc or f"{len(pil.icc)} bytes"
    return raw


#: Files larger than this are first checked to be images from their first bytes, so that
#: a folder's videos, archives and disk images are never read whole (nor hashed) only to be
#: reported as "not an image"; smaller files are read at once.
WHOLE_READ_CHECK_BYTES = 4 << 20
#: Images larger than this (satellite scenes, scanned maps, big TIFFs) are memory-mapped,
#: not read into memory: only the header pages are parsed and the hash goes through the
#: file in chunks, so memory does not grow with the file (and the 1 GiB limit of whole-file
#: reads does not apply). Smaller files are read at once, which is faster.
MAP_BYTES = 64 << 20


def _refuse_non_image(p: str) -> bool:
    """Raise UnsupportedFormatError, as the whole-file path would, for a file that neither
    the signature check nor Pillow takes for an image, reading only its first bytes.
    Returns True for a video (by its first bytes), False for an image."""
    try:
        with open_readonly(p) as fh:
            head = fh.read(16)
            if sniff_format(head) is not None:
                return False
            if _is_video_head(head):
                return True
            fh.seek(0)
            if pillow_identifies(fh):
                return False
    except OSError as err:
        raise UnreadableFileError(p, f"read failed: {err.strerror}") from err
    raise _not_an_image(p, head)


def _ends_with_eoi(data: EvidenceBytes, block: int = 4096) -> bool:
    """Whether the bytes end with a JPEG end-of-image marker, trailing zero bytes ignored
    (the padding some writers add), looking only at the file's end."""
    end = len(data)
    while end > 0:
        start = max(0, end - block)
        tail = data[start:end].rstrip(b"\x00")
        if tail:
            last = start + len(tail)  # just past the last non-zero byte
            return last >= 2 and data[last - 2 : last] == b"\xff\xd9"
        end = start
    return False


def _not_an_image(p: str, head: bytes) -> UnsupportedFormatError:
    """The refusal of a non-image; it quotes the first bytes only of a file inside its folder.

    A link in an evidence folder can point anywhere (``photo.jpg -> ~/.ssh/id_ed25519``); its
    target's first bytes must not end up in a scan table that is shared or exported.
    """
    if inside_own_folder(p):
        return UnsupportedFormatError(
            p, f"not an image or video format osint_kit can read (starts with {head[:8]!r})")
    return UnsupportedFormatError(
        p, "not an image or video format osint_kit can read (a link to a file outside this "
        "folder: its bytes are not quoted)")



@isolated
def read_metadata(path: str | Path, *, md5: bool = True, raw: bool = True,
                  timeout: float | None = DEFAULT_TIMEOUT) -> Any:
    """Read one image's or video's metadata without modifying or decoding it.

    A video (MP4, MOV, M4V, 3GP, MKV, WebM, AVI: told by its first bytes, not its name) gives
    a :class:`~osint_kit.media.read.video.VideoMetadata` from
    :func:`~osint_kit.media.read.video.read_video_metadata` (``md5`` and ``raw`` do not apply:
    its ``tags`` keep every tag read); anything else an :class:`ImageMetadata`. Both records
    say which they are in ``kind`` ("image" / "video"). The declared return type is ``Any``
    (an ``ImageMetadata | VideoMetadata`` at run time), so that code written for photos keeps
    type-checking; narrow with ``isinstance`` or ``kind`` where both can come.

    The file is read once into memory, or memory-mapped read-only above :data:`MAP_BYTES`
    (memory then stays flat whatever the file's size).

    ``md5=False`` leaves ``md5`` empty (MD5 of every byte costs twice SHA-256's time; scans
    skip it unless asked). ``raw=False`` skips the dump of every tag into ``raw`` (kept:
    PNG text chunks and file comments): the normalised fields are the same either way, as
    they are always decoded from the same few tags (:data:`EXIF_KEYS`).

    Raises a subclass of :class:`osint_kit.errors.EvidenceError` naming the file and the
    reason: NotAFileError, UnreadableFileError, EmptyFileError, UnsupportedFormatError,
    CorruptImageError, ImageTooLargeError. A file with no metadata at all is a normal
    result (``has_metadata`` is False).

    Isolated (:func:`osint_kit.runner.isolated`): the file is parsed in the warm worker
    process, as HEIF, AVIF and WebP headers go through C libraries (libheif, libwebp); a
    crafted file that crashes one raises WorkerCrashedError, and one that hangs raises
    ProcessingTimeoutError after ``timeout`` seconds, instead of killing or freezing the
    notebook. ``read_metadata.here(path)`` reads it in this process, with no time limit;
    scans run it in their own workers.
    """
    p = real_path(os.path.abspath(path))  # also a scan row's path of a non-UTF-8 name
    size = stat_evidence(p).st_size
    if size > WHOLE_READ_CHECK_BYTES and _refuse_non_image(p):
        return _read_video(p)
    if size > MAP_BYTES:
        with map_evidence(p) as mapped:
            return _read_bytes(p, mapped, md5, raw)
    data = read_evidence(p)
    if _is_video_head(data[:16]):
        return _read_video(p)
    return _read_bytes(p, data, md5, raw)


def _is_video_head(head: bytes) -> bool:
    """First bytes of a video container and of no image (HEIF and AVIF are images)."""
    from osint_kit.media.read.video import sniff_video  # video.py imports this module

    return sniff_format(head) is None and sniff_video(head) is not None


def _read_video(p: str) -> VideoMetadata:
    from osint_kit.media.read.video import read_video_metadata

    return read_video_metadata(p)


#: How the one note about osint_kit's own limits (not about the file) starts; the findings
#: leave it out of ``reading_problems``.
LIMITATION_NOTE = "Pillow cannot open this "


def _read_bytes(p: str, data: EvidenceBytes, md5: bool, raw: bool) -> ImageMetadata:
    """:func:`read_metadata` on the file's bytes, read or mapped."""
    sha256, md5_hex = digests(data, md5)
    sniffed = sniff_format(data)
    pil = read_pillow(p, data, sniffed, MAX_PIXELS)
    exif = read_exif(data, pil.exif, wanted=EXIF_KEYS)
    warn: list[str] = list(exif.warnings)
    if pil.format is None:
        if sniffed is None:
            raise _not_an_image(p, data[:8])
        if exif.keys:  # any EXIF entry, decoded for the record or not
            warn.append(f"{LIMITATION_NOTE}{sniffed} file ({pil.error}), so only "
                        "EXIF was read (no IPTC, XMP, ICC or pixel dimensions)")
        else:
            raise CorruptImageError(p, f"looks like {sniffed} but cannot be parsed: {pil.error}")
    elif pil.error:
        warn.append(pil.error)
    warn.extend(pil.notes)
    fmt = pil.format or sniffed
    if fmt == "JPEG" and not _ends_with_eoi(data):
        warn.append("JPEG does not end with an end-of-image marker: truncated, or data "
                    "appended after the image")
    values: dict[str, Any] = {"format": fmt, "width": pil.width, "height": pil.height}
    prov: dict[str, str] = {"format": "Pillow" if pil.format else "file signature",
                            "sha256": "file bytes"}
    if md5:
        prov["md5"] = "file bytes"
    if pil.width is not None:
        prov["width"] = prov["height"] = f"{fmt} header (Pillow)"
    _exif_fields(exif.tags, values, prov, warn)
    comment = norm.user_comment(exif.user_comment, exif.endian)
    if comment is not None:
        values["user_comment"], prov["user_comment"] = comment, "EXIF UserComment"
    xmp_props = _xmp_iptc_fields(pil, values, prov, warn)
    desc = icc_description(pil.icc) if pil.icc else None
    if pil.icc:
        values["icc_description"] = desc
        if desc:
            prov["icc_description"] = "ICC desc tag"
    if exif.thumbnail is not None:
        values["thumbnail_bytes_len"] = len(exif.thumbnail)
        values["thumbnail_offset"] = exif.thumbnail_offset
        prov["thumbnail_bytes_len"] = "EXIF IFD1 JPEGInterchangeFormatLength"
    for name in list(values):
        if values[name] is None:
            del values[name]
    return ImageMetadata(
        path=p,
        file_name=os.path.basename(p),
        file_size=len(data),
        sha256=sha256,
        md5=md5_hex,
        has_exif=_has_exif(exif.keys, fmt),
        has_iptc=bool(pil.iptc),
        has_xmp=pil.xmp is not None,
        has_icc=pil.icc is not None,
        has_maker_note=exif.maker_note_len is not None,
        has_thumbnail=exif.thumbnail is not None,
        thumbnail=exif.thumbnail,
        provenance=FrozenMap(prov),
        raw=FrozenMap(_raw_dump(data, pil, exif, comment, xmp_props, desc) if raw
                      else pil.text),
        warnings=tuple(dict.fromkeys(warn)),
        **values,
    )


def field_names() -> tuple[str, ...]:
    """Names of all dataclass fields of :class:`ImageMetadata` (for docs and tests)."""
    return tuple(f.name for f in fields(ImageMetadata))
