"""Word tables and patterns for :mod:`osint_kit.timeline.parse` (English and Polish).

Kept apart from the parsing code (as exifread keeps its tag tables apart from its parser):
adding a phrasing is an edit here. Qualifier and widening rules are documented in
``docs/timeline.md``.
"""

from __future__ import annotations

import datetime as dt
import re

from osint_kit.timeline.when import Precision

# --- qualifier tables ------------------------------------------------------------------------

#: qualifier words -> which third of the period they keep (0 early, 1 mid, 2 late).
QUALIFIERS: dict[str, int] = {
    "early": 0, "beginning of": 0, "the beginning of": 0, "start of": 0,
    "the start of": 0, "at the beginning of": 0, "at the start of": 0,
    "na początku": 0, "początek": 0, "początkiem": 0, "z początkiem": 0, "wczesny": 0,
    "mid": 1, "middle of": 1, "the middle of": 1, "in the middle of": 1,
    "w połowie": 1, "połowa": 1, "połowie": 1, "w środku": 1,
    "late": 2, "end of": 2, "the end of": 2, "at the end of": 2, "towards the end of": 2,
    "toward the end of": 2, "pod koniec": 2, "koniec": 2, "z końcem": 2, "końcem": 2,
    "na końcu": 2, "późny": 2,
}
_AROUND_WORDS = (
    "around", "about", "approximately", "approx.", "circa", "ca.", "c.", "roughly",
    "około", "ok.", "w okolicach", "mniej więcej", "gdzieś",
)
#: how far "around X" widens each side, by the precision of X.
AROUND: dict[Precision, dt.timedelta | int] = {
    Precision.YEAR: 12,  # months
    Precision.MONTH: 1,  # months
    Precision.WEEK: dt.timedelta(days=7),
    Precision.DAY: dt.timedelta(days=3),
    Precision.HOUR: dt.timedelta(hours=1),
    Precision.MINUTE: dt.timedelta(minutes=15),
    Precision.SECOND: dt.timedelta(minutes=1),
}

_QUAL_RE = re.compile(
    r"^(?:in |on |at |by )?(?P<q>"
    + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r")(?:\s*-\s*|\s+)(?P<rest>.+)$",
    re.IGNORECASE,
)
_AROUND_RE = re.compile(
    r"^(?P<q>" + "|".join(re.escape(q) for q in sorted(_AROUND_WORDS, key=len, reverse=True))
    + r")\s*(?P<rest>.+)$",
    re.IGNORECASE,
)

# --- anchor-relative expressions -------------------------------------------------------------

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "jeden": 1, "jedna": 1, "jedno": 1, "jedną": 1, "dwa": 2, "dwie": 2, "trzy": 3,
    "cztery": 4, "pięć": 5, "sześć": 6, "siedem": 7, "osiem": 8, "dziewięć": 9,
    "dziesięć": 10, "kilka": 3,
}
_UNITS = {
    "day": "day", "days": "day", "dzień": "day", "dni": "day", "dnia": "day",
    "week": "week", "weeks": "week", "tydzień": "week", "tygodnie": "week",
    "tygodni": "week", "tygodnia": "week",
    "month": "month", "months": "month", "miesiąc": "month", "miesiące": "month",
    "miesięcy": "month", "miesiąca": "month",
    "year": "year", "years": "year", "rok": "year", "lata": "year", "lat": "year",
    "roku": "year",
    "hour": "hour", "hours": "hour", "godzinę": "hour", "godzina": "hour",
    "godziny": "hour", "godzin": "hour",
    "minute": "minute", "minutes": "minute", "minutę": "minute", "minuty": "minute",
    "minut": "minute",
}
_UNIT_PRECISION = {
    "year": Precision.YEAR, "month": Precision.MONTH, "week": Precision.WEEK,
    "day": Precision.DAY, "hour": Precision.HOUR, "minute": Precision.MINUTE,
}
_LATER = {"later", "after", "afterwards", "afterward", "później", "potem", "po"}
_EARLIER = {"earlier", "before", "previously", "wcześniej", "przed", "przedtem"}
_NEXT = {"next", "following", "następnego", "następnym", "kolejnego", "kolejnym",
         "następny", "następna", "następnej", "kolejny", "kolejnej"}
