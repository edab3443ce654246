"""The case report in a real browser (Playwright + Debian Chromium): the worked case's report
fits a 1280 px window without horizontal scrolling, reflows on a phone-sized screen, and in
print on A4 every table, figure and evidence card fits the printable width. The PDF export
through Chromium's own print writes an A4 PDF. Never runs ``playwright install``.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: A4 width minus the report's 12 mm side margins, in CSS pixels (96 per inch).
A4_PRINTABLE_PX = (210 - 2 * 12) / 25.4 * 96

pytestmark = [pytest.mark.browser]

#: Right edge beyond the page's content box, per element kind (JS, run in the page).
OVERFLOW_JS = """() => {
  const limit = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('table, figure, img, article, pre, dl, h1, h2, h3')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > limit + 0.5) {
      out.push(`${el.tagName.toLowerCase()}#${el.id || ''}.${el.className}: right ${r.right.toFixed(1)} > ${limit}`);
    }
  }
  return out;
}"""


def _requirements() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("the Python playwright package is not installed (pip install playwright)")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked case's report (every source of examples/case, 7 propositions, 5 pictures)."""
    from osint_kit.workshop.casefiles import build_case, load_example_case

    _requirements()
    root = tmp_path_factory.mktemp("report")
    case = build_case(root / "case", load_example_case(ROOT / "examples"))
    try:
        html, _md = case.report(root / "report.html")
    finally:
        case.close()
    return html


@pytest.fixture(scope="module")
def browser(report: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser: Any, report: Path, width: int, height: int = 900) -> tuple[Any, list[str]]:
    requests: list[str] = []
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    return page, requests


def _scroll_widths(page: Any) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def test_fits_a_1280_px_window(report: Path, browser: Any) -> None:
    page, requests = _open(browser, report, 1280)
    try:
        scroll, client = _scroll_widths(page)
        assert scroll <= client, f"horizontal scroll: content {scroll} px in a {client} px window"
        assert page.evaluate(OVERFLOW_JS) == []
        assert page.evaluate(
            "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
        assert page.evaluate("() => document.querySelectorAll('article.evidence img').length") == 5
        assert page.locator("article.conclusion").count() == 7
        rows = page.locator("table.matrix tbody tr").count()
        silent = page.locator("#matrix p.muted small").first.inner_text()
        import yaml

        sources = yaml.safe_load((ROOT / "examples" / "case" / "sources.yaml").read_text())
        # every source of the case, once: in a matrix row or in the "silent" list
        assert rows + len(silent.split(":", 1)[1].split(",")) == len(sources["sources"])
    finally:
        page.close()
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


def test_reflows_on_a_narrow_screen(report: Path, browser: Any) -> None:
    page, _ = _open(browser, report, 390, 844)
    try:
        scroll, client = _scroll_widths(page)
        assert scroll <= client, f"horizontal scroll: content {scroll} px in a {client} px window"
        # the evidence card stacks: the thumbnail sits above the text, not beside it
        thumb = page.locator("article.evidence .thumb").first.bounding_box()
        title = page.locator("article.evidence h3").first.bounding_box()
        assert thumb and title and title["y"] >= thumb["y"] + thumb["height"]
    finally:
        page.close()


def test_print_on_a4_every_table_fits_the_page(report: Path, browser: Any,
                                               tmp_path: Path) -> None:
    page, _ = _open(browser, report, round(A4_PRINTABLE_PX), 1000)
    try:
        page.emulate_media(media="print")
        scroll, client = _scroll_widths(page)
        assert client <= A4_PRINTABLE_PX + 1
        assert scroll <= client, f"print layout is {scroll} px wide, A4 prints {client} px"
        assert page.evaluate(OVERFLOW_JS) == []
        widths = page.evaluate(
            "() => [...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right)")
        assert len(widths) >= 5 and max(widths) <= A4_PRINTABLE_PX + 0.5
        # links print as their address (the link text is the URL itself)
        assert page.evaluate("""() => [...document.querySelectorAll('a[href^="http"]')]
            .every(a => a.textContent.trim() === a.getAttribute('href'))""")
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        page.close()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 6  # sections start on new pages


def test_export_pdf_through_chromium(report: Path, tmp_path: Path) -> None:
    from osint_kit.case.report import export_pdf

    out = export_pdf(report, tmp_path / "report.pdf", paper="A4", chromium=str(CHROMIUM))
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and out.stat().st_mode & 0o044 == 0o044  # readable by others
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes, "no page size found in the PDF"
    assert all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)


def test_case_report_pdf_is_logged_in_custody(tmp_path: Path) -> None:
    import hashlib
    import json

    from osint_kit.case import Case

    _requirements()
    case = Case.create(tmp_path / "case", title="pdf")
    try:
        case.add_source(title="A source", url="https://example.org/a")
        paths = case.report(tmp_path / "out" / "report.html", pdf=True)
        entry = case.custody().iloc[-1]
    finally:
        case.close()
    assert [p.suffix for p in paths] == [".html", ".md", ".pdf"]
    details = entry["details"] if isinstance(entry["details"], dict) else json.loads(
        entry["details"])
    assert entry["action"] == "report" and details["pdf"] == "report.pdf"
    assert details["pdf_sha256"] == hashlib.sha256(paths[2].read_bytes()).hexdigest()
