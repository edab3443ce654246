"""Image subcommands: ``meta``, ``scan``, ``inspect``, ``hashes``, ``duplicates``.

Each calls one library function: ``meta`` :func:`~osint_kit.media.read.metadata.read_metadata`
(per file, photos and videos; a table or ``--json``; an unreadable file gets an error line on
stderr and exit code 1), ``scan`` :func:`~osint_kit.media.scan.scan`, ``inspect``
:func:`~osint_kit.media.forensics.inspect.inspect`, ``hashes``
:func:`~osint_kit.media.similar.hashes.perceptual_hashes` and ``duplicates``
:func:`~osint_kit.media.similar.duplicates.near_duplicates`. Tables go to ``--out`` (``.csv``,
``.parquet`` or ``.json``) or are printed with every value cleaned for the terminal.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from osint_kit.cli.output import clean, frame_records, print_json, print_table, write_table
from osint_kit.errors import EvidenceError

#: Columns of the ``meta`` table: (heading, width); None never cuts (file names).
_TABLE: tuple[tuple[str, int | None], ...] = (
    ("file", None), ("format", 6), ("size", 11), ("camera", 30), ("taken", 19),
    ("offset", 7), ("gps", 21), ("software", 40), ("meta", 4),
)


def camera_name(make: str | None, model: str | None) -> str:
    """"Canon EOS 5D" from make "Canon" and model "Canon EOS 5D" (never "Canon Canon")."""
    make, model = (make or "").strip(), (model or "").strip()
    if make and model and model.lower().startswith(make.lower().split()[0]):
        return model
    return " ".join(x for x in (make, model) if x)


def _row(meta: Any) -> list[str]:
    taken = meta.datetime_original
    gps = ""
    if meta.gps_latitude is not None and meta.gps_longitude is not None:
        gps = f"{meta.gps_latitude:.6f},{meta.gps_longitude:.6f}"
    size = f"{meta.width}x{meta.height}" if meta.width else ""
    return [
        meta.file_name, meta.format or "", size, camera_name(meta.make, meta.model),
        taken.replace(tzinfo=None).isoformat(sep=" ") if taken else "",
        meta.offset_original or ("?" if taken else ""), gps, meta.software or "",
        "yes" if meta.has_metadata else "none",
    ]


def _video_row(meta: Any) -> list[str]:
    """A video's line of the ``meta`` table: display size, the device's local creation time
    with its offset, else the container time read as UTC (offset "UTC*")."""
    from osint_kit.media.read._rows import VIDEO_FORMATS, video_has_metadata

    gps = ""
    if meta.gps_latitude is not None and meta.gps_longitude is not None:
        gps = f"{meta.gps_latitude:.6f},{meta.gps_longitude:.6f}"
    width, height = meta.display_width or meta.width, meta.display_height or meta.height
    taken, offset = meta.created_local, ""
    if taken is not None and (delta := taken.utcoffset()) is not None:
        minutes = round(delta.total_seconds() / 60)
        offset = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    elif meta.created_utc is not None:
        taken, offset = meta.created_utc, "UTC*"
    return [
        meta.file_name, VIDEO_FORMATS.get(meta.container or "", meta.container or ""),
        f"{width}x{height}" if width else "", camera_name(meta.make, meta.model),
        taken.replace(tzinfo=None).isoformat(sep=" ") if taken else "", offset, gps,
        meta.software or meta.encoder or "", "yes" if video_has_metadata(meta) else "none",
    ]


def _json_safe(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in record.items()}


def _meta(args: argparse.Namespace) -> int:
    from osint_kit.media.read._rows import video_scan_row
    from osint_kit.media.read.metadata import read_metadata
    from osint_kit.media.read.schema import SCAN_COLUMNS, error_record

    failed = 0
    rows: list[list[str]] = []
    records: list[dict[str, Any]] = []
    for name in args.files:
        try:
            meta = read_metadata(name)
        except EvidenceError as err:
            failed += 1
            print(f"osint-kit: {clean(name)}: {type(err).__name__}: {clean(err.reason)}",
                  file=sys.stderr)
            records.append(_json_safe(error_record(name, err)))
            continue
        if meta.kind == "video":  # hashed here, as read_metadata hashes a photo
            rows.append(_video_row(meta))
            records.append(_json_safe(dict(zip(SCAN_COLUMNS, video_scan_row(meta, md5=True),
                                               strict=True))))
            continue
        rows.append(_row(meta))
        records.append(_json_safe(meta.to_record()))
    if args.json:
        print_json(records)
    elif rows:
        import pandas as pd

        table = pd.DataFrame(rows, columns=[h for h, _ in _TABLE])
        for head, width in _TABLE:
            table[head] = [clean(v, width) for v in table[head]]
        print_table(table, width=None)
        print("offset '?' = capture time without OffsetTime (UTC offset unknown); 'UTC*' = a "
              "video's container time read as UTC (see created_assumption in --json)")
    return 1 if failed else 0


def _scan(args: argparse.Namespace) -> int:
    from osint_kit.media.scan import scan

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".parquet"):
        from osint_kit.errors import OsintKitError

        raise OsintKitError(f"--out {out}: use a .csv or .parquet file name")
    df = scan(args.folder, recursive=not args.no_recursive, workers=args.workers,
              progress=not args.quiet, md5=args.md5)
    write_table(df, out)
    errors = int(df["error"].notna().sum()) if "error" in df else 0
    print(f"{len(df)} files scanned, {errors} could not be read; written to {clean(out)}")
    return 0


_SEVERITY = ("info", "notice", "warning", "alert")


def _inspect(args: argparse.Namespace) -> int:
    from osint_kit.media.forensics.inspect import inspect

    failed = 0
    frames = []
    for name in args.files:
        try:
            found = inspect(name, daylight=not args.no_daylight)
        except EvidenceError as err:
            failed += 1
            print(f"osint-kit: {clean(name)}: {type(err).__name__}: {clean(err.reason)}",
                  file=sys.stderr)
            continue
        frame = found.to_frame()
        if args.min_severity:
            keep = _SEVERITY[_SEVERITY.index(args.min_severity):]
            frame = frame[frame["severity"].isin(keep)]
        frames.append(frame.assign(file=Path(name).name))
    import pandas as pd

    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if args.json:
        print_json(frame_records(table))
    elif len(table):
        print_table(table, ["file", "severity", "code", "title"], width=None)
        if args.explain:
            for row in table.itertuples(index=False):
                print(f"\n{clean(row.file)} {clean(row.code)}: {clean(row.explanation)}")
    return 1 if failed else 0


def _paths(items: list[str]) -> Any:
    """One folder as itself (walked like ``scan``); otherwise the list of files."""
    return items[0] if len(items) == 1 and Path(items[0]).is_dir() else items


def _hashes(args: argparse.Namespace) -> int:
    from osint_kit.media.similar.hashes import perceptual_hashes

    df = perceptual_hashes(_paths(args.paths), workers=args.workers, exact=args.exact,
                           progress=False)
    if args.out:
        print(clean(write_table(df, args.out)))
    else:
        print_table(df, ["path", "phash", "dhash", "sha256", "error"], width=None)
    return 1 if "error" in df and df["error"].notna().any() else 0  # like meta


def _duplicates(args: argparse.Namespace) -> int:
    import pandas as pd

    from osint_kit.media.scan import list_files
    from osint_kit.media.similar.duplicates import DEFAULT_MAX_DISTANCE, near_duplicates

    bits = DEFAULT_MAX_DISTANCE if args.max_distance is None else args.max_distance
    items = _paths(args.paths)
    files = sorted(list_files(items)[0]) if isinstance(items, str) else items
    df = near_duplicates(pd.DataFrame({"path": [str(f) for f in files]}),
                         max_distance=bits, workers=args.workers)
    if args.out:
        print(clean(write_table(df, args.out)))
    elif len(df):
        print_table(df, ["cluster", "cluster_size", "nearest_distance", "path"], width=None)
    else:
        print(f"no near-duplicates within {bits} bits among {len(files)} files")
    return 0


def register(subparsers: Any) -> None:
    """Add ``meta``, ``scan``, ``inspect``, ``hashes`` and ``duplicates``."""
    meta = subparsers.add_parser(
        "meta", help="print the metadata of image and video files",
        description="Read each file's metadata (read-only) and print a table or JSON.")
    meta.add_argument("files", nargs="+", metavar="FILE", help="image or video files")
    meta.add_argument("--json", action="store_true",
                      help="print JSON records (the scan columns) instead of a table")
    meta.set_defaults(func=_meta)

    scan = subparsers.add_parser(
        "scan", help="scan a folder of images and videos into a CSV or Parquet table",
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

    ins = subparsers.add_parser(
        "inspect", help="explained findings about each image or video (ok.inspect)",
        description="Run every forensic rule over each file (read-only, in a worker).")
    ins.add_argument("files", nargs="+", metavar="FILE", help="image or video files")
    ins.add_argument("--min-severity", choices=_SEVERITY, default=None,
                     help="leave out findings below this severity")
    ins.add_argument("--no-daylight", action="store_true",
                     help="skip the sun check (GPS + capture time)")
    ins.add_argument("--explain", action="store_true", help="print each finding's explanation")
    ins.add_argument("--json", action="store_true", help="print JSON records")
    ins.set_defaults(func=_inspect)

    for name, func, text in (
            ("hashes", _hashes, "perceptual (pHash, dHash) and SHA-256 hashes of images"),
            ("duplicates", _duplicates, "clusters of near-duplicate images (perceptual hashes)")):
        p = subparsers.add_parser(name, help=text, description=text)
        p.add_argument("paths", nargs="+", metavar="PATH", help="image files, or one folder")
        p.add_argument("--out", metavar="FILE", default=None,
                       help="write the table to FILE.csv, FILE.parquet or FILE.json")
        p.add_argument("--workers", type=int, default=None,
                       help="worker processes (default: all CPUs; 0 = this process)")
        if name == "hashes":
            p.add_argument("--exact", action="store_true",
                           help="decode JPEGs fully (slower; the fast path is the default)")
        else:
            p.add_argument("--max-distance", type=int, default=None, metavar="BITS",
                           help="largest Hamming distance (bits) within a cluster (default: "
                                "the library's DEFAULT_MAX_DISTANCE, 8)")
        p.set_defaults(func=func)
