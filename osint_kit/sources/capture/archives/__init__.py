"""Sources as researchers keep them: web archives (WARC/WACZ), Telegram Desktop exports and
yt-dlp ``.info.json`` sidecars, read offline into sources, claims, evidence and events.

``ingest_warc`` / ``list_pages`` / ``check_wacz`` (:mod:`.warc`, :mod:`.wacz`),
``read_telegram`` / ``iter_telegram`` (:mod:`.telegram`), ``read_ytdlp_info``
(:mod:`.ytdlp`), then ``archive_events`` (a Timeline) and ``add_to_case`` (:mod:`.intake`).
Limits for hostile input: :class:`ArchiveLimits` (:mod:`.limits`). See docs/sources.md.
"""

from __future__ import annotations

from osint_kit.sources.capture.archives.intake import CaseIntake, add_to_case, archive_events
from osint_kit.sources.capture.archives.limits import ArchiveLimits
from osint_kit.sources.capture.archives.telegram import (
    TelegramExport,
    TelegramMessage,
    iter_telegram,
    merge_exports,
    read_telegram,
)
from osint_kit.sources.capture.archives.wacz import WaczCheck, check_wacz
from osint_kit.sources.capture.archives.warc import (
    ArchivedPage,
    WarcRecord,
    WebArchive,
    ingest_warc,
    list_pages,
    read_warc,
)
from osint_kit.sources.capture.archives.ytdlp import VideoInfo, read_ytdlp_info

__all__ = [
    "ArchiveLimits", "ArchivedPage", "CaseIntake", "TelegramExport", "TelegramMessage",
    "VideoInfo", "WaczCheck", "WarcRecord", "WebArchive", "add_to_case", "archive_events",
    "check_wacz", "ingest_warc", "iter_telegram", "list_pages", "merge_exports",
    "read_telegram", "read_warc", "read_ytdlp_info",
]
