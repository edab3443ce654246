"""Events derived from other records through a declarative map (plaso's timeliner idea).

Extraction keeps *every* timestamp of a record (the metadata scan has capture, digitise,
modify, GPS, IPTC and XMP times); the map in ``osint_kit/data/timeliner.yaml`` decides which
become timeline rows and under which description. A naive local time whose UTC offset is
unknown is never guessed: it becomes an interval widened by the full range of real offsets
(UTC-12..UTC+14) and its provenance says so.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from osint_kit.errors import DateError, TimelineError
from osint_kit.timeline.events import EVENT_COLUMNS, Timeline
from osint_kit.timeline.numeric import parse_iso
from osint_kit.timeline.when import UNKNOWN_TZ, Precision, When, tz_name

log = logging.getLogger(__name__)

_FIELD_RE = re.compile(r"\{(\w+)\}")
_IPTC_RE = re.compile(
    r"^(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[ T](?P<H>\d{2}):?(?P<M>\d{2}):?(?P<S>\d{2})(?P<z>[+-]\d{2}:?\d{2})?)?$"
)


def load_mapping(mapping: Mapping[str, Any] | str | Path | None = None) -> dict[str, Any]:
    """The timeliner map: a dict, a YAML file path, or None for the bundled default."""
    from osint_kit._structured import load_yaml, load_yaml_file

    if mapping is None:
        text = resources.files("osint_kit").joinpath("data/timeliner.yaml").read_text("utf-8")
        loaded = load_yaml(text, TimelineError, what="timeliner.yaml")
    elif isinstance(mapping, str | Path):
        loaded = load_yaml_file(mapping, TimelineError)
    else:
        return dict(mapping)
    if not isinstance(loaded, dict):
        raise TimelineError(f"timeliner map {mapping or 'timeliner.yaml'} is not a mapping")
    return loaded


def _fill(template: str, row: Mapping[Any, Any]) -> str:
    """Replace ``{column}`` by the row's value ("" for missing); no attribute access."""

    def value(match: re.Match[str]) -> str:
        item = row.get(match.group(1))
        if item is None or (isinstance(item, float) and item != item):
            return ""
        return str(item)

    return _FIELD_RE.sub(value, template)


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def value_to_when(
    value: Any, offset: str | None = None, subsec: str | None = None,
    assume_tz: str | None = None, fmt: str = "iso", what: str = "",
) -> When:
    """One recorded timestamp to a When, never guessing an unknown UTC offset."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return When.exact(value, text=value.isoformat(), provenance=f"{what}: aware value") \
                if value.microsecond else When.from_local(
                    value.replace(tzinfo=None), Precision.SECOND, tz_name(value.tzinfo),
                    value.isoformat(), f"{what}: aware value")
        value = value.isoformat()
    text = str(value).strip()
    if fmt == "iptc":
        m = _IPTC_RE.match(text)
        if not m:
            raise DateError(f"{what}: {text!r} is not an IPTC date (CCYYMMDD[ HHMMSS±HHMM])")
        g = m.groupdict()
        text = f"{g['y']}-{g['m']}-{g['d']}"
        if g["H"]:
            text += f"T{g['H']}:{g['M']}:{g['S']}"
            if g["z"]:
                text += g["z"] if ":" in g["z"] else f"{g['z'][:3]}:{g['z'][3:]}"
    if subsec and re.fullmatch(r"\d+", subsec.strip()) and re.search(r":\d{2}$", text[:19]) \
            and "." not in text:
        text = f"{text[:19]}.{subsec.strip()}{text[19:]}"
    has_offset = bool(re.search(r"(Z|[+-]\d{2}:?\d{2})$", text)) and len(text) > 10
    if has_offset:
        zone = "UTC"
        how = "offset in the value"
    elif offset and str(offset).strip():
        zone = str(offset).strip()
        how = f"offset {zone} from its offset column"
    elif assume_tz:
        zone = assume_tz
        how = f"read as {assume_tz} by the map"
    else:
        zone = UNKNOWN_TZ
        how = "no UTC offset recorded"
    when = parse_iso(text, zone)
    if when is None:
        raise DateError(f"{what}: {text!r} is not an ISO 8601 / EXIF timestamp")
    prov = f"{what}: {how}"
    if when.provenance:
        prov += f"; {when.provenance}"
    return When(when.earliest, when.latest, when.precision, text, when.tz, prov)


def events_from_records(
    df: pd.DataFrame,
    mapping: Mapping[str, Any] | str | Path | None = None,
    record_type: str = "image_scan",
    errors: str = "skip",
) -> Timeline:
    """Turn record rows (e.g. the metadata scan) into events, as the map says.

    ``mapping`` is the whole map (or a path / None for the bundled ``timeliner.yaml``);
    ``record_type`` picks its entry. Unreadable values are skipped with a log message
    (``errors="raise"`` raises :class:`TimelineError` instead).
    """
    full = load_mapping(mapping)
    spec = full.get(record_type, full if "timestamps" in full else None)
    if not isinstance(spec, Mapping) or not isinstance(spec.get("timestamps"), list):
        raise TimelineError(
            f"map has no record type {record_type!r} with a 'timestamps' list; "
            f"known: {sorted(k for k, v in full.items() if isinstance(v, Mapping))}")
    kind = str(spec.get("kind", "recorded"))
    skip_if = spec.get("skip_if")
    rows: list[dict[str, Any]] = []
    records = df.to_dict("records")
    for entry in spec["timestamps"]:
        column = str(entry["column"])
        if column not in df.columns:
            continue
        description = str(entry.get("description", column))
        what = f"{record_type}.{column} ({description})"
        for number, record in enumerate(records):
            value = record.get(column)
            if _empty(value) or (skip_if and not _empty(record.get(skip_if))):
                continue
            offset_col = entry.get("offset_column")
            subsec_col = entry.get("subsec_column")
            try:
                when = value_to_when(
                    value,
                    offset=None if not offset_col or _empty(record.get(offset_col))
                    else str(record[offset_col]),
                    subsec=None if not subsec_col or _empty(record.get(subsec_col))
                    else str(record[subsec_col]),
                    assume_tz=entry.get("assume_tz"), fmt=str(entry.get("format", "iso")),
                    what=what)
            except DateError as err:
                if errors == "raise":
                    raise TimelineError(f"row {number}: {err}") from err
                log.info("skipped %s in row %d: %s", column, number, err)
                continue
            context = {**record, "description": description, "timestamp": column}
            place = _fill(str(spec.get("place", "")), context).strip(",")
            rows.append({
                "event_id": _fill(str(spec.get("event_id", "")), context),
                "label": _fill(str(spec.get("label", "{description}")), context),
                "kind": kind, "earliest": when.earliest, "latest": when.latest,
                "precision": when.precision.value, "tz": when.tz, "when_text": when.text,
                "when_provenance": when.provenance, "description": description,
                "actors": _fill(str(spec.get("actors", "")), context),
                "place": place if place != "," else "",
                "source_ids": _fill(str(spec.get("source", "")), context),
                "event_key": _fill(str(spec.get("event_key", "")), context),
                "provenance": f"derived by timeliner map {record_type}.{column}",
            })
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS)) if rows else \
        pd.DataFrame({c: [] for c in EVENT_COLUMNS})
    if rows:
        dup = frame["event_id"].duplicated(keep=False) & (frame["event_id"] != "")
        frame.loc[dup, "event_id"] = ""  # identical files: let ids be re-derived per row
    return Timeline(frame, title=f"events from {record_type}")


__all__ = ["events_from_records", "load_mapping", "value_to_when"]
