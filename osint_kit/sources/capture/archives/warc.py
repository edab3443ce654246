"""Web archives (WARC, and the WARCs inside a WACZ) into captures, sources and evidence.

``list_pages(path)`` lists the captured pages; ``ingest_warc(path, url=None)`` ingests one
page (``url=...``) or every page through :func:`~osint_kit.sources.capture.ingest.ingest_html`, in a
single streaming pass with warcio. For every record it keeps the archive's capture time
(``WARC-Date``), the target URL, the HTTP headers that carry dates (``Date``,
``Last-Modified``) and checks the ``WARC-Payload-Digest`` (or, for records without HTTP
headers, the ``WARC-Block-Digest``) against the bytes. The images, videos and audio a page
embeds are looked up in the same archive by URL and reported with their SHA-256.

What is trusted: the archive's own headers say when and from where the bytes were captured;
the digest check shows the payload is the one the archiving tool recorded, not that the
tool was honest. Nothing is fetched, ever. Hostile archives meet the limits of
:class:`~osint_kit.sources.capture.archives.limits.ArchiveLimits` (see there).
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

import pandas as pd

from osint_kit._html import df_table, kv_table
from osint_kit._io import open_readonly, stat_evidence
from osint_kit.errors import ArchiveError, ArchiveIntegrityError, ArchiveLimitError, IngestError
from osint_kit.sources.capture.archives.limits import DEFAULT_LIMITS, ArchiveLimits, Readable
from osint_kit.sources.capture.archives.records import (
    DIGEST_MISMATCH,
    PAYLOAD_TYPES,
    RECORD_COLUMNS,
    HashingReader,
    WarcRecord,
    decode_body,
    iter_records,
    norm_url,
)
from osint_kit.sources.capture.records import Capture
from osint_kit.sources.models import Source

log = logging.getLogger(__name__)

PAGE_COLUMNS: tuple[str, ...] = (
    "url", "title", "warc_date", "http_date", "last_modified", "published", "status",
    "digest_status", "sha256", "size", "record_id", "source_id", "media", "error",
)
MEDIA_COLUMNS: tuple[str, ...] = (
    "page_url", "url", "kind", "found", "record_id", "content_type", "size", "sha256",
    "digest_status", "note",
)


@dataclass(frozen=True)
class EmbeddedMedia:
    """An image, video or audio URL a page embeds, and its record in the archive (if any)."""

    page_url: str
    url: str
    kind: str
    record: WarcRecord | None

    def to_row(self) -> dict[str, Any]:
        r = self.record
        return {"page_url": self.page_url, "url": self.url, "kind": self.kind,
                "found": r is not None, "record_id": r.record_id if r else None,
                "content_type": r.content_type if r else None, "size": r.size if r else None,
                "sha256": r.sha256 if r else None,
                "digest_status": r.digest_status if r else None,
                "note": "" if r else "not in this archive (never fetched)"}


@dataclass(frozen=True)
class ArchivedPage:
    """One captured page: its record, the ingested Capture (or the error), its source, media."""

    record: WarcRecord
    source: Source
    capture: Capture | None
    media: tuple[EmbeddedMedia, ...] = ()
    error: str | None = None

    def to_row(self) -> dict[str, Any]:
        r, cap = self.record, self.capture
        return {"url": r.url, "title": self.source.title, "warc_date": r.warc_date,
                "http_date": r.http_date, "last_modified": r.last_modified,
                "published": cap.published if cap else None, "status": r.status,
                "digest_status": r.digest_status, "sha256": r.sha256, "size": r.size,
                "record_id": r.record_id, "source_id": self.source.id,
                "media": sum(1 for m in self.media if m.record is not None),
                "error": self.error}

    def __repr__(self) -> str:
        return f"ArchivedPage({self.record.url[:60]!r}, {self.record.warc_date}, {self.source.id!r})"

    def _repr_html_(self) -> str:
        media = pd.DataFrame([m.to_row() for m in self.media], columns=list(MEDIA_COLUMNS))
        return kv_table(list(self.to_row().items()), title="Archived page") + df_table(media)


@dataclass(frozen=True)
class WebArchive:
    """What one WARC or WACZ holds: records, ingested pages, warnings, WACZ checks."""

    path: str
    kind: str
    sha256: str
    size: int
    records: tuple[WarcRecord, ...]
    pages: tuple[ArchivedPage, ...] = ()
    warnings: tuple[str, ...] = ()
    wacz: Any = None
    listed_pages: tuple[dict[str, Any], ...] = field(default=())

    @property
    def name(self) -> str:
        return Path(self.path).name

    def records_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.to_row() for r in self.records], columns=list(RECORD_COLUMNS))

    def pages_frame(self) -> pd.DataFrame:
        """The ingested pages, one row each (:data:`PAGE_COLUMNS`)."""
        return pd.DataFrame([p.to_row() for p in self.pages], columns=list(PAGE_COLUMNS))

    def media_frame(self) -> pd.DataFrame:
        rows = [m.to_row() for p in self.pages for m in p.media]
        return pd.DataFrame(rows, columns=list(MEDIA_COLUMNS))

    def sources(self) -> list[Source]:
        return [p.source for p in self.pages]

    def timeline_records(self) -> pd.DataFrame:
        """Rows for the ``web_capture`` / ``web_page`` entries of the timeliner map."""
        df = self.pages_frame()
        df["archive"] = self.name
        return df

    def page(self, url: str) -> ArchivedPage:
        want = norm_url(url)
        for p in self.pages:
            if norm_url(p.record.url) == want:
                return p
        raise ArchiveError(f"{self.name}: no ingested page with URL {url!r}; see list_pages()")

    def __repr__(self) -> str:
        return (f"WebArchive({self.name!r}, {self.kind}, {len(self.records)} records, "
                f"{len(self.pages)} pages ingested, {len(self.warnings)} warnings)")

    def _repr_html_(self) -> str:
        head = kv_table([("archive", self.path), ("kind", self.kind), ("SHA-256", self.sha256),
                         ("bytes", self.size), ("records", len(self.records)),
                         ("warnings", "; ".join(self.warnings))], title="Web archive")
        return head + df_table(self.pages_frame() if self.pages else
                               list_pages_frame(self.records))


# --- pages and media -------------------------------------------------------------------------

_SRC_ATTRS = (("img", "src"), ("img", "srcset"), ("img", "data-src"), ("source", "src"),
              ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
              ("meta", "content"))


def embedded_urls(html: bytes, base_url: str, limit: int = DEFAULT_LIMITS.max_embedded
                  ) -> list[tuple[str, str]]:
    """``(absolute URL, kind hint)`` of the images, videos and audio a page embeds."""
    import lxml.html
    from lxml.etree import ParserError

    from osint_kit.sources.capture.ingest import MAX_HTML_CHARS, decode_bytes

    text = decode_bytes(html[: MAX_HTML_CHARS * 4])[0][:MAX_HTML_CHARS]
    if not text.strip():
        return []
    try:
        tree = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    except (ParserError, ValueError):
        return []
    out: dict[str, str] = {}
    for tag, attr in _SRC_ATTRS:
        for el in tree.iter(tag):
            if tag == "meta" and (el.get("property") or el.get("name") or "").lower() not in (
                    "og:image", "og:video", "twitter:image", "og:image:url"):
                continue
            value = el.get(attr) or ""
            parts = [p.strip().split(" ")[0] for p in value.split(",")] if "srcset" in attr \
                else [value.strip()]
            for part in parts:
                if not part or part.startswith(("data:", "javascript:", "blob:")):
                    continue
                url = norm_url(urljoin(base_url, part))
                kind = "video" if tag in ("video", "source") and attr != "poster" else (
                    "audio" if tag == "audio" else "image")
                out.setdefault(url, kind)
                if len(out) >= limit:
                    return list(out.items())
    return list(out.items())


def source_id_for(record: WarcRecord) -> str:
    """A readable, stable source id: ``web-<host>-<capture time>-<record id prefix>``."""
    host = re.sub(r"[^a-z0-9.-]+", "-", (urlsplit(record.url).hostname or "page").lower())[:40]
    stamp = re.sub(r"\D", "", record.warc_date or "")[:14] or "undated"
    rid = re.sub(r"[^A-Za-z0-9]", "", record.record_id.split(":")[-1])[:8] or "norecord"
    return f"web-{host}-{stamp}-{rid}"


def _page_source(rec: WarcRecord, cap: Capture | None, archive_name: str, archive_sha: str,
                 error: str | None) -> Source:
    notes = [f"archived copy: {rec.type} record {rec.record_id} in {archive_name} "
             f"(SHA-256 {archive_sha}); WARC-Date {rec.warc_date or 'absent'}; payload digest "
             f"{rec.digest_status}"]
    if rec.http_date:
        notes.append(f"HTTP Date at capture {rec.http_date}")
    if rec.last_modified:
        notes.append(f"Last-Modified {rec.last_modified}")
    if rec.note:
        notes.append(rec.note)
    if error:
        notes.append(f"not ingested: {error}")
    return Source(
        id=source_id_for(rec), title=(cap.title if cap and cap.title else rec.url)[:500],
        publisher=cap.publisher if cap else None, author=cap.author if cap else None,
        url=rec.url or None, kind="other", language=cap.language if cap else None,
        published=cap.published if cap else None, captured_at=rec.warc_date,
        content_hash=cap.content_hash if cap else None, notes="; ".join(notes))


def _ingest_page(rec: WarcRecord, payload: bytes, headers: Any, reference: Any,
                 tz: str | None, limits: ArchiveLimits) -> tuple[Capture | None, str | None,
                                                                 list[tuple[str, str]]]:
    from osint_kit.sources.capture.ingest import ingest_html

    body, note = decode_body(payload, headers, limits)
    try:
        cap = ingest_html(body, url=rec.url or None, reference=reference, tz=tz)
    except IngestError as err:
        return None, f"{type(err).__name__}: {err}", []
    if note:
        cap = replace(cap, warnings=(*cap.warnings, note))
    return cap, None, embedded_urls(body, rec.url, limits.max_embedded)


def scan_stream(fh: Readable, name: str, want: Callable[[WarcRecord], bool], reference: Any,
                tz: str | None, limits: ArchiveLimits, archive_name: str,
                member: str = "", warnings: list[str] | None = None,
                deadline: float | None = None,
                ) -> tuple[list[WarcRecord], list[tuple[WarcRecord, Capture | None, str | None,
                                                        list[tuple[str, str]]]]]:
    """One WARC stream: every record, and the pages ``want`` picks ingested on the way."""
    records: list[WarcRecord] = []
    pages = []
    for rec, payload, headers in iter_records(
            fh, name, lambda r: r.is_page and want(r), limits, member, warnings, deadline):
        records.append(rec)
        if payload is not None:
            cap, error, media = _ingest_page(rec, payload, headers, reference, tz, limits)
            pages.append((rec, cap, error, media))
    return records, pages


def _assemble(path: str, kind: str, size: int, sha: str, records: list[WarcRecord],
              raw_pages: list[Any], warnings: list[str], wacz: Any = None,
              listed: Sequence[dict[str, Any]] = ()) -> WebArchive:
    by_url: dict[str, WarcRecord] = {}
    for r in records:
        if r.type in PAYLOAD_TYPES and r.url:
            by_url.setdefault(norm_url(r.url), r)
    name = Path(path).name
    pages = []
    for rec, cap, error, media_urls in raw_pages:
        media = []
        for url, hint in media_urls:
            found = by_url.get(url)
            kind_found = found.media_kind if found else None
            if found is not None and kind_found is None:
                continue  # the URL holds something else (an HTML page, a script)
            media.append(EmbeddedMedia(page_url=rec.url, url=url, kind=kind_found or hint,
                                       record=found))
        if rec.digest_status == DIGEST_MISMATCH:
            warnings.append(f"{name}: page {rec.url} does not match its payload digest "
                            "(altered or damaged)")
        for m in media:
            if m.record is not None and m.record.digest_status == DIGEST_MISMATCH:
                warnings.append(f"{name}: media {m.url} does not match its payload digest")
        pages.append(ArchivedPage(record=rec, source=_page_source(rec, cap, name, sha, error),
                                  capture=cap, media=tuple(media), error=error))
    return WebArchive(path=path, kind=kind, sha256=sha, size=size, records=tuple(records),
                      pages=tuple(pages), warnings=tuple(warnings), wacz=wacz,
                      listed_pages=tuple(listed))


def _is_zip(path: Path) -> bool:
    with open_readonly(path) as fh:
        return fh.read(4) == b"PK\x03\x04"


def _selector(url: str | Sequence[str] | None) -> Callable[[WarcRecord], bool]:
    if url is None:
        return lambda r: True
    wanted = {norm_url(u) for u in ([url] if isinstance(url, str) else url)}
    return lambda r: norm_url(r.url) in wanted


def ingest_warc(path: str | Path, url: str | Sequence[str] | None = None, *,
                reference: Any = None, tz: str | None = None,
                limits: ArchiveLimits | None = None,
                allow_mismatch: bool = False) -> WebArchive:
    """Ingest the page at ``url`` (a URL, several, or None = every page) of a WARC or WACZ.

    Each page goes through :func:`~osint_kit.sources.capture.ingest.ingest_html` and becomes a
    Source whose ``captured_at`` is the WARC-Date and whose notes name the archive, the record
    and the digest check. A WACZ is checked first (:func:`~osint_kit.sources.capture.archives.wacz.check_wacz`):
    a hash in ``datapackage.json`` that does not match raises ArchiveIntegrityError unless
    ``allow_mismatch=True`` (the mismatch then stays in ``warnings``).
    """
    lim = limits or DEFAULT_LIMITS
    p = Path(path)
    st = stat_evidence(p)
    if _is_zip(p):
        from osint_kit.sources.capture.archives.wacz import ingest_wacz

        packed: WebArchive = ingest_wacz(p, _selector(url), reference=reference, tz=tz,
                                         limits=lim, allow_mismatch=allow_mismatch,
                                         assemble=_assemble)
        if url is not None and not packed.pages:
            raise ArchiveError(f"{p.name}: no HTML page captured at {url!r}; list_pages() "
                               "shows what the archive holds")
        return packed
    warnings: list[str] = []
    with open_readonly(p) as raw:
        stream_hash: list[Any] = []
        records, pages = _scan_file(raw, p.name, _selector(url), reference, tz, lim, warnings,
                                    stream_hash)
    if url is not None and not pages:
        raise ArchiveError(f"{p.name}: no HTML page captured at {url!r}; list_pages() shows "
                           "what the archive holds")
    return _assemble(str(p), "warc", st.st_size, stream_hash[0], records, pages, warnings)


def _scan_file(raw: BinaryIO, name: str, want: Callable[[WarcRecord], bool], reference: Any,
               tz: str | None, lim: ArchiveLimits, warnings: list[str],
               out_hash: list[Any]) -> tuple[list[WarcRecord], list[Any]]:
    """A whole WARC file: records and pages, and its SHA-256 (appended to ``out_hash``)."""
    from warcio.archiveiterator import ArchiveIterator  # noqa: F401 - fail early if missing

    guard = HashingReader(raw)
    records, pages = scan_stream(guard, name, want, reference, tz, lim, name, "", warnings)
    guard.drain()
    out_hash.append(guard.sha256.hexdigest())
    return records, pages


def read_warc(path: str | Path, *, limits: ArchiveLimits | None = None) -> WebArchive:
    """Index a WARC or WACZ without ingesting pages (records, digests, warnings)."""
    lim = limits or DEFAULT_LIMITS
    p = Path(path)
    st = stat_evidence(p)
    if _is_zip(p):
        from osint_kit.sources.capture.archives.wacz import ingest_wacz

        return ingest_wacz(p, lambda r: False, reference=None, tz=None, limits=lim,
                           allow_mismatch=True, assemble=_assemble)
    warnings: list[str] = []
    with open_readonly(p) as raw:
        out: list[Any] = []
        records, _ = _scan_file(raw, p.name, lambda r: False, None, None, lim, warnings, out)
    return _assemble(str(p), "warc", st.st_size, out[0], records, [], warnings)


def list_pages_frame(records: Iterable[WarcRecord]) -> pd.DataFrame:
    cols = ["url", "warc_date", "status", "content_type", "http_date", "last_modified",
            "digest_status", "size", "record_id"]
    rows = [{c: getattr(r, c) for c in cols} for r in records if r.is_page]
    return pd.DataFrame(rows, columns=cols)


def list_pages(path: str | Path, *, limits: ArchiveLimits | None = None) -> pd.DataFrame:
    """The HTML pages captured in a WARC or WACZ: URL, capture time, digest check, record."""
    return list_pages_frame(read_warc(path, limits=limits).records)


def extract_payloads(path: str | Path, record_ids: Iterable[str], *,
                     limits: ArchiveLimits | None = None) -> dict[str, bytes]:
    """The payload bytes of the given records (for evidence intake), in one more pass."""
    lim = limits or DEFAULT_LIMITS
    wanted = set(record_ids)
    p = Path(path)
    out: dict[str, bytes] = {}
    if _is_zip(p):
        from osint_kit.sources.capture.archives.wacz import iter_wacz_warcs

        streams: Iterator[tuple[str, BinaryIO]] = iter_wacz_warcs(p, lim)
    else:
        streams = iter([("", open_readonly(p))])
    try:
        for member, fh in streams:
            with fh:
                for rec, payload, _h in iter_records(fh, p.name,
                                                     lambda r: r.record_id in wanted, lim,
                                                     member):
                    if payload is not None and rec.record_id in wanted:
                        if rec.size > len(payload):
                            raise ArchiveLimitError(
                                f"{p.name}: record {rec.record_id} has {rec.size} bytes, above "
                                "ArchiveLimits.max_record_bytes; raise it to take it as "
                                "evidence")
                        out[rec.record_id] = payload
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError) as err:
        raise ArchiveIntegrityError(f"{p.name}: a member could not be read ({err})") from err
    return out


def check_integrity(archive: WebArchive) -> None:
    """Raise ArchiveIntegrityError when any page or media record fails its digest."""
    bad = [r for r in archive.records if r.digest_status == DIGEST_MISMATCH]
    if bad:
        raise ArchiveIntegrityError(
            f"{archive.name}: {len(bad)} record(s) do not match their payload digest: "
            + ", ".join(r.url[:80] for r in bad[:5]))
