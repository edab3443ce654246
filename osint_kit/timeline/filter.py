"""Pure selection functions behind the timeline widget and plots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from osint_kit.errors import TimelineError

#: lane name -> event-table column whose first "; "-separated value names the lane.
LANE_COLUMNS: dict[str, str] = {"source": "source_ids", "actor": "actors", "kind": "kind",
                                "place": "place", "description": "description"}
NO_LANE = "(none)"


def lane_values(df: pd.DataFrame, lane: str = "source") -> pd.Series:
    """The lane of each event: the first source id / actor, or the kind ("(none)" if empty)."""
    column = LANE_COLUMNS.get(lane, lane)
    if column not in df.columns:
        raise TimelineError(f"unknown lane {lane!r}; use one of {', '.join(LANE_COLUMNS)}")
    values = df[column].astype(str)
    if column in ("source_ids", "actors"):
        values = values.str.split(";", n=1).str[0].str.strip()
    return values.where(values != "", NO_LANE)


def _utc(value: dt.datetime | dt.date | str | pd.Timestamp) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def filter_events(
    df: pd.DataFrame,
    start: dt.datetime | dt.date | str | pd.Timestamp | None = None,
    end: dt.datetime | dt.date | str | pd.Timestamp | None = None,
    lanes: Iterable[str] | None = None,
    text: str | None = None,
    kinds: Iterable[str] | None = None,
    lane: str = "source",
) -> pd.DataFrame:
    """Rows of an event table that match every given criterion (pure; returns a view copy).

    * ``start``/``end``: keep events whose interval *overlaps* [start, end] (naive = UTC; a
      date ``end`` includes that whole day);
    * ``lanes``: keep events whose lane (see :func:`lane_values`) is listed;
    * ``text``: case-insensitive substring of label, description, actors, place or when_text;
    * ``kinds``: keep these event kinds.
    """
    keep = np.ones(len(df), dtype=bool)
    if start is not None:
        keep &= (df["latest"] >= _utc(start)).to_numpy()
    if end is not None:
        stop = _utc(end)
        if isinstance(end, dt.date) and not isinstance(end, dt.datetime):
            stop = stop + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
        keep &= (df["earliest"] <= stop).to_numpy()
    if lanes is not None:
        keep &= lane_values(df, lane).isin(list(lanes)).to_numpy()
    if kinds is not None:
        keep &= df["kind"].isin(list(kinds)).to_numpy()
    if text:
        needle = text.casefold()
        hay = df["label"].astype(str)
        for col in ("description", "actors", "place", "when_text"):
            if col in df.columns:
                hay = hay + "\x1f" + df[col].astype(str)
        keep &= hay.str.casefold().str.contains(needle, regex=False).to_numpy()
    return df.loc[keep]
