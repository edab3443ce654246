"""Every figure function: labels never overlap or leave the figure, and `$` in a label is
drawn as a dollar sign, never parsed as mathtext (issue 19 item 10, issue 20 item 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import figure_checks as fc
import pandas as pd
import pytest

from osint_kit.display.gps import plot_gps
from osint_kit.display.maps import plot_places, plot_shadow_finder
from osint_kit.display.sources import plot_independence
from osint_kit.display.text import human_duration, mpl_text, terminal_text
from osint_kit.display.timeline import plot_timeline
from osint_kit.geo.chronolocate import shadow_finder
from osint_kit.geo.places import Place
from osint_kit.sources import Source, citation_graph
from osint_kit.timeline import Event, Timeline, parse_when

#: Labels that matplotlib would parse as mathtext: an unbalanced group raises at draw time.
MATH = ("a$x^{$b.jpg", r"$\frac$ x $", "costs $5 and $6")


def _case() -> Any:
    from osint_kit.workshop.casefiles import find_examples, load_example_case

    return load_example_case(find_examples())


def _no_mathtext(fig: Any) -> None:
    for text in fc.texts(fig):  # fc.texts draws the figure: a mathtext error raises here
        assert not text._preprocess_math(text.get_text())[1], text.get_text()


def _clean(fig: Any) -> None:
    assert fc.overlapping_pairs(fig) == []
    assert fc.outside_figure(fig) == []


def test_case_timeline_labels_do_not_overlap_or_leave_the_figure() -> None:
    case = _case()
    for lane in ("kind", "source"):
        fig = plot_timeline(case.timeline, lane=lane, title="Worked case: events by kind")
        texts = fc.text_strings(fig)
        assert sum("…" in t for t in texts) >= 5  # long labels shortened
        _clean(fig)
    assert "1 conflict" in fig.axes[0].get_title()


def test_dense_same_day_timeline_stacks_labels() -> None:
    when = parse_when("2022-11-18")
    tl = Timeline([Event(f"event number {i} with a fairly long label", when,
                         event_id=f"e{i}", source_ids=("s",)) for i in range(25)])
    fig = plot_timeline(tl)
    assert len([t for t in fig.axes[0].texts if t.get_text().startswith("event number")]) == 25
    _clean(fig)


def test_timeline_draws_conflicts() -> None:
    tl = Timeline([
        Event("a", parse_when("2022-11-18"), event_id="a", event_key="k"),
        Event("b", parse_when("2022-10-18"), event_id="b", event_key="k")])
    fig = plot_timeline(tl)
    ax = fig.axes[0]
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == 1 and "1 conflict" in ax.get_title()
    legend = ax.get_legend()
    assert legend is not None and "conflict" in [t.get_text() for t in legend.get_texts()]
    _clean(fig)


def test_citation_graph_layers_and_labels() -> None:
    case = _case()
    graph = citation_graph(case.sources.sources)
    fig = plot_independence(graph)
    _clean(fig)
    texts = fc.text_strings(fig)
    assert all(any(t.startswith(node) for t in texts) for node in graph.nodes)  # none cut
    ax = fig.axes[0]
    x = {t.get_text().split("\n")[0]: t.get_position()[0] for t in ax.texts if t.get_text()}
    for u, v in graph.edges:  # layers: what a source rests on is always further right
        if not nx_same_component(graph, u, v):
            assert x[u] < x[v], (u, v)


def nx_same_component(graph: Any, u: str, v: str) -> bool:
    import networkx as nx

    return bool(nx.has_path(graph, v, u))


def test_maps_and_gps_keep_labels_inside() -> None:
    tumangang = Place("Tumangang station", 42.4214, 130.6081, 300, "Wikipedia")
    khasan = Place("Khasan railway station (Russia)", 42.42833, 130.64556, 300, "Wikipedia")
    photos = pd.DataFrame({"file_name": ["DSC_0001_a_long_camera_file_name.jpg", "x.jpg"],
                           "gps_latitude": [42.42, None], "gps_longitude": [130.62, None]})
    for fig in (plot_places([tumangang, khasan], photos=photos,
                            bearings=[(tumangang, 336.0, 1500.0, "shadow")]),
                plot_gps(photos), plot_gps(photos.assign(gps_longitude=[130.66, 130.6]))):
        _clean(fig)
    df = shadow_finder(2.16, dt.datetime(2022, 11, 18, 1, 30, tzinfo=dt.UTC), 0.03, 2.0)
    _clean(plot_shadow_finder(df))


@pytest.mark.parametrize("name", MATH)
def test_dollar_labels_are_not_mathtext(name: str) -> None:
    """Fails on the old code: plot_gps/plot_places/plot_independence passed `$` through."""
    photos = pd.DataFrame({"file_name": [name], "gps_latitude": [42.42],
                           "gps_longitude": [130.62]})
    place = Place(name, 42.4214, 130.6081, 300, "test")
    graph = citation_graph([Source(name, copies=("origin$",)), Source("origin$")])
    tl = Timeline([Event(name, parse_when("2022-11-18"), source_ids=(name,), event_id="e")])
    figures = [plot_gps(photos), plot_places([place], photos=photos,
                                            bearings=[(place, 10.0, 500.0, name)], title=name),
               plot_independence(graph, title=name), plot_timeline(tl, title=name)]
    for fig in figures:
        _no_mathtext(fig)
        assert any("$" in t.get_text() for t in fc.texts(fig))


def test_text_helpers() -> None:
    assert mpl_text("costs $5") == r"costs \$5"
    assert mpl_text("a\x1b[2Jb" + "x" * 100, 10) == "a[2Jbxxxx…"
    assert terminal_text("evil\x1b]0;pwned\x07.jpg") == "evil?]0;pwned?.jpg"
    assert human_duration(pd.Timedelta(days=398, microseconds=1)) == "398 days"
    assert human_duration(pd.Timedelta(days=30, microseconds=1)) == "30 days"
    assert human_duration(dt.timedelta(days=1, hours=2)) == "1 day 2 h"
    assert human_duration(dt.timedelta(hours=3, minutes=20)) == "3 h 20 min"
    assert human_duration(45.2) == "45 s"
    assert human_duration(pd.NaT) == "" and human_duration(None) == ""


def test_case_map_labels_and_basemap() -> None:
    """The notebook 05 map: no label over another, the offline outlines drawn and credited."""
    from matplotlib.collections import LineCollection

    from osint_kit.geo import bearing, distance

    case = _case()
    border = [p for p in case.places if p.lon > 100]
    station = next(p for p in border if p.name == "Tumangang station")
    bridge = next(p for p in border if "Bridge" in p.name)
    to_bridge = (station, bearing(station, bridge), distance(station, bridge), "to the bridge")
    fig = plot_places(border, bearings=[to_bridge], title="Tumangang - Khasan")
    _clean(fig)
    ax = fig.axes[0]
    assert any(isinstance(c, LineCollection) for c in ax.collections)
    assert "Natural Earth" in ax.get_xlabel()
    assert any("to the bridge (" in t.get_text() for t in ax.texts)  # the bearing, labelled
    bare = plot_places(border, basemap=False)
    assert not any(isinstance(c, LineCollection) for c in bare.axes[0].collections)


def test_gps_labels_of_close_photos_do_not_overlap() -> None:
    photos = pd.DataFrame({"file_name": [f"IMG_{i:04d}_{'x' * 10}.jpg" for i in range(8)],
                           "gps_latitude": [42.42 + i * 1e-5 for i in range(8)],
                           "gps_longitude": [130.62 + i * 4e-4 for i in range(8)]})
    _clean(plot_gps(photos))


def test_basemap_outlines_and_provenance() -> None:
    import hashlib
    import re
    from importlib import resources

    from osint_kit.display.basemap import outlines

    near = outlines(130.5, 42.3, 130.8, 42.55)  # the Tumen: the Russia - North Korea border
    assert near and all(p.shape[1] == 2 for p in near)
    assert outlines(-150.0, -1.0, -149.0, 0.0) == []  # open Pacific: nothing
    folder = resources.files("osint_kit").joinpath("data", "basemap")
    data = folder.joinpath("ne_10m_admin0_outlines.npz").read_bytes()
    note = folder.joinpath("PROVENANCE.md").read_text(encoding="utf-8")
    listed = re.search(r"`ne_10m_admin0_outlines.npz` \(this folder\) \| `([0-9a-f]{64})`", note)
    assert listed and listed.group(1) == hashlib.sha256(data).hexdigest()


def test_dense_timeline_lanes_stay_readable() -> None:
    import numpy as np

    rng = np.random.default_rng(1)
    n = 5000
    start = pd.Timestamp("2022-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 365 * 86400, n), unit="s")
    df = pd.DataFrame({"label": "x", "earliest": start, "latest": start + pd.Timedelta(hours=1),
                       "source_ids": rng.choice([f"source number {i}" for i in range(40)], n),
                       "precision": "hour", "kind": "reported"})
    _clean(plot_timeline(df, lane="source"))