_PREVIOUS = {"previous", "preceding", "poprzedniego", "poprzednim", "poprzedni",
             "poprzedniej"}

_UNIT_WORDS = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_NUM_WORDS = "|".join(sorted(map(re.escape, _NUMBERS), key=len, reverse=True))
_SHIFT_RE = re.compile(
    rf"^(?P<n>\d+|{_NUM_WORDS})?\s*(?P<unit>{_UNIT_WORDS})\s+(?P<dir>\w+)$", re.IGNORECASE
)
#: "2-3 weeks ago", "two to three days later": a counted range (each end parsed on its own).
_COUNT_RANGE_RE = re.compile(
    rf"^(?P<a>\d+|{_NUM_WORDS})\s*(?:-|–|—|\s(?:to|or|do|lub)\s)\s*(?P<b>\d+|{_NUM_WORDS})"
    rf"\s+(?P<rest>(?:{_UNIT_WORDS})\s+\w+)$",
    re.IGNORECASE,
)
#: Where a range may be cut in two: "X to Y", "X until Y", "X - Y", "X-Y", "X – Y".
_RANGE_CUT_RE = re.compile(r"\s+(?:to|until|till|through|thru)\s+|\s*[-–—]\s*", re.IGNORECASE)
_NEXT_RE = re.compile(
    rf"^(?:on |in |during |w |we )?(?:the )?(?P<dir>\w+)\s+(?P<unit>{_UNIT_WORDS})$",
    re.IGNORECASE,
)
_FIXED_SHIFTS: dict[str, tuple[int, str, bool]] = {
    # text -> (n, unit, whole_period)
    "the day after": (1, "day", True), "the day before": (-1, "day", True),
    "nazajutrz": (1, "day", True), "dzień później": (1, "day", True),
    "dzień wcześniej": (-1, "day", True), "dzień po": (1, "day", True),
    "dzień przed": (-1, "day", True), "dzień przedtem": (-1, "day", True),
}

# --- Polish phrasings dateparser 1.x misses: rewritten to English before parsing -------------

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), r)
    for p, r in (
        (r"^(?:w\s+)?(?:zeszłym|ubiegłym|poprzednim)\s+roku$", "last year"),
        (r"^(?:zeszłego|ubiegłego|poprzedniego)\s+roku$", "last year"),
        (r"^(?:zeszły|ubiegły|poprzedni)\s+rok$", "last year"),
        (r"^(?:w\s+)?(?:zeszłym|ubiegłym|poprzednim)\s+miesiącu$", "last month"),
        (r"^(?:zeszłego|ubiegłego|poprzedniego)\s+miesiąca$", "last month"),
        (r"^(?:zeszły|ubiegły|poprzedni)\s+miesiąc$", "last month"),
        (r"^(?:w\s+)?(?:zeszłym|ubiegłym|poprzednim)\s+tygodniu$", "last week"),
        (r"^(?:zeszłego|ubiegłego|poprzedniego)\s+tygodnia$", "last week"),
        (r"^tydzień\s+temu$", "1 week ago"),
        (r"^miesiąc\s+temu$", "1 month ago"),
        (r"^rok\s+temu$", "1 year ago"),
        (r"^(?:w\s+)?(?:przyszłym|następnym)\s+tygodniu$", "next week"),
        (r"^(?:w\s+)?(?:przyszłym|następnym)\s+miesiącu$", "next month"),
        (r"^(?:w\s+)?(?:przyszłym|następnym)\s+roku$", "next year"),
    )
)

