"""``osint-kit case ...``: one subcommand per Case method."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from osint_kit.cli.output import clean, shared_mode
from osint_kit.errors import CaseError


def _new(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.create(args.path, title=args.title) as case:
        print(f"created {clean(case.path)} ({clean(case.title)})")
    return 0


def _add(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.open(args.case) as case:
        if args.source is not None:
            known = set(case.table("sources")["id"].dropna())
            if args.source not in known:
                listed = ", ".join(sorted(clean(k) for k in known)[:10]) or "none yet"
                raise CaseError(f"--source {clean(args.source)}: this case has no such source "
                                f"(known: {listed}); add the source first, or leave --source "
                                "out")
        item = case.add_evidence(args.file, source=args.source, acquired_from=args.acquired_from)
        evidence = case.table("evidence")
        same = evidence[(evidence["sha256"] == item.sha256) & (evidence["id"] != item.id)]
        print(f"{item.id}\t{item.sha256}\t{clean(item.original_name)}")
        for row in same.itertuples(index=False):
            print(f"warning: {item.id} has the same SHA-256 as {clean(row.id)} "
                  f"({clean(row.original_name)}): the same file was taken in twice",
                  file=sys.stderr)
        if item.metadata_error:
            print(f"note: {clean(item.metadata_error)}", file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.open(args.case) as case:
        report = case.verify(expected_head=args.expected_head)
    for line in repr(report).splitlines():
        print(clean(line))
    for warning in report.warnings:
        print(f"note: {clean(warning)}")
    return 0 if report.ok else 1


def _export(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.open(args.case) as case:
        print(clean(case.export(args.zip)))
    return 0


def _import(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.import_(args.zip, args.dest) as case:
        print(f"imported into {clean(case.path)}: {clean(case.verify().summary())}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from osint_kit.case import Case

    with Case.open(args.case) as case:
        html, md = case.report(args.out)
    for path in (html, md):  # a report is handed on: readable like any file the shell writes
        print(clean(shared_mode(path)))
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
