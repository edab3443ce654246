"""Figures of the forensic views: the EXIF thumbnail beside the picture, arrays side by side.

Drawing only: the pixels come from :mod:`osint_kit.media.forensics.views` (decoded in the
isolated worker); nothing here opens evidence.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def thumbnail_vs_image(path: str | Path, figsize: tuple[float, float] = (9.0, 4.0)) -> Figure:
    """A two-panel figure: the EXIF thumbnail and the main image, with the comparison verdict.

    A file without a thumbnail still gives a figure (the left panel says so), so the function
    can be mapped over a folder; an undecodable image raises CorruptImageError. The pixels
    come from :func:`~osint_kit.media.forensics.views.thumbnail_pair` (isolated: decoded in
    the warm worker); only the drawing happens here.
    """
    from matplotlib.figure import Figure

    from osint_kit.media.forensics.views import thumbnail_pair

    thumb, main, verdict = thumbnail_pair(path)
    fig = Figure(figsize=figsize)
    ax1, ax2 = fig.subplots(1, 2)
    if thumb is not None:
        ax1.imshow(thumb)
        ax1.set_title(f"EXIF thumbnail {thumb.shape[1]}x{thumb.shape[0]}", fontsize=9)
    else:
        ax1.text(0.5, 0.5, "no EXIF thumbnail", ha="center", va="center")
    ax2.imshow(main)
    ax2.set_title(f"main image {Path(path).name}", fontsize=9)
    for ax in (ax1, ax2):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(verdict, fontsize=9)
    return fig


def side_by_side(arrays: list[Any], titles: list[str], figsize: tuple[float, float] = (10.0, 4.0)) -> Figure:
    """Show arrays (images, ELA, noise) next to each other in one figure."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    axes = fig.subplots(1, len(arrays))
    axes_list = list(axes) if len(arrays) > 1 else [axes]
    for ax, arr, title in zip(axes_list, arrays, titles, strict=True):
        ax.imshow(arr, cmap="gray" if getattr(arr, "ndim", 3) == 2 else None)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig
