"""Hostile labels in every matplotlib figure (issue 19 item 10).

A file name, source id, place name or event label with ``$...$`` used to be parsed as
matplotlib mathtext: ``plot_gps``/``plot_places`` raised at draw time and a source citing
``$x^{$`` made ``Case.report()`` write nothing. Every payload (the mathtext ones and the HTML
injection set) goes into every figure function, which must draw, and no drawn text may be
parsed as mathtext.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from injection_surfaces import PAYLOADS

from osint_kit.display.gps import plot_gps
from osint_kit.display.maps import plot_places
from osint_kit.display.sources import plot_independence
from osint_kit.display.timeline import plot_timeline
from osint_kit.geo.places import Place
from osint_kit.sources import Source, citation_graph
from osint_kit.timeline import Event, Timeline, parse_when

MATH = ("$x^{$", r"a$\frac$b", "$$", "$5 and $6", r"\$x^{\$", "$" * 41, r"$\alpha$" * 3)


def _figures(label: str) -> list[Any]:
    photos = pd.DataFrame({"file_name": [label, "b.jpg"], "gps_latitude": [42.42, 42.43],
                           "gps_longitude": [130.62, 130.63]})
    place = Place(label, 42.4214, 130.6081, 300, label)
    graph = citation_graph([Source(label, copies=(label + "2",)), Source("s", cites=(label,))])
    events = Timeline([Event(label, parse_when("2022-11-18"), source_ids=(label,),
                             event_id="a", event_key=label),
                       Event(label, parse_when("2022-10-18"), source_ids=("s",),
                             event_id="b", event_key=label)])
    return [plot_gps(photos), plot_places([place], photos=photos, title=label,
                                          bearings=[(place, 10.0, 500.0, label)]),
            plot_independence(graph, title=label), plot_timeline(events, title=label)]


@pytest.mark.parametrize("label", MATH + PAYLOADS[:6])
def test_figures_draw_hostile_labels_as_plain_text(label: str) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    for fig in _figures(label):
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        fig.canvas.draw()  # mathtext errors are raised here
        for text in fig.findobj(Text):
            assert not text._preprocess_math(text.get_text())[1], text.get_text()
        plt.close(fig)


def test_case_report_with_a_dollar_citation(tmp_path: Path) -> None:
    """Old code: a source citing '$x^{$' made Case.report() raise from the graph."""
    from osint_kit.case import Case

    with Case.create(tmp_path / "case", title="t") as case:
        case.add_source(title="relay", cites="$x^{$")
        html, md = case.report(tmp_path / "out" / "report.html")
    assert html.stat().st_size > 0 and md.stat().st_size > 0
