"""osint_kit.timeline: uncertain dates, events, the timeline, conflicts and exports.

``from osint_kit.timeline import When, Precision, parse_when, Event, Timeline``. Everything
here is pure (no display); plots and the widget live in :mod:`osint_kit.display.timeline`.
"""

from __future__ import annotations

from osint_kit.timeline.derive import events_from_records
from osint_kit.timeline.events import (
    CONFLICT_COLUMNS,
    EVENT_COLUMNS,
    KINDS,
    Event,
    Timeline,
    find_conflicts,
)
from osint_kit.timeline.filter import filter_events, lane_values
from osint_kit.timeline.parse import parse_when
from osint_kit.timeline.when import Precision, When

__all__ = [
    "CONFLICT_COLUMNS",
    "EVENT_COLUMNS",
    "KINDS",
    "Event",
    "Precision",
    "Timeline",
    "When",
    "events_from_records",
    "filter_events",
    "find_conflicts",
    "lane_values",
    "parse_when",
]
