"""ingest_html on saved pages with known truth, and on broken, empty, huge, non-UTF-8 input."""

from __future__ import annotations

from pathlib import Path

import pytest

# Imported at collection (sockets still allowed): urllib3, pulled in by trafilatura, probes
# IPv6 support by creating a local socket once at import time; nothing is connected.
import trafilatura  # noqa: F401
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osint_kit.errors import IngestError
from osint_kit.sources import ingest_html, ingest_text
from osint_kit.sources.capture.records import BOILERPLATE, PAGE_DATE

DATA = Path(__file__).parent / "data"

# file -> (title, author, publisher, published, updated, boilerplate lines, body snippet)
TRUTH = {
    "news_article_en.html": (
        "USA. Wagons with ammunition from North Korea were to go to Russia", "Anna Kowalska",
        "Polish News", "2023-01-21", "2023-01-22",
        {"6.4 C", "Must read", "- Advertisement -", "More articles", "Source link", "Home"},
        "five railway cars moving from Russia to North Korea"),
    "wire_dispatch.html": (
        "U.S. says Russia's Wagner Group bought North Korean weapons", "Jane Doe",
        "Example Wire", "2022-12-22", "2022-12-23",
        {"Cookie settings", "Skip to main content", "World | Business | Markets | Politics",
         "Facebook Twitter LinkedIn", "Related articles", "By Jane Doe"},
        "initial arms delivery to Wagner"),
    "blog_post.html": (
        "Reading rail yards from orbit", "Maria Lopez", "Example Blog", "2023-01-24", None,
        {"Home | About | Archive | Contact", "Share | Tweet | Email", "Read more",
         "Copyright © 2023 Example Blog", "Posted by Maria Lopez"},
        "three-car train was seen on the bridge"),
    "polish_cp1250.html": (
        "Biały Dom pokazał zdjęcia wagonów z amunicją", "Jan Nowak", "Przykładowy Portal",
        "2023-01-20", None,
        {"Strona główna | Świat | Polska | Sport", "Reklama", "Czytaj też"},
        "Zażółć gęślą jaźń"),
    "polish_iso88592.html": (
        "Korea Północna zaprzecza doniesieniom o dostawach amunicji", "Ewa Wiśniewska", None,
        "2022-12-23", None, {"Zaloguj | Szukaj | Kontakt", "Reklama"},
        "Śledztwo w tej sprawie prowadzą eksperci ONZ"),
}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_saved_pages_known_truth(name: str) -> None:
    title, author, publisher, published, updated, boiler, snippet = TRUTH[name]
    cap = ingest_html((DATA / name).read_bytes(), url=f"https://example.org/{name}")
    assert cap.title == title
    assert cap.author == author
    if publisher is not None:
        assert cap.publisher == publisher
    assert cap.published == published
    assert cap.published_provenance and "htmldate" in cap.published_provenance
    assert cap.updated == updated
    found = {ln.text for ln in cap.boilerplate}
    assert boiler <= found, boiler - found
    assert snippet in cap.main_text
    assert not any(b in cap.main_text.splitlines() for b in boiler)
    assert cap.content_hash and len(cap.content_hash) == 64
    assert all(ln.reason for ln in cap.boilerplate)


def test_header_date_in_html_kept_apart() -> None:
    cap = ingest_html((DATA / "news_article_en.html").read_bytes())
    assert cap.page_date is not None and cap.page_date.text == "Monday, February 26, 2024"
    assert cap.published == "2023-01-21"
    assert any(ln.role == PAGE_DATE for ln in cap.lines)


def test_html_captions_quotes_and_encodings() -> None:
    en = ingest_html((DATA / "news_article_en.html").read_bytes())
    assert [(c.caption, c.credit) for c in en.captions] == [
        ("John Kirby at a press conference", "PAP/EPA/MICHAEL REYNOLDS")]
    assert {q.speaker for q in en.quotations} == {"John Kirby", "Yevgeny Prigozhin"}
    pl = ingest_html((DATA / "polish_cp1250.html").read_bytes())
    assert pl.encoding == "windows-1250"
    assert pl.quotations[0].speaker == "Jewgienij Prigożyn"
    iso = ingest_html((DATA / "polish_iso88592.html").read_bytes())
    assert iso.encoding == "iso-8859-2"
    blog = ingest_html((DATA / "blog_post.html").read_bytes())
    assert [(c.caption, c.credit) for c in blog.captions] == [
        ("The Tumangang rail yard seen from space", "Planet Labs")]
    wire = ingest_html((DATA / "wire_dispatch.html").read_bytes())
    speakers = {q.text[:12]: q.speaker for q in wire.quotations}
    assert speakers["We can confi"] == "John Kirby"
    assert speakers["gossip and s"] == "Yevgeny Prigozhin"


