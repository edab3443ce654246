"""The case report: one self-contained HTML file and a Markdown twin.

Nothing is loaded from anywhere: no external CSS, JS or fonts, figures and thumbnails are
``data:`` URIs, and the page carries a Content-Security-Policy that forbids scripts and
remote loads (see :func:`osint_kit._html.page`). Every string that came from evidence,
captures or the researcher goes through :func:`osint_kit._html.esc` (HTML) or
:func:`md_esc` (Markdown).

Each section is a function from DataFrames to a :class:`Section`, so a notebook can render
one section alone and the lead can wire richer displays in without touching the rest.
Sections that need a helper module which is not installed say "not available".
"""

from __future__ import annotations

import base64
import importlib
import io
import logging
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from osint_kit._html import df_table, esc, kv_table, page

if TYPE_CHECKING:  # pragma: no cover
    from osint_kit.case.case import Case
    from osint_kit.case.custody import VerifyReport

log = logging.getLogger(__name__)

THUMB_PX = 240
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")


@dataclass(frozen=True)
class Section:
    """One report section, rendered both ways."""

    key: str
    title: str
    html: str
    markdown: str

    def __repr__(self) -> str:
        return f"<Section {self.key}: {self.title}>"

    def _repr_html_(self) -> str:
        return f"<h2>{esc(self.title)}</h2>{self.html}"


def md_esc(value: Any, limit: int = 2000) -> str:
    """Escape a value for Markdown text and table cells (HTML and Markdown syntax)."""
    text = esc(value, limit)  # &, <, >, quotes
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_table(df: pd.DataFrame, max_rows: int = 200) -> str:
    """A Markdown pipe table with every header and cell escaped."""
    if df.empty:
        return "_(none)_\n"
    shown = df.head(max_rows)
    lines = ["| " + " | ".join(md_esc(c) for c in shown.columns) + " |",
             "|" + "---|" * len(shown.columns)]
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(md_esc(v) for v in row) + " |")
    if len(df) > max_rows:
        lines.append(f"\n… {len(df) - max_rows} more rows")
    return "\n".join(lines) + "\n"


