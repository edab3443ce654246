"""Thin displays for source cross-referencing: the coloured matrix and the citation graph.

Every string (source ids, proposition ids, cell values) goes through ``osint_kit._html``'s
escaping builders; the figure is returned, never shown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from osint_kit._html import df_table, esc

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


def plot_independence(graph: Any, ax: Any = None, title: str = "Citation / copy graph") -> Any:
    """Draw the citation graph (``citation_graph``) and return the matplotlib Figure.

    Arrows point from a source to what it cites or copies; origins (nothing cited) are drawn
    darker, missing sources (cited but not given) hollow. Layout: each node's depth is the
    length of its longest chain to an origin, so origins sit on the right.
    """
    import matplotlib.pyplot as plt
    import networkx as nx

    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 5))
    else:
        fig = ax.figure
    depth: dict[str, int] = {}
    if graph.number_of_nodes():
        cond = nx.condensation(graph)
        order = list(reversed(list(nx.topological_sort(cond))))
        comp_depth: dict[int, int] = {}
        for comp in order:
            succ = list(cond.successors(comp))
            comp_depth[comp] = 1 + max((comp_depth[s] for s in succ), default=-1)
        for comp, d in comp_depth.items():
            for member in cond.nodes[comp]["members"]:
                depth[member] = d
    max_d = max(depth.values(), default=0)
    by_layer: dict[int, list[str]] = {}
    for node in sorted(graph.nodes):
        by_layer.setdefault(depth.get(node, 0), []).append(node)
    pos = {}
    for d, nodes in by_layer.items():
        for i, node in enumerate(nodes):
            pos[node] = (max_d - d, -i + (len(nodes) - 1) / 2)
    colours = []
    for node in graph.nodes:
        data = graph.nodes[node]
        if data.get("missing"):
            colours.append("white")
        elif graph.out_degree(node) == 0:
            colours.append("#7fbf7b")
        else:
            colours.append("#e7f5e1")
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, edgecolors="#333",
                           node_size=900)
    nx.draw_networkx_edges(graph, pos, ax=ax, arrows=True, arrowsize=15, node_size=900)
    labels = {n: f"{n}\n{graph.nodes[n].get('grade', '')}" for n in graph.nodes}
    nx.draw_networkx_labels(graph, pos, labels=labels, ax=ax, font_size=8)
    edge_labels = {(u, v): d.get("relation", "") for u, v, d in graph.edges(data=True)}
    nx.draw_networkx_edge_labels(graph, pos, edge_labels=edge_labels, ax=ax, font_size=7)
    ax.set_title(title)
    ax.set_axis_off()
    return fig
