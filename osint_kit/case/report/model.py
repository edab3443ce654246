"""What the case report says, gathered from the case's tables into plain frozen records.

Nothing here writes HTML or Markdown (see :mod:`osint_kit.case.report.render`), and nothing
here decides how strong a proposition is: the assessments come from
:func:`osint_kit.sources.assessment.assessment_table` and the origin groups from
:func:`osint_kit.sources.independence.independent_origins`. The report only words them.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

log = logging.getLogger(__name__)

#: Only these URL schemes become links; anything else is printed as text.
LINK_SCHEMES = ("http://", "https://")
#: Finding severities shown in words; lower ones are listed by title only.
SHOWN_SEVERITIES = ("warning", "notice")
_OPEN_TAG = "open"


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceView:
    """One source as the report lists it."""

    id: str
    title: str
    publisher: str
    author: str
    kind: str
    published: str
    captured_at: str
    url: str
    link: str | None  # the URL when it is http(s): only those become links
    grade: str
    grade_meaning: str
    party: str
    rests_on: str  # "; "-joined ids it cites or copies
    content_hash: str
    notes: str


@dataclass(frozen=True)
class Conclusion:
    """One proposition: its assessment in words, the origins for and against, what is open."""

    key: str  # short column head in the matrix: "P1"
    id: str
    statement: str
    assessment: str  # ICD 203 term, or "not assessed"
    band: str  # "55-80 %" or ""
    explanation: str
    supporting_origins: int
    contradicting_origins: int
    supporting: tuple[str, ...]  # one line per independent origin group
    contradicting: tuple[str, ...]
    parties_for: str
    parties_against: str
    denials: str
    direct_evidence: str
    open_items: tuple[str, ...]


@dataclass(frozen=True)
class FindingView:
    severity: str
    title: str
    explanation: str


@dataclass(frozen=True)
class EvidenceView:
    """One evidence item, with what matters about it in words."""

    id: str
    name: str
    status: str  # "original as acquired", "working copy", "reconstruction"
    status_note: str  # why, in words (empty for originals)
    role: str
    parent: str
    derivation: str
    sha256: str
    md5: str
    size: int | None
    intake_utc: str
    acquired_from: str
    acquired_link: str | None
    source_id: str
    notes: str
    metadata_error: str
    findings: tuple[FindingView, ...]  # warning/notice, in words
    minor: tuple[str, ...]  # info-level titles
    thumbnail: str | None  # data:image/png;base64,... or None
    no_thumbnail: str  # why there is none


@dataclass(frozen=True)
class EventView:
    when: str
    precision: str
    label: str
    when_text: str
    sources: str


@dataclass(frozen=True)
class MatrixView:
    """Sources (rows) x propositions (columns, abbreviated to their keys)."""

    columns: tuple[tuple[str, str, str], ...]  # (key, proposition id, statement)
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # (source id, title, cells)
    note: str


@dataclass(frozen=True)
class CustodyRow:
    seq: str
    ts: str
    actor: str
    action: str
    record: str
    hash: str


@dataclass(frozen=True)
class Report:
    """Everything the report shows, in order."""

    title: str
    generated_utc: str
    tool: str
    integrity_ok: bool
    integrity: str
    problems: tuple[tuple[str, str, str, str], ...]  # kind, what, where, why
    head: str
    head_seq: str
    counts: tuple[tuple[str, int], ...]
    assessed_by: str
    conclusions: tuple[Conclusion, ...]
    open_questions: tuple[str, ...]
    sources: tuple[SourceView, ...]
    evidence: tuple[EvidenceView, ...]
    timeline_png: str | None
    events: tuple[EventView, ...]
    matrix: MatrixView
    graph_png: str | None
    custody: tuple[CustodyRow, ...]
    problem_notes: tuple[str, ...]  # what could not be shown, and why

    def __repr__(self) -> str:
        return (f"<Report {self.title[:60]!r}: {len(self.conclusions)} conclusions, "
                f"{len(self.sources)} sources, {len(self.evidence)} evidence items>")


# --- small helpers -------------------------------------------------------------------------


def text(value: Any) -> str:
    """A cell as text: None and NaN become ""."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def utc_text(value: Any) -> str:
    """``2022-11-18T10:30:00.123+00:00`` as ``2022-11-18 10:30:00.123`` (the report says UTC)."""
    out = text(value)
    if re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", out):
        out = out[:-6].replace("T", " ")
    return out


