"""The stable column set of a metadata scan (one row per file), documented once.

``ImageMetadata.to_record()`` returns exactly these keys; ``scan()`` builds its DataFrame with
these columns in this order. Files that could not be read get a row with ``path``,
``file_name``, ``error`` and ``error_type`` filled and everything else empty
(see :func:`error_record`).

Datetime columns: ``datetime_original``, ``datetime_digitized`` and ``datetime_modified`` are
ISO 8601 *strings* exactly as the camera meant them: with the offset (``...T10:30:00+05:30``)
when an OffsetTime* tag exists, without one (local time, offset unknown) otherwise; the
matching ``offset_*`` column is then empty. ``datetime_original_utc`` is a timezone-aware UTC
datetime only when the offset is known, never guessed. ``gps_timestamp`` is an aware UTC
datetime (GPS time is UTC by definition).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

COLUMN_DOCS: dict[str, str] = {
    "path": "absolute path of the file as given to the scan",
    "file_name": "base name of the file",
    "file_size": "size in bytes",
    "sha256": "SHA-256 of the file bytes (hex)",
    "md5": "MD5 of the file bytes (hex), for matching published hash lists; empty in scans unless md5=True",
    "format": "container format found by Pillow or the file signature: JPEG, PNG, TIFF, WEBP, HEIF...",
    "width": "pixel width declared by the image header (pixels are never decoded)",
    "height": "pixel height declared by the image header",
    "make": "camera maker (EXIF Make)",
    "model": "camera model (EXIF Model)",
    "lens": "lens model (EXIF LensModel, or LensMake)",
    "body_serial": "camera body serial number (EXIF BodySerialNumber)",
    "lens_serial": "lens serial number (EXIF LensSerialNumber)",
    "software": "software that wrote the file (EXIF Software)",
    "datetime_original": "capture time, ISO 8601 string, with offset only when OffsetTimeOriginal exists",
    "datetime_digitized": "digitisation time (EXIF DateTimeDigitized), ISO 8601 string",
    "datetime_modified": "file change time written by the device or editor (EXIF DateTime), ISO 8601",
    "datetime_original_utc": "capture time in UTC (aware datetime) only when the offset is known",
    "offset_original": "UTC offset of the capture time ('+05:30'); empty = offset unknown",
    "offset_digitized": "UTC offset of the digitisation time; empty = offset unknown",
    "offset_modified": "UTC offset of EXIF DateTime (OffsetTime); empty = offset unknown",
    "subsec_original": "sub-second digits of the capture time (SubSecTimeOriginal)",
    "gps_latitude": "latitude in decimal degrees, negative = south (from GPSLatitude + Ref)",
    "gps_longitude": "longitude in decimal degrees, negative = west (from GPSLongitude + Ref)",
    "gps_altitude": "altitude in metres, negative = below sea level (GPSAltitudeRef = 1)",
    "gps_timestamp": "GPS fix time, aware UTC datetime (GPSDateStamp + GPSTimeStamp)",
    "gps_img_direction": "direction the camera pointed, degrees (GPSImgDirection)",
    "orientation": "EXIF Orientation code 1-8",
    "exif_width": "EXIF ExifImageWidth (PixelXDimension); may differ from width after editing",
    "exif_height": "EXIF ExifImageLength (PixelYDimension)",
    "artist": "EXIF Artist",
    "copyright": "EXIF Copyright",
    "image_description": "EXIF ImageDescription",
    "user_comment": "EXIF UserComment (charset header decoded)",
    "xp_title": "Windows XPTitle (UTF-16LE decoded)",
    "xp_comment": "Windows XPComment",
    "xp_author": "Windows XPAuthor",
    "xp_keywords": "Windows XPKeywords",
    "xp_subject": "Windows XPSubject",
    "iptc_byline": "IPTC By-line (2:80), or XMP dc:creator when there is no IIM block",
    "iptc_credit": "IPTC Credit (2:110), or XMP photoshop:Credit",
    "iptc_source": "IPTC Source (2:115), or XMP photoshop:Source",
    "iptc_caption": "IPTC Caption-Abstract (2:120), or XMP dc:description",
    "iptc_city": "IPTC City (2:90), or XMP photoshop:City",
    "iptc_country": "IPTC Country-PrimaryLocationName (2:101), or XMP photoshop:Country",
    "iptc_date_created": "IPTC DateCreated (2:55) [+ TimeCreated], as written (CCYYMMDD[ HHMMSS±HHMM])",
    "iptc_keywords": "IPTC Keywords (2:25) or XMP dc:subject, joined with '; '",
    "xmp_creator_tool": "XMP xmp:CreatorTool",
    "xmp_metadata_date": "XMP xmp:MetadataDate (as written)",
    "xmp_create_date": "XMP xmp:CreateDate (as written)",
    "xmp_date_created": "XMP photoshop:DateCreated (as written): when the picture was taken, per IPTC Core",
    "xmp_modify_date": "XMP xmp:ModifyDate (as written)",
    "xmp_document_id": "XMP xmpMM:DocumentID",
    "xmp_original_document_id": "XMP xmpMM:OriginalDocumentID",
    "xmp_instance_id": "XMP xmpMM:InstanceID",
    "xmp_history": "XMP xmpMM:History steps 'action | softwareAgent | when | changed', joined '; '",
    "has_exif": "an EXIF block was found",
    "has_iptc": "an IPTC-IIM block was found",
    "has_xmp": "an XMP packet was found",
    "has_icc": "an ICC colour profile is embedded",
    "has_maker_note": "the EXIF block carries a MakerNote (vendor data)",
    "has_thumbnail": "an embedded EXIF (IFD1) JPEG thumbnail exists",
    "thumbnail_bytes_len": "size of the embedded thumbnail in bytes",
    "thumbnail_offset": "absolute byte offset of the embedded thumbnail in the file",
    "icc_description": "the ICC profile's description tag",
    "has_metadata": "False = no EXIF, IPTC or XMP at all (a normal, explicit result)",
    "provenance": "JSON object: field -> tag(s) it came from",
    "warnings": "non-fatal parse problems, joined with '; '",
    "error": "why the file could not be read (empty when it was read)",
    "error_type": "exception class name of the error (empty when the file was read)",
}

SCAN_COLUMNS: tuple[str, ...] = tuple(COLUMN_DOCS)

#: Columns holding aware UTC datetimes (None where unknown).
DATETIME_COLUMNS: tuple[str, ...] = ("datetime_original_utc", "gps_timestamp")
#: Boolean columns.
BOOL_COLUMNS: tuple[str, ...] = tuple(c for c in SCAN_COLUMNS if c.startswith("has_"))
#: Numeric columns (nullable).
INT_COLUMNS: tuple[str, ...] = (
    "file_size", "width", "height", "orientation", "exif_width", "exif_height",
    "thumbnail_bytes_len", "thumbnail_offset",
)
FLOAT_COLUMNS: tuple[str, ...] = (
    "gps_latitude", "gps_longitude", "gps_altitude", "gps_img_direction",
)


def error_record(path: str | Path, error: BaseException | str, error_type: str | None = None
                 ) -> dict[str, Any]:
    """A scan row for a file that could not be read: every column present, data empty."""
    row: dict[str, Any] = dict.fromkeys(SCAN_COLUMNS)
    row["path"] = str(path)
    row["file_name"] = Path(path).name
    if isinstance(error, BaseException):
        row["error"] = str(error)
        row["error_type"] = error_type or type(error).__name__
    else:
        row["error"] = error
        row["error_type"] = error_type or "Error"
    return row


def check_record(record: Mapping[str, Any]) -> None:
    """Raise ValueError when a record's keys are not exactly SCAN_COLUMNS (boundary check)."""
    keys = tuple(record)
    if keys != SCAN_COLUMNS:
        missing = sorted(set(SCAN_COLUMNS) - set(keys))
        extra = sorted(set(keys) - set(SCAN_COLUMNS))
        raise ValueError(f"record does not follow SCAN_COLUMNS: missing {missing}, extra {extra}")
