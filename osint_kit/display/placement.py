"""Move point labels (annotations) so that they do not cover each other or leave the axes.

``declutter(ax, annotations)`` tries, for each label in turn, the eight positions around its
point (north-east first) and keeps the first whose box touches no label already placed and
stays inside the axes; then positions further out, stacked in rows above and below, with a
thin leader line to the point. A label with no free position keeps its first one. Boxes are measured
with the figure's renderer after one draw, so this is for figures of tens of labels (maps),
not thousands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_Candidate = tuple[tuple[int, int], str, str]  # (dx, dy) in points, ha, va

#: The eight positions around a point, tried first.
_AROUND: list[_Candidate] = [
    ((5, 4), "left", "bottom"), ((-5, 4), "right", "bottom"),
    ((5, -4), "left", "top"), ((-5, -4), "right", "top"),
    ((7, 0), "left", "center"), ((-7, 0), "right", "center"),
    ((0, 7), "center", "bottom"), ((0, -7), "center", "top"),
]
#: Then rows further above and below, reached by a thin leader line.
_ROWS: list[_Candidate] = [c for k in range(1, 8) for c in (
    ((8, 4 + 11 * k), "left", "bottom"), ((-8, -4 - 11 * k), "right", "top"))]
_CANDIDATES = _AROUND + _ROWS
#: ``arrowprops`` for annotations passed to :func:`declutter`: a thin leader line, shown only
#: for labels moved into the further rows.
LEADER: dict[str, Any] = {"arrowstyle": "-", "color": "#888888", "linewidth": 0.5,
                          "shrinkA": 0, "shrinkB": 2}


def _text_box(ann: Any, renderer: Any) -> Any:
    """The box of an annotation's text alone (its leader line left out)."""
    from matplotlib.text import Text

    ann.update_positions(renderer)
    return Text.get_window_extent(ann, renderer)


def declutter(ax: Any, annotations: Sequence[Any], pad: float = 1.0) -> int:
    """Re-position ``annotations`` (matplotlib Annotations with ``textcoords='offset
    points'``, ideally made with ``arrowprops=LEADER``); returns how many could not be freed
    of overlaps."""
    if not annotations:
        return 0
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = []
    stuck = 0
    for ann in annotations:
        first = None
        for n, candidate in enumerate(_CANDIDATES):
            (dx, dy), ha, va = candidate
            ann.set_position((dx, dy))
            ann.set_ha(ha)
            ann.set_va(va)
            box = _text_box(ann, renderer).padded(pad)
            if first is None:
                first = ((dx, dy), ha, va)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                      and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                if ann.arrow_patch is not None:  # made with LEADER: shown only when far
                    ann.arrow_patch.set_visible(n >= len(_AROUND))
                break
        else:
            stuck += 1
            if ann.arrow_patch is not None:
                ann.arrow_patch.set_visible(False)
            assert first is not None
            (dx, dy), ha, va = first
            ann.set_position((dx, dy))
            ann.set_ha(ha)
            ann.set_va(va)
            placed.append(_text_box(ann, renderer).padded(pad))
    return stuck


__all__ = ["declutter"]
