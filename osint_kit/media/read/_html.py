"""The notebook view of an ImageMetadata: grouped fields, thumbnail, raw tags folded away.

Every value from the file goes through :func:`osint_kit._html.esc` (via ``kv_table``). The
thumbnail is shown only after Pillow has decoded it, re-encoded as a small PNG data URI, in
the isolated worker like every other decode (displaying a record decodes nothing in the
notebook's kernel).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from osint_kit._html import data_uri, esc, kv_table
from osint_kit.errors import EvidenceError
from osint_kit.runner import isolated

if TYPE_CHECKING:
    from osint_kit.media.read.metadata import ImageMetadata

_MAX_THUMB_BYTES = 256 * 1024
_THUMB_BOX = (160, 160)
GROUPS: dict[str, tuple[str, ...]] = {
    "File": ("path", "file_size", "format", "width", "height", "sha256", "md5",
             "orientation", "exif_width", "exif_height", "icc_description"),
    "Camera": ("make", "model", "lens", "body_serial", "lens_serial", "software"),
    "Time": ("datetime_original", "offset_original", "subsec_original", "datetime_digitized",
             "offset_digitized", "datetime_modified", "offset_modified", "gps_timestamp"),
    "Place": ("gps_latitude", "gps_longitude", "gps_altitude", "gps_img_direction"),
    "Credits / IPTC": ("artist", "copyright", "image_description", "user_comment",
                       "xp_title", "xp_comment", "xp_author", "xp_keywords", "xp_subject",
                       "iptc_byline", "iptc_credit", "iptc_source", "iptc_caption",
                       "iptc_city", "iptc_country", "iptc_date_created", "iptc_keywords"),
    "XMP / edit history": ("xmp_creator_tool", "xmp_create_date", "xmp_date_created",
                           "xmp_modify_date",
                           "xmp_metadata_date", "xmp_document_id", "xmp_original_document_id",
                           "xmp_instance_id", "xmp_history"),
}


@isolated(timeout=10.0, subject=lambda *args, **kwargs: "<embedded EXIF thumbnail>")
def thumbnail_data_uri(thumb: bytes | None) -> str | None:
    """A PNG data URI of the embedded thumbnail, or None when it does not decode.

    Isolated (:func:`osint_kit.runner.isolated`): the thumbnail's bytes come from the file
    and are decoded in the warm worker."""
    if not thumb or len(thumb) > _MAX_THUMB_BYTES:
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(thumb)) as im:
            if im.width * im.height > 4096 * 4096:
                return None
            im.load()
            small = im.convert("RGB")
            small.thumbnail(_THUMB_BOX)
            buf = io.BytesIO()
            small.save(buf, "PNG")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return data_uri(buf.getvalue(), "image/png")


def _shown(meta: ImageMetadata, name: str) -> Any:
    value = getattr(meta, name)
    if isinstance(value, tuple):
        return "; ".join(value) if value else None
    if name.startswith("datetime_") and value is not None and not getattr(meta, "offset_"
                                                                          + name[9:]):
        return f"{value.isoformat(sep=' ')} (offset unknown)"
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ")
    return value


def metadata_html(meta: ImageMetadata) -> str:
    """HTML for a notebook cell; every file-derived string escaped."""
    parts = [f"<div><h3 style='margin:4px 0'>{esc(meta.file_name)}</h3>"]
    if not meta.has_metadata:
        parts.append("<p><b>No metadata at all</b> (no EXIF, IPTC, XMP or comments): a normal "
                     "result, often seen after upload to a platform that strips it.</p>")
    try:
        uri = thumbnail_data_uri(meta.thumbnail) if meta.thumbnail else None
    except EvidenceError:  # the decoder crashed or hung on it: say it does not decode
        uri = None
    if uri:
        parts.append(f"<p>Embedded EXIF thumbnail ({esc(meta.thumbnail_bytes_len)} bytes):<br>"
                     f"<img src='{esc(uri, limit=10**7)}' alt='embedded thumbnail'></p>")
    elif meta.has_thumbnail:
        parts.append("<p>Embedded thumbnail present but it does not decode.</p>")
    for group, names in GROUPS.items():
        rows = []
        for name in names:
            value = _shown(meta, name)
            if value is None or value == "":
                continue
            source = meta.provenance.get(name)
            rows.append((name, f"{value}   [{source}]" if source else value))
        if rows:
            parts.append(kv_table(rows, title=group))
    flags = [(n, getattr(meta, n)) for n in ("has_exif", "has_iptc", "has_xmp", "has_icc",
                                              "has_maker_note", "has_thumbnail")]
    parts.append(kv_table(flags, title="Blocks present"))
    if meta.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in meta.warnings)
        parts.append(f"<h4 style='margin:6px 0 2px 0'>Warnings</h4><ul>{items}</ul>")
    if meta.raw:
        parts.append(f"<details><summary>All {len(meta.raw)} raw tags</summary>"
                     f"{kv_table(sorted(meta.raw.items()))}</details>")
    parts.append("</div>")
    return "".join(parts)
