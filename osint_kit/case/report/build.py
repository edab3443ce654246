"""Gather a case into a :class:`~osint_kit.case.report.model.Report`: tables, thumbnails,
figures.

Thumbnails are decoded like every other picture the kit opens: in the warm isolated worker
(:func:`osint_kit.media.forensics.views.preview_image`), with JPEG draft decoding, a pixel cap and a time
limit. A file that cannot be previewed gets a line saying why, and the report goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from osint_kit._html import data_uri
from osint_kit.case.report import model
from osint_kit.errors import EvidenceError, OsintKitError, SourceError, UnsupportedFormatError

if TYPE_CHECKING:  # pragma: no cover
    from osint_kit.case.case import Case

log = logging.getLogger(__name__)

#: Longest side of a report thumbnail, in pixels (shown at up to half that on screen).
THUMB_PX = 360


def thumbnails(folder: Path, evidence: pd.DataFrame, px: int = THUMB_PX,
               preview: Callable[..., bytes] | None = None) -> dict[str, tuple[str | None, str]]:
    """``{evidence id: (JPEG data URI or None, why there is none)}`` for every item.

    ``preview(path, px, "JPEG")`` defaults to :func:`osint_kit.media.forensics.views.preview_image`
    (isolated worker, draft decoding, pixel cap, time limit).
    """
    from osint_kit.media.forensics.views import preview_image

    make = preview or preview_image
    out: dict[str, tuple[str | None, str]] = {}
    for row in evidence.to_dict("records"):
        rid = model.text(row.get("id"))
        rel = model.text(row.get("stored_path"))
        if not rel:
            out[rid] = (None, "no stored file")
            continue
        try:
            jpeg = make(folder / rel, px, "JPEG")
        except UnsupportedFormatError:
            out[rid] = (None, "not a picture: no thumbnail")
            continue
        except EvidenceError as err:
            out[rid] = (None, f"no preview ({type(err).__name__}: {err.reason})")
            continue
        out[rid] = (data_uri(jpeg, "image/jpeg"), "")
    return out


def timeline_figure(frame: pd.DataFrame) -> str | None:
    """The case timeline (:func:`osint_kit.display.timeline.plot_timeline`) as a data URI."""
    if frame.empty:
        return None
    from osint_kit.display.timeline import plot_timeline
    from osint_kit.timeline import Timeline

    events = frame.drop(columns=["evidence_id"], errors="ignore")
    fig = plot_timeline(Timeline(events), title="Events of the case")
    return figure_data_uri(fig)


def graph_figure(sources: list[Any]) -> str | None:
    """The citation graph (:func:`osint_kit.display.sources.plot_independence`)."""
    if not sources:
        return None
    from osint_kit.display.sources import plot_independence
    from osint_kit.sources import citation_graph

    fig = plot_independence(citation_graph(sources),
                            title="Who rests on whom (arrow: cites or copies)")
    return figure_data_uri(fig)


def figure_data_uri(fig: Any, dpi: int = 110) -> str:
    """PNG ``data:`` URI of a matplotlib figure (the figure is closed afterwards)."""
    import matplotlib.pyplot as plt

    from osint_kit.display.timeline import figure_png

    png = figure_png(fig, dpi, tight=True)
    plt.close(fig)
    return data_uri(png, "image/png")


def _tool() -> str:
    from osint_kit import __version__

    return f"osint_kit {__version__}"


def gather(case: Case) -> model.Report:
    """Read every table of ``case`` and build the report's content."""
    from osint_kit.case.store import utc_now

    verify = case.verify()
    sources, claims = case.table("sources"), case.table("claims")
    propositions, notes = case.table("propositions"), case.table("notes")
    evidence, custody = case.table("evidence"), case.custody()
    problems: list[str] = []
    try:
        srcs, clms, props = model.domain_records(sources, claims, propositions)
    except SourceError as err:
        srcs, clms, props = [], [], []
        problems.append(f"The sources, claims or propositions break a rule of "
                        f"osint_kit.sources ({err}): no conclusions or matrix can be drawn "
                        "until that is fixed.")
    conclusions: tuple[model.Conclusion, ...] = ()
    general = tuple(n for _t, n in model.open_notes(notes))
    matrix = model.MatrixView((), (), "")
    graph = None
    if srcs or props:
        try:
            conclusions, general = model.conclusions(clms, srcs, props, notes)
        except SourceError as err:
            problems.append(f"The propositions cannot be assessed ({err}).")
        try:
            matrix = model.matrix_view(clms, srcs, props)
        except SourceError as err:
            problems.append(f"The claims x sources matrix cannot be drawn ({err}).")
        graph = graph_figure(srcs)
    frame = model.events_frame(case.table("events"))
    try:
        timeline = timeline_figure(frame)
    except OsintKitError as err:
        timeline = None
        problems.append(f"The timeline figure cannot be drawn ({err}).")
    last = custody.tail(1).to_dict("records")
    seq = model.text(last[0]["seq"]) if last else ""
    noted = case.custody_head()  # the token verify(expected_head=...) takes: "<seq>:<hash>"
    token = str(noted) if noted is not None else (verify.head or "")
    return model.Report(
        title=case.title, generated_utc=model.utc_text(utc_now())[:19], tool=_tool(),
        integrity_ok=verify.ok, integrity=verify.summary(),
        problems=tuple((p.kind, p.what, p.where, p.detail) for p in verify.problems),
        head=verify.head or "", head_seq=seq, head_token=token,
        counts=tuple(case.counts().items()),
        conclusions=conclusions, open_questions=general,
        sources=model.source_views(srcs, sources),
        evidence=model.evidence_views(evidence, case.table("findings"),
                                      thumbnails(case.path, evidence),
                                      {model.text(i): model.text(t) for i, t in
                                       zip(sources["id"], sources["title"], strict=True)}),
        timeline_png=timeline, events=model.event_views(frame), matrix=matrix,
        graph_png=graph, custody=model.custody_rows(custody), problem_notes=tuple(problems))
