"""Read-only access to evidence files.

Evidence is never modified: every file is opened with ``O_RDONLY`` only, never through a
writable handle, and failures become the typed errors of :mod:`osint_kit.errors`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import mmap
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from osint_kit.errors import (
    EmptyFileError,
    ImageTooLargeError,
    NotAFileError,
    UnreadableFileError,
)

#: Files larger than this are refused by readers that load the whole file (1 GiB).
MAX_FILE_BYTES = 1 << 30


def stat_evidence(path: str | Path) -> os.stat_result:
    """Return the stat of a regular, non-empty file, or raise a typed error naming it."""
    try:
        st = os.stat(path)
    except FileNotFoundError as err:
        raise NotAFileError(path, "no such file (or a broken symlink)") from err
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise NotAFileError(path, "symlink loop: the link points back to itself") from err
        if err.errno in (errno.EACCES, errno.EPERM):
            raise UnreadableFileError(path, "permission denied") from err
        raise UnreadableFileError(path, f"cannot stat: {err.strerror}") from err
    if stat.S_ISDIR(st.st_mode):
        raise NotAFileError(path, "is a directory, not a file (use scan() for folders)")
    if not stat.S_ISREG(st.st_mode):
        raise NotAFileError(path, "not a regular file (device, socket or pipe)")
    if st.st_size == 0:
        raise EmptyFileError(path, "the file is empty (0 bytes)")
    return st


def inside_own_folder(path: str | Path) -> bool:
    """True when ``path``, links resolved, lies in (or below) the folder that holds its name.

    False for a link in an evidence folder that leads elsewhere (``photo.jpg -> ~/.ssh/key``):
    messages may then name the file but must not quote its bytes.
    """
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    try:
        return os.path.commonpath([folder, os.path.realpath(path)]) == folder
    except ValueError:  # different drives (Windows)
        return False


def open_readonly(path: str | Path, buffering: int = -1) -> BinaryIO:
    """Open an evidence file through an ``O_RDONLY`` descriptor; typed errors on failure.

    The only way osint_kit opens evidence: no mode string that could ever say "w" or "+".
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EPERM):
            raise UnreadableFileError(path, "permission denied") from err
        if err.errno == errno.ELOOP:
            raise NotAFileError(path, "symlink loop: the link points back to itself") from err
        raise UnreadableFileError(path, f"cannot open: {err.strerror}") from err
    return os.fdopen(fd, "rb", buffering=buffering)


def iter_blocks(path: str | Path, chunk: int = 1 << 20, limit: int | None = None
                ) -> Iterator[bytes]:
    """The bytes of an evidence file in chunks (flat memory for large files); at most
    ``limit`` bytes in all when given (a file that keeps growing is not read for ever)."""
    left = -1 if limit is None else limit
    with open_readonly(path) as fh:
        try:
            while left and (block := fh.read(chunk if left < 0 else min(chunk, left))):
                left = left - len(block) if left > 0 else left
                yield block
        except OSError as err:
            raise UnreadableFileError(path, f"read failed: {err.strerror}") from err


