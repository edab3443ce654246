"""Container-level reading through Pillow (and pillow-heif): format, size, XMP, ICC, IPTC.

Images are opened lazily from in-memory bytes; no pixel is decoded. A declared size above the
caller's pixel limit is noted (:func:`too_large_note`), not refused: the header is all that is
read, and a 200-megapixel phone photo is as large as many decompression bombs. Only a file
that Pillow itself refuses to open for its size raises
:class:`~osint_kit.errors.ImageTooLargeError`.
"""

from __future__ import annotations

import contextlib
import io
import struct
import warnings as _warnings
from dataclasses import dataclass, field
from typing import BinaryIO

from osint_kit._io import EvidenceBytes, as_file
from osint_kit.errors import ImageTooLargeError
from osint_kit.media.read._exif import raw_value
from osint_kit.media.read._iptc import decode_iptc
from osint_kit.media.read._jpeg import read_jpeg_header

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2"}


def sniff_format(data: EvidenceBytes) -> str | None:
    """Container format from the leading bytes (independent of the file name)."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in _HEIF_BRANDS:
            return "HEIF"
        return None
    if data[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n" or data[:2] == b"\xff\x0a":
        return "JXL"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:2] == b"BM":
        return "BMP"
    return None


def pillow_identifies(fh: BinaryIO) -> bool:
    """Whether Pillow takes the file for an image, reading only what its plugins ask for
    from ``fh`` (a read-only handle): the same decision :func:`read_pillow` makes from the
    whole file's bytes, without loading them. A file Pillow refuses as too large counts as
    identified (the whole-file read reports it)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")
            with Image.open(fh):
                return True
    except Image.DecompressionBombError:
        return True
    except (UnidentifiedImageError, *_PIL_ERRORS):
        return False


#: Sniffed containers whose Pillow plugin has the same name: only that plugin is tried.
_OWN_PLUGIN = frozenset({"JPEG", "PNG", "TIFF", "WEBP", "GIF", "BMP"})

_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


# exceptions Pillow raises on broken headers (lazy open decodes no pixels)
_PIL_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError,
               struct.error, ZeroDivisionError, RecursionError,
               RuntimeError)  # Pillow's AVIF decoder and pillow-heif raise RuntimeError


@dataclass
class PilInfo:
    """What Pillow found in the container (all optional)."""

    format: str | None = None
    width: int | None = None
    height: int | None = None
    xmp: bytes | None = None
    icc: bytes | None = None
    iptc: dict[str, tuple[str, ...]] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    exif: bytes | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def _read_heif(data: EvidenceBytes) -> PilInfo:
    """HEIF/AVIF through pillow-heif's container API, not its Pillow plugin: the plugin
    rewrites the EXIF Orientation to 1 (and strips XMP orientation) in the copy it exposes,
    and evidence must be reported as stored. Nothing is decoded (``open_heif`` is lazy)."""
    from pillow_heif import open_heif

    out = PilInfo()
    try:
        heif = open_heif(as_file(data))
        primary = heif[heif.primary_index]
        info = primary.info
        out.width, out.height = primary.size
    except (ValueError, RuntimeError, SyntaxError, OSError, EOFError, TypeError, IndexError,
            KeyError) as err:
        out.error = f"pillow-heif cannot parse it: {err}"
        return out
    out.format = "AVIF" if "avif" in heif.mimetype else "HEIF"
    for key, attr in (("exif", "exif"), ("xmp", "xmp"), ("icc_profile", "icc")):
        value = info.get(key)
        if isinstance(value, (bytes, bytearray)) and value:
            setattr(out, attr, bytes(value))
    return out


def _iim(data: bytes) -> dict[tuple[int, int], bytes | list[bytes]]:
    """IPTC-IIM datasets parsed by Pillow's IPTC plugin, as ``getiptcinfo`` does it (an
    IptcImageFile that is never opened as a file, reading the block from memory)."""
    from PIL import IptcImagePlugin

    iim = object.__new__(IptcImagePlugin.IptcImageFile)
    iim.info = {}
    iim.fp = io.BytesIO(data)
    with contextlib.suppress(IndexError, KeyError):  # how Pillow's own parse ends on most
        iim._open()
    return {k: v for k, v in iim.info.items() if isinstance(k, tuple)}


#: How the note on a declared size above the pixel limit starts (findings look for it).
TOO_LARGE_NOTE = "declares more pixels than the decoding limit: "


def too_large_note(width: int, height: int, max_pixels: int) -> str | None:
    """The note for a declared size above ``max_pixels`` (None when within it)."""
    if width * height <= max_pixels:
        return None
    # no "; " inside: a scan row joins a file's notes with it
    return (f"{TOO_LARGE_NOTE}{width}x{height} = {width * height:,} pixels, limit "
            f"{max_pixels:,}. The metadata was read, but functions that decode pixels (hashes, "
            "ELA, thumbnail comparison) refuse it. A 200-megapixel phone photo is this large, "
            "and so is a decompression bomb")


