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

import functools
import io
import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from osint_kit._html import data_uri, df_table, esc
from osint_kit.display.text import mpl_text
from osint_kit.timeline.events import Timeline, find_conflicts, utc_micros
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


#: Figure width (inches), label font size (points) and the axes' left/right edges.
FIG_WIDTH = 11.0
LABEL_FONT = 7.0
LABEL_CHARS = 36
MAX_LABELS = 60
_LEFT, _RIGHT = 0.15, 0.86
_TOP_IN, _BOTTOM_IN = 0.45, 0.6
_TIER_IN = LABEL_FONT * 1.5 / 72.0  # one row of labels
_BAR_IN = 0.3  # the row the bars sit in
_GAP_IN = 0.12  # between lanes


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
    conflicts: bool = True,
) -> Figure:
    """Draw events on lanes; returns the matplotlib Figure (never calls ``show``).

    Labels (shortened to :data:`LABEL_CHARS`; the full text is in the explorer's table) are
    stacked in tiers above their lane so that no two overlap; the figure grows to fit them.
    Conflicts (:func:`osint_kit.timeline.find_conflicts`) are drawn as red dashed links
    between the two events, and the legend sits outside the plot.
    """
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    zone = get_tz("UTC" if tz == UNKNOWN_TZ else tz)
    df = _frame(data)
    own = ax is None
    if df.empty:
        if ax is None:
            fig = Figure(figsize=(FIG_WIDTH, 2.0))
            FigureCanvasAgg(fig)
            ax = fig.add_subplot(1, 1, 1)
        ax.text(0.5, 0.5, "no events to show", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_yticks([])
        ax.set_xticks([])
        return ax.figure  # type: ignore[return-value]
    y, names = _lanes(df, lane)
    start = _days(df["earliest"])
    end = _days(df["latest"])
    span = max(float(end.max() - start.min()), 1e-6)
    pad = span * 0.03
    xlim = (float(start.min()) - pad, float(end.max()) + pad)
    dense = len(df) > dense_threshold
    if dense:
        if ax is None:
            fig = Figure(figsize=(FIG_WIDTH, 1.8 + 0.3 * len(names)))
            FigureCanvasAgg(fig)
            ax = fig.add_subplot(1, 1, 1)
        _draw_density(ax, start, end, y, len(names))
        sizes = np.bincount(y.astype(np.int64), minlength=len(names))
        names = [f"{n} ({c:,})" for n, c in zip(names, sizes, strict=True)]
        ax.set_title(mpl_text(title, 120) if title else
                     f"{len(df):,} events: density per lane (aggregated, "
                     f"{min(400, len(df))} bins; threshold {dense_threshold})", fontsize=9)
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels([mpl_text(n, 30) for n in names], fontsize=8)
        ax.set_ylim(len(names) - 0.3, -0.7)
    else:
        width_in = FIG_WIDTH * (_RIGHT - _LEFT) if ax is None else _axes_width_in(ax)
        labels = [mpl_text(t, LABEL_CHARS) for t in df["label"]] if annotate and \
            len(df) <= MAX_LABELS else None
        rows = _layout(start, end, y, len(names), labels, xlim, width_in)
        if ax is None:
            fig = Figure(figsize=(FIG_WIDTH, rows.height_in + _TOP_IN + _BOTTOM_IN))
            FigureCanvasAgg(fig)
            ax = fig.add_subplot(1, 1, 1)
        _draw_events(ax, df, start, end, y, rows, span, labels)
        n_conflicts = _draw_conflicts(ax, df, start, end, y, rows) if conflicts else 0
        handles = _legend_handles(df, n_conflicts)
        if handles:
            ax.legend(handles=handles, title="precision", fontsize=7, title_fontsize=7,
                      loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
        heading = mpl_text(title, 120) if title else ""
        if n_conflicts:
            heading += (" · " if heading else "") + (
                f"{n_conflicts} conflict{'s' if n_conflicts != 1 else ''} (red dashed)")
        if heading:
            ax.set_title(heading, fontsize=9)
        ax.set_yticks(rows.lane_y)
        ax.set_yticklabels([mpl_text(n, 24) for n in names], fontsize=8)
        ax.set_ylim(rows.height_in, 0.0)
        for boundary in rows.boundaries:
            ax.axhline(boundary, color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_xlim(*xlim)
    locator = mdates.AutoDateLocator(tz=zone)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=zone))
    ax.set_xlabel(f"time ({mpl_text(tz)})", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig = ax.figure  # type: ignore[assignment]
    if own:
        height = fig.get_figheight()
        fig.subplots_adjust(left=_LEFT, right=_RIGHT, bottom=min(0.45, _BOTTOM_IN / height),
                            top=max(0.55, 1 - _TOP_IN / height))
    return fig  # type: ignore[return-value]


def _axes_width_in(ax: Any) -> float:
    return float(ax.figure.get_figwidth() * ax.get_position().width)


def _text_width_in(text: str, size: float = LABEL_FONT) -> float:
    """Width of ``text`` drawn at ``size`` points, in inches (no renderer needed)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    width, _h, _d = TextToPath().get_text_width_height_descent(
        text.replace(r"\$", "$"), FontProperties(size=size), ismath=False)
    return float(width) / 72.0


class _Rows:
    """Where each lane's bars and each label go, in inches from the top of the axes."""

    def __init__(self) -> None:
        self.lane_y: list[float] = []  # centre of each lane's bar row
        self.boundaries: list[float] = []
        self.label_xy: list[tuple[float, float, str]] = []  # x (days), y (in), ha
        self.height_in = 0.0


def _layout(start: np.ndarray, end: np.ndarray, lane: np.ndarray, n_lanes: int,
            labels: list[str] | None, xlim: tuple[float, float], width_in: float) -> _Rows:
    """Greedy interval stacking: each label starts where its event starts and takes the lowest
    tier of its lane where it touches no label already placed; a label that would run past
    the right edge is moved left so that it stays inside the axes."""
    rows = _Rows()
    per_in = (xlim[1] - xlim[0]) / max(width_in, 0.5)
    gap = 0.08 * per_in
    tiers_of: list[list[list[tuple[float, float]]]] = [[] for _ in range(n_lanes)]
    placed: list[tuple[int, int, float, str]] = []  # lane, tier, x, ha
    if labels is not None:
        order = np.lexsort((start, lane))
        for i in order:
            width = _text_width_in(labels[i]) * per_in
            x = float(max(min(start[i], xlim[1] - width), xlim[0]))
            lo, hi = x, x + width
            tiers = tiers_of[int(lane[i])]
            k = next((n for n, spans in enumerate(tiers)
                      if all(hi + gap <= a or lo - gap >= b for a, b in spans)), len(tiers))
            if k == len(tiers):
                tiers.append([])
            tiers[k].append((lo, hi))
            placed.append((int(i), k, x, "left"))
    top = 0.0
    base_of: list[float] = []
    for tiers in tiers_of:
        block = len(tiers) * _TIER_IN
        base_of.append(top + block)  # labels end (bottom) here; bars below
        rows.lane_y.append(top + block + _BAR_IN / 2)
        top += block + _BAR_IN + _GAP_IN
        rows.boundaries.append(top - _GAP_IN / 2)
    rows.boundaries = rows.boundaries[:-1]
    rows.height_in = top - _GAP_IN / 2
    positions: dict[int, tuple[float, float, str]] = {}
    for i, k, x, ha in placed:
        positions[i] = (x, base_of[int(lane[i])] - k * _TIER_IN, ha)
    rows.label_xy = [positions[i] for i in range(len(start))] if labels is not None else []
    return rows


def _legend_handles(df: pd.DataFrame, n_conflicts: int) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [Patch(facecolor="grey", alpha=a, hatch=h, label=p)
                          for p, (_, a, h) in PRECISION_STYLE.items()
                          if (df["precision"] == p).any()]
    if n_conflicts:
        handles.append(Line2D([], [], color=CONFLICT_COLOUR, linestyle="--", label="conflict"))
    return handles


def _draw_events(ax: Any, df: pd.DataFrame, start: np.ndarray, end: np.ndarray,
                 lane: np.ndarray, rows: _Rows, span: float, labels: list[str] | None) -> None:
    import matplotlib as mpl

    colours = mpl.colormaps["tab10"]
    lane_idx = lane.astype(np.int64)
    y = np.asarray(rows.lane_y)[lane_idx]
    exact = (end - start) * 86400.0 < 1.0
    precision = df["precision"].to_numpy()
    for name, (height, alpha, hatch) in PRECISION_STYLE.items():
        mask = (precision == name) & ~exact
        if not mask.any():
            continue
        width = np.maximum(end[mask] - start[mask], span / 800.0)
        ax.barh(y[mask], width, left=start[mask], height=height * _BAR_IN / 0.7, alpha=alpha,
                hatch=hatch, color=[colours(int(v) % 10) for v in lane_idx[mask]],
                edgecolor="black", linewidth=0.3)
    if exact.any():
        ax.scatter(start[exact], y[exact], marker="D", s=22, zorder=3,
                   c=[colours(int(v) % 10) for v in lane_idx[exact]], edgecolors="black",
                   linewidths=0.4, label="exact time")
    if labels is not None:
        for (x, ytext, ha), text in zip(rows.label_xy, labels, strict=True):
            ax.text(x, ytext, text, ha=ha, va="bottom", fontsize=LABEL_FONT)


CONFLICT_COLOUR = "#d62728"


def _draw_conflicts(ax: Any, df: pd.DataFrame, start: np.ndarray, end: np.ndarray,
                    lane: np.ndarray, rows: _Rows) -> int:
    """Red dashed links between the two events of each conflict; returns how many."""
    if "event_id" not in df or "event_key" not in df:
        return 0
    try:
        found = find_conflicts(df)
    except (KeyError, ValueError) as err:  # a reduced table without the needed columns
        log.debug("no conflicts drawn: %s", err)
        return 0
    where = {eid: i for i, eid in enumerate(df["event_id"])}
    y = np.asarray(rows.lane_y)[lane.astype(np.int64)]
    drawn = 0
    for a, b in zip(found["event_id"], found["other_event_id"], strict=True):
        if a not in where or b not in where:
            continue
        i, j = where[a], where[b]
        ax.annotate("", xy=((start[j] + end[j]) / 2, y[j]), xytext=((start[i] + end[i]) / 2, y[i]),
                    arrowprops={"arrowstyle": "<->", "color": CONFLICT_COLOUR,
                                "linestyle": "--", "linewidth": 1.2,
                                "connectionstyle": "arc3,rad=0.2"})
        drawn += 1
    return drawn


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


def figure_png(fig: Figure, dpi: int = 80, tight: bool = False) -> bytes:
    """PNG bytes of a figure (the widget's Image; the case report's figures, ``tight``)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight" if tight else None)
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
                png = data_uri(controls["figure"].value, "image/png")
                bundle["text/html"] = (
                    '<div class="ok-timeline-explorer-static"><p><em>Static view of the '
                    "timeline explorer: its filters work in a running notebook.</em></p>"
                    f"<p>{controls['count'].value}; {controls['readout'].value}</p>"
                    f'<img alt="timeline figure" src="{png}"/>'
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
    (ok-date-range, ok-date-readout, ok-lane-filter, ok-text-search, ok-kind-filter,
    ok-timeline-figure, ok-timeline-table, ok-timeline-count) for browser tests. Labels in
    the figure are shortened; the table shows them in full.
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
        continuous_update=False, readout=False, layout=widgets.Layout(width="95%"))
    # the slider's own readout has a fixed width and cut "2022-09-21-2023-04-1": a full one
    readout = widgets.HTML(value="", layout=widgets.Layout(width="auto"))
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
                        (count, "ok-timeline-count"), (readout, "ok-date-readout")):
        widget.add_class(css)
    box = _explorer_box()([date_range, readout, widgets.HBox([lanes, kinds, search]), count,
                           figure, table])
    box.add_class("ok-timeline-explorer")

    def redraw(_change: Any = None) -> None:
        start, end = date_range.value
        first, last = date_range.label
        readout.value = f"from <b>{esc(first)}</b> to <b>{esc(last)}</b> (UTC days)"
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
                    "figure": figure, "table": table, "count": count,
                    "readout": readout}
    box.redraw = redraw
    redraw()
    return box


__all__ = ["PRECISION_STYLE", "figure_png", "plot_timeline", "timeline_explorer"]
