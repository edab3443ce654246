"""Telegram Desktop exports: UTC from date_unixtime, forwards as copies, media, hostile input."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from osint_kit.errors import ArchiveError, ArchiveLimitError
from osint_kit.sources import Claim, independent_origins
from osint_kit.sources.capture.archives import (
    ArchiveLimits,
    archive_events,
    iter_telegram,
    merge_exports,
    read_telegram,
)
from osint_kit.sources.capture.archives.samples import (
    teaching_channels,
    telegram_message,
    tiny_jpeg,
    write_telegram_export,
)


@pytest.fixture
def channels(tmp_path: Path) -> tuple[Path, Path]:
    return teaching_channels(tmp_path)


def test_utc_from_date_unixtime_not_local_date(channels: tuple[Path, Path]) -> None:
    origin = read_telegram(channels[0])
    msg = {m.message_id: m for m in origin.messages}[2]
    # the exporting computer was at UTC+3: 'date' says 12:30, the instant is 09:30 UTC
    assert msg.date_local == "2022-11-18T12:30:00"
    assert msg.posted_utc == "2022-11-18T09:30:00Z"
    assert msg.edited_utc == "2022-11-18T10:00:00Z"
    events = archive_events(origin).df
    posted = events[events["description"].str.contains("posted")]
    assert posted["earliest"].iloc[0].isoformat() == "2022-11-18T09:30:00+00:00"
    edited = events[events["description"].str.contains("edited")]
    assert edited["earliest"].iloc[0].isoformat() == "2022-11-18T10:00:00+00:00"


def test_rich_text_flattened_with_links(channels: tuple[Path, Path]) -> None:
    msg = read_telegram(channels[0]).messages[0]
    assert msg.text == "We sent no rail cars. Details: statement"
    assert msg.links == ("https://press.example/statement",)


def test_service_messages_kept_apart(channels: tuple[Path, Path]) -> None:
    export = read_telegram(channels[0])
    assert [m.message_id for m in export.service] == [1]
    assert export.service[0].action == "create_channel"
    assert all(not m.is_service for m in export.messages)


def test_photo_hash_and_reply(channels: tuple[Path, Path]) -> None:
    origin = read_telegram(channels[0])
    [media] = origin.messages[0].media
    assert media.status == "ok"
    assert media.sha256 == hashlib.sha256(tiny_jpeg()).hexdigest()
    forwards = read_telegram(channels[1])
    assert {m.message_id: m.reply_to for m in forwards.messages} == {10: None, 11: 10}


def test_forward_origin_in_citation_graph(channels: tuple[Path, Path], tmp_path: Path) -> None:
    origin, forwards = read_telegram(channels[0]), read_telegram(channels[1])
    alone = {s.id: s for s in forwards.sources()}
    assert alone["tg-aggregator-constructed-10"].copies == ("tg-press-service-constructed",)
    # a third channel forwarding the same post, in its own export
    third = write_telegram_export(tmp_path / "third", "Third (constructed)", [
        telegram_message(5, "2022-11-18T12:00:00Z", "We sent no rail cars. Details: statement",
                         forwarded_from="Press Service (constructed)")])
    sources = merge_exports(origin, forwards, read_telegram(third))
    by_id = {s.id: s for s in sources}
    # with the origin's own export loaded, forwards copy the very post
    assert by_id["tg-aggregator-constructed-10"].copies == ("tg-press-service-constructed-2",)
    assert by_id["tg-third-constructed-5"].copies == ("tg-press-service-constructed-2",)
    claims = [Claim(id=f"c{i}", source_id=sid, text="no rail cars", proposition_id="P1",
                    stance="contradicts", confirmed=True)
              for i, sid in enumerate(["tg-press-service-constructed-2",
                                       "tg-aggregator-constructed-10", "tg-third-constructed-5"])]
    count = independent_origins("P1", claims, sources)
    assert count.contradicting == 1  # three channels, one origin
    assert count.contradicting_groups[0].origins == ("tg-press-service-constructed-2",)


def test_missing_fields_and_outside_media(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    root = tmp_path / "export"
    link_target = root / "photos"
    link_target.mkdir(parents=True)
    os.symlink(tmp_path / "secret.txt", link_target / "link.jpg")
    path = write_telegram_export(root, "Hostile (constructed)", [
        {"type": "message", "text": "no id"},
        {"id": 2, "type": "message", "date": "2022-11-18T10:00:00", "text": "no unixtime"},
        telegram_message(3, "2022-11-18T10:00:00Z", "escape", file="../secret.txt"),
        telegram_message(4, "2022-11-18T10:00:00Z", "absolute", photo="/etc/passwd"),
        telegram_message(5, "2022-11-18T10:00:00Z", "via link", photo="photos/link.jpg"),
        telegram_message(6, "2022-11-18T10:00:00Z", {"weird": "text"}),
    ])
    export = read_telegram(path)
    ids = [m.message_id for m in export.messages]
    assert ids == [2, 3, 4, 5, 6]
    assert any("without an integer id" in w for w in export.warnings)
    assert export.messages[0].posted_utc is None
    assert "not read as UTC" in export.messages[0].warnings[0]
    for m in export.messages[1:4]:
        assert m.media[0].status.startswith("refused"), m
        assert m.media[0].sha256 is None
    assert export.messages[4].text == ""


def test_deep_nesting_skips_the_message(tmp_path: Path) -> None:
    deep: object = "x"
    for _ in range(200):
        deep = [deep]
    path = write_telegram_export(tmp_path, "Deep (constructed)", [
        telegram_message(1, "2022-11-18T10:00:00Z", deep),
        telegram_message(2, "2022-11-18T10:00:00Z", "fine")])
    export = read_telegram(path)
    assert [m.message_id for m in export.messages] == [2]
    assert any("nested deeper" in w for w in export.warnings)


def test_very_deep_nesting_outside_messages_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text('{"name": "x", "junk": ' + "[" * 200_000 + "]" * 200_000 +
                    ', "messages": [{"id": 1, "type": "message", "date_unixtime": "0", '
                    '"text": "ok"}]}', encoding="utf-8")
    assert [m.message_id for m in iter_telegram(path)] == [1]


def test_huge_string_is_cut_and_huger_value_refused(tmp_path: Path) -> None:
    path = write_telegram_export(tmp_path / "a", "Big (constructed)", [
        telegram_message(1, "2022-11-18T10:00:00Z", "y" * 300_000)])
    export = read_telegram(path, limits=ArchiveLimits(max_string_chars=1000))
    assert len(export.messages[0].text) == 1000
    assert any("was cut" in w for w in export.warnings)
    with pytest.raises(ArchiveLimitError, match="one JSON value"):
        read_telegram(path, limits=ArchiveLimits(max_token_bytes=100_000))


def test_not_json_and_truncated(tmp_path: Path) -> None:
    bad = tmp_path / "result.json"
    bad.write_bytes(b"\x00\x01 not json")
    with pytest.raises(ArchiveError):
        read_telegram(bad)
    good = write_telegram_export(tmp_path / "t", "T (constructed)", [
        telegram_message(i, "2022-11-18T10:00:00Z", f"m{i}") for i in range(1, 50)])
    data = good.read_bytes()
    good.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match="not complete JSON"):
        read_telegram(good)


def test_full_account_export_layout(tmp_path: Path) -> None:
    doc = {"about": "x", "chats": {"about": "y", "list": [
        {"name": "A", "type": "public_channel", "id": 1,
         "messages": [telegram_message(1, "2022-11-18T10:00:00Z", "a1")]},
        {"name": "B", "type": "private_group", "id": 2,
         "messages": [telegram_message(7, "2022-11-18T11:00:00Z", "b7")]}]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    export = read_telegram(path)
    assert [(m.chat, m.message_id) for m in export.messages] == [("A", 1), ("B", 7)]


def test_export_untouched(channels: tuple[Path, Path]) -> None:
    before = {p: p.read_bytes() for p in channels[0].parent.rglob("*") if p.is_file()}
    read_telegram(channels[0])
    assert {p: p.read_bytes() for p in before} == before


def test_unnamed_forward_origins_stay_apart(tmp_path: Path) -> None:
    path = write_telegram_export(tmp_path, "Relay (constructed)", [
        telegram_message(1, "2022-11-18T10:00:00Z", "first", forwarded_from=None),
        telegram_message(2, "2022-11-18T10:05:00Z", "second", forwarded_from=None)])
    sources = {s.id: s for s in read_telegram(path).sources()}
    assert sources["tg-relay-constructed-1"].copies == ("tg-unnamed-origin-relay-constructed-1",)
    assert sources["tg-relay-constructed-2"].copies == ("tg-unnamed-origin-relay-constructed-2",)
    assert "cannot be traced" in (sources["tg-unnamed-origin-relay-constructed-1"].notes or "")


def test_html_displays_escape_message_text(tmp_path: Path) -> None:
    evil = "<img src=x onerror=alert(1)>"
    path = write_telegram_export(tmp_path, evil, [
        telegram_message(1, "2022-11-18T10:00:00Z", evil, forwarded_from=evil)])
    export = read_telegram(path)
    for html in (export._repr_html_(), export.messages[0]._repr_html_()):
        assert "<img" not in html and "&lt;img" in html


def test_export_hash_is_the_file_hash(channels: tuple[Path, Path]) -> None:
    export = read_telegram(channels[0])
    assert export.sha256 == hashlib.sha256(channels[0].read_bytes()).hexdigest()
