"""yt-dlp sidecars, and every importer written into a Case (custody) and a Timeline."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from osint_kit.case import Case
from osint_kit.errors import ArchiveError
from osint_kit.sources.capture.archives import (
    add_to_case,
    archive_events,
    ingest_warc,
    read_telegram,
    read_ytdlp_info,
)
from osint_kit.sources.capture.archives.samples import teaching_channels, tiny_jpeg, write_warc


def _info(tmp_path: Path, **fields: object) -> Path:
    doc = {"id": "abc123", "title": "Train at night", "description": "constructed",
           "uploader": "Uploader X", "channel": "Channel X", "channel_id": "UCx",
           "timestamp": 1668763800, "upload_date": "20221118",
           "webpage_url": "https://video.example/watch?v=abc123",
           "original_url": "https://video.example/abc123", "extractor_key": "Example",
           "duration": 12.5, **fields}
    path = tmp_path / "Train [abc123].info.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "Train [abc123].mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 not really")
    return path


def test_ytdlp_zone_semantics(tmp_path: Path) -> None:
    info = read_ytdlp_info(_info(tmp_path))
    assert info.timestamp_utc == "2022-11-18T09:30:00Z"
    assert info.upload_date == "2022-11-18"
    assert "UTC" in info.time_note and "date only" in info.time_note
    assert info.media_file == "Train [abc123].mp4"
    src = info.to_source()
    assert (src.publisher, src.author, src.published) == ("Channel X", "Uploader X",
                                                          "2022-11-18T09:30:00Z")
    df = archive_events(info).df
    exact = df[df["description"].str.contains("UTC epoch")].iloc[0]
    assert exact["earliest"].isoformat() == "2022-11-18T09:30:00+00:00"
    assert exact["precision"] == "second" and exact["tz"] == "UTC"
    day = df[df["description"].str.contains("date only")].iloc[0]
    assert day["tz"] == "unknown"  # a date without a zone is widened, never guessed
    assert day["latest"] - day["earliest"] > dt.timedelta(days=1)


def test_ytdlp_without_timestamp_and_not_ytdlp(tmp_path: Path) -> None:
    info = read_ytdlp_info(_info(tmp_path, timestamp=None))
    assert info.timestamp_utc is None and "no timestamp" in info.time_note
    other = tmp_path / "x.info.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ArchiveError):
        read_ytdlp_info(other)


def test_warc_into_case_with_custody(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "c.warc.gz")
    archive = ingest_warc(warc)
    with Case.create(tmp_path / "case", title="t", actor="tester") as case:
        done = add_to_case(case, archive)
        assert done.sources == 1 and done.evidence == 2 and done.events >= 2
        ev = case.table("evidence")
        container = ev[ev["id"] == done.evidence_id].iloc[0]
        assert container["sha256"] == archive.sha256
        photo = ev[ev["parent_id"] == done.evidence_id].iloc[0]
        assert photo["sha256"] == hashlib.sha256(tiny_jpeg()).hexdigest()
        assert "https://news.example/img/photo.jpg" in photo["derivation"]
        log = case.custody()
        intake = log[log["action"] == "intake"]
        assert archive.sha256 in " ".join(intake["details"].astype(str))
        assert case.verify().ok
        again = add_to_case(case, archive, media=False)
        assert again.sources == 0 and again.skipped


def test_telegram_into_case_and_timeline(tmp_path: Path) -> None:
    origin, _ = teaching_channels(tmp_path)
    export = read_telegram(origin)
    with Case.create(tmp_path / "case", title="t", actor="tester") as case:
        done = add_to_case(case, export)
        assert done.evidence == 2  # result.json + the photo
        sources = case.table("sources")
        assert "tg-press-service-constructed-2" in set(sources["id"])
        events = case.table("events")
        assert set(events["evidence_id"]) == {done.evidence_id}
        assert case.verify().ok
