"""The rules added for issue 18 (item 1): weekdays, ambiguous numeric dates, parts of
periods, "earlier/later this ...", in English, Polish and Russian.

Each row: text, reference, keyword arguments, expected local start, expected end
(exclusive), precision, and a phrase the provenance must contain (the rule that was used).
Expected bounds are local times in Europe/Warsaw, converted to UTC by zoneinfo here,
independently of the code under test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osint_kit.errors import DateError, MissingReferenceError, UnparseableDateError
from osint_kit.timeline import Precision, When, parse_when
from osint_kit.timeline import parse as parse_mod

W = "Europe/Warsaw"
FRI = dt.date(2023, 1, 20)  # the briefing; AP's story of that day says "on Friday"
SAT = dt.date(2023, 1, 21)
WED = dt.date(2023, 1, 18)
Y, M, D, MI = Precision.YEAR, Precision.MONTH, Precision.DAY, Precision.MINUTE
NONE: dict[str, Any] = {}

INCL = "weekday rule 'inclusive'"
AMB = "AMBIGUOUS"

# text, reference, kwargs, start, end (exclusive), precision, rule in the provenance
TABLE: list[tuple[str, dt.date | None, dict[str, Any], str, str, Precision, str]] = [
    # --- a weekday named on that weekday is that day (EN, PL, RU) --------------------------
    ("Friday", FRI, NONE, "2023-01-20", "2023-01-21", D, INCL),
    ("on Friday", FRI, NONE, "2023-01-20", "2023-01-21", D, INCL),
    ("w piątek", FRI, NONE, "2023-01-20", "2023-01-21", D, INCL),
    ("piątek", FRI, NONE, "2023-01-20", "2023-01-21", D, INCL),
    ("в пятницу", FRI, NONE, "2023-01-20", "2023-01-21", D, INCL),
    ("пятница", FRI, NONE, "2023-01-20", "2023-01-21", D, INCL),
    ("Thursday", FRI, NONE, "2023-01-19", "2023-01-20", D, INCL),
    ("w czwartek", FRI, NONE, "2023-01-19", "2023-01-20", D, INCL),
    ("в четверг", FRI, NONE, "2023-01-19", "2023-01-20", D, INCL),
    ("on Saturday", FRI, NONE, "2023-01-14", "2023-01-15", D, INCL),
    ("во вторник", FRI, NONE, "2023-01-17", "2023-01-18", D, INCL),
    ("we wtorek", FRI, NONE, "2023-01-17", "2023-01-18", D, INCL),
    ("w niedzielę", FRI, NONE, "2023-01-15", "2023-01-16", D, INCL),
    ("в воскресенье", FRI, NONE, "2023-01-15", "2023-01-16", D, INCL),
    ("Friday at 10:30", FRI, NONE, "2023-01-20T10:30", "2023-01-20T10:31", MI, INCL),
    ("w piątek o 10:30", FRI, NONE, "2023-01-20T10:30", "2023-01-20T10:31", MI, INCL),
    ("в пятницу в 10:30", FRI, NONE, "2023-01-20T10:30", "2023-01-20T10:31", MI, INCL),
    ("Friday morning", FRI, NONE, "2023-01-20", "2023-01-21", D, "part of the day"),
    ("w piątek rano", FRI, NONE, "2023-01-20", "2023-01-21", D, "part of the day"),
    ("в пятницу вечером", FRI, NONE, "2023-01-20", "2023-01-21", D, "part of the day"),
    ("Friday", FRI, {"weekday": "strict"}, "2023-01-13", "2023-01-14", D,
     "weekday rule 'strict'"),
    ("в пятницу", FRI, {"weekday": "strict"}, "2023-01-13", "2023-01-14", D,
     "weekday rule 'strict'"),
    ("w piątek", FRI, {"weekday": "strict"}, "2023-01-13", "2023-01-14", D,
     "weekday rule 'strict'"),
    ("Friday", FRI, {"prefer": "future"}, "2023-01-20", "2023-01-21", D, "on or after"),
    ("Friday", WED, {"prefer": "future"}, "2023-01-20", "2023-01-21", D, "on or after"),
    ("в пятницу", FRI, {"prefer": "future", "weekday": "strict"}, "2023-01-27", "2023-01-28",
     D, "the first Friday after"),
    # --- "last Friday": never the reference day; both readings where they differ ----------
    ("last Friday", FRI, NONE, "2023-01-13", "2023-01-14", D, "'last Friday': never"),
    ("w zeszły piątek", FRI, NONE, "2023-01-13", "2023-01-14", D, "'last Friday': never"),
    ("в прошлую пятницу", FRI, NONE, "2023-01-13", "2023-01-14", D, "'last Friday': never"),
    ("last Friday", SAT, NONE, "2023-01-13", "2023-01-21", D, AMB),
    ("last Wednesday", FRI, NONE, "2023-01-11", "2023-01-19", D, AMB),
    ("в прошлую среду", FRI, NONE, "2023-01-11", "2023-01-19", D, AMB),
    ("this past Friday", SAT, NONE, "2023-01-20", "2023-01-21", D, "'this past Friday'"),
    ("w ostatni piątek", SAT, NONE, "2023-01-20", "2023-01-21", D, "'this past Friday'"),
    ("в минувшую пятницу", SAT, NONE, "2023-01-20", "2023-01-21", D, "'this past Friday'"),
    ("this Friday", WED, NONE, "2023-01-20", "2023-01-21", D, "own week"),
    ("в эту пятницу", WED, NONE, "2023-01-20", "2023-01-21", D, "own week"),
    ("w ten piątek", WED, NONE, "2023-01-20", "2023-01-21", D, "own week"),
    ("next Friday", FRI, NONE, "2023-01-27", "2023-01-28", D, "'next Friday'"),
    ("next Friday", WED, NONE, "2023-01-20", "2023-01-28", D, AMB),
    ("w przyszły piątek", FRI, NONE, "2023-01-27", "2023-01-28", D, "'next Friday'"),
    ("в следующую пятницу", FRI, NONE, "2023-01-27", "2023-01-28", D, "'next Friday'"),
    ("this coming Friday", WED, NONE, "2023-01-20", "2023-01-21", D, "'this coming Friday'"),
    ("w najbliższy piątek", WED, NONE, "2023-01-20", "2023-01-21", D, "'this coming Friday'"),
    # --- numeric dates: both readings unless the order is settled ---------------------------
    ("11/12/2022", None, NONE, "2022-11-12", "2022-12-12", D, AMB),
    ("11.12.2022", None, NONE, "2022-11-12", "2022-12-12", D, AMB),
    ("03-04-2023", None, NONE, "2023-03-04", "2023-04-04", D, AMB),
    ("12/11/22", FRI, NONE, "2022-11-12", "2022-12-12", D, AMB),
    ("11/12/2022 10:30", None, NONE, "2022-11-12T10:30", "2022-12-11T10:31", MI, AMB),
    ("13/11/2022", None, NONE, "2022-11-13", "2022-11-14", D, "other order is not a real"),
    ("11/13/2022", None, NONE, "2022-11-13", "2022-11-14", D, "other order is not a real"),
    ("05/05/2022", None, NONE, "2022-05-05", "2022-05-06", D, "same day in either order"),
    ("11/12/2022", None, {"date_order": "DMY"}, "2022-12-11", "2022-12-12", D,
     "date_order='DMY'"),
    ("11/12/2022", None, {"date_order": "MDY"}, "2022-11-12", "2022-11-13", D,
     "date_order='MDY'"),
    ("11/12/2022", None, {"locale": "en-US"}, "2022-11-12", "2022-11-13", D, "locale='en-US'"),
    ("11/12/2022", None, {"locale": "en-GB"}, "2022-12-11", "2022-12-12", D, "locale='en-GB'"),
    ("11.12.2022", None, {"languages": ["pl"]}, "2022-12-11", "2022-12-12", D,
     "write the day first"),
    ("11.12.2022", None, {"languages": ["ru"]}, "2022-12-11", "2022-12-12", D,
     "write the day first"),
    ("11/12", FRI, NONE, "2022-11-12", "2022-12-12", D, AMB),
    ("on 11/12", FRI, NONE, "2022-11-12", "2022-12-12", D, AMB),
    ("13/11", FRI, NONE, "2022-11-13", "2022-11-14", D, "other order is not a real"),
    ("18.11.", FRI, NONE, "2022-11-18", "2022-11-19", D, "'day.month.' is written day first"),
    ("2/1", SAT, NONE, "2022-02-01", "2023-01-03", D, AMB),  # 1 Feb 2022 or 2 Jan 2023
    ("Saturday 12/11/2022", None, NONE, "2022-11-12", "2022-11-13", D,
     "falls on the 'Saturday'"),
    ("w piątek 11.11.2022", None, NONE, "2022-11-11", "2022-11-12", D, "same day in either"),
    # --- ordinal weeks, halves, quarters -------------------------------------------------------
    ("the first week of March 2023", None, NONE, "2023-03-01", "2023-03-08", D,
     "calendar days 1-7"),
    ("the second week of March 2023", None, NONE, "2023-03-08", "2023-03-15", D,
     "calendar days 8-14"),
    ("the last week of March 2023", None, NONE, "2023-03-25", "2023-04-01", D,
     "the last 7 days"),
    ("the fifth week of March 2023", None, NONE, "2023-03-29", "2023-04-01", D,
     "calendar days 29-31"),
    ("first week of 2023", None, NONE, "2023-01-01", "2023-01-08", D, "calendar days 1-7"),
    ("the last week of 2022", None, NONE, "2022-12-25", "2023-01-01", D, "the last 7 days"),
    ("w pierwszym tygodniu marca 2023", None, NONE, "2023-03-01", "2023-03-08", D,
     "calendar days 1-7"),
    ("w ostatnim tygodniu lutego 2024", None, NONE, "2024-02-23", "2024-03-01", D,
     "the last 7 days"),
    ("на первой неделе марта 2023", None, NONE, "2023-03-01", "2023-03-08", D,
     "calendar days 1-7"),
    ("на последней неделе 2022 года", None, NONE, "2022-12-25", "2023-01-01", D,
     "the last 7 days"),
    ("the first week of March", FRI, NONE, "2022-03-01", "2022-03-08", D, "calendar days 1-7"),
    ("the first half of 2022", None, NONE, "2022-01-01", "2022-07-01", M, "January-June"),
    ("the second half of 2022", None, NONE, "2022-07-01", "2023-01-01", M, "January-June"),
    ("the second half of March 2023", None, NONE, "2023-03-16", "2023-04-01", D, "16th-end"),
    ("H1 2023", None, NONE, "2023-01-01", "2023-07-01", M, "January-June"),
    ("w drugiej połowie 2022", None, NONE, "2022-07-01", "2023-01-01", M, "January-June"),
    ("w pierwszej połowie marca 2023", None, NONE, "2023-03-01", "2023-03-16", D, "1st-15th"),
    ("в первой половине 2022 года", None, NONE, "2022-01-01", "2022-07-01", M, "January-June"),
    ("во второй половине ноября 2022", None, NONE, "2022-11-16", "2022-12-01", D, "16th-end"),
    ("w pierwszym półroczu 2023", None, NONE, "2023-01-01", "2023-07-01", M, "January-June"),
    ("во втором полугодии 2022 года", None, NONE, "2022-07-01", "2023-01-01", M,
     "January-June"),
    ("Q3 2022", None, NONE, "2022-07-01", "2022-10-01", M, "calendar quarter"),
    ("Q1 2023", None, NONE, "2023-01-01", "2023-04-01", M, "calendar quarter"),
    ("3Q 2022", None, NONE, "2022-07-01", "2022-10-01", M, "calendar quarter"),
    ("Q4/2022", None, NONE, "2022-10-01", "2023-01-01", M, "calendar quarter"),
    ("the third quarter of 2022", None, NONE, "2022-07-01", "2022-10-01", M,
     "calendar quarter"),
    ("the last quarter of 2022", None, NONE, "2022-10-01", "2023-01-01", M, "calendar quarter"),
    ("w trzecim kwartale 2022", None, NONE, "2022-07-01", "2022-10-01", M, "calendar quarter"),
    ("III kwartał 2022 r.", None, NONE, "2022-07-01", "2022-10-01", M, "calendar quarter"),
    ("в третьем квартале 2022 года", None, NONE, "2022-07-01", "2022-10-01", M,
     "calendar quarter"),
    ("в IV квартале 2022 г.", None, NONE, "2022-10-01", "2023-01-01", M, "calendar quarter"),
    # --- seasons (meteorological; hemisphere named) ----------------------------------------------
    ("summer 2022", None, NONE, "2022-06-01", "2022-09-01", M, "northern hemisphere"),
    ("in the spring of 2023", None, NONE, "2023-03-01", "2023-06-01", M, "meteorological"),
    ("autumn 2022", None, NONE, "2022-09-01", "2022-12-01", M, "meteorological"),
    ("fall 2022", None, NONE, "2022-09-01", "2022-12-01", M, "meteorological"),
    ("winter 2022", None, NONE, "2021-12-01", "2023-03-01", M, AMB),
    ("winter 2022/23", None, NONE, "2022-12-01", "2023-03-01", M, "meteorological"),
    ("summer 2022", None, {"hemisphere": "south"}, "2021-12-01", "2023-03-01", M, AMB),
    ("summer 2022/23", None, {"hemisphere": "south"}, "2022-12-01", "2023-03-01", M,
     "southern hemisphere"),
    ("winter 2022", None, {"hemisphere": "south"}, "2022-06-01", "2022-09-01", M,
     "southern hemisphere"),
    ("latem 2022", None, NONE, "2022-06-01", "2022-09-01", M, "meteorological"),
    ("wiosną 2023 roku", None, NONE, "2023-03-01", "2023-06-01", M, "meteorological"),
    ("zimą 2022/2023", None, NONE, "2022-12-01", "2023-03-01", M, "meteorological"),
    ("jesienią 2022", None, NONE, "2022-09-01", "2022-12-01", M, "meteorological"),
    ("летом 2022 года", None, NONE, "2022-06-01", "2022-09-01", M, "meteorological"),
    ("осенью 2022", None, NONE, "2022-09-01", "2022-12-01", M, "meteorological"),
    ("зимой 2022/23", None, NONE, "2022-12-01", "2023-03-01", M, "meteorological"),
    # --- earlier / later this week, month, year --------------------------------------------------
    ("earlier this week", FRI, NONE, "2023-01-16", "2023-01-21", D, "start of the reference's"),
    ("later this week", WED, NONE, "2023-01-18", "2023-01-23", D, "end of its week"),
    ("earlier this month", FRI, NONE, "2023-01-01", "2023-01-21", D, "start of the reference's"),
    ("later this year", FRI, NONE, "2023-01-20", "2024-01-01", D, "end of its year"),
    ("wcześniej w tym tygodniu", FRI, NONE, "2023-01-16", "2023-01-21", D,
     "start of the reference's"),
    ("później w tym miesiącu", FRI, NONE, "2023-01-20", "2023-02-01", D, "end of its month"),
    ("ранее в этом году", FRI, NONE, "2023-01-01", "2023-01-21", D, "start of the reference's"),
    ("раньше в этом месяце", FRI, NONE, "2023-01-01", "2023-01-21", D,
     "start of the reference's"),
    ("позже на этой неделе", WED, NONE, "2023-01-18", "2023-01-23", D, "end of its week"),
    # --- end / beginning of a period (thirds; see docs/timeline.md) ------------------------------
    ("the end of this week", FRI, NONE, "2023-01-20", "2023-01-23", D, "late third"),
    ("beginning of this month", FRI, NONE, "2023-01-01", "2023-01-11", D, "early third"),
    ("pod koniec tego tygodnia", FRI, NONE, "2023-01-20", "2023-01-23", D, "late third"),
    ("na początku tego roku", FRI, NONE, "2023-01-01", "2023-05-01", M, "early third"),
    ("в конце этой недели", FRI, NONE, "2023-01-20", "2023-01-23", D, "late third"),
    ("в начале этого года", FRI, NONE, "2023-01-01", "2023-05-01", M, "early third"),
    ("в конце ноября 2022", None, NONE, "2022-11-21", "2022-12-01", D, "late third"),
    ("в середине ноября 2022", None, NONE, "2022-11-11", "2022-11-21", D, "mid third"),
    ("в начале 2023 года", None, NONE, "2023-01-01", "2023-05-01", M, "early third"),
    ("к концу 2022 года", None, NONE, "2022-09-01", "2023-01-01", M, "late third"),
    ("около 20 января 2023", None, NONE, "2023-01-17", "2023-01-24", D, "widened"),
    ("накануне", FRI, NONE, "2023-01-19", "2023-01-20", D, "counted from reference"),
    ("на следующий день", FRI, NONE, "2023-01-21", "2023-01-22", D, "counted from reference"),
]


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(W)).astimezone(dt.UTC)


def test_table_has_sixty_new_expressions_in_three_languages() -> None:
    texts = {row[0] for row in TABLE}
    assert len(TABLE) >= 60 and len(texts) >= 60
    russian = [t for t in texts if any("а" <= ch <= "я" for ch in t.lower())]
    polish = [t for t in texts if any(ch in "ąćęłńóśźż" for ch in t) or t.startswith(
        ("w ", "we ", "na ", "pod ", "III", "później", "latem", "jesienią", "piątek"))]
    assert len(russian) >= 20 and len(polish) >= 20


@pytest.mark.parametrize(("text", "reference", "kwargs", "start", "end", "precision", "rule"),
                         TABLE, ids=[f"{r[0]}|{r[1]}|{r[2]}" for r in TABLE])
def test_grammar_table(text: str, reference: dt.date | None, kwargs: dict[str, Any],
                       start: str, end: str, precision: Precision, rule: str) -> None:
    when = parse_when(text, reference=reference, tz=W, **kwargs)
    assert when.earliest == _utc(start), when.provenance
    assert when.latest == _utc(end) - dt.timedelta(microseconds=1), when.provenance
    assert when.precision is precision, when.provenance
    assert rule in when.provenance
    assert when.text == text
    assert when.ambiguous is (rule == AMB)


def test_ambiguous_numeric_date_lists_both_readings() -> None:
    when = parse_when("11/12/2022", tz=W)
    assert when.ambiguous and len(when.candidates) == 2
    days = sorted(c.local()[0].date() for c in when.candidates)
    assert days == [dt.date(2022, 11, 12), dt.date(2022, 12, 11)]
    for c in when.candidates:
        assert when.contains(c) and c.duration < dt.timedelta(days=1)
    assert "date_order" in when.provenance
    assert "2 readings" in repr(when)
    assert "reading 2" in when._repr_html_()


def test_a_weekday_that_fits_neither_reading_is_flagged() -> None:
    when = parse_when("Friday 11/12/2022", tz=W)
    assert when.ambiguous and "neither reading falls on the 'Friday'" in when.provenance


def test_numeric_date_without_a_year_needs_a_reference() -> None:
    with pytest.raises(MissingReferenceError, match="no year"):
        parse_when("11/12")


def test_ambiguous_last_weekday_lists_both_readings() -> None:
    when = parse_when("last Friday", reference=SAT, tz=W)
    days = [c.local()[0].date() for c in when.candidates]
    assert days == [dt.date(2023, 1, 13), dt.date(2023, 1, 20)]


def test_unknown_options_are_refused() -> None:
    with pytest.raises(DateError, match="weekday must be"):
        parse_when("Friday", reference=FRI, weekday="nearest")
    with pytest.raises(DateError, match="date_order"):
        parse_when("11/12/2022", date_order="YDM")
    with pytest.raises(DateError, match="unknown locale"):
        parse_when("11/12/2022", locale="xx-YY")
    with pytest.raises(DateError, match="hemisphere"):
        parse_when("summer 2022", hemisphere="east")


@pytest.mark.parametrize("text", ["31/31/2022", "the sixth week of March 2023",
                                  "the fifth week of February 2023", "Q3 of 18 November 2022",
                                  "summer 2022/23", "winter 2022/25",
                                  "the first week of winter 2022", "Q1 Nov-Dec 2022"])
def test_impossible_parts_are_unparseable(text: str) -> None:
    with pytest.raises(UnparseableDateError):
        parse_when(text, tz=W)


@pytest.mark.parametrize("text", ["earlier this week", "ранее в этом году", "w ten piątek",
                                  "в прошлую пятницу", "later this month"])
def test_new_relative_forms_need_a_reference(text: str) -> None:
    with pytest.raises(MissingReferenceError, match="reference"):
        parse_when(text)


def test_case_ap_story_friday_is_the_briefing_day() -> None:
    """issue 18: AP's "on Friday", published Friday 20 January 2023, was dated 13 January."""
    when = parse_when("Friday", reference="2023-01-20", tz="America/New_York")
    assert when.local()[0].date() == dt.date(2023, 1, 20)
    assert "inclusive" in when.provenance


