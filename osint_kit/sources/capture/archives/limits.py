"""Safety limits for archives and exports, and the guarded streams that enforce them.

Every byte an importer reads from a WARC, a WACZ member or a ``result.json`` passes through
one of these streams, so the limits live in one place:

* :class:`Inflater` turns a file (plain or gzip, one member or many) into its plain bytes,
  decompressing with a bounded output per call. It stops a gzip bomb (plain bytes above
  ``max_ratio`` times the compressed bytes read, or above ``max_inflated_bytes`` in all),
  a header line longer than ``max_header_line`` outside payloads, and a read that runs past
  ``max_seconds``. It hashes the compressed bytes as they pass (the archive's SHA-256 comes
  free with the single pass) and notes a file that ends inside a gzip member.
* :class:`TokenGuard` wraps a JSON file for a streaming parser: one value (a string, a number)
  larger than ``max_token_bytes`` stops the parse instead of filling memory.
"""

from __future__ import annotations

import hashlib
import time
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from osint_kit.errors import ArchiveLimitError

_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits for one archive or export; raise them explicitly for a trusted large file."""

    #: plain bytes read from one archive in all (after decompression)
    max_inflated_bytes: int = 8 << 30
    #: plain / compressed bytes above this ratio (after the first 16 MiB) is a gzip bomb
    max_ratio: int = 200
    #: bytes of one record's payload kept in memory (beyond: hashed, not kept; a warning)
    max_record_bytes: int = 64 << 20
    #: a WARC or HTTP header line longer than this is refused (payloads are exempt)
    max_header_line: int = 1 << 20
    #: seconds one archive or export may take to read
    max_seconds: float = 600.0
    #: members of a WACZ zip, and plain bytes one member may declare
    max_members: int = 100_000
    max_member_bytes: int = 32 << 30
    #: nesting of one JSON message (deeper: the message is skipped with a warning)
    max_depth: int = 32
    #: characters of one JSON string kept (longer: cut, with a warning)
    max_string_chars: int = 1 << 20
    #: bytes of one JSON value at all (larger: the export is refused, it cannot be skipped)
    max_token_bytes: int = 64 << 20
    #: values (strings, numbers, keys) in one message (more: the message is skipped)
    max_values: int = 20_000
    #: embedded media URLs looked up per page
    max_embedded: int = 500


DEFAULT_LIMITS = ArchiveLimits()


class Readable(Protocol):
    """Anything with ``read(size)`` returning bytes (a file, a zip member, a wrapper)."""

    def read(self, size: int = -1, /) -> bytes: ...
_BOMB_FLOOR = 16 << 20


class Inflater:
    """A read-only stream of the plain bytes of a (possibly multi-member gzip) file."""

    def __init__(self, fh: Readable, limits: ArchiveLimits = DEFAULT_LIMITS,
                 name: str = "archive", deadline: float | None = None) -> None:
        self._fh = fh
        self._limits = limits
        self._name = name
        self._deadline = deadline if deadline is not None else \
            time.monotonic() + limits.max_seconds
        self._decomp: zlib._Decompress | None = None
        self._gzip: bool | None = None
        self._pending = b""
        self._tail = b""  # compressed bytes read but not yet given to the decompressor
        self._eof = False
        self.sha256 = hashlib.sha256()
        self.compressed = 0
        self.inflated = 0
        self.members = 0
        #: True when the file ended inside a gzip member (a cut download)
        self.truncated = False
        #: text of a problem met at the end of the stream (garbage after the last member)
        self.trailing: str | None = None
        self._run = 0
        self.payload_mode = False

    # the bytes of the underlying file -------------------------------------------------------
    def _raw(self) -> bytes:
        data = self._fh.read(_CHUNK)
        self.sha256.update(data)
        self.compressed += len(data)
        return data

    def _start(self, data: bytes) -> bytes:
        """Decide gzip or plain from the first bytes; return what is left to inflate."""
        self._gzip = data[:2] == _GZIP_MAGIC
        if self._gzip:
            self._decomp = zlib.decompressobj(wbits=31)
            self.members = 1
        return data

    def _inflate_some(self, want: int) -> bytes:
        if self._gzip is None:
            first = self._raw()
            if not first:
                self._eof = True
                return b""
            self._tail = self._start(first)
        if not self._gzip:
            data, self._tail = (self._tail, b"") if self._tail else (self._raw(), b"")
            if not data:
                self._eof = True
            return data
        while True:
            decomp = self._decomp
            if decomp is None:
                self._eof = True
                return b""
            if decomp.unconsumed_tail:
                src = decomp.unconsumed_tail
            elif self._tail:
                src, self._tail = self._tail, b""
            else:
                src = self._raw()
                if not src:
                    if not decomp.eof:
                        out = decomp.flush()
                        self.truncated = True
                        self._decomp = None
                        if out:
                            return out
                    self._eof = True
                    return b""
            try:
                out = decomp.decompress(src, max(want, _CHUNK))
            except zlib.error as err:
                self.trailing = f"broken gzip data after {self.compressed} bytes ({err})"
                self._decomp = None
                self._eof = True
                return b""
            if decomp.eof:
                rest = decomp.unused_data
                self._decomp = None
                if not rest:
                    rest = self._raw()
                if rest:
                    if rest[:2] == _GZIP_MAGIC:
                        self._decomp = zlib.decompressobj(wbits=31)
                        self.members += 1
                        self._tail = rest
                    elif rest.strip(b"\x00\r\n \t"):
                        self.trailing = (f"{len(rest)}+ bytes after the last gzip member are "
                                         "not gzip data; they were not read")
            if out:
                return out

    def _check(self, data: bytes) -> None:
        lim = self._limits
        self.inflated += len(data)
        if self.inflated > lim.max_inflated_bytes:
            raise ArchiveLimitError(
                f"{self._name}: more than {lim.max_inflated_bytes} plain bytes "
                "(ArchiveLimits.max_inflated_bytes); a decompression bomb, or raise the limit "
                "for a trusted archive")
        if self._gzip and self.inflated > _BOMB_FLOOR and \
                self.inflated > lim.max_ratio * max(self.compressed, 1):
            raise ArchiveLimitError(
                f"{self._name}: {self.compressed} compressed bytes inflated to more than "
                f"{self.inflated} (ratio above {lim.max_ratio}): a gzip bomb; nothing more "
                "was read")
        if time.monotonic() > self._deadline:
            raise ArchiveLimitError(
                f"{self._name}: reading took longer than {lim.max_seconds} s "
                "(ArchiveLimits.max_seconds)")
        if self.payload_mode:
            self._run = 0
            return
        cut = data.rfind(b"\n")
        self._run = len(data) - cut - 1 if cut >= 0 else self._run + len(data)
        if self._run > lim.max_header_line:
            raise ArchiveLimitError(
                f"{self._name}: a header line longer than {lim.max_header_line} bytes "
                "(ArchiveLimits.max_header_line); this is not a well-formed WARC")

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` plain bytes (``-1``: one internal block, never the whole file)."""
        want = _CHUNK if size is None or size < 0 else size
        parts: list[bytes] = []
        have = 0
        while have < want:
            if self._pending:
                take = self._pending[: want - have]
                self._pending = self._pending[len(take):]
            elif self._eof:
                break
            else:
                data = self._inflate_some(want - have)
                if not data:
                    continue
                self._check(data)
                self._pending = data
                continue
            parts.append(take)
            have += len(take)
        return b"".join(parts)

    def tell(self) -> int:
        return self.inflated - len(self._pending)

    def drain(self) -> None:
        """Read the rest of the file so :attr:`sha256` covers all of it."""
        self.payload_mode = True
        while self.read(1 << 20):
            pass
        while self._raw():
            pass


