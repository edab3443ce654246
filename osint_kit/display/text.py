"""Plain text for everything the kit draws or prints: the one place labels are made safe.

Labels come from evidence (file names, EXIF strings, source ids, page titles). Two contexts:

* **matplotlib** (:func:`mpl_text`): a string with two ``$`` signs is parsed as *mathtext*,
  so a file named ``a$x^{$b.jpg`` makes ``savefig`` raise and ``$5 and $6`` is typeset as
  italics. Every ``$`` is escaped (``\\$`` is drawn as a literal ``$``), control characters
  are dropped and long text is shortened. Every figure function calls it for every title,
  tick label, annotation and legend entry built from data.
* **terminals** (:func:`terminal_text`): escape sequences in a file name would let the file
  repaint the investigator's screen; control characters become ``?``.

Durations are formatted for people by :func:`human_duration` ("398 days", "3 h 20 min").
"""

from __future__ import annotations

import math
from typing import Any

#: Default maximum length of a drawn label (longer ones end in "…").
LABEL_LIMIT = 40


def _printable(text: Any, replacement: str) -> str:
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return "".join(ch if ch.isprintable() else replacement for ch in str(text))


def shorten(text: str, limit: int | None) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when cut."""
    if limit is None or len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def mpl_text(text: Any, limit: int | None = LABEL_LIMIT) -> str:
    """Text safe for any matplotlib Text: no mathtext, no control characters, bounded.

    >>> mpl_text("costs $5 and $6")
    'costs \\\\$5 and \\\\$6'
    """
    return shorten(_printable(text, ""), limit).replace("$", r"\$")


def terminal_text(text: Any, width: int | None = None) -> str:
    """One line without control characters (escape sequences) for a terminal."""
    return shorten(_printable(text, "?"), width)


def human_duration(value: Any) -> str:
    """A duration for people: "398 days", "1 day 2 h", "3 h 20 min", "45 s"; "" if unknown.

    Accepts a ``datetime.timedelta``, a pandas ``Timedelta`` or seconds. Sub-second noise (the
    microsecond by which an interval's end is exclusive) is rounded away.
    """
    if value is None:
        return ""
    try:
        seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value)
    except (TypeError, ValueError):
        return ""
    if seconds != seconds:  # NaN / NaT
        return ""
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days >= 30:
        text = f"{days + (1 if hours >= 12 else 0)} days"
    elif days:
        text = f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    elif hours:
        text = f"{hours} h" + (f" {minutes} min" if minutes else "")
    elif minutes:
        text = f"{minutes} min" + (f" {secs} s" if secs else "")
    else:
        text = f"{secs} s"
    return sign + text


__all__ = ["LABEL_LIMIT", "human_duration", "mpl_text", "shorten", "terminal_text"]
