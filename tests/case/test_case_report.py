"""The report: self-contained, escaped, renders in headless Chromium without network."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from case_factory import PAYLOAD, build_case

from osint_kit.case.report import md_esc

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("report")
    case = build_case(root / "case", root / "files", payload=PAYLOAD)
    html, md = case.report(root / "out" / "report.html")
    assert case.verify().ok
    assert list(case.custody()["action"])[-1] == "report"
    case.close()
    return html, md


def test_html_is_self_contained_and_escaped(hostile_report: tuple[Path, Path]) -> None:
    html = hostile_report[0].read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "onerror=" not in html.replace("onerror=&quot;", "")
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    for url in re.findall(r"""(?:src|href)\s*=\s*['"]([^'"]*)""", html):
        assert url.startswith(("data:image/png;base64,", "#")), url
    assert "<link" not in html and "@import" not in html and "url(" not in html
    for section in ("Summary", "Evidence", "Timeline", "Claims x sources",
                    "Independence of sources", "Open questions", "Chain of custody"):
        assert f">{section}</h2>" in html
    assert "Who took the satellite image?" in html  # the open question


def test_markdown_is_escaped(hostile_report: tuple[Path, Path]) -> None:
    md = hostile_report[1].read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md
    assert "## Chain of custody" in md and "## Evidence" in md
    assert md_esc("a|b\nc [x](javascript:y)") == "a\\|b c \\[x\\](javascript:y)"


@pytest.mark.browser
def test_report_renders_in_chromium_without_network_or_scripts(
    hostile_report: tuple[Path, Path],
) -> None:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("the playwright Python package is not installed (pip install playwright)")
    from playwright.sync_api import sync_playwright

    html_path = hostile_report[0]
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(html_path.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("() => typeof window.__pwned") == "undefined"
            assert page.evaluate("() => document.querySelectorAll('script').length") == 0
            assert page.evaluate(
                "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
            assert page.locator("h2", has_text="Chain of custody").count() == 1
            shot = ROOT / "build" / "case-report.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 1000
        finally:
            browser.close()
    assert requests, "the page load itself should be recorded"
    bad = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert bad == []
