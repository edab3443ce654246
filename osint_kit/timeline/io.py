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

from osint_kit._structured import load_yaml_file
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
    df.to_csv(out, index=False, encoding="utf-8")
    return out


def read_csv(path: str | Path) -> Timeline:
    """Read a CSV written by :func:`write_csv` (or any CSV with label/earliest/latest)."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise TimelineError(f"cannot read timeline CSV {path}: {err}") from err
    return Timeline(df, title=Path(path).stem)


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


_SCALAR = (str, int, float, dt.date)


def _text(raw: Mapping[str, Any], key: str, default: str, where: str) -> str:
    """A text field of a YAML event: a scalar (numbers and dates are written out)."""
    value = raw.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, _SCALAR):
        raise TimelineError(f"{where}: '{key}' must be text, got {type(value).__name__}")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _when_from_yaml(spec: Any, reference: Any, tz: str | None, label: str) -> When:
    where = f"event {label!r}"
    if isinstance(spec, Mapping):
        if "earliest" in spec and "latest" in spec:
            try:
                earliest = pd.Timestamp(_text(spec, "earliest", "", where)).to_pydatetime()
                latest = pd.Timestamp(_text(spec, "latest", "", where)).to_pydatetime()
                precision = Precision(_text(spec, "precision", "second", where))
                return When(earliest, latest, precision, _text(spec, "text", "", where),
                            _text(spec, "tz", "UTC", where),
                            _text(spec, "provenance", "", where))
            except (ValueError, TypeError, OverflowError, DateError) as err:
                raise TimelineError(f"{where}: its 'when' interval is not valid ({err})") \
                    from err
        spec = spec.get("text")
    if isinstance(spec, dt.datetime | dt.date):
        spec = spec.isoformat()
    if not isinstance(spec, str) or not spec.strip():
        raise TimelineError(f"{where} has no usable 'when' (got {type(spec).__name__})")
    try:
        return parse_when(spec, reference=reference, tz=tz)
    except DateError as err:
        raise TimelineError(f"{where}: {err}") from err


def _reference(value: Any, where: str) -> Any:
    if value is None or isinstance(value, When | dt.date | str):
        return value
    raise TimelineError(f"{where}: 'reference' must be a date, got {type(value).__name__}")


def read_yaml(path: str | Path) -> Timeline:
    """Read a YAML timeline (see the module docstring for the format).

    The file goes through the kit's safe YAML loader (no aliases, bounded size, nodes and
    depth) and every field is type-checked here, so a bad file fails now, not when shown.
    """
    doc = load_yaml_file(path, TimelineError)
    if isinstance(doc, list):
        doc = {"events": doc}
    if not isinstance(doc, Mapping) or not isinstance(doc.get("events"), list):
        raise TimelineError(f"{path}: expected a mapping with an 'events' list")
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise TimelineError(f"{path}: 'defaults' must be a mapping (tz, reference)")
    resolved: dict[str, When] = {}
    events = []
    for number, raw in enumerate(doc["events"], start=1):
        if not isinstance(raw, Mapping) or "label" not in raw:
            raise TimelineError(f"{path}: event #{number} needs at least 'label' and 'when'")
        where = f"{path}: event #{number}"
        label = _text(raw, "label", "", where)
        tz: str | None = (_text(raw, "tz", "", where) if "tz" in raw
                          else _text(defaults, "tz", "", where)) or None
        reference = _reference(raw.get("reference", defaults.get("reference")), where)
        anchor = raw.get("relative_to")
        if anchor is not None:
            anchor = _text(raw, "relative_to", "", where)
            if anchor not in resolved:
                raise TimelineError(
                    f"{path}: event {label!r} is relative_to {anchor!r}, which is not defined "
                    "above it; list the anchor event first")
            reference = resolved[anchor]
            if "tz" not in raw:
                tz = None  # count in the anchor's own zone
        when = _when_from_yaml(raw.get("when"), reference, tz, label)
        fields: dict[str, Any] = {}
        for key, column in _LIST_FIELDS.items():
            if key in raw:
                value = raw[key]
                if isinstance(value, list):
                    if not all(isinstance(v, _SCALAR) and not isinstance(v, bool)
                               for v in value):
                        raise TimelineError(f"{where}: '{key}' must be a list of ids")
                    fields[column] = tuple(str(v) for v in value)
                else:
                    text = _text(raw, key, "", where)
                    fields[column] = tuple(v.strip() for v in text.split(";") if v.strip())
        conf = raw.get("confidence")
        if conf is not None and (isinstance(conf, bool) or not isinstance(conf, int | float)):
            raise TimelineError(f"{where}: 'confidence' must be a number 0..1, got {conf!r:.40}")
        event = Event(
            label=label, when=when, kind=_text(raw, "kind", "reported", where),
            place=_text(raw, "place", "", where),
            event_key=_text(raw, "event_key", "", where),
            confidence=None if conf is None else float(conf),
            description=_text(raw, "description", "", where),
            provenance=_text(raw, "provenance", f"{Path(path).name} #{number}", where),
            event_id=_text(raw, "id", "", where), **fields,
        )
        resolved[event.event_id] = when
        events.append(event)
    return Timeline(events, title=_text(doc, "title", Path(path).stem, str(path)))


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
