"""Video subcommands: ``keyframes``.

``keyframes`` calls :func:`~osint_kit.media.frames.keyframes` on one video and prints
:func:`~osint_kit.media.frames.frames_table` (or ``--json``). The frames are PNG working
copies written into ``--out``, which may not be the video's own folder; the video is only read.
``meta``, ``scan`` and ``inspect`` (``cli/images.py``) take videos as they take photos.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from osint_kit.cli.output import clean, frame_records, print_json, print_table
from osint_kit.errors import EvidenceError

#: Columns of the printed table (the JSON has every column of ``frames_table``).
_TABLE = ["index", "time_s", "key", "width", "height", "reason", "path"]


def _keyframes(args: argparse.Namespace) -> int:
    from osint_kit.media.frames import frames_table, keyframes

    try:
        frames = keyframes(args.video, args.out, every=args.every, scenes=args.scenes,
                           max_frames=args.max_frames)
    except EvidenceError as err:
        print(f"osint-kit: {clean(args.video)}: {type(err).__name__}: {clean(err.reason)}",
              file=sys.stderr)
        return 1
    except ValueError as err:  # a working folder that is the evidence's, a bad limit
        print(f"osint-kit: error: {clean(err)}", file=sys.stderr)
        return 2
    table = frames_table(frames)
    if args.json:
        print_json(frame_records(table))
    elif len(table):
        print_table(table, _TABLE, width=None)
        print(f"{len(table)} frames of {clean(args.video)} written to {clean(args.out)}")
    else:
        print(f"no frames decoded from {clean(args.video)}")
    return 0


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def register(subparsers: Any) -> None:
    """Add ``keyframes``."""
    kf = subparsers.add_parser(
        "keyframes", help="write a video's keyframes as PNG working copies (ok.keyframes)",
        description="Decode a video read-only and write its keyframes (and optionally one "
                    "frame every S seconds, or scene changes) as PNG files into DIR; print "
                    "one line per frame with its time in the video.")
    kf.add_argument("video", metavar="VIDEO", help="video file (MP4, MOV, MKV, WebM, AVI...)")
    kf.add_argument("--out", required=True, metavar="DIR",
                    help="working folder for the frames (not the video's own folder)")
    kf.add_argument("--every", type=_positive, default=None, metavar="S",
                    help="also one frame every S seconds")
    kf.add_argument("--scenes", action="store_true", help="also frames at scene changes")
    kf.add_argument("--max-frames", type=int, default=200, metavar="N",
                    help="write at most N frames (default 200)")
    kf.add_argument("--json", action="store_true", help="print JSON records")
    kf.set_defaults(func=_keyframes)
