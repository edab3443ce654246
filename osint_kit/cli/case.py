"""``osint-kit case ...``: one subcommand per Case method."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def _new(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.create(args.path, title=args.title) as case:
        print(f"created {case.path} ({case.title})")
    return 0


def _add(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.open(args.case) as case:
        item = case.add_evidence(args.file, source=args.source, acquired_from=args.acquired_from)
        print(f"{item.id}\t{item.sha256}\t{item.original_name}")
        if item.metadata_error:
            print(f"note: {item.metadata_error}", file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.open(args.case) as case:
        report = case.verify(expected_head=args.expected_head)
    print(repr(report))
    for warning in report.warnings:
        print(f"note: {warning}")
    return 0 if report.ok else 1


def _export(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.open(args.case) as case:
        print(case.export(args.zip))
    return 0


def _import(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.import_(args.zip, args.dest) as case:
        print(f"imported into {case.path}: {case.verify().summary()}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.open(args.case) as case:
        html, md = case.report(args.out)
    print(f"{html}\n{md}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``case new|add|verify|export|import|report`` to the ``osint-kit`` command."""
    case = subparsers.add_parser("case", help="evidence cases: intake, custody log, exchange")
    sub = case.add_subparsers(dest="case_command", required=True)

    p = sub.add_parser("new", help="create a case folder")
    p.add_argument("path")
    p.add_argument("--title", required=True)
    p.set_defaults(func=_new)

    p = sub.add_parser("add", help="take a file into the case as evidence (hashed, read-only)")
    p.add_argument("case")
    p.add_argument("file")
    p.add_argument("--source", help="id of the source the file came from (e.g. S0001)")
    p.add_argument("--from", dest="acquired_from", help="URL or note: where it was acquired")
    p.set_defaults(func=_add)

    p = sub.add_parser("verify", help="re-hash evidence and walk the custody log (exit 1 on "
                                      "any problem)")
    p.add_argument("case")
    p.add_argument("--expected-head", help="a custody head hash you wrote down earlier")
    p.set_defaults(func=_verify)

    p = sub.add_parser("export", help="write the whole case to a zip")
    p.add_argument("case")
    p.add_argument("zip")
    p.set_defaults(func=_export)

    p = sub.add_parser("import", help="check and unpack an exported case zip")
    p.add_argument("zip")
    p.add_argument("dest")
    p.set_defaults(func=_import)

    p = sub.add_parser("report", help="write the HTML report and its Markdown twin")
    p.add_argument("case")
    p.add_argument("out")
    p.set_defaults(func=_report)