def link(url: Any) -> str | None:
    """``url`` when it is an http(s) URL without spaces or controls, else None."""
    value = text(url).strip()
    if not value.lower().startswith(LINK_SCHEMES):
        return None
    if any(ch.isspace() or ord(ch) < 32 or ch in "<>\"'`\\" for ch in value):
        return None
    return value


def _items(value: Any) -> tuple[str, ...]:
    """A list-like contract value (tuple, list, "; "-joined text, number) as strings."""
    if value is None or (isinstance(value, float) and value != value):
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(text(v) for v in value if text(v))
    if isinstance(value, str):
        return tuple(v.strip() for v in re.split(r";", value) if v.strip())
    return (text(value),)


def _count(value: Any) -> int:
    if isinstance(value, (list, tuple, set, frozenset)):
        return len(value)
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def figure_data_uri(fig: Any, dpi: int = 110) -> str:
    """PNG ``data:`` URI of a matplotlib figure (the figure is closed afterwards)."""
    import base64
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except (ImportError, TypeError, ValueError):  # a Figure made without pyplot
        pass
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# --- sources, claims, propositions as library records -------------------------------------


def domain_records(
    sources: pd.DataFrame, claims: pd.DataFrame, propositions: pd.DataFrame
) -> tuple[list[Any], list[Any], list[Any]]:
    """Case rows as :mod:`osint_kit.sources` records (columns the records lack are left out).

    Raises :class:`osint_kit.errors.SourceError` when a row breaks the sources' rules.
    """
    from osint_kit.sources.models import Claim, Proposition, Source

    def build(cls: Any, frame: pd.DataFrame) -> list[Any]:
        names = set(cls.__dataclass_fields__)
        return [cls(**{str(k): v for k, v in row.items() if k in names and v is not None})
                for row in frame.to_dict("records")]

    return build(Source, sources), build(Claim, claims), build(Proposition, propositions)


def source_views(records: Sequence[Any], frame: pd.DataFrame) -> tuple[SourceView, ...]:
    """Every source, with its grade spelled out (records when valid, else the raw rows)."""
    out = []
    by_id = {r.id: r for r in records}
    for row in frame.to_dict("records"):
        rec = by_id.get(text(row.get("id")))
        grade = rec.grade if rec is not None else f"{text(row.get('reliability'))}" \
            f"{text(row.get('credibility'))}"
        meaning = rec.grade_meaning if rec is not None else "grade not checked"
        out.append(SourceView(
            id=text(row.get("id")), title=text(row.get("title")),
            publisher=text(row.get("publisher")), author=text(row.get("author")),
            kind=text(row.get("kind")), published=text(row.get("published")),
            captured_at=text(row.get("captured_at")), url=text(row.get("url")),
            link=link(row.get("url")), grade=grade, grade_meaning=meaning,
            party=text(row.get("party")),
            rests_on="; ".join(rec.derived_from) if rec is not None else "; ".join(
                _items(row.get("cites")) + _items(row.get("copies"))),
            content_hash=text(row.get("content_hash")), notes=text(row.get("notes"))))
    return tuple(out)


# --- conclusions ---------------------------------------------------------------------------


def assessments(claims: Sequence[Any], sources: Sequence[Any],
                propositions: Sequence[Any]) -> tuple[pd.DataFrame, str]:
    """The library's assessment table (contract of ``osint_kit.sources.assessment``) and a
    line saying which function produced it.

    While that module is not part of this version the rows carry the library's origin counts
    (:func:`~osint_kit.sources.independence.independent_origins`) and no assessment term.
    """
    try:
        module = importlib.import_module("osint_kit.sources.assessment")
    except ModuleNotFoundError as err:
        if err.name not in ("osint_kit.sources.assessment",):
            raise
        module = None
    if module is not None:
        table = module.assessment_table(claims, sources, propositions or None)
        return table, "osint_kit.sources.assessment.assessment_table"
    from osint_kit.sources.independence import independent_origins

    rows = []
    for prop in propositions:
        oc = independent_origins(prop.id, claims, sources, include_unconfirmed=True)
        rows.append({"proposition_id": prop.id, "statement": prop.statement,
                     "assessment": "not assessed", "supporting_origins": oc.supporting,
                     "contradicting_origins": oc.contradicting, "explanation": oc.explanation,
                     "confidence": oc.confidence})
    frame = pd.DataFrame(rows)
    if len(frame):
        frame = frame.sort_values("confidence", ascending=False, kind="stable")
    return frame, ("osint_kit.sources.independence.independent_origins (origin counts only: "
                   "osint_kit.sources.assessment is not in this version)")


