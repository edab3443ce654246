"""Facts that need the file itself (quantisation tables, JPEG segments, the embedded thumbnail,
a C2PA manifest, whether the pixels decode), read once for all the rules."""

from __future__ import annotations

import logging
import os
import warnings
from typing import TYPE_CHECKING

from osint_kit._io import read_evidence_head
from osint_kit.errors import EvidenceError, ImageTooLargeError
from osint_kit.media.forensics.model import FileFacts

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


HEAD_BYTES = 64 << 20
#: at most this many distinct decoder warnings are kept per file
MAX_DECODER_WARNINGS = 5


def read_file_facts(path: str, thumbnail: bytes | None, fmt: str | None, read_c2pa: bool) -> FileFacts:
    """What the file itself shows; Pillow's warnings while decoding become evidence (for
    :func:`rule_reading_problems`) instead of text printed under the notebook cell."""
    from PIL import Image

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ff = _decoded_facts(path, thumbnail, fmt, read_c2pa)
    notes: dict[str, None] = {}
    for w in caught:
        if (issubclass(w.category, UserWarning)
                and not issubclass(w.category, Image.DecompressionBombWarning)
                and f"{os.sep}PIL{os.sep}" in w.filename):  # what Pillow says about the file
            notes[str(w.message).strip()] = None
        else:  # anything else (deprecations, numpy) goes on to the caller as usual
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    ff.decoder_warnings = tuple(n for n in notes if n)[:MAX_DECODER_WARNINGS]
    return ff


def _decoded_facts(path: str, thumbnail: bytes | None, fmt: str | None,
                   read_c2pa: bool) -> FileFacts:
    from osint_kit.media.forensics.c2pa import detect_c2pa, read_manifest
    from osint_kit.media.forensics.quality import (
        estimate_quality,
        jpeg_segments,
        quantization_tables,
    )
    from osint_kit.media.forensics.thumbnail import compare_thumbnail, extract_thumbnail
    from osint_kit.media.similar.hashes import load_for_hash, open_image_safely

    ff = FileFacts()
    head = read_evidence_head(path, HEAD_BYTES)
    det = detect_c2pa(head)
    if det.found and read_c2pa:
        # from the file, not from ``head``: the manifest's hashes cover the whole file, and a
        # file longer than the head would be reported as altered (assertion.dataHash.mismatch)
        manifest, error = read_manifest(path)
        det = type(det)(det.found, det.container, det.offset, det.length, det.labels, manifest, error)
    ff.c2pa = det
    is_jpeg = head[:2] == b"\xff\xd8"
    if is_jpeg:
        ff.segments = tuple(jpeg_segments(head))
        try:
            with open_image_safely(path) as im:
                if tables := quantization_tables(im):
                    ff.quality = estimate_quality(tables)
        except EvidenceError as err:
            ff.decode_error, ff.too_large = err.reason, isinstance(err, ImageTooLargeError)
    try:
        load_for_hash(path, exact=False, transpose=False)
    except EvidenceError as err:
        ff.decode_error, ff.too_large = err.reason, isinstance(err, ImageTooLargeError)
    if ff.decode_error is None:
        try:
            blob = thumbnail if thumbnail is not None else extract_thumbnail(path)
            if blob:
                ff.thumbnail = compare_thumbnail(path, blob)
        except EvidenceError as err:
            ff.thumbnail_error = err.reason
    return ff

