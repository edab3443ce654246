"""Fuzz targets shared by the Hypothesis tests, ``fuzz.py`` (atheris) and regression replay.

Each target takes raw bytes and a scratch folder and either returns (an acceptable outcome:
a result, or one of the osint_kit errors the function documents) or raises something else,
which is a crash: an uncaught library exception or a broken invariant (AssertionError).
Crash inputs are stored under ``tests/reliability/regressions/<target>/<sha256>`` and replayed
by ``test_reliability_fuzz.py`` forever after.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from osint_kit.errors import (
    CaseError,
    DateError,
    EvidenceError,
    IngestError,
    OsintKitError,
)

HERE = Path(__file__).resolve().parent
REGRESSIONS = HERE / "regressions"

Target = Callable[[bytes, Path], None]


def osint_error_names() -> set[str]:
    """Names of OsintKitError and all its subclasses (what an ``error_type`` may say)."""
    out: set[str] = set()
    todo: list[type] = [OsintKitError]
    while todo:
        cls = todo.pop()
        out.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return out


def _fresh(workdir: Path, name: str) -> Path:
    path = workdir / name
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()
    return path


def t_read_metadata(data: bytes, workdir: Path) -> None:
    from osint_kit.media.read.metadata import read_metadata

    path = _fresh(workdir, "evidence.bin")
    path.write_bytes(data)
    try:
        meta = read_metadata.here(path)  # the reader itself (coverage, crashes)
    except EvidenceError:
        return
    # a result must also be displayable and tabulable
    meta.to_record()
    repr(meta)
    html = meta._repr_html_()
    assert isinstance(html, str)


def t_inspect(data: bytes, workdir: Path) -> None:
    from osint_kit.media.forensics.inspect import inspect

    path = _fresh(workdir, "evidence.jpg")
    path.write_bytes(data)
    try:
        found = inspect.here(path)  # here: the fuzzer sees its coverage and crashes
    except EvidenceError:
        return
    repr(found)
    html = found._repr_html_()
    assert isinstance(html, str)


def t_ingest_html(data: bytes, workdir: Path) -> None:
    from osint_kit.sources import ingest_html

    try:
        cap = ingest_html.here(data)  # here: the fuzzer sees coverage and crashes
    except IngestError:
        return
    repr(cap)
    assert isinstance(cap._repr_html_(), str)


def t_ingest_text(data: bytes, workdir: Path) -> None:
    from osint_kit.sources import ingest_text

    try:
        cap = ingest_text.here(data)
    except IngestError:
        return
    repr(cap)
    assert isinstance(cap._repr_html_(), str)


def t_parse_when(data: bytes, workdir: Path) -> None:
    from osint_kit.timeline import parse_when

    text = data[:400].decode("utf-8", errors="replace")
    try:
        when = parse_when(text)
    except DateError:
        return
    assert when.earliest <= when.latest, (text, when)
    assert when.earliest.tzinfo is not None and when.latest.tzinfo is not None


def t_timesketch_import(data: bytes, workdir: Path) -> None:
    """from_timesketch of arbitrary JSONL and CSV bytes: a Timeline or a TimelineError naming
    the file; a Timeline read back is written out as Timesketch CSV and JSONL and read again
    to the same number of events."""
    from osint_kit.errors import TimelineError
    from osint_kit.timeline.export import (
        from_timesketch,
        to_timesketch_csv,
        to_timesketch_jsonl,
    )

    for suffix in (".jsonl", ".csv"):
        path = _fresh(workdir, f"timesketch{suffix}")
        path.write_bytes(data)
        try:
            timeline = from_timesketch(path)
        except TimelineError as err:
            assert str(err).startswith(str(path)) or str(path) in str(err), str(err)
            continue
        n = len(timeline.df)
        for write, name in ((to_timesketch_jsonl, "again.jsonl"), (to_timesketch_csv,
                                                                    "again.csv")):
            again = write(timeline, _fresh(workdir, name))
            assert len(from_timesketch(again).df) == n, name


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def t_case_import(data: bytes, workdir: Path) -> None:
    """Case.import_ of arbitrary zip bytes: a case or a CaseError, nothing written elsewhere."""
    from osint_kit.case import Case

    box = _fresh(workdir, "import_box")
    box.mkdir()
    (box / "sentinel.txt").write_text("keep", encoding="utf-8")
    archive = box / "in.zip"
    archive.write_bytes(data)
    dest = box / "dest" / "case"
    before = _tree(box)
    try:
        case = Case.import_(archive, dest)
    except CaseError:
        case = None
    if case is not None:
        case.close()
    after = _tree(box)
    outside = {p for p in after - before if not p.startswith(os.path.join("dest", ""))
               and p != "dest"}
    assert not outside, f"import wrote outside its destination: {sorted(outside)[:5]}"
    assert (box / "sentinel.txt").read_text(encoding="utf-8") == "keep"
    for name in ("..", "../..", "../../.."):
        probe = (dest / name).resolve()
        assert not (probe / "evil.txt").exists()


# --- web archives and channel exports (issue 24) -----------------------------------------------


def _archive_outcome(call: Callable[[], object]) -> object | None:
    """Run an archive reader: a result, or None for the errors it documents."""
    from osint_kit.errors import ArchiveError

    try:
        return call()
    except (ArchiveError, EvidenceError):
        return None


def t_warc(data: bytes, workdir: Path) -> None:
    """ingest_warc of arbitrary bytes: a WebArchive or ArchiveError/EvidenceError."""
    from osint_kit.sources.capture.archives import ingest_warc

    path = _fresh(workdir, "fuzz.warc.gz")
    path.write_bytes(data)
    archive = _archive_outcome(lambda: ingest_warc(path))
    if archive is None:
        return
    repr(archive)
    assert isinstance(archive._repr_html_(), str)  # type: ignore[attr-defined]
    for rec in archive.records:  # type: ignore[attr-defined]
        assert len(rec.sha256) == 64 and rec.size >= 0
    assert path.read_bytes() == data


def t_wacz(data: bytes, workdir: Path) -> None:
    """A WACZ (zip) of arbitrary bytes: checked and read, or a documented error."""
    from osint_kit.sources.capture.archives import check_wacz, ingest_warc

    box = _fresh(workdir, "wacz_box")
    box.mkdir()
    path = box / "fuzz.wacz"
    path.write_bytes(data)
    before = _tree(box)
    _archive_outcome(lambda: check_wacz(path))
    archive = _archive_outcome(lambda: ingest_warc(path, allow_mismatch=True))
    if archive is not None:
        repr(archive)
    assert _tree(box) == before, "reading a WACZ wrote files"


def t_telegram(data: bytes, workdir: Path) -> None:
    """read_telegram of arbitrary bytes as result.json: nothing outside the export is read."""
    from osint_kit.sources.capture.archives import read_telegram

    box = _fresh(workdir, "telegram_box")
    (box / "export" / "photos").mkdir(parents=True)
    (box / "outside.jpg").write_bytes(b"outside")
    (box / "export" / "photos" / "p.jpg").write_bytes(b"inside")
    (box / "export" / "result.json").write_bytes(data)
    export = _archive_outcome(lambda: read_telegram(box / "export"))
    if export is None:
        return
    repr(export)
    assert isinstance(export._repr_html_(), str)  # type: ignore[attr-defined]
    outside = hashlib.sha256(b"outside").hexdigest()
    for m in export.messages:  # type: ignore[attr-defined]
        for item in m.media:
            assert item.sha256 != outside, f"read a file outside the export: {item.path!r}"


# --- case inputs: YAML readers, plain CSV tables, exchange zips (issue 19 items 3-5) --------

#: the YAML readers and the errors they document
def _yaml_readers() -> list[tuple[str, Callable[[Path], object], type[Exception]]]:
    from osint_kit.errors import GeoError, SourceError, TimelineError
    from osint_kit.geo import load_places
    from osint_kit.sources import SourceSet
    from osint_kit.timeline import Timeline
    from osint_kit.timeline.derive import load_mapping

    def tables(path: Path) -> object:
        folder = path.parent / "yaml_tables"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        shutil.copyfile(path, folder / "notes.yaml")
        shutil.copyfile(path, folder / "sources.yaml")
        case = _shared_case(path.parent)
        return case.import_tables(folder)

    return [("case tables", tables, CaseError), ("timeline", Timeline.load, TimelineError),
            ("places", load_places, GeoError), ("sources", SourceSet.load, SourceError),
            ("timeliner map", load_mapping, TimelineError)]


_CASES: dict[str, Any] = {}


def _shared_case(workdir: Path) -> Any:
    """One case per scratch folder: creating one per input would spend the time on fsync."""
    from osint_kit.case import Case

    key = str(workdir)
    if key not in _CASES:
        path = workdir / "shared_case"
        shutil.rmtree(path, ignore_errors=True)
        _CASES[key] = Case.create(path, title="fuzz")
    return _CASES[key]


def t_yaml_readers(data: bytes, workdir: Path) -> None:
    """Every YAML reader on the same bytes: a result that displays, or its own error."""
    path = _fresh(workdir, "input.yaml")
    path.write_bytes(data)
    for name, read, error in _yaml_readers():
        try:
            result = read(path)
        except error:
            continue
        repr(result)  # a bad field must have failed at load, not here
        html = getattr(result, "_repr_html_", None)
        if html is not None:
            assert isinstance(html(), str), name
        for item in result if isinstance(result, list) else ():
            repr(item)
            item._repr_html_()


def t_case_tables_csv(data: bytes, workdir: Path) -> None:
    """``import_tables`` of one CSV table (the first byte picks which): records or CaseError,
    and a case that still verifies."""
    from osint_kit.case.schema import TABLES

    names = list(TABLES)
    table = names[data[0] % len(names)] if data else "notes"
    folder = _fresh(workdir, "csv_tables")
    folder.mkdir()
    (folder / f"{table}.csv").write_bytes(data[1:])
    case = _shared_case(workdir)
    with contextlib.suppress(CaseError):
        case.import_tables(folder)
    report = case.verify()
    assert report.ok, report


#: what the first byte of a case_exchange input replaces in the seed export
EXCHANGE_PARTS = ("manifest.json", "custody.jsonl", "tables/notes.jsonl",
                  "tables/evidence.jsonl", "tables/sources.jsonl")


def exchange_zip(seed: bytes, data: bytes) -> bytes:
    """The seed export with one text entry replaced by ``data[1:]`` and the manifest made to
    agree (unless the manifest itself is the part replaced): the bytes reach the parsers."""
    import json

    part = EXCHANGE_PARTS[data[0] % len(EXCHANGE_PARTS)] if data else "manifest.json"
    with zipfile.ZipFile(io.BytesIO(seed)) as zin:
        files = {i.filename: zin.read(i) for i in zin.infolist()}
    files[part] = data[1:]
    if part != "manifest.json":
        manifest = json.loads(files["manifest.json"])
        manifest["files"][part] = {"sha256": hashlib.sha256(data[1:]).hexdigest(),
                                   "size": len(data) - 1}
        files["manifest.json"] = json.dumps(manifest).encode()
    return zip_bytes(list(files.items()))


_EXCHANGE_SEED: list[bytes] = []


def exchange_seed(workdir: Path) -> bytes:
    """A small real export (one evidence file, sources, a note), made once per process."""
    if not _EXCHANGE_SEED:
        from osint_kit.case import Case

        folder = _fresh(workdir, "exchange_seed")
        folder.mkdir()
        img = folder / "photo.jpg"
        img.write_bytes(small_exif_jpeg(folder))
        with Case.create(folder / "case", title="seed") as case:
            case.add_evidence(img, source=None, analyse=False)
            case.add_source(title="a source", kind="wire")
            case.add_note("open question", tags="open")
            case.export(folder / "seed.zip")
        _EXCHANGE_SEED.append((folder / "seed.zip").read_bytes())
    return _EXCHANGE_SEED[0]


def t_case_exchange(data: bytes, workdir: Path) -> None:
    """An exchange zip whose manifest, log or a table is the fuzzer's: CaseError or a case
    that verifies, and nothing written outside the destination (``t_case_import``)."""
    t_case_import(exchange_zip(exchange_seed(workdir), data), workdir)


TARGETS: dict[str, Target] = {
    "read_metadata": t_read_metadata,
    "inspect": t_inspect,
    "ingest_html": t_ingest_html,
    "ingest_text": t_ingest_text,
    "parse_when": t_parse_when,
    "case_import": t_case_import,
    "warc": t_warc,
    "wacz": t_wacz,
    "telegram": t_telegram,
    "timesketch_import": t_timesketch_import,
    "yaml_readers": t_yaml_readers,
    "case_tables_csv": t_case_tables_csv,
    "case_exchange": t_case_exchange,
}


def save_regression(target: str, data: bytes) -> Path:
    """Store a crash input under regressions/<target>/<sha256> (idempotent)."""
    folder = REGRESSIONS / target
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / hashlib.sha256(data).hexdigest()
    if not path.exists():
        path.write_bytes(data)
    return path


def regression_files() -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    if REGRESSIONS.exists():
        for folder in sorted(REGRESSIONS.iterdir()):
            if folder.is_dir() and folder.name in TARGETS:
                out.extend((folder.name, p) for p in sorted(folder.iterdir()) if p.is_file())
    return out


def mutate(data: bytes, edits: list[tuple[int, int, int]], cut: int | None = None) -> bytes:
    """Apply (kind, position, value) edits: 0 = flip bits, 1 = insert a byte, 2 = delete;
    then optionally truncate at ``cut``. Shared by the suite's fuzz tests and ``make fuzz``."""
    buf = bytearray(data)
    for kind, pos, value in edits:
        if not buf:
            break
        i = pos % len(buf)
        if kind == 0:
            buf[i] ^= value or 1
        elif kind == 1:
            buf.insert(i, value)
        else:
            del buf[i]
    if cut is not None and buf:
        buf = buf[: cut % len(buf) + 1]
    return bytes(buf)


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip with the given (name, content) entries, names taken verbatim."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries:
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return buf.getvalue()


def small_exif_jpeg(workdir: Path) -> bytes:
    """A small valid JPEG with EXIF, GPS, IPTC and XMP made by osint_kit.testing.images."""
    from osint_kit.testing.images import gps_tags, make_image, xmp_packet

    path = make_image(
        workdir / "seed.jpg", size=(24, 16),
        exif={"Make": "Canon", "Model": "EOS", "DateTimeOriginal": "2022:11:18 10:30:00",
              "OffsetTimeOriginal": "+05:30", "Artist": "A", "XPTitle": "t",
              "UserComment": b"ASCII\x00\x00\x00hello"},
        gps=gps_tags(lat=50.45, lon=30.52, alt=150.0),
        iptc={"By-line": "B", "Caption-Abstract": "C", "Keywords": ["k1", "k2"]},
        xmp=xmp_packet({"xmp:CreatorTool": "Tool"}, history=[{"action": "saved"}]),
        thumbnail="auto",
    )
    return path.read_bytes()
