"""Word tables and patterns for :mod:`osint_kit.timeline.parse` (English, Polish, Russian).

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
    "в начале": 0, "начало": 0, "с начала": 0, "в середине": 1, "середина": 1,
    "в конце": 2, "конец": 2, "к концу": 2, "под конец": 2,
}
_AROUND_WORDS = (
    "around", "about", "approximately", "approx.", "circa", "ca.", "c.", "roughly",
    "około", "ok.", "w okolicach", "mniej więcej", "gdzieś",
    "около", "примерно", "приблизительно", "где-то",
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
    "на следующий день": (1, "day", True), "накануне": (-1, "day", True),
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
        (r"^(?:w\s+tym|tego)\s+tygodni(?:u|a)$", "this week"),
        (r"^(?:w\s+tym|tego)\s+miesiąc(?:u|a)$", "this month"),
        (r"^(?:w\s+tym|tego)\s+roku$", "this year"),
        (r"^(?:на\s+)?(?:этой|текущей)\s+недел[еи]$", "this week"),
        (r"^(?:в\s+)?(?:этом|этого|текущем|текущего)\s+месяц[еа]$", "this month"),
        (r"^(?:в\s+)?(?:этом|этого|текущем|текущего)\s+год[ау]$", "this year"),
        (r"^(?:на\s+)?прошлой\s+недел[еи]$", "last week"),
        (r"^(?:в\s+)?прошлом\s+месяце$|^прошлого\s+месяца$", "last month"),
        (r"^(?:в\s+)?прошлом\s+году$|^прошлого\s+года$", "last year"),
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
    "понедельник": 0, "вторник": 1, "среда": 2, "среду": 2, "четверг": 3, "пятница": 4,
    "пятницу": 4, "суббота": 5, "субботу": 5, "воскресенье": 6,
    # the other languages parse_when tries by default (German, French, Italian, Spanish,
    # Ukrainian): bare names, so their weekdays follow the same rule
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6,
    "lunedì": 0, "martedì": 1, "mercoledì": 2, "giovedì": 3, "venerdì": 4, "sabato": 5,
    "domenica": 6,
    "lunes": 0, "martes": 1, "miércoles": 2, "jueves": 3, "viernes": 4, "sábado": 5,
    "domingo": 6,
    "понеділок": 0, "вівторок": 1, "середа": 2, "середу": 2, "четвер": 3, "п'ятниця": 4,
    "п'ятницю": 4, "п’ятниця": 4, "п’ятницю": 4, "субота": 5, "суботу": 5, "неділя": 6,
    "неділю": 6,
}
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
# Two unrelated reference instants used to tell absolute from relative text.
_PROBE_BASES = (dt.datetime(2001, 6, 13, 9, 17), dt.datetime(2014, 10, 24, 15, 41))

# --- ordinal parts of periods, quarters, halves, seasons (see periods.py) ------------------

#: ordinal words -> which part (1-based; -1 is the last part).
ORDINALS: dict[str, int] = {
    **dict.fromkeys(("first", "1st", "i"), 1), **dict.fromkeys(("second", "2nd", "ii"), 2),
    **dict.fromkeys(("third", "3rd", "iii"), 3), **dict.fromkeys(("fourth", "4th", "iv"), 4),
    **dict.fromkeys(("fifth", "5th"), 5), **dict.fromkeys(("last", "final"), -1),
    **dict.fromkeys(("pierwszy", "pierwszym", "pierwszej", "pierwsza", "pierwsze",
                     "pierwszego", "pierwszą"), 1),
    **dict.fromkeys(("drugi", "drugim", "drugiej", "druga", "drugie", "drugiego", "drugą"), 2),
    **dict.fromkeys(("trzeci", "trzecim", "trzeciej", "trzecia", "trzecie", "trzeciego",
                     "trzecią"), 3),
    **dict.fromkeys(("czwarty", "czwartym", "czwartej", "czwarta", "czwarte", "czwartego",
                     "czwartą"), 4),
    **dict.fromkeys(("piąty", "piątym", "piątej", "piąta", "piątego"), 5),
    **dict.fromkeys(("ostatni", "ostatnim", "ostatniej", "ostatnia", "ostatnie", "ostatniego",
                     "ostatnią"), -1),
    **dict.fromkeys(("первый", "первом", "первой", "первая", "первую", "первое", "первого"), 1),
    **dict.fromkeys(("второй", "втором", "вторая", "вторую", "второе", "второго"), 2),
    **dict.fromkeys(("третий", "третьем", "третьей", "третья", "третью", "третье",
                     "третьего"), 3),
    **dict.fromkeys(("четвёртый", "четвертый", "четвёртом", "четвертом", "четвёртой",
                     "четвертой", "четвёртая", "четвертая", "четвёртую", "четвертую"), 4),
    **dict.fromkeys(("пятый", "пятом", "пятой", "пятая", "пятую"), 5),
    **dict.fromkeys(("последний", "последнем", "последней", "последняя", "последнюю"), -1),
}
#: the part a period is cut into: week (calendar days 1-7, 8-14, ...), half, quarter.
PART_UNITS: dict[str, str] = {
    "week": "week", "half": "half", "quarter": "quarter",
    **dict.fromkeys(("tydzień", "tygodniu", "tygodnia"), "week"),
    **dict.fromkeys(("połowa", "połowie", "połowę", "połowy"), "half"),
    **dict.fromkeys(("półrocze", "półroczu", "półrocza"), "half-year"),
    **dict.fromkeys(("kwartał", "kwartale", "kwartału"), "quarter"),
    **dict.fromkeys(("неделя", "неделе", "неделю", "недели"), "week"),
    **dict.fromkeys(("половина", "половине", "половину", "половины"), "half"),
    **dict.fromkeys(("полугодие", "полугодии", "полугодия"), "half-year"),
    **dict.fromkeys(("квартал", "квартале", "квартала"), "quarter"),
}
_LEAD = r"^(?:(?:in|during|over|on|by|w|we|na|в|во|на|за)\s+)?(?:the\s+)?"
_YEAR_WORD = r"(?:\s*(?:roku|rok|r\.|года|год|г\.))?"
ORDINAL_PART_RE = re.compile(
    _LEAD + r"(?P<ord>" + "|".join(sorted(map(re.escape, ORDINALS), key=len, reverse=True))
    + r")\s+(?P<unit>" + "|".join(sorted(map(re.escape, PART_UNITS), key=len, reverse=True))
    + r")(?:\s+of)?(?:\s+the)?\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
#: "Q3 2022", "3Q 2022", "Q3/2022", "H1 2022".
SHORT_PART_RE = re.compile(
    _LEAD + r"(?:(?P<u>[QH])(?P<n>[1-4])|(?P<n2>[1-4])(?P<u2>[QH]))(?:\s*(?:of\s+|[/,-])\s*|\s+)"
    r"(?P<rest>\d{4})" + _YEAR_WORD + "$",
    re.IGNORECASE,
)
#: season words -> season; meteorological months in the northern hemisphere.
SEASONS: dict[str, str] = {
    "spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn",
    "winter": "winter",
    **dict.fromkeys(("wiosna", "wiosną", "wiosny", "wiosnę", "wiośnie"), "spring"),
    **dict.fromkeys(("lato", "latem", "lecie"), "summer"),
    **dict.fromkeys(("jesień", "jesienią", "jesieni"), "autumn"),
    **dict.fromkeys(("zima", "zimą", "zimie", "zimy"), "winter"),
    **dict.fromkeys(("весна", "весной", "весны", "весну"), "spring"),
    **dict.fromkeys(("лето", "летом"), "summer"),
    **dict.fromkeys(("осень", "осенью", "осени"), "autumn"),
    **dict.fromkeys(("зима", "зимой", "зимы", "зиму"), "winter"),
}
#: first month of each season and how many months it lasts, by hemisphere.
SEASON_MONTHS: dict[str, dict[str, int]] = {
    "north": {"spring": 3, "summer": 6, "autumn": 9, "winter": 12},
    "south": {"spring": 9, "summer": 12, "autumn": 3, "winter": 6},
}
SEASON_RE = re.compile(
    _LEAD + r"(?P<season>" + "|".join(sorted(map(re.escape, SEASONS), key=len, reverse=True))
    + r")(?:\s+of)?\s+(?P<y1>\d{4})(?:\s*[/–—-]\s*(?P<y2>\d{4}|\d{2}))?" + _YEAR_WORD + "$",
    re.IGNORECASE,
)

# --- "earlier this week", "później w tym miesiącu", "ранее в этом году" ------------------------

#: direction words -> -1 (earlier: from the period's start to the reference day) or +1.
PERIOD_DIRECTIONS: dict[str, int] = {
    "earlier": -1, "wcześniej": -1, "ранее": -1, "раньше": -1,
    "later": 1, "później": 1, "позже": 1, "позднее": 1,
}
THIS_PERIOD_UNITS: dict[str, str] = {
    "week": "week", "month": "month", "year": "year",
    "tygodniu": "week", "miesiącu": "month", "roku": "year",
    "неделе": "week", "месяце": "month", "году": "year",
}
THIS_PERIOD_RE = re.compile(
    r"^(?P<dir>" + "|".join(PERIOD_DIRECTIONS) + r")\s+(?:this|w\s+tym|на\s+этой|в\s+этом)\s+"
    r"(?P<unit>" + "|".join(THIS_PERIOD_UNITS) + r")$",
    re.IGNORECASE,
)

# --- weekdays (see weekdays.py) ------------------------------------------------------------

#: words before a weekday -> how the weekday is counted from the reference.
WEEKDAY_MODIFIERS: dict[str, str] = {
    "last": "last", "this past": "past", "past": "past", "this": "this", "next": "next",
    "this coming": "coming", "coming": "coming",
    **dict.fromkeys(("zeszły", "zeszłą", "zeszłej", "ubiegły", "ubiegłą", "poprzedni",
                     "poprzednią"), "last"),
    **dict.fromkeys(("ostatni", "ostatnią"), "past"),
    **dict.fromkeys(("ten", "tę", "tą", "to"), "this"),
    **dict.fromkeys(("przyszły", "przyszłą", "następny", "następną"), "next"),
    **dict.fromkeys(("najbliższy", "najbliższą", "najbliższe"), "coming"),
    **dict.fromkeys(("прошлый", "прошлую", "прошлое"), "last"),
    **dict.fromkeys(("минувший", "минувшую", "минувшее"), "past"),
    **dict.fromkeys(("этот", "эту", "это"), "this"),
    **dict.fromkeys(("следующий", "следующую", "следующее", "будущий", "будущую", "будущее"),
                    "next"),
    **dict.fromkeys(("ближайший", "ближайшую", "ближайшее"), "coming"),
}
_TIME_OF_DAY = (
    r"(?:(?:at|around|about|o|około|ok\.|в|около)\s+)?\d{1,2}(?:[:.h]\d{2}){0,2}\s*"
    r"(?:a\.?m\.?|p\.?m\.?|h)?"
    r"|(?:in\s+the\s+)?(?:morning|afternoon|evening|night)|at\s+night|noon|midnight"
    r"|rano|wieczorem|po\s+południu|w\s+nocy|nocą|w\s+południe|przed\s+południem"
    r"|утром|днём|днем|вечером|ночью"
)
WEEKDAY_EXPR_RE = re.compile(
    r"^(?:(?:on|w|we|в|во|am|le|el|у)\s+)?(?:(?P<mod>"
    + "|".join(sorted(map(re.escape, WEEKDAY_MODIFIERS), key=len, reverse=True))
    + r")\s+)?(?P<day>" + "|".join(sorted(map(re.escape, _WEEKDAYS), key=len, reverse=True))
    + r")(?:\s*,?\s+(?P<rest>" + _TIME_OF_DAY + r"))?$",
    re.IGNORECASE,
)

# --- numeric dates whose day/month order is not written (11/12/2022) -------------------------

NUMERIC_DATE_RE = re.compile(
    r"^(?:on\s+|w\s+|we\s+|в\s+|во\s+)?(?:(?P<wd>"
    + "|".join(sorted(map(re.escape, _WEEKDAYS), key=len, reverse=True)) + r")\s*,?\s+)?"
    r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2})|(?P<dot>\.))?"
    r"(?:\s*r\.)?(?:(?:[ T]|,\s*)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$",
    re.IGNORECASE,
)
#: languages whose writers put the day first (a ``languages=`` list of only these settles it).
DAY_FIRST_LANGUAGES = frozenset({"pl", "ru", "uk", "de", "fr", "it", "es", "cs", "nl", "pt"})
#: locale -> the order of a numeric date ("DMY" day first, "MDY" month first).
LOCALE_DATE_ORDER: dict[str, str] = {
    "en-us": "MDY", "en-ph": "MDY", "en-gb": "DMY", "en-ie": "DMY", "en-au": "DMY",
    "en-nz": "DMY", "en-in": "DMY", "en-za": "DMY",
    **{lang: "DMY" for lang in DAY_FIRST_LANGUAGES},
    **{f"{lang}-{lang}": "DMY" for lang in ("pl", "de", "fr", "it", "es", "cs", "nl", "pt")},
    "ru-ru": "DMY", "uk-ua": "DMY",
}
