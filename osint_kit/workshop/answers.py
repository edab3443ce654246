"""Reading a student's answer into a canonical form, forgivingly.

Every reader takes whatever a student typed (a string, a number, a date, a list...) and
returns the canonical string that is hashed and compared with the answer key, or raises
:class:`AnswerFormError` with a plain sentence saying what form is expected. No Python
exception text ever leaves this module: the checks show these sentences to students.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from osint_kit.errors import WorkshopError


class AnswerFormError(WorkshopError, ValueError):
    """An answer that cannot be read in the form the question asks for (a plain sentence)."""


#: Spellings of the units the answer key uses; an answer may carry any of them.
UNIT_ALIASES: dict[str, frozenset[str]] = {
    "degrees": frozenset({"°", "deg", "degree", "degrees", "º"}),
    "km": frozenset({"km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"}),
    "m": frozenset({"m", "metre", "metres", "meter", "meters"}),
    "hours": frozenset({"h", "hr", "hrs", "hour", "hours"}),
    "KST": frozenset({"kst", "korea standard time", "pyongyang time", "local"}),
}
_NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve"))}
_NUMBER_RE = re.compile(r"\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(.*?)\s*")
_TIME_RE = re.compile(r"\s*(\d{1,2})\s*[:.h]\s*(\d{2})(?:\s*:\s*(\d{2}))?\s*(.*?)\s*")
_FILE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".gif",
                            ".heic", ".txt", ".html", ".htm", ".pdf", ".json", ".yaml"})


def norm_text(value: Any) -> str:
    """Case, accents' width forms, runs of spaces and end punctuation ignored."""
    text = unicodedata.normalize("NFKC", str(value))
    text = " ".join(text.split()).casefold()
    return text.strip(" .,;:!?\"'`")


def _unit_ok(found: str, unit: str) -> bool:
    found = norm_text(found)
    return not found or found == unit.casefold() or found in UNIT_ALIASES.get(unit, ())


def read_number(value: Any, unit: str = "") -> float:
    """A finite number; a string may carry the key's unit (``"336°"``, ``"2.8 km"``)."""
    if isinstance(value, bool):
        raise AnswerFormError("this question wants a number, not True/False")
    if isinstance(value, numbers.Real):  # int, float, numpy and pandas scalars
        number = float(value)
    else:
        match = _NUMBER_RE.fullmatch(str(value)) if isinstance(value, str) else None
        if match is None:
            raise AnswerFormError("this question wants a number, e.g. 12.5"
                                  + (f" (in {unit})" if unit else ""))
        number = float(match.group(1).replace(",", "."))
        if unit and not _unit_ok(match.group(2), unit):
            raise AnswerFormError(f"give the answer in {unit} (you wrote {match.group(2)!r})")
        if not unit and match.group(2) and not re.fullmatch(r"[^\d]*", match.group(2)):
            raise AnswerFormError("this question wants one number")
    if not math.isfinite(number):
        raise AnswerFormError("this question wants a finite number")
    return number


def read_int(value: Any, unit: str = "") -> int:
    """A whole number: ``2``, ``2.0``, ``"2"``, ``"two"``, ``"2 parties"``."""
    if isinstance(value, str):
        first = norm_text(value).split(" ", 1)[0] if norm_text(value) else ""
        if first in _NUMBER_WORDS:
            return _NUMBER_WORDS[first]
    number = read_number(value, "") if not isinstance(value, str) else _leading_number(value)
    if number != int(number):
        raise AnswerFormError("this question wants a whole number (a count), e.g. 3")
    return int(number)


def _leading_number(text: str) -> float:
    match = _NUMBER_RE.fullmatch(text)
    if match is None or not re.fullmatch(r"\s*[-+]?[\d.,]+(?: [^\W\d_]+){0,2}\s*", text):
        raise AnswerFormError("this question wants a whole number (a count), e.g. 3")
    return float(match.group(1).replace(",", "."))


def read_minutes(value: Any, unit: str = "") -> float:
    """Minutes after midnight from ``"10:32"``, ``"10:32 KST"``, ``"10.32"``, a time/datetime."""
    if isinstance(value, dt.datetime | dt.time):
        return value.hour * 60 + value.minute + value.second / 60
    match = _TIME_RE.fullmatch(str(value)) if isinstance(value, str) else None
    if match is None:
        raise AnswerFormError("this question wants a clock time like 10:32"
                              + (f" ({unit})" if unit else ""))
    hours, minutes, seconds, zone = match.groups()
    if int(hours) > 23 or int(minutes) > 59 or int(seconds or 0) > 59:
        raise AnswerFormError("this is not a clock time: hours go to 23, minutes to 59")
    if zone and unit and not _unit_ok(zone, unit):
        raise AnswerFormError(f"give the time in {unit}, the local time the question asks for")
    return int(hours) * 60 + int(minutes) + int(seconds or 0) / 60


