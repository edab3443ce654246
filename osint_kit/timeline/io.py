"""Reading and writing timelines as CSV (the event table) and YAML (hand-written or saved).

YAML written by people may give ``when`` as words, resolved with
:func:`~osint_kit.timeline.parse.parse_when`::

    title: Wagner rail case
    defaults: {tz: Europe/Warsaw, reference: 2023-01-21}
    events:
      - id: briefing
        label: Kirby shows satellite images
        when: Friday              # read against defaults.reference
        kind: reported
        sources: [polishnews]
      - id: loaded
        label: Cars loaded and returned
        when: the next day
        relative_to: cars_in      # reference = the When of event "cars_in"
        after: [cars_in]          # checked by Timeline.conflicts()

``when`` may also be a mapping with ``earliest``/``latest`` (ISO 8601 with offset),
``precision``, ``tz``, ``text`` and ``provenance``: this is what :func:`write_yaml` writes,
so saving and loading loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from osint_kit import safecsv
from osint_kit.errors import DateError, TimelineError
from osint_kit.timeline.events import EVENT_COLUMNS, LIST_SEP, Event, Timeline
from osint_kit.timeline.parse import parse_when
from osint_kit.timeline.when import Precision, When

_LIST_FIELDS = {"actors": "actors", "sources": "source_ids", "source_ids": "source_ids",
                "claims": "claim_ids", "claim_ids": "claim_ids", "after": "after"}


def write_csv(timeline: Timeline, path: str | Path) -> Path:
    """The event table as UTF-8 CSV; datetimes ISO 8601 in UTC with microseconds."""
    out = Path(path)
    df = timeline.df
    for col in ("earliest", "latest"):
        df[col] = df[col].dt.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    safecsv.write_frame(df, out)  # text starting =, +, -, @ gets a ' (restored on reading)
    return out


def read_csv(path: str | Path) -> Timeline:
    """Read a CSV written by :func:`write_csv` (or any CSV with label/earliest/latest)."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise TimelineError(f"cannot read timeline CSV {path}: {err}") from err
    return Timeline(safecsv.restore_frame(df), title=Path(path).stem)


def _iso(value: Any) -> str:
    return pd.Timestamp(value).isoformat()


def write_yaml(timeline: Timeline, path: str | Path) -> Path:
    """Lossless YAML (intervals, precision, zone and provenance of every date kept)."""
    import yaml

    events = []
    for row in timeline.df.to_dict("records"):
        item: dict[str, Any] = {"id": row["event_id"], "label": row["label"],
                                "kind": row["kind"]}
        item["when"] = {"text": row["when_text"], "earliest": _iso(row["earliest"]),
                        "latest": _iso(row["latest"]), "precision": row["precision"],
                        "tz": row["tz"], "provenance": row["when_provenance"]}
        item["provenance"] = row["provenance"]
        for col in ("description", "place", "event_key"):
            if row[col]:
                item[col] = row[col]
        for col in ("actors", "source_ids", "claim_ids", "after"):
            if row[col]:
                item[col] = row[col].split(LIST_SEP)
        if pd.notna(row["confidence"]):
            item["confidence"] = float(row["confidence"])
        events.append(item)
    doc = {"title": timeline.title, "events": events}
    out = Path(path)
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def _when_from_yaml(spec: Any, reference: Any, tz: str | None, label: str) -> When:
    if isinstance(spec, Mapping):
        if "earliest" in spec and "latest" in spec:
            earliest = pd.Timestamp(spec["earliest"]).to_pydatetime()
            latest = pd.Timestamp(spec["latest"]).to_pydatetime()
            return When(earliest, latest, Precision(spec.get("precision", "second")),
                        str(spec.get("text", "")), str(spec.get("tz", "UTC")),
                        str(spec.get("provenance", "")))
        spec = spec.get("text")
    if isinstance(spec, dt.datetime | dt.date):
        spec = spec.isoformat()
    if not isinstance(spec, str) or not spec.strip():
        raise TimelineError(f"event {label!r} has no usable 'when' (got {spec!r})")
    try:
        return parse_when(spec, reference=reference, tz=tz)
    except DateError as err:
        raise TimelineError(f"event {label!r}: {err}") from err


def read_yaml(path: str | Path) -> Timeline:
    """Read a YAML timeline (see the module docstring for the format)."""
    import yaml

    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise TimelineError(f"cannot read timeline YAML {path}: {err}") from err
    if isinstance(doc, list):
        doc = {"events": doc}
    if not isinstance(doc, Mapping) or not isinstance(doc.get("events"), list):
        raise TimelineError(f"{path}: expected a mapping with an 'events' list")
    defaults = doc.get("defaults") or {}
    resolved: dict[str, When] = {}
    events = []
    for number, raw in enumerate(doc["events"], start=1):
        if not isinstance(raw, Mapping) or "label" not in raw:
            raise TimelineError(f"{path}: event #{number} needs at least 'label' and 'when'")
        label = str(raw["label"])
        tz = raw.get("tz", defaults.get("tz"))
        reference = raw.get("reference", defaults.get("reference"))
        anchor = raw.get("relative_to")
        if anchor is not None:
            if str(anchor) not in resolved:
                raise TimelineError(
                    f"{path}: event {label!r} is relative_to {anchor!r}, which is not defined "
                    "above it; list the anchor event first")
            reference = resolved[str(anchor)]
            if "tz" not in raw:
                tz = None  # count in the anchor's own zone
        when = _when_from_yaml(raw.get("when"), reference, tz, label)
        fields: dict[str, Any] = {}
        for key, column in _LIST_FIELDS.items():
            if key in raw:
                value = raw[key]
                fields[column] = tuple(str(v) for v in value) if isinstance(value, list) \
                    else tuple(v.strip() for v in str(value).split(";") if v.strip())
        conf = raw.get("confidence")
        event = Event(
            label=label, when=when, kind=str(raw.get("kind", "reported")),
            place=str(raw.get("place", "")), event_key=str(raw.get("event_key", "")),
            confidence=None if conf is None else float(conf),
            description=str(raw.get("description", "")),
            provenance=str(raw.get("provenance", f"{Path(path).name} #{number}")),
            event_id=str(raw.get("id", "")), **fields,
        )
        resolved[event.event_id] = when
        events.append(event)
    return Timeline(events, title=str(doc.get("title", Path(path).stem)))


def load(path: str | Path) -> Timeline:
    """Dispatch on the suffix: .csv, .yaml/.yml, .jsonl (Timesketch)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    if suffix in (".jsonl", ".json"):
        from osint_kit.timeline.export import from_timesketch

        return from_timesketch(path)
    raise TimelineError(f"unknown timeline file type {suffix!r}: use .csv, .yaml or .jsonl")


def save(timeline: Timeline, path: str | Path) -> Path:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return write_csv(timeline, path)
    if suffix in (".yaml", ".yml"):
        return write_yaml(timeline, path)
    raise TimelineError(f"cannot save as {suffix!r}: use .csv or .yaml (exports: see export.py)")


__all__ = ["EVENT_COLUMNS", "load", "read_csv", "read_yaml", "save", "write_csv", "write_yaml"]
