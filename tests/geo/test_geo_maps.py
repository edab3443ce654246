"""Static maps work offline; the interactive map refuses the network unless allowed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from osint_kit.display.maps import interactive_map, plot_places, plot_shadow_finder
from osint_kit.errors import NetworkDisabledError
from osint_kit.geo.chronolocate import shadow_finder
from osint_kit.geo.places import Place

TUMANGANG = Place("Tumangang station", 42.4214, 130.6081, 300, "Wikipedia")
KHASAN = Place("Khasan <x>", 42.42833, 130.64556, 300, "Wikipedia")


def test_static_map_offline() -> None:
    import matplotlib.pyplot as plt

    photos = pd.DataFrame(
        {
            "file_name": ["a.jpg", "nogps.jpg"],
            "gps_latitude": [42.42, None],
            "gps_longitude": [130.62, None],
        }
    )
    fig = plot_places(
        [TUMANGANG, KHASAN], photos=photos, bearings=[(TUMANGANG, 336.0, 1500.0, "shadow")]
    )
    ax = fig.axes[0]
    assert len(ax.lines) >= 5  # 2 points, 2 circles, 1 bearing, photos
    plt.close(fig)


def test_shadow_finder_figure() -> None:
    import matplotlib.pyplot as plt

    df = shadow_finder(2.16, dt.datetime(2022, 11, 18, 1, 30, tzinfo=dt.UTC), 0.03, 2.0)
    fig = plot_shadow_finder(df)
    assert fig.axes
    plt.close(fig)


def test_interactive_map_refuses_network_by_default() -> None:
    with pytest.raises(NetworkDisabledError, match="allow_network=True"):
        interactive_map([TUMANGANG])


def test_interactive_map_names_the_extra_when_folium_missing() -> None:
    try:
        import folium  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r"osint-kit\[webmap\]"):
            interactive_map([TUMANGANG], allow_network=True)
    else:  # pragma: no cover - folium installed: building the map still fetches nothing
        assert interactive_map([TUMANGANG], allow_network=True) is not None
