"""WARC and WACZ import: capture time, URL, text, photo SHA-256, tampering, WACZ checks."""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from osint_kit.errors import (
    ArchiveError,
    ArchiveIntegrityError,
    ArchiveLimitError,
    ArchivePathError,
)
from osint_kit.sources.capture.archives import ArchiveLimits, check_wacz, ingest_warc, list_pages
from osint_kit.sources.capture.archives.samples import tiny_jpeg, write_wacz, write_warc

PHOTO_SHA = hashlib.sha256(tiny_jpeg()).hexdigest()


@pytest.fixture
def warc(tmp_path: Path) -> Path:
    return write_warc(tmp_path / "capture.warc.gz")


@pytest.mark.parametrize("gz", [True, False])
def test_page_capture_time_url_text_and_photo(tmp_path: Path, gz: bool) -> None:
    path = write_warc(tmp_path / ("c.warc.gz" if gz else "c.warc"), gzip=gz)
    before = path.read_bytes()
    archive = ingest_warc(path)
    assert path.read_bytes() == before  # evidence untouched
    assert archive.sha256 == hashlib.sha256(before).hexdigest()
    page = archive.page("https://news.example/rail-cars")
    assert page.record.warc_date == "2022-11-19T08:30:00Z"
    assert page.source.captured_at == "2022-11-19T08:30:00Z"
    assert page.record.http_date == "2022-11-19T08:30:00Z"
    assert page.record.last_modified == "2022-11-18T09:05:00Z"
    assert page.record.digest_status == "ok"
    assert page.capture is not None
    assert "a train crossed the bridge" in page.capture.main_text
    assert page.source.url == "https://news.example/rail-cars"
    assert archive.sha256 in (page.source.notes or "")
    [photo] = page.media
    assert photo.url == "https://news.example/img/photo.jpg"
    assert photo.record is not None and photo.record.sha256 == PHOTO_SHA
    assert photo.record.digest_status == "ok"


def test_list_pages_lists_html_only(warc: Path) -> None:
    df = list_pages(warc)
    assert df["url"].tolist() == ["https://news.example/rail-cars"]
    assert df["warc_date"].tolist() == ["2022-11-19T08:30:00Z"]


def test_one_page_by_url_and_unknown_url(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "two.warc.gz", [
        {"url": "https://a.example/1", "title": "One", "body": "First page text here.",
         "warc_date": "2022-11-19T08:30:00Z"},
        {"url": "https://b.example/2", "title": "Two", "body": "Second page text here.",
         "warc_date": "2022-11-20T08:30:00Z"}])
    one = ingest_warc(path, "https://b.example/2")
    assert [p.record.url for p in one.pages] == ["https://b.example/2"]
    with pytest.raises(ArchiveError, match="no HTML page"):
        ingest_warc(path, "https://c.example/")


def _tamper(path: Path, old: bytes, new: bytes) -> Path:
    """Rewrite a gzip WARC with some payload bytes changed (the digest headers stay)."""
    plain = b"".join(_members(path.read_bytes()))
    assert old in plain
    out = path.with_name("tampered.warc")
    out.write_bytes(plain.replace(old, new))
    return out


def _members(data: bytes) -> list[bytes]:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
        return [gz.read()]


def test_tampered_payload_is_detected(warc: Path) -> None:
    bad = _tamper(warc, b"a train crossed", b"a truck crossed")
    archive = ingest_warc(bad)
    page = archive.pages[0]
    assert page.record.digest_status == "MISMATCH"
    assert "MISMATCH" in (page.source.notes or "")
    assert any("does not match its payload digest" in w for w in archive.warnings)
    from osint_kit.sources.capture.archives.warc import check_integrity

    with pytest.raises(ArchiveIntegrityError):
        check_integrity(archive)


def test_truncated_warc_keeps_earlier_records_and_warns(warc: Path, tmp_path: Path) -> None:
    data = warc.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])
    archive = ingest_warc(cut)
    assert archive.pages and archive.pages[0].record.digest_status == "ok"
    assert any("ends inside a compressed record" in w or "truncated" in w
               for w in archive.warnings + tuple(r.note for r in archive.records))


def test_gzip_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.warc.gz"
    head = (b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://x.example/\r\n"
            b"WARC-Date: 2022-11-19T08:30:00Z\r\nContent-Type: text/html\r\n"
            b"Content-Length: 4000000000\r\n\r\n")
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9) as gz:
        gz.write(head)
        zeros = b"\0" * (1 << 20)
        for _ in range(400):
            gz.write(zeros)
    bomb.write_bytes(raw.getvalue())
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(ArchiveLimitError, match="gzip bomb"):
        ingest_warc(bomb)


def test_long_header_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: " + b"x" * 3_000_000 + b"\r\n\r\n")
    with pytest.raises(ArchiveLimitError, match="header line"):
        ingest_warc(path, limits=ArchiveLimits(max_header_line=1 << 20))


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "x.warc"
    path.write_bytes(b"hello, this is not an archive\n")
    with pytest.raises(ArchiveError):
        ingest_warc(path)


