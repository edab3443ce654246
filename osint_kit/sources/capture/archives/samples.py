"""Constructed web archives and channel exports, for tests, benchmarks and teaching.

Everything here is MADE UP and says so: the pages, channels and messages are invented to
show how the importers work (a page and a photo in a WARC, a channel that posts, another that
forwards it, an edit, a service message). Nothing is a copy of a real archive or channel.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LABEL = "CONSTRUCTED FOR TEACHING - not a real page or channel"

@functools.cache
def tiny_jpeg() -> bytes:
    """A small valid JPEG (16x16 grey) made with Pillow: the "photo" of the samples."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (128, 128, 128)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def page_html(title: str, body: str, photo: str | None = "/img/photo.jpg") -> bytes:
    img = f'<figure><img src="{photo}"><figcaption>Rail cars. Photo: Example/AP</figcaption>' \
          "</figure>" if photo else ""
    return (f"<html><head><title>{title}</title>"
            f'<meta property="article:published_time" content="2022-11-18T09:00:00+00:00">'
            f"</head><body><p>{LABEL}</p><article><h1>{title}</h1><p>{body}</p>{img}"
            "</article></body></html>").encode()


def write_warc(path: str | Path, pages: Sequence[dict[str, Any]] | None = None, *,
               gzip: bool = True, photo: bytes | None = None) -> Path:
    """A WARC with HTML pages (``url``, ``title``, ``body``, ``warc_date``) and one photo.

    Each page embeds ``/img/photo.jpg`` of its host; the photo is archived once per host.
    """
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    photo = tiny_jpeg() if photo is None else photo
    pages = pages or [{"url": "https://news.example/rail-cars", "title": "Rail cars at Khasan",
                       "body": "On 18 November 2022 a train crossed the bridge, officials said.",
                       "warc_date": "2022-11-19T08:30:00Z"}]
    out = Path(path)
    hosts: set[str] = set()
    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for page in pages:
            url = page["url"]
            headers = StatusAndHeaders("200 OK", [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Date", page.get("http_date", "Sat, 19 Nov 2022 08:30:00 GMT")),
                ("Last-Modified", page.get("last_modified", "Fri, 18 Nov 2022 09:05:00 GMT"))],
                protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(page_html(page["title"], page["body"])),
                http_headers=headers, warc_headers_dict={"WARC-Date": page["warc_date"]}))
            host = url.split("/")[2]
            if host not in hosts:
                hosts.add(host)
                img = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")],
                                       protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    f"https://{host}/img/photo.jpg", "response", payload=io.BytesIO(photo),
                    http_headers=img, warc_headers_dict={"WARC-Date": page["warc_date"]}))
    return out


def write_wacz(path: str | Path, warc: str | Path, *, lie_about: str | None = None,
               extra: Sequence[tuple[str, bytes]] = ()) -> Path:
    """A WACZ around ``warc``: datapackage.json with SHA-256 hashes, pages.jsonl, digest file.

    ``lie_about="archive/data.warc.gz"`` writes a wrong hash for that resource (for tests).
    """
    import hashlib
    import zipfile

    warc_bytes = Path(warc).read_bytes()
    pages = b'{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}\n' + \
        b'{"url": "https://news.example/rail-cars", "ts": "2022-11-19T08:30:00Z", ' \
        b'"title": "Rail cars at Khasan"}\n'
    members = [("archive/data.warc.gz", warc_bytes), ("pages/pages.jsonl", pages), *extra]
    resources = []
    for name, data in members:
        digest = hashlib.sha256(data).hexdigest()
        if name == lie_about:
            digest = hashlib.sha256(data + b"x").hexdigest()
        resources.append({"name": Path(name).name, "path": name, "hash": f"sha256:{digest}",
                          "bytes": len(data)})
    package = json.dumps({"profile": "data-package", "wacz_version": "1.1.1",
                          "title": LABEL, "resources": resources}, indent=1).encode()
    digest_file = json.dumps({"path": "datapackage.json",
                              "hash": "sha256:" + hashlib.sha256(package).hexdigest()}).encode()
    out = Path(path)
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members:
            zf.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        zf.writestr("datapackage.json", package)
        zf.writestr("datapackage-digest.json", digest_file)
    return out


