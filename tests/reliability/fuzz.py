"""``make fuzz``: coverage-guided fuzzing of the readers for a chosen number of minutes.

    python tests/reliability/fuzz.py --minutes 5            # all targets, time split evenly
    python tests/reliability/fuzz.py --minutes 2 --target parse_when
    python tests/reliability/fuzz.py --minutes 1 --engine hypothesis

Targets (``reliability_targets.TARGETS``): read_metadata, inspect, ingest_html, ingest_text,
parse_when, case_import, warc, wacz, telegram, timesketch_import, yaml_readers, case_tables_csv,
case_exchange. Each runs in its own process under atheris (libFuzzer) with
coverage instrumentation of osint_kit and its parsers (exifread, Pillow's Python plugins,
lxml wrappers...), starting from a seed corpus of valid inputs under build/fuzz-corpus/.
An input that raises anything but the documented osint_kit error, or breaks an invariant,
is saved as ``tests/reliability/regressions/<target>/<sha256>`` (replayed by the test suite
forever after); an input that takes longer than ``--timeout`` seconds stays in
build/fuzz-artifacts/<target>/ and is listed in the report as slow (not replayed: it is slow,
not wrong).
Where atheris is missing or cannot run, the same targets are driven by Hypothesis with a
large example budget for the same time (``--engine hypothesis`` forces that).
Summary: build/fuzz-report.json.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

BUILD = ROOT / "build"
CORPUS = BUILD / "fuzz-corpus"
ARTIFACTS = BUILD / "fuzz-artifacts"
REPORT = BUILD / "fuzz-report.json"


def _archive_seeds(target: str, work: Path) -> list[bytes]:
    """Seeds for the web-archive and channel-export targets (issue 24)."""
    from osint_kit.sources.capture.archives.samples import (
        teaching_channels,
        write_wacz,
        write_warc,
    )

    if target == "warc":
        return [write_warc(work / "s.warc.gz").read_bytes(),
                write_warc(work / "s.warc", gzip=False).read_bytes()]
    if target == "wacz":
        return [write_wacz(work / "s.wacz", write_warc(work / "w.warc.gz")).read_bytes()]
    origin, forwards = teaching_channels(work / "tg")
    return [origin.read_bytes(), forwards.read_bytes()]


def _case_input_seeds(target: str, work: Path) -> list[bytes] | None:
    """Seeds of the case-input targets (YAML readers, CSV tables, exchange zips); None for
    the other targets."""
    from reliability_targets import EXCHANGE_PARTS, exchange_seed

    if target not in ("yaml_readers", "case_tables_csv", "case_exchange"):
        return None
    from osint_kit.case import Case
    from osint_kit.case.schema import TABLES

    examples = ROOT / "examples" / "case"
    seeds = []
    with Case.create(work / "tables_case", title="seed") as case:
        sid = case.add_source(title="A source, \"quoted\"", kind="wire", credibility=3)
        pid = case.add_proposition(statement="Five rail cars crossed")
        case.add_claim(source_id=sid, proposition_id=pid, text="line\nbreak", is_quote=True)
        case.add_note("open: who?", tags="open")
        case.add_event(label="e", earliest="2022-11-18T00:00:00+00:00",
                       latest="2022-11-18T23:59:59+00:00")
        fmt = "yaml" if target == "yaml_readers" else "csv"
        case.export_tables(work / "tables", fmt=fmt)
    if target == "yaml_readers":
        seeds += [p.read_bytes() for p in sorted((work / "tables").glob("*.yaml"))]
        seeds += [p.read_bytes() for p in sorted(examples.glob("*.yaml"))]
        seeds += [b"events:\n- label: a\n  when: {earliest: 2022-11-18T00:00:00+00:00, "
                  b"latest: 2022-11-19T00:00:00+00:00, precision: day}\n",
                  b"a: &a [1, 2]\nb: [*a, *a]\n"]
    elif target == "case_tables_csv":
        names = list(TABLES)
        for path in sorted((work / "tables").glob("*.csv")):
            if path.stem in names:
                seeds.append(bytes([names.index(path.stem)]) + path.read_bytes())
    else:
        seed = exchange_seed(work)
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(seed)) as zf:
            for i, part in enumerate(EXCHANGE_PARTS):
                seeds.append(bytes([i]) + zf.read(part))
    return seeds


def _seeds(target: str, work: Path) -> list[bytes]:
    """Valid (or nearly valid) inputs to start from."""
    if target in ("warc", "wacz", "telegram"):
        return _archive_seeds(target, work)
    from reliability_targets import small_exif_jpeg

    case_inputs = _case_input_seeds(target, work)
    if case_inputs is not None:
        return case_inputs

    if target in ("read_metadata", "inspect"):
        import random

        from osint_kit.testing.hostile import giant_png, heic_boxes, ifd_cycle

        jpeg = small_exif_jpeg(work)
        return [jpeg, ifd_cycle(0), giant_png(), heic_boxes(4, random.Random(0)), b"II*\x00"]
    if target == "ingest_html":
        from osint_kit.testing.hostile_text import deep_page, openers_page

        return [b"<html><head><title>T</title><meta name='date' content='2022-11-18'></head>"
                b"<body><article><h1>Headline</h1><p>He said \xe2\x80\x9cno\xe2\x80\x9d on "
                b"Friday.</p><figure><figcaption>A car. Photo: X/AP</figcaption></figure>"
                b"</article></body></html>",
                b"<html><head><meta charset='base64'><script type='application/ld+json'>"
                b'{"datePublished": [[["2022-11-18"]]]}</script></head><body><p>x</p></body>',
                deep_page(300).encode(), openers_page("<!--", 50, 5000).encode()]
    if target == "timesketch_import":
        from osint_kit.timeline import Event, Timeline, parse_when
        from osint_kit.timeline.export import to_timesketch_csv, to_timesketch_jsonl

        timeline = Timeline([Event(label="=1+1 seen", when=parse_when("mid-November 2022"),
                                   description="d", place="@x", actors=("A", "B")),
                             Event(label="b", when=parse_when("2022-11-18T10:30:00+05:30"))])
        return [to_timesketch_jsonl(timeline, work / "s.jsonl").read_bytes(),
                to_timesketch_csv(timeline, work / "s.csv").read_bytes()]
    if target == "ingest_text":
        return ["Title\n\nOn 18 November 2022 the mayor said “no”.\nPhoto: X/AP\n".encode()]
    if target == "parse_when":
        return [b"2022-11-18", b"mid-November 2022", b"between 10:00 and 11:00 UTC+2",
                b"Friday", b"18 listopada 2022", b"2022-11-18T10:30:00+05:30"]
    if target == "case_import":
        from osint_kit.case import Case

        img = work / "seed.jpg"
        img.write_bytes(small_exif_jpeg(work))
        case = Case.create(work / "case", title="seed")
        case.add_evidence(img, source=None)
        case.add_note("open question", tags="open")
        case.export(work / "seed.zip")
        case.close()
        return [(work / "seed.zip").read_bytes()]
    return [b""]


def _prepare_corpus(target: str) -> Path:
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for data in _seeds(target, Path(tmp)):
            (folder / hashlib.sha256(data).hexdigest()).write_bytes(data)
    return folder


# --- one target in this process -------------------------------------------------------------------


def _guarded(target: str, work: Path) -> tuple[Callable[[bytes], None], dict[str, int]]:
    """The target wrapped so a crash is saved and counted, and fuzzing goes on."""
    from reliability_targets import TARGETS, save_regression

    fn = TARGETS[target]
    stats = {"runs": 0, "crashes": 0}
    seen: set[str] = set()

    def one(data: bytes) -> None:
        stats["runs"] += 1
        try:
            fn(data, work)
        except Exception as err:  # noqa: BLE001 - this is what we are hunting
            stats["crashes"] += 1
            frames = traceback.extract_tb(err.__traceback__)
            where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
            key = f"{type(err).__name__} at {where}"
            if key not in seen:  # one regression file per distinct bug, not per input
                seen.add(key)
                path = save_regression(target, data)
                print(f"[{target}] CRASH {key}: {str(err)[:100]} -> {path.relative_to(ROOT)}",
                      flush=True)

    return one, stats


def run_atheris(target: str, seconds: int, timeout: int) -> None:
    import atheris

    with atheris.instrument_imports(include=["osint_kit", "exifread", "PIL", "htmldate",
                                             "trafilatura", "dateparser", "zipfile", "warcio", "yaml"]):
        import osint_kit.case
        import osint_kit.media.read.metadata
        import osint_kit.sources
        import osint_kit.timeline
        import osint_kit.timeline.export
        with contextlib.suppress(ImportError):
            import osint_kit.media.forensics.inspect  # noqa: F401
    corpus = _prepare_corpus(target)
    artifacts = ARTIFACTS / target
    artifacts.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"fuzz-{target}-"))
    one, _stats = _guarded(target, work)
    argv = [sys.argv[0], str(corpus), f"-max_total_time={seconds}", f"-timeout={timeout}",
            f"-artifact_prefix={artifacts}/", "-rss_limit_mb=2048", "-max_len=65536",
            "-print_final_stats=1"]
    atheris.Setup(argv, one)
    atheris.Fuzz()  # exits the process when the time is up (statistics on stderr)


def run_hypothesis(target: str, seconds: int) -> dict[str, object]:
    """Fallback: random and mutated inputs from Hypothesis until the time is up."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from reliability_targets import mutate

    work = Path(tempfile.mkdtemp(prefix=f"fuzz-{target}-"))
    with tempfile.TemporaryDirectory() as tmp:
        seeds = _seeds(target, Path(tmp))
    one, stats = _guarded(target, work)

    data_st = st.binary(max_size=8192) | st.builds(
        mutate, st.sampled_from(seeds),
        st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1 << 20), st.integers(0, 255)),
                 max_size=32))
    deadline = time.monotonic() + seconds

    @settings(max_examples=500, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=data_st)
    def batch(data: bytes) -> None:
        if time.monotonic() < deadline:
            one(data)

    while time.monotonic() < deadline:
        batch()
    return {"target": target, "engine": "hypothesis", "seconds": seconds, **stats}