def _helper(module: str, name: str) -> Any:
    """A function from another osint_kit module, or None when that module is not there."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and (module == err.name or module.startswith(err.name + ".")):
            return None
        raise
    return getattr(mod, name, None)


def figure_data_uri(fig: Any, dpi: int = 96) -> str:
    """PNG ``data:`` URI of a matplotlib figure."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def thumbnail_data_uri(path: Path, px: int = THUMB_PX) -> str | None:
    """A small PNG of an image file as a ``data:`` URI; None if Pillow cannot read it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img.thumbnail((px, px))
            rgb = img.convert("RGB")
            buf = io.BytesIO()
            rgb.save(buf, format="PNG")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _img(uri: str, alt: str, width: int | None = None) -> str:
    if not uri.startswith("data:image/png;base64,"):
        return ""  # only our own PNG data URIs ever reach an src attribute
    size = f" style='max-width:{int(width)}px;image-rendering:pixelated'" if width else ""
    return f"<img src='{esc(uri, limit=len(uri))}' alt='{esc(alt)}'{size}>"


def _not_available(what: str, module: str) -> tuple[str, str]:
    text = f"{what} not available: the module {module} is not installed in this version."
    return f"<p><i>{esc(text)}</i></p>", f"_{md_esc(text)}_\n"


# --- sections --------------------------------------------------------------------------


def summary_section(
    title: str, counts: Mapping[str, int], verify: VerifyReport, generated_utc: str
) -> Section:
    """What the case holds and whether it verifies."""
    rows: list[tuple[str, Any]] = [("case", title), ("report generated (UTC)", generated_utc),
            ("integrity", verify.summary()), ("custody head", verify.head or "(none)")]
    rows += [(f"{k}", v) for k, v in counts.items()]
    html = kv_table(rows)
    if not verify.ok:
        html += "<p style='color:#c62828'><b>Integrity problems:</b></p>"
        html += df_table(verify.to_frame())
    md = "\n".join(f"- **{md_esc(k)}**: {md_esc(v)}" for k, v in rows) + "\n"
    if not verify.ok:
        md += "\n**Integrity problems:**\n\n" + md_table(verify.to_frame())
    return Section("summary", "Summary", html, md)


def evidence_frame(evidence: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """The evidence table shown in the report: hashes, roles and finding titles."""
    titles: dict[str, list[str]] = {}
    for row in findings.itertuples(index=False):
        titles.setdefault(str(row.evidence_id), []).append(f"[{row.severity}] {row.title}")
    out = pd.DataFrame({
        "id": evidence["id"],
        "original name": evidence["original_name"],
        "role": evidence["role"],
        "parent": evidence["parent_id"],
        "sha256": evidence["sha256"],
        "md5": evidence["md5"],
        "size (bytes)": evidence["size"],
        "intake (UTC)": evidence["intake_utc"],
        "acquired from": evidence["acquired_from"],
        "source": evidence["source_id"],
        "findings": [ "; ".join(titles.get(str(i), [])) for i in evidence["id"]],
        "metadata": [e if e else "read" for e in evidence["metadata_error"]],
    }, dtype=object)
    return out.set_index("id")


def evidence_section(
    evidence: pd.DataFrame, findings: pd.DataFrame, thumbnails: Mapping[str, str]
) -> Section:
    """Every evidence item with its hashes and findings, and thumbnails of the images."""
    frame = evidence_frame(evidence, findings)
    html = df_table(frame)
    if thumbnails:
        html += "<div style='display:flex;flex-wrap:wrap;gap:8px;margin-top:8px'>"
        for rid, uri in thumbnails.items():
            name = evidence.loc[evidence["id"] == rid, "original_name"]
            label = f"{rid}: {name.iloc[0] if len(name) else ''}"
            html += (f"<figure style='margin:0'>{_img(uri, label, THUMB_PX)}"
                     f"<figcaption style='font-size:11px'>{esc(label)}</figcaption></figure>")
        html += "</div>"
    if not findings.empty:
        html += "<h3>Findings</h3>" + df_table(
            findings[["evidence_id", "severity", "code", "title", "explanation"]].set_index(
                "evidence_id"))
    md = md_table(frame.reset_index())
    if not findings.empty:
        md += "\n### Findings\n\n" + md_table(
            findings[["evidence_id", "severity", "code", "title", "explanation"]])
    return Section("evidence", "Evidence", html, md)


def events_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Case events in the column layout of :mod:`osint_kit.timeline` (``event_id`` ...)."""
    frame = events.rename(columns={"id": "event_id"}).copy()
    for col in ("earliest", "latest"):
        frame[col] = pd.to_datetime(frame[col], utc=True, errors="coerce", format="ISO8601")
    frame["confidence"] = pd.to_numeric(frame["confidence"], errors="coerce")
    defaults = {"kind": "reported", "precision": "second", "tz": "UTC"}  # timeline's own
    for col, default in defaults.items():
        frame[col] = frame[col].fillna(default)
    text_cols = [c for c in frame.columns if c not in ("earliest", "latest", "confidence")]
    frame[text_cols] = frame[text_cols].fillna("")
    return frame


def timeline_section(events: pd.DataFrame) -> Section:
    """The timeline figure (from osint_kit.display.timeline) and the event table."""
    frame = events_frame(events)
    shown = frame[["event_id", "earliest", "latest", "precision", "label", "when_text",
                   "source_ids"]].set_index("event_id")
    if frame.empty:
        return Section("timeline", "Timeline", "<p>No events recorded.</p>",
                       "No events recorded.\n")
    plot = _helper("osint_kit.display.timeline", "plot_timeline")
    timeline_cls = _helper("osint_kit.timeline", "Timeline")
    if plot is None or timeline_cls is None:
        fig_html, fig_md = _not_available("Timeline figure", "osint_kit.display.timeline")
    else:
        events_only = frame.drop(columns=["evidence_id"], errors="ignore")
        uri = figure_data_uri(plot(timeline_cls(events_only), title="Events of the case"))
        fig_html = _img(uri, "timeline")
        fig_md = f"![timeline]({uri})\n"
    html = fig_html + df_table(shown)
    md = fig_md + "\n" + md_table(shown.reset_index())
    return Section("timeline", "Timeline", html, md)


def claim_matrix(claims: pd.DataFrame, propositions: pd.DataFrame) -> pd.DataFrame:
    """Proposition x source table of stances (plain pivot of the case's claims)."""
    if claims.empty:
        return pd.DataFrame()
    frame = claims.copy()
    frame["proposition_id"] = frame["proposition_id"].fillna("(none)")
    frame["stance"] = frame["stance"].fillna("mentions")
    pivot = frame.pivot_table(index="proposition_id", columns="source_id", values="stance",
                              aggfunc=lambda s: "; ".join(sorted(set(s))))
    statements = propositions.set_index("id")["statement"].to_dict() if len(propositions) else {}
    pivot.index = [f"{p}: {statements.get(p) or ''}".rstrip(": ") for p in pivot.index]
    return pivot.fillna("").astype(object)


