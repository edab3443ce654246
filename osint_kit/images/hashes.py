"""Cryptographic and perceptual hashes of image files.

* Cryptographic hashes (SHA-256, MD5) identify *the same bytes*: use them to match published
  hash lists or to prove a file is unchanged.
* Perceptual hashes (pHash, dHash from ``imagehash``) identify *the same picture* after
  re-encoding, resizing or a slight crop: use them to find copies (see
  :mod:`osint_kit.images.duplicates`).

Fast path: decoding a full camera JPEG is the expensive part, yet pHash only looks at a
32x32 thumbnail. ``Image.draft("L", (n, n))`` asks libjpeg to decode straight to greyscale at
1/2, 1/4 or 1/8 scale (DCT scaling), which skips most of the work. The hash can move by a
bit or two compared with a full decode (measured in docs/forensics.md); pass ``exact=True``
to decode fully. Files that are not JPEG are always decoded fully.

Hostile files never crash a batch: ``perceptual_hashes`` runs each file in a worker process
with a time limit and records failures in the ``error`` / ``error_type`` columns.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import struct
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from osint_kit._io import stat_evidence
from osint_kit.errors import (
    CorruptImageError,
    EvidenceError,
    ImageTooLargeError,
    ProcessingTimeoutError,
    UnreadableFileError,
    UnsupportedFormatError,
)

if TYPE_CHECKING:
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
    """Let Pillow open HEIC/HEIF/AVIF through pillow-heif when installed."""
    global _HEIF_REGISTERED
    if _HEIF_REGISTERED:
        return
    _HEIF_REGISTERED = True
    try:
        import pillow_heif
    except ImportError:  # optional: other formats still work
        return
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


def image_hashes(
    path: str | Path, exact: bool = False, crypto: bool = True, transpose: bool = True
) -> dict[str, Any]:
    """pHash, dHash (hex strings, 64 bits each) and optionally SHA-256/MD5 of one file.

    Raises the typed errors of :mod:`osint_kit.errors`; see :func:`perceptual_hashes` for
    folders, which records errors as data instead.
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
    row["path"] = path
    row["error"] = str(err)
    row["error_type"] = type(err).__name__
    return row


def _hash_one(path: str, exact: bool, crypto: bool, transpose: bool) -> dict[str, Any]:
    """Worker body: never raises for a bad file, returns an error row instead."""
    try:
        return image_hashes(path, exact=exact, crypto=crypto, transpose=transpose)
    except EvidenceError as err:
        return _error_row(path, err)
    except _PIL_ERRORS as err:  # anything a plugin raised outside the guard
        return _error_row(path, CorruptImageError(path, f"{type(err).__name__}: {err}"))


def _apply_chunk(one: Callable[[Any], dict[str, Any]], chunk: list[Any]) -> list[dict[str, Any]]:
    return [one(item) for item in chunk]


def run_in_processes(
    items: list[Any],
    one: Callable[[Any], dict[str, Any]],
    on_error: Callable[[Any, BaseException], dict[str, Any]],
    n_workers: int,
    timeout: float,
    chunk_size: int,
    bar: Any,
    name: Callable[[Any], str] = str,
) -> list[dict[str, Any]]:
    """Map ``one`` (picklable, never raising for a bad item) over items in worker processes.

    Chunks of items per task keep the overhead low; a chunk that times out or kills its
    worker is re-run item by item, so only the guilty item gets an error row (``on_error``
    with ProcessingTimeoutError or CorruptImageError). Results keep the input order.
    """
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessPool
    from pebble.common import ProcessExpired

    chunk_size = max(1, min(chunk_size, len(items) // (n_workers * 4) or 1))
    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    out: dict[int, list[dict[str, Any]]] = {}
    retry: list[int] = []
    with ProcessPool(max_workers=n_workers) as pool:
        futures = [
            pool.schedule(_apply_chunk, args=(one, c), timeout=timeout * len(c)) for c in chunks
        ]
        for i, fut in enumerate(futures):
            try:
                out[i] = fut.result()
                bar.update(len(chunks[i]))
            except (FutureTimeout, ProcessExpired, OSError, MemoryError) as err:
                log.warning("chunk %d failed (%s); retrying its items one by one", i, err)
                retry.append(i)
        for i in retry:
            singles = [pool.schedule(one, args=(item,), timeout=timeout) for item in chunks[i]]
            res: list[dict[str, Any]] = []
            for item, single in zip(chunks[i], singles, strict=True):
                label = name(item)
                try:
                    res.append(single.result())
                except FutureTimeout:
                    res.append(on_error(item, ProcessingTimeoutError(label, f"took longer than {timeout} s")))
                except (ProcessExpired, OSError, MemoryError) as err:
                    res.append(on_error(item, CorruptImageError(label, f"worker died on this file: {err}")))
                bar.update(1)
            out[i] = res
    return [row for i in range(len(chunks)) for row in out[i]]


def perceptual_hashes(
    paths: Iterable[str | Path],
    workers: int | None = None,
    exact: bool = False,
    crypto: bool = True,
    transpose: bool = True,
    progress: bool = True,
    timeout: float = 60.0,
    chunk_size: int = 8,
) -> pd.DataFrame:
    """Hash many files in parallel processes; one row per file, failures in ``error``.

    ``workers``: processes (None = all cores; 0 or 1 = in this process, no time limit).
    ``exact``: decode JPEGs fully instead of the DCT-scaled fast path.
    ``timeout``: seconds per file; a file that takes longer is recorded as
    ProcessingTimeoutError and its worker is replaced. Columns: :data:`HASH_COLUMNS`.
    """
    from tqdm.auto import tqdm

    items = [str(p) for p in paths]
    n_workers = (os.cpu_count() or 1) if workers is None else max(0, int(workers))
    rows: list[dict[str, Any]] = []
    bar = tqdm(total=len(items), disable=not progress, desc="hashing", unit="file")
    try:
        if n_workers <= 1 or len(items) < 4:
            for p in items:
                rows.append(_hash_one(p, exact, crypto, transpose))
                bar.update(1)
        else:
            one = functools.partial(_hash_one, exact=exact, crypto=crypto, transpose=transpose)
            rows = run_in_processes(items, one, _error_row, n_workers, timeout, chunk_size, bar)
    finally:
        bar.close()
    return pd.DataFrame(rows, columns=list(HASH_COLUMNS))
