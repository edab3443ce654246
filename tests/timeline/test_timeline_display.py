"""Plots return figures (10 and 100,000 events); the explorer re-draws on filter changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from osint_kit.timeline import Event, Timeline, When, parse_when


def small() -> Timeline:
    texts = ["2022", "November 2022", "mid-November 2022", "18 November 2022",
             "2022-11-18T10:30:00.5+01:00", "22 December 2022", "2023-01-20T17:00",
             "late January 2023", "2022-11-19", "early December 2022"]
    return Timeline([
        Event(f"event {i} costs $5 <b>", parse_when(t, tz="Europe/Warsaw"),
              kind=("reported", "claimed", "published")[i % 3],
              source_ids=(f"source-{i % 3}",), actors=(f"actor-{i % 2}",), event_id=f"e{i}")
        for i, t in enumerate(texts)])


def big(n: int = 100_000) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    start = pd.Timestamp("2022-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 365 * 86400, n), unit="s")
    return pd.DataFrame({
        "label": "x", "earliest": start,
        "latest": start + pd.to_timedelta(rng.integers(0, 30 * 86400, n), unit="s"),
        "source_ids": rng.choice([f"s{i}" for i in range(60)], n), "precision": "day",
        "kind": "reported"})


def test_plot_small_returns_figure() -> None:
    from matplotlib.figure import Figure

    from osint_kit.display.timeline import figure_png, plot_timeline

    for lane in ("source", "actor", "kind"):
        fig = plot_timeline(small(), lane=lane, tz="Asia/Kolkata")
        assert isinstance(fig, Figure)
        ax = fig.axes[0]
        assert ax.get_xlabel() == "time (Asia/Kolkata)"
        assert len(ax.patches) >= 9  # one bar per interval
        assert figure_png(fig)[:4] == b"\x89PNG"
    texts = [t.get_text() for t in plot_timeline(small()).axes[0].texts]
    assert any("event 0" in t for t in texts)  # annotated
    assert all("$5" not in t or r"\$5" in t for t in texts)  # no mathtext from labels


def test_plot_exact_points_only() -> None:
    import datetime as dt

    from osint_kit.display.timeline import plot_timeline

    tl = Timeline([Event("p", When.exact(dt.datetime(2022, 1, 1, tzinfo=dt.UTC)), event_id="p"),
                   Event("q", parse_when("2022-03-01"), event_id="q")])
    ax = plot_timeline(tl).axes[0]
    assert len(ax.collections) == 1  # the scatter of exact points
    assert len(ax.patches) == 1  # the one interval


def test_plot_100k_aggregates() -> None:
    from matplotlib.figure import Figure

    from osint_kit.display.timeline import MAX_LANES, plot_timeline

    fig = plot_timeline(big(), lane="source")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "density" in ax.get_title()
    assert len(ax.get_yticklabels()) <= MAX_LANES
    assert len(ax.patches) == 0  # no per-event artists


def test_plot_empty_and_given_axes() -> None:
    from matplotlib.figure import Figure

    from osint_kit.display.timeline import plot_timeline

    assert isinstance(plot_timeline(Timeline()), Figure)
    fig = Figure()
    ax = fig.add_subplot(1, 1, 1)
    assert plot_timeline(small(), ax=ax, annotate=False) is fig


def test_explorer_redraws_on_date_range() -> None:
    from osint_kit.display.timeline import timeline_explorer

    box = timeline_explorer(small())
    controls = box.controls
    assert controls["date_range"].description == "Date range"
    assert "ok-date-range" in controls["date_range"]._dom_classes
    assert "ok-timeline-table" in controls["table"]._dom_classes
    assert "ok-timeline-figure" in controls["figure"]._dom_classes
    table0, image0 = controls["table"].value, controls["figure"].value
    assert len(box.filtered) == 10
    assert "<b>" not in table0.replace("<b>10</b>", "")  # labels escaped
    options = controls["date_range"].options
    controls["date_range"].value = (options[0][1], options[5][1])
    assert len(box.filtered) < 10
    assert controls["table"].value != table0
    assert controls["figure"].value != image0
    controls["search"].value = "event 3"
    assert set(box.filtered["event_id"]) <= {"e3"}
    controls["date_range"].index = (0, len(options) - 1)
    controls["search"].value = ""
    controls["kinds"].value = ("claimed",)
    assert set(box.filtered["kind"]) == {"claimed"}
    controls["lanes"].value = ("source-0",)
    assert set(box.filtered["source_ids"]) <= {"source-0"}


def test_explorer_offers_a_static_view_for_exported_notebooks() -> None:
    """nbconvert's HTML export has no widget state: it shows the box's text/html (count,
    figure, escaped table) instead of "VBox(children=...)"; live notebooks keep the widget."""
    nbformat = pytest.importorskip("nbformat", reason="the lab extra is not installed")
    nbconvert = pytest.importorskip("nbconvert", reason="the lab extra is not installed")
    from osint_kit.display.timeline import timeline_explorer

    box = timeline_explorer(small())
    bundle = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    static = bundle["text/html"]
    assert "<b>10</b> of 10 events" in static and "data:image/png;base64," in static
    assert "costs $5 &lt;b&gt;" in static and "costs $5 <b>" not in static
    box.controls["kinds"].value = ("claimed",)
    assert f"<b>{len(box.filtered)}</b> of 10 events" in box._repr_mimebundle_()["text/html"]

    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output("display_data", data=bundle)
    nb.cells.append(nbformat.v4.new_code_cell("explorer", outputs=[out]))
    body, _ = nbconvert.HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert "ok-timeline-explorer-static" in body and "VBox(children" not in body


def test_explorer_readout_shows_the_whole_range() -> None:
    """The slider's own readout cut '2022-09-21-2023-04-1'; the range is written out whole."""
    from osint_kit.display.timeline import timeline_explorer

    box = timeline_explorer(small())
    controls = box.controls
    assert controls["date_range"].readout is False
    assert "ok-date-readout" in controls["readout"]._dom_classes
    first, last = controls["date_range"].label
    assert f"<b>{first}</b>" in controls["readout"].value
    assert f"<b>{last}</b>" in controls["readout"].value
    options = controls["date_range"].options
    controls["date_range"].value = (options[2][1], options[5][1])
    assert f"<b>{options[5][0]}</b>" in controls["readout"].value