# --- the driver ------------------------------------------------------------------------------------


def _atheris_works() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    from reliability_targets import TARGETS, regression_files

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--target", choices=sorted(TARGETS), action="append")
    ap.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    ap.add_argument("--timeout", type=int, default=10, help="seconds per input before a hang")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    targets = args.target or list(TARGETS)
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if _atheris_works() else "hypothesis"
        if engine == "hypothesis":
            print("atheris is not available here: falling back to Hypothesis", flush=True)
    seconds = max(5, int(args.minutes * 60 / len(targets)))
    if args.child:  # one target, in this process
        if engine == "atheris":
            run_atheris(targets[0], seconds, args.timeout)
        else:
            print(json.dumps(run_hypothesis(targets[0], seconds)))
        return 0
    before = {str(p) for _t, p in regression_files()}
    results = []
    for target in targets:
        print(f"== fuzzing {target} for {seconds} s with {engine}", flush=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, __file__, "--child", "--target", target, "--engine", engine,
               "--minutes", str(seconds / 60), "--timeout", str(args.timeout)]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                              timeout=seconds + 300, check=False)
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-6:])
        out = proc.stdout + proc.stderr
        if engine == "atheris":
            runs = re.findall(r"stat::number_of_executed_units: (\d+)", out)
            summary = {"target": target, "engine": engine, "seconds": seconds,
                       "runs": int(runs[-1]) if runs else 0,
                       "crashes": out.count(f"[{target}] CRASH")}
            if not runs:
                summary["error"] = tail
        else:
            try:
                summary = json.loads(proc.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                summary = {"target": target, "engine": engine, "error": tail}
        for line in out.splitlines():
            if "] CRASH " in line:
                print("   " + line, flush=True)
        # libFuzzer artifacts: crashes it caught itself (signals) and hangs (timeouts)
        from reliability_targets import save_regression

        for art in sorted((ARTIFACTS / target).glob("*")) if (ARTIFACTS / target).exists() \
                else []:
            if art.name.startswith(("crash-", "oom-", "leak-")):
                save_regression(target, art.read_bytes())
                summary.setdefault("artifacts", []).append(art.name)
                art.unlink()
            elif art.name.startswith(("timeout-", "slow-unit-")):
                # slow, not wrong: kept for a look, listed in the report, not replayed
                summary.setdefault("slow_inputs", []).append(str(art.relative_to(ROOT)))
        summary["returncode"] = proc.returncode
        results.append(summary)
        print(f"   {summary}", flush=True)
    after = {str(p) for _t, p in regression_files()}
    new = sorted(after - before)
    report = {"minutes": args.minutes, "engine": engine, "targets": results,
              "new_regression_files": [os.path.relpath(p, ROOT) for p in new]}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2), encoding="utf-8")
    total = sum(int(str(r.get("crashes", 0))) for r in results)
    print(f"fuzzed {len(targets)} targets for {args.minutes} min with {engine}: "
          f"{sum(int(str(r.get('runs', 0))) for r in results)} inputs, {total} crashing "
          f"inputs, {len(new)} new regression files (see {REPORT.relative_to(ROOT)})")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