def _read_plain_jpeg(data: EvidenceBytes, max_pixels: int) -> PilInfo | None:
    """A plain JPEG's header without Pillow (same values, see ``_jpeg``); None otherwise."""
    head = read_jpeg_header(data)
    if head is None:
        return None
    out = PilInfo(format="JPEG", width=head.width, height=head.height, xmp=head.xmp,
                  icc=head.icc, exif=head.exif)
    if note := too_large_note(head.width, head.height, max_pixels):
        out.notes.append(note)
    if head.iptc is not None:
        try:
            iptc = _iim(head.iptc)
        except _PIL_ERRORS as err:
            iptc = None
            out.error = f"IPTC block unreadable: {err}"
        if iptc:
            out.iptc = decode_iptc(iptc)
    if head.comment:
        out.text["File Comment"] = raw_value(head.comment.decode("utf-8", errors="replace"))
    return out


def read_pillow(path: str, data: EvidenceBytes, sniffed: str | None, max_pixels: int) -> PilInfo:
    """Header-only read through Pillow (pillow-heif for HEIF/AVIF); never decodes pixels."""
    from PIL import Image, IptcImagePlugin, UnidentifiedImageError

    if sniffed in ("HEIF", "AVIF"):
        heif = _read_heif(data)
        if heif.format is not None:
            if heif.width and heif.height and (
                    note := too_large_note(heif.width, heif.height, max_pixels)):
                heif.notes.append(note)
            return heif
    if sniffed == "JPEG":
        fast = _read_plain_jpeg(data, max_pixels)
        if fast is not None:
            return fast
    if sniffed in ("HEIF", "AVIF"):
        _register_heif()
    out = PilInfo()
    try:
        with _warnings.catch_warnings(record=True) as caught:
            _warnings.simplefilter("always")
            # the sniffed plugin first (skips probing the others), every plugin otherwise
            im = Image.open(as_file(data), formats=[sniffed] if sniffed in _OWN_PLUGIN else None)
        notes = {str(w.message) for w in caught
                 if not issubclass(w.category, Image.DecompressionBombWarning)}
        if notes:
            more = f" (+{len(notes) - 3} more)" if len(notes) > 3 else ""
            out.notes.append("Pillow: " + "; ".join(sorted(notes)[:3]) + more)
    except Image.DecompressionBombError as err:
        raise ImageTooLargeError(path, f"declared pixel count refused: {err}") from err
    except UnidentifiedImageError:
        out.error = "Pillow cannot identify the image"
        return out
    except _PIL_ERRORS as err:
        out.error = f"{type(err).__name__}: {err}"
        return out
    with im:
        width, height = im.size
        if note := too_large_note(width, height, max_pixels):
            out.notes.append(note)
        out.format = "HEIF" if im.format in ("HEIF", "HEIC") else im.format
        if out.format == "MPO":  # a JPEG carrying extra images (multi-picture format)
            out.format = "JPEG"
            out.text["File Multi-Picture"] = f"MPO: {getattr(im, 'n_frames', '?')} images"
        out.width, out.height = width, height
        if out.format == "TIFF":  # Pillow swaps the size for orientations 5-8; keep the header's
            tags = getattr(im, "tag_v2", {})
            out.width, out.height = tags.get(256, width), tags.get(257, height)
        info = im.info
        xmp = info.get("xmp") or info.get("XML:com.adobe.xmp")
        if xmp is None and out.format == "TIFF":
            xmp = getattr(im, "tag_v2", {}).get(700)
        if isinstance(xmp, str):
            xmp = xmp.encode("utf-8")
        out.xmp = bytes(xmp) if xmp else None
        exif = info.get("exif")
        if isinstance(exif, (bytes, bytearray)) and out.format != "TIFF":
            out.exif = bytes(exif)
        icc = info.get("icc_profile")
        out.icc = bytes(icc) if icc else None
        if out.format in ("JPEG", "TIFF", "MPO"):
            try:
                iptc = IptcImagePlugin.getiptcinfo(im)
            except _PIL_ERRORS as err:
                iptc = None
                out.error = f"IPTC block unreadable: {err}"
            if iptc:
                out.iptc = decode_iptc(iptc)
        comment = info.get("comment")
        if isinstance(comment, bytes):
            comment = comment.decode("utf-8", errors="replace")
        if comment:
            out.text["File Comment"] = raw_value(str(comment))
        if out.format == "PNG":
            for key, value in info.items():
                if isinstance(key, str) and isinstance(value, str) and key != "XML:com.adobe.xmp":
                    out.text[f"PNG {key}"] = raw_value(value)
    return out
