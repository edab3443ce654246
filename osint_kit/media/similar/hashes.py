"""Cryptographic and perceptual hashes of image files.

* Cryptographic hashes (SHA-256, MD5) identify *the same bytes*: use them to match published
  hash lists or to prove a file is unchanged.
* Perceptual hashes (pHash, dHash from ``imagehash``) identify *the same picture* after
  re-encoding, resizing or a slight crop: use them to find copies (see
  :mod:`osint_kit.media.similar.duplicates`).

Fast path: decoding a full camera JPEG is the expensive part, yet pHash only looks at a
32x32 thumbnail. ``Image.draft("L", (n, n))`` asks libjpeg to decode straight to greyscale at
1/2, 1/4 or 1/8 scale (DCT scaling), which skips most of the work. The hash can move by a
bit or two compared with a full decode (measured in docs/forensics.md); pass ``exact=True``
to decode fully. Files that are not JPEG are always decoded fully.

Hostile files never crash a batch: ``perceptual_hashes`` runs the files through the batch
engine (:func:`osint_kit.runner.engine.map_files`, the one behind ``scan``): worker processes
(or Dask), a per-file time limit, and failures recorded in the ``error`` / ``error_type``
columns.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osint_kit._io import printable_text, real_path, stat_evidence
from osint_kit.errors import (
    CorruptImageError,
    EvidenceError,
    ImageTooLargeError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from osint_kit.runner import DEFAULT_TIMEOUT, isolated

if TYPE_CHECKING:
    import pandas as pd
    from PIL import Image as PILImage

log = logging.getLogger(__name__)

#: Refuse images whose header declares more pixels than this (about 179 megapixels: twice
#: Pillow's warning level, above every camera sensor sold today).
MAX_PIXELS = 178_956_970

#: Size (pixels per side, at least) requested from the JPEG decoder in fast mode. pHash
#: resizes to 32x32; decoding at >= 64 keeps the Lanczos resize meaningful.
DRAFT_SIZE = 64

#: Columns of :func:`perceptual_hashes`.
HASH_COLUMNS: tuple[str, ...] = (
    "path",
    "phash",
    "dhash",
    "sha256",
    "md5",
    "width",
    "height",
    "decoded_width",
    "decoded_height",
    "hash_mode",
    "error",
    "error_type",
)

#: Exceptions Pillow and its plugins raise on malformed files; mapped to CorruptImageError.
_PIL_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
)

_HEIF_REGISTERED = False


def _ensure_heif() -> None:
    """Let Pillow open HEIC/HEIF/AVIF through pillow-heif (a dependency), once."""
    global _HEIF_REGISTERED
    if _HEIF_REGISTERED:
        return
    _HEIF_REGISTERED = True
    import pillow_heif

    pillow_heif.register_heif_opener()


def crypto_hashes(path: str | Path, chunk: int = 1 << 20) -> dict[str, str]:
    """SHA-256 and MD5 of a file, streamed read-only in one pass (flat memory)."""
    stat_evidence(path)
    sha, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            while block := fh.read(chunk):
                sha.update(block)
                md5.update(block)
    except OSError as err:
        raise UnreadableFileError(path, f"read failed: {err.strerror or err}") from err
    return {"sha256": sha.hexdigest(), "md5": md5.hexdigest()}


@contextmanager
def open_image_safely(path: str | Path) -> Iterator[PILImage.Image]:
    """Open an image lazily with the pixel-count guard; Pillow errors become typed errors.

    Only the header is read here; decoding happens when the caller loads pixels, inside the
    same guard, so truncated or bit-flipped data raise CorruptImageError.
    """
    from PIL import Image, UnidentifiedImageError

    _ensure_heif()
    stat_evidence(path)
    try:
        with warnings.catch_warnings():
            # our own MAX_PIXELS check below replaces Pillow's warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
                if width <= 0 or height <= 0:
                    raise CorruptImageError(path, f"declared size {width}x{height} is not an image")
                if width * height > MAX_PIXELS:
                    raise ImageTooLargeError(
                        path,
                        f"declares {width}x{height} = {width * height} pixels, above the "
                        f"{MAX_PIXELS} limit (a decompression bomb?); refusing to decode",
                    )
                yield im
    except UnidentifiedImageError as err:
        raise UnsupportedFormatError(path, "not an image format Pillow can identify") from err
    except Image.DecompressionBombError as err:
        raise ImageTooLargeError(path, f"decompression bomb guard: {err}") from err
    except MemoryError as err:
        raise ImageTooLargeError(path, "ran out of memory while decoding") from err
    except EvidenceError:
        raise
    except _PIL_ERRORS as err:
        raise CorruptImageError(
            path, f"image data could not be decoded ({type(err).__name__}: {err})"
        ) from err


def _orientations() -> dict[int, Any]:
    from PIL import Image

    t = Image.Transpose
    return {
        2: t.FLIP_LEFT_RIGHT, 3: t.ROTATE_180, 4: t.FLIP_TOP_BOTTOM, 5: t.TRANSPOSE,
        6: t.ROTATE_270, 7: t.TRANSVERSE, 8: t.ROTATE_90,
    }


_ORIENTATION: dict[int, Any] = {}


def load_for_hash(
    path: str | Path, exact: bool = False, size: int = DRAFT_SIZE, transpose: bool = True
) -> tuple[PILImage.Image, tuple[int, int], str]:
    """Decode an image to greyscale for hashing; return (image, original size, mode used).

    Fast mode uses JPEG DCT scaling (``draft``) so at least ``size`` pixels per side remain.
    ``transpose`` applies the EXIF orientation so a rotated re-upload matches its original.
    """
    if not _ORIENTATION:
        _ORIENTATION.update(_orientations())
    with open_image_safely(path) as im:
        original = im.size
        mode = "exact"
        if not exact and im.format in ("JPEG", "MPO") and im.draft("L", (size, size)) is not None:
            mode = "draft"
        out = im.convert("L") if im.mode != "L" else im.copy()
        out.load()
        if transpose:
            # the EXIF orientation of a drafted image is still that of the original; turning
            # the small grey image is cheaper than ImageOps.exif_transpose (which also
            # rewrites the EXIF block)
            try:
                orientation = int(im.getexif().get(0x0112, 1))
            except (KeyError, ValueError, TypeError, SyntaxError, OSError):
                orientation = 1
            method = _ORIENTATION.get(orientation)
            if method is not None:
                out = out.transpose(method)
    return out, original, mode


@isolated
def image_hashes(
    path: str | Path, exact: bool = False, crypto: bool = True, transpose: bool = True,
) -> dict[str, Any]:
    """pHash, dHash (hex strings, 64 bits each) and optionally SHA-256/MD5 of one file.

    Raises the typed errors of :mod:`osint_kit.errors`; see :func:`perceptual_hashes` for
    folders, which records errors as data instead. Isolated
    (:func:`osint_kit.runner.isolated`): the pixels are decoded in the warm worker;
    ``image_hashes.here(...)`` decodes them in this process.
    """
    import imagehash

    img, original, mode = load_for_hash(path, exact=exact, transpose=transpose)
    try:
        ph, dh = str(imagehash.phash(img)), str(imagehash.dhash(img))
    except _PIL_ERRORS as err:  # pragma: no cover - decoded pixels are already valid
        raise CorruptImageError(path, f"hashing failed: {err}") from err
    row: dict[str, Any] = {
        "path": str(path),
        "phash": ph,
        "dhash": dh,
        "sha256": None,
        "md5": None,
        "width": original[0],
        "height": original[1],
        "decoded_width": img.size[0],
        "decoded_height": img.size[1],
        "hash_mode": mode,
        "error": None,
        "error_type": None,
    }
    if crypto:
        row.update(crypto_hashes(path))
    return row


def _error_row(path: str, err: BaseException) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(HASH_COLUMNS)
    row["path"] = printable_text(path)
    row["error"] = printable_text(str(err))
    row["error_type"] = type(err).__name__
    return row


def _hash_one(path: str, exact: bool, crypto: bool, transpose: bool) -> dict[str, Any]:
    """Worker body: never raises for a bad file, returns an error row instead. The row's
    path is the one given, in the printable form of a scan's (a non-UTF-8 name shows
    ``\\xNN`` escapes); either form opens the file."""
    try:
        with warnings.catch_warnings():
            # Pillow's complaints about a file's EXIF tags (read for the orientation) say
            # nothing about its pixels, and a batch row has no place for them (inspect shows
            # them as evidence); without this they pile up under the notebook cell
            warnings.simplefilter("ignore", UserWarning)
            row = image_hashes.here(real_path(path), exact, crypto, transpose)
    except EvidenceError as err:
        return _error_row(path, err)
    except _PIL_ERRORS as err:  # anything a plugin raised outside the guard
        return _error_row(path, CorruptImageError(path, f"{type(err).__name__}: {err}"))
    row["path"] = printable_text(path)
    return row


#: What the engine's workers import by name (works with every start method and on Dask).
_HASH_ONE = "osint_kit.media.similar.hashes:_hash_one"
_ERROR_ROW = "osint_kit.media.similar.hashes:_error_row"
#: Imported once in the process the local workers fork from, not once per worker.
_PRELOAD = ("PIL.Image", "PIL.JpegImagePlugin", "PIL.PngImagePlugin", "imagehash")


def perceptual_hashes(
    paths: Iterable[str | Path] | str | os.PathLike[str],
    *,
    exact: bool = False,
    crypto: bool = True,
    transpose: bool = True,
    progress: bool = True,
    workers: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    chunk_size: int | None = None,
    engine: str = "local",
    client: Any = None,
) -> pd.DataFrame:
    """Hash many files in parallel; one row per file in input order, failures in ``error``.

    ``paths``: a list of files, or a folder (walked like ``scan``, rows sorted by path).
    ``exact``: decode JPEGs fully instead of the DCT-scaled fast path. Runs in the batch
    workers (their isolation), with the options every batch function shares (``workers``,
    ``timeout``, ``chunk_size``, ``engine``: see :mod:`osint_kit.runner`); ``workers=0``
    runs here. A file over ``timeout`` becomes a ProcessingTimeoutError row.
    Columns: :data:`HASH_COLUMNS`.
    """
    from osint_kit.runner.engine import FileMapper, _progress_bar

    if isinstance(paths, str | os.PathLike):  # a folder (or one file), as scan() takes it
        from osint_kit.media.scan import list_files

        found, problems = list_files(paths)
        items = sorted([*found, *problems])  # a path that cannot be walked gets its error row
    else:
        items = [os.fspath(p) for p in paths]
    n_workers = None if workers is None else max(0, int(workers))
    bar = _progress_bar(len(items), "hashing", progress)
    try:
        with FileMapper(
            _HASH_ONE, (exact, crypto, transpose), _ERROR_ROW, n_workers, engine, timeout,
            client, preload=_PRELOAD,
        ) as mapper:
            rows = mapper.map(items, chunk_size, bar.update)
    finally:
        bar.close()
    import pandas as pd

    return pd.DataFrame(rows, columns=list(HASH_COLUMNS))
