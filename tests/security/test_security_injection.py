"""Script injection through metadata, captures, sources, events and case records.

Every payload of :data:`injection_surfaces.PAYLOADS` goes into every text field osint_kit
reads or stores; everything osint_kit renders as HTML (``_repr_html_`` of every record, the
timeline widget's HTML, the case report, an nbconvert HTML export of a notebook showing them,
and the TimelineJS export rendered the way TimelineJS renders it) is then

* checked in Python: no tag, event handler or ``javascript:`` URL appears that the same
  surface does not also produce for a benign text (what the template owns);
* loaded in headless Chromium: ``window.__pwned`` stays unset, no dialog opens, no request
  leaves the page (only file:, data:, about: URLs), no live ``javascript:`` link exists.

Counts go to ``build/injection-report.json``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from injection_surfaces import (
    PAYLOADS,
    discovered_surfaces,
    injected_markup,
    iter_html_classes,
    strip_csp,
    surfaces,
    timelinejs_doc,
    timelinejs_page,
)

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "build" / "injection-report.json"
BENIGN = "benign text 123"
#: All payloads in one string: the slow surfaces (report, widget, other formats) run once.
COMBINED = " | ".join(PAYLOADS)
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

#: Shared across the module so the browser test can load what the Python tests built.
_RESULTS: dict[str, Any] = {}


def _page(fragments: dict[str, str]) -> str:
    """A harness page WITHOUT any CSP: escaping must hold on its own."""
    body = "".join(f"<section data-surface='{i}'>{html}</section>"
                   for i, html in enumerate(fragments.values()))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>harness</title></head>"
            f"<body>{body}</body></html>")


def _notebook_export(fragments: dict[str, str], hardened: bool) -> str:
    """nbconvert's HTML export of a notebook whose outputs are these displays."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# injection check"))
    for name, html in fragments.items():
        out = nbformat.v4.new_output("display_data", data={"text/html": html,
                                                           "text/plain": name})
        nb.cells.append(nbformat.v4.new_code_cell(f"display({name!r})", outputs=[out]))
    exporter = HTMLExporter(template_name="lab")
    if hardened:  # what osint_kit users should do: no CDN scripts in an evidence export
        for trait in ("require_js_url", "mathjax_url", "jquery_url"):
            if exporter.has_trait(trait):
                setattr(exporter, trait, "data:text/javascript,")
    body, _resources = exporter.from_notebook_node(nb)
    return body


def _executed_notebook(image: Path, payload: str, work: Path) -> str:
    """Run a tiny notebook that displays osint_kit objects, export it to HTML (hardened)."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    p = json.dumps(payload)
    cells = [
        "from osint_kit.media.read.metadata import read_metadata\n"
        f"read_metadata({str(image)!r})",
        "import datetime as dt\nfrom osint_kit.timeline import Event, Precision, Timeline, When\n"
        "w = When(dt.datetime(2022, 11, 18, tzinfo=dt.UTC), dt.datetime(2022, 11, 19, "
        f"tzinfo=dt.UTC), Precision.DAY, text={p}, provenance={p})\n"
        f"Timeline([Event(label={p}, when=w, place={p}, description={p})], title={p})",
        "from osint_kit.sources import Source, Claim\n"
        f"display(Source(id='S0001', title={p}, publisher={p}, notes={p}))\n"
        f"Claim(id='C0001', source_id='S0001', text={p}, claimant={p})",
        f"from osint_kit.geo import Place\nPlace(name={p}, lat=50.4, lon=30.5, note={p})",
        f"from IPython.display import HTML\nfrom osint_kit._html import esc\nHTML(esc({p}))",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(work)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, [e.get("ename") + ": " + e.get("evalue", "") for e in errors]
    exporter = HTMLExporter(template_name="lab")
    for trait in ("require_js_url", "mathjax_url", "jquery_url"):
        if exporter.has_trait(trait):
            setattr(exporter, trait, "data:text/javascript,")
    body, _resources = exporter.from_notebook_node(nb)
    return body


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Render every surface for every payload (cheap ones) and for all at once (slow ones)."""
    if _RESULTS:
        return _RESULTS
    work = tmp_path_factory.mktemp("inject")
    per_payload: dict[int, dict[str, str]] = {}
    for i, payload in enumerate(PAYLOADS):
        frags = surfaces(payload, work, i, full=False)
        found, _skipped = discovered_surfaces(payload)
        frags.update(found)
        per_payload[i] = frags
    baseline = surfaces(BENIGN, work, 90, full=False)
    baseline.update(discovered_surfaces(BENIGN)[0])
    full = surfaces(COMBINED, work, 91, full=True)
    full_base = surfaces(BENIGN, work, 92, full=True)
    disc, skipped = discovered_surfaces(COMBINED)
    _RESULTS.update(per_payload=per_payload, baseline=baseline, full=full,
                    full_base=full_base, discovered=disc, skipped=skipped, work=work)
    return _RESULTS


