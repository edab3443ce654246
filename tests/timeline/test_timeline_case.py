"""The worked case: "Friday" and "last month" against the right and the wrong reference.

The article's Polish original was not found; its date is believed (CASE_FACTS section 5,
[B]) to be 20 or 21 January 2023, and we read against the later, Saturday 21 January 2023,
the day after the Friday briefing; the aggregator's page header shows Monday 26 February 2024. We read the
Polish-origin article in Europe/Warsaw. Against the publication date, "Friday" is 20 January
2023 and "last month" December 2022 (Kirby's 22 December statement); against the header date
they become 23 February 2024 and January 2024, which no other source supports.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from osint_kit.timeline import Event, Timeline, parse_when

PUBLISHED = dt.date(2023, 1, 21)
TZ = "Europe/Warsaw"


def _day(when_text: str, reference: object) -> dt.date:
    when = parse_when(when_text, reference=reference, tz=TZ)  # type: ignore[arg-type]
    return when.local()[0].date()


def test_right_reference() -> None:
    friday = parse_when("Friday", reference=PUBLISHED, tz=TZ)
    assert friday.local()[0].date() == dt.date(2023, 1, 20)
    assert friday.local()[0].weekday() == 4
    last_month = parse_when("last month", reference=PUBLISHED, tz=TZ)
    start, end = last_month.local()
    assert (start.date(), end.date()) == (dt.date(2022, 12, 1), dt.date(2022, 12, 31))
    kirby_statement = parse_when("22 December 2022", tz="America/New_York")
    assert last_month.overlaps(kirby_statement)
    assert "2023-01-21" in friday.provenance


def test_wrong_reference_from_the_page_header(case_dir: Path) -> None:
    text = (case_dir / "article_capture.txt").read_text(encoding="utf-8")
    header = re.search(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), "
                       r"\w+ \d{1,2}, \d{4}", text)
    assert header is not None
    header_when = parse_when(header.group(0), tz=TZ)
    assert header_when.local()[0].date() == dt.date(2024, 2, 26)
    assert _day("Friday", header_when) == dt.date(2024, 2, 23)
    wrong_month = parse_when("last month", reference=header_when, tz=TZ)
    assert wrong_month.local()[0].date() == dt.date(2024, 1, 1)
    # The wrong answer is thirteen months away from the briefing every other source dates.
    briefing = parse_when("Friday", reference=PUBLISHED, tz=TZ)
    assert not briefing.overlaps(parse_when("Friday", reference=header_when, tz=TZ))


def test_article_words_resolve_against_publication(case_dir: Path) -> None:
    text = (case_dir / "article_capture.txt").read_text(encoding="utf-8")
    assert "on Friday" in text and "Last month" in text and "mid-November" in text
    assert _day("on Friday", PUBLISHED) == dt.date(2023, 1, 20)
    mid = parse_when("mid-November", reference=PUBLISHED, tz=TZ)
    photos = parse_when("November 18, 2022", tz="Asia/Pyongyang")
    assert mid.overlaps(photos)


def case_timeline() -> Timeline:
    """A small case-like timeline (also used by the export tests)."""
    pub = parse_when(PUBLISHED.isoformat(), tz=TZ)
    cars_in = parse_when("November 18, 2022", tz="Asia/Pyongyang")
    return Timeline([
        Event("Five Russian railcars enter North Korea", cars_in, kind="reported",
              actors=("Russia", "North Korea"), place="Tumangang (secondary sources)",
              source_ids=("kirby-briefing",), claim_ids=("rail-18nov",), event_id="cars-in"),
        Event("Cars loaded with containers; train returns", parse_when(
            "the next day", reference=cars_in), kind="reported", source_ids=("kirby-briefing",),
            after=("cars-in",), event_id="cars-out"),
        Event("Kirby: North Korea delivered arms to Wagner", parse_when(
            "last month", reference=PUBLISHED, tz=TZ), kind="claimed", actors=("John Kirby",),
            source_ids=("polishnews",), event_key="kirby-dec", event_id="last-month"),
        Event("Kirby statement (Reuters)", parse_when("22 December 2022",
              tz="America/New_York"), kind="reported", source_ids=("reuters",),
              event_key="kirby-dec", event_id="reuters-dec"),
        Event("White House briefing shows <satellite> images & maps", parse_when(
            "Friday", reference=PUBLISHED, tz=TZ), kind="published",
            source_ids=("polishnews",), event_id="briefing", confidence=0.9),
        Event("Article published", pub, kind="published", source_ids=("polishnews",),
              event_id="published", after=("briefing",)),
        Event("Page captured by the aggregator", parse_when(
            "Monday, February 26, 2024", tz=TZ), kind="captured", source_ids=("polishnews",),
            event_id="captured"),
    ], title="North Korean rail cars and Wagner")


def test_case_timeline_has_no_conflicts() -> None:
    assert case_timeline().conflicts().empty


def test_wrong_reference_creates_a_conflict() -> None:
    tl = case_timeline()
    wrong = Event("Kirby (read against the header date)", parse_when(
        "last month", reference=dt.date(2024, 2, 26), tz=TZ), kind="claimed",
        source_ids=("polishnews",), event_key="kirby-dec", event_id="last-month-wrong")
    conflicts = tl.add(wrong).conflicts()
    assert list(conflicts["conflict"]) == ["no_overlap"]
    assert set(conflicts.iloc[0][["event_id", "other_event_id"]]) >= {"last-month-wrong"}


@pytest.mark.parametrize("text", ["w piątek", "piątek"])
def test_polish_friday(text: str) -> None:
    assert _day(text, PUBLISHED) == dt.date(2023, 1, 20)
    assert _day(text, dt.date(2024, 2, 26)) == dt.date(2024, 2, 23)
