"""The ``osint-kit`` command: one subcommand per library function, no analysis here.

Each domain registers its subcommands in its own module of this package
(``cli/images.py``, ``cli/case.py``, ...) through a ``register(subparsers)`` function.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from osint_kit.errors import OsintKitError

# Modules that contribute subcommands; each has ``register(subparsers) -> None`` and sets
# ``func`` on its parsers to a callable taking the parsed args and returning an exit code.
_COMMAND_MODULES = ("images", "timeline", "geo", "case", "workshop")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="osint-kit",
        description="Offline OSINT helpers: image metadata, timelines, sources, cases.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(f"osint_kit.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"osint_kit.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except OsintKitError as err:
        print(f"osint-kit: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
