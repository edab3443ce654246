"""plot_gps draws the positions of a scan without fetching anything."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from osint_kit.display.gps import plot_gps


def test_plot_gps_points_labels_and_aspect() -> None:
    import matplotlib.pyplot as plt

    df = pd.DataFrame({
        "file_name": ["a.jpg", "b\x1b[2Jevil.jpg", "nogps.jpg"],
        "gps_latitude": [60.0, 60.01, None],
        "gps_longitude": [24.9, 24.95, None],
    })
    fig = plot_gps(df)
    ax = fig.axes[0]
    offsets = np.asarray(ax.collections[0].get_offsets())
    assert len(offsets) == 2
    labels = [t.get_text() for t in ax.texts]
    assert labels[0] == "a.jpg" and "\x1b" not in labels[1]
    assert ax.get_aspect() == pytest.approx(2.0, rel=0.01)  # 1 / cos(60°)
    assert "2 of 3" in ax.get_title()
    plt.close(fig)


def test_plot_gps_empty_and_given_axes() -> None:
    import matplotlib.pyplot as plt

    fig0, ax = plt.subplots()
    fig = plot_gps(pd.DataFrame({"gps_latitude": [], "gps_longitude": []}), ax=ax,
                   annotate=False)
    assert fig is fig0
    assert "no GPS" in ax.get_title()
    plt.close(fig)
