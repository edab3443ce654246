"""``osint-kit workshop``: build a student folder, open it in JupyterLab, check pairing."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any


def _build(args: argparse.Namespace) -> int:
    from osint_kit.workshop.build import build_student

    written = build_student(args.src, args.student, teacher_dir=args.teacher,
                            examples=args.examples)
    for path in written:
        print(f"student: {path}")
    print(f"student folder ready: {args.student} (notebooks, examples/, README.md); open it "
          f"with: osint-kit workshop lab {shlex.quote(str(args.student))}")
    if args.teacher:
        print(f"teacher versions in {args.teacher}")
    return 0


def lab_command(folder: Path) -> list[str]:
    """The JupyterLab command for a student folder, with its bundled no-phone-home config."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={folder}"]
    config = folder / "jupyter_lab_config.py"
    if config.is_file():
        cmd.append(f"--config={config}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # JupyterLab refuses root without it (containers)
    return cmd


def _lab(args: argparse.Namespace) -> int:
    from osint_kit.errors import WorkshopError

    folder = args.folder.resolve()
    if not any(folder.glob("*.ipynb")):
        raise WorkshopError(f"{folder} holds no notebooks: build it first with "
                            f"osint-kit workshop build --student {shlex.quote(str(args.folder))}")
    cmd = lab_command(folder)
    if args.dry_run:
        print(shlex.join(cmd))
        return 0
    return subprocess.call(cmd, cwd=folder)


def _sync(args: argparse.Namespace) -> int:
    from osint_kit.workshop.sync import main

    return main(["--write" if args.write else "--check", str(args.folder)])


def register(subparsers: Any) -> None:
    """Add the ``workshop`` command and its ``build`` / ``lab`` / ``sync`` subcommands."""
    parser = subparsers.add_parser("workshop", help="workshop notebooks (student builds)")
    sub = parser.add_subparsers(dest="workshop_command", required=True)
    build = sub.add_parser("build", help="write a self-contained student folder")
    build.add_argument("--student", type=Path, required=True, metavar="OUT",
                       help="new (or empty) folder for the student notebooks and case")
    build.add_argument("--teacher", type=Path, default=None, metavar="OUT",
                       help="also write the teacher versions (outputs stripped) here")
    build.add_argument("--src", type=Path, default=None,
                       help="folder with the py:percent sources (default: this installation's)")
    build.add_argument("--examples", type=Path, default=None,
                       help="the examples/ folder with the case (default: this installation's)")
    build.set_defaults(func=_build)
    lab = sub.add_parser("lab", help="open JupyterLab on a student folder")
    lab.add_argument("folder", type=Path, nargs="?", default=Path("."))
    lab.add_argument("--dry-run", action="store_true", help="print the command, do not run it")
    lab.set_defaults(func=_lab)
    sync = sub.add_parser("sync", help="check (or rewrite) .ipynb against their .py sources")
    sync.add_argument("folder", type=Path, nargs="?", default=Path("notebooks"))
    sync.add_argument("--write", action="store_true", help="regenerate .ipynb files")
    sync.set_defaults(func=_sync)
