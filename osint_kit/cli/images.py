"""``osint-kit meta FILE...`` and ``osint-kit scan DIR --out FILE``: image metadata from the shell.

``meta`` calls :func:`osint_kit.images.metadata.read_metadata` once per file and prints a table
(or ``--json``); a file that cannot be read gets an error line on stderr and the exit code is 1.
``scan`` calls :func:`osint_kit.images.scan.scan` and writes the DataFrame as CSV or Parquet
(chosen by the ``--out`` suffix).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from osint_kit import safecsv
from osint_kit.errors import EvidenceError, OsintKitError

_TABLE = (
    ("file", 28), ("format", 6), ("size", 11), ("camera", 26), ("taken", 19),
    ("offset", 7), ("gps", 21), ("software", 18), ("meta", 4),
)


def _clean(text: Any, width: int | None = None) -> str:
    """One-line, control-character-free text for a terminal (file values are untrusted)."""
    out = "".join(ch if ch.isprintable() else "?" for ch in str(text if text is not None
                                                                  else ""))
    if width is not None and len(out) > width:
        out = out[: width - 1] + "…"
    return out


def _row(meta: Any) -> list[str]:
    taken = meta.datetime_original
    gps = ""
    if meta.gps_latitude is not None and meta.gps_longitude is not None:
        gps = f"{meta.gps_latitude:.6f},{meta.gps_longitude:.6f}"
    size = f"{meta.width}x{meta.height}" if meta.width else ""
    camera = " ".join(x for x in (meta.make, meta.model) if x)
    return [
        meta.file_name, meta.format or "", size, camera,
        taken.replace(tzinfo=None).isoformat(sep=" ") if taken else "",
        meta.offset_original or ("?" if taken else ""), gps, meta.software or "",
        "yes" if meta.has_metadata else "none",
    ]


def _json_safe(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in record.items()}


def _meta(args: argparse.Namespace) -> int:
    from osint_kit.images.metadata import read_metadata
    from osint_kit.images.schema import error_record

    failed = 0
    rows: list[list[str]] = []
    records: list[dict[str, Any]] = []
    for name in args.files:
        try:
            meta = read_metadata(name)
        except EvidenceError as err:
            failed += 1
            print(f"osint-kit: {_clean(name)}: {type(err).__name__}: {_clean(err.reason)}",
                  file=sys.stderr)
            records.append(_json_safe(error_record(name, err)))
            continue
        rows.append(_row(meta))
        records.append(_json_safe(meta.to_record()))
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif rows:
        widths = [w for _, w in _TABLE]
        print("  ".join(h.ljust(w) for (h, _), w in zip(_TABLE, widths, strict=True)).rstrip())
        for row in rows:
            print("  ".join(_clean(v, w).ljust(w)
                            for v, w in zip(row, widths, strict=True)).rstrip())
        print("offset '?' = capture time without OffsetTime (UTC offset unknown)")
    return 1 if failed else 0


def _scan(args: argparse.Namespace) -> int:
    from osint_kit.images.scan import scan

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".parquet"):
        raise OsintKitError(f"--out {out}: use a .csv or .parquet file name")
    df = scan(args.folder, recursive=not args.no_recursive, workers=args.workers,
              progress=not args.quiet, md5=args.md5)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        safecsv.write_frame(df, out)  # formulas in file names neutralised
    else:
        df.to_parquet(out, index=False)
    errors = int(df["error"].notna().sum()) if "error" in df else 0
    print(f"{len(df)} files scanned, {errors} could not be read; written to {out}")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``meta`` and ``scan`` subcommands."""
    meta = subparsers.add_parser(
        "meta", help="print the metadata of image files",
        description="Read each file's metadata (read-only) and print a table or JSON.")
    meta.add_argument("files", nargs="+", metavar="FILE", help="image files")
    meta.add_argument("--json", action="store_true",
                      help="print JSON records (the scan columns) instead of a table")
    meta.set_defaults(func=_meta)

    scan = subparsers.add_parser(
        "scan", help="scan a folder of images into a CSV or Parquet table",
        description="One row per file (documented columns); unreadable files get an error row.")
    scan.add_argument("folder", metavar="DIR", help="folder to scan")
    scan.add_argument("--out", required=True, metavar="FILE",
                      help="output table: FILE.csv or FILE.parquet")
    scan.add_argument("--workers", type=int, default=None,
                      help="worker processes (default: all CPUs; 0 = this process)")
    scan.add_argument("--no-recursive", action="store_true", help="do not descend into folders")
    scan.add_argument("--md5", action="store_true",
                      help="fill the md5 column too (for published MD5 hash lists; slower)")
    scan.add_argument("--quiet", action="store_true", help="no progress bar")
    scan.set_defaults(func=_scan)
