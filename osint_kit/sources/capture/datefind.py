"""Find date expressions in text and resolve them with the timeline's ``parse_when``.

Detection is a table of regular expressions (English, with Polish month names), longest
match first, no overlaps: "Monday, February 26, 2024", "November 18, 2022", "Nov. 18",
"mid-November", "November 19", "Last month", "on Friday", "2023-01-20", "in 2022"... Each
mention keeps its line, character span and a context window. Resolution is a separate step
against a reference date that *the researcher* chooses (never the page header silently).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from osint_kit.sources.capture.records import BODY, DateMention

log = logging.getLogger(__name__)

_MONTHS_FULL = (r"january|february|march|april|may|june|july|august|september|october|"
                r"november|december|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|"
                r"sierpnia|września|października|listopada|grudnia|styczeń|luty|marzec|"
                r"kwiecień|czerwiec|lipiec|sierpień|wrzesień|październik|listopad|grudzień")
_MONTHS_ABBR = r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
MONTH = rf"(?:(?:{_MONTHS_FULL})\b|(?:{_MONTHS_ABBR})\b\.?)"
WEEKDAY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|poniedziałek|"
           r"wtorek|środa|środę|czwartek|piątek|sobota|sobotę|niedziela|niedzielę)\b")
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]|20)\d{2}"
QUAL = (r"(?:early|mid|late|the end of|end of|the beginning of|beginning of|the middle of|"
        r"middle of|the start of|start of)")
UNIT = r"(?:day|days|week|weeks|weekend|month|months|year|years)"

#: (kind, pattern) in priority order: scanning left to right, the first pattern that matches
#: at a position wins (all are compiled into one alternation, one pass per line).
DATE_PATTERNS: tuple[tuple[str, str], ...] = (
        ("iso_datetime", rf"\b{YEAR}-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d)?"
                         r"(?:\.\d+)?(?:Z|[+-][0-2]\d:?[0-5]\d)?)?\b"),
        ("weekday_date", rf"\b{WEEKDAY},?\s+(?:{MONTH}\s+{DAY}|{DAY}\s+{MONTH})"
                         rf"(?:,?\s+{YEAR})?\b"),
        ("month_day_year", rf"\b{MONTH}\s+{DAY},?\s+{YEAR}\b"),
        ("day_month_year", rf"\b{DAY}\s+{MONTH},?\s+{YEAR}\b"),
        ("numeric_date", rf"\b[0-3]?\d[./][01]?\d[./]{YEAR}\b"),
        ("qualified_month", rf"\b{QUAL}[-\s]+{MONTH}(?:,?\s+{YEAR})?"),
        ("month_day", rf"\b{MONTH}\s+{DAY}\b(?!\s*(?:%|percent|km|m\b|people))"),
        ("day_month", rf"\b{DAY}\s+{MONTH}"),
        ("month_year", rf"\b{MONTH},?\s+{YEAR}\b"),
        ("relative_unit", rf"\b(?:last|next|this|previous|past|coming|earlier this|later this)"
                          rf"\s+{UNIT}\b"),
        ("relative_weekday", rf"\b(?:last|next|this|previous|coming)\s+{WEEKDAY}"),
        ("ago", rf"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|"
                rf"several)\s+{UNIT}\s+(?:ago|earlier|later|before|after)\b"),
        ("relative_day", r"\b(?:yesterday|today|tomorrow|tonight|the day before yesterday|"
                         r"the following day|the next day|the day before|the previous day|"
                         r"the same day|wczoraj|dzisiaj|dziś|jutro)\b"),
        ("weekday", rf"\b(?:on\s+)?{WEEKDAY}"),
        ("time", r"\b[0-2]?\d:[0-5]\d\s*(?:a\.m\.|p\.m\.|am|pm)?(?:\s*(?:UTC|GMT|KST|local))?"),
        ("year", rf"\b(?:in|since|by|during|until|before|after|of|w|od|do)\s+{YEAR}\b"),
)
_COMBINED = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in DATE_PATTERNS),
                       re.IGNORECASE)

CONTEXT_CHARS = 60
#: Date mentions resolved per capture (the same text is resolved once and reused).
MAX_RESOLVED = 2_000
#: Cheap substring test run before the patterns (a line without any of these, and without a
#: digit, holds no date expression): keeps huge pages fast.
_KEYWORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
             "dec", "day", "week", "month", "year", "tonight", "tomorrow", "stycz", "lut",
             "kwie", "maj", "czerw", "lip", "sierp", "wrze", "paźdz", "listop", "grud",
             "poniedz", "wtor", "środ", "czwart", "piąt", "sobot", "niedziel", "wczoraj",
             "dzisiaj", "dziś", "jutro")


_DIGIT = re.compile(r"\d")


def _may_hold_date(text: str) -> bool:
    if _DIGIT.search(text):
        return True
    low = text.lower()
    return any(k in low for k in _KEYWORDS)


def find_dates(text: str, line: int = 0, role: str = BODY) -> list[DateMention]:
    """Every date expression in ``text`` (one line), longest match first, no overlaps."""
    found: list[tuple[int, int, str]] = []
    if not _may_hold_date(text):
        return []
    for m in _COMBINED.finditer(text):
        kind = m.lastgroup or ""
        start, end = m.start(), m.end()
        if kind == "weekday" and m.group(0).lower().startswith("on "):
            start += 3  # keep "on" in the context, not in the expression
        if kind == "year":
            start = m.end() - 4
        found.append((start, end, kind))
    out = []
    for start, end, kind in found:
        expr = text[start:end].strip()
        ctx_start, ctx_end = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
        context = ("…" if ctx_start else "") + text[ctx_start:ctx_end] + \
            ("…" if ctx_end < len(text) else "")
        out.append(DateMention(text=expr, line=line, start=start, end=end, context=context,
                               role=role, kind=kind))
    return out


def resolve_mentions(mentions: Iterable[DateMention], reference: Any = None,
                     tz: str | None = None,
                     languages: Sequence[str] | None = None) -> tuple[DateMention, ...]:
    """Resolve each mention with ``parse_when`` against ``reference``; failures become data.

    Relative expressions without a reference get ``error`` = the MissingReferenceError
    message; nothing is guessed from the page header.
    """
    from osint_kit.timeline import parse_when

    out = []
    cache: dict[str, tuple[Any, str | None]] = {}
    for n, m in enumerate(mentions):
        if n >= MAX_RESOLVED:
            out.append(replace(m, when=None, error=f"not resolved: more than {MAX_RESOLVED} "
                                                   "date mentions in one capture"))
            continue
        if m.text in cache:
            when, error = cache[m.text]
            out.append(replace(m, when=when, error=error))
            continue
        text = m.text
        try:
            kwargs: dict[str, Any] = {"reference": reference, "tz": tz}
            if languages:
                kwargs["languages"] = list(languages)
            when = parse_when(text, **kwargs)
        except Exception as err:  # noqa: BLE001 - any parse failure is recorded as data
            cache[m.text] = (None, f"{type(err).__name__}: {err}")
        else:
            cache[m.text] = (when, None)
        when, error = cache[m.text]
        out.append(replace(m, when=when, error=error))
    return tuple(out)
