"""``osint-kit timeline``: export a timeline and resolve a date expression.

``osint-kit timeline export IN --to timelinejs|timesketch-jsonl|timesketch-csv|csv --out FILE``
reads IN (.csv, .yaml or Timesketch .jsonl) and writes one format; each format is one library
function. ``osint-kit timeline when TEXT [--reference DATE] [--tz ZONE]`` prints the interval
:func:`osint_kit.timeline.parse_when` gives, as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _load(path: str):  # type: ignore[no-untyped-def]
    from osint_kit.timeline.events import Timeline

    return Timeline.load(path)


def export_timelinejs(src: str, out: str) -> Path:
    """IN -> TimelineJS3 JSON."""
    from osint_kit.timeline.export import to_timelinejs

    target = Path(out)
    target.write_text(json.dumps(to_timelinejs(_load(src)), ensure_ascii=False, indent=1),
                      encoding="utf-8")
    return target


def export_timesketch_jsonl(src: str, out: str) -> Path:
    from osint_kit.timeline.export import to_timesketch_jsonl

    return to_timesketch_jsonl(_load(src), out)


def export_timesketch_csv(src: str, out: str) -> Path:
    from osint_kit.timeline.export import to_timesketch_csv

    return to_timesketch_csv(_load(src), out)


def export_csv(src: str, out: str) -> Path:
    from osint_kit.timeline.export import to_csv

    return to_csv(_load(src), out)


_EXPORTERS = {
    "timelinejs": export_timelinejs,
    "timesketch-jsonl": export_timesketch_jsonl,
    "timesketch-csv": export_timesketch_csv,
    "csv": export_csv,
}


def _export(args: argparse.Namespace) -> int:
    written = _EXPORTERS[args.to](args.input, args.out)
    sys.stdout.write(f"{written}\n")
    return 0


def _when(args: argparse.Namespace) -> int:
    from osint_kit.timeline.parse import parse_when

    when = parse_when(args.text, reference=args.reference, tz=args.tz)
    out = {
        "text": when.text, "earliest": when.earliest.isoformat(),
        "latest": when.latest.isoformat(), "precision": when.precision.value,
        "tz": when.tz, "provenance": when.provenance,
    }
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``timeline export`` and ``timeline when``."""
    parser = subparsers.add_parser("timeline", help="timeline exports and date parsing")
    sub = parser.add_subparsers(dest="timeline_command", required=True)
    exp = sub.add_parser("export", help="convert a timeline (.csv/.yaml/.jsonl) to a format")
    exp.add_argument("input", help="timeline file: .csv, .yaml or Timesketch .jsonl")
    exp.add_argument("--to", required=True, choices=sorted(_EXPORTERS))
    exp.add_argument("--out", required=True, help="file to write")
    exp.set_defaults(func=_export)
    when = sub.add_parser("when", help="resolve a date expression to an interval (JSON)")
    when.add_argument("text")
    when.add_argument("--reference", default=None,
                      help="date the text is relative to, ISO 8601 (e.g. 2023-01-21)")
    when.add_argument("--tz", default=None, help="zone the text is meant in (Europe/Warsaw)")
    when.set_defaults(func=_when)
