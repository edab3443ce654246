"""Contact sheets: the extracted frames of a video in a grid, with their times.

Display only: the frames come from :func:`osint_kit.media.frames.keyframes` (a list of
:class:`~osint_kit.media.frames.Frame` or its :func:`~osint_kit.media.frames.frames_table`).
The thumbnails are made by :func:`osint_kit.media.forensics.views.preview_image` (decoded in the
kit's isolated worker, size-guarded). :func:`contact_sheet` returns a matplotlib Figure
(never shown here); :func:`contact_sheet_html` returns self-contained HTML (thumbnails as
``data:`` URIs, no external resources) with every text escaped.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osint_kit._html import esc
from osint_kit.display.text import mpl_text
from osint_kit.errors import EvidenceError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: At most this many frames are drawn (a sheet of 200 thumbnails helps nobody).
MAX_SHEET_FRAMES = 120


def format_time(seconds: float | None) -> str:
    """``h:mm:ss.mmm`` (``0:00:12.345``), as a player shows a position."""
    if seconds is None or seconds != seconds:
        return "?"
    sign = "-" if seconds < 0 else ""
    ms = round(abs(float(seconds)) * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{sign}{h}:{m:02d}:{s:02d}.{ms:03d}"


def _records(frames: Iterable[Any] | pd.DataFrame) -> list[dict[str, Any]]:
    """Frames (records or a frames_table) as dicts with at least path and time_s."""
    import dataclasses

    if hasattr(frames, "to_dict") and hasattr(frames, "columns"):
        return list(frames.to_dict("records"))  # type: ignore[union-attr]
    out: list[dict[str, Any]] = []
    for f in frames:
        if dataclasses.is_dataclass(f) and not isinstance(f, type):
            out.append(dataclasses.asdict(f))
        else:
            out.append(dict(f))  # type: ignore[arg-type]
    return out


def _thumbs(records: Sequence[dict[str, Any]], max_side: int, fmt: str) -> list[bytes | str]:
    """Thumbnail bytes per frame, or the error text when the working copy is unreadable."""
    from osint_kit.media.forensics.views import preview_image

    out: list[bytes | str] = []
    for rec in records:
        try:
            out.append(preview_image(str(rec["path"]), max_side=max_side, fmt=fmt))
        except (EvidenceError, ValueError) as err:
            out.append(f"{type(err).__name__}: {err}")
    return out


def _caption(rec: dict[str, Any]) -> str:
    key = " key" if rec.get("key") else ""
    return f"{format_time(rec.get('time_s'))}{key}"


def contact_sheet(
    frames: Iterable[Any] | pd.DataFrame,
    columns: int = 6,
    thumb_inches: float = 2.0,
    title: str | None = None,
    max_frames: int = MAX_SHEET_FRAMES,
) -> Figure:
    """A grid of the frames, ``columns`` wide, each with its time (``h:mm:ss.mmm``, "key" for
    a keyframe) under it. ``title`` defaults to the video's file name. Frames whose working
    copy cannot be read show the reason instead of a picture."""
    from matplotlib.figure import Figure
    from PIL import Image

    if columns < 1:
        raise ValueError(f"columns must be at least 1, got {columns!r}")
    records = _records(frames)[:max_frames]
    rows = max(1, math.ceil(len(records) / columns))
    fig = Figure(figsize=(columns * thumb_inches, rows * thumb_inches * 0.85 + 0.6))
    if title is None and records:
        title = Path(str(records[0].get("video", ""))).name
    if title:
        fig.suptitle(mpl_text(title, 80), fontsize=10)
    if not records:
        ax = fig.add_subplot(1, 1, 1)
        ax.axis("off")
        ax.text(0.5, 0.5, "no frames", ha="center", va="center")
        return fig
    axes = fig.subplots(rows, columns, squeeze=False)
    thumbs = _thumbs(records, 320, "PNG")
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= len(records):
            ax.axis("off")
            continue
        thumb = thumbs[i]
        if isinstance(thumb, bytes):
            with Image.open(io.BytesIO(thumb)) as im:
                ax.imshow(im.convert("RGB"))
        else:
            ax.text(0.5, 0.5, mpl_text(thumb, 60), ha="center", va="center", fontsize=6,
                    wrap=True)
        ax.set_xlabel(mpl_text(_caption(records[i])), fontsize=8)
    fig.tight_layout()
    return fig


def contact_sheet_html(
    frames: Iterable[Any] | pd.DataFrame,
    title: str | None = None,
    max_side: int = 200,
    max_frames: int = MAX_SHEET_FRAMES,
) -> str:
    """An HTML block (for a notebook's ``HTML(...)`` or a report) of the frames as a grid of
    thumbnails (``data:`` URIs, JPEG) with their times, the file names in tooltips; every
    text is escaped, nothing external is loaded."""
    every = _records(frames)
    records = every[:max_frames]
    if title is None and records:
        title = Path(str(records[0].get("video", ""))).name
    parts = ["<div style='font-family:sans-serif;font-size:12px'>"]
    if title:
        parts.append(f"<h4 style='margin:6px 0'>{esc(title)}</h4>")
    if not records:
        parts.append("<p>no frames</p></div>")
        return "".join(parts)
    parts.append("<div style='display:flex;flex-wrap:wrap;gap:6px'>")
    for rec, thumb in zip(records, _thumbs(records, max_side, "JPEG"), strict=True):
        tip = f"{Path(str(rec.get('path', ''))).name} ({rec.get('reason', '')})"
        parts.append(f"<figure style='margin:0;width:{int(max_side)}px' title='{esc(tip)}'>")
        if isinstance(thumb, bytes):
            data = base64.b64encode(thumb).decode("ascii")
            parts.append(f"<img src='data:image/jpeg;base64,{data}' alt='{esc(_caption(rec))}'"
                         f" style='max-width:100%'>")
        else:
            parts.append(f"<div style='color:#a00'>{esc(thumb)}</div>")
        parts.append(f"<figcaption>{esc(_caption(rec))}</figcaption></figure>")
    parts.append("</div>")
    if len(every) > max_frames:
        parts.append(f"<p>… first {int(max_frames)} frames shown</p>")
    parts.append("</div>")
    return "".join(parts)


__all__ = ["MAX_SHEET_FRAMES", "contact_sheet", "contact_sheet_html", "format_time"]
