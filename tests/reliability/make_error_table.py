"""Generate docs/errors.md: what each kind of bad input produces, from real calls.

    python tests/reliability/make_error_table.py          # rewrite docs/errors.md
    python tests/reliability/make_error_table.py --check  # exit 1 if it is out of date

Every row below is produced by calling osint_kit on a crafted bad input in a scratch folder;
``test_reliability_error_table.py`` fails when docs/errors.md differs from this output, so
the table cannot drift from the code.
"""

from __future__ import annotations

import functools
import io
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "errors.md"

Case_ = tuple[str, str, str, Callable[[Path], Any]]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _jpeg(tmp: Path) -> bytes:
    from osint_kit.testing.images import make_image

    return make_image(tmp / "_ok.jpg", exif={"Make": "Canon"}).read_bytes()


def _case_zip(tmp: Path, tamper: bool = False) -> Path:
    from osint_kit.case import Case
    from osint_kit.testing.images import make_image

    img = make_image(tmp / "_ev.jpg", exif={"Make": "Canon"})
    case = Case.create(tmp / "_case", title="t", actor="analyst")
    case.add_evidence(img, source=None)
    case.export(tmp / "_case.zip")
    case.close()
    if not tamper:
        return tmp / "_case.zip"
    out = tmp / "_tampered.zip"
    with zipfile.ZipFile(tmp / "_case.zip") as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("objects/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.writestr(info, data)
    return out


def _slip_zip(tmp: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", "{}")
        zf.writestr("../../evil.txt", "x")
    return _write(tmp / "_slip.zip", buf.getvalue())


def _symlink_loop(tmp: Path) -> Path:
    link = tmp / "loop.jpg"
    os.symlink(link, link)
    return link


def _create_twice(tmp: Path) -> Any:
    from osint_kit.case import Case

    Case.create(tmp / "c", title="a").close()
    return Case.create(tmp / "c", title="b")


def _link_out(tmp: Path) -> Path:
    """``evidence/photo.jpg`` linking to a text file outside ``evidence/``."""
    (tmp / "evidence").mkdir()
    _write(tmp / "secret.txt", b"SECRETKEY-0123456789")
    link = tmp / "evidence" / "photo.jpg"
    link.symlink_to(tmp / "secret.txt")
    return link


def _yaml_bomb(tmp: Path, name: str) -> Path:
    """A small "billion laughs": nested YAML aliases."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return _write(tmp / name, ("\n".join(lines) + "\nevents: *a8\n").encode())


def _plain_outside(tmp: Path) -> Path:
    """A plain evidence table whose stored_path points outside its folder."""
    (tmp / "plain").mkdir()
    _write(tmp / "secret.txt", b"private")
    _write(tmp / "plain" / "evidence.csv", f"id,stored_path\nE0001,{tmp}/secret.txt\n".encode())
    return tmp / "plain"


def _padded_export(tmp: Path) -> Path:
    """An export whose manifest.json carries an extra key."""
    import json

    src = _case_zip(tmp)
    out = tmp / "_padded.zip"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["pad"] = [0] * 10
                data = json.dumps(manifest).encode()
            zout.writestr(info, data)
    return out


def cases() -> list[Case_]:
    """(area, bad input, call, function of the scratch folder doing the call)."""
    from osint_kit.case import Case
    from osint_kit.display.maps import interactive_map
    from osint_kit.geo import Place
    from osint_kit.media.read.metadata import read_metadata
    from osint_kit.media.similar.hashes import image_hashes
    from osint_kit.sources import Source, ingest_html, ingest_text
    from osint_kit.timeline import Timeline, parse_when

    def rm(name: str, data: bytes | None) -> Callable[[Path], Any]:
        def call(tmp: Path) -> Any:
            path = tmp / name
            if data is not None:
                path.write_bytes(data)
            return read_metadata(path)
        return call

    import random

    from osint_kit.testing.hostile import giant_jpeg, giant_png, heic_boxes, polyglot
    from osint_kit.testing.hostile_text import deep_page, hostile_timesketch, openers_page
    from osint_kit.timeline.export import from_timesketch

    return [
        ("images", "missing file", "read_metadata", rm("missing.jpg", None)),
        ("images", "a folder instead of a file", "read_metadata", lambda t: read_metadata(t)),
        ("images", "symlink pointing at itself", "read_metadata",
         lambda t: read_metadata(_symlink_loop(t))),
        ("images", "empty file (0 bytes)", "read_metadata", rm("empty.jpg", b"")),
        ("images", "text file named .jpg", "read_metadata", rm("notes.jpg", b"just some text\n")),
        ("images", "PDF with a JPEG appended", "read_metadata",
         lambda t: read_metadata(_write(t / "poly.jpg", polyglot(_jpeg(t), 4)))),
        ("images", "JPEG cut after 200 bytes", "read_metadata",
         lambda t: read_metadata(_write(t / "cut.jpg", _jpeg(t)[:200]))),
        ("images", "JPEG signature then zeros", "read_metadata",
         rm("zeros.jpg", b"\xff\xd8\xff" + b"\x00" * 64)),
        ("images", "PNG declaring 100000x100000 pixels", "read_metadata",
         rm("bomb.png", giant_png())),
        ("images", "PNG declaring 100000x100000 pixels", "image_hashes",
         lambda t: image_hashes(_write(t / "bomb2.png", giant_png()))),
        ("images", "JPEG declaring 65535x65535 pixels", "image_hashes",
         lambda t: image_hashes(_write(t / "bomb.jpg", giant_jpeg()))),
        ("images", "HEIC with a broken box structure", "read_metadata",
         rm("broken.heic", heic_boxes(0, random.Random(0)))),
        ("images", "JPEG cut after 200 bytes", "image_hashes",
         lambda t: image_hashes(_write(t / "cut2.jpg", _jpeg(t)[:200]))),
        ("images", "link to a file outside its folder", "read_metadata",
         lambda t: read_metadata(_link_out(t))),
        ("dates", "empty text", "parse_when", lambda t: parse_when("")),
        ("dates", "text without a date", "parse_when", lambda t: parse_when("no date here")),
        ("dates", "relative day without a reference", "parse_when",
         lambda t: parse_when("on Friday")),
        ("dates", "unknown time zone name", "parse_when",
         lambda t: parse_when("2022-11-18", tz="Mars/Olympus_Mons")),
        ("dates", "4 KB of date-like text", "parse_when",
         lambda t: parse_when("1 - " * 1024)),
        ("timeline", "event table without required columns", "Timeline(df)",
         lambda t: Timeline(__import__("pandas").DataFrame({"what": ["x"]}))),
        ("sources", "empty bytes as a page", "ingest_html", lambda t: ingest_html(b"")),
        ("sources", "page with markup only", "ingest_html",
         lambda t: ingest_html("<html><head><script>x()</script></head><body></body></html>")),
        ("sources", "a number instead of text", "ingest_text", lambda t: ingest_text(42)),  # type: ignore[arg-type]
        ("sources", "meta tag declaring charset base64", "ingest_html",
         lambda t: ingest_html(b'<meta charset="base64"><p>Hello there.</p>')),
        ("sources", "1.1 MB page of 4,000 unterminated comment openers", "ingest_html",
         lambda t: ingest_html(openers_page("<!--"))),
        ("sources", "article text below 300 nested elements", "ingest_html",
         lambda t: ingest_html(deep_page(300))),
        ("timeline", "Timesketch line nested 100,000 deep", "from_timesketch",
         lambda t: from_timesketch(_write(t / "deep.jsonl", hostile_timesketch()[
             "deep list.jsonl"]))),
        ("timeline", "Timesketch precision 'fortnight'", "from_timesketch",
         lambda t: from_timesketch(_write(t / "p.jsonl", hostile_timesketch()[
             "precision.jsonl"]))),
        ("timeline", "Timesketch CSV field of 200,000 characters", "from_timesketch",
         lambda t: from_timesketch(_write(t / "long.csv", hostile_timesketch()[
             "long field.csv"]))),
        ("sources", "unknown source kind", "Source(...)",
         lambda t: Source(id="S0001", kind="rumour mill")),
        *_archive_cases(),
        ("geo", "latitude 100", "Place(...)", lambda t: Place(name="x", lat=100.0, lon=0.0)),
        ("geo", "map tiles without network opt-in", "interactive_map",
         lambda t: interactive_map()),
        ("case", "folder without a case", "Case.open", lambda t: Case.open(t / "nothing")),
        ("case", "create over an existing case", "Case.create",
         lambda t: _create_twice(t)),
        ("case", "file that is not a zip", "Case.import_",
         lambda t: Case.import_(_write(t / "x.zip", b"not a zip"), t / "dest")),
        ("case", "zip entry ../../evil.txt (zip slip)", "Case.import_",
         lambda t: Case.import_(_slip_zip(t), t / "dest2")),
        ("case", "export whose evidence bytes were altered", "Case.import_",
         lambda t: Case.import_(_case_zip(t, tamper=True), t / "dest3")),
        ("case", "export whose manifest has an extra key", "Case.import_",
         lambda t: Case.import_(_padded_export(t), t / "dest4")),
        ("case", "plain evidence table with an absolute stored_path", "Case.from_tables",
         lambda t: Case.from_tables(_plain_outside(t), t / "case5")),
        ("timeline", "YAML with nested aliases (billion laughs)", "Timeline.load",
         lambda t: Timeline.load(_yaml_bomb(t, "bomb.yaml"))),
        ("timeline", "YAML nested 10,000 lists deep", "Timeline.load",
         lambda t: Timeline.load(_write(t / "deep.yaml", b"[" * 10_000 + b"]" * 10_000))),
    ]


def _archive_cases() -> list[Case_]:
    """Web archives and channel exports (osint_kit.sources.capture.archives, issue 24)."""
    import gzip

    from osint_kit.sources.capture.archives import check_wacz, ingest_warc, read_telegram
    from osint_kit.sources.capture.archives.samples import write_wacz, write_warc

    def bomb(t: Path) -> Path:
        head = (b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://x.example/\r\n"
                b"Content-Length: 900000000\r\n\r\n")
        return _write(t / "bomb.warc.gz", gzip.compress(head + b"\0" * (200 << 20), 9))

    def slip(t: Path) -> Path:
        return write_wacz(t / "slip.wacz", write_warc(t / "a.warc.gz"),
                          extra=[("../evil.txt", b"x")])

    def lie(t: Path) -> Path:
        return write_wacz(t / "lie.wacz", write_warc(t / "b.warc.gz"),
                          lie_about="archive/data.warc.gz")

    def telegram(t: Path, text: str) -> Any:
        return read_telegram(_write(t / "result.json", text.encode()))

    return [
        ("archives", "text file named .warc", "ingest_warc",
         lambda t: ingest_warc(_write(t / "x.warc", b"not an archive\n"))),
        ("archives", "gzip bomb in a WARC (200 MiB of zeros)", "ingest_warc",
         lambda t: ingest_warc(bomb(t))),
        ("archives", "WACZ member ../evil.txt (zip slip)", "check_wacz",
         lambda t: check_wacz(slip(t))),
        ("archives", "WACZ whose datapackage.json hash lies", "ingest_warc",
         lambda t: ingest_warc(lie(t))),
        ("archives", "result.json cut in the middle", "read_telegram",
         lambda t: telegram(t, '{"name": "x", "messages": [{"id": 1, "text": "a')),
        ("archives", "result.json message with a path outside the export", "read_telegram",
         lambda t: telegram(t, '{"name": "x", "messages": [{"id": 1, "type": "message", '
                               '"date_unixtime": "1668763800", "text": "a", '
                               '"photo": "../../etc/passwd"}]}')),
    ]


def _outcome(call: Callable[[Path], Any]) -> tuple[str, str]:
    with tempfile.TemporaryDirectory(prefix="okerr") as tmp:
        real = os.path.realpath(tmp)
        try:
            result = call(Path(tmp))
        except Exception as err:  # noqa: BLE001 - recording what escapes is the point
            msg = str(err).replace(real, "…").replace(tmp, "…")
            msg = re.sub(r"0x[0-9a-f]{6,}", "0x…", msg)
            msg = re.sub(r"objects/[0-9a-f]{2}/[0-9a-f]{62}", "objects/<sha256>", msg)
            msg = re.sub(r"[0-9a-f]{12,}", "<sha256>", msg)  # stable across Pillow versions
            msg = re.sub(r"\b\d{3,} bytes", "N bytes", msg)
            return type(err).__name__, msg
        warnings = getattr(result, "warnings", ())
        text = f"returns a {type(result).__name__}"
        if warnings:
            text += f" with {len(warnings)} warning(s), first: {warnings[0]}"
        return "(no error)", text.replace(real, "…").replace(tmp, "…")


def _cell(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit] + "…"
    return text.replace("|", "\\|")


@functools.cache
def outcomes() -> tuple[tuple[str, str, str, str, str], ...]:
    """(area, bad input, call, error class, message) for every case, computed once."""
    return tuple((area, what, name, *_outcome(call)) for area, what, name, call in cases())


def render() -> str:
    rows = [f"| {area} | {_cell(what)} | `{name}` | `{cls}` | {_cell(msg)} |"
            for area, what, name, cls, msg in outcomes()]
    head = [
        "# What bad input produces",
        "",
        "<!-- GENERATED by tests/reliability/make_error_table.py from real calls; do not edit.",
        "     test_reliability_error_table.py fails when this file is out of date. -->",
        "",
        "Every error osint_kit raises on purpose is a subclass of `osint_kit.errors.OsintKitError`",
        "(see the tree in `osint_kit/errors.py`). Single-item functions raise it; batch functions",
        "(`scan`, `perceptual_hashes`, `inspect_scan`) never stop on one file: they record the",
        "same class name in the `error_type` column and the message in `error`. Paths in the",
        "messages below are shortened to `…`.",
        "",
        "| area | bad input | call | error class | message |",
        "|---|---|---|---|---|",
    ]
    return "\n".join(head + rows) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC} is out of date; run python {Path(__file__).relative_to(ROOT)}")
            return 1
        return 0
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
