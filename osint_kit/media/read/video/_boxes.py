"""The one ISO-BMFF / QuickTime box walker: bounded, read-only, never loops.

MP4, MOV, M4V, 3GP/3G2 (and HEIF) files are trees of boxes ("atoms"): a 32-bit big-endian
size, a four-character type, then the payload. ``size == 1`` means a 64-bit ``largesize``
follows the type; ``size == 0`` means "to the end of the enclosing box (the file at top
level)"; type ``uuid`` is followed by a 16-byte user type. Some boxes hold other boxes
(:data:`CONTAINERS`); ``meta`` is a full box in ISO files (4 bytes of version and flags before
its children) but a plain container in QuickTime files, so the walker looks before it descends.

:func:`walk_boxes` yields :class:`Box` records in file order (depth first) from a buffer
(``bytes`` or a read-only ``mmap``): touching only the box headers, so the payload of ``mdat``
is never read from a mapped file. Limits (depth, box count) raise
:class:`~osint_kit.errors.CorruptImageError`; a box that runs past its parent or the file stops
that level of the walk with a warning (a truncated file still gives what came before).
Each step moves forward by at least one header, so no input can make it loop.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import NamedTuple

from osint_kit.errors import CorruptImageError

#: Deeper nesting than this is refused (real files stay below 10).
MAX_DEPTH = 16
#: More boxes than this in one walk are refused (a real phone clip's moov has a few hundred).
MAX_BOXES = 20_000

#: Boxes whose payload is a sequence of boxes, so the walker descends into them.
CONTAINERS = frozenset({
    "moov", "trak", "mdia", "minf", "stbl", "udta", "meta", "edts", "ilst", "dinf",
    "mvex", "moof", "traf", "tref", "sinf", "schi", "gmhd", "tapt", "clip", "matt",
})

#: The XMP box's user type (Adobe's XMP spec, part 3, for MP4/MOV).
XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")

_U32 = struct.Struct(">I")
_HEAD = struct.Struct(">I4s")
_U64 = struct.Struct(">Q")


class Box(NamedTuple):
    """One box: where it is and what it is. ``type`` is the four bytes as Latin-1 text
    (``\xa9too`` reads ``©too``); ``path`` joins the types from the top (unprintable ones as
    ``0x...``); ``payload`` starts after the header (and after the four version/flags bytes
    of an ISO ``meta``); ``end`` is one past its last byte."""

    type: str
    offset: int
    size: int
    header_size: int
    depth: int
    path: str
    payload: int
    user_type: bytes | None = None
    # a NamedTuple, not a frozen dataclass: one is made per box, and this is 4x cheaper

    @property
    def end(self) -> int:
        return self.offset + self.size

    @property
    def payload_size(self) -> int:
        return self.end - self.payload


def _meta_skip(head: bytes) -> int:
    """0 for a QuickTime ``meta`` (children start at once), 4 for an ISO full box.

    Detected as ffmpeg and ExifTool do: in QuickTime files the first child (``hdlr``) follows
    the header directly, so bytes 4..8 of the payload are a box type."""
    if head[4:8] in (b"hdlr", b"keys", b"ilst", b"mhdr", b"xml "):
        return 0
    return 4


def walk_boxes(
    data: bytes | memoryview | object,
    *,
    path: str = "<bytes>",
    start: int = 0,
    end: int | None = None,
    depth: int = 0,
    parent: str = "",
    descend: frozenset[str] = CONTAINERS,
    max_depth: int = MAX_DEPTH,
    max_boxes: int = MAX_BOXES,
    warnings: list[str] | None = None,
) -> Iterator[Box]:
    """Yield the boxes of ``data[start:end]`` and, depth first, of every container in it.

    ``path`` names the file in errors. Raises CorruptImageError when nesting passes
    ``max_depth`` or the walk passes ``max_boxes``; problems that leave what came before
    readable (a box running past its parent, a size below its header, trailing bytes) are
    appended to ``warnings`` and end that level of the walk.
    """
    buf = data  # bytes, memoryview or mmap: indexable, sliceable, len()
    total = len(buf)  # type: ignore[arg-type]
    stop = total if end is None else min(end, total)
    notes = warnings if warnings is not None else []
    count = 0
    # explicit stack of (next offset, end, depth, path): no recursion, so no RecursionError
    stack: list[tuple[int, int, int, str]] = [(start, stop, depth, parent)]
    while stack:
        off, level_end, level, prefix = stack.pop()
        if off >= level_end:
            continue
        if level_end - off < 8:
            tail = bytes(buf[off:level_end])  # type: ignore[index]
            if tail.strip(b"\x00"):  # a QuickTime udta may end with a 4-byte zero terminator
                notes.append(f"{level_end - off} stray byte(s) at offset {off} in "
                             f"{prefix or 'the file'} (not a box)")
            continue
        size, raw_kind = _HEAD.unpack_from(buf, off)  # type: ignore[arg-type]
        kind = raw_kind.decode("latin-1")
        header = 8
        if size == 1:
            if level_end - off < 16:
                notes.append(f"box {kind!r} at offset {off} declares a 64-bit size but the "
                             "data ends first (truncated)")
                continue
            size = _U64.unpack_from(buf, off + 8)[0]  # type: ignore[arg-type]
            header = 16
        elif size == 0:
            size = level_end - off  # to the end of the parent (of the file at top level)
        user_type = None
        if kind == "uuid":
            if level_end - off < header + 16:
                notes.append(f"uuid box at offset {off} is cut off before its user type")
                continue
            user_type = bytes(buf[off + header : off + header + 16])  # type: ignore[index]
            header += 16
        if size < header:
            notes.append(f"box {kind!r} at offset {off} declares {size} bytes, less than its "
                         f"{header}-byte header: the rest of {prefix or 'the file'} is skipped")
            continue
        truncated = off + size > level_end
        if truncated:
            where = f"its parent {prefix}" if prefix else "the file"
            notes.append(f"box {kind!r} at offset {off} declares {size} bytes, past the end of "
                         f"{where} ({level_end - off} bytes left): truncated or corrupt")
            size = level_end - off
        count += 1
        if count > max_boxes:
            raise CorruptImageError(path, f"more than {max_boxes} boxes (refused: a box-count "
                                    "bomb or a corrupt file)")
        shown = kind if kind.isprintable() else "0x" + kind.encode("latin-1").hex()
        box_path = f"{prefix}/{shown}" if prefix else shown
        payload = off + header
        descending = kind in descend  # a truncated container still gives its first children
        if kind == "meta" and descending:
            payload = min(payload + _meta_skip(bytes(buf[payload : payload + 8])),  # type: ignore[index]
                          off + size)
        yield Box(kind, off, size, header, level, box_path, payload, user_type)
        if not truncated:
            stack.append((off + size, level_end, level, prefix))
        if descending:
            if level + 1 > max_depth:
                raise CorruptImageError(path, f"boxes nested deeper than {max_depth} levels "
                                        f"at {box_path[:200]} (refused: a nesting bomb)")
            stack.append((payload, off + size, level + 1, box_path))