def read_evidence(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a whole evidence file through a read-only descriptor."""
    st = stat_evidence(path)
    if st.st_size > max_bytes:
        raise ImageTooLargeError(
            path, f"{st.st_size} bytes is above the {max_bytes}-byte limit for whole-file reads"
        )
    try:
        with open_readonly(path, buffering=0) as fh:
            # read(st_size + 1), not read(max_bytes + 1): the latter allocates a 1 GiB buffer
            # per call and made whole-file reads ~5x slower on small images.
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:  # the file grew since stat(): read on up to the limit
                data += fh.read(max_bytes + 1 - len(data))
            return data
    except OSError as err:
        raise UnreadableFileError(path, f"read failed: {err.strerror}") from err


def read_evidence_head(path: str | Path, limit: int) -> bytes:
    """The first ``limit`` bytes of an evidence file (all of it when smaller), read-only:
    for checks that only look at a file's start, whatever the file's size."""
    stat_evidence(path)
    try:
        with open_readonly(path) as fh:
            return fh.read(limit)
    except OSError as err:
        raise UnreadableFileError(path, f"read failed: {err.strerror or err}") from err


@contextlib.contextmanager
def map_evidence(path: str | Path) -> Iterator[mmap.mmap]:
    """A read-only memory map of a whole evidence file, for files too large to read into
    memory: pages are loaded from the file as they are touched, and writing through the map
    raises (``ACCESS_READ``). Unmapped when the block ends.

    A file truncated by another program while it is mapped can kill the process reading it
    (SIGBUS): in a scan that is one worker, and the file gets a WorkerCrashedError row."""
    with open_readonly(path) as fh:
        try:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as err:
            raise UnreadableFileError(path, f"cannot map the file for reading: {err}") from err
    try:
        yield mapped
    finally:
        mapped.close()


#: The bytes of an evidence file: read into memory, or mapped (:func:`map_evidence`).
EvidenceBytes = bytes | mmap.mmap


class _MapReader(io.RawIOBase):
    """A read-only file over a memory map that behaves as ``io.BytesIO`` does over the same
    bytes, which parsers of damaged files rely on: seeking past the end is allowed and
    reading there gives ``b""``; a negative absolute seek is refused, a relative one stops
    at 0."""

    def __init__(self, data: mmap.mmap) -> None:
        super().__init__()
        self._data = data
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 0:
            if offset < 0:
                raise ValueError(f"negative seek value {offset}")
            self._pos = offset
        elif whence in (1, 2):
            self._pos = max(0, (self._pos if whence == 1 else len(self._data)) + offset)
        else:
            raise ValueError(f"invalid whence ({whence}, should be 0, 1 or 2)")
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._data) if size is None or size < 0 else self._pos + size
        out = self._data[self._pos : end] if self._pos < len(self._data) else b""
        self._pos += len(out)
        return out

    def readinto(self, buffer: Any) -> int:
        out = self.read(len(buffer))
        buffer[: len(out)] = out
        return len(out)


def as_file(data: EvidenceBytes) -> BinaryIO:
    """A file object at position 0 over an evidence file's bytes, without copying them."""
    if isinstance(data, mmap.mmap):
        return cast(BinaryIO, _MapReader(data))
    return io.BytesIO(data)


def digests(data: EvidenceBytes, md5: bool = False, chunk: int = 1 << 24
            ) -> tuple[str, str | None]:
    """SHA-256 (and MD5 when asked) of a file's bytes. A map is hashed in chunks whose pages
    are dropped from this process afterwards, so its memory does not grow with the file."""
    if isinstance(data, bytes):
        return (hashlib.sha256(data).hexdigest(),
                hashlib.md5(data, usedforsecurity=False).hexdigest() if md5 else None)
    sha = hashlib.sha256()
    other = hashlib.md5(usedforsecurity=False) if md5 else None
    chunk = max(mmap.PAGESIZE, chunk - chunk % mmap.PAGESIZE)  # madvise takes whole pages
    with memoryview(data) as view:  # slices are temporaries: no view outlives the map
        for start in range(0, len(data), chunk):
            sha.update(view[start : start + chunk])
            if other is not None:
                other.update(view[start : start + chunk])
            if hasattr(mmap, "MADV_DONTNEED"):  # the pages stay in the OS cache
                data.madvise(mmap.MADV_DONTNEED, start, min(chunk, len(data) - start))
    return sha.hexdigest(), None if other is None else other.hexdigest()


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, streamed in chunks so memory stays flat for large files."""
    stat_evidence(path)
    digest = hashlib.sha256()
    for block in iter_blocks(path, chunk):
        digest.update(block)
    return digest.hexdigest()


def printable_text(text: str) -> str:
    r"""Text that UTF-8 (Arrow, Parquet, CSV) can hold. A file name whose bytes are not UTF-8
    (a legacy encoding such as cp1251 in a leaked archive) reaches Python with surrogates
    in place of those bytes; they become ``\xNN`` escapes (``/case/\xcf\xf0.jpg``), which
    :func:`real_path` maps back. Other lone surrogates become ``\udNNN`` escapes."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")


def real_path(path: str) -> str:
    r"""The file a path shown by :func:`printable_text` stands for: ``path`` itself when it
    exists (or has no escapes), else ``path`` with its ``\xNN`` escapes turned back into
    the raw bytes, when that file exists."""
    if "\\x" not in path or os.path.lexists(path):
        return path
    raw = _ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), path)
    return raw if os.path.lexists(raw) else path
