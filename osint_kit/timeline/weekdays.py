"""Weekdays named in a text ("Friday", "w piątek", "в пятницу", "last Friday"), counted from
the reference (usually the publication date).

The rules, each named in the provenance of the result:

* **inclusive** (default): a bare weekday is the most recent such day *on or before* the
  reference day. News convention: "on Friday" in a story published on a Friday is that day
  (AP style uses the bare weekday for the past seven days).
* **strict** (``weekday="strict"``): the most recent such day strictly before the reference.
* "**last** Friday" ("w zeszły piątek", "в прошлую пятницу"): never the reference day itself.
  In a Friday story it is a week earlier. Writers also use it for "the Friday of last week":
  when that differs from the most recent Friday before the reference (a Saturday story's
  "last Friday" is the day before, or eight days before), both readings are kept and the
  interval spans them.
* "this **past** Friday" ("w ostatni piątek", "в минувшую пятницу"): the most recent such day
  strictly before the reference; one reading.
* "**this** Friday" ("w ten piątek", "в эту пятницу"): that day of the reference's own week
  (Monday to Sunday), before or after the reference.
* "**next** Friday" ("w przyszły piątek", "в следующую пятницу"): mirrored from "last";
  "this **coming** Friday" ("w najbliższy piątek", "в ближайшую пятницу"): the first after.

With ``prefer="future"`` the bare weekday looks forward instead (on or after the reference;
strictly after with ``weekday="strict"``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace

from osint_kit.errors import DateError
from osint_kit.timeline.when import (
    Precision,
    When,
    missing_reference,
    reference_label,
    reference_start,
)
from osint_kit.timeline.words import _WEEKDAY_RE, _WEEKDAYS, WEEKDAY_EXPR_RE, WEEKDAY_MODIFIERS

log = logging.getLogger(__name__)

WEEKDAY_RULES = ("inclusive", "strict")
_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: resolves the time words after a weekday on a given day; None when they cannot be read.
AtDay = Callable[[str, dt.date], When | None]


def check_rule(rule: str) -> str:
    """The ``weekday=`` argument, checked."""
    if rule not in WEEKDAY_RULES:
        raise DateError(f"weekday must be one of {WEEKDAY_RULES}, not {rule!r}: 'inclusive' "
                        "counts the reference day itself, 'strict' only days before it")
    return rule


def _days(ref_day: dt.date, target: int, how: str, rule: str,
          prefer: str) -> tuple[list[dt.date], str]:
    """The day(s) a weekday names, and the rule that chose them (for the provenance)."""
    name = _NAMES[target]
    back = (ref_day.weekday() - target) % 7  # days back to the most recent, 0 = today
    ahead = (target - ref_day.weekday()) % 7
    monday = ref_day - dt.timedelta(days=ref_day.weekday())
    before = ref_day - dt.timedelta(days=back or 7)
    after = ref_day + dt.timedelta(days=ahead or 7)
    if how == "bare":
        if prefer == "future":
            if rule == "inclusive":
                return [ref_day + dt.timedelta(days=ahead)], (
                    f"weekday rule 'inclusive' (prefer='future'): the first {name} on or after "
                    "the reference day")
            return [after], f"weekday rule 'strict' (prefer='future'): the first {name} after " \
                            "the reference day"
        if rule == "inclusive":
            return [ref_day - dt.timedelta(days=back)], (
                f"weekday rule 'inclusive': the most recent {name} on or before the reference "
                f"day (news convention: 'on {name}' in a {name} story is that day; pass "
                "weekday='strict' for strictly before)")
        return [before], f"weekday rule 'strict': the most recent {name} strictly before the " \
                         "reference day"
    if how == "past":
        return [before], f"'this past {name}': the most recent {name} strictly before the " \
                         "reference day"
    if how == "coming":
        return [after], f"'this coming {name}': the first {name} after the reference day"
    if how == "this":
        return [monday + dt.timedelta(days=target)], (
            f"'this {name}': the {name} of the reference's own week (Monday-Sunday)")
    if how == "last":
        of_last_week = monday - dt.timedelta(days=7 - target)
        rule_text = (f"'last {name}': never the reference day; the most recent {name} strictly "
                     f"before it (in a {name} story a week earlier)")
        if of_last_week == before:
            return [before], rule_text
        return [of_last_week, before], (
            f"AMBIGUOUS: {rule_text}, or the {name} of the previous week (Monday-Sunday); "
            "both are kept and the interval spans them")
    of_next_week = monday + dt.timedelta(days=7 + target)  # "next"
    rule_text = f"'next {name}': the first {name} after the reference day"
    if of_next_week == after:
        return [after], rule_text
    return [after, of_next_week], (
        f"AMBIGUOUS: {rule_text}, or the {name} of the following week (Monday-Sunday); both "
        "are kept and the interval spans them")


def parse_weekday(text: str, ref: When | None, zone: str, rule: str, prefer: str,
                  at_day: AtDay) -> When | None:
    """A weekday expression resolved by the rules above (None if ``text`` is not one)."""
    m = WEEKDAY_EXPR_RE.match(text)
    if m is None:
        return None
    if ref is None:
        raise missing_reference(text)
    mod = m.group("mod")
    how = WEEKDAY_MODIFIERS[mod.lower()] if mod else "bare"
    target = _WEEKDAYS[m.group("day").lower()]
    ref_day = reference_start(ref, zone).date()
    days, rule_text = _days(ref_day, target, how, rule, prefer)
    rest = m.group("rest")
    readings = []
    for day in days:
        when: When | None = None
        note = ""
        if rest and any(ch.isdigit() for ch in rest):
            plain = text if not mod else (text[: m.start("mod")] + text[m.end("mod"):]).strip()
            when = at_day(" ".join(plain.split()), day)
            if when is None:
                note = f"; the time words {rest!r} were not read: the whole day is kept"
        elif rest:  # "morning", "rano", "вечером": no agreed hours, so not narrowed
            note = f"; {rest!r} names a part of the day without hours: the whole day is kept"
        if when is None:
            when = When.from_local(dt.datetime.combine(day, dt.time()), Precision.DAY, zone,
                                   text)
        readings.append((when, note))
    label = reference_label(ref, zone)
    provenance = f"{text!r} resolved against reference {label}: {rule_text}"
    if len(readings) == 1:
        when, note = readings[0]
        return When(when.earliest, when.latest, when.precision, text, zone,
                    provenance + note, reference=ref.earliest)
    candidates = tuple(
        When(w.earliest, w.latest, w.precision, text, zone,
             f"reading {i}: {w.describe()}{note}", reference=ref.earliest)
        for i, (w, note) in enumerate(readings, 1))
    return When(
        min(c.earliest for c in candidates), max(c.latest for c in candidates),
        candidates[0].precision, text, zone,
        f"{provenance} ({'; '.join(c.provenance for c in candidates)})",
        reference=ref.earliest, candidates=candidates,
    )


def check_weekday(when: When, text: str) -> When:
    """Say so in the provenance when a stated weekday does not match the resolved day."""
    match = _WEEKDAY_RE.search(text)
    if match is None or when.precision is not Precision.DAY \
            or when.duration > dt.timedelta(days=1):
        return when
    stated = _WEEKDAYS[match.group(1).lower()]
    day = when.local()[0]
    if day.weekday() == stated:
        return when
    note = (f"WARNING: the text says {match.group(1)!r} but {day.date().isoformat()} is a "
            f"{day.strftime('%A')}: check the date or the weekday")
    log.info("%s (%r)", note, text)
    return replace(when, provenance=f"{when.provenance}; {note}")