def _groups_in_words(groups: Sequence[Any], titles: Mapping[str, str]) -> tuple[str, ...]:
    out = []
    for g in groups:
        origin = ", ".join(f"{o} ({titles[o]})" if titles.get(o) else o for o in g.origins)
        via = [s for s in g.sources if s not in g.origins]
        line = f"origin {origin}"
        if via:
            line += f", reported by {', '.join(via)}"
        if g.parties:
            line += f" [party: {', '.join(g.parties)}]"
        out.append(line)
    return tuple(out)


def _band(row: Mapping[Any, Any]) -> str:
    low: Any = row.get("band_low")
    high: Any = row.get("band_high")
    try:
        lo, hi = float(low), float(high)
    except (TypeError, ValueError):
        return ""
    if lo != lo or hi != hi:
        return ""
    scale = 100.0 if hi <= 1.0 else 1.0
    return f"{lo * scale:.0f}-{hi * scale:.0f} %"


def conclusions(
    table: pd.DataFrame, claims: Sequence[Any], sources: Sequence[Any],
    propositions: Sequence[Any], notes: pd.DataFrame,
) -> tuple[tuple[Conclusion, ...], tuple[str, ...]]:
    """Each assessed proposition in words, and the open questions not tied to one."""
    from osint_kit.sources.independence import independent_origins

    keys = {p.id: f"P{i}" for i, p in enumerate(propositions, start=1)}
    statements = {p.id: p.statement for p in propositions}
    titles = {s.id: s.title for s in sources}
    parties = {s.id: s.party for s in sources if getattr(s, "party", None)}
    open_notes = _open_notes(notes)
    attached: set[int] = set()
    out = []
    for row in table.to_dict("records"):
        pid = text(row.get("proposition_id"))
        oc = independent_origins(pid, claims, sources, include_unconfirmed=True,
                                 parties=parties or None)
        mine = []
        for i, (target, note) in enumerate(open_notes):
            if target == pid:
                mine.append(note)
                attached.add(i)
        out.append(Conclusion(
            key=keys.get(pid, pid), id=pid,
            statement=text(row.get("statement")) or statements.get(pid, ""),
            assessment=text(row.get("assessment")) or "not assessed", band=_band(row),
            explanation=text(row.get("explanation")),
            supporting_origins=_count(row.get("supporting_origins", oc.supporting)),
            contradicting_origins=_count(row.get("contradicting_origins", oc.contradicting)),
            supporting=_groups_in_words(oc.supporting_groups, titles),
            contradicting=_groups_in_words(oc.contradicting_groups, titles),
            parties_for="; ".join(_items(row.get("supporting_parties"))),
            parties_against="; ".join(_items(row.get("contradicting_parties"))),
            denials="; ".join(_items(row.get("denials"))),
            direct_evidence="; ".join(_items(row.get("direct_evidence"))),
            open_items=tuple(mine)))
    general = tuple(note for i, (_t, note) in enumerate(open_notes) if i not in attached)
    return tuple(out), general


def _open_notes(notes: pd.DataFrame) -> list[tuple[str, str]]:
    """(target, text) of every note tagged ``open``."""
    out = []
    for row in notes.to_dict("records"):
        tags = {t.strip().lower() for t in re.split(r"[;, ]", text(row.get("tags")))}
        if _OPEN_TAG in tags:
            out.append((text(row.get("target")), text(row.get("text"))))
    return out


# --- evidence ------------------------------------------------------------------------------


def evidence_status(row: Mapping[Any, Any]) -> tuple[str, str]:
    """("working copy" | "reconstruction" | "original as acquired", why in words)."""
    if text(row.get("role")) == "working":
        return "working copy", (f"derived from {text(row.get('parent_id'))} by "
                                f"{text(row.get('derivation')) or 'an unrecorded step'}: "
                                "not evidence as acquired")
    said = [text(row.get("notes")), text(row.get("derivation"))]
    if any("reconstruction" in s.lower() for s in said):
        return "reconstruction", next(s for s in said if "reconstruction" in s.lower())
    if "reconstruction" in text(row.get("original_name")).lower():
        return "reconstruction", "the file name says it is a reconstruction"
    return "original as acquired", ""


