"""Self-checks: right answers confirmed, wrong ones hinted, answers never stored in plain."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osint_kit.workshop.checks import CheckResult, answer_key, answer_spec, check


def _key(**specs: dict) -> dict:
    return specs


def test_number_within_tolerance() -> None:
    key = _key(b=answer_spec("b", "number", 336.3, "hint", tolerance=3, step=0.5))
    assert check("b", 336.3, key)
    assert check("b", 333.5, key)
    assert check("b", 339.0, key)
    assert not check("b", 340.0, key)
    assert check("b", 340.0, key).status == "wrong"


@given(st.floats(min_value=-1e6, max_value=1e6))
def test_number_tolerance_property(value: float) -> None:
    key = _key(x=answer_spec("x", "number", 100.0, "hint", tolerance=2.0, step=0.1))
    result = check("x", value, key)
    if abs(value - 100.0) <= 1.9:
        assert result.status == "correct"
    if abs(value - 100.0) >= 2.2:
        assert result.status == "wrong"


def test_time_text_set_date_int() -> None:
    key = _key(
        t=answer_spec("t", "time", "10:32", "h", tolerance=10),
        x=answer_spec("x", "text", "2022-12", "h", alternatives=["December 2022"]),
        s=answer_spec("s", "set", ["PAP", "EPA", "Reuters"], "h"),
        d=answer_spec("d", "date", "2023-01-20", "h"),
        i=answer_spec("i", "int", 2, "h"),
    )
    assert check("t", "10:40", key) and check("t", dt.time(10, 25), key)
    assert not check("t", "10:50", key)
    assert check("x", "  december 2022. ", key) and check("x", "2022-12", key)
    assert check("s", {"reuters", "pap", "epa"}, key)
    assert not check("s", ["PAP"], key)
    assert check("d", dt.date(2023, 1, 20), key) and check("d", dt.datetime(2023, 1, 20, 5), key)
    assert not check("d", "2024-02-23", key)
    assert check("i", 2, key) and check("i", 2.0, key) and not check("i", 3, key)


def test_placeholder_unknown_and_malformed() -> None:
    key = _key(i=answer_spec("i", "int", 2, "count the parties"))
    assert check("i", ..., key).status == "unanswered"
    assert "not answered yet" in repr(check("i", ..., key))
    assert check("nope", 1, key).status == "unknown"
    bad = check("i", "two", key)
    assert bad.status == "wrong" and "count the parties" in bad.message


def test_result_display_is_escaped() -> None:
    result = CheckResult("<b>", "wrong", "<script>alert(1)</script>")
    html = result._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not result


def test_bundled_key_holds_hashes_not_answers() -> None:
    text = resources.files("osint_kit").joinpath("data", "workshop_answers.json").read_text()
    key = json.loads(text)
    assert len(key) >= 15
    for spec in key.values():
        assert {"kind", "hint", "hashes"} <= set(spec)
        assert all(len(h) == 64 for h in spec["hashes"])
    for plain in ("2024-02-23", "briefing_reposted_social_copy", "OCT 18", "10:32", "11:05",
                  "P1_cars_in", "2022-12"):
        assert plain not in text


@pytest.mark.parametrize(("name", "answer"), [
    ("capture_page_date", "2024-02-26"), ("friday_date", "2023-01-20"),
    ("last_month", "December 2022"), ("capture_time_18nov", "10:30"),
    ("shadow_bearing_18nov", 336.0), ("khasan_clock_ahead_hours", 1),
])
def test_bundled_key_accepts_known_answers(name: str, answer: object) -> None:
    assert check(name, answer).status == "correct"
    assert name in answer_key()
