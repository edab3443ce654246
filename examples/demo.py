"""`make demo`: run the worked case end to end and say where everything is.

Steps (each one reports what it wrote, or fails loudly with the reason):

1. scan ``examples/evidence`` with ``osint_kit.media.scan.scan``; print a table; write
   ``build/demo/scan.csv`` and ``build/demo/scan.parquet``;
2. execute every notebook in ``notebooks/`` into ``build/notebooks/*.ipynb`` and export
   each as HTML (nbclient + nbconvert);
3. build the case folder and write its report: ``build/demo/report.html`` (+ ``.md``, and
   ``.pdf`` printed by Chromium on A4 when Chromium exists);
4. screenshot the report at 1280x900 with headless Chromium (``/usr/bin/chromium`` + the
   Python ``playwright`` package), when both exist: ``build/screenshots/report_first_page.png``,
   ``report_conclusions.png``, ``report_sources.png``, ``report_evidence_item.png``,
   ``report_timeline.png``, ``report_matrix.png`` and ``report_narrow.png`` (390 px wide).

Exit status: 0 when every step worked, 1 otherwise (the failures are listed at the end).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
DEMO = BUILD / "demo"
SHOTS = BUILD / "screenshots"
EXECUTED = BUILD / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")
CELL_TIMEOUT_S = 300
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class DemoStepError(RuntimeError):
    """A demo step could not complete; the message says why and what to do."""


def step_scan() -> list[Path]:
    import pandas as pd

    from osint_kit.media.scan import scan

    evidence = EXAMPLES / "evidence"
    if not any(evidence.glob("*.jpg")):
        raise DemoStepError(f"no evidence files in {evidence}: run "
                            "'python examples/make_reconstructions.py' first")
    df = scan(evidence, progress=False)
    failed = df[df["error"].notna()]
    if len(failed):
        raise DemoStepError(f"{len(failed)} evidence file(s) could not be read: "
                            f"{failed[['file_name', 'error']].to_dict('records')}")
    columns = ["file_name", "width", "height", "software", "datetime_original",
               "offset_original", "iptc_credit", "has_exif", "has_thumbnail"]
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        print(df[columns].to_string(index=False))
    DEMO.mkdir(parents=True, exist_ok=True)
    csv, parquet = DEMO / "scan.csv", DEMO / "scan.parquet"
    df.to_csv(csv, index=False)
    df.to_parquet(parquet, index=False)
    return [csv, parquet]


def run_notebook(path: Path, out_dir: Path, cwd: Path = NOTEBOOKS) -> tuple[Path, Path]:
    """Execute one notebook (kernel working directory ``cwd``) into ``out_dir``, export HTML.

    The HTML is self-contained: no MathJax / require.js from a CDN (``data:`` URLs load
    nothing) and no widget state (its renderer would come from a CDN), so widgets show
    their text form there. Raises DemoStepError naming the notebook on a failing cell.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    out_dir.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    target = out_dir / path.name
    try:
        client.execute()
    except CellExecutionError as err:
        nbformat.write(nb, target)
        raise DemoStepError(f"{path.name} failed (partial output in {target}):\n"
                            f"{str(err)[-1500:]}") from err
    nbformat.write(nb, target)
    nb.metadata.pop("widgets", None)
    empty_js = "data:text/javascript,"
    body, _ = HTMLExporter(mathjax_url=empty_js, require_js_url=empty_js).from_notebook_node(nb)
    html = target.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return target, html


def step_notebooks() -> list[Path]:
    sources = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not sources:
        raise DemoStepError(f"no notebooks found in {NOTEBOOKS}")
    written: list[Path] = []
    for path in sources:
        started = time.monotonic()
        written += run_notebook(path, EXECUTED)
        print(f"  {path.name}: executed in {time.monotonic() - started:.1f} s")
    return written


def step_report() -> list[Path]:
    from osint_kit.case.report import export_pdf, find_chromium
    from osint_kit.workshop.casefiles import build_case, load_example_case

    case = build_case(DEMO / "case", load_example_case(EXAMPLES), overwrite=True)
    try:
        report = case.verify()
        if not getattr(report, "ok", True):
            raise DemoStepError(f"the new case does not verify: {report}")
        html, md = case.report(DEMO / "report.html")
    finally:
        case.close()
    written = [DEMO / "case", html, md]
    if find_chromium() is None:
        print("  PDF skipped: no Chromium on PATH (apt-get install chromium)")
    else:
        written.append(export_pdf(html, DEMO / "report.pdf", paper="A4"))
    return written


#: (file name, element to scroll to the top first or None) of the report screenshots.
REPORT_SHOTS = (("report_first_page.png", None), ("report_conclusions.png", "#conclusions"),
                ("report_sources.png", "#sources"), ("report_timeline.png", "#timeline"),
                ("report_matrix.png", "#matrix"))


def step_screenshot() -> list[Path]:
    report = DEMO / "report.html"
    if not report.is_file():
        raise DemoStepError(f"{report} is missing (the report step failed)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  skipped: the Python 'playwright' package is not installed")
        return []
    if not CHROMIUM.exists():
        print(f"  skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
        return []
    SHOTS.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(report.as_uri())
            for name, anchor in REPORT_SHOTS:
                if anchor:
                    page.evaluate("(sel) => document.querySelector(sel).scrollIntoView()",
                                  anchor)
                shots.append(SHOTS / name)
                page.screenshot(path=str(shots[-1]))
            item = page.locator("article.evidence").nth(1)  # the edited copy: findings
            shots.append(SHOTS / "report_evidence_item.png")
            item.screenshot(path=str(shots[-1]))
            page.set_viewport_size({"width": 390, "height": 844})
            page.evaluate("() => document.querySelector('#evidence').scrollIntoView()")
            shots.append(SHOTS / "report_narrow.png")
            page.screenshot(path=str(shots[-1]))
        finally:
            browser.close()
    return shots


STEPS: list[tuple[str, Callable[[], list[Path]]]] = [
    ("scan the evidence folder", step_scan),
    ("execute the notebooks and export HTML", step_notebooks),
    ("write the case report", step_report),
    ("screenshot the report", step_screenshot),
]


def main() -> int:
    os.environ.pop("MPLBACKEND", None)  # kernels use the inline backend: figures in the HTML
    os.environ.pop("OSINT_KIT_OUTPUT", None)  # notebooks write to build/notebooks
    if shutil.which("jupyter") is None and not (Path(sys.executable).parent / "jupyter").exists():
        print("demo: warning: 'jupyter' not found next to this Python; notebooks may not run")
    outputs: list[tuple[str, list[Path]]] = []
    failures: list[str] = []
    for number, (title, func) in enumerate(STEPS, start=1):
        print(f"\n== demo step {number}/{len(STEPS)}: {title}")
        try:
            paths = func()
        except Exception as err:  # noqa: BLE001 - report every failure, then go on
            detail = "".join(traceback.format_exception_only(type(err), err)).strip()
            print(f"!! demo step {number} ({title}) FAILED: {detail}", file=sys.stderr)
            failures.append(f"step {number} ({title}): {detail.splitlines()[0]}")
            continue
        outputs.append((title, paths))
    print("\n== where everything is")
    for title, paths in outputs:
        for path in paths:
            print(f"  {title:<40} {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if failures:
        print("\ndemo: FAILED steps:", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    print("\ndemo: all steps done. Open build/notebooks/*.html or build/demo/report.html "
          "in a browser, or run 'make lab'.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
