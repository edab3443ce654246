"""TimelineJS3 JSON shape, Timesketch JSONL/CSV fields, import back."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from osint_kit.errors import TimelineError
from osint_kit.timeline import Event, Timeline, When, parse_when
from osint_kit.timeline.export import TIMESKETCH_REQUIRED

DATA = Path(__file__).parent / "data"

# The documented TimelineJS3 JSON format (timeline.knightlab.com/docs/json-format.html):
# a timeline object with a required "events" list of slides; optional title slide, eras and
# scale; a slide needs start_date (except the title); a date needs year.
_DATE = {
    "type": "object",
    "required": ["year"],
    "properties": {
        "year": {"type": ["integer", "string"]},
        "month": {"type": ["integer", "string"]},
        "day": {"type": ["integer", "string"]},
        "hour": {"type": ["integer", "string"]},
        "minute": {"type": ["integer", "string"]},
        "second": {"type": ["integer", "string"]},
        "millisecond": {"type": ["integer", "string"]},
        "display_date": {"type": "string"},
    },
    "additionalProperties": False,
}
_TEXT = {"type": "object", "properties": {"headline": {"type": "string"},
                                          "text": {"type": "string"}},
         "additionalProperties": False}
_SLIDE_PROPS = {
    "start_date": _DATE, "end_date": _DATE, "text": _TEXT,
    "media": {"type": "object", "required": ["url"]},
    "group": {"type": "string"}, "display_date": {"type": "string"},
    "background": {"type": "object"}, "autolink": {"type": "boolean"},
    "unique_id": {"type": "string"},
}
TIMELINEJS3_SCHEMA = {
    "type": "object",
    "required": ["events"],
    "properties": {
        "events": {"type": "array", "items": {
            "type": "object", "required": ["start_date"], "properties": _SLIDE_PROPS,
            "additionalProperties": False}},
        "title": {"type": "object", "properties": _SLIDE_PROPS, "additionalProperties": False},
        "eras": {"type": "array"},
        "scale": {"enum": ["human", "cosmological"]},
    },
    "additionalProperties": False,
}


def case() -> Timeline:
    return Timeline.load(DATA / "case_timeline.yaml")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_timelinejs_matches_documented_shape() -> None:
    doc = case().to_timelinejs(lane="source")
    jsonschema.validate(doc, TIMELINEJS3_SCHEMA)
    json.dumps(doc)  # serialisable
    assert len(doc["events"]) == 8
    assert all(slide["autolink"] is False for slide in doc["events"])
    assert doc["title"]["text"]["headline"].startswith("North Korean")


def test_timelinejs_partial_dates_and_ranges() -> None:
    slides = {s["unique_id"]: s for s in case().to_timelinejs()["events"]}
    assert slides["last-month"]["start_date"] == {"year": 2022, "month": 12}
    assert "end_date" not in slides["last-month"]
    assert slides["briefing"]["start_date"] == {"year": 2023, "month": 1, "day": 20}
    mid = Timeline([Event("m", parse_when("mid-November 2022"), event_id="m")])
    slide = mid.to_timelinejs()["events"][0]
    assert slide["start_date"] == {"year": 2022, "month": 11, "day": 11}
    assert slide["end_date"] == {"year": 2022, "month": 11, "day": 20}
    week = Timeline([Event("w", parse_when("last week", reference=dt.date(2023, 1, 21)),
                           event_id="w")]).to_timelinejs()["events"][0]
    assert week["start_date"] == {"year": 2023, "month": 1, "day": 9}
    assert week["end_date"] == {"year": 2023, "month": 1, "day": 15}
    exact = Timeline([Event("x", When.exact(dt.datetime(2022, 11, 18, 10, 30, 5, 250000,
                                                        tzinfo=dt.UTC)), event_id="x")])
    assert exact.to_timelinejs()["events"][0]["start_date"] == {
        "year": 2022, "month": 11, "day": 18, "hour": 10, "minute": 30, "second": 5,
        "millisecond": 250}


def test_timelinejs_escapes_all_text() -> None:
    evil = Event('<img src=x onerror="alert(1)"> http://example.org', parse_when("2022"),
                 description="<b>bold</b>", source_ids=("<script>",), event_id="e<1>")
    doc = Timeline([evil], title="<title>").to_timelinejs(lane="source")
    for text in _strings(doc):
        assert "<" not in text and ">" not in text and '"' not in text
    slide = doc["events"][0]
    assert "&lt;img" in slide["text"]["headline"]
    assert slide["autolink"] is False
    assert slide["unique_id"] == "e-1-"


def test_timesketch_jsonl_required_fields(tmp_path: Path) -> None:
    path = case().to_timesketch_jsonl(tmp_path / "case.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 8
    for record in records:
        for field in TIMESKETCH_REQUIRED:
            assert isinstance(record[field], str) and record[field]
        stamp = dt.datetime.fromisoformat(record["datetime"])
        assert stamp.utcoffset() is not None  # ISO 8601 with offset
        assert record["timestamp"] == int(stamp.timestamp() * 1_000_000)
        assert record["is_range"] is True
        assert dt.datetime.fromisoformat(record["earliest"]) == stamp
    briefing = next(r for r in records if r["event_id"] == "briefing")
    assert briefing["datetime"] == "2023-01-20T00:00:00+01:00"
    assert briefing["latest"] == "2023-01-20T22:59:59.999999+00:00"


def test_timesketch_round_trips(tmp_path: Path) -> None:
    tl = case()
    for name, writer in (("a.jsonl", tl.to_timesketch_jsonl), ("a.csv", tl.to_timesketch_csv)):
        back = Timeline.from_timesketch(writer(tmp_path / name))
        cols = ["event_id", "label", "earliest", "latest", "precision", "tz", "kind",
                "source_ids", "after", "event_key"]
        assert back.df[cols].equals(tl.df[cols]), name


def test_timesketch_csv_header(tmp_path: Path) -> None:
    path = case().to_timesketch_csv(tmp_path / "case.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
    assert header[:3] == list(TIMESKETCH_REQUIRED)


def test_foreign_timesketch_import(tmp_path: Path) -> None:
    path = tmp_path / "foreign.csv"
    path.write_text("message,timestamp,datetime,timestamp_desc,extra_field_1\n"
                    "A message,1331698658276340,2015-07-24T19:01:01+00:00,Write time,foo\n"
                    "B,0,2015-07-24T19:01:01.5+05:30,Write time,bar\n", encoding="utf-8")
    tl = Timeline.from_timesketch(path)
    first, second = tl.events()
    assert first.when.earliest == dt.datetime(2015, 7, 24, 19, 1, 1, tzinfo=dt.UTC)
    assert first.kind == "recorded" and first.description == "Write time"
    assert second.when.tz == "+05:30" and second.when.earliest.microsecond == 500000


def test_timesketch_missing_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"message": "m", "datetime": "2020-01-01T00:00:00Z"}) + "\n",
                    encoding="utf-8")
    with pytest.raises(TimelineError, match="timestamp_desc"):
        Timeline.from_timesketch(path)
    path.write_text("not json\n", encoding="utf-8")
    with pytest.raises(TimelineError, match="not JSON"):
        Timeline.from_timesketch(path)


def test_plain_csv_export(tmp_path: Path) -> None:
    from osint_kit.timeline.export import to_csv

    path = to_csv(case(), tmp_path / "plain.csv")
    assert Timeline.load(path).df.equals(case().df)