def test_undeclared_cp1250_is_detected_or_said() -> None:
    raw = (DATA / "polish_cp1250.html").read_bytes().replace(
        b'<meta charset="windows-1250">', b"")
    cap = ingest_html(raw)
    assert cap.encoding is not None and cap.encoding != "utf-8"
    assert any("detected" in w or "windows-1252" in w for w in cap.warnings)
    assert "Kirby" in cap.main_text


def test_wrong_declared_charset_falls_back() -> None:
    raw = (DATA / "polish_iso88592.html").read_bytes().replace(b"iso-8859-2", b"utf-8")
    cap = ingest_html(raw)
    assert any("does not fit" in w for w in cap.warnings)
    assert "Korea" in cap.main_text


def test_str_input_with_xml_declaration() -> None:
    html = ("<?xml version='1.0' encoding='iso-8859-2'?>"
            + (DATA / "blog_post.html").read_text(encoding="utf-8"))
    cap = ingest_html(html)
    assert cap.title == "Reading rail yards from orbit"


@pytest.mark.parametrize("raw", [b"", b"   \n\t ", "", "<html><head><title>x</title></head>"
                                 "<body><script>var a=1;</script></body></html>"])
def test_empty_pages_raise_clear_error(raw: str | bytes) -> None:
    with pytest.raises(IngestError) as err:
        ingest_html(raw)
    assert "empty" in str(err.value) or "no visible text" in str(err.value)


def test_wrong_type_raises() -> None:
    with pytest.raises(IngestError):
        ingest_html(12345)  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [
    "<html><body><p>Unclosed paragraph <b>bold <i>italic</p><div>Kirby said on Friday"
    " that the train returned.</span></body>",
    "<p>fragment only with a date: November 18, 2022",
    "<<<>>><html><body>\x00\x01 text between junk <p>A real sentence is here.</p>",
    "</html></body><p>reversed tags but some text about Wagner.</p><html>",
    "<html><body><table><tr><td>cell one<td>cell two</table><p>After the table.</p>",
])
def test_malformed_html_gives_a_result(raw: str) -> None:
    cap = ingest_html(raw)
    assert cap.lines
    assert cap.kind == "html"


@pytest.mark.slow
def test_huge_page_is_cut_and_bounded() -> None:
    para = ("<p>" + "The train returned to Russia with containers on the following day. " * 6
            + "</p>\n")
    html = ("<html><head><title>Huge</title></head><body><article><h1>Huge page</h1>"
            + para * (10_000_000 // len(para) + 1) + "</article></body></html>").encode()
    assert len(html) >= 10_000_000
    cap = ingest_html(html)
    assert any("cut" in w for w in cap.warnings)
    assert cap.title in ("Huge", "Huge page")
    assert cap.lines


def test_huge_text_capture_is_cut() -> None:
    text = "Title line\n" + "A sentence on Friday.\n" * 400_000
    cap = ingest_text(text, max_chars=1_000_000)
    assert any("cut" in w for w in cap.warnings) or any("analysed" in w for w in cap.warnings)


def test_plain_text_bytes_in_cp1250() -> None:
    text = "Biały Dom\n\nRzecznik powiedział w piątek, że wagony wróciły do Rosji.\n"
    cap = ingest_text(text.encode("windows-1250"))
    assert "Rosji" in cap.main_text
    assert cap.encoding is not None


def test_empty_text_capture_raises() -> None:
    with pytest.raises(IngestError):
        ingest_text("  \n \n")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_unexpectedly(raw: bytes) -> None:
    try:
        cap = ingest_html(raw)
    except IngestError:
        return
    assert isinstance(cap.lines, tuple)
    assert all(ln.role != BOILERPLATE or ln.reason for ln in cap.lines)
