"""Self-checks: right answers confirmed, wrong ones hinted, answers never stored in plain."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from osint_kit.timeline import parse_when
from osint_kit.workshop.checks import CheckResult, answer_key, answer_spec, check


def _key(**specs: dict) -> dict:
    return specs


def test_number_within_tolerance() -> None:
    key = _key(b=answer_spec("b", "number", 336.3, "hint", tolerance=3, step=0.5))
    assert check("b", 336.3, key)
    assert check("b", 333.5, key)
    assert check("b", 339.0, key)
    assert not check("b", 340.0, key)
    assert check("b", 340.0, key).status == "almost"
    assert check("b", 350.0, key).status == "wrong"


@given(st.floats(min_value=-1e6, max_value=1e6))
def test_number_tolerance_property(value: float) -> None:
    key = _key(x=answer_spec("x", "number", 100.0, "hint", tolerance=2.0, step=0.1))
    result = check("x", value, key)
    if abs(value - 100.0) <= 1.9:
        assert result.status == "correct"
    if abs(value - 100.0) >= 2.2:
        assert result.status in ("almost", "wrong")
    if abs(value - 100.0) >= 6.2:
        assert result.status == "wrong"


def test_time_text_set_date_int() -> None:
    key = _key(
        t=answer_spec("t", "time", "10:32", "h", tolerance=10),
        x=answer_spec("x", "text", "late december", "h", alternatives=["Christmas"]),
        s=answer_spec("s", "set", ["PAP", "EPA", "Reuters"], "h"),
        d=answer_spec("d", "date", "2023-01-20", "h"),
        i=answer_spec("i", "int", 2, "h"),
    )
    assert check("t", "10:40", key) and check("t", dt.time(10, 25), key)
    assert not check("t", "10:50", key)
    assert check("x", "  Late  December. ", key) and check("x", "christmas", key)
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
    bad = check("i", "many", key)
    assert bad.status == "wrong" and "count the parties" in bad.message


def test_result_display_is_escaped() -> None:
    result = CheckResult("<b>", "wrong", "<script>alert(1)</script>")
    html = result._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not result


def test_bundled_key_holds_hashes_not_answers() -> None:
    text = resources.files("osint_kit").joinpath("data", "workshop_answers.json").read_text()
    key = json.loads(text)
    assert len(key) >= 28
    for spec in key.values():
        assert {"kind", "hint", "hashes"} <= set(spec)
        assert all(len(h) == 64 for h in spec["hashes"])
        assert all(len(h) == 64 for p in spec.get("points", []) for h in p)
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


# --- the table of accepted and rejected answer forms, per kind ------------------------------

TABLE_KEY = _key(
    n=answer_spec("n", "number", 336.3, "measure again", tolerance=3, step=0.5, unit="degrees"),
    km=answer_spec("km", "number", 2.8, "use distance()", tolerance=0.15, step=0.05, unit="km"),
    i=answer_spec("i", "int", 2, "count parties"),
    d=answer_spec("d", "date", "2023-01-20", "resolve Friday"),
    mo=answer_spec("mo", "date", "December 2022", "last month"),
    t=answer_spec("t", "time", "10:32", "chronolocate", tolerance=10, unit="KST"),
    f=answer_spec("f", "file", "briefing_reposted_social_copy_reconstruction.jpg", "phash"),
    s=answer_spec("s", "set", ["PAP", "EPA", "Reuters"], "credits"),
    x=answer_spec("x", "text", "GIMP 2.10", "software tag"),
    r=answer_spec("r", "choice", "no: method only", "h", options=["yes: real", "no: method only"]),
    c=answer_spec("c", "choice", "copy", "follow cites", options=["copy", "independent report",
                                                                     "cannot tell"]),
)

# (name, answer, expected status)
ACCEPTED_AND_REJECTED = [
    ("n", 336.3, "correct"), ("n", "336°", "correct"), ("n", "335.5 deg", "correct"),
    ("n", "336,5 degrees", "correct"), ("n", 341.0, "almost"), ("n", 300, "wrong"),
    ("n", "336 km", "wrong"), ("n", "north-west", "wrong"), ("n", float("nan"), "wrong"),
    ("n", True, "wrong"), ("n", [336], "wrong"),
    ("km", "2.8 km", "correct"), ("km", "2.75", "correct"), ("km", "2.8 kilometres", "correct"),
    ("km", "2800 m", "wrong"), ("km", 3.2, "almost"), ("km", 12, "wrong"),
    ("i", np.int64(2), "correct"), ("n", np.float32(336.0), "correct"),
    ("d", pd.Timestamp("2023-01-20 10:00"), "correct"), ("t", pd.Timestamp("2022-11-18 10:35"), "correct"),
    ("i", 2, "correct"), ("i", 2.0, "correct"), ("i", "2", "correct"), ("i", "two", "correct"),
    ("i", "2 parties", "correct"), ("i", 3, "wrong"), ("i", 2.5, "wrong"), ("i", "", "wrong"),
    ("i", "many", "wrong"), ("i", "1  P2_loaded_out  supports", "wrong"), ("i", "2 1", "wrong"),
    ("d", "2023-01-20", "correct"), ("d", "20 January 2023", "correct"),
    ("d", "Jan 20, 2023", "correct"), ("d", "Friday 20 January 2023", "correct"),
    ("d", dt.date(2023, 1, 20), "correct"), ("d", dt.datetime(2023, 1, 20, 5), "correct"),
    ("d", "January 2023", "almost"), ("d", "2023-01-21", "wrong"), ("d", "Friday", "wrong"),
    ("d", "11/01/2023", "wrong"), ("d", "soon", "wrong"), ("d", 20, "wrong"),
    ("d", parse_when("20 January 2023"), "correct"),
    ("d", parse_when("Friday", reference="2023-01-21", tz="Asia/Tokyo"), "correct"),
    ("mo", "2022-12", "correct"), ("mo", "December 2022", "correct"),
    ("mo", "Dec 2022", "correct"), ("mo", "2022-12-05", "almost"), ("mo", "2022-11", "wrong"),
    ("t", "10:32", "correct"), ("t", "10:32 KST", "correct"), ("t", "10.40", "correct"),
    ("t", dt.time(10, 25), "correct"), ("t", "10:32:30", "correct"), ("t", "11:00", "almost"),
    ("t", "13:10", "wrong"), ("t", "01:32 UTC", "wrong"), ("t", "25:00", "wrong"),
    ("t", "half past ten", "wrong"),
    ("f", "briefing_reposted_social_copy_reconstruction.jpg", "correct"),
    ("f", "briefing_reposted_social_copy_reconstruction", "correct"),
    ("f", "BRIEFING_REPOSTED_SOCIAL_COPY_RECONSTRUCTION.JPG", "correct"),
    ("f", "evidence/briefing_reposted_social_copy_reconstruction.jpg", "correct"),
    ("f", "briefing_original.jpg", "wrong"), ("f", 3, "wrong"),
    ("s", ["PAP", "EPA", "Reuters"], "correct"), ("s", {"reuters", "epa", "pap"}, "correct"),
    ("s", "Reuters, PAP and EPA", "correct"), ("s", ["PAP"], "wrong"), ("s", 5, "wrong"),
    ("x", "gimp 2.10", "correct"), ("x", " GIMP  2.10. ", "correct"), ("x", "Photoshop", "wrong"),
    ("c", "copy", "correct"), ("c", "A", "correct"), ("c", "a)", "correct"),
    ("c", "Copy", "correct"), ("c", "independent report", "wrong"), ("c", "B", "wrong"),
    ("c", "maybe", "wrong"), ("c", "copy: it repeats", "wrong"),
    ("r", "no", "correct"), ("r", "B", "correct"), ("r", "yes", "wrong"),
]


@pytest.mark.parametrize(("name", "answer", "status"), ACCEPTED_AND_REJECTED)
def test_answer_forms(name: str, answer: object, status: str) -> None:
    result = check(name, answer, TABLE_KEY)
    assert result.status == status, (name, answer, result)
    for leak in ("Traceback", "Error", "float()", "isoformat", "argument", "<class", "invalid"):
        assert leak not in result.message, result.message


def test_unparseable_answers_get_plain_sentences() -> None:
    assert "a date" in check("d", "soon", TABLE_KEY).message
    assert "two ways" in check("d", "11/01/2023", TABLE_KEY).message
    assert "in km" in check("km", "2800 m", TABLE_KEY).message
    assert "in KST" in check("t", "01:32 UTC", TABLE_KEY).message
    assert "choose one of the options" in check("c", "maybe", TABLE_KEY).message


def test_almost_does_not_reveal() -> None:
    for name, answer in (("n", 341.0), ("d", "January 2023"), ("t", "11:00")):
        message = check(name, answer, TABLE_KEY).message
        assert "336" not in message and "20" not in message and "10:32" not in message


KEYPOINTS = _key(k=answer_spec(
    "k", "keypoints",
    [["copy", "copied", "repeats", "same wording"], ["origin", "single source", "one source"],
     ["cites", "citing", "refers to"]],
    "what does the report rest on?", need=2))


@pytest.mark.parametrize(("answer", "status", "found"), [
    ("It is a copy: it cites the agency, so there is one single source.", "correct", 3),
    ("The article copied the wording of the agency report.", "almost", 1),
    ("It repeats the first report and has the same origin.", "correct", 2),
    ("I think it is independent.", "wrong", 0),
    ("copy", "wrong", None),
    (42, "wrong", None),
])
def test_keypoints(answer: object, status: str, found: int | None) -> None:
    result = check("k", answer, KEYPOINTS)
    assert result.status == status, result
    if found is not None:
        assert f"covers {found} of the 3 key points" in result.message
    for word in ("copy", "origin", "cites", "single"):
        assert word not in result.message.split("Hint:")[0]


def test_keypoints_key_stores_no_words() -> None:
    text = json.dumps(KEYPOINTS)
    for word in ("copy", "origin", "single", "cites"):
        assert word not in text.replace("what does the report rest on?", "")


def test_bundled_forgiving_forms() -> None:
    assert check("capture_time_18nov", "10:32 KST").status == "correct"
    assert check("friday_date", "20 January 2023").status == "correct"
    assert check("last_month", "December 2022").status == "correct"
    assert check("reposted_copy", "briefing_reposted_social_copy_reconstruction").status == \
        "correct"
    assert check("shadow_bearing_18nov", "336°").status == "correct"
    assert check("bridge_distance_km", "2.8 km").status == "correct"
    assert "float()" not in check("khasan_clock_ahead_hours", "one hour ahead").message


def test_bundled_hints_do_not_give_the_answer() -> None:
    """Every word run, date, time and number of a hint is run through its own check."""
    import re

    for name, spec in answer_key().items():
        if spec["kind"] in ("choice", "keypoints"):
            continue
        hint = str(spec["hint"])
        words = re.findall(r"[\w.:,°'-]+", hint)
        fragments = {" ".join(words[i:i + n]).strip(".,'") for n in range(1, 5)
                     for i in range(len(words) - n + 1)}
        fragments |= set(re.findall(r"(?<!\w)\d[\d.:,-]*", hint)) | {hint}
        fragments |= {p.strip() for p in re.split(r"[:;()]", hint)}
        given = [f for f in fragments if f and check(name, f).status == "correct"]
        assert not given, (name, given)
