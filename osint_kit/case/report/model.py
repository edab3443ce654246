"""What the case report says, gathered from the case's tables into plain frozen records.

Nothing here writes HTML or Markdown (see :mod:`osint_kit.case.report.render`), and nothing
here decides how strong a proposition is or which sources are independent: both come from
:func:`osint_kit.sources.assessment.assessments` (the objects behind ``assessment_table``,
with the origin groups of :func:`osint_kit.sources.independence.independent_origins`). The
report only words them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from osint_kit.case.report.video import VideoView

log = logging.getLogger(__name__)

#: Only these URL schemes become links; anything else is printed as text.
LINK_SCHEMES = ("http://", "https://")
#: Propositions per block of the claims x sources matrix (8 fit A4 beside the source column).
MATRIX_BLOCK = 8
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
    """One proposition: its assessment in words, the parties for and against, what is open."""

    key: str  # short column head in the matrix: "P1"
    id: str
    statement: str
    assessment: str  # ICD 203 term, or "cannot be assessed"
    band: str  # "55-80 %" or ""
    probability: str  # "64 %" or ""
    explanation: str
    supporting_parties: int
    contradicting_parties: int
    supporting_origins: int
    contradicting_origins: int
    unknown_for: int  # claims of untraced origin among the supporting / contradicting ones
    unknown_against: int
    supporting: tuple[str, ...]  # one line per independent party
    contradicting: tuple[str, ...]
    denials: tuple[str, ...]  # the denying parties
    direct_evidence: str  # sources of direct evidence among the supporting parties
    open_items: tuple[str, ...]


@dataclass(frozen=True)
class FindingView:
    """One finding on an evidence item, in words."""

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
    source_title: str
    notes: str
    metadata_error: str
    findings: tuple[FindingView, ...]  # warning/notice, in words
    minor: tuple[str, ...]  # info-level titles
    thumbnail: str | None  # data:image/jpeg;base64,... or None
    no_thumbnail: str  # why there is none
    video: VideoView | None = None  # a video: metadata summary and contact sheet
    frame_of: str = ""  # a frame shown on that video's contact sheet (its id)


@dataclass(frozen=True)
class EventView:
    """One timeline event: its date at its precision, what happened, in whose words."""

    when: str
    precision: str
    label: str
    when_text: str
    sources: str


@dataclass(frozen=True)
class MatrixBlock:
    """Up to :data:`MATRIX_BLOCK` propositions: the sources with a claim on one of them (one
    row each), and the ids of the sources silent on all of them."""

    columns: tuple[tuple[str, str, str], ...]  # (key, proposition id, statement)
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # (source id, title, cells)
    silent: tuple[str, ...]


@dataclass(frozen=True)
class MatrixView:
    """Sources (rows) x propositions (columns, abbreviated to their keys "P1"...), in blocks
    narrow enough for a printed page."""

    columns: tuple[tuple[str, str, str], ...]  # every proposition, for the key
    blocks: tuple[MatrixBlock, ...]
    note: str


@dataclass(frozen=True)
class CustodyRow:
    """One custody log entry as printed in the appendix."""

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
    head: str  # hash of the last custody entry when the report was written
    head_seq: str  # its entry number
    head_token: str  # what verify(expected_head=...) takes back ("<seq>:<hash>" or the hash)
    counts: tuple[tuple[str, int], ...]
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
    """Every source, with its grade spelled out (from the records; raw rows when the
    records could not be built)."""
    out = []
    by_id = {r.id: r for r in records}
    for row in frame.to_dict("records"):
        rec = by_id.get(text(row.get("id")))
        if rec is not None:
            grade, meaning = rec.grade, rec.grade_meaning.split(" - ", 1)[-1]
            rests_on = "; ".join(rec.derived_from)
        else:
            grade = text(row.get("reliability")) + text(row.get("credibility"))
            meaning = "grade not checked"
            rests_on = "; ".join(x for x in (text(row.get("cites")), text(row.get("copies")))
                                 if x)
        out.append(SourceView(
            id=text(row.get("id")), title=text(row.get("title")),
            publisher=text(row.get("publisher")), author=text(row.get("author")),
            kind=text(row.get("kind")), published=text(row.get("published")),
            captured_at=text(row.get("captured_at")), url=text(row.get("url")),
            link=link(row.get("url")), grade=grade, grade_meaning=meaning,
            party=text(row.get("party")), rests_on=rests_on,
            content_hash=text(row.get("content_hash")), notes=text(row.get("notes"))))
    return tuple(out)


# --- conclusions ---------------------------------------------------------------------------


def _titled(ids: Sequence[str], titles: Mapping[str, str]) -> str:
    return ", ".join(f"{i} ({titles[i]})" if titles.get(i) else i for i in ids)


def _party_lines(parties: Sequence[Any], titles: Mapping[str, str]) -> tuple[str, ...]:
    """One line per independent party of an :class:`~osint_kit.sources.assessment.Assessment`:
    who, grade and weight, the origin sources, and the sources that only pass them on."""
    out = []
    for p in parties:
        g = p.group
        line = p.describe() + f" (weight {p.weight:.2f})"
        if p.denial:
            line += ", a denial"
        if not g.unknown:
            line += f": origin {_titled(g.origins, titles)}"
        via = [s for s in g.sources if s not in g.origins]
        if via:
            line += f"; passed on by {', '.join(via)}"
        out.append(line)
    return tuple(out)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}"


def conclusions(
    claims: Sequence[Any], sources: Sequence[Any], propositions: Sequence[Any],
    notes: pd.DataFrame,
) -> tuple[tuple[Conclusion, ...], tuple[str, ...]]:
    """Each proposition's :func:`osint_kit.sources.assessment.assessments` in words (best
    supported first), and the open questions not tied to a proposition."""
    from osint_kit.sources.assessment import assessments

    keys = {p.id: f"P{i}" for i, p in enumerate(propositions, start=1)}
    titles = {s.id: s.title for s in sources}
    notes_open = open_notes(notes)
    attached: set[int] = set()
    out = []
    for a in assessments(claims, sources, list(propositions) or None,
                         include_unconfirmed=True):
        mine = []
        for i, (target, note) in enumerate(notes_open):
            if target == a.proposition_id:
                mine.append(note)
                attached.add(i)
        denials = [p.label for p in a.contradicting if p.denial]
        direct = sorted({d for p in a.supporting for d in p.direct})
        band = "" if a.band_low is None or a.band_high is None else \
            f"{_percent(a.band_low)}-{_percent(a.band_high)} %"
        out.append(Conclusion(
            key=keys.get(a.proposition_id, a.proposition_id), id=a.proposition_id,
            statement=a.statement, assessment=a.term, band=band,
            probability="" if a.probability is None else f"{_percent(a.probability)} %",
            explanation=a.explanation,
            supporting_parties=a.supporting_parties,
            contradicting_parties=a.contradicting_parties,
            supporting_origins=a.supporting_origins,
            contradicting_origins=a.contradicting_origins,
            unknown_for=sum(len(p.group.claims) for p in a.supporting if p.group.unknown),
            unknown_against=sum(len(p.group.claims) for p in a.contradicting
                                if p.group.unknown),
            supporting=_party_lines(a.supporting, titles),
            contradicting=_party_lines(a.contradicting, titles),
            denials=tuple(denials), direct_evidence=_titled(direct, titles),
            open_items=tuple(mine)))
    general = tuple(note for i, (_t, note) in enumerate(notes_open) if i not in attached)
    return tuple(out), general


def open_notes(notes: pd.DataFrame) -> list[tuple[str, str]]:
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
                   thumbnails: Mapping[str, tuple[str | None, str]],
                   source_titles: Mapping[str, str] | None = None) -> tuple[EvidenceView, ...]:
    """Every evidence item with its status, findings in words and thumbnail; a video with its
    metadata summary and the contact sheet of its frames (which are marked as shown there),
    its thumbnail the first frame's."""
    from osint_kit.case.report.video import video_views

    videos, frame_parent = video_views(evidence, thumbnails)
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
        video = videos.get(rid)
        if video is not None:
            thumb, reason = next(((f.thumbnail, "") for f in video.frames if f.thumbnail),
                                 (None, "a video: no frames taken into the case yet"))
        size = row.get("size")
        out.append(EvidenceView(
            id=rid, name=text(row.get("original_name")), status=status, status_note=why,
            role=text(row.get("role")), parent=text(row.get("parent_id")),
            derivation=text(row.get("derivation")), sha256=text(row.get("sha256")),
            md5=text(row.get("md5")), size=int(size) if isinstance(size, int) else None,
            intake_utc=utc_text(row.get("intake_utc")),
            acquired_from=text(row.get("acquired_from")),
            acquired_link=link(row.get("acquired_from")),
            source_id=text(row.get("source_id")),
            source_title=(source_titles or {}).get(text(row.get("source_id")), ""),
            notes=text(row.get("notes")),
            metadata_error=text(row.get("metadata_error")),
            findings=tuple(shown.get(rid, ())), minor=tuple(minor.get(rid, ())),
            thumbnail=thumb, no_thumbnail=reason, video=video,
            frame_of=frame_parent.get(rid, "")))
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
    """The events (:func:`events_frame`) as printed rows, earliest first."""
    return tuple(EventView(when=when_text(r["earliest"], r["latest"], r["precision"]),
                           precision=text(r["precision"]), label=text(r["label"]),
                           when_text=text(r["when_text"]), sources=text(r["source_ids"]))
                 for r in frame.to_dict("records"))