def test_length_limit_is_stated() -> None:
    text = "18 November 2022 " + "x" * parse_mod.MAX_TEXT_LENGTH
    with pytest.raises(UnparseableDateError, match=str(parse_mod.MAX_TEXT_LENGTH)):
        parse_when(text)
    assert parse_when(" " * 10 + "18 November 2022").local()[0].day == 18


# --- properties ---------------------------------------------------------------------------

SETTINGS = settings(max_examples=60, deadline=None)
ZONES = ["UTC", W, "Europe/Moscow", "Asia/Kolkata", "America/New_York", "Pacific/Kiritimati",
         "Etc/GMT+12", "unknown"]
#: how each language names a weekday on that day (index = Monday 0 .. Sunday 6)
WEEKDAY_FORMS = {
    "en": [(f"{p}{d}") for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                 "Saturday", "Sunday") for p in ("", "on ")],
    "pl": ["poniedziałek", "w poniedziałek", "wtorek", "we wtorek", "środa", "w środę",
           "czwartek", "w czwartek", "piątek", "w piątek", "sobota", "w sobotę", "niedziela",
           "w niedzielę"],
    "ru": ["понедельник", "в понедельник", "вторник", "во вторник", "среда", "в среду",
           "четверг", "в четверг", "пятница", "в пятницу", "суббота", "в субботу",
           "воскресенье", "в воскресенье"],
    # the other languages parse_when tries by default
    "de": [f"{p}{d}" for d in ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag",
                               "Samstag", "Sonntag") for p in ("", "am ")],
    "fr": [f"{p}{d}" for d in ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
                               "dimanche") for p in ("", "le ")],
    "it": [d for d in ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato",
                       "domenica") for _ in (0, 1)],
    "es": [f"{p}{d}" for d in ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
                               "domingo") for p in ("", "el ")],
    "uk": ["понеділок", "у понеділок", "вівторок", "у вівторок", "середа", "у середу",
           "четвер", "у четвер", "п'ятниця", "у п’ятницю", "субота", "у суботу", "неділя",
           "у неділю"],
}
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))


