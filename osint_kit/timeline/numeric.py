"""Dates written in numbers: ISO 8601 / EXIF timestamps (read exactly), and numeric dates
whose day/month order is not written ("11/12/2022", "03.04.2023").

"11/12/2022" is 11 December in Warsaw and 12 November in Washington. Unless the order is
known (``date_order="DMY"`` or ``"MDY"``, a ``locale`` such as ``"en-US"`` or ``"en-GB"``, or
``languages`` that all write the day first, e.g. ``["pl"]``), both readings are kept: the
result spans them, lists them in ``When.candidates`` and says so in its provenance. A reading
that is not a real date (a month above 12) is dropped, and so is a repeated one (05/05/2022),
so most numeric dates still give one day. A two-digit year is put in the century that brings
it closest to the reference (or to today); the year is never read first. :func:`check_year`
refuses a year dateparser made out of a day number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from osint_kit.errors import DateError, MissingReferenceError, UnparseableDateError
from osint_kit.timeline.when import UNKNOWN_TZ, UTC, Precision, When, local_bounds, localize
from osint_kit.timeline.words import (
    _FOUR_DIGITS_RE,
    _ISO_RE,
    _SHORT_NUMBER_RE,
    _WEEKDAYS,
    DAY_FIRST_LANGUAGES,
    LOCALE_DATE_ORDER,
    NUMERIC_DATE_RE,
)

DATE_ORDERS = ("DMY", "MDY")


def settle_order(date_order: str | None, locale: str | None,
                 languages: Sequence[str] | None) -> tuple[str | None, str]:
    """The day/month order to use, and why (``None`` when nothing settles it)."""
    if date_order is not None:
        order = str(date_order).upper()
        if order not in DATE_ORDERS:
            raise DateError(f"date_order must be 'DMY' (day first) or 'MDY' (month first), "
                            f"not {date_order!r}")
        return order, f"date_order={order!r}"
    if locale is not None:
        key = str(locale).lower().replace("_", "-")
        order_for_locale = LOCALE_DATE_ORDER.get(key) or LOCALE_DATE_ORDER.get(key.split("-")[0])
        if order_for_locale is None:
            raise DateError(f"unknown locale {locale!r} for numeric dates: pass date_order="
                            "'DMY' or 'MDY' instead (known: "
                            f"{', '.join(sorted(LOCALE_DATE_ORDER))})")
        return order_for_locale, f"locale={locale!r}"
    if languages and all(lang.lower() in DAY_FIRST_LANGUAGES for lang in languages):
        return "DMY", f"languages={list(languages)!r} all write the day first"
    return None, ""


def _year_for(day: int, month: int, ref_day: dt.date, prefer: str) -> int | None:
    """The year of a day and month written without one: the most recent on or before the
    reference day (``prefer="future"``: the first on or after it)."""
    step = 1 if prefer == "future" else -1
    for year in (ref_day.year, ref_day.year + step):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue  # 29 February
        if (candidate <= ref_day) if step < 0 else (candidate >= ref_day):
            return year
    return None


def parse_numeric(text: str, zone: str, order: str | None, why: str,
                  ref_day: dt.date | None, prefer: str = "past") -> When | None:
    """Read ``d/m/y`` or ``m/d/y`` (with ``/``, ``.`` or ``-``), ``d/m`` and ``d.m.`` without
    a year (counted from ``ref_day``), optionally after a weekday; None if ``text`` is not one.
    """
    m = NUMERIC_DATE_RE.match(text)
    if m is None:
        return None
    a, b, raw_year = int(m.group("a")), int(m.group("b")), m.group("y")
    notes = ""
    if raw_year is None:
        if m.group("sep") == "." and m.group("dot"):  # "18.11.": a day-first convention
            order, why = "DMY", "'day.month.' is written day first"
        elif m.group("sep") != "/":
            return None  # "11.12" is also a time, "11-12" a range of days: not claimed here
        if ref_day is None:
            raise MissingReferenceError(
                f"{text!r} has no year: pass reference= the publication date it was written "
                "on, e.g. reference=datetime.date(2023, 1, 21)")
    pivot = ref_day.year if ref_day is not None else dt.datetime.now(dt.UTC).year
    if raw_year is not None and len(raw_year) == 2:
        year: int | None = min((c + int(raw_year) for c in (1900, 2000, 2100)),
                               key=lambda y: abs(y - pivot))
        notes = f"; two-digit year {raw_year} read as {year} (the century nearest {pivot})"
    else:
        year = int(raw_year) if raw_year is not None else None
    hour = m.group("H")
    time = dt.time(int(hour), int(m.group("M")), int(m.group("S") or 0)) if hour else None
    if time is None:
        precision = Precision.DAY
    else:
        precision = Precision.SECOND if m.group("S") else Precision.MINUTE
    orders = [order] if order else list(DATE_ORDERS)
    readings: list[tuple[str, dt.datetime]] = []
    for o in orders:
        day, month = (a, b) if o == "DMY" else (b, a)
        y = year
        if y is None and ref_day is not None and 1 <= month <= 12:
            y = _year_for(day, month, ref_day, prefer)
        try:
            value = dt.datetime.combine(dt.date(y or 0, month, day), time or dt.time())
        except ValueError:
            continue
        if all(value != v for _, v in readings):
            readings.append((o, value))
    if raw_year is None and readings:
        notes += f"; no year written: the {'next' if prefer == 'future' else 'most recent'} " \
                 f"such day counted from the reference {ref_day}"
    named = m.group("wd")
    if named and len(readings) > 1:  # "Friday 11/11/2022": the weekday may settle the order
        fits = [r for r in readings if r[1].weekday() == _WEEKDAYS[named.lower()]]
        if len(fits) == 1:
            readings, order = fits, fits[0][0]
            why = f"only that reading falls on the {named!r} the text names"
        elif not fits:
            notes += f"; WARNING: neither reading falls on the {named!r} the text names"
    if not readings:
        raise UnparseableDateError(f"{text!r} is not a date in either day/month order"
                                   + (f" ({why})" if why else ""))
    names = {"DMY": "day first", "MDY": "month first"}
    whens = [When.from_local(v, precision, zone, text, f"reading {names[o]}")
             for o, v in readings]
    if len(whens) == 1:
        o = readings[0][0]
        if order:
            reason = f"{names[o]} because {why}"
        elif len(orders) == 2 and a != b:
            reason = f"{names[o]}: the other order is not a real date"
        else:
            reason = "as the same day in either order"
        return When(whens[0].earliest, whens[0].latest, precision, text, zone,
                    f"numeric date {text!r} read {reason}{notes}")
    whens.sort(key=lambda w: w.earliest)
    listed = " or ".join(f"{w.describe()} ({w.provenance.removeprefix('reading ')})"
                         for w in whens)
    return When(
        whens[0].earliest, whens[-1].latest, precision, text, zone,
        f"AMBIGUOUS: numeric date {text!r} reads as {listed}; the interval spans both. Pass "
        "date_order='DMY' or 'MDY' (or locale='en-GB'/'en-US', or languages=['pl']) to "
        f"settle it{notes}",
        candidates=tuple(whens),
    )


def parse_iso(text: str, zone: str) -> When | None:
    """ISO 8601 / EXIF timestamp at its stated precision (None if the text is not one).

    ``zone`` applies when the text has no offset; ``"unknown"`` widens by -12h..+14h.
    """
    match = _ISO_RE.match(text)
    if not match:
        return None
    g = match.groupdict()
    try:
        frac = g["f"]
        micro = int((frac + "000000")[:6]) if frac else 0
        local = dt.datetime(int(g["y"]), int(g["m"] or 1), int(g["d"] or 1), int(g["H"] or 0),
                            int(g["M"] or 0), int(g["S"] or 0), micro)
    except ValueError as err:
        raise UnparseableDateError(f"{text!r} looks like ISO 8601 but is invalid: {err}") from err
    if g["z"]:
        z = g["z"].upper()
        if z in ("Z", "UTC"):
            zone = "UTC"
        else:
            digits = z[1:].replace(":", "")
            zone = f"{z[0]}{digits[:2]}:{digits[2:4] or '00'}"
            zone = "UTC" if zone in ("+00:00", "-00:00") else zone
    for key, precision in (("f", None), ("S", Precision.SECOND), ("M", Precision.MINUTE),
                           ("H", Precision.HOUR), ("d", Precision.DAY), ("m", Precision.MONTH),
                           ("y", Precision.YEAR)):
        if g[key] is None:
            continue
        if precision is None:  # a fraction of a second: an exact instant
            if zone == UNKNOWN_TZ:
                return When.from_local(local, Precision.SECOND, zone, text, "ISO 8601")
            return When.exact(localize(local, zone), text=text, provenance="ISO 8601, exact")
        note = "ISO 8601, offset in text" if g["z"] else "ISO 8601"
        return When.from_local(local, precision, zone, text, note)
    return None  # pragma: no cover - the year group always matches


#: A year read from a short number must lie this close to the reference (or to today).
YEAR_WINDOW = 50


def check_year(when: When, text: str, ref: When | None) -> None:
    """Refuse a year dateparser made out of a day number ("Nov. 18-19" -> 18 Nov 1919).

    Only text without a 4-digit number is checked: its year is either counted from the
    reference ("100 years ago") or read from a one- or two-digit token, and the latter must
    lie within :data:`YEAR_WINDOW` years of the reference (of today without one).
    """
    if _FOUR_DIGITS_RE.search(text):
        return
    year = local_bounds(when, when.tz)[0].year
    pivot = local_bounds(ref, when.tz)[0].year if ref is not None else dt.datetime.now(UTC).year
    if abs(year - pivot) <= YEAR_WINDOW:
        return
    short = {int(t) for t in _SHORT_NUMBER_RE.findall(text)}
    if year >= 1900 and year % 100 not in short:
        return  # counted, not read from a number: "100 years ago"
    raise UnparseableDateError(
        f"{text!r} was read as a date in {year}, more than {YEAR_WINDOW} years from "
        f"{pivot}: a day number was probably taken for a two-digit year. Write the year in "
        "full, e.g. 'November 18-19, 2022' or '18.11.2022'"
    )
