"""Measure a drawn figure's text: overlapping label pairs and labels outside the figure.

The figure is drawn with the Agg renderer and every visible, non-empty Text (titles, tick
labels, annotations, legend entries, node labels) is measured with ``get_window_extent``.
"""

from __future__ import annotations

from typing import Any


def texts(fig: Any) -> list[Any]:
    """Every drawn, non-empty Text of the figure (after drawing it): titles, axis and tick
    labels of visible axes (ticks inside the view only), annotations, legends, figure texts."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    found: list[Any] = list(fig.texts)
    for legend in fig.legends:
        found += [*legend.get_texts(), legend.get_title()]
    for ax in fig.axes:
        found += [ax.title, ax._left_title, ax._right_title, *ax.texts]
        if ax.get_legend() is not None:
            found += [*ax.get_legend().get_texts(), ax.get_legend().get_title()]
        if not ax.axison:
            continue
        for axis, (lo, hi) in ((ax.xaxis, sorted(ax.get_xlim())),
                               (ax.yaxis, sorted(ax.get_ylim()))):
            if not axis.get_visible():
                continue
            found.append(axis.label)
            found += [tick.label1 for tick in axis.get_major_ticks()
                      if lo <= tick.get_loc() <= hi and tick.label1.get_visible()]
            offset = axis.get_offset_text()
            found.append(offset)
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def boxes(fig: Any) -> list[tuple[str, Any]]:
    """(text, box) of every drawn text; an annotation's box is its text's, without the
    leader line or arrow it may carry."""
    from matplotlib.text import Annotation, Text

    drawn = texts(fig)
    renderer = fig.canvas.get_renderer()
    out = []
    for t in drawn:
        if isinstance(t, Annotation):
            t.update_positions(renderer)
        out.append((t.get_text(), Text.get_window_extent(t, renderer)))
    return out


def overlapping_pairs(fig: Any, shrink: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of text boxes that overlap (each box shrunk by ``shrink`` px against AA noise)."""
    measured = [(s, b.expanded(1.0, 1.0).padded(-shrink)) for s, b in boxes(fig)]
    pairs = []
    for i, (s1, b1) in enumerate(measured):
        for s2, b2 in measured[i + 1:]:
            if b1.overlaps(b2):
                pairs.append((s1, s2))
    return pairs


def outside_figure(fig: Any, tolerance: float = 1.0) -> list[str]:
    """Texts whose box is not entirely inside the figure (cut off when saved)."""
    frame = fig.bbox
    return [s for s, b in boxes(fig)
            if b.x0 < frame.x0 - tolerance or b.y0 < frame.y0 - tolerance
            or b.x1 > frame.x1 + tolerance or b.y1 > frame.y1 + tolerance]


def text_strings(fig: Any) -> list[str]:
    return [t.get_text() for t in texts(fig)]
