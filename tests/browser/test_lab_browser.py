"""A real browser: JupyterLab on loopback driven by Playwright with Debian's Chromium.

Opens the timeline notebook, runs all cells, drags the explorer's date range and checks that
the figure, the count and the table change; then opens exported HTML notebooks and the case
report and checks that their headings and figures are visible. Screenshots go to
``build/screenshots/``. Every request the pages make must stay on loopback, file: or data:.
Never runs ``playwright install``: it uses /usr/bin/chromium or skips.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
EXAMPLES = ROOT / "examples"
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ALLOWED = ("http://127.0.0.1", "ws://127.0.0.1", "file://", "data:", "blob:http://127.0.0.1",
           "about:")

pytestmark = [pytest.mark.browser, pytest.mark.enable_socket, pytest.mark.slow]


def _requirements() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("the Python playwright package is not installed (pip install playwright)")
    if shutil.which("jupyter", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("jupyter (jupyterlab) is not installed next to this Python")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _loopback_sockets() -> None:
    """Module fixtures are built before pytest-socket applies the markers: allow loopback only."""
    import pytest_socket

    pytest_socket.enable_socket()
    pytest_socket.socket_allow_hosts(["127.0.0.1", "::1"], allow_unix_socket=True)


def _wait_until_up(base: str, token: str, proc: subprocess.Popen, seconds: float,
                   log_path: Path, failure: Exception) -> None:
    """Poll JupyterLab's status API until it answers; ``failure`` (with the end of the log
    appended) is raised when the process dies or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                json.load(r)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise type(failure)(f"{failure}:\n{log_path.read_text()[-3000:]}") from err
            time.sleep(0.5)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """JupyterLab on 127.0.0.1 with a copy of the notebooks as its root."""
    _requirements()
    _loopback_sockets()
    work = tmp_path_factory.mktemp("lab")
    root, out = work / "notebooks", work / "out"
    root.mkdir()
    out.mkdir()
    for nb in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(nb, root / nb.name)
    port, token = _free_port(), secrets.token_hex(16)
    env = {**{k: v for k, v in os.environ.items() if k != "MPLBACKEND"},  # inline figures
           "OSINT_KIT_EXAMPLES": str(EXAMPLES), "OSINT_KIT_OUTPUT": str(out),
           "JUPYTER_CONFIG_DIR": str(work / "config"),
           "JUPYTER_RUNTIME_DIR": str(work / "runtime")}
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]
    log = (work / "lab.log").open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, token, proc, 60, work / "lab.log",
                       RuntimeError("JupyterLab did not start"))
        yield {"base": base, "token": token, "out": out, "work": work}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(lab: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _page(browser: Any, requests: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda r: requests.append(r.url))
    return page


def _assert_local(requests: list[str]) -> None:
    outside = sorted({u for u in requests if not u.startswith(ALLOWED)})
    assert not outside, f"pages tried to load outside resources: {outside[:10]}"


def _answer_dialogs(page: Any) -> None:
    """Accept the kernel chooser (a fresh Lab profile may ask) and refuse the news toast."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(".jp-Dialog", timeout=8_000)
    except PlaywrightTimeout:  # no dialog: the normal case
        return
    select = page.locator(".jp-Dialog button", has_text="Select")
    if select.count():
        select.first.click()
    no = page.locator(".jp-toast-button", has_text="No")
    if no.count():
        no.first.click()


def test_timeline_explorer_in_jupyterlab(lab: dict[str, Any], browser: Any) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    SHOTS.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    page = _page(browser, requests)
    page.goto(f"{lab['base']}/lab/tree/03_timeline.ipynb?token={lab['token']}")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    _answer_dialogs(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    try:
        page.wait_for_selector(".ok-timeline-explorer", state="attached", timeout=120_000)
    except PlaywrightTimeout:
        page.screenshot(path=str(SHOTS / "lab_failure.png"))
        log = (lab["work"] / "lab.log").read_text()[-3000:]
        pytest.fail(f"the explorer widget did not appear (see {SHOTS / 'lab_failure.png'});"
                    f" JupyterLab log:\n{log}")
    explorer = page.locator(".ok-timeline-explorer")
    explorer.scroll_into_view_if_needed()
    figure = page.locator(".ok-timeline-explorer img.ok-timeline-figure")
    page.wait_for_function(
        "() => { const i = document.querySelector('.ok-timeline-explorer img'); "
        "return i && i.complete && i.naturalWidth > 0; }", timeout=60_000)
    count = page.locator(".ok-timeline-count")
    table = page.locator(".ok-timeline-table")
    before = (figure.get_attribute("src"), count.inner_text(), table.inner_html())
    import yaml

    events = len(yaml.safe_load((EXAMPLES / "case" / "events.yaml").read_text())["events"])
    assert f"{events} of {events}" in before[1].replace(",", "")
    page.locator(".ok-date-range").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "lab_timeline_before.png"))

    # drag the upper handle of the date range to about 40 % of the slider
    slider = page.locator(".ok-date-range .noUi-base").bounding_box()
    handle = page.locator(".ok-date-range .noUi-handle-upper")
    box = handle.bounding_box()
    assert slider and box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(slider["x"] + slider["width"] * 0.4, box["y"] + box["height"] / 2,
                    steps=15)
    page.mouse.up()
    page.wait_for_function(
        "(old) => { const c = document.querySelector('.ok-timeline-count'); "
        "return c && c.innerText !== old; }", arg=before[1], timeout=60_000)
    page.wait_for_function(
        "(old) => { const i = document.querySelector('.ok-timeline-explorer img'); "
        "return i && i.getAttribute('src') !== old && i.naturalWidth > 0; }",
        arg=before[0], timeout=60_000)
    page.wait_for_function(
        "(old) => { const t = document.querySelector('.ok-timeline-table'); "
        "return t && t.innerHTML !== old; }", arg=before[2], timeout=60_000)
    after = (figure.get_attribute("src"), count.inner_text(), table.inner_html())
    assert after[0] != before[0], "the figure did not change"
    assert after[1] != before[1], "the event count did not change"
    assert after[2] != before[2], "the table did not change"
    shown = int(after[1].split()[0].replace(",", ""))
    assert 0 < shown < events
    page.screenshot(path=str(SHOTS / "lab_timeline_after.png"))
    page.close()
    _assert_local(requests)


def _demo() -> ModuleType:
    sys.dont_write_bytecode = True
    try:
        spec = importlib.util.spec_from_file_location("osint_kit_demo", EXAMPLES / "demo.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.dont_write_bytecode = False


def test_exported_notebooks_and_report(lab: dict[str, Any], browser: Any,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("OSINT_KIT_OUTPUT", str(lab["out"]))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws figures
    _loopback_sockets()
    demo = _demo()
    exported = lab["work"] / "exported"
    pages = {}
    for name in ("03_timeline", "06_conclusions"):
        _nb, html = demo.run_notebook(NOTEBOOKS / f"{name}.ipynb", exported)
        pages[name] = html
    report = lab["out"] / "report.html"  # written by notebook 06
    assert report.is_file()
    requests: list[str] = []
    page = _page(browser, requests)

    page.goto(pages["03_timeline"].as_uri())
    heading = page.get_by_role("heading", name="03 · Timeline", exact=False).first
    assert heading.is_visible()
    images = page.locator(".jp-OutputArea-output img")
    assert images.count() >= 1
    images.first.scroll_into_view_if_needed()
    assert images.first.is_visible()
    assert page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    page.screenshot(path=str(SHOTS / "export_03_timeline.png"), full_page=False)

    page.goto(pages["06_conclusions"].as_uri())
    assert page.get_by_role("heading", name="06 · Conclusions", exact=False).first.is_visible()
    assert page.get_by_text("What stays open").first.is_visible()
    page.screenshot(path=str(SHOTS / "export_06_conclusions.png"))

    page.goto(report.as_uri())
    assert page.locator("h1").first.is_visible()
    for section in ("Evidence", "Timeline", "Open questions"):
        assert page.get_by_role("heading", name=section, exact=False).first.is_visible() or \
            page.get_by_role("heading", name=section, exact=False).count() > 0, section
    assert page.evaluate("() => document.images.length") >= 1
    assert page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    page.screenshot(path=str(SHOTS / "report_first_screen.png"))
    page.close()
    _assert_local(requests)


def _git_status() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"],
                             capture_output=True, text=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout


def _tracked_notebooks() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(NOTEBOOKS.glob("*.ipynb"))}


def test_make_lab_leaves_the_repository_alone(tmp_path: Path, browser: Any) -> None:
    """`make lab` as root: starts (passes --allow-root itself), no news question (settings
    override), Run All + save write only the working copy under build/: git status and the
    tracked notebooks are unchanged."""
    _requirements()
    venv = Path(sys.executable).parent.parent
    if shutil.which("make") is None or not (venv / "bin" / "jupyter").exists():
        pytest.skip("make or a jupyter next to this Python (a venv) is missing")
    before = _git_status()
    if before is None:
        pytest.skip("not a git checkout")
    tracked = _tracked_notebooks()
    _loopback_sockets()
    SHOTS.mkdir(parents=True, exist_ok=True)
    lab_dir = "build/browser-test-lab"
    shutil.rmtree(ROOT / lab_dir, ignore_errors=True)
    port, token = _free_port(), secrets.token_hex(16)
    env = {**{k: v for k, v in os.environ.items() if k != "MPLBACKEND"},
           "PYTHONPATH": str(ROOT), "OSINT_KIT_OUTPUT": str(tmp_path / "out"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    cmd = ["make", "--no-print-directory", "-C", str(ROOT), "lab", f"VENV={venv}",
           "-o", f"{venv}/.lab-installed", f"LAB_DIR={lab_dir}",
           f"LAB_ARGS=--no-browser --ServerApp.port={port} --ServerApp.port_retries=0 "
           f"--IdentityProvider.token={token}"]
    log_path = tmp_path / "make-lab.log"
    log = log_path.open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, token, proc, 90, log_path,
                       AssertionError("make lab did not start JupyterLab"))
        settings_url = (f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification"
                        f"?token={token}")
        with urllib.request.urlopen(settings_url, timeout=10) as r:
            schema = json.load(r)["schema"]["properties"]
        assert schema["fetchNews"]["default"] == "false", schema  # the override is in force

        requests: list[str] = []
        page = _page(browser, requests)
        page.goto(f"{base}/lab/tree/03_timeline.ipynb?token={token}")
        page.wait_for_selector(".jp-Notebook", timeout=60_000)
        _answer_dialogs(page)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_selector(".ok-timeline-explorer", state="attached",
                               timeout=120_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=120_000)
        readout = page.locator(".ok-date-readout")
        readout.scroll_into_view_if_needed()
        assert readout.is_visible()
        text = readout.inner_text()
        assert "2022-09-21" in text and "2024-02-27" in text, text
        assert page.evaluate(  # the readout is not cut: its text fits its box
            "() => { const e = document.querySelector('.ok-date-readout');"
            " return e.scrollWidth <= e.clientWidth + 1; }")
        page.keyboard.press("Control+s")
        page.wait_for_function(
            "() => !document.querySelector('.jp-mod-current.jp-mod-dirty')",
            timeout=30_000)
        assert page.get_by_text("official Jupyter news").count() == 0
        page.screenshot(path=str(SHOTS / "make_lab_after_run_all.png"))
        page.close()
        _assert_local(requests)
        saved = json.loads((ROOT / lab_dir / "03_timeline.ipynb").read_text(encoding="utf-8"))
        assert any(c.get("outputs") for c in saved["cells"] if c["cell_type"] == "code"), \
            "the working copy was not saved with its outputs"
        assert _tracked_notebooks() == tracked, "a tracked notebook was modified"
        assert _git_status() == before, "make lab changed what git sees"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
        log.close()
        shutil.rmtree(ROOT / lab_dir, ignore_errors=True)