_STANCE_STYLE = {"supports": "background:#c8e6c9", "contradicts": "background:#ffcdd2",
                 "mentions": "background:#fff9c4"}


def domain_records(
    sources: pd.DataFrame, claims: pd.DataFrame | None, propositions: pd.DataFrame | None
) -> tuple[list[Any], list[Any], list[Any]] | None:
    """Case rows as :mod:`osint_kit.sources` records (None when that module is absent).

    Raises :class:`osint_kit.errors.SourceError` when a row breaks the sources' rules (an
    unknown kind or stance, a bad grade).
    """
    models = _helper("osint_kit.sources.models", "Source")
    if models is None:
        return None
    from osint_kit.sources.models import Claim, Proposition, Source

    def build(cls: Any, frame: pd.DataFrame | None) -> list[Any]:
        names = set(cls.__dataclass_fields__)
        out: list[Any] = []
        if frame is None:
            return out
        for row in frame.to_dict("records"):
            out.append(cls(**{str(k): v for k, v in row.items()
                              if k in names and v is not None}))
        return out

    return build(Source, sources), build(Claim, claims), build(Proposition, propositions)


def matrix_section(
    claims: pd.DataFrame, sources: pd.DataFrame, propositions: pd.DataFrame
) -> Section:
    """The claim x source matrix: which source supports or contradicts which proposition."""
    if claims.empty:
        return Section("matrix", "Claims x sources", "<p>No claims recorded.</p>",
                       "No claims recorded.\n")
    cross_reference = _helper("osint_kit.sources", "cross_reference")
    matrix_html = _helper("osint_kit.display.sources", "matrix_html")
    from osint_kit.errors import SourceError

    try:
        records = domain_records(sources, claims, propositions)
    except SourceError as err:
        records, problem = None, f"the claims or sources break a rule of osint_kit.sources: {err}"
    else:
        problem = "osint_kit.sources is not installed"
    if records is None or cross_reference is None or matrix_html is None:
        matrix = claim_matrix(claims, propositions)
        note = f"Plain pivot of the claims ({problem})."
        html = f"<p><i>{esc(note)}</i></p>" + df_table(matrix, cell_style=_STANCE_STYLE)
        return Section("matrix", "Claims x sources", html,
                       f"_{md_esc(note)}_\n\n" + md_table(matrix.reset_index()))
    srcs, clms, props = records
    table = cross_reference(clms, srcs, props or None, include_unconfirmed=True)
    note = "All claims recorded in the case are shown, confirmed or not."
    html = matrix_html(table) + f"<p style='font-size:11px'>{esc(note)}</p>"
    return Section("matrix", "Claims x sources", html, md_table(table.reset_index()))


def independence_graph(sources: pd.DataFrame) -> Any:
    """A networkx DiGraph: edge A -> B when source A cites or copies B."""
    import networkx as nx

    graph = nx.DiGraph()
    for row in sources.itertuples(index=False):
        graph.add_node(str(row.id), title=row.title or "", kind=row.kind or "")
        for col, relation in (("cites", "cites"), ("copies", "copies")):
            value = getattr(row, col)
            for other in re.split(r"[;,]", value or ""):
                if other.strip():
                    graph.add_edge(str(row.id), other.strip(), relation=relation)
    return graph


def independence_section(sources: pd.DataFrame) -> Section:
    """Which sources rest on which: the independent origins are the roots of this graph."""
    if sources.empty:
        return Section("independence", "Independence of sources", "<p>No sources.</p>",
                       "No sources.\n")
    from osint_kit.errors import SourceError

    try:
        records = domain_records(sources, claims=None, propositions=None)
    except SourceError as err:
        log.warning("independence graph drawn without osint_kit.sources: %s", err)
        records = None
    plot = _helper("osint_kit.display.sources", "plot_independence")
    if records is not None and plot is not None:
        import matplotlib.pyplot as plt

        from osint_kit.sources import citation_graph

        graph = citation_graph(records[0])
        fig = plot(graph)
        try:
            uri = figure_data_uri(fig)
        finally:
            plt.close(fig)
    else:
        graph = independence_graph(sources)
        uri = _draw_graph(graph)
    import networkx as nx

    roots = sorted(n for n in graph.nodes if graph.out_degree(n) == 0)
    origins = pd.DataFrame(
        [(r, graph.nodes[r].get("title", ""),
          len(nx.ancestors(graph, r))) for r in roots],
        columns=["origin", "title", "sources resting on it"], dtype=object)
    html = _img(uri, "independence graph") + df_table(origins.set_index("origin"))
    md = f"![independence graph]({uri})\n\n" + md_table(origins)
    return Section("independence", "Independence of sources", html, md)