def matrix_view(claims: Sequence[Any], sources: Sequence[Any],
                propositions: Sequence[Any], block: int = MATRIX_BLOCK) -> MatrixView:
    """The library's cross-reference matrix, transposed (one row per source) and cut into
    blocks of ``block`` propositions; sources silent on a whole block are only named."""
    from osint_kit.sources import cross_reference

    table = cross_reference(claims, sources, propositions or None, include_unconfirmed=True)
    statements = {p.id: p.statement for p in propositions}
    keys = {p.id: f"P{i}" for i, p in enumerate(propositions, start=1)}
    titles = {s.id: s.title for s in sources}
    columns = tuple((keys.get(pid, pid), str(pid), statements.get(pid, ""))
                    for pid in table.index)
    blocks = []
    for start in range(0, len(columns), block):
        part = table.iloc[start:start + block]
        rows, silent = [], []
        for sid in part.columns:
            cells = tuple(str(v) for v in part[sid])
            if all(c == "silent" for c in cells):
                silent.append(str(sid))
            else:
                rows.append((str(sid), titles.get(sid, ""), cells))
        blocks.append(MatrixBlock(columns[start:start + block], tuple(rows), tuple(silent)))
    return MatrixView(columns=columns, blocks=tuple(blocks),
                      note="All claims recorded in the case are counted, confirmed or not.")


def custody_rows(custody: pd.DataFrame) -> tuple[CustodyRow, ...]:
    """The custody log (``Case.custody()``) as printed rows."""
    return tuple(
        CustodyRow(seq=text(r["seq"]), ts=utc_text(r["ts"]), actor=text(r["actor"]),
                   action=text(r["action"]),
                   record=" ".join(x for x in (text(r["table"]), text(r["record_id"])) if x),
                   hash=text(r["hash"]))
        for r in custody.to_dict("records"))