# ISO 8601 / EXIF ("2022:11:18 10:30:00") with optional parts, fraction and offset.
_ISO_RE = re.compile(
    r"^(?P<y>\d{4})(?:[-:](?P<m>\d{2})(?:[-:](?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2})(?::(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?)?)?)?"
    r"\s*(?P<z>Z|UTC|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)

# --- ranges ----------------------------------------------------------------------------------

#: Month names that may come before the day ("Nov. 18", "November 18-19"): English is the
#: language that writes the month first; Polish names are listed for "od listopada do ...".
_MONTHS_EN = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sept", "sep", "oct", "nov", "dec",
)
_MONTHS_PL = (
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
    "września", "października", "listopada", "grudnia", "styczeń", "luty", "marzec",
    "kwiecień", "kwiecien", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień",
    "październik", "listopad", "grudzień",
)
_MONTH_EN_WORD = r"(?:" + "|".join(sorted(_MONTHS_EN, key=len, reverse=True)) + r")\b\.?"
_MONTH_ANY_RE = re.compile(
    r"\b(?:" + "|".join(sorted(_MONTHS_EN + _MONTHS_PL, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_DAY_NUM = r"\d{1,2}(?:st|nd|rd|th|\.)?"
_DAY_SEP = r"(?:\s*[-–—]\s*|\s+(?:to|until|till|through|thru|and|do|i)\s+)"
#: "18-19 November 2022", "18–19 listopada", "18 to 19 November", "18.-19. November 2022".
_RANGE_DAYS_RE = re.compile(
    rf"^(?P<a>{_DAY_NUM}){_DAY_SEP}(?P<b>{_DAY_NUM})\s+(?P<rest>\D.*)$", re.IGNORECASE
)
#: "Nov. 18-19", "November 18 – 19, 2022", "Nov 18 to 19": the month is written once.
_RANGE_MONTH_FIRST_RE = re.compile(
    rf"^(?:on\s+)?(?P<month>{_MONTH_EN_WORD})\s*(?P<a>{_DAY_NUM}){_DAY_SEP}(?P<b>{_DAY_NUM})"
    r"(?P<rest>(?:,?\s*\d{4})?(?:\s*r\.)?)$",
    re.IGNORECASE,
)
#: one side of "between X and Y" that is only a day number ("between Nov. 18 and 19").
_BARE_DAY_RE = re.compile(rf"^(?P<d>{_DAY_NUM})(?P<rest>(?:,?\s*\d{{4}})?)$", re.IGNORECASE)
#: a side that starts with its day ("19 November 2022"), to lend its month to a bare day.
_DAY_FIRST_RE = re.compile(rf"^{_DAY_NUM}\s+(?P<rest>\D.*)$", re.IGNORECASE)
#: a side that starts with its month ("Nov. 18, 2022"), to lend its month to a bare day.
_MONTH_FIRST_RE = re.compile(
    rf"^(?P<month>{_MONTH_EN_WORD})\s*{_DAY_NUM}(?P<rest>(?:,?\s*\d{{4}})?)$", re.IGNORECASE
)
#: a 4-digit year at the end of a side ("22 December 2022", "grudnia 2022 r.").
_TRAILING_YEAR_RE = re.compile(r"(?P<y>\b\d{4})(?:\s*r\.)?$", re.IGNORECASE)
_FOUR_DIGITS_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")
_SHORT_NUMBER_RE = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_RANGE_RE = re.compile(
    r"^(?:between\s+(?P<a1>.+?)\s+and\s+(?P<b1>.+)"
    r"|from\s+(?P<a2>.+?)\s+(?:to|until|till)\s+(?P<b2>.+)"
    r"|(?:od|pomiędzy|między)\s+(?P<a3>.+?)\s+(?:do|a)\s+(?P<b3>.+)"
    r"|(?P<a4>.+?)\s+[-–—]\s+(?P<b4>.+))$",
    re.IGNORECASE,
)
_SECONDS_RE = re.compile(r"\d{1,2}:\d{2}:\d{2}")
_MINUTES_RE = re.compile(r"\d{1,2}[:.h]\d{2}")
_FRACTION_RE = re.compile(r"\d{1,2}:\d{2}:\d{2}[.,]\d+")
_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "poniedziałek": 0, "poniedziałku": 0, "wtorek": 1, "wtorku": 1,
    "środa": 2, "środę": 2, "środy": 2, "czwartek": 3, "czwartku": 3, "piątek": 4,
    "piątku": 4, "sobota": 5, "sobotę": 5, "soboty": 5, "niedziela": 6, "niedzielę": 6,
    "niedzieli": 6,
}
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
# Two unrelated reference instants used to tell absolute from relative text.
_PROBE_BASES = (dt.datetime(2001, 6, 13, 9, 17), dt.datetime(2014, 10, 24, 15, 41))
