"""``osint-kit capture ingest`` and ``osint-kit sources matrix``.

``capture ingest FILE`` calls :func:`~osint_kit.sources.ingest_html` for a saved page
(``.html``/``.htm``) and :func:`~osint_kit.sources.ingest_text` for anything else, and prints
what was found (title, publisher, dates with their provenance) or the whole Capture as JSON.
``sources matrix FILE...`` loads a SourceSet (YAML files or CSV folders) and prints
:func:`~osint_kit.sources.cross_reference` (propositions x sources).
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from osint_kit.cli.output import clean, print_json, print_table, write_table
from osint_kit.errors import IngestError

#: A capture file larger than this is refused before it is read (the ingesters cap the text
#: they parse well below it).
MAX_CAPTURE_BYTES = 64 * 1024 * 1024


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_CAPTURE_BYTES:
            raise IngestError(f"{clean(path)} is {size:,} bytes; captures over "
                              f"{MAX_CAPTURE_BYTES:,} bytes are refused (save the page alone)")
        return path.read_bytes()
    except OSError as err:
        raise IngestError(f"cannot read {clean(path)}: {err.strerror or err}") from err


def _ingest(args: argparse.Namespace) -> int:
    from osint_kit.cli import cli_terms
    from osint_kit.sources import ingest_html, ingest_text

    path = Path(args.file)
    data = _read(path)
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        capture = ingest_html(data, url=args.url, reference=args.reference, tz=args.tz)
    else:
        capture = ingest_text(data, reference=args.reference, url=args.url, tz=args.tz,
                              published=args.published)
    if args.json:
        print_json(dataclasses.asdict(capture))
        return 0
    for key in ("kind", "title", "author", "publisher", "url", "language", "published",
                "published_provenance", "updated", "reference", "content_hash", "encoding"):
        value = getattr(capture, key, None)
        if value:
            print(f"{key:>20}: {clean(value)}")
    print(f"{'lines':>20}: {len(capture.lines)} ({len(capture.main_lines)} main text)")
    print(f"{'captions':>20}: {len(capture.captions)}")
    print(f"{'quotations':>20}: {len(capture.quotations)}")
    for warning in capture.warnings:
        print(f"{'warning':>20}: {clean(cli_terms(warning, args.cli_parser))}")
    if capture.dates:
        import pandas as pd

        rows = [{"line": d.line, "text": d.text,
                 "resolved": d.when.describe() if d.when is not None else (d.error or ""),
                 "context": d.context} for d in capture.dates]
        print()
        print_table(pd.DataFrame(rows), width=70)
    return 0


def _matrix(args: argparse.Namespace) -> int:
    from osint_kit.sources import SourceSet, cross_reference

    parts = [SourceSet.load(f) for f in args.files]  # e.g. sources, claims, propositions
    sources = SourceSet(sources=tuple(x for p in parts for x in p.sources),
                        claims=tuple(x for p in parts for x in p.claims),
                        propositions=tuple(x for p in parts for x in p.propositions))
    matrix = cross_reference(sources.claims, sources.sources, sources.propositions,
                             include_unconfirmed=args.include_unconfirmed)
    if args.out:
        print(clean(write_table(matrix.reset_index(), args.out)))
    else:
        print_table(matrix, index=True, width=None)
    return 0


def register(subparsers: Any) -> None:
    """Add ``capture ingest`` and ``sources matrix``."""
    capture = subparsers.add_parser("capture", help="ingest saved pages and texts")
    sub = capture.add_subparsers(dest="capture_command", required=True)
    p = sub.add_parser("ingest", help="extract title, dates, captions and quotations "
                                      "from a saved page (.html) or a text capture")
    p.add_argument("file", metavar="FILE", help="saved page (.html/.htm) or text file")
    p.add_argument("--url", default=None, help="where the page was captured from")
    p.add_argument("--reference", default=None, metavar="DATE",
                   help="date relative words are read against, ISO 8601 (e.g. 2023-01-21)")
    p.add_argument("--tz", default=None, metavar="ZONE",
                   help="zone the dates are meant in (e.g. Europe/Warsaw)")
    p.add_argument("--published", default=None, metavar="DATE",
                   help="what you know of the publication date (text captures)")
    p.add_argument("--json", action="store_true", help="print the whole capture as JSON")
    p.set_defaults(func=_ingest)

    sources = subparsers.add_parser("sources", help="sources, claims and propositions")
    sub = sources.add_subparsers(dest="sources_command", required=True)
    p = sub.add_parser("matrix", help="propositions x sources: supports, contradicts, "
                                      "mentions or silent")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="YAML files or CSV folders with the sources, claims and propositions "
                        "(one file, or several that together hold them)")
    p.add_argument("--include-unconfirmed", action="store_true",
                   help="count claims nobody has confirmed yet")
    p.add_argument("--out", metavar="FILE", default=None,
                   help="write the matrix to FILE.csv, FILE.parquet or FILE.json")
    p.set_defaults(func=_matrix)
