"""The stable column set of a metadata scan (one row per file), documented once.

``ImageMetadata.to_record()`` returns exactly these keys; ``scan()`` builds its DataFrame with
these columns in this order. Photos and videos share one table: ``kind`` says which a row is
("image" or "video"); the columns of the other kind stay empty, and the columns both have
(size, camera, GPS, software, XMP, provenance, warnings) mean the same for both
(:data:`VIDEO_COLUMNS` are the video-only ones). Files that could not be read get a row with
``path``, ``file_name``, ``error`` and ``error_type`` filled and everything else empty
(see :func:`error_record`).

Datetime columns: ``datetime_original``, ``datetime_digitized`` and ``datetime_modified`` are
ISO 8601 *strings* exactly as the camera meant them: with the offset (``...T10:30:00+05:30``)
when an OffsetTime* tag exists, without one (local time, offset unknown) otherwise; the
matching ``offset_*`` column is then empty. ``datetime_original_utc`` is a timezone-aware UTC
datetime only when the offset is known, never guessed. ``gps_timestamp`` is an aware UTC
datetime (GPS time is UTC by definition). Videos: ``created_utc`` and ``modified_utc`` are aware
UTC datetimes whose reading of the container's clock is stated in ``created_assumption``;
``created_local`` is an ISO 8601 string with the offset the device wrote.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

COLUMN_DOCS: dict[str, str] = {
    "path": "absolute path of the file as given to the scan",
    "file_name": "base name of the file",
    "file_size": "size in bytes",
    "kind": "'image' or 'video', from the file's content (not its name); on error rows, what the first bytes look like (empty when neither)",
    "sha256": "SHA-256 of the file bytes (hex)",
    "md5": "MD5 of the file bytes (hex), for matching published hash lists; empty in scans unless md5=True",
    "format": "container format found by Pillow or the file signature: JPEG, PNG, TIFF, WEBP, HEIF...; videos: MP4, MOV, M4V, 3GP, MKV, WEBM, AVI",
    "width": "pixel width declared by the image header (pixels are never decoded); videos: stored frame width, before rotation",
    "height": "pixel height declared by the image header; videos: stored frame height",
    "make": "camera maker (EXIF Make; videos: QuickTime/Android keys, udta, XMP; see provenance)",
    "model": "camera model (EXIF Model; videos: as make)",
    "lens": "lens model (EXIF LensModel, or LensMake)",
    "body_serial": "camera body serial number (EXIF BodySerialNumber)",
    "lens_serial": "lens serial number (EXIF LensSerialNumber)",
    "software": "software that wrote the file (EXIF Software; videos: the device's software or firmware tag)",
    "datetime_original": "capture time, ISO 8601 string, with offset only when OffsetTimeOriginal exists",
    "datetime_digitized": "digitisation time (EXIF DateTimeDigitized), ISO 8601 string",
    "datetime_modified": "file change time written by the device or editor (EXIF DateTime), ISO 8601",
    "datetime_original_utc": "capture time in UTC (aware datetime) only when the offset is known",
    "offset_original": "UTC offset of the capture time ('+05:30'); empty = offset unknown",
    "offset_digitized": "UTC offset of the digitisation time; empty = offset unknown",
    "offset_modified": "UTC offset of EXIF DateTime (OffsetTime); empty = offset unknown",
    "subsec_original": "sub-second digits of the capture time (SubSecTimeOriginal)",
    "gps_latitude": "latitude in decimal degrees, negative = south (from GPSLatitude + Ref; videos: ISO 6709 ©xyz / location key, or XMP)",
    "gps_longitude": "longitude in decimal degrees, negative = west (from GPSLongitude + Ref; videos: as latitude)",
    "gps_altitude": "altitude in metres, negative = below sea level (GPSAltitudeRef = 1; videos: ISO 6709)",
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
    "has_xmp": "an XMP packet was found (videos: in a uuid or udta box)",
    "has_icc": "an ICC colour profile is embedded",
    "has_maker_note": "the EXIF block carries a MakerNote (vendor data)",
    "has_thumbnail": "an embedded EXIF (IFD1) JPEG thumbnail exists",
    "thumbnail_bytes_len": "size of the embedded thumbnail in bytes",
    "thumbnail_offset": "absolute byte offset of the embedded thumbnail in the file",
    "icc_description": "the ICC profile's description tag",
    "container": "video: container family (mp4, quicktime, m4v, 3gp, matroska, webm, avi)",
    "brand": "video: ftyp major brand (isom, qt  , 3gp4...) of the QuickTime family",
    "video_codec": "video: codec of the first video track (h264, hevc, vp9, mpeg4...)",
    "audio_codec": "video: codec of the first audio track (aac, opus, mp3...)",
    "display_width": "video: width as players show it, after the rotation",
    "display_height": "video: height as players show it, after the rotation",
    "rotation": "video: display rotation in degrees clockwise (0, 90, 180, 270), from the track matrix or a rotate tag",
    "fps": "video: frames per second of the video track (average)",
    "frame_count": "video: frames in the video track, as the container declares them",
    "duration_s": "video: container (movie header) duration in seconds",
    "stream_duration_s": "video: video track duration in seconds (compare with duration_s)",
    "created_raw": "video: the creation time as stored (e.g. mvhd seconds since 1904, or the tag text)",
    "created_utc": "video: creation time, aware UTC datetime, read as created_assumption says",
    "created_assumption": "video: what created_utc rests on (UTC by the standard, local time written as UTC, an offset from the device's own date...)",
    "created_local": "video: the device's local creation time with its offset (Apple creationdate...), ISO 8601 string",
    "modified_utc": "video: modification time from the movie header, aware UTC datetime",
    "encoder": "video: encoding program tag (©too, encoder: Lavf, HandBrake, CapCut...)",
    "edit_list": "video: the video track's edit list as JSON [[segment seconds, media start seconds or null for an empty edit], ...]",
    "handlers": "video: track handler names or stream types, joined with '; '",
    "has_metadata": "False = no EXIF, IPTC or XMP at all (a normal, explicit result); videos: False = no creation time, make, model, GPS or XMP (an encoder tag alone does not count)",
    "provenance": "JSON object: field -> tag(s) it came from",
    "warnings": "non-fatal parse problems, joined with '; '",
    "error": "why the file could not be read (empty when it was read)",
    "error_type": "exception class name of the error (empty when the file was read)",
}

SCAN_COLUMNS: tuple[str, ...] = tuple(COLUMN_DOCS)

#: Columns holding aware UTC datetimes (None where unknown).
DATETIME_COLUMNS: tuple[str, ...] = ("datetime_original_utc", "gps_timestamp", "created_utc",
                                     "modified_utc")
#: Boolean columns.
BOOL_COLUMNS: tuple[str, ...] = tuple(c for c in SCAN_COLUMNS if c.startswith("has_"))
#: Numeric columns (nullable).
INT_COLUMNS: tuple[str, ...] = (
    "file_size", "width", "height", "orientation", "exif_width", "exif_height",
    "thumbnail_bytes_len", "thumbnail_offset", "display_width", "display_height", "rotation",
    "frame_count",
)
FLOAT_COLUMNS: tuple[str, ...] = (
    "gps_latitude", "gps_longitude", "gps_altitude", "gps_img_direction", "fps", "duration_s",
    "stream_duration_s",
)
#: Columns only videos fill (empty on photo rows).
VIDEO_COLUMNS: tuple[str, ...] = tuple(
    c for c in SCAN_COLUMNS if COLUMN_DOCS[c].startswith("video: "))


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