def _fragment_keys(frags: dict[str, str]) -> list[str]:
    return [k for k in frags if not k.startswith("case report")]


def test_every_html_class_is_covered(built: dict[str, Any]) -> None:
    """Each class with a _repr_html_ is rendered somewhere in this test (or says why not)."""
    names = {f"{c.__module__}.{c.__qualname__}" for c in iter_html_classes()}
    rendered = {k.split(":", 1)[1] for k in built["discovered"]}
    by_hand = {"ImageMetadata", "When", "Event", "Timeline", "Source", "Claim", "Proposition",
               "Capture", "Line", "Caption", "Quotation", "DateMention", "Place", "Case",
               "EvidenceItem", "VerifyReport", "Findings", "Finding"}
    missing = sorted(n for n in names - rendered if n.rsplit(".", 1)[1] not in by_hand)
    print(f"\n{len(names)} classes with _repr_html_; {len(rendered)} built generically; "
          f"not constructible here: {missing}")
    assert len(names) >= 15


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=[f"p{i:02d}" for i in
                                                              range(len(PAYLOADS))])
def test_no_markup_injected_per_payload(built: dict[str, Any], index: int) -> None:
    frags = built["per_payload"][index]
    base = built["baseline"]
    bad = {}
    for key in _fragment_keys(frags):
        problems = injected_markup(frags[key], base.get(key, ""))
        if problems:
            bad[key] = problems
    assert not bad, f"payload {PAYLOADS[index]!r} produced live markup: {bad}"


def test_no_markup_injected_all_surfaces(built: dict[str, Any]) -> None:
    full, base = built["full"], built["full_base"]
    bad = {}
    for key, html in full.items():
        baseline = base.get(key, "")
        if key.startswith("case report"):  # whole pages: compare with the benign report
            baseline = base[key]
        problems = injected_markup(html, baseline)
        if problems:
            bad[key] = problems
    for key, html in built["discovered"].items():
        problems = injected_markup(html, built["baseline"].get(key, ""))
        if problems:
            bad[key] = problems
    assert not bad, f"live markup from payloads: {bad}"


def test_timelinejs_fields_are_escaped() -> None:
    for payload in (*PAYLOADS, COMBINED):
        doc = timelinejs_doc(payload)
        texts = [doc["title"]["text"]["headline"], doc["title"]["text"]["text"]]
        for e in doc["events"]:
            texts += [e["text"]["headline"], e["text"]["text"], e.get("group", ""),
                      e.get("display_date", "")]
        problems = injected_markup("".join(texts))
        assert not problems, (payload, problems)


def test_case_report_keeps_its_csp(built: dict[str, Any]) -> None:
    report = built["full"]["case report (file)"]
    assert "Content-Security-Policy" in report
    assert strip_csp(report) != report


# --- the browser -----------------------------------------------------------------------------


def _pages(built: dict[str, Any], out: Path) -> dict[str, Path]:
    """Write every page to load: one per payload, the full set, report, TimelineJS, notebook."""
    out.mkdir(parents=True, exist_ok=True)
    pages: dict[str, str] = {}
    items = sorted(built["per_payload"].items())
    for start in range(0, len(items), 4):  # four payloads per page keeps the run short
        group = {f"p{i}:{k}": v for i, frags in items[start:start + 4] for k, v in frags.items()}
        pages[f"payloads-{start:02d}"] = _page(group)
    pages["timelinejs-each"] = timelinejs_page(
        *[timelinejs_doc(p) for p in PAYLOADS])
    full = built["full"]
    fragments = {k: v for k, v in full.items() if not k.startswith("case report")}
    fragments.update(built["discovered"])
    pages["all-surfaces"] = _page(fragments)
    pages["case-report"] = full["case report (file)"]
    pages["case-report-no-csp"] = full["case report (no CSP)"]
    pages["timelinejs-all"] = timelinejs_page(timelinejs_doc(COMBINED))
    pages["notebook-export"] = _notebook_export(fragments, hardened=True)
    paths = {}
    for name, html in pages.items():
        path = out / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        paths[name] = path
    return paths


