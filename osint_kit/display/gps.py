"""Plot the GPS positions of a metadata scan on a plain map figure (no tiles, no network).

``plot_gps(scan_df)`` draws one point per file that has both ``gps_latitude`` and
``gps_longitude``, labels them with the file name, and scales the axes so that a degree of
longitude is drawn ``cos(latitude)`` times as long as a degree of latitude (shapes are not
squashed away from the equator). No base map is fetched.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from osint_kit.display.placement import LEADER, declutter
from osint_kit.display.text import mpl_text

#: Up to this many file labels are moved apart so that none covers another.
MAX_PLACED_LABELS = 80

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

def plot_gps(
    scan_df: pd.DataFrame,
    ax: Axes | None = None,
    annotate: bool = True,
    lat_col: str = "gps_latitude",
    lon_col: str = "gps_longitude",
    label_col: str = "file_name",
    graticule: bool = True,
) -> Figure:
    """Scatter the GPS positions of a scan; returns the matplotlib Figure (never shown)."""
    import matplotlib.pyplot as plt
    import pandas as pd

    points = scan_df[[c for c in (lat_col, lon_col, label_col) if c in scan_df]].copy()
    points[lat_col] = pd.to_numeric(points[lat_col], errors="coerce")
    points[lon_col] = pd.to_numeric(points[lon_col], errors="coerce")
    points = points.dropna(subset=[lat_col, lon_col])
    points = points[points[lat_col].between(-90, 90) & points[lon_col].between(-180, 180)]
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
    else:
        fig = ax.figure  # type: ignore[assignment]
    ax.set_xlabel("longitude (°, east positive)")
    ax.set_ylabel("latitude (°, north positive)")
    if points.empty:
        ax.set_title("no GPS positions in this scan")
        ax.set_xlim(-180, 180)
        ax.set_ylim(-90, 90)
        return fig  # type: ignore[return-value]
    lats, lons = points[lat_col].to_numpy(), points[lon_col].to_numpy()
    ax.scatter(lons, lats, s=24, color="#c0392b", zorder=3)
    labels = []
    if annotate and label_col in points:
        for lon, lat, name in zip(lons, lats, points[label_col], strict=True):
            labels.append(ax.annotate(mpl_text(name), (lon, lat), xytext=(4, 4),
                                      textcoords="offset points", fontsize=8,
                                      arrowprops=LEADER))
    mid = float((lats.min() + lats.max()) / 2)
    span = max(float(lats.max() - lats.min()), float(lons.max() - lons.min()), 1e-3)
    pad = span * 0.15
    ax.set_xlim(float(lons.min()) - pad, float(lons.max()) + pad)
    ax.set_ylim(max(-90.0, float(lats.min()) - pad), min(90.0, float(lats.max()) + pad))
    ax.set_aspect(1.0 / max(math.cos(math.radians(mid)), 0.01), adjustable="datalim")
    ax.ticklabel_format(useOffset=False, style="plain")
    if graticule:
        ax.grid(True, color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_title(f"{len(points)} of {len(scan_df)} files carry a GPS position")
    if len(labels) <= MAX_PLACED_LABELS:
        declutter(ax, labels)
    return fig  # type: ignore[return-value]
