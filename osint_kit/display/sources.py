"""Thin displays for source cross-referencing: the coloured matrix and the citation graph.

Every string (source ids, proposition ids, cell values) goes through ``osint_kit._html``'s
escaping builders; the figure is returned, never shown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from osint_kit._html import df_table, esc
from osint_kit.display.text import mpl_text

#: Background colour per matrix cell value (colour-blind-safe hues, with text labels kept).
CELL_COLOURS: dict[str, str] = {
    "supports": "background:#b8e186;",
    "contradicts": "background:#f1a340;",
    "mixed": "background:#fee08b;",
    "mentions": "background:#deebf7;",
    "silent": "color:#999;",
}


def matrix_html(df: pd.DataFrame, title: str | None = None) -> str:
    """The cross-reference matrix as an escaped HTML table, cells coloured by value."""
    head = f"<h4 style='margin:6px 0 2px 0'>{esc(title)}</h4>" if title else ""
    legend = " ".join(
        f"<span style='{esc(style)}padding:0 4px;border:1px solid #ccc'>{esc(name)}</span>"
        for name, style in CELL_COLOURS.items())
    return head + df_table(df, cell_style=CELL_COLOURS) + f"<p style='font-size:11px'>{legend}</p>"


#: Node fill: an origin (cites nothing), a relay, a source cited but not given.
NODE_COLOURS = {"origin": "#7fbf7b", "relay": "#e7f5e1", "missing": "white"}
_FONT = 8.0
_COL_GAP_IN, _ROW_GAP_IN, _MARGIN_IN = 0.9, 0.22, 0.25
_TITLE_IN, _LEGEND_IN = 0.45, 0.55


def _depths(graph: Any) -> dict[str, int]:
    """Longest chain from each node to an origin (cycles share one depth)."""
    import networkx as nx

    depth: dict[str, int] = {}
    if not graph.number_of_nodes():
        return depth
    cond = nx.condensation(graph)
    comp_depth: dict[int, int] = {}
    for comp in reversed(list(nx.topological_sort(cond))):
        comp_depth[comp] = 1 + max((comp_depth[s] for s in cond.successors(comp)), default=-1)
    for comp, d in comp_depth.items():
        for member in cond.nodes[comp]["members"]:
            depth[member] = d
    return depth


def _node_label(graph: Any, node: str) -> str:
    grade = graph.nodes[node].get("grade") or ""
    return mpl_text(node, 32) + (f"\n{mpl_text(grade, 12)}" if grade else "")


def _box_in(label: str) -> tuple[float, float]:
    """Width and height (inches) of a node's label box, measured without a renderer."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    ttp, prop = TextToPath(), FontProperties(size=_FONT)
    lines = label.replace(r"\$", "$").split("\n")
    width = max(ttp.get_text_width_height_descent(ln, prop, ismath=False)[0] for ln in lines)
    pad = 2 * 0.4 * _FONT  # boxstyle pad on both sides, points
    return (width + pad) / 72.0, (len(lines) * _FONT * 1.25 + pad) / 72.0