class TokenGuard:
    """A file wrapper for streaming JSON: refuses one value larger than ``max_token_bytes``.

    The parser reads in blocks; the caller adds one to :attr:`events` for every event the
    parser yields. Bytes read while that count stands still are the size of the value being
    tokenised.
    """

    def __init__(self, fh: BinaryIO, limits: ArchiveLimits, name: str,
                 deadline: float | None = None) -> None:
        self._fh = fh
        self._limits = limits
        self._name = name
        self._since = 0
        self._deadline = deadline if deadline is not None else \
            time.monotonic() + limits.max_seconds
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.events = 0
        self._events_seen = 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(_CHUNK if size is None or size < 0 else size)
        self.sha256.update(data)
        self.size += len(data)
        if self.events != self._events_seen:
            self._events_seen = self.events
            self._since = 0
        self._since += len(data)
        if self._since > self._limits.max_token_bytes:
            raise ArchiveLimitError(
                f"{self._name}: one JSON value is larger than {self._limits.max_token_bytes} "
                "bytes (ArchiveLimits.max_token_bytes): not a Telegram export, or raise the "
                "limit for a trusted file")
        if time.monotonic() > self._deadline:
            raise ArchiveLimitError(
                f"{self._name}: reading took longer than {self._limits.max_seconds} s "
                "(ArchiveLimits.max_seconds)")
        return data

    def drain(self) -> None:
        while block := self._fh.read(1 << 20):
            self.sha256.update(block)
            self.size += len(block)