def _unix(iso: str) -> str:
    return str(int(dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()))


def telegram_message(mid: int, utc: str, text: Any, fields: dict[str, Any] | None = None, *,
                     local_offset_hours: int = 3, **extra: Any) -> dict[str, Any]:
    """One message as Telegram Desktop writes it: ``date`` in the exporter's local time."""
    when = dt.datetime.fromisoformat(utc.replace("Z", "+00:00"))
    local = (when + dt.timedelta(hours=local_offset_hours)).replace(tzinfo=None)
    return {"id": mid, "type": "message", "date": local.isoformat(),
            "date_unixtime": _unix(utc), "text": text, **(fields or {}), **extra}


def write_telegram_export(folder: str | Path, name: str, messages: Sequence[dict[str, Any]],
                          *, chat_id: int = 1, photos: dict[str, bytes] | None = None) -> Path:
    """A Telegram Desktop single-chat export: ``result.json`` plus media files."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in (photos or {}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    doc = {"name": name, "type": "public_channel", "id": chat_id, "messages": list(messages)}
    (root / "result.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    return root / "result.json"


def teaching_channels(folder: str | Path) -> tuple[Path, Path]:
    """Two constructed channel exports: an origin channel and one that forwards it."""
    root = Path(folder)
    origin = write_telegram_export(root / "origin_channel", "Press Service (constructed)", [
        {"id": 1, "type": "service", "date": "2022-11-18T10:00:00",
         "date_unixtime": _unix("2022-11-18T07:00:00Z"), "actor": "Press Service (constructed)",
         "action": "create_channel", "title": "Press Service (constructed)", "text": ""},
        telegram_message(2, "2022-11-18T09:30:00Z",
                         ["We sent ", {"type": "bold", "text": "no"}, " rail cars. Details: ",
                          {"type": "text_link", "text": "statement",
                           "href": "https://press.example/statement"}],
                         fields={"from": "Press Service (constructed)", "from_id": "channel100",
                            "photo": "photos/photo_1.jpg",
                            "edited": "2022-11-18T13:00:00",
                            "edited_unixtime": _unix("2022-11-18T10:00:00Z")}),
    ], chat_id=100, photos={"photos/photo_1.jpg": tiny_jpeg()})
    forwards = write_telegram_export(root / "aggregator_channel", "Aggregator (constructed)", [
        telegram_message(10, "2022-11-18T11:00:00Z", "We sent no rail cars. Details: statement",
                         fields={"from": "Aggregator (constructed)", "from_id": "channel200",
                            "forwarded_from": "Press Service (constructed)"}),
        telegram_message(11, "2022-11-18T11:05:00Z", "Make of that what you will.",
                         fields={"from": "Aggregator (constructed)", "from_id": "channel200",
                            "reply_to_message_id": 10}),
    ], chat_id=200)
    return origin, forwards


def generated_export(path: str | Path, n: int, seed: int = 0) -> Path:
    """A large generated single-chat export of ``n`` messages, written as a stream."""
    import random

    rng = random.Random(seed)
    words = ("train", "bridge", "rail", "cars", "Khasan", "station", "convoy", "said", "no",
             "report", "photo", "video", "night", "border", "officials")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    base = 1_668_700_000
    with open(out, "w", encoding="utf-8") as fh:
        fh.write('{"name": "Generated channel", "type": "public_channel", "id": 7, '
                 '"messages": [\n')
        for i in range(1, n + 1):
            text: Any = " ".join(rng.choice(words) for _ in range(rng.randint(5, 40)))
            if i % 7 == 0:
                text = [text, {"type": "text_link", "text": "link",
                               "href": f"https://example.org/{i}"}]
            msg: dict[str, Any] = {"id": i, "type": "message", "date": "2022-11-18T10:00:00",
                                   "date_unixtime": str(base + i * 30), "from": "Generated",
                                   "from_id": "channel7", "text": text}
            if i % 10 == 0:
                msg["forwarded_from"] = f"Origin {i % 3}"
            if i % 13 == 0:
                msg["edited_unixtime"] = str(base + i * 30 + 600)
            fh.write(json.dumps(msg))
            fh.write(",\n" if i < n else "\n")
        fh.write("]}\n")
    return out
