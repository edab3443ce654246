"""Events and the :class:`Timeline` that holds them as one DataFrame.

The event table has the columns of :data:`EVENT_COLUMNS` (one row per event):

================  =========================  =================================================
column            dtype                      meaning
================  =========================  =================================================
event_id          str                        unique id ("" in input: a stable hash is made)
label             str                        what happened, in one line
kind              str                        one of :data:`KINDS`
earliest          datetime64[us, UTC]        first instant the event may have happened
latest            datetime64[us, UTC]        last instant (inclusive) it may have happened
precision         str                        year/month/week/day/hour/minute/second
tz                str                        zone the date was read in, or "unknown"
when_text         str                        the words the date came from
when_provenance   str                        how the date was resolved (reference, rules)
description       str                        kind of timestamp ("photo taken", "statement")
actors            str                        "; "-joined actor names
place             str                        free text or a place id
source_ids        str                        "; "-joined ids of sources the event rests on
claim_ids         str                        "; "-joined claim ids (same claim => same time)
event_key         str                        same key from two sources => same event
after             str                        "; "-joined event ids this event must follow
confidence        float64                    0..1, NaN when not assessed
provenance        str                        where the row came from (file, rule, record)
================  =========================  =================================================

Missing text is the empty string, never None, so vectorised string operations work on
a million rows. Lists are joined with "; " (ids must not contain ";").
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from osint_kit._html import df_table, esc
from osint_kit.errors import DateError, TimelineError
from osint_kit.timeline.when import Precision, When

log = logging.getLogger(__name__)

#: The kinds of event: how we know about it.
KINDS: tuple[str, ...] = ("observed", "reported", "published", "captured", "claimed",
                          "recorded")
DT_DTYPE = "datetime64[us, UTC]"
LIST_SEP = "; "
_TEXT_COLUMNS = ("event_id", "label", "kind", "precision", "tz", "when_text",
                 "when_provenance", "description", "actors", "place", "source_ids",
                 "claim_ids", "event_key", "after", "provenance")
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "label", "kind", "earliest", "latest", "precision", "tz", "when_text",
    "when_provenance", "description", "actors", "place", "source_ids", "claim_ids",
    "event_key", "after", "confidence", "provenance",
)
#: Columns of :meth:`Timeline.conflicts`.
CONFLICT_COLUMNS: tuple[str, ...] = (
    "conflict", "key", "event_id", "other_event_id", "label", "other_label", "gap",
    "explanation",
)
_DEFAULTS: dict[str, Any] = {c: "" for c in _TEXT_COLUMNS}
_DEFAULTS.update(kind="reported", precision="second", tz="UTC", confidence=np.nan)


def _join(values: Iterable[str] | str | None) -> str:
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    return LIST_SEP.join(str(v) for v in values if str(v))


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip()) if value else ()


@dataclass(frozen=True)
class Event:
    """One thing that happened (or was said to), with an uncertain :class:`When`."""

    label: str
    when: When
    kind: str = "reported"
    actors: tuple[str, ...] = ()
    place: str = ""
    source_ids: tuple[str, ...] = ()
    claim_ids: tuple[str, ...] = ()
    event_key: str = ""
    after: tuple[str, ...] = ()
    confidence: float | None = None
    description: str = ""
    provenance: str = ""
    event_id: str = field(default="")

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise TimelineError(f"event kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.confidence is not None and not 0.0 <= float(self.confidence) <= 1.0:
            raise TimelineError(f"confidence {self.confidence} is outside 0..1")
        for name in ("actors", "source_ids", "claim_ids", "after"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, _split(value))
        if not self.event_id:
            object.__setattr__(self, "event_id", _make_id(
                self.label, self.when.earliest.isoformat(), self.when.latest.isoformat(),
                _join(self.source_ids)))

    def to_record(self) -> dict[str, Any]:
        """A dict with exactly :data:`EVENT_COLUMNS` as keys."""
        return {
            "event_id": self.event_id, "label": self.label, "kind": self.kind,
            "earliest": self.when.earliest, "latest": self.when.latest,
            "precision": self.when.precision.value, "tz": self.when.tz,
            "when_text": self.when.text, "when_provenance": self.when.provenance,
            "description": self.description, "actors": _join(self.actors),
            "place": self.place, "source_ids": _join(self.source_ids),
            "claim_ids": _join(self.claim_ids), "event_key": self.event_key,
            "after": _join(self.after),
            "confidence": np.nan if self.confidence is None else float(self.confidence),
            "provenance": self.provenance,
        }

    @classmethod
    def from_record(cls, row: Mapping[Any, Any]) -> Event:
        """Inverse of :meth:`to_record` (accepts a DataFrame row as a mapping)."""
        earliest = pd.Timestamp(row["earliest"]).to_pydatetime()
        latest = pd.Timestamp(row["latest"]).to_pydatetime()
        when = When(earliest, latest, Precision(row.get("precision") or "second"),
                    str(row.get("when_text") or ""), str(row.get("tz") or "UTC"),
                    str(row.get("when_provenance") or ""))
        conf = row.get("confidence")
        return cls(
            label=str(row["label"]), when=when, kind=str(row.get("kind") or "reported"),
            actors=_split(str(row.get("actors") or "")), place=str(row.get("place") or ""),
            source_ids=_split(str(row.get("source_ids") or "")),
            claim_ids=_split(str(row.get("claim_ids") or "")),
            event_key=str(row.get("event_key") or ""),
            after=_split(str(row.get("after") or "")),
            confidence=None if conf is None or pd.isna(conf) else float(conf),
            description=str(row.get("description") or ""),
            provenance=str(row.get("provenance") or ""),
            event_id=str(row.get("event_id") or ""),
        )

    def __repr__(self) -> str:
        return f"Event({self.event_id!r}, {self.label!r}, {self.when.describe()!r}, {self.kind})"

    def _repr_html_(self) -> str:
        rec = self.to_record()
        from osint_kit._html import kv_table

        return kv_table([(k, rec[k]) for k in EVENT_COLUMNS], title=f"Event: {self.label}")


def utc_micros(values: pd.Series) -> np.ndarray:
    """A ``datetime64[us, UTC]`` column as int64 microseconds since the epoch (fast path)."""
    return np.asarray(pd.DatetimeIndex(values).as_unit("us").asi8)


def _naive_utc(values: pd.Series) -> np.ndarray:
    return np.asarray(pd.DatetimeIndex(values).as_unit("us").tz_convert(None).to_numpy())


def _make_id(*parts: str) -> str:
    return "ev-" + hashlib.sha1("\x1f".join(parts).encode("utf-8"),
                                usedforsecurity=False).hexdigest()[:12]


def _vector_ids(df: pd.DataFrame) -> pd.Series:
    hashed = pd.util.hash_pandas_object(
        df[["label", "earliest", "latest", "source_ids"]], index=False)
    return "ev-" + pd.Series(hashed.to_numpy(), index=df.index).map("{:016x}".format)


def _to_utc(values: pd.Series, col: str) -> pd.DatetimeIndex:
    """Column to ``datetime64[us, UTC]``; naive datetime64 values are taken as UTC."""
    try:
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            index = pd.DatetimeIndex(values)
            index = index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")
        else:
            index = pd.DatetimeIndex(pd.to_datetime(values.to_numpy(), utc=True, format="ISO8601"))
    except (ValueError, TypeError) as err:
        raise TimelineError(
            f"column {col!r} holds values that are not ISO 8601 dates with offsets: {err}"
        ) from err
    return index.as_unit("us")


def _text(values: pd.Series, default: str) -> Any:
    """A text column as pandas' ``str`` dtype with ``default`` for missing values."""
    if isinstance(values.dtype, pd.StringDtype):
        array = values.array
        return array.fillna(default) if values.hasnans else array
    objects = pd.Series(values.to_numpy(), dtype=object)
    return objects.where(objects.notna(), default).astype("str").array


