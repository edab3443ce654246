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
    if values.dtype == "str":
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
        """The event table (a copy-on-write copy: changing it leaves the Timeline alone)."""
        return self._df.copy(deep=False)

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
        dup = merged.astype(str).duplicated()
        return Timeline(merged.loc[~dup].reset_index(drop=True), title=self.title)

    def sort(self) -> Timeline:
        """Sorted by ``(earliest, latest)``, ties kept in input order."""
        order = np.lexsort((utc_micros(self._df["latest"]), utc_micros(self._df["earliest"])))
        out = Timeline.__new__(Timeline)
        out._df = self._df if bool((np.diff(order) > 0).all()) else \
            self._df.take(order).reset_index(drop=True)
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


def _explode(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, item) for every non-empty "; "-separated item of a text column."""
    pos = np.flatnonzero((values != "").to_numpy(dtype=bool))
    if not len(pos):
        return np.array([], dtype=np.int64), np.array([], dtype=object)
    single = pd.Series(values.iloc[pos].to_numpy(dtype=object), index=pos, dtype=object)
    multi = single.str.contains(";", regex=False).to_numpy(dtype=bool)
    rows, items = [pos[~multi]], [single.to_numpy()[~multi]]
    if multi.any():
        exploded = single[multi].str.split(";").explode().str.strip()
        exploded = exploded[exploded != ""]
        rows.append(exploded.index.to_numpy(dtype=np.int64))
        items.append(exploded.to_numpy(dtype=object))
    return np.concatenate(rows), np.concatenate(items)


def _pick(values: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Values at row positions as an object array (without converting the whole column)."""
    return np.asarray(values.iloc[rows].to_numpy(dtype=object))


