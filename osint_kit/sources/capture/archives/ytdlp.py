"""yt-dlp ``.info.json`` sidecars read as source metadata for the media beside them.

``yt-dlp --write-info-json`` writes ``NAME.info.json`` next to ``NAME.mp4``: a JSON object
with (among many others) ``id``, ``title``, ``description``, ``uploader`` / ``uploader_id`` /
``uploader_url``, ``channel`` / ``channel_id`` / ``channel_url``, ``timestamp``,
``upload_date``, ``release_timestamp``, ``webpage_url``, ``original_url`` and
``extractor_key``.

Zone semantics, as yt-dlp documents them: ``timestamp`` (and ``release_timestamp``) are
UNIX epoch seconds, i.e. **UTC instants**; ``upload_date`` is a **date only**
(``YYYYMMDD``) whose zone is not stated (yt-dlp derives it from ``timestamp`` in UTC when it
has one, otherwise it is whatever date the site showed). Here ``timestamp`` becomes an exact
UTC time, ``upload_date`` a whole day whose UTC offset is unknown (the timeline widens it by
the full range of real offsets), and the record says which one it is.

What is trusted: everything in the sidecar is what the *platform* said at download time, as
yt-dlp recorded it; the file's hash is taken so the sidecar can be cited as read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from osint_kit._html import kv_table
from osint_kit._io import read_evidence
from osint_kit.errors import ArchiveError, ArchiveLimitError
from osint_kit.sources.models import Source

#: sidecars larger than this are refused (format lists and comments can be large)
MAX_INFO_BYTES = 64 << 20
INFO_COLUMNS: tuple[str, ...] = (
    "video_id", "title", "uploader", "uploader_id", "channel", "channel_id", "timestamp_utc",
    "upload_date", "release_timestamp_utc", "url", "original_url", "extractor", "duration",
    "media_file", "source_id", "sha256", "time_note",
)


@dataclass(frozen=True)
class VideoInfo:
    """What a yt-dlp sidecar says about one video, with its times' zone semantics spelled out."""

    path: str
    sha256: str
    video_id: str | None
    title: str
    description: str
    uploader: str | None
    uploader_id: str | None
    channel: str | None
    channel_id: str | None
    timestamp_utc: str | None
    upload_date: str | None
    release_timestamp_utc: str | None
    url: str | None
    original_url: str | None
    extractor: str | None
    duration: float | None
    media_file: str | None
    time_note: str

    @property
    def source_id(self) -> str:
        ext = re.sub(r"[^a-z0-9]+", "-", (self.extractor or "video").lower()).strip("-")
        vid = re.sub(r"[^A-Za-z0-9_-]+", "-", self.video_id or self.sha256[:12])[:60]
        return f"{ext or 'video'}-{vid}"

    def to_row(self) -> dict[str, Any]:
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        row["source_id"] = self.source_id
        return {c: row[c] for c in INFO_COLUMNS}

    def to_source(self) -> Source:
        """A Source: published = the UTC timestamp when there is one, else the upload date."""
        return Source(
            id=self.source_id, title=self.title[:500] or (self.video_id or "video"),
            publisher=self.channel or self.uploader, author=self.uploader,
            url=self.url or self.original_url, kind="social media post",
            published=self.timestamp_utc or self.upload_date,
            notes=f"yt-dlp sidecar {Path(self.path).name} (SHA-256 {self.sha256}); "
                  f"{self.time_note}"
                  + (f"; media file {self.media_file}" if self.media_file else ""))

    def timeline_records(self) -> pd.DataFrame:
        """Rows for the ``ytdlp_video`` entry of the timeliner map."""
        return pd.DataFrame([self.to_row()], columns=list(INFO_COLUMNS))

    def __repr__(self) -> str:
        return f"VideoInfo({self.source_id!r}, {self.title[:40]!r}, {self.timestamp_utc or self.upload_date})"

    def _repr_html_(self) -> str:
        rows = [*self.to_row().items(), ("description", self.description[:2000])]
        return kv_table(rows, title="yt-dlp video info")


def _epoch(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not -62_135_596_800 < value < 253_402_300_799:
        return None
    return dt.datetime.fromtimestamp(value, dt.UTC).isoformat().replace("+00:00", "Z")


def _date(value: Any) -> str | None:
    text = str(value or "")
    if not re.fullmatch(r"\d{8}", text):
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None


def _text(info: dict[str, Any], key: str, limit: int = 2000) -> str | None:
    value = info.get(key)
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
        return str(value)[:limit]
    return None


def read_ytdlp_info(path: str | Path) -> VideoInfo:
    """Read one ``*.info.json`` sidecar (raises ArchiveError for anything else)."""
    p = Path(path)
    data = read_evidence(p, MAX_INFO_BYTES)
    try:
        info = json.loads(data.decode("utf-8-sig"))
    except RecursionError as err:
        raise ArchiveLimitError(f"{p.name}: nested too deeply") from err
    except (UnicodeDecodeError, ValueError) as err:
        raise ArchiveError(f"{p.name}: not a yt-dlp info.json ({err})") from err
    if not isinstance(info, dict) or not ({"id", "title", "extractor", "webpage_url"} & set(info)):
        raise ArchiveError(f"{p.name}: a JSON file, but not a yt-dlp info.json (no id, title, "
                           "extractor or webpage_url)")
    ts = _epoch(info.get("timestamp"))
    day = _date(info.get("upload_date"))
    if ts:
        note = ("timestamp is a UNIX epoch (UTC instant); upload_date "
                f"{day or 'absent'} is a date only")
    elif day:
        note = ("no timestamp: only upload_date, a date without a stated zone (yt-dlp derives "
                "it in UTC when the site gives a timestamp, else it is the site's own date)")
    else:
        note = "no upload time in the sidecar"
    duration = info.get("duration")
    media = None
    stem = p.name.removesuffix(".info.json")
    for candidate in sorted(p.parent.glob(f"{glob_escape(stem)}.*")):
        if candidate.name != p.name and not candidate.name.endswith((".json", ".part")):
            media = candidate.name
            break
    return VideoInfo(
        path=str(p), sha256=hashlib.sha256(data).hexdigest(), video_id=_text(info, "id", 200),
        title=_text(info, "title", 1000) or "", description=_text(info, "description", 20_000)
        or "", uploader=_text(info, "uploader", 500), uploader_id=_text(info, "uploader_id", 500),
        channel=_text(info, "channel", 500), channel_id=_text(info, "channel_id", 500),
        timestamp_utc=ts, upload_date=day,
        release_timestamp_utc=_epoch(info.get("release_timestamp")),
        url=_text(info, "webpage_url", 4000), original_url=_text(info, "original_url", 4000),
        extractor=_text(info, "extractor_key", 100) or _text(info, "extractor", 100),
        duration=float(duration) if isinstance(duration, int | float)
        and not isinstance(duration, bool) else None, media_file=media, time_note=note)


def glob_escape(text: str) -> str:
    """``text`` with glob wildcards escaped (file names from the web contain ``[``)."""
    return re.sub(r"([*?\[])", r"[\1]", text)