def _browser_or_skip() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    return exe


_JS_LINKS = """() => Array.from(document.querySelectorAll('[href],[src],[action],[formaction]'))
  .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
            || e.getAttribute('formaction') || '')
  .filter(v => /^[\\s\\u0000-\\u001f]*javascript:/i.test(v)).length"""


@pytest.mark.browser
@pytest.mark.enable_socket
def test_payloads_never_run_in_chromium(built: dict[str, Any]) -> None:
    exe = _browser_or_skip()
    from playwright.sync_api import sync_playwright

    pages = _pages(built, built["work"] / "pages")
    image = next((built["work"] / "p91").glob("*.jpg"))
    executed = built["work"] / "pages" / "notebook-executed.html"
    nb_html = _executed_notebook(image, COMBINED, built["work"])
    assert nb_html.count("__pwned") >= 10, "the executed notebook shows no payloads"
    executed.write_text(nb_html, encoding="utf-8")
    pages["notebook-executed"] = executed
    executions: dict[str, int] = {}
    dialogs: list[str] = []
    outside: list[str] = []
    js_links: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(java_script_enabled=True)

            def route(r: Any) -> None:
                if r.request.url.startswith(LOCAL_SCHEMES):
                    r.continue_()
                else:  # record and stop it: nothing may leave, even when a test fails
                    outside.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            def on_dialog(d: Any) -> None:
                dialogs.append(d.message)
                d.dismiss()

            def on_request(r: Any) -> None:
                if not r.url.startswith(LOCAL_SCHEMES):
                    outside.append(r.url)

            page.on("dialog", on_dialog)
            page.on("request", on_request)
            for name, path in pages.items():
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_timeout(60)  # let onload/ontoggle/onerror handlers fire
                flag = page.evaluate("() => window.__pwned || 0")
                if flag:
                    executions[name] = flag
                links = page.evaluate(_JS_LINKS)
                if links:
                    js_links[name] = links
        finally:
            browser.close()
    n_surfaces = (sum(len(f) for f in built["per_payload"].values()) + len(built["full"])
                  + len(built["discovered"]))
    report = {
        "payloads_tried": len(PAYLOADS),
        "surfaces_rendered": n_surfaces,
        "pages_loaded": len(pages),
        "executions_observed": sum(executions.values()),
        "executions_by_page": executions,
        "dialogs_opened": len(dialogs),
        "live_javascript_links": js_links,
        "requests_leaving_page": sorted(set(outside)),
        "network_attempts_observed": len(outside),
        "not_constructible": built["skipped"],
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\ninjection: {len(PAYLOADS)} payloads x {n_surfaces} rendered surfaces, "
          f"{len(pages)} pages in Chromium: {report['executions_observed']} executions, "
          f"{len(dialogs)} dialogs, {len(outside)} requests leaving, {js_links} js: links")
    assert not executions, f"payloads ran: {executions}"
    assert not dialogs, f"dialogs opened: {dialogs}"
    assert not outside, f"requests left the page: {sorted(set(outside))[:10]}"
    assert not js_links, f"live javascript: links: {js_links}"


@pytest.mark.browser
@pytest.mark.enable_socket
def test_browser_harness_detects_a_live_payload(tmp_path: Path) -> None:
    """Control: the same harness does see an unescaped payload run and a request leave."""
    exe = _browser_or_skip()
    from playwright.sync_api import sync_playwright

    page_path = tmp_path / "live.html"
    page_path.write_text(_page({"raw": PAYLOADS[1] + PAYLOADS[26]}), encoding="utf-8")
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            def route(r: Any) -> None:
                if r.request.url.startswith(LOCAL_SCHEMES):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_timeout(60)
            flag = page.evaluate("() => window.__pwned || 0")
        finally:
            browser.close()
    assert flag == 1
    assert any("198.51.100.7" in u for u in outside)