def _positions(ids: pd.Series, names: np.ndarray) -> np.ndarray:
    """Row position of each name among ``ids`` (-1 when absent), hashed in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    value_set = pa.array(ids)
    found = pc.index_in(pa.array([str(n) for n in names], type=value_set.type),
                        value_set=value_set)
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _gap_text(gap_us: np.ndarray) -> np.ndarray:
    days = gap_us / 86_400e6
    hours = gap_us / 3_600e6
    seconds = gap_us / 1e6
    return np.where(
        days >= 1, np.char.mod("%.1f days", days),
        np.where(hours >= 1, np.char.mod("%.1f hours", hours),
                 np.where(seconds >= 1, np.char.mod("%.0f seconds", seconds),
                          "just (adjacent periods)"))).astype(object)


def _first_per_group(codes: np.ndarray, order_key: np.ndarray) -> np.ndarray:
    """Index (into codes) of the element with the smallest ``order_key`` in each group."""
    order = np.lexsort((order_key, codes))
    first = np.r_[True, codes[order][1:] != codes[order][:-1]]
    return np.asarray(order[first])


def _no_overlap(df: pd.DataFrame, earliest: np.ndarray, latest: np.ndarray) -> pd.DataFrame:
    c_rows, c_items = _explode(df["claim_ids"])
    k_rows, k_items = _explode(df["event_key"])
    rows = np.concatenate([c_rows, k_rows])
    if not len(rows):
        return pd.DataFrame(columns=list(CONFLICT_COLUMNS))
    keys = np.concatenate([np.char.add("claim:", c_items.astype(str)).astype(object),
                           np.char.add("event:", k_items.astype(str)).astype(object)])
    codes, uniques = pd.factorize(keys)
    # drop repeated (row, key) pairs, then group statistics with numpy
    pair = pd.DataFrame({"c": codes, "r": rows}).drop_duplicates()
    codes, rows = pair["c"].to_numpy(), pair["r"].to_numpy()
    e, lt = earliest[rows], latest[rows]
    n_groups = len(uniques)
    size = np.bincount(codes, minlength=n_groups)
    max_e = np.full(n_groups, np.iinfo(np.int64).min)
    np.maximum.at(max_e, codes, e)
    min_l = np.full(n_groups, np.iinfo(np.int64).max)
    np.minimum.at(min_l, codes, lt)
    bad = (size > 1) & (max_e > min_l)
    if not bad.any():
        return pd.DataFrame(columns=list(CONFLICT_COLUMNS))
    keep = bad[codes]
    codes, rows, e, lt = codes[keep], rows[keep], e[keep], lt[keep]
    a = rows[_first_per_group(codes, lt)]  # ends first
    b_idx = _first_per_group(codes, -e)  # starts last
    b = rows[b_idx]
    group = codes[b_idx]
    id_a, id_b = _pick(df["event_id"], a), _pick(df["event_id"], b)
    gap = earliest[b] - latest[a]
    key = uniques[group].astype(object)
    explanation = (pd.Series(size[group].astype(str), dtype=object) + " events share " + key
                   + " and should coincide, but " + id_a + " ends " + _gap_text(gap)
                   + " before " + id_b + " starts: one of the dates (or the link) is wrong")
    return pd.DataFrame({
        "conflict": "no_overlap", "key": key, "event_id": id_a, "other_event_id": id_b,
        "label": _pick(df["label"], a), "other_label": _pick(df["label"], b),
        "gap": pd.to_timedelta(gap, unit="us"), "explanation": explanation.to_numpy(),
    })


def _ordering(df: pd.DataFrame, earliest: np.ndarray, latest: np.ndarray) -> pd.DataFrame:
    rows, names = _explode(df["after"])
    if not len(rows):
        return pd.DataFrame(columns=list(CONFLICT_COLUMNS))
    anchor = _positions(df["event_id"], names)
    missing = anchor < 0
    r_m, n_m = rows[missing], names[missing]
    id_m = _pick(df["event_id"], r_m)
    lost = pd.DataFrame({
        "conflict": "missing_anchor", "key": "after:" + pd.Series(n_m, dtype=object),
        "event_id": id_m, "other_event_id": n_m, "label": _pick(df["label"], r_m),
        "other_label": "", "gap": pd.to_timedelta(np.full(len(r_m), np.nan), unit="us"),
        "explanation": (pd.Series(id_m, dtype=object) + " is declared after '" + n_m
                        + "', which is not in the timeline: add that event or fix the id"),
    })
    r_ok, a_ok = rows[~missing], anchor[~missing]
    wrong = latest[r_ok] < earliest[a_ok]
    r, a = r_ok[wrong], a_ok[wrong]
    gap = earliest[a] - latest[r]
    id_r, id_a = _pick(df["event_id"], r), _pick(df["event_id"], a)
    order = pd.DataFrame({
        "conflict": "impossible_order", "key": "after:" + pd.Series(id_a, dtype=object),
        "event_id": id_r, "other_event_id": id_a, "label": _pick(df["label"], r),
        "other_label": _pick(df["label"], a), "gap": pd.to_timedelta(gap, unit="us"),
        "explanation": (pd.Series(id_r, dtype=object) + " is declared after " + id_a
                        + " but ends " + _gap_text(gap) + " before it starts"),
    })
    return pd.concat([x for x in (order, lost) if len(x)] or [order], ignore_index=True)


def find_conflicts(df: pd.DataFrame) -> pd.DataFrame:
    """Vectorised conflict check over an event table (:data:`CONFLICT_COLUMNS`).

    * ``no_overlap``: events sharing a claim id or an event key must have overlapping
      intervals. For intervals, "all pairs overlap" equals "max(earliest) <= min(latest)"
      (Helly's theorem in one dimension), so one pass of group statistics finds the groups
      that fail; the row reported is the witness pair (the event ending first and the one
      starting last), with the size of the group in the explanation.
    * ``impossible_order``: an event listed as ``after`` another lies entirely before it.
    * ``missing_anchor``: ``after`` names an event id that is not in the table.
    """
    earliest = utc_micros(df["earliest"])
    latest = utc_micros(df["latest"])
    parts = [_no_overlap(df, earliest, latest), _ordering(df, earliest, latest)]
    parts = [p for p in parts if len(p)]
    if not parts:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in CONFLICT_COLUMNS})
        out["gap"] = pd.to_timedelta(out["gap"])
        return out
    out = pd.concat(parts, ignore_index=True)[list(CONFLICT_COLUMNS)]
    for col in CONFLICT_COLUMNS:
        if col != "gap":
            out[col] = out[col].astype("str")
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