def validate_events(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` with exactly :data:`EVENT_COLUMNS`, coerced and checked.

    Required: ``label``, ``earliest`` and ``latest``; other columns get defaults. Raises
    :class:`TimelineError` naming the offending rows when intervals are reversed, kinds are
    unknown or ids are duplicated.
    """
    missing = [c for c in ("label", "earliest", "latest") if c not in df.columns]
    if missing:
        raise TimelineError(
            f"event table lacks required column(s) {missing}; columns are {list(df.columns)[:20]}"
        )
    n = len(df)
    columns: dict[str, Any] = {}
    for col in EVENT_COLUMNS:
        if col in ("earliest", "latest"):
            columns[col] = _to_utc(df[col], col)
        elif col == "confidence":
            columns[col] = pd.to_numeric(df[col].to_numpy(), errors="coerce") \
                if col in df.columns else np.full(n, np.nan)
        elif col in df.columns:
            columns[col] = _text(df[col], _DEFAULTS[col])
        else:
            columns[col] = pd.array(np.full(n, _DEFAULTS[col], dtype=object), dtype="str")
    out = pd.DataFrame(columns, index=pd.RangeIndex(n), copy=False)
    if out["earliest"].isna().any() or out["latest"].isna().any():
        bad = out.index[out["earliest"].isna() | out["latest"].isna()][:5].tolist()
        raise TimelineError(f"rows {bad} have no earliest/latest date; every event needs both")
    reversed_ = out["latest"] < out["earliest"]
    if reversed_.any():
        bad = out.loc[reversed_, "label"].head(5).tolist()
        raise TimelineError(f"{int(reversed_.sum())} event(s) end before they start: {bad}")
    bad_kind = ~out["kind"].isin(KINDS)
    if bad_kind.any():
        raise TimelineError(
            f"unknown event kind(s) {sorted(set(out.loc[bad_kind, 'kind']))[:5]}; "
            f"use one of {', '.join(KINDS)}")
    bad_conf = out["confidence"].notna() & ~out["confidence"].between(0.0, 1.0)
    if bad_conf.any():
        raise TimelineError(f"confidence outside 0..1 in {int(bad_conf.sum())} row(s)")
    no_id = out["event_id"] == ""
    if no_id.any():
        out.loc[no_id, "event_id"] = _vector_ids(out.loc[no_id])
    if not pd.Index(out["event_id"]).is_unique:
        dup = out["event_id"].duplicated()
        raise TimelineError(
            f"duplicate event ids {out.loc[dup, 'event_id'].head(5).tolist()}; give each event "
            "its own id (merge() drops exact duplicates for you)")
    return out


class Timeline:
    """Events as a validated DataFrame (:data:`EVENT_COLUMNS`) plus the operations on it."""

    def __init__(self, events: Iterable[Event] | pd.DataFrame | None = None,
                 title: str = "") -> None:
        if events is None:
            frame = pd.DataFrame({c: [] for c in EVENT_COLUMNS})
        elif isinstance(events, pd.DataFrame):
            frame = events
        else:
            frame = pd.DataFrame([e.to_record() for e in events],
                                 columns=list(EVENT_COLUMNS))
        self._df = validate_events(frame)
        self.title = title

    @classmethod
    def from_frame(cls, df: pd.DataFrame, title: str = "") -> Timeline:
        return cls(df, title=title)

    @property
    def df(self) -> pd.DataFrame:
        """The event table (a copy: a Timeline is immutable)."""
        return self._df.copy()

    def __len__(self) -> int:
        return len(self._df)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events())

    def events(self) -> list[Event]:
        """The rows as :class:`Event` objects (slow for millions of rows; use ``df``)."""
        return [Event.from_record(r) for r in self._df.to_dict("records")]

    def add(self, *events: Event) -> Timeline:
        return self.merge(Timeline(events))

    def merge(self, *others: Timeline) -> Timeline:
        """All events of this and the other timelines; identical rows appear once."""
        frames = [self._df, *(o._df for o in others)]
        merged = pd.concat(frames, ignore_index=True)
        text = merged.drop(columns=["confidence"]).astype(str)
        dup = text.duplicated() & (merged["confidence"].isna() | merged["confidence"].duplicated())
        return Timeline(merged.loc[~dup].reset_index(drop=True), title=self.title)

    def sort(self) -> Timeline:
        """Sorted by ``(earliest, latest)``, ties kept in input order."""
        order = np.lexsort((utc_micros(self._df["latest"]), utc_micros(self._df["earliest"])))
        out = Timeline.__new__(Timeline)
        out._df = self._df.iloc[order].reset_index(drop=True)
        out.title = self.title
        return out

    def conflicts(self) -> pd.DataFrame:
        """Events that should coincide but cannot, and impossible orderings.

        See :func:`find_conflicts` for the rules.
        """
        return find_conflicts(self._df)

    def filter(self, **kwargs: Any) -> Timeline:
        """A timeline with the rows :func:`osint_kit.timeline.filter.filter_events` keeps."""
        from osint_kit.timeline.filter import filter_events

        out = Timeline.__new__(Timeline)
        out._df = filter_events(self._df, **kwargs).reset_index(drop=True)
        out.title = self.title
        return out

    def get(self, event_id: str) -> Event:
        rows = self._df.loc[self._df["event_id"] == event_id]
        if rows.empty:
            raise TimelineError(f"no event with id {event_id!r}")
        return Event.from_record(rows.iloc[0].to_dict())

    # --- files (implemented in io/export modules) -----------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> Timeline:
        """Read a timeline from ``.csv``, ``.yaml``/``.yml`` or Timesketch ``.jsonl``."""
        from osint_kit.timeline import io

        return io.load(path)

    def save(self, path: str | Path) -> Path:
        """Write to ``.csv`` or ``.yaml``/``.yml`` (lossless: intervals and provenance kept)."""
        from osint_kit.timeline import io

        return io.save(self, path)

    def to_csv(self, path: str | Path) -> Path:
        from osint_kit.timeline import io

        return io.write_csv(self, path)

    def to_yaml(self, path: str | Path) -> Path:
        from osint_kit.timeline import io

        return io.write_yaml(self, path)

    def to_timelinejs(self, lane: str = "kind", title: str | None = None) -> dict[str, Any]:
        from osint_kit.timeline import export

        return export.to_timelinejs(self, lane=lane, title=title)

    def to_timesketch_jsonl(self, path: str | Path) -> Path:
        from osint_kit.timeline import export

        return export.to_timesketch_jsonl(self, path)

    def to_timesketch_csv(self, path: str | Path) -> Path:
        from osint_kit.timeline import export

        return export.to_timesketch_csv(self, path)

    @classmethod
    def from_timesketch(cls, path: str | Path) -> Timeline:
        from osint_kit.timeline import export

        return export.from_timesketch(path)

    def __repr__(self) -> str:
        if self._df.empty:
            return "Timeline(0 events)"
        return (f"Timeline({len(self)} events, {self._df['earliest'].min():%Y-%m-%d} .. "
                f"{self._df['latest'].max():%Y-%m-%d})")

    def _repr_html_(self) -> str:
        shown = self._df[["event_id", "label", "kind", "earliest", "latest", "precision",
                          "when_text", "source_ids"]]
        head = f"<h4 style='margin:6px 0 2px 0'>{esc(self.title or repr(self))}</h4>"
        return head + df_table(shown, max_rows=50)


# --- conflicts --------------------------------------------------------------------------------


def _keys(df: pd.DataFrame) -> pd.DataFrame:
    """(row position, key) pairs for rows that should coincide: claims and event keys."""
    parts = []
    pos = np.arange(len(df))
    claims = df["claim_ids"].to_numpy()
    has = claims != ""
    if has.any():
        exploded = pd.Series(claims[has], index=pos[has]).str.split(";").explode().str.strip()
        exploded = exploded[exploded != ""]
        parts.append(pd.DataFrame({"row": exploded.index.to_numpy(),
                                   "key": "claim:" + exploded.to_numpy().astype(object)}))
    keys = df["event_key"].to_numpy()
    has = keys != ""
    if has.any():
        parts.append(pd.DataFrame({"row": pos[has], "key": "event:" + keys[has].astype(object)}))
    if not parts:
        return pd.DataFrame({"row": np.array([], dtype=np.int64), "key": []})
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def _describe_gap(gap: pd.Timedelta) -> str:
    if gap >= pd.Timedelta(days=1):
        return f"{gap / pd.Timedelta(days=1):.1f} days"
    if gap >= pd.Timedelta(hours=1):
        return f"{gap / pd.Timedelta(hours=1):.1f} hours"
    if gap >= pd.Timedelta(seconds=1):
        return f"{gap.total_seconds():.0f} seconds"
    return "just (adjacent periods)"


def find_conflicts(df: pd.DataFrame) -> pd.DataFrame:
    """Vectorised conflict check over an event table (:data:`CONFLICT_COLUMNS`).

    * ``no_overlap``: events sharing a claim id or an event key must have overlapping
      intervals. For intervals, "all pairs overlap" equals "max(earliest) <= min(latest)"
      (Helly's theorem in one dimension), so one group-by finds the groups that fail; the row
      reported is the witness pair (the one ending first and the one starting last).
    * ``impossible_order``: an event listed as ``after`` another lies entirely before it.
    * ``missing_anchor``: ``after`` names an event id that is not in the table.
    """
    earliest = _naive_utc(df["earliest"])
    latest = _naive_utc(df["latest"])
    ids = df["event_id"].to_numpy()
    labels = df["label"].to_numpy()
    rows: list[dict[str, Any]] = []

    keys = _keys(df)
    if len(keys):
        keys["earliest"] = earliest[keys["row"].to_numpy()]
        keys["latest"] = latest[keys["row"].to_numpy()]
        grouped = keys.groupby("key", sort=False)
        stats = grouped.agg(n=("row", "size"), max_e=("earliest", "max"),
                            min_l=("latest", "min"))
        bad = stats[(stats["n"] > 1) & (stats["max_e"] > stats["min_l"])]
        if len(bad):
            sub = keys[keys["key"].isin(bad.index)]
            first_end = sub.loc[sub.groupby("key", sort=False)["latest"].idxmin(), ["key", "row"]]
            last_start = sub.loc[sub.groupby("key", sort=False)["earliest"].idxmax(),
                                 ["key", "row"]]
            pairs = first_end.merge(last_start, on="key", suffixes=("_a", "_b"))
            for key, a, b in pairs[["key", "row_a", "row_b"]].itertuples(index=False):
                gap = pd.Timestamp(earliest[b]) - pd.Timestamp(latest[a])
                n = int(bad.loc[key, "n"])
                rows.append({
                    "conflict": "no_overlap", "key": key, "event_id": ids[a],
                    "other_event_id": ids[b], "label": labels[a], "other_label": labels[b],
                    "gap": gap,
                    "explanation": (
                        f"{n} events share {key} and should coincide, but {ids[a]!s} ends "
                        f"{_describe_gap(gap)} before {ids[b]!s} starts: one of the dates "
                        "(or the claim link) is wrong"),
                })

    after = df["after"].to_numpy()
    has = after != ""
    if has.any():
        pos = np.arange(len(df))
        exploded = pd.Series(after[has], index=pos[has]).str.split(";").explode().str.strip()
        exploded = exploded[exploded != ""]
        index = pd.Index(ids)
        anchor = index.get_indexer(exploded.to_numpy())
        row = exploded.index.to_numpy()
        missing = anchor < 0
        for r, name in zip(row[missing], exploded.to_numpy()[missing], strict=True):
            rows.append({
                "conflict": "missing_anchor", "key": f"after:{name}", "event_id": ids[r],
                "other_event_id": name, "label": labels[r], "other_label": "",
                "gap": pd.NaT,
                "explanation": f"{ids[r]} is declared after {name!r}, which is not in the "
                               "timeline: add that event or fix the id",
            })
        ok = ~missing
        r_ok, a_ok = row[ok], anchor[ok]
        wrong = latest[r_ok] < earliest[a_ok]
        for r, a in zip(r_ok[wrong], a_ok[wrong], strict=True):
            gap = pd.Timestamp(earliest[a]) - pd.Timestamp(latest[r])
            rows.append({
                "conflict": "impossible_order", "key": f"after:{ids[a]}", "event_id": ids[r],
                "other_event_id": ids[a], "label": labels[r], "other_label": labels[a],
                "gap": gap,
                "explanation": f"{ids[r]} is declared after {ids[a]} but ends "
                               f"{_describe_gap(gap)} before it starts",
            })
    out = pd.DataFrame(rows, columns=list(CONFLICT_COLUMNS))
    out["gap"] = pd.to_timedelta(out["gap"])
    return out


def events_to_frame(events: Sequence[Event]) -> pd.DataFrame:
    """Validated event table from Event objects."""
    return Timeline(events).df


def when_of(row: Mapping[Any, Any]) -> When:
    """The :class:`When` of an event-table row."""
    try:
        return Event.from_record(row).when
    except (KeyError, ValueError) as err:
        raise DateError(f"row has no valid when: {err}") from err


__all__ = ["CONFLICT_COLUMNS", "EVENT_COLUMNS", "KINDS", "Event", "Timeline", "find_conflicts",
           "validate_events", "when_of"]
