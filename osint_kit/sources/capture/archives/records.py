"""WARC records in one streaming pass: headers, capture dates, payload digests checked.

:func:`iter_records` runs warcio's record parser over the guarded plain stream of
:class:`~osint_kit.sources.capture.archives.limits.Inflater` and yields every response, resource and
revisit record as a :class:`WarcRecord` (target URL, ``WARC-Date``, the HTTP ``Date`` and
``Last-Modified`` headers, size, SHA-256 and the ``WARC-Payload-Digest`` check), with the
payload bytes when the caller asks for them. Used by :mod:`~osint_kit.sources.capture.archives.warc`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import hashlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, BinaryIO
from urllib.parse import urldefrag

from osint_kit._html import kv_table
from osint_kit.errors import ArchiveError, ArchiveLimitError
from osint_kit.sources.capture.archives.limits import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    Inflater,
    Readable,
)

RECORD_COLUMNS: tuple[str, ...] = (
    "record_id", "type", "url", "warc_date", "content_type", "status", "http_date",
    "last_modified", "size", "sha256", "payload_digest", "digest_status", "truncated",
    "member", "note",
)
#: digest_status values
DIGEST_OK, DIGEST_MISMATCH, DIGEST_ABSENT, DIGEST_UNCHECKED = (
    "ok", "MISMATCH", "absent", "unchecked")
HTML_TYPES = ("text/html", "application/xhtml+xml")
_MEDIA_PREFIX = {"image/": "image", "video/": "video", "audio/": "audio"}
PAYLOAD_TYPES = ("response", "resource")


@dataclass(frozen=True)
class WarcRecord:
    """One response/resource/revisit record: what the archive says and what the bytes are."""

    record_id: str
    type: str
    url: str
    warc_date: str | None
    content_type: str
    status: int | None
    http_date: str | None
    last_modified: str | None
    size: int
    sha256: str
    payload_digest: str | None
    digest_status: str
    truncated: bool = False
    member: str = ""
    note: str = ""

    @property
    def is_page(self) -> bool:
        ok_status = self.status is None or 200 <= self.status < 300
        return (self.type in PAYLOAD_TYPES and ok_status
                and self.content_type.split(";")[0].strip().lower() in HTML_TYPES)

    @property
    def media_kind(self) -> str | None:
        ctype = self.content_type.lower()
        return next((k for p, k in _MEDIA_PREFIX.items() if ctype.startswith(p)), None)

    def to_row(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in RECORD_COLUMNS}

    def __repr__(self) -> str:
        return f"WarcRecord({self.type}, {self.url[:60]!r}, {self.warc_date}, {self.digest_status})"

    def _repr_html_(self) -> str:
        return kv_table(list(self.to_row().items()), title="WARC record")


# --- digests and headers -------------------------------------------------------------------


def _parse_digest(value: str | None) -> tuple[str, bytes] | None:
    """``"sha1:BASE32"`` / ``"sha256:hex"`` -> (algorithm, raw digest) or None if unusable."""
    if not value or ":" not in value:
        return None
    algo, _, text = value.strip().partition(":")
    algo = algo.lower().replace("-", "")
    if algo not in ("sha1", "sha256", "sha512", "md5"):
        return None
    size = hashlib.new(algo).digest_size
    text = text.strip()
    for decode in (lambda t: bytes.fromhex(t), lambda t: base64.b32decode(t.upper()),
                   lambda t: base64.b64decode(t, validate=True)):
        try:
            raw = decode(text)
        except (ValueError, binascii.Error):
            continue
        if len(raw) == size:
            return algo, raw
    return None


def _utc_iso(value: str | None) -> str | None:
    if not value:
        return None
    text = value.strip()
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        return None  # an HTTP date without a zone is not a UTC instant: leave it out
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def norm_url(url: str) -> str:
    return urldefrag(url.strip())[0]


def _header(headers: Any, name: str) -> str | None:
    if headers is None:
        return None
    value = headers.get_header(name)
    return str(value)[:1000] if value is not None else None


def decode_body(body: bytes, headers: Any, limits: ArchiveLimits) -> tuple[bytes, str | None]:
    """Undo chunked transfer and gzip/deflate content encoding, with a bounded output."""
    note = None
    if (_header(headers, "transfer-encoding") or "").lower() == "chunked":
        body, note = _dechunk(body)
    coding = (_header(headers, "content-encoding") or "").lower().strip()
    if coding in ("gzip", "x-gzip", "deflate"):
        decomp = zlib.decompressobj(wbits=47 if coding != "deflate" else 15)
        try:
            out = decomp.decompress(body, limits.max_record_bytes)
        except zlib.error:
            try:
                out = zlib.decompressobj(-15).decompress(body, limits.max_record_bytes)
            except zlib.error as err:
                return body, f"content-encoding {coding} could not be undone ({err})"
        if decomp.unconsumed_tail:
            note = (f"decoded page cut at {limits.max_record_bytes} bytes "
                    "(ArchiveLimits.max_record_bytes)")
        return out, note
    if coding and coding != "identity":
        return body, f"content-encoding {coding!r} is not decoded by osint_kit"
    return body, note


def _dechunk(body: bytes) -> tuple[bytes, str | None]:
    out: list[bytes] = []
    pos = 0
    while pos < len(body):
        end = body.find(b"\r\n", pos)
        if end < 0:
            break
        size_text = body[pos:end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return body, "Transfer-Encoding chunked, but the body is not chunked: kept as is"
        if size == 0:
            return b"".join(out), None
        out.append(body[end + 2:end + 2 + size])
        pos = end + 2 + size + 2
    return b"".join(out), "chunked body ends early (truncated record?)"


# --- the single pass -------------------------------------------------------------------------


def iter_records(fh: Readable, name: str, keep: Callable[[WarcRecord], bool],
                 limits: ArchiveLimits = DEFAULT_LIMITS, member: str = "",
                 warnings: list[str] | None = None,
                 deadline: float | None = None) -> Iterator[tuple[WarcRecord, bytes | None, Any]]:
    """``(record, payload bytes if keep(record) else None, http headers)`` for each
    response/resource/revisit record of a (gzip or plain) WARC stream, in one pass.

    Digests are checked for every record; a payload above ``max_record_bytes`` is hashed in
    full but kept only up to the limit (said in ``note``). Unreadable tails end the pass with
    a warning (records before them are kept); an unreadable start raises ArchiveError.
    """
    from warcio.archiveiterator import WARCIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    out_warnings = warnings if warnings is not None else []
    stream = Inflater(fh, limits, name, deadline)
    count = 0
    records = iter(WARCIterator(stream, arc2warc=False))
    where = f"{name}:{member}" if member else name
    while True:
        stream.payload_mode = False
        try:
            rec = next(records)
        except StopIteration:
            break
        except ArchiveLimitError:
            raise
        except (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, IndexError,
                KeyError, UnicodeError, EOFError, TypeError, AttributeError) as err:
            if count == 0:
                raise ArchiveError(f"{where}: not a readable WARC ({type(err).__name__}: "
                                   f"{str(err).strip()[:200]})") from err
            out_warnings.append(f"{where}: reading stopped after {count} records: "
                                f"{type(err).__name__}: {str(err).strip()[:200]}")
            break
        count += 1
        stream.payload_mode = True
        info, payload, headers = _read_record(rec, limits, keep, member)
        if info is not None:
            yield info, payload, headers
    if stream.truncated:
        out_warnings.append(f"{where}: the file ends inside a compressed record (cut "
                            "download?): the last record is incomplete")
    if stream.trailing:
        out_warnings.append(f"{where}: {stream.trailing}")
    if count == 0:
        raise ArchiveError(f"{where}: no WARC records found; is this a WARC file?")


def _read_record(rec: Any, limits: ArchiveLimits, keep: Callable[[WarcRecord], bool],
                 member: str) -> tuple[WarcRecord | None, bytes | None, Any]:
    rtype = str(rec.rec_type or "")
    raw = rec.raw_stream
    if rtype not in (*PAYLOAD_TYPES, "revisit"):
        while raw.read(1 << 20):
            pass
        return None, None, None
    headers = rec.http_headers
    rh = rec.rec_headers
    declared = _header(rh, "WARC-Payload-Digest")
    if declared is None and headers is None:
        declared = _header(rh, "WARC-Block-Digest")
    parsed = _parse_digest(declared)
    digest = hashlib.new(parsed[0]) if parsed else None
    sha = hashlib.sha256()
    status = None
    if headers is not None:
        try:
            status = int(str(headers.get_statuscode() or "")[:3])
        except ValueError:
            status = None
    ctype = (_header(headers, "Content-Type") if headers is not None else None) \
        or str(rec.content_type or "")
    info = WarcRecord(
        record_id=(_header(rh, "WARC-Record-ID") or "").strip("<>")[:200],
        type=rtype, url=(_header(rh, "WARC-Target-URI") or "").strip("<> ")[:4000],
        warc_date=_utc_iso(_header(rh, "WARC-Date")), content_type=ctype[:200],
        status=status, http_date=_utc_iso(_header(headers, "Date")),
        last_modified=_utc_iso(_header(headers, "Last-Modified")), size=0, sha256="",
        payload_digest=declared, digest_status=DIGEST_UNCHECKED, member=member)
    wanted = keep(info)
    kept: list[bytes] = []
    kept_size = size = 0
    while block := raw.read(1 << 20):
        size += len(block)
        sha.update(block)
        if digest is not None:
            digest.update(block)
        if wanted and kept_size < limits.max_record_bytes:
            part = block[: limits.max_record_bytes - kept_size]
            kept.append(part)
            kept_size += len(part)
    notes = []
    expected = rec.payload_length if getattr(rec, "payload_length", -1) >= 0 else rec.length
    truncated = expected is not None and expected >= 0 and size < expected
    if truncated:
        notes.append(f"record shorter than declared ({size} of {expected} bytes): truncated")
    if wanted and size > kept_size:
        notes.append(f"payload kept up to {limits.max_record_bytes} bytes of {size}")
    if rtype == "revisit":
        status_text = DIGEST_UNCHECKED
        notes.append("revisit record: the payload is in an earlier capture "
                     f"({_header(rh, 'WARC-Refers-To-Target-URI') or 'not named'})")
    elif declared is None:
        status_text = DIGEST_ABSENT
    elif parsed is None or digest is None:
        status_text = DIGEST_UNCHECKED
        notes.append(f"digest {declared[:80]!r} is in an unknown form")
    else:
        status_text = DIGEST_OK if digest.digest() == parsed[1] else DIGEST_MISMATCH
        if status_text == DIGEST_MISMATCH:
            notes.append("the payload does not match its declared digest: altered or damaged")
    info = replace(info, size=size, sha256=sha.hexdigest(), digest_status=status_text,
                   truncated=truncated, note="; ".join(notes))
    return info, (b"".join(kept) if wanted else None), headers


class HashingReader:
    """Hashes exactly the bytes read from a file (the archive's SHA-256 in the same pass)."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.sha256.update(data)
        return data

    def drain(self) -> None:
        while block := self._fh.read(1 << 20):
            self.sha256.update(block)

