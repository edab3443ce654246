"""A JPEG header walk for the common case, giving what Pillow's JPEG plugin would give.

Opening a JPEG with Pillow costs more than decoding every EXIF tag a scan needs (Pillow also
parses the EXIF block for the resolution). For a plain JPEG, the segments before the first
scan are enough: frame size (SOF), EXIF (APP1), XMP (APP1), ICC (APP2 chunks), comment (COM).
:func:`read_jpeg_header` walks them the way ``PIL.JpegImagePlugin`` does and returns the
same values (the IPTC block, APP13 resource 0x0404, is handed to Pillow's own IIM parser);
for anything it does not handle exactly like Pillow (an APP13 it would parse differently,
multi-picture MPF, two EXIF segments, padding or junk between segments, odd frame headers,
a quantisation table Pillow would refuse, a truncated header) it returns None and the caller
opens the file with Pillow. ``tests/images/test_metadata_jpeg_walk.py`` checks the two agree.

:func:`iter_segments` is the kit's one JPEG marker walk: the header reader here, the segment
list of :func:`osint_kit.media.forensics.quality.jpeg_segments` and the APP11 search of
:mod:`osint_kit.media.forensics.c2pa` all step through the file with it, each deciding what
an irregular marker means for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from osint_kit._io import EvidenceBytes

_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF,
                  0xDE})
#: Segments Pillow reads and skips (APPn other than the ones handled, DHT, DRI, ...).
_SKIP = frozenset({0xC4, 0xCC, 0xDC, 0xDD, 0xDF, *range(0xE0, 0xF0)})
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
#: Markers without a length field: RST0-RST7 and TEM.
STANDALONE = frozenset({*range(0xD0, 0xD8), 0x01})
#: A fill byte (0xFF before a marker).
FILL = 0xFF
#: Start of scan (the header ends) and end of image.
SOS, EOI = 0xDA, 0xD9


def iter_segments(data: EvidenceBytes) -> Iterator[tuple[int, int, int]]:
    """``(marker, offset, end)`` of each marker after SOI, up to and with SOS or EOI.

    ``offset`` is where the marker's 0xFF stands; the segment's body is ``data[offset + 4 :
    end]``. A fill byte comes as ``(0xFF, offset, offset + 1)``, a marker without length
    (:data:`STANDALONE`) and EOI as ``(marker, offset, offset + 2)``; SOS ends the walk
    with ``end`` past its own header. ``end`` may lie beyond ``data`` (a truncated segment:
    the last one given). The walk also stops where no marker stands, at a length below 2,
    and where fewer than 4 bytes are left, so every step moves forward and crafted bytes
    cannot loop it. The caller checks SOI.
    """
    pos, n = 2, len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            return
        marker = data[pos + 1]
        if marker == FILL:
            yield marker, pos, pos + 1
            pos += 1
            continue
        if marker in STANDALONE or marker == EOI:
            yield marker, pos, pos + 2
            if marker == EOI:
                return
            pos += 2
            continue
        length = (data[pos + 2] << 8) | data[pos + 3]
        if length < 2:
            return
        end = pos + 2 + length
        yield marker, pos, end
        if marker == SOS or end > n:
            return
        pos = end


@dataclass
class JpegHeader:
    """The values read_pillow takes from a JPEG opened by Pillow."""

    width: int
    height: int
    exif: bytes | None
    xmp: bytes | None
    icc: bytes | None
    comment: bytes | None
    #: the IPTC-IIM bytes (Photoshop resource 0x0404), None when there is none
    iptc: bytes | None = None


def _dqt_ok(seg: bytes) -> bool:
    """Pillow's DQT checks: each table complete, 64 entries."""
    pos = 0
    while pos < len(seg):
        size = 1 + (64 if seg[pos] < 16 else 128)
        if len(seg) - pos < size:
            return False
        pos += size
    return True


def _photoshop_resources(seg: bytes, out: dict[int, bytes]) -> bool:
    """Pillow's APP13 "8BIM" resource loop; False where Pillow would stop on an error."""
    pos, n = 14, len(seg)
    while seg[pos : pos + 4] == b"8BIM":
        pos += 4
        if pos + 3 > n:
            return False
        code = (seg[pos] << 8) | seg[pos + 1]
        pos += 3 + seg[pos + 2]
        pos += pos & 1
        if pos + 4 > n:
            return False
        size = int.from_bytes(seg[pos : pos + 4], "big")
        pos += 4
        data = seg[pos : pos + size]
        if code == 0x03ED and len(data) < 14:
            return False  # Pillow decodes ResolutionInfo and stops on a short one
        out[code] = data
        pos += size
        pos += pos & 1
    return True


def read_jpeg_header(data: EvidenceBytes) -> JpegHeader | None:
    """The frame size and metadata segments of a plain JPEG, or None (then use Pillow)."""
    if data[:3] != b"\xff\xd8\xff":
        return None
    n = len(data)
    exif = xmp = comment = None
    photoshop: dict[int, bytes] = {}
    icc_chunks: list[bytes] = []
    icc: bytes | None = None
    size: tuple[int, int] | None = None
    for marker, pos, end in iter_segments(data):
        if end > n or end - pos < 4:  # truncated; or a fill byte, RSTn, TEM, EOI (no length)
            return None  # Pillow's own handling
        if marker == SOS:  # start of scan: the header is over
            break
        seg = data[pos + 4 : end]
        if marker == 0xE1 and seg.startswith(b"Exif\x00\x00"):
            if exif is not None:
                return None  # Pillow joins several EXIF segments; leave that to it
            exif = seg
        elif marker == 0xE1 and seg.startswith(_XMP):
            xmp = seg.split(b"\x00", 1)[1]
        elif marker == 0xE2 and seg.startswith(b"ICC_PROFILE\x00"):
            if size is not None:
                return None  # after the frame header Pillow no longer assembles ICC chunks
            icc_chunks.append(seg)
        elif marker == 0xE2 and seg.startswith(b"MPF\x00"):
            return None  # multi-picture (MPO): Pillow's own handling
        elif marker == 0xED and seg.startswith(b"Photoshop 3.0\x00"):
            if not _photoshop_resources(seg, photoshop):
                return None
        elif marker == 0xFE:
            comment = seg
        elif marker == 0xDB:
            if not _dqt_ok(seg):
                return None
        elif marker in _SOF:
            if size is not None or len(seg) < 6 or seg[0] != 8 or seg[5] not in (1, 3, 4):
                return None
            size = ((seg[3] << 8) | seg[4], (seg[1] << 8) | seg[2])
            if icc_chunks:
                icc_chunks.sort()
                if len(icc_chunks[0]) < 14:
                    return None
                icc = (b"".join(c[14:] for c in icc_chunks)
                       if icc_chunks[0][13] == len(icc_chunks) else None)
        elif marker not in _SKIP:
            return None
    else:
        return None  # the walk stopped before the start of scan (junk, bad length, the end)
    if size is None:
        return None
    return JpegHeader(size[0], size[1], exif, xmp or None, icc or None, comment,
                      photoshop.get(0x0404) if photoshop else None)
