"""Web archives and channel exports (issue 24): messages/s and peak memory, pages/s.

* Telegram: a generated single-chat ``result.json`` of 100,000 messages (``full``; 20,000
  for ``quick``), read by ``iter_telegram`` (streaming, one message at a time) and by
  ``read_telegram`` (the whole export kept as records), each in a child process whose peak
  memory is its ``ru_maxrss``. The reference, in the same run and the same way, is the
  obvious implementation: ``json.load`` of the whole file, then the same UTC conversion of
  ``date_unixtime`` per message. Every child imports the same modules first; memory is the
  peak above the process's size after those imports. Ratios: speed = ours / reference (below 1 = slower);
  memory = reference peak / our peak (above 1 = less memory).
* WARC: a generated gzip WARC of 1,000 pages (``full``; 200 for ``quick``) plus one photo,
  ingested whole by ``ingest_warc`` (digests, ``ingest_html`` per page, embedded media).
  Reference: ``ingest_html`` over the same 1,000 HTML payloads held in memory (no archive):
  the ratio shows what reading the archive costs on top of the HTML capture path.

Run: ``python benchmarks/bench_archives.py [quick|full]``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZES = {"quick": {"messages": 20_000, "pages": 200, "repeat": 1},
         "full": {"messages": 100_000, "pages": 1_000, "repeat": 3}}

_CHILD = r"""
import json, resource, sys, time
import datetime as dt
from osint_kit.sources.capture.archives import iter_telegram, read_telegram
import osint_kit.sources.capture.archives.telegram, ijson  # same imports for every mode
mode, path = sys.argv[1], sys.argv[2]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
if mode == "iter":
    n = sum(1 for _ in iter_telegram(path, hash_media=False))
elif mode == "read":
    n = len(read_telegram(path, hash_media=False).messages)
else:
    with open(path, "rb") as fh:
        doc = json.load(fh)
    n = 0
    for m in doc["messages"]:
        dt.datetime.fromtimestamp(int(m["date_unixtime"]), dt.UTC).isoformat()
        n += 1
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"n": n, "seconds": seconds, "peak_mb": peak, "added_mb": peak - base}))
"""


def _child(mode: str, path: Path, script: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(script), mode, str(path)], capture_output=True,
                         text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _telegram(n: int, repeat: int, work: Path) -> list[dict[str, Any]]:
    from osint_kit.sources.capture.archives.samples import generated_export

    path = generated_export(work / "export" / "result.json", n)
    script = work / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    runs: dict[str, list[dict[str, Any]]] = {"iter": [], "read": [], "ref": []}
    for _ in range(repeat):
        for mode in runs:
            result = _child(mode, path, script)
            if result["n"] != n:
                raise RuntimeError(f"{mode}: read {result['n']} of {n} messages")
            runs[mode].append(result)

    def med(mode: str, key: str) -> float:
        return float(statistics.median(r[key] for r in runs[mode]))

    size_mb = path.stat().st_size / 1e6
    rows = []
    for mode, label in (("iter", "iter_telegram (streamed)"),
                        ("read", "read_telegram (kept whole)")):
        speed, ref_speed = n / med(mode, "seconds"), n / med("ref", "seconds")
        rows.append({"measure": f"Telegram {n:,} messages: {label}", "osint_kit": speed,
                     "reference": ref_speed, "ratio": speed / ref_speed, "unit": "messages/s",
                     "note": f"{size_mb:.0f} MB result.json; reference json.load + UTC per "
                             f"message; median of {repeat}"})
        peak, ref_peak = med(mode, "added_mb"), med("ref", "added_mb")
        rows.append({"measure": f"Telegram {n:,} messages: {label} peak memory",
                     "osint_kit": peak, "reference": ref_peak,
                     "ratio": ref_peak / max(peak, 0.1), "unit": "MB",
                     "note": "peak ru_maxrss of a child process minus its ru_maxrss after "
                             f"the imports ({med(mode, 'peak_mb') - peak:.0f} MB); "
                             "ratio = reference / ours"})
    return rows


def _warc(pages: int, repeat: int, work: Path) -> list[dict[str, Any]]:
    from osint_kit.sources.capture.archives import ingest_warc
    from osint_kit.sources.capture.archives.samples import page_html, write_warc
    from osint_kit.sources.capture.ingest import ingest_html

    specs = [{"url": f"https://news.example/story-{i}", "title": f"Story number {i}",
              "body": f"On 18 November 2022 train {i} crossed the bridge, officials said. "
                      * 5, "warc_date": f"2022-11-19T08:{i % 60:02d}:00Z"}
             for i in range(pages)]
    path = write_warc(work / "pages.warc.gz", specs)
    bodies = [(s["url"], page_html(s["title"], s["body"])) for s in specs]
    ours, ref = [], []
    archive = None
    ingest_html(bodies[0][1], url=bodies[0][0])  # warm-up: lazy imports of both paths
    for _ in range(repeat):
        t0 = time.perf_counter()
        archive = ingest_warc(path)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for url, body in bodies:
            ingest_html(body, url=url)
        ref.append(time.perf_counter() - t0)
    if archive is None or len(archive.pages) != pages or \
            any(p.record.digest_status != "ok" for p in archive.pages):
        raise RuntimeError("the WARC benchmark did not ingest every page with its digest ok")
    speed, ref_speed = pages / statistics.median(ours), pages / statistics.median(ref)
    return [{"measure": f"WARC {pages:,} pages: ingest_warc (all pages)", "osint_kit": speed,
             "reference": ref_speed, "ratio": speed / ref_speed, "unit": "pages/s",
             "note": f"{path.stat().st_size / 1e6:.1f} MB gzip WARC; reference ingest_html on "
                     f"the same HTML in memory (no archive); median of {repeat}"}]


def run(size: str = "quick") -> list[dict[str, Any]]:
    cfg = SIZES[size]
    with tempfile.TemporaryDirectory(prefix="bench-archives-") as tmp:
        work = Path(tmp)
        return _telegram(cfg["messages"], cfg["repeat"], work) + \
            _warc(cfg["pages"], cfg["repeat"], work)


if __name__ == "__main__":
    size = sys.argv[1] if len(sys.argv) > 1 else "quick"
    for row in run(size):
        print(row)
