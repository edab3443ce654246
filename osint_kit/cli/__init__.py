"""The ``osint-kit`` command: one subcommand per library function, no analysis here.

Each domain registers its subcommands in its own module of this package
(``cli/images.py``, ``cli/case.py``, ...) through a ``register(subparsers)`` function.
Errors from the library name Python arguments (``azimuth_tol``); :func:`cli_terms` rewrites
them into the options the user typed (``--azimuth-tol``) before they are printed.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import sys
from collections.abc import Iterator, Sequence

from osint_kit.display.text import terminal_text
from osint_kit.errors import OsintKitError

# Modules that contribute subcommands; each has ``register(subparsers) -> None`` and sets
# ``func`` on its parsers to a callable taking the parsed args and returning an exit code.
_COMMAND_MODULES = ("images", "video", "timeline", "geo", "sources", "case", "workshop")


def _leaves(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every parser that runs a command (has ``func``), depth first."""
    if "func" in parser._defaults:
        yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _leaves(child)


def build_parser() -> argparse.ArgumentParser:
    from osint_kit import __version__

    parser = argparse.ArgumentParser(
        prog="osint-kit",
        description="Offline OSINT helpers: image metadata, timelines, sources, cases.",
    )
    parser.add_argument("--version", action="version", version=f"osint-kit {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _COMMAND_MODULES:
        importlib.import_module(f"osint_kit.cli.{name}").register(sub)
    for leaf in _leaves(parser):
        leaf.set_defaults(cli_parser=leaf)
    return parser


#: Library calls that error messages suggest, as the command that does the same.
_CALLS = {
    "Case.create()": "osint-kit case new",
    "case.verify()": "osint-kit case verify",
    "Case.import_()": "osint-kit case import",
}


def cli_terms(message: str, parser: argparse.ArgumentParser | None) -> str:
    """``message`` with the command's Python argument names replaced by its options.

    ``azimuth_tol must be in (0, 180]`` becomes ``--azimuth-tol must be in (0, 180]``; a
    one-word name is replaced only where it is clearly an argument (``name=``, ``name must``).
    Library calls the message suggests (``Case.create()``) become their commands.
    """
    for call, command in _CALLS.items():
        message = message.replace(call, f"'{command}'")
    if parser is None:
        return message
    for action in parser._actions:
        if not action.option_strings or action.dest in ("help", "cli_parser"):
            continue
        option = max(action.option_strings, key=len)
        name = re.escape(action.dest)
        pattern = (rf"\b{name}\b(=\.\.\.)?" if "_" in action.dest
                   else rf"\b{name}(=\.\.\.|(?= must\b))")
        message = re.sub(pattern, option, message)
    return message


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
        text = cli_terms(str(err), getattr(args, "cli_parser", None))
        lines = "\n".join(terminal_text(line) for line in text.splitlines())
        print(f"osint-kit: error: {lines}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
