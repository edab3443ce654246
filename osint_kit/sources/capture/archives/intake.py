"""Imported archives and exports into a Timeline and into a Case (with custody).

:func:`archive_events` turns a :class:`~osint_kit.sources.capture.archives.warc.WebArchive`,
:class:`~osint_kit.sources.capture.archives.telegram.TelegramExport` or
:class:`~osint_kit.sources.capture.archives.ytdlp.VideoInfo` into timeline events through the
declarative timeliner map (entries ``web_capture``, ``web_page``, ``telegram_message``,
``ytdlp_video`` in ``osint_kit/data/timeliner.yaml``): which timestamps become events is a
table entry, not code here.

:func:`add_to_case` writes one into a case: the archive / ``result.json`` / sidecar itself
as evidence first (its SHA-256 is in the intake's custody entry), then the sources, the
unconfirmed claims, the media as evidence (files of a Telegram export as evidence of their
message; images and videos inside a web archive as byte-exact working copies *derived from*
the archive evidence, their derivation naming the WARC record, URL and digest check), and
the events, each linked to the evidence it was read from. The case is passed in (any object
with the :class:`osint_kit.case.Case` methods), so this domain module never imports the
case package.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from osint_kit.errors import ArchiveError, CaseError, OsintKitError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseIntake:
    """What :func:`add_to_case` wrote: the evidence id of the container and the counts."""

    evidence_id: str
    sources: int
    claims: int
    evidence: int
    events: int
    skipped: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (f"CaseIntake({self.evidence_id}, sources={self.sources}, claims={self.claims}, "
                f"evidence={self.evidence}, events={self.events}, skipped={len(self.skipped)})")


def archive_events(imported: Any) -> Any:
    """A Timeline of the imported item's timestamps, as the timeliner map says."""
    from osint_kit.sources.capture.archives.telegram import TelegramExport
    from osint_kit.sources.capture.archives.warc import WebArchive
    from osint_kit.sources.capture.archives.ytdlp import VideoInfo
    from osint_kit.timeline import Timeline, events_from_records

    if isinstance(imported, WebArchive):
        df = imported.timeline_records()
        parts = [events_from_records(df, record_type="web_capture"),
                 events_from_records(df, record_type="web_page")]
    elif isinstance(imported, TelegramExport):
        parts = [events_from_records(imported.timeline_records(),
                                     record_type="telegram_message")]
    elif isinstance(imported, VideoInfo):
        parts = [events_from_records(imported.timeline_records(), record_type="ytdlp_video")]
    else:
        raise ArchiveError(f"archive_events takes a WebArchive, TelegramExport or VideoInfo, "
                           f"not {type(imported).__name__}")
    title = f"events from {getattr(imported, 'path', '')}"
    return parts[0].merge(*parts[1:]) if len(parts) > 1 else Timeline(parts[0].df, title=title)


def _exists(case: Any, table: str, record_id: str) -> bool:
    try:
        case.get(table, record_id)
    except CaseError:
        return False
    return True


def _media_name(url: str, sha: str) -> str:
    tail = Path(urlsplit(url).path).name
    return re.sub(r"[^\w.-]+", "_", tail)[:100] or f"media-{sha[:12]}"


def add_to_case(case: Any, imported: Any, *, claims: bool = True, media: bool = True,
                events: bool = True, acquired_from: str | None = None) -> CaseIntake:
    """Write an imported archive, export or sidecar into ``case`` (see the module docstring).

    Records whose id the case already holds are left as they are (said in ``skipped``), so
    importing the same export twice adds nothing twice.
    """
    from osint_kit.sources.capture.archives.telegram import TelegramExport
    from osint_kit.sources.capture.archives.warc import WebArchive
    from osint_kit.sources.capture.archives.ytdlp import VideoInfo

    if isinstance(imported, WebArchive):
        return _web(case, imported, claims, media, events, acquired_from)
    if isinstance(imported, TelegramExport):
        return _telegram(case, imported, claims, media, events, acquired_from)
    if isinstance(imported, VideoInfo):
        return _video(case, imported, media, events, acquired_from)
    raise ArchiveError(f"add_to_case takes a WebArchive, TelegramExport or VideoInfo, "
                       f"not {type(imported).__name__}")


