"""A minimal offline base map: Natural Earth 1:10m country outlines from package data.

``outlines(bbox)`` returns the coast and border lines near a box as (lon, lat) arrays;
``draw_outlines(ax, bbox, kx)`` draws them in grey under a map. The data and its provenance
(public domain, German point-of-view variant, simplified to about 500 m) are in
``osint_kit/data/basemap/`` (PROVENANCE.md). Lines are for orientation, never measurement.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import numpy as np

#: Attribution written on maps that use the outlines.
ATTRIBUTION = "outlines: Natural Earth 1:10m (public domain), approximate"
_FILE = "ne_10m_admin0_outlines.npz"


@functools.cache
def _rings() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(vertices in degrees, ring starts, ring bounding boxes [lon0, lat0, lon1, lat1])."""
    with resources.files("osint_kit").joinpath("data", "basemap", _FILE).open("rb") as fh:
        data = np.load(fh)
        delta, starts, scale = data["delta"], data["starts"], int(data["scale"])
    ring = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(delta)]))
    coords = delta.astype(np.int64)
    # undo the steps ring by ring: a cumulative sum restarted at each ring's first vertex
    total = np.cumsum(coords, axis=0)
    offset = total[starts] - coords[starts]
    coords = (total - offset[ring]) / scale
    boxes = np.c_[np.minimum.reduceat(coords[:, 0], starts),
                  np.minimum.reduceat(coords[:, 1], starts),
                  np.maximum.reduceat(coords[:, 0], starts),
                  np.maximum.reduceat(coords[:, 1], starts)]
    return coords, starts, boxes


def outlines(lon0: float, lat0: float, lon1: float, lat1: float) -> list[np.ndarray]:
    """Coast and border lines that cross the box, each an (n, 2) array of (lon, lat).

    Vertices far outside the box are dropped (lines are split there), so a continent's
    coastline does not come along whole for a map of one town.
    """
    coords, starts, boxes = _rings()
    hit = np.flatnonzero((boxes[:, 0] <= lon1) & (boxes[:, 2] >= lon0) &
                         (boxes[:, 1] <= lat1) & (boxes[:, 3] >= lat0))
    ends = np.r_[starts[1:], len(coords)]
    dx, dy = (lon1 - lon0), (lat1 - lat0)
    out = []
    for i in hit:
        ring = coords[starts[i]:ends[i]]
        near = ((ring[:, 0] >= lon0 - dx) & (ring[:, 0] <= lon1 + dx) &
                (ring[:, 1] >= lat0 - dy) & (ring[:, 1] <= lat1 + dy))
        if not near.any():
            continue
        cuts = np.flatnonzero(np.diff(near.astype(np.int8)) != 0) + 1
        for piece, keep in zip(np.split(ring, cuts), np.split(near, cuts), strict=True):
            if keep[0] and len(piece) >= 2:
                out.append(piece)
    return out


def draw_outlines(ax: Any, lon0: float, lat0: float, lon1: float, lat1: float,
                  kx: float = 1.0) -> int:
    """Draw the outlines near the box on ``ax`` (x = lon * kx), without moving its limits;
    returns how many line pieces were drawn."""
    from matplotlib.collections import LineCollection

    pieces = outlines(lon0, lat0, lon1, lat1)
    if pieces:
        lines = [np.c_[p[:, 0] * kx, p[:, 1]] for p in pieces]
        ax.add_collection(LineCollection(lines, colors="#9a9a9a", linewidths=0.8, zorder=1,
                                         label="coast / border (approx.)"), autolim=False)
    return len(pieces)


__all__ = ["ATTRIBUTION", "draw_outlines", "outlines"]
