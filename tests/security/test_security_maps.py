"""Script injection through ``interactive_map()`` (folium/Leaflet), checked in Python and Chromium.

folium writes tooltip text between back-ticks in a ``<script>`` (a JavaScript template
literal) that Leaflet then shows as HTML, and branca shows the map in an ``<iframe srcdoc>``.
Every payload of :data:`injection_surfaces.PAYLOADS` goes into place names and photo file
names; then

* in Python: every template literal in the map's script holds no back-tick, ``$``,
  backslash or brace of its own (branca parses the script as a Jinja2 template again, so
  ``{{ ... }}`` would run as Python in the kernel), and the notebook display is an iframe sandboxed without
  ``allow-same-origin``;
* in headless Chromium, with Leaflet replaced by a local stub that renders each tooltip with
  ``innerHTML`` as Leaflet does (no request leaves the page): the saved map and the notebook
  display run no payload, every tooltip shows exactly the original text, and a script planted
  in the map's frame cannot reach the page around it.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from injection_surfaces import PAYLOADS

folium = pytest.importorskip("folium", reason="folium (the webmap extra) is not installed")

from osint_kit.display.maps import MAP_SANDBOX, interactive_map  # noqa: E402
from osint_kit.geo import Place  # noqa: E402

#: Chromium puts sandboxed iframes into their own process, where playwright's routing does not
#: see their requests; keeping them in the page's process lets the stub answer (and every
#: request be seen), without changing what the sandbox allows.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-features=IsolateSandboxedIframes"]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")

#: A Leaflet stand-in: every layer method chains; a tooltip is put into the page with innerHTML.
LEAFLET_STUB = """(function () {
  function layer() {
    var o = {};
    o.addTo = function () { return o; };
    o.bindTooltip = function (content) {
      var d = document.createElement('div'); d.className = 'tt'; d.innerHTML = content;
      document.body.appendChild(d); return o; };
    o.bindPopup = o.bindTooltip;
    return o;
  }
  window.L = {map: layer, tileLayer: layer, marker: layer, circle: layer, circleMarker: layer,
              CRS: {EPSG3857: {}}};
  window.__leaflet_stub = 1;
})();"""


def _map(payloads: list[str]) -> Any:
    places = [Place(name=p, lat=50.0 + i / 100, lon=30.0, uncertainty_m=50.0)
              for i, p in enumerate(payloads)]
    photos = pd.DataFrame({"file_name": payloads, "gps_latitude": [50.0] * len(payloads),
                           "gps_longitude": [30.0 + i / 100 for i in range(len(payloads))]})
    return interactive_map(places, photos, allow_network=True)


def _template_literals(script: str) -> list[str]:
    """The body of each ``bindTooltip(`...`)`` literal, up to the closing `` `, ``."""
    return re.findall(r"bindTooltip\(\s*`(.*?)`,\s*\{", script, flags=re.DOTALL)


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=[f"p{i:02d}" for i in
                                                              range(len(PAYLOADS))])
def test_tooltips_cannot_leave_the_template_literal(index: int) -> None:
    payload = PAYLOADS[index]
    page = _map([payload]).get_root().render()
    bodies = _template_literals(page)
    assert len(bodies) == 2, "one tooltip per place and per photo"
    for body in bodies:
        assert not set(body) & set("`$\\{}"), body
        assert payload in html.unescape(body), "the tooltip does not show the text as it is"
    # the whole script holds exactly the back-ticks of the two literals
    assert page.count("`") == 4


def test_notebook_display_is_a_sandboxed_iframe() -> None:
    shown = _map(["Tumangang"])._repr_html_()
    tags = re.findall(r"<iframe\b[^>]*>", shown)
    assert len(tags) == 1
    sandbox = re.search(r'\ssandbox="([^"]*)"', tags[0])
    assert sandbox is not None, "the map's iframe has no sandbox"
    assert "allow-same-origin" not in sandbox.group(1).split()
    assert sandbox.group(1) == MAP_SANDBOX


# --- Chromium --------------------------------------------------------------------------------


def _browser_or_skip() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    return exe


def _harness(fragment: str) -> str:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>map harness</title></head>"
            f"<body>{fragment}</body></html>")


def _load(pages: dict[str, Path]) -> dict[str, Any]:
    """Load each page; return flags, tooltip texts, dialogs and requests that tried to leave."""
    from playwright.sync_api import sync_playwright

    stubs = {url: (LEAFLET_STUB if name == "leaflet" else "")
             for name, url in folium.Map.default_js}
    stubs.update({url: "" for _name, url in folium.Map.default_css})
    out: dict[str, Any] = {"outside": [], "dialogs": [], "errors": [], "pages": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_browser_or_skip(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()

            def route(r: Any) -> None:
                url = r.request.url
                if url in stubs:  # answered here: nothing is sent anywhere
                    kind = "text/css" if url.endswith(".css") else "text/javascript"
                    r.fulfill(status=200, content_type=kind, body=stubs[url])
                elif url.startswith(LOCAL_SCHEMES):
                    r.continue_()
                else:
                    out["outside"].append(url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()

            def on_dialog(d: Any) -> None:
                out["dialogs"].append(d.message)
                d.dismiss()

            page.on("dialog", on_dialog)
            page.on("pageerror", lambda e: out["errors"].append(str(e)))
            for name, path in pages.items():
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_timeout(100)
                frames = []
                for frame in page.frames:
                    frames.append(frame.evaluate(
                        "() => ({pwned: window.__pwned || 0, stub: window.__leaflet_stub || 0,"
                        " ran: window.__ran || 0,"
                        " tips: Array.from(document.querySelectorAll('div.tt'))"
                        ".map(d => d.textContent.trim())})"))
                out["pages"][name] = frames
        finally:
            browser.close()
    return out


@pytest.mark.browser
@pytest.mark.enable_socket
def test_map_payloads_never_run_in_chromium(tmp_path: Path) -> None:
    payloads = list(PAYLOADS)
    fmap = _map(payloads)
    saved = tmp_path / "map.html"
    fmap.save(str(saved))
    shown = tmp_path / "notebook.html"
    shown.write_text(_harness(fmap._repr_html_()), encoding="utf-8")
    # control: a script planted in the map's own page runs in the frame, but cannot reach out
    planted = tmp_path / "planted.html"
    frame = fmap._repr_html_().replace(
        "&lt;/head&gt;",
        "&lt;script&gt;window.__ran=1;try{parent.__pwned=1}catch(e){}&lt;/script&gt;&lt;/head&gt;",
        1)
    planted.write_text(_harness(frame), encoding="utf-8")

    got = _load({"saved": saved, "notebook": shown, "planted": planted})
    assert not got["outside"], f"requests left the page: {got['outside'][:5]}"
    assert not got["dialogs"], got["dialogs"]
    assert not got["errors"], got["errors"][:5]
    (saved_top,) = got["pages"]["saved"]
    top, inner = got["pages"]["notebook"]
    for frame_state in (saved_top, top, inner):
        assert frame_state["pwned"] == 0, frame_state
    for frame_state in (saved_top, inner):  # the map really ran, with every tooltip
        assert frame_state["stub"] == 1
        assert frame_state["tips"] == [p.replace("\x00", "\ufffd").strip() for p in payloads] * 2
    planted_top, planted_inner = got["pages"]["planted"]
    assert planted_inner["ran"] == 1, "the planted script did not run: the control is void"
    assert planted_top["pwned"] == 0, "a script in the map's frame reached the notebook page"