class _Writer:
    def __init__(self, case: Any) -> None:
        self.case = case
        self.counts = {"sources": 0, "claims": 0, "evidence": 0, "events": 0}
        self.skipped: list[str] = []

    def add(self, table: str, record: Any, **extra: Any) -> None:
        rid = getattr(record, "id", None) or getattr(record, "event_id", None)
        if rid and _exists(self.case, table, rid):
            self.skipped.append(f"{table} {rid}: already in the case")
            return
        self.case.add(table, record, **extra)
        self.counts[table] += 1

    def events(self, imported: Any, evidence_id: str) -> None:
        for event in archive_events(imported).events():
            self.add("events", event, evidence_id=evidence_id)

    def result(self, evidence_id: str) -> CaseIntake:
        return CaseIntake(evidence_id=evidence_id, skipped=tuple(self.skipped), **self.counts)


def _web(case: Any, archive: Any, claims: bool, media: bool, events: bool,
         acquired_from: str | None) -> CaseIntake:
    from osint_kit.sources.capture.archives.warc import extract_payloads
    from osint_kit.sources.claims import propose_claims

    w = _Writer(case)
    container = case.add_evidence(
        archive.path, acquired_from=acquired_from or f"web archive ({archive.kind})",
        notes=f"{archive.kind.upper()} with {len(archive.records)} records; "
              f"{len(archive.pages)} page(s) ingested", analyse=False)
    w.counts["evidence"] += 1
    for page in archive.pages:
        w.add("sources", page.source)
        if claims and page.capture is not None:
            for claim in propose_claims(page.capture, page.source.id):
                w.add("claims", claim)
    if media:
        wanted = {m.record.record_id: m for p in archive.pages for m in p.media
                  if m.record is not None}
        try:
            payloads = extract_payloads(archive.path, wanted)
        except OsintKitError as err:
            payloads = {}
            w.skipped.append(f"media not extracted: {err}")
        for rid, data in payloads.items():
            m = wanted[rid]
            rec = m.record
            case.add_working_copy(
                container.id, data,
                derivation=f"payload of WARC record {rid} for {m.url} (archived "
                           f"{rec.warc_date}; payload digest {rec.digest_status}; "
                           f"SHA-256 {rec.sha256}), extracted byte for byte",
                name=_media_name(m.url, rec.sha256), analyse=m.kind == "image")
            w.counts["evidence"] += 1
    if events:
        w.events(archive, container.id)
    return w.result(container.id)


def _telegram(case: Any, export: Any, claims: bool, media: bool, events: bool,
              acquired_from: str | None) -> CaseIntake:
    from osint_kit.sources.capture.archives.telegram import media_path

    w = _Writer(case)
    container = case.add_evidence(
        export.path, acquired_from=acquired_from or "Telegram Desktop export (result.json)",
        notes=f"{len(export.messages)} messages, {len(export.service)} service messages",
        analyse=False)
    w.counts["evidence"] += 1
    for source in export.sources():
        w.add("sources", source)
    if claims:
        for claim in export.claims():
            w.add("claims", claim)
    if media:
        for m in export.messages:
            for item in m.media:
                if item.status != "ok":
                    continue
                case.add_evidence(
                    media_path(export.folder, item.path), source=m.source_id,
                    acquired_from=f"Telegram Desktop export: chat {m.chat!r} message "
                                  f"{m.message_id} ({item.field})",
                    notes=f"listed in result.json (SHA-256 {export.sha256}) as {item.path}",
                    analyse=item.field == "photo")
                w.counts["evidence"] += 1
    if events:
        w.events(export, container.id)
    return w.result(container.id)


def _video(case: Any, info: Any, media: bool, events: bool,
           acquired_from: str | None) -> CaseIntake:
    w = _Writer(case)
    source = info.to_source()
    w.add("sources", source)
    container = case.add_evidence(info.path, source=source.id,
                                  acquired_from=acquired_from or "yt-dlp info.json sidecar",
                                  analyse=False)
    w.counts["evidence"] += 1
    if media and info.media_file:
        case.add_evidence(Path(info.path).parent / info.media_file, source=source.id,
                          acquired_from=f"downloaded with yt-dlp from {info.url}",
                          analyse=False)
        w.counts["evidence"] += 1
    if events:
        w.events(info, container.id)
    return w.result(container.id)
