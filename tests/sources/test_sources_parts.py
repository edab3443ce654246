"""Property tests for the line-level parts: captions, date finding, boilerplate, sentences."""

from __future__ import annotations

import datetime as dt

import pytest

# Imported at collection (sockets still allowed): urllib3, pulled in by trafilatura, probes
# IPv6 support by creating a local socket once at import time; nothing is connected.
import trafilatura  # noqa: F401
from hypothesis import given, settings
from hypothesis import strategies as st

from osint_kit.sources.capture.boilerplate import classify_boilerplate
from osint_kit.sources.capture.captions import KNOWN_CREDITS, split_caption
from osint_kit.sources.capture.datefind import find_dates
from osint_kit.sources.capture.quotes import split_sentences

_words = st.lists(st.from_regex(r"[a-z]{2,9}", fullmatch=True), min_size=2, max_size=8)


@settings(max_examples=80, deadline=None)
@given(_words, st.sampled_from([c for c in KNOWN_CREDITS if c[0].isupper()]))
def test_run_on_credit_is_split(words: list[str], credit: str) -> None:
    caption = "Soldiers " + " ".join(words)
    cap, got, rule = split_caption(caption + credit)
    assert (cap, got) == (caption, credit), rule


@pytest.mark.parametrize(("line", "caption", "credit"), [
    # found by Hypothesis outside CI: a known credit with a lower-case word was cut to "KNS"
    ("Soldiers aa aaKCNA via KNS", "Soldiers aa aa", "KCNA via KNS"),
    ("Kim Jong Un at a parade KCNA via KNS", "Kim Jong Un at a parade", "KCNA via KNS"),
    ("Leader inspects a factoryKCNA via KNS/Reuters", "Leader inspects a factory",
     "KCNA via KNS/Reuters"),
])
def test_known_credit_with_lower_case_word_is_kept_whole(line: str, caption: str,
                                                         credit: str) -> None:
    assert split_caption(line)[:2] == (caption, credit)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_find_dates_spans_are_consistent(text: str) -> None:
    found = find_dates(text)
    last_end = -1
    for d in found:
        assert d.start >= last_end and d.end > d.start
        assert text[d.start:d.end].strip() == d.text
        last_end = d.end


@settings(max_examples=60, deadline=None)
@given(_words)
def test_sentences_are_not_boilerplate(words: list[str]) -> None:
    sentence = "The spokesman said that " + " ".join(words) + " arrived on time."
    assert classify_boilerplate(sentence) is None
    assert split_sentences(sentence + " " + sentence) == [sentence, sentence]


@pytest.mark.parametrize(("text", "expected"), [
    ("On 4 November 2022 a train", ["4 November 2022"]),
    ("released an image dated Nov. 18 at a briefing", ["Nov. 18"]),
    ("between 7 Sept and 1 Oct 2023", ["7 Sept", "1 Oct 2023"]),
    ("Ieri 2023-01-20T18:00:00Z and yesterday", ["2023-01-20T18:00:00Z", "yesterday"]),
    ("w piątek, 20 stycznia 2023", ["piątek, 20 stycznia 2023"]),
    ("three days ago and late December", ["three days ago", "late December"]),
    ("it may be so; 45 percent of people", []),
])
def test_date_expressions(text: str, expected: list[str]) -> None:
    assert [d.text for d in find_dates(text)] == expected


def test_polish_dates_resolve_with_reference() -> None:
    from pathlib import Path

    from osint_kit.sources import ingest_html

    raw = (Path(__file__).parent / "data" / "polish_cp1250.html").read_bytes()
    cap = ingest_html(raw, reference=dt.date(2023, 1, 21), tz="Europe/Warsaw", languages=["pl"])
    by = {d.text: d.when for d in cap.dates}
    assert by["piątek"] is not None and by["18 listopada"] is not None
    assert by["18 listopada"].earliest.astimezone(dt.UTC).date() == dt.date(2022, 11, 17)
