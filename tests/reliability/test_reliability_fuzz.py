"""Bounded property-based fuzzing of every reader of untrusted input.

Only the errors a function documents may escape (EvidenceError for readers, DateError for
``parse_when``, IngestError for ingest, CaseError for ``Case.import_``); anything else is a
crash. Every input that once crashed is kept under ``regressions/<target>/`` and replayed here.
Runs are derandomised (reproducible in CI); ``make fuzz`` explores further with atheris.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_targets import (
    TARGETS,
    mutate,
    regression_files,
    small_exif_jpeg,
    t_case_import,
    t_ingest_html,
    t_ingest_text,
    t_parse_when,
    t_read_metadata,
    zip_bytes,
)

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large],
)

MAGIC = {
    "JPEG": b"\xff\xd8\xff",
    "JPEG_EXIF": b"\xff\xd8\xff\xe1\x00\x40Exif\x00\x00",
    "PNG": b"\x89PNG\r\n\x1a\n",
    "TIFF_LE": b"II*\x00",
    "TIFF_BE": b"MM\x00*",
    "WEBP": b"RIFF\x00\x01\x00\x00WEBPVP8X",
    "HEIF": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
    "AVIF": b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif",
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@functools.cache
def seed_jpeg() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return small_exif_jpeg(Path(tmp))


@functools.cache
def seed_case_zip() -> bytes:
    """A real export of a small case (one evidence file, one note)."""
    from osint_kit.case import Case

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        img = work / "photo.jpg"
        img.write_bytes(seed_jpeg())
        case = Case.create(work / "seedcase", title="fuzz seed")
        case.add_evidence(img, source=None, acquired_from="https://example.invalid/x")
        case.add_note("an open question", tags="open")
        case.export(work / "seed.zip")
        case.close()
        return (work / "seed.zip").read_bytes()


edits_st = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 1 << 20), st.integers(0, 255)),
    min_size=1, max_size=24,
)


# --- image readers -------------------------------------------------------------------------------


@FUZZ
@given(magic=st.sampled_from(sorted(MAGIC)), body=st.binary(max_size=2048))
def test_read_metadata_random_bytes_after_magic(workdir: Path, magic: str, body: bytes) -> None:
    t_read_metadata(MAGIC[magic] + body, workdir)


@FUZZ
@given(edits=edits_st, cut=st.none() | st.integers(0, 1 << 20))
def test_read_metadata_mutated_exif_jpeg(
    workdir: Path, edits: list[tuple[int, int, int]], cut: int | None
) -> None:
    # focus the edits on the metadata segments at the start of the file
    head = min(len(seed_jpeg()), 2048)
    edits = [(k, p % head, v) for k, p, v in edits]
    t_read_metadata(mutate(seed_jpeg(), edits, cut), workdir)


@settings(FUZZ, max_examples=60)
@given(edits=edits_st)
def test_inspect_mutated_exif_jpeg(
    workdir: Path, edits: list[tuple[int, int, int]]
) -> None:
    head = min(len(seed_jpeg()), 2048)
    TARGETS["inspect"](mutate(seed_jpeg(), [(k, p % head, v) for k, p, v in edits], None),
                       workdir)


# --- dates ----------------------------------------------------------------------------------------

date_words = st.sampled_from([
    "2022-11-18", "18 November 2022", "mid-November 2022", "Friday", "between", "and",
    "10:30", "+05:30", "UTC", "w piątek", "listopad", "early", "late", "2022", "Q4",
    "T", "Z", "-", "/", "..", "99:99", "0000-00-00", "9999-12-31T23:59:59+14:00", "ago",
])


@FUZZ
@given(text=st.text(max_size=200))
def test_parse_when_arbitrary_text(workdir: Path, text: str) -> None:
    t_parse_when(text.encode("utf-8", "surrogatepass"), workdir)


@FUZZ
@given(words=st.lists(date_words | st.text(max_size=6), max_size=8))
def test_parse_when_date_like_text(workdir: Path, words: list[str]) -> None:
    t_parse_when(" ".join(words).encode("utf-8", "surrogatepass"), workdir)


# --- ingest ---------------------------------------------------------------------------------------

html_bits = st.sampled_from([
    "<html>", "<head>", "<title>", "</title>", "<body>", "<p>", "</p>", "<article>", "<figure>",
    "<figcaption>", "</figcaption>", "<script>", "</script>", "<meta name='date' content='",
    "2022-11-18", "'>", "<time datetime='", "\u201c", "\u201d", '"', "<", ">", "&amp;", "&#0;",
    "<!--", "-->", "<![CDATA[", "\x00", "<?xml version='1.0' encoding='utf-16'?>", "\ufeff",
])


@FUZZ
@given(data=st.binary(max_size=4096))
def test_ingest_html_random_bytes(workdir: Path, data: bytes) -> None:
    t_ingest_html(data, workdir)


@FUZZ
@given(parts=st.lists(html_bits | st.text(max_size=20), max_size=40))
def test_ingest_html_markup_soup(workdir: Path, parts: list[str]) -> None:
    t_ingest_html("".join(parts).encode("utf-8", "surrogatepass"), workdir)


@FUZZ
@given(data=st.binary(max_size=4096))
def test_ingest_text_random_bytes(workdir: Path, data: bytes) -> None:
    t_ingest_text(data, workdir)


@FUZZ
@given(parts=st.lists(html_bits | date_words | st.text(max_size=30), max_size=40))
def test_ingest_text_soup(workdir: Path, parts: list[str]) -> None:
    t_ingest_text("\n".join(parts).encode("utf-8", "surrogatepass"), workdir)


# --- case import ----------------------------------------------------------------------------------

zip_names = st.sampled_from([
    "manifest.json", "custody.jsonl", "tables/evidence.jsonl", "tables/notes.jsonl",
    "objects/ab/" + "c" * 62, "../evil.txt", "../../evil.txt", "/tmp/evil.txt",
    "objects/../../evil.txt", "C:\\evil.txt", "objects\\..\\evil.txt", "tables/",
    "a" * 300, "objects/ab/" + "c" * 62 + "/../../../evil.txt", "",
])


@settings(FUZZ, max_examples=80)
@given(entries=st.lists(st.tuples(zip_names, st.binary(max_size=64)), max_size=6))
def test_case_import_crafted_zips(workdir: Path, entries: list[tuple[str, bytes]]) -> None:
    try:
        data = zip_bytes(entries)
    except ValueError:  # zipfile refuses some names itself
        return
    t_case_import(data, workdir)


@settings(FUZZ, max_examples=80)
@given(edits=edits_st, cut=st.none() | st.integers(0, 1 << 20))
def test_case_import_mutated_export(
    workdir: Path, edits: list[tuple[int, int, int]], cut: int | None
) -> None:
    t_case_import(mutate(seed_case_zip(), edits, cut), workdir)


@settings(FUZZ, max_examples=40)
@given(data=st.binary(max_size=1024))
def test_case_import_random_bytes(workdir: Path, data: bytes) -> None:
    t_case_import(b"PK\x03\x04" + data, workdir)


# --- web archives and channel exports (issue 24) ------------------------------------------------


@functools.cache
def archive_seeds() -> dict[str, bytes]:
    from osint_kit.sources.capture.archives.samples import teaching_channels, write_wacz, write_warc

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warc = write_warc(work / "s.warc.gz")
        return {"warc": warc.read_bytes(),
                "warc_plain": write_warc(work / "p.warc", gzip=False).read_bytes(),
                "wacz": write_wacz(work / "s.wacz", warc).read_bytes(),
                "telegram": teaching_channels(work / "tg")[0].read_bytes()}


@settings(FUZZ, max_examples=60)
@given(which=st.sampled_from(["warc", "warc_plain"]), edits=edits_st,
       cut=st.none() | st.integers(0, 1 << 20))
def test_warc_mutated(workdir: Path, which: str, edits: list[tuple[int, int, int]],
                      cut: int | None) -> None:
    TARGETS["warc"](mutate(archive_seeds()[which], edits, cut), workdir)


@settings(FUZZ, max_examples=40)
@given(edits=edits_st, cut=st.none() | st.integers(0, 1 << 20))
def test_wacz_mutated(workdir: Path, edits: list[tuple[int, int, int]], cut: int | None) -> None:
    TARGETS["wacz"](mutate(archive_seeds()["wacz"], edits, cut), workdir)


@settings(FUZZ, max_examples=80)
@given(edits=edits_st, cut=st.none() | st.integers(0, 1 << 20))
def test_telegram_mutated(workdir: Path, edits: list[tuple[int, int, int]],
                          cut: int | None) -> None:
    TARGETS["telegram"](mutate(archive_seeds()["telegram"], edits, cut), workdir)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "type", "text", "date_unixtime", "photo", "file", "from",
                         "forwarded_from", "messages", "chats", "list", "name", "href",
                         "edited_unixtime", "reply_to_message_id"]), inner, max_size=6),
    max_leaves=30)


@settings(FUZZ, max_examples=80)
@given(doc=json_values)
def test_telegram_structured_json(workdir: Path, doc: object) -> None:
    import json

    wrapped = {"name": "fuzz", "messages": doc if isinstance(doc, list) else [doc]}
    TARGETS["telegram"](json.dumps(wrapped).encode(), workdir)


# --- every crash ever found ---------------------------------------------------------------------

_REGRESSIONS = regression_files()


@pytest.mark.parametrize(
    ("target", "path"), _REGRESSIONS,
    ids=[f"{t}/{p.name[:12]}" for t, p in _REGRESSIONS],
)
def test_regression_inputs_replay(target: str, path: Path, workdir: Path) -> None:
    TARGETS[target](path.read_bytes(), workdir)


def test_regression_folder_is_not_empty() -> None:
    """The replay above must really run: crashes found so far are stored as files."""
    assert _REGRESSIONS, "tests/reliability/regressions/ holds no inputs"


# --- case inputs: YAML readers, plain CSV tables, exchange zips (issue 19 items 3-5) --------

yaml_bits = st.sampled_from([
    "events:", "sources:", "places:", "- ", "  ", "label: ", "when: ", "id: ", "name: ",
    "lat: ", "lon: ", "title: ", "text: ", "&a ", "*a", "<<: ", "[", "]", "{", "}", ",", ": ",
    "\n", "2022-11-18", "!!python/object:os.system", "!!binary ", "~", "null", "1e999",
    "earliest: ", "latest: ", "precision: ", "confidence: ", "'", '"', "? ", "---", "...",
])


@settings(FUZZ, max_examples=60)
@given(parts=st.lists(yaml_bits | st.text(max_size=8), max_size=40))
def test_yaml_readers_on_yaml_soup(workdir: Path, parts: list[str]) -> None:
    from reliability_targets import t_yaml_readers

    t_yaml_readers("".join(parts).encode("utf-8", "surrogatepass"), workdir)


@settings(FUZZ, max_examples=60)
@given(table=st.integers(0, 7), rows=st.lists(
    st.lists(st.text(max_size=12) | st.sampled_from(
        ["id", "E0001", "stored_path", "objects/ab/" + "c" * 62, "/etc/passwd", "../x",
         "original_name", "size", "-1", "sha256", '"', "\r\n", "\x00"]), max_size=6),
    max_size=5))
def test_case_tables_csv_soup(workdir: Path, table: int, rows: list[list[str]]) -> None:
    import csv
    import io

    from reliability_targets import t_case_tables_csv

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    t_case_tables_csv(bytes([table]) + buf.getvalue().encode("utf-8", "surrogatepass"),
                      workdir)


@settings(FUZZ, max_examples=60)
@given(part=st.integers(0, 4), body=st.binary(max_size=512) | st.sampled_from([
    b"{}", b"[" * 5000, b'{"seq": 1, "entry": "[[[[", "hash": "x"}\n', b"\n\n",
    b'{"format": "osint_kit-case", "version": 1, "head": null, "files": {}, "x": 1}']))
def test_case_exchange_parts(workdir: Path, part: int, body: bytes) -> None:
    from reliability_targets import t_case_exchange

    t_case_exchange(bytes([part]) + body, workdir)
