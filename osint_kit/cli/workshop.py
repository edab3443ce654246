"""``osint-kit workshop``: build student notebooks; check notebook pairing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def _build(args: argparse.Namespace) -> int:
    from osint_kit.workshop.build import build_student

    written = build_student(args.src, args.student, teacher_dir=args.teacher)
    for path in written:
        print(f"student: {path}")
    if args.teacher:
        print(f"teacher versions in {args.teacher}")
    return 0


def _sync(args: argparse.Namespace) -> int:
    from osint_kit.workshop.sync import main

    return main(["--write" if args.write else "--check", str(args.folder)])


def register(subparsers: Any) -> None:
    """Add the ``workshop`` command and its ``build`` / ``sync`` subcommands."""
    parser = subparsers.add_parser("workshop", help="workshop notebooks (student builds)")
    sub = parser.add_subparsers(dest="workshop_command", required=True)
    build = sub.add_parser("build", help="write student versions with solutions hidden")
    build.add_argument("--student", type=Path, required=True, metavar="OUT",
                       help="folder for the student notebooks")
    build.add_argument("--teacher", type=Path, default=None, metavar="OUT",
                       help="also write the teacher versions (outputs stripped) here")
    build.add_argument("--src", type=Path, default=Path("notebooks"),
                       help="folder with the py:percent sources (default: notebooks)")
    build.set_defaults(func=_build)
    sync = sub.add_parser("sync", help="check (or rewrite) .ipynb against their .py sources")
    sync.add_argument("folder", type=Path, nargs="?", default=Path("notebooks"))
    sync.add_argument("--write", action="store_true", help="regenerate .ipynb files")
    sync.set_defaults(func=_sync)
