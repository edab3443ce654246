"""Timeline plots and the explorer widget (thin: all selection logic is in osint_kit.timeline).

``plot_timeline`` draws intervals as bars whose height, opacity and hatch show their precision
(a whole year is a low, pale, hatched bar; a day a taller, solid one), exact instants as
points, one lane per source/actor/kind, in the chosen display timezone. Above
``dense_threshold`` events it switches to a per-lane density strip so 100,000 events still
draw in well under two seconds.

``timeline_explorer`` returns an ipywidgets box whose controls only collect parameters, call
the pure :func:`osint_kit.timeline.filter.filter_events` and re-draw the figure and table.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from osint_kit._html import df_table, esc
from osint_kit.timeline.events import Timeline, utc_micros
from osint_kit.timeline.filter import NO_LANE, filter_events, lane_values
from osint_kit.timeline.when import UNKNOWN_TZ, get_tz

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

#: precision -> (bar height, alpha, hatch): coarse dates are low, pale and hatched.
PRECISION_STYLE: dict[str, tuple[float, float, str]] = {
    "year": (0.25, 0.25, "////"),
    "month": (0.35, 0.35, "//"),
    "week": (0.45, 0.45, "/"),
    "day": (0.55, 0.6, ""),
    "hour": (0.65, 0.75, ""),
    "minute": (0.7, 0.85, ""),
    "second": (0.7, 0.9, ""),
}
MAX_LANES = 30
OTHER_LANE = "(other lanes)"
_US_PER_DAY = 86_400_000_000.0


def _frame(data: Timeline | pd.DataFrame) -> pd.DataFrame:
    return data.df if isinstance(data, Timeline) else data


def _days(values: pd.Series) -> np.ndarray:
    """UTC datetimes as matplotlib date numbers (days since 1970-01-01)."""
    return utc_micros(values) / _US_PER_DAY


def _safe(text: str, limit: int = 40) -> str:
    """Plain text for matplotlib: no mathtext ($), bounded length."""
    text = str(text)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _lanes(df: pd.DataFrame, lane: str) -> tuple[np.ndarray, list[str]]:
    values = lane_values(df, lane)
    counts = values.value_counts()
    if len(counts) > MAX_LANES:
        keep = set(counts.index[: MAX_LANES - 1])
        values = values.where(values.isin(keep), OTHER_LANE)
    names = sorted(values.unique(), key=lambda v: (v in (NO_LANE, OTHER_LANE), v))
    index = {name: i for i, name in enumerate(names)}
    return values.map(index).to_numpy(dtype=float), names


def plot_timeline(
    data: Timeline | pd.DataFrame,
    lane: str = "source",
    tz: str = "UTC",
    ax: Axes | None = None,
    annotate: bool = True,
    dense_threshold: int = 2000,
    title: str | None = None,
) -> Figure:
    """Draw events on lanes; returns the matplotlib Figure (never calls ``show``)."""
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    zone = get_tz("UTC" if tz == UNKNOWN_TZ else tz)
    df = _frame(data)
    if ax is None:
        per_lane = 0.3 if len(df) > dense_threshold else 0.45
        fig = Figure(figsize=(11, 1.8 + per_lane * min(MAX_LANES, max(1, _n_lanes(df, lane)))))
        ax = fig.add_subplot(1, 1, 1)
    else:
        fig = ax.figure  # type: ignore[assignment]
    if df.empty:
        ax.text(0.5, 0.5, "no events to show", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_yticks([])
        ax.set_xticks([])
        return fig
    y, names = _lanes(df, lane)
    start = _days(df["earliest"])
    end = _days(df["latest"])
    span = max(float(end.max() - start.min()), 1e-6)
    if len(df) > dense_threshold:
        _draw_density(ax, start, end, y, len(names))
        sizes = np.bincount(y.astype(np.int64), minlength=len(names))
        names = [f"{n} ({c:,})" for n, c in zip(names, sizes, strict=True)]
        ax.set_title(title or f"{len(df):,} events: density per lane (aggregated, "
                     f"{min(400, len(df))} bins; threshold {dense_threshold})", fontsize=9)
    else:
        _draw_events(ax, df, start, end, y, span, annotate)
        handles = [Patch(facecolor="grey", alpha=a, hatch=h, label=p)
                   for p, (_, a, h) in PRECISION_STYLE.items()
                   if (df["precision"] == p).any()]
        if handles:
            ax.legend(handles=handles, title="precision", fontsize=7, title_fontsize=7,
                      loc="upper left", bbox_to_anchor=(1.0, 1.0))
        if title:
            ax.set_title(_safe(title, 120), fontsize=9)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([_safe(n, 30) for n in names], fontsize=8)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.invert_yaxis()
    pad = span * 0.03
    ax.set_xlim(float(start.min()) - pad, float(end.max()) + pad)
    locator = mdates.AutoDateLocator(tz=zone)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=zone))
    ax.set_xlabel(f"time ({tz})", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.subplots_adjust(left=0.16, right=0.86, bottom=0.2)
    return fig


def _n_lanes(df: pd.DataFrame, lane: str) -> int:
    return 1 if df.empty else int(lane_values(df, lane).nunique())


def _draw_events(ax: Any, df: pd.DataFrame, start: np.ndarray, end: np.ndarray,
                 y: np.ndarray, span: float, annotate: bool) -> None:
    import matplotlib as mpl

    colours = mpl.colormaps["tab10"]
    exact = (end - start) * 86400.0 < 1.0
    precision = df["precision"].to_numpy()
    for name, (height, alpha, hatch) in PRECISION_STYLE.items():
        mask = (precision == name) & ~exact
        if not mask.any():
            continue
        width = np.maximum(end[mask] - start[mask], span / 800.0)
        ax.barh(y[mask], width, left=start[mask], height=height, alpha=alpha, hatch=hatch,
                color=[colours(int(v) % 10) for v in y[mask]], edgecolor="black",
                linewidth=0.3)
    if exact.any():
        ax.scatter(start[exact], y[exact], marker="D", s=22, zorder=3,
                   c=[colours(int(v) % 10) for v in y[exact]], edgecolors="black",
                   linewidths=0.4, label="exact time")
    if annotate and len(df) <= 40:
        labels = df["label"].to_numpy()
        for x0, x1, row, text in zip(start, end, y, labels, strict=True):
            ax.annotate(_safe(text), ((x0 + x1) / 2, row), xytext=(0, 9),
                        textcoords="offset points", ha="center", fontsize=7)


def _draw_density(ax: Any, start: np.ndarray, end: np.ndarray, y: np.ndarray,
                  n_lanes: int) -> None:
    mid = (start + end) / 2.0
    bins = np.linspace(float(start.min()), float(end.max()) + 1e-9, min(400, len(mid)) + 1)
    lanes = y.astype(np.int64)
    counts = np.zeros((n_lanes, len(bins) - 1))
    which = np.clip(np.searchsorted(bins, mid, side="right") - 1, 0, len(bins) - 2)
    np.add.at(counts, (lanes, which), 1)
    centres = (bins[:-1] + bins[1:]) / 2.0
    for i in range(n_lanes):
        top = counts[i].max() or 1.0  # each lane scaled to its own peak
        height = counts[i] / top * 0.8
        ax.fill_between(centres, i + height / 2, i - height / 2, step="mid", alpha=0.7,
                        linewidth=0)


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """PNG bytes of a figure (used by the widget's Image)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


_TABLE_COLUMNS = ["event_id", "label", "kind", "earliest", "latest", "precision", "when_text",
                  "source_ids"]


@functools.cache
def _explorer_box() -> Any:
    """The explorer's VBox class, made on first use (ipywidgets is imported lazily)."""
    import ipywidgets as widgets

    class ExplorerBox(widgets.VBox):  # type: ignore[misc]
        """A VBox that also offers a static HTML view of what it shows (count, figure,
        table): what an exported notebook (nbconvert HTML, no widget state) displays instead
        of the widget's text form; a live notebook still shows the widget."""

        def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
            bundle: dict[str, Any] = super()._repr_mimebundle_(**kwargs)
            controls = getattr(self, "controls", None)
            if controls is not None:
                png = base64.b64encode(controls["figure"].value).decode("ascii")
                bundle["text/html"] = (
                    '<div class="ok-timeline-explorer-static"><p><em>Static view of the '
                    "timeline explorer: its filters work in a running notebook.</em></p>"
                    f"<p>{controls['count'].value}</p>"
                    f'<img alt="timeline figure" src="data:image/png;base64,{png}"/>'
                    f"{controls['table'].value}</div>")
            return bundle

    return ExplorerBox


def timeline_explorer(
    timeline: Timeline | pd.DataFrame, lane: str = "source", tz: str = "UTC",
    max_rows: int = 100,
) -> Any:
    """An ipywidgets VBox: date range, lane, text and kind filters, figure and table.

    The box has ``controls`` (a dict of the widgets by name), ``redraw()``, and ``filtered``
    (the rows currently shown). Widgets carry stable descriptions and ``ok-*`` DOM classes
    (ok-date-range, ok-lane-filter, ok-text-search, ok-kind-filter, ok-timeline-figure,
    ok-timeline-table, ok-timeline-count) for browser tests.
    """
    import ipywidgets as widgets

    df = _frame(timeline)
    if df.empty:
        return widgets.VBox([widgets.HTML("<p>no events</p>")])
    lo = df["earliest"].min().normalize()
    hi = df["latest"].max().normalize()
    days = (hi - lo).days + 1
    freq = "D" if days <= 400 else "W-MON" if days <= 2800 else "MS"
    stops = list(pd.date_range(lo, hi, freq=freq, tz="UTC"))
    if not stops or stops[0] > lo:
        stops.insert(0, lo)
    stops.append(hi + pd.Timedelta(days=1))
    options = [(s.strftime("%Y-%m-%d"), s) for s in stops]
    date_range = widgets.SelectionRangeSlider(
        options=options, index=(0, len(options) - 1), description="Date range",
        continuous_update=False, layout=widgets.Layout(width="95%"))
    lanes_all = sorted(lane_values(df, lane).unique())
    lanes = widgets.SelectMultiple(options=lanes_all, value=tuple(lanes_all),
                                   description="Lanes", rows=min(6, len(lanes_all)))
    kinds_all = sorted(df["kind"].unique())
    kinds = widgets.SelectMultiple(options=kinds_all, value=tuple(kinds_all),
                                   description="Kinds", rows=min(6, len(kinds_all)))
    search = widgets.Text(value="", description="Search", placeholder="words in label",
                          continuous_update=False)
    figure = widgets.Image(format="png")
    table = widgets.HTML(value="", description="")
    count = widgets.HTML(value="")
    for widget, css in ((date_range, "ok-date-range"), (lanes, "ok-lane-filter"),
                        (kinds, "ok-kind-filter"), (search, "ok-text-search"),
                        (figure, "ok-timeline-figure"), (table, "ok-timeline-table"),
                        (count, "ok-timeline-count")):
        widget.add_class(css)
    box = _explorer_box()([date_range, widgets.HBox([lanes, kinds, search]), count, figure,
                           table])
    box.add_class("ok-timeline-explorer")

    def redraw(_change: Any = None) -> None:
        start, end = date_range.value
        shown = filter_events(df, start=start, end=end, lanes=lanes.value,
                              text=search.value or None, kinds=kinds.value, lane=lane)
        fig = plot_timeline(shown, lane=lane, tz=tz)
        figure.value = figure_png(fig)
        count.value = f"<b>{len(shown):,}</b> of {len(df):,} events"
        table.value = df_table(shown[_TABLE_COLUMNS].reset_index(drop=True), max_rows=max_rows)
        box.filtered = shown

    for control in (date_range, lanes, kinds, search):
        control.observe(redraw, names="value")
    box.controls = {"date_range": date_range, "lanes": lanes, "kinds": kinds, "search": search,
                    "figure": figure, "table": table, "count": count}
    box.redraw = redraw
    redraw()
    return box


__all__ = ["PRECISION_STYLE", "figure_png", "plot_timeline", "timeline_explorer"]
_ = esc