def plot_independence(graph: Any, ax: Any = None, title: str = "Citation / copy graph") -> Any:
    """Draw the citation graph (``citation_graph``) by layers and return the Figure.

    Each column is a layer: a node's layer is the length of its longest chain to an origin,
    so origins (nothing cited; dark green) sit in the right-most column and copies of copies
    further left. Arrows point from a source to what it rests on: solid for *copies*, dashed
    for *cites*; sources cited but not given are hollow. The figure is sized to its labels,
    so none is cut or drawn over another (when ``ax`` is given, its figure is used as is).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    depth = _depths(graph)
    max_d = max(depth.values(), default=0)
    columns: list[list[str]] = [[] for _ in range(max_d + 1)]  # left (copies) to right
    for node in sorted(graph.nodes):
        columns[max_d - depth.get(node, 0)].append(node)
    labels = {n: _node_label(graph, n) for n in graph.nodes}
    size = {n: _box_in(labels[n]) for n in graph.nodes}
    row_of: dict[str, float] = {}

    def mean_row(node: str, neighbours: Any) -> float:
        rows = [row_of[t] for t in neighbours(node) if t in row_of]
        return sum(rows) / len(rows) if rows else 0.0

    for sweep in range(2):  # barycentre ordering, so that few arrows cross
        if sweep:  # origins move next to the sources resting on them
            columns[-1].sort(key=lambda n: (mean_row(n, graph.predecessors), n))
            for i, node in enumerate(columns[-1]):
                row_of[node] = i - (len(columns[-1]) - 1) / 2
        for col in reversed(columns[:-1] if sweep else columns):
            col.sort(key=lambda n: (mean_row(n, graph.successors), n))
            for i, node in enumerate(col):
                row_of[node] = i - (len(col) - 1) / 2
    widths = [max((size[n][0] for n in col), default=0.5) for col in columns]
    pitch = max((h for _w, h in size.values()), default=0.3) + _ROW_GAP_IN
    rows = max((len(col) for col in columns), default=1)
    width_in = sum(widths) + _COL_GAP_IN * (len(columns) - 1) + 2 * _MARGIN_IN
    height_in = rows * pitch + 2 * _MARGIN_IN
    if ax is None:
        fig_w, fig_h = max(width_in, 4.0), height_in + _TITLE_IN + _LEGEND_IN
        fig = Figure(figsize=(fig_w, fig_h))
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.0, _LEGEND_IN / fig_h, 1.0, height_in / fig_h))
        x_shift = (fig_w - width_in) / 2
    else:
        fig, x_shift = ax.figure, 0.0
    pos: dict[str, tuple[float, float]] = {}
    left = _MARGIN_IN + x_shift
    for col, col_w in zip(columns, widths, strict=True):
        for node in col:
            pos[node] = (left + col_w / 2, height_in / 2 - row_of[node] * pitch)
        left += col_w + _COL_GAP_IN
    for node, (x, y) in pos.items():
        data = graph.nodes[node]
        kind = ("missing" if data.get("missing") else
                "origin" if graph.out_degree(node) == 0 else "relay")
        ax.text(x, y, labels[node], ha="center", va="center", fontsize=_FONT, zorder=3,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": NODE_COLOURS[kind],
                      "edgecolor": "#333333", "linestyle": ":" if kind == "missing" else "-"})
    for u, v, data in graph.edges(data=True):
        (xu, yu), (xv, yv) = pos[u], pos[v]
        copies = data.get("relation") == "copies"
        same = abs(xu - xv) < 1e-9
        start = (xu + size[u][0] / 2, yu)
        end = (xv + size[v][0] / 2, yv) if same else (xv - size[v][0] / 2, yv)
        ax.annotate("", xy=end, xytext=start, zorder=2, arrowprops={
            "arrowstyle": "-|>", "color": "#333333" if copies else "#777777",
            "linestyle": "-" if copies else "--", "linewidth": 1.3 if copies else 1.0,
            "shrinkA": 1, "shrinkB": 1,
            "connectionstyle": "arc3,rad=-0.6" if same else "arc3,rad=0.0"})
    ax.set_xlim(0.0, max(width_in + 2 * x_shift, 1e-3))
    ax.set_ylim(0.0, height_in)
    ax.set_title(mpl_text(title, 80), fontsize=9)
    ax.set_axis_off()
    handles = [Line2D([], [], color="#333333", linewidth=1.3, label="copies"),
               Line2D([], [], color="#777777", linestyle="--", label="cites"),
               Patch(facecolor=NODE_COLOURS["origin"], edgecolor="#333333",
                     label="origin (rests on nothing)"),
               Patch(facecolor=NODE_COLOURS["relay"], edgecolor="#333333", label="relay"),
               Patch(facecolor="white", edgecolor="#333333", linestyle=":",
                     label="cited, not given")]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False,
               bbox_to_anchor=(0.5, 0.0))
    return fig
