"""Exports of one event table: TimelineJS3 JSON, Timesketch JSONL/CSV, and Timesketch import.

TimelineJS3 (https://timeline.knightlab.com/docs/json-format.html): ``{"title": slide,
"events": [slide, ...]}``; a slide has ``start_date`` (``year`` required, then ``month``,
``day``, ``hour``, ``minute``, ``second``, ``millisecond``), optional ``end_date``,
``text`` (``headline``, ``text``), ``group``, ``display_date``, ``unique_id`` and
``autolink``. A partial date fills only the fields it knows ("November 2022" -> year and
month), so TimelineJS shows it at its real precision; an interval that is not one whole
period (mid-November) also gets an ``end_date``. All text is HTML-escaped (TimelineJS renders
it as HTML) and ``autolink`` is false.

Timesketch (docs "Create timeline from JSON/JSONL/CSV file"): mandatory ``message``,
``datetime`` (ISO 8601) and ``timestamp_desc``; we also write ``timestamp`` (microseconds
since the epoch) and every event column as extra fields. ``datetime`` is the *start* of the
interval, written in the event's own UTC offset with microseconds when they are not zero; the
full interval stays in ``earliest``/``latest`` (UTC) and ``is_range``, so nothing is lost on
the way back through :func:`from_timesketch`. Text cells of the CSV go through
:mod:`osint_kit.safecsv` (a leading ``=``, ``+``, ``-``, ``@``, tab or CR gets a ``'`` so
spreadsheets show it as text; the import removes it again).

The import treats the file as hostile: a line nested deeper than Python can parse, a field
that is not a date, a zone, a precision or a number, or a CSV field of any length gives a
:class:`~osint_kit.errors.TimelineError` naming the file and line, never another exception.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from osint_kit import safecsv
from osint_kit.errors import DateError, OsintKitError, TimelineError
from osint_kit.timeline.events import KINDS, Event, Timeline
from osint_kit.timeline.filter import lane_values
from osint_kit.timeline.parse import parse_when
from osint_kit.timeline.when import (
    UNKNOWN_TZ,
    UTC,
    Precision,
    When,
    get_tz,
    period_bounds,
)

#: Mandatory Timesketch fields, in the order written.
TIMESKETCH_REQUIRED: tuple[str, ...] = ("message", "datetime", "timestamp_desc")
TIMESKETCH_EXTRA: tuple[str, ...] = (
    "timestamp", "event_id", "label", "kind", "earliest", "latest", "is_range", "precision",
    "tz", "when_text", "when_provenance", "description", "actors", "place", "source_ids",
    "claim_ids", "event_key", "after", "confidence", "provenance",
)
_FIELDS = ("year", "month", "day", "hour", "minute", "second")
_DEPTH = {Precision.YEAR: 1, Precision.MONTH: 2, Precision.WEEK: 3, Precision.DAY: 3,
          Precision.HOUR: 4, Precision.MINUTE: 5, Precision.SECOND: 6}


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _zone(name: str) -> dt.tzinfo:
    return UTC if name in ("", UNKNOWN_TZ) else get_tz(name)


def _tl_date(value: dt.datetime, precision: Precision, exact: bool) -> dict[str, int]:
    parts = [value.year, value.month, value.day, value.hour, value.minute, value.second]
    out = dict(zip(_FIELDS[: _DEPTH[precision]], parts[: _DEPTH[precision]], strict=True))
    if exact and value.microsecond:
        out["millisecond"] = value.microsecond // 1000
    return out


def _slide_id(event_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", event_id)[:80] or "event"


def to_timelinejs(
    timeline: Timeline, lane: str = "kind", title: str | None = None, tz: str | None = None
) -> dict[str, Any]:
    """A TimelineJS3 JSON document (a dict; ``json.dumps`` it) of the timeline.

    ``lane`` picks the TimelineJS ``group`` (source, actor, kind...); ``tz`` the display zone
    (default: each event's own zone, UTC where it is unknown).
    """
    df = timeline.sort().df
    groups = lane_values(df, lane) if len(df) else pd.Series([], dtype=str)
    slides = []
    for row, group in zip(df.to_dict("records"), groups, strict=True):
        event = Event.from_record(row)
        when = event.when
        zone_name = tz or (when.tz if when.tz != UNKNOWN_TZ else "UTC")
        start, last = when.local(zone_name)
        slide: dict[str, Any] = {
            "start_date": _tl_date(start, when.precision, when.is_exact),
            "text": {
                "headline": _esc(event.label),
                "text": _esc(_slide_text(event)),
            },
            "group": _esc(group),
            "display_date": _esc(f"{when.text} — {when.describe()}" if when.text
                                 else when.describe()),
            "unique_id": _slide_id(event.event_id),
            "autolink": False,
        }
        if not when.is_exact:
            p_start, p_end = period_bounds(start, when.precision)
            one_period = when.precision is not Precision.WEEK and (
                p_start == start.replace(tzinfo=None)
                and (p_end - dt.timedelta(microseconds=1)) == last.replace(tzinfo=None))
            if not one_period:
                slide["end_date"] = _tl_date(last, when.precision, False)
        slides.append(slide)
    doc: dict[str, Any] = {"events": slides, "scale": "human"}
    heading = title if title is not None else timeline.title
    if heading:
        doc["title"] = {"text": {"headline": _esc(heading),
                                 "text": _esc(f"{len(slides)} events; uncertain dates shown "
                                              "as ranges at their stated precision")}}
    return doc


def _slide_text(event: Event) -> str:
    bits = [event.description, f"kind: {event.kind}"]
    if event.actors:
        bits.append("actors: " + ", ".join(event.actors))
    if event.place:
        bits.append(f"place: {event.place}")
    if event.source_ids:
        bits.append("sources: " + ", ".join(event.source_ids))
    bits.append(f"date: {event.when.provenance}")
    return " | ".join(b for b in bits if b)


# --- Timesketch --------------------------------------------------------------------------------


def _ts_datetime(when: When) -> str:
    local = when.earliest.astimezone(_zone(when.tz))
    return local.isoformat()


def timesketch_records(timeline: Timeline) -> Iterator[dict[str, Any]]:
    """One Timesketch record (dict) per event, in timeline order."""
    for row in timeline.df.to_dict("records"):
        event = Event.from_record(row)
        when = event.when
        stamp = when.earliest - dt.datetime(1970, 1, 1, tzinfo=UTC)
        record: dict[str, Any] = {
            "message": event.label,
            "datetime": _ts_datetime(when),
            "timestamp_desc": event.description or event.kind,
            "timestamp": stamp // dt.timedelta(microseconds=1),
            "event_id": event.event_id, "label": event.label, "kind": event.kind,
            "earliest": when.earliest.isoformat(), "latest": when.latest.isoformat(),
            "is_range": not when.is_exact, "precision": when.precision.value,
            "tz": when.tz, "when_text": when.text, "when_provenance": when.provenance,
            "description": event.description, "actors": row["actors"], "place": event.place,
            "source_ids": row["source_ids"], "claim_ids": row["claim_ids"],
            "event_key": event.event_key, "after": row["after"],
            "confidence": "" if event.confidence is None else event.confidence,
            "provenance": event.provenance,
        }
        yield record


def to_timesketch_jsonl(timeline: Timeline, path: str | Path) -> Path:
    """Write Timesketch JSONL (one JSON object per line, UTF-8)."""
    out = Path(path)
    with out.open("w", encoding="utf-8") as fh:
        for record in timesketch_records(timeline):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def to_timesketch_csv(timeline: Timeline, path: str | Path) -> Path:
    """Write Timesketch CSV (header line first, mandatory columns first)."""
    out = Path(path)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*TIMESKETCH_REQUIRED, *TIMESKETCH_EXTRA])
        writer.writeheader()
        for record in timesketch_records(timeline):
            writer.writerow({k: safecsv.neutralise(v) for k, v in record.items()})
    return out


def _read_records(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as fh, safecsv.long_fields():
                try:
                    for number, row in enumerate(csv.DictReader(fh), start=2):
                        yield number, {safecsv.restore(k): safecsv.restore(v)
                                       for k, v in row.items()}
                except csv.Error as err:
                    raise TimelineError(f"{path}: not a readable CSV ({err})") from err
            return
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as err:
                    reason = "nested too deeply" if isinstance(err, RecursionError) else err
                    raise TimelineError(f"{path}:{number}: not JSON ({reason})") from None
                if not isinstance(record, dict):
                    raise TimelineError(f"{path}:{number}: expected a JSON object per line")
                yield number, record
    except (OSError, UnicodeDecodeError) as err:
        raise TimelineError(f"cannot read {path}: {err}") from err


def _when_from_record(record: Mapping[str, Any], where: str) -> When:
    text = str(record.get("when_text") or "")
    if record.get("earliest") and record.get("latest"):
        zone = str(record.get("tz") or "UTC")
        if zone != UNKNOWN_TZ:
            get_tz(zone)  # DateError for a zone no export could write back
        return When(
            dt.datetime.fromisoformat(str(record["earliest"])),
            dt.datetime.fromisoformat(str(record["latest"])),
            Precision(str(record.get("precision") or "second")),
            text, zone, str(record.get("when_provenance") or ""),
        )
    raw = str(record["datetime"]).strip()
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        try:
            return parse_when(raw, tz="UTC")
        except DateError as err:
            raise TimelineError(f"{where}: datetime {raw!r} is not ISO 8601: {err}") from err
    if value.tzinfo is None:
        return When.exact(value.replace(tzinfo=UTC), text=raw,
                          provenance="Timesketch datetime without offset: read as UTC")
    when = When.exact(value, text=text or raw, provenance="Timesketch datetime")
    zone = str(record.get("tz") or "")
    if zone and zone != when.tz:
        try:
            info: dt.tzinfo | None = get_tz(zone)
        except DateError:
            info = None
        if info is not None and value.astimezone(info).utcoffset() == value.utcoffset():
            when = replace(when, tz=zone)
    return when


def from_timesketch(path: str | Path) -> Timeline:
    """Read a Timesketch JSONL or CSV file (ours or anyone's) back into a Timeline."""
    source = Path(path)
    events = []
    for number, record in _read_records(source):
        where = f"{source}:{number}"
        try:
            events.append(_event_from_record(record, source, number, where))
        except OsintKitError as err:
            if str(err).startswith(where):
                raise
            raise TimelineError(f"{where}: {err}") from err
        except (ValueError, TypeError, OverflowError, RecursionError) as err:
            raise TimelineError(
                f"{where}: a field holds a value the import cannot use "
                f"({type(err).__name__}: {str(err)[:200]}); fix or remove that line") from None
    try:
        return Timeline(events, title=source.stem)
    except OsintKitError as err:  # e.g. two lines with the same event_id
        raise TimelineError(f"{source}: {err}") from err


def _event_from_record(record: Mapping[str, Any], source: Path, number: int,
                       where: str) -> Event:
    """One Timesketch record as an Event (any malformed field raises; the caller names it)."""
    missing = [f for f in TIMESKETCH_REQUIRED if not str(record.get(f) or "")]
    if missing:
        raise TimelineError(f"{where}: missing mandatory Timesketch field(s) {missing}")
    when = _when_from_record(record, where)
    kind = str(record.get("kind") or "recorded")
    conf = record.get("confidence")
    return Event(
        label=str(record.get("label") or record["message"]), when=when,
        kind=kind if kind in KINDS else "recorded",
        actors=str(record.get("actors") or ""),  # type: ignore[arg-type]
        place=str(record.get("place") or ""),
        source_ids=str(record.get("source_ids") or ""),  # type: ignore[arg-type]
        claim_ids=str(record.get("claim_ids") or ""),  # type: ignore[arg-type]
        event_key=str(record.get("event_key") or ""),
        after=str(record.get("after") or ""),  # type: ignore[arg-type]
        confidence=None if conf in (None, "") else float(conf),
        description=str(record.get("description") or record["timestamp_desc"]),
        provenance=str(record.get("provenance") or f"imported from {source.name}:{number}"),
        event_id=str(record.get("event_id") or ""),
    )


def to_csv(timeline: Timeline, path: str | Path) -> Path:
    """The plain event table as CSV (same as :meth:`Timeline.to_csv`)."""
    from osint_kit.timeline.io import write_csv

    return write_csv(timeline, path)