def _interval(value: Any) -> tuple[dt.date, dt.date]:
    if isinstance(value, dt.datetime):
        return value.date(), value.date()
    if isinstance(value, dt.date):
        return value, value
    from osint_kit.timeline.when import When

    if isinstance(value, When):  # its days where it was meant (Europe/Zagreb), not in UTC
        earliest, latest = value.local()
        return earliest.date(), latest.date()
    if not isinstance(value, str) or not value.strip():
        raise AnswerFormError("this question wants a date, e.g. 20 January 2023 or 2023-01-20")
    from osint_kit.timeline.parse import parse_when

    try:
        when = parse_when(value.strip())
    except Exception as err:  # every parser failure becomes one plain sentence
        raise AnswerFormError(
            "could not read this as a date: write it with the year, e.g. 20 January 2023 "
            "or 2023-01-20 (a month: December 2022)") from err
    if when.ambiguous:
        raise AnswerFormError("this date can be read two ways (day/month or month/day): "
                              "write the month as a word, e.g. 20 January 2023")
    return when.earliest.date(), when.latest.date()


def date_canonical(start: dt.date, end: dt.date) -> str:
    """``YYYY-MM-DD`` for a day, ``YYYY-MM`` for a calendar month, else ``start/end``."""
    if start == end:
        return start.isoformat()
    month_end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if start.day == 1 and end == month_end - dt.timedelta(days=1):
        return start.strftime("%Y-%m")
    return f"{start.isoformat()}/{end.isoformat()}"


def read_date(value: Any) -> tuple[dt.date, dt.date]:
    """The interval of days a date answer covers (``parse_when`` reads the text)."""
    return _interval(value)


def days_within(start: dt.date, end: dt.date, limit: int = 400) -> Iterator[dt.date]:
    """Each day of a (short) interval; used to tell "right period, too vague" from wrong."""
    day = start
    while day <= end and (day - start).days < limit:
        yield day
        day += dt.timedelta(days=1)


def file_canonical(value: Any) -> str:
    """A file name without folder, known extension and case: ``Photo.JPG`` -> ``photo``."""
    if not isinstance(value, str | PurePosixPath | PureWindowsPath) and not hasattr(
            value, "__fspath__"):
        raise AnswerFormError("this question wants a file name, e.g. 'photo_001.jpg'")
    text = str(value).strip().strip("'\"")
    name = PureWindowsPath(text).name if "\\" in text else PurePosixPath(text).name
    if not name:
        raise AnswerFormError("this question wants a file name, e.g. 'photo_001.jpg'")
    path = PurePosixPath(name)
    if path.suffix.casefold() in _FILE_SUFFIXES:
        name = path.stem
    return norm_text(name)


def set_canonical(value: Any) -> str:
    """Names in any order and case; a string is split on commas, semicolons or 'and'."""
    if isinstance(value, str):
        items: Iterable[Any] = re.split(r"\s*(?:[,;/]|\band\b)\s*", value)
    elif isinstance(value, Iterable) and not isinstance(value, bytes):
        items = list(value)
    else:
        raise AnswerFormError("this question wants a list of names, e.g. ['A', 'B']")
    names = {norm_text(v) for v in items} - {""}
    if not names:
        raise AnswerFormError("this question wants a list of names, e.g. ['A', 'B']")
    return "|".join(sorted(names))


def choice_canonical(value: Any, options: list[str]) -> str:
    """One of ``options``: its text (any case) or its letter (``"b"``, ``"B)"``)."""
    text = norm_text(value).strip("()")
    normed = [norm_text(o) for o in options]
    if text in normed:
        return text
    if len(text) == 1 and text.isalpha() and ord(text) - ord("a") < len(options):
        return normed[ord(text) - ord("a")]
    heads = [o for o in normed if text and o.split(":")[0].strip() == text]
    starts = [o for o in normed if text and o.startswith(text)]
    if len(heads) == 1:
        return heads[0]
    if len(starts) == 1 and len(text) >= 3:
        return starts[0]
    listed = "; ".join(f"{chr(ord('A') + i)}) {o}" for i, o in enumerate(options))
    raise AnswerFormError(f"choose one of the options: {listed}")


_SUFFIXES = ("ations", "ation", "ings", "ing", "ness", "ments", "ment", "ies", "ied", "ers",
             "er", "ed", "ly", "es", "s")


def stem(word: str) -> str:
    """A crude English stem (enough for key points): 'copied', 'copies' -> 'cop'."""
    word = norm_text(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> list[str]:
    """The stems of the words of a free-text answer, in order."""
    return [stem(w) for w in re.findall(r"[^\W_]+", norm_text(text))]


def phrases(text: str, longest: int = 3) -> set[str]:
    """Every run of 1..``longest`` stems of ``text`` (how key points are matched)."""
    words = stems(text)
    return {" ".join(words[i:i + n]) for n in range(1, longest + 1)
            for i in range(len(words) - n + 1)}
