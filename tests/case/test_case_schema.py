"""The case tables hold every field of the domain records they store, nothing dropped.

``osint_kit/case/schema.py`` declares the columns (so that opening a case does not import
pandas through the domain packages); these tests fail when a field is added to a domain
record without the case following, where ``Case.add`` would otherwise drop it silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from pathlib import Path
from typing import Any

from osint_kit.case import Case
from osint_kit.case.report.model import domain_records
from osint_kit.case.schema import columns
from osint_kit.media.forensics.model import Finding
from osint_kit.sources.models import Claim, Proposition, Source
from osint_kit.timeline import Event, Timeline, parse_when
from osint_kit.timeline.events import EVENT_COLUMNS


def _names(record: Any) -> list[str]:
    return [f.name for f in fields(record)]


def test_case_columns_are_the_domain_fields() -> None:
    assert list(columns("sources")) == _names(Source)
    assert list(columns("claims")) == _names(Claim)
    # a case also records where a proposition stands in the investigation
    assert [c for c in columns("propositions") if c != "status"] == _names(Proposition)
    assert EVENT_COLUMNS[0] == "event_id"
    assert list(columns("events")) == ["id", *EVENT_COLUMNS[1:], "evidence_id"]
    finding = [c for c in _names(Finding) if c != "path"]  # the evidence item says which file
    assert list(columns("findings")) == ["id", "evidence_id", *finding, "origin"]


def _every_field_set(record: Any) -> Any:
    unset = [f.name for f in fields(record) if getattr(record, f.name) == f.default]
    assert unset == [], f"set {unset} in this test too (and check the case keeps them)"
    return record


def test_domain_records_round_trip_through_a_case(tmp_path: Path) -> None:
    source = _every_field_set(Source(
        "S9", title="Wire", publisher="Agency", author="A. Writer", party="Ministry X",
        url="https://example.org/a", kind="wire", language="en", published="2022-11-18",
        captured_at="2022-11-19T10:00:00+00:00", cites=("S7",), copies=("S8",),
        reliability="B", credibility=2, content_hash="ab" * 32, notes="seen"))
    proposition = _every_field_set(Proposition(
        "P9", statement="It happened.", when="18 November 2022", where="Tumangang",
        notes="open"))
    claim = _every_field_set(Claim(
        "C9", "S9", text="it happened", claimant="spokesman", proposition_id="P9",
        stance="supports", is_quote=True, stated="21 January 2023", about="18 November",
        where="the bridge", origin_id="S7", confirmed=True, provenance="line 4",
        notes="checked"))
    when = parse_when("2022-11-18 10:30", tz="Asia/Pyongyang")
    event = _every_field_set(Event(
        "cars in", when, kind="claimed", actors=("US government",), place="bridge",
        source_ids=("S9",), claim_ids=("C9",), event_key="proposition:P9", after=("E0",),
        confidence=0.7, description="five cars", provenance="claim C9", event_id="E9"))
    with Case.create(tmp_path / "case", title="round trip") as case:
        case.add_source(source)
        case.add_proposition(proposition)
        case.add_claim(claim)
        case.add_event(event)
        srcs, clms, props = domain_records(case.table("sources"), case.table("claims"),
                                           case.table("propositions"))
        events = case.table("events").rename(columns={"id": "event_id"})
    assert (srcs, clms, props) == ([source], [claim], [proposition])
    back = Timeline(events.drop(columns=["evidence_id"])).events()
    assert back == [event]
    assert back[0].when.earliest == when.earliest.astimezone(dt.UTC)