def evidence_views(evidence: pd.DataFrame, findings: pd.DataFrame,
                   thumbnails: Mapping[str, tuple[str | None, str]]) -> tuple[EvidenceView, ...]:
    """Every evidence item with its status, findings in words and thumbnail."""
    shown: dict[str, list[FindingView]] = {}
    minor: dict[str, list[str]] = {}
    order = {s: i for i, s in enumerate(SHOWN_SEVERITIES)}
    for f in sorted(findings.to_dict("records"),
                    key=lambda f: order.get(text(f.get("severity")), 9)):
        eid = text(f.get("evidence_id"))
        if text(f.get("severity")) in SHOWN_SEVERITIES:
            shown.setdefault(eid, []).append(FindingView(
                text(f.get("severity")), text(f.get("title")), text(f.get("explanation"))))
        else:
            minor.setdefault(eid, []).append(text(f.get("title")))
    out = []
    for row in evidence.to_dict("records"):
        rid = text(row.get("id"))
        status, why = evidence_status(row)
        thumb, reason = thumbnails.get(rid, (None, "not an image"))
        size = row.get("size")
        out.append(EvidenceView(
            id=rid, name=text(row.get("original_name")), status=status, status_note=why,
            role=text(row.get("role")), parent=text(row.get("parent_id")),
            derivation=text(row.get("derivation")), sha256=text(row.get("sha256")),
            md5=text(row.get("md5")), size=int(size) if isinstance(size, int) else None,
            intake_utc=utc_text(row.get("intake_utc")),
            acquired_from=text(row.get("acquired_from")),
            acquired_link=link(row.get("acquired_from")),
            source_id=text(row.get("source_id")), notes=text(row.get("notes")),
            metadata_error=text(row.get("metadata_error")),
            findings=tuple(shown.get(rid, ())), minor=tuple(minor.get(rid, ())),
            thumbnail=thumb, no_thumbnail=reason))
    return tuple(out)


# --- timeline and matrix -------------------------------------------------------------------


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
    return frame.sort_values("earliest", kind="stable")


_WHEN_FORMAT = {"year": "%Y", "month": "%Y-%m", "week": "%Y-%m-%d", "day": "%Y-%m-%d",
                "hour": "%Y-%m-%d %H:00", "minute": "%Y-%m-%d %H:%M"}


def when_text(earliest: Any, latest: Any, precision: str) -> str:
    """``2022-11-18`` or ``2022-11-18 - 2022-11-19`` (UTC) at the event's precision."""
    if pd.isna(earliest):
        return "unknown"
    fmt = _WHEN_FORMAT.get(precision, "%Y-%m-%d %H:%M:%S")
    first = earliest.strftime(fmt)
    last = latest.strftime(fmt) if not pd.isna(latest) else first
    return first if first == last else f"{first} - {last}"


def event_views(frame: pd.DataFrame) -> tuple[EventView, ...]:
    return tuple(EventView(when=when_text(r["earliest"], r["latest"], r["precision"]),
                           precision=text(r["precision"]), label=text(r["label"]),
                           when_text=text(r["when_text"]), sources=text(r["source_ids"]))
                 for r in frame.to_dict("records"))


def matrix_view(claims: Sequence[Any], sources: Sequence[Any],
                propositions: Sequence[Any]) -> MatrixView:
    """The library's cross-reference matrix, transposed: one row per source."""
    from osint_kit.sources import cross_reference

    table = cross_reference(claims, sources, propositions or None, include_unconfirmed=True)
    statements = {p.id: p.statement for p in propositions}
    keys = {p.id: f"P{i}" for i, p in enumerate(propositions, start=1)}
    titles = {s.id: s.title for s in sources}
    columns = tuple((keys.get(pid, pid), str(pid), statements.get(pid, ""))
                    for pid in table.index)
    rows = tuple((str(sid), titles.get(sid, ""), tuple(str(v) for v in table[sid]))
                 for sid in table.columns)
    return MatrixView(columns=columns, rows=rows,
                      note="All claims recorded in the case are counted, confirmed or not.")


def custody_rows(custody: pd.DataFrame) -> tuple[CustodyRow, ...]:
    return tuple(
        CustodyRow(seq=text(r["seq"]), ts=utc_text(r["ts"]), actor=text(r["actor"]),
                   action=text(r["action"]),
                   record=" ".join(x for x in (text(r["table"]), text(r["record_id"])) if x),
                   hash=text(r["hash"]))
        for r in custody.to_dict("records"))