# --- WACZ ----------------------------------------------------------------------------------


def test_wacz_hashes_verified_and_pages_ingested(warc: Path, tmp_path: Path) -> None:
    wacz = write_wacz(tmp_path / "c.wacz", warc)
    check = check_wacz(wacz)
    assert check.ok, check.problems
    assert set(check.resources_frame()["status"]) == {"ok"}
    assert check.signature.present is False  # digest file without signedData
    assert check.signature.hash_matches is True
    assert check.pages[0]["url"] == "https://news.example/rail-cars"
    archive = ingest_warc(wacz)
    assert archive.kind == "wacz"
    assert archive.page("https://news.example/rail-cars").record.member == "archive/data.warc.gz"
    with pytest.raises(ArchiveError, match="no HTML page"):
        ingest_warc(wacz, "https://elsewhere.example/")
    assert archive.pages[0].media[0].record.sha256 == PHOTO_SHA  # type: ignore[union-attr]


def test_wacz_lying_hash_is_an_integrity_error(warc: Path, tmp_path: Path) -> None:
    wacz = write_wacz(tmp_path / "lie.wacz", warc, lie_about="archive/data.warc.gz")
    assert not check_wacz(wacz).ok
    with pytest.raises(ArchiveIntegrityError, match="does not match"):
        ingest_warc(wacz)
    anyway = ingest_warc(wacz, allow_mismatch=True)
    assert any("does not match datapackage.json" in w for w in anyway.warnings)


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "archive/../../x",
                                  "C:/x.txt", "a\\..\\b"])
def test_wacz_zip_slip_names_refused(warc: Path, tmp_path: Path, name: str) -> None:
    wacz = write_wacz(tmp_path / "slip.wacz", warc, extra=[(name, b"evil")])
    with pytest.raises(ArchivePathError):
        check_wacz(wacz)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_wacz_signature_anonymous_verified_offline(warc: Path, tmp_path: Path) -> None:
    import base64
    import json

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    wacz = write_wacz(tmp_path / "plain.wacz", warc)
    with zipfile.ZipFile(wacz) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    dp_hash = "sha256:" + hashlib.sha256(members["datapackage.json"]).hexdigest()
    key = ec.generate_private_key(ec.SECP384R1())
    pub = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)

    def signed(sign_text: str) -> Path:
        sig = key.sign(sign_text.encode(), ec.ECDSA(hashes.SHA256()))
        block = {"path": "datapackage.json", "hash": dp_hash, "signedData": {
            "hash": dp_hash, "created": "2022-11-19T08:31:00Z", "software": "test",
            "signature": base64.b64encode(sig).decode(),
            "publicKey": base64.b64encode(pub).decode()}}
        out = tmp_path / f"signed-{len(sign_text)}.wacz"
        with zipfile.ZipFile(out, "w") as zf:
            for n, d in members.items():
                zf.writestr(n, json.dumps(block) if n == "datapackage-digest.json" else d)
        return out

    good = check_wacz(signed(dp_hash)).signature
    assert (good.kind, good.verified, good.hash_matches) == ("anonymous", True, True)
    bad = check_wacz(signed(dp_hash + "x")).signature
    assert bad.verified is False


def test_wacz_member_bomb_refused(tmp_path: Path) -> None:
    out = tmp_path / "bomb.wacz"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", b"{}")
        zf.writestr("archive/data.warc", b"\0" * (40 << 20))
    with pytest.raises(ArchiveLimitError, match="zip bomb"):
        check_wacz(out)


def test_html_displays_escape_page_titles(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    path = write_warc(tmp_path / "evil.warc.gz", [
        {"url": "https://evil.example/<x>", "title": evil, "body": f"Body {evil} text.",
         "warc_date": "2022-11-19T08:30:00Z"}])
    archive = ingest_warc(path)
    for html in (archive._repr_html_(), archive.pages[0]._repr_html_(),
                 archive.records[0]._repr_html_()):
        assert "<script>" not in html


def test_payload_cap_keeps_hashing_the_whole_payload(warc: Path) -> None:
    archive = ingest_warc(warc, limits=ArchiveLimits(max_record_bytes=64))
    page = archive.pages[0]
    assert "payload kept up to 64 bytes" in page.record.note
    assert page.record.digest_status == "ok"  # the digest covers every byte, not the kept ones
    assert page.record.size > 64
    from osint_kit.sources.capture.archives.warc import extract_payloads

    assert page.media == ()  # the cut page no longer shows its <img>: said in the note
    [photo] = [r for r in archive.records if r.media_kind == "image"]
    with pytest.raises(ArchiveLimitError, match="max_record_bytes"):
        extract_payloads(warc, [photo.record_id], limits=ArchiveLimits(max_record_bytes=64))
    assert extract_payloads(warc, [photo.record_id])[photo.record_id] == tiny_jpeg()