def _day(when: When) -> dt.date:
    """The calendar day a one-day When stands for (its middle: a day read with an unknown
    offset is widened by -12h..+14h around it)."""
    return when.midpoint.astimezone(ZoneInfo(when.tz) if "/" in when.tz else dt.UTC).date()


@SETTINGS
@given(ref=DATES, lang=st.sampled_from(sorted(WEEKDAY_FORMS)), bare=st.booleans(),
       zone=st.sampled_from(ZONES))
def test_same_day_weekday_is_the_reference_day_in_every_language(
        ref: dt.date, lang: str, bare: bool, zone: str) -> None:
    text = WEEKDAY_FORMS[lang][2 * ref.weekday() + (0 if bare else 1)]
    when = parse_when(text, reference=ref, tz=zone)
    assert _day(when) == ref, (text, when.provenance)
    assert "inclusive" in when.provenance and ref.isoformat() in when.provenance
    strict = parse_when(text, reference=ref, tz=zone, weekday="strict")
    assert _day(strict) == ref - dt.timedelta(days=7)


@SETTINGS
@given(ref=DATES, lang=st.sampled_from(sorted(WEEKDAY_FORMS)), index=st.integers(0, 13))
def test_any_weekday_lies_in_the_week_ending_on_the_reference(
        ref: dt.date, lang: str, index: int) -> None:
    when = parse_when(WEEKDAY_FORMS[lang][index], reference=ref, tz=W)
    day = when.local()[0].date()
    assert 0 <= (ref - day).days <= 6 and day.weekday() == index // 2