def _draw_graph(graph: Any) -> str:
    """Fallback drawing of the citation graph when osint_kit.display.sources is absent."""
    import networkx as nx
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    roots = {n for n in graph.nodes if graph.out_degree(n) == 0}
    fig = Figure(figsize=(7, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    pos = nx.spring_layout(graph, seed=1)
    colours = ["#90caf9" if n in roots else "#eeeeee" for n in graph.nodes]
    nx.draw_networkx(graph, pos=pos, ax=ax, node_color=colours, font_size=8,
                     edge_color="#555555", arrows=True)
    ax.set_axis_off()
    ax.set_title("Sources: arrow = cites or copies; blue = independent origin", fontsize=9)
    return figure_data_uri(fig)


def open_questions_section(notes: pd.DataFrame) -> Section:
    """Notes tagged ``open``: what is still to be checked."""
    def is_open(tags: Any) -> bool:
        return "open" in {t.strip().lower() for t in re.split(r"[;, ]", str(tags or ""))}

    frame = notes[[is_open(t) for t in notes["tags"]]] if len(notes) else notes
    if frame.empty:
        return Section("open", "Open questions", "<p>No open questions.</p>",
                       "No open questions.\n")
    items = "".join(f"<li>{esc(r.text)} <small>({esc(r.id)}"
                    + (f", about {esc(r.target)}" if r.target else "") + ")</small></li>"
                    for r in frame.itertuples(index=False))
    md = "".join(f"- {md_esc(r.text)} ({md_esc(r.id)})\n" for r in frame.itertuples(index=False))
    return Section("open", "Open questions", f"<ul>{items}</ul>", md)


def custody_section(custody: pd.DataFrame) -> Section:
    """The chain-of-custody log (hashes shortened; the full log is in the case)."""
    frame = custody[["seq", "ts", "actor", "action", "table", "record_id", "hash"]].copy()
    frame["hash"] = [str(h)[:16] + "…" for h in frame["hash"]]
    return Section("custody", "Chain of custody", df_table(frame.set_index("seq"), 1000),
                   md_table(frame, 1000))


# --- assembly --------------------------------------------------------------------------


def build_sections(case: Case) -> tuple[str, list[Section]]:
    """Gather the case's tables and render every section."""
    from osint_kit.case.store import utc_now

    evidence = case.table("evidence")
    thumbs = {}
    for row in evidence.itertuples(index=False):
        uri = thumbnail_data_uri(case.path / str(row.stored_path))
        if uri:
            thumbs[str(row.id)] = uri
    sections = [
        summary_section(case.title, case.counts(), case.verify(), utc_now()),
        evidence_section(evidence, case.table("findings"), thumbs),
        timeline_section(case.table("events")),
        matrix_section(case.table("claims"), case.table("sources"), case.table("propositions")),
        independence_section(case.table("sources")),
        open_questions_section(case.table("notes")),
        custody_section(case.custody()),
    ]
    return case.title, sections


def render_html(title: str, sections: list[Section]) -> str:
    toc = "".join(f"<li><a href='#{esc(s.key)}'>{esc(s.title)}</a></li>" for s in sections)
    body = [f"<h1>{esc(title)}</h1><p>Case report generated by osint_kit.</p><ul>{toc}</ul>"]
    body += [f"<section id='{esc(s.key)}'><h2>{esc(s.title)}</h2>{s.html}</section>"
             for s in sections]
    return page(f"Case report: {title}", "".join(body))


def render_markdown(title: str, sections: list[Section]) -> str:
    parts = [f"# {md_esc(title)}\n\nCase report generated by osint_kit.\n"]
    parts += [f"\n## {md_esc(s.title)}\n\n{s.markdown}" for s in sections]
    return "".join(parts)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_report(case: Case, path: Path) -> tuple[Path, Path]:
    """Write ``path`` (HTML) and ``path`` with suffix ``.md``; return both paths."""
    title, sections = build_sections(case)
    md_path = path.with_suffix(".md")
    _write_atomic(path, render_html(title, sections))
    _write_atomic(md_path, render_markdown(title, sections))
    return path, md_path
