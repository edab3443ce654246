"""The worked case's aggregator capture: boilerplate, header date, captions, quotes, dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from osint_kit.sources import ingest_text, propose_claims, translation_artefacts
from osint_kit.sources.capture.records import BOILERPLATE, CAPTION, PAGE_DATE, TITLE, Capture


@pytest.fixture(scope="module")
def case_text(case_dir: Path) -> str:
    return (case_dir / "article_capture.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def capture(case_text: str) -> Capture:
    return ingest_text(case_text)


def test_boilerplate_lines_found_with_reasons(capture: Capture) -> None:
    bp = {ln.text: ln.reason for ln in capture.boilerplate}
    for text in ("Must read", "- Advertisement -", "Source link", "More articles",
                 "Latest article", "6.4 C"):
        assert text in bp, text
        assert bp[text], f"no reason given for {text!r}"
    ads = [ln for ln in capture.lines if ln.text == "- Advertisement -"]
    assert len(ads) == 3 and all(ln.role == BOILERPLATE for ln in ads)
    assert "weather" in bp["6.4 C"]
    # no article sentence was thrown away
    assert all(len(ln.text) < 40 for ln in capture.boilerplate)
    assert "Wagner ships" in capture.main_text
    assert "Advertisement" not in capture.main_text


def test_header_date_kept_apart_from_publication(capture: Capture) -> None:
    assert capture.page_date is not None
    assert capture.page_date.text == "Monday, February 26, 2024"
    assert capture.page_date.role == PAGE_DATE
    assert capture.published is None  # never taken from the header
    line = next(ln for ln in capture.lines if ln.text == "Monday, February 26, 2024")
    assert line.role == PAGE_DATE and "not the publication date" in line.reason


def test_title(capture: Capture) -> None:
    assert capture.title is not None and capture.title.startswith("USA. Wagons with ammunition")
    assert [ln.role for ln in capture.lines if ln.role == TITLE] == [TITLE]


def test_both_captions_and_credits_split(capture: Capture) -> None:
    got = {(c.caption, c.credit) for c in capture.captions}
    assert got == {
        ("John Kirby at a press conference", "PAP/EPA/MICHAEL REYNOLDS"),
        ("Russian wagons with ammunition transport from North Korea", "Reuters"),
    }
    assert all(ln.role == CAPTION for ln in capture.lines if ln.text.endswith("Reuters"))
    assert "press conferencePAP" not in capture.main_text


def test_quotations_attributed(capture: Capture) -> None:
    quotes = {q.text[:20]: q for q in capture.quotations}
    kirby = quotes["While we assess that"]
    assert kirby.speaker is not None and "Kirby" in kirby.speaker
    assert "pronoun" in kirby.attribution
    prig = quotes["rumors and speculati"]
    assert prig.speaker is not None and "Prigozhin" in prig.speaker


def test_every_date_expression_found(capture: Capture) -> None:
    texts = [d.text for d in capture.dates]
    assert texts == ["Monday, February 26, 2024", "Friday", "mid-November",
                     "November 18, 2022", "November 19", "Last month"]
    friday = capture.dates[1]
    assert "on Friday released" in friday.context and friday.line == 10


def test_dates_resolved_against_a_reference_the_user_chooses(capture: Capture) -> None:
    resolved = capture.resolve_dates(dt.date(2023, 1, 21), tz="Europe/Warsaw")
    by_text = {d.text: d for d in resolved.dates}
    friday = by_text["Friday"].when
    assert friday is not None
    assert friday.earliest.astimezone(dt.UTC).date() in (dt.date(2023, 1, 19),
                                                          dt.date(2023, 1, 20))
    last_month = by_text["Last month"].when
    assert last_month is not None and "2023-01-21" in last_month.provenance
    # without a reference the relative ones say what is missing, nothing is guessed
    for d in capture.dates:
        if d.text in ("Friday", "Last month", "November 19"):
            assert d.when is None and d.error and "reference" in d.error


def test_claims_proposed_for_the_researcher(capture: Capture) -> None:
    claims = propose_claims(capture, source_id="agg")
    assert claims and all(not c.confirmed for c in claims)
    kirby = [c for c in claims if c.claimant and "Kirby" in c.claimant]
    assert len(kirby) >= 3
    denials = [c for c in claims if c.stance == "contradicts"]
    assert any("baseless" in c.text for c in denials)
    assert any(c.claimant and "Prigozhin" in c.claimant for c in denials)
    assert all(c.provenance and "line" in c.provenance for c in claims)


def test_wagner_ships_flagged(case_text: str) -> None:
    hits = translation_artefacts(case_text)
    assert [h["phrase"] for h in hits] == ["for use by the Wagner ships"]
    assert hits[0]["severity"] == "high"
    assert "Wagnerians" in hits[0]["why"]