PIECES = [row[0] for row in TABLE] + [
    "Friday", "11", "/", "12", "2022", "Q", "week", "of", "the", "first", "half", "last",
    "winter", "-", "/23", "в", "w", "earlier this", "недели", "tygodnia", "III", "kwartał",
]


@SETTINGS
@given(words=st.lists(st.sampled_from(PIECES), min_size=1, max_size=5),
       ref=st.none() | DATES, zone=st.sampled_from(ZONES),
       kwargs=st.sampled_from([NONE, {"weekday": "strict"}, {"date_order": "MDY"},
                               {"hemisphere": "south"}, {"prefer": "future"}]))
def test_anything_that_parses_is_an_ordered_interval(
        words: list[str], ref: dt.date | None, zone: str, kwargs: dict[str, Any]) -> None:
    try:
        when = parse_when(" ".join(words), reference=ref, tz=zone, **kwargs)
    except DateError:
        return
    assert isinstance(when, When)
    assert when.earliest <= when.latest
    for c in when.candidates:
        assert when.earliest <= c.earliest <= c.latest <= when.latest


@SETTINGS
@given(text=st.text(max_size=300), ref=st.none() | DATES)
def test_arbitrary_text_raises_only_date_errors(text: str, ref: dt.date | None) -> None:
    try:
        when = parse_when(text, reference=ref, tz=W)
    except DateError:
        return
    assert when.earliest <= when.latest
