"""Line-level boilerplate rules: ads, teasers, navigation, weather widgets, link footers.

Each rule is (name, compiled pattern, why). A line is boilerplate when the *whole* line
matches, so article sentences that merely contain "advertisement" are never dropped. The
table is data: add a rule by adding a row.
"""

from __future__ import annotations

import re

_F = re.IGNORECASE

BOILERPLATE_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("advertisement",
     re.compile(r"^[\s\-–—•|]*(advertisement|advertising|sponsored( content)?|reklama|"
                r"anzeige|publicité|ad|ads)[\s\-–—•|]*$", _F),
     "advertisement marker"),
    ("teaser",
     re.compile(r"^(must read|read (also|more|next)|see also|also read|recommended( for you)?|"
                r"czytaj (też|także|więcej)|zobacz (też|także)|don'?t miss|editor'?s picks?|"
                r"you may also like|you might also like)\W*$", _F),
     "teaser / recommendation widget"),
    ("source_link",
     re.compile(r"^(source link|original (article|source)|link to (the )?source|read the "
                r"original( article)?)\W*$", _F),
     "link footer of a re-post ('Source link')"),
    ("more_articles",
     re.compile(r"^(more|related|latest|popular|trending|top|recent|similar)( \w+)? "
                r"(articles?|news|stories|posts|from \w+)\W*$|^(latest|trending|popular) now\W*$", _F),
     "article list widget ('More articles', 'Latest article')"),
    ("weather",
     re.compile(r"^[-+−]?\d{1,2}([.,]\d)?\s*°?\s*[CF]\b(\s+\w+)?$"),
     "weather widget (a temperature alone on a line)"),
    ("navigation",
     re.compile(r"^(home|menu|search|login|log in|sign in|sign up|subscribe|register|"
                r"skip to (main )?content|back to top|next|previous|share|share this|tweet|"
                r"print|email|comments?|follow us|contact( us)?|about( us)?|privacy policy|"
                r"cookie (policy|settings)|terms( of (use|service))?|newsletter|"
                r"all rights reserved|©.*|copyright ©?.*)\W*$", _F),
     "navigation or site chrome"),
    ("byline",
     re.compile(r"^(?i:by|posted by|written by|autor:?|autorka:?|von)\s+[A-ZŁŚŻŹĆ][\w.'’-]+"
                r"(\s+[A-ZŁŚŻŹĆ][\w.'’-]+){0,3}$"),
     "byline (the author is kept in the capture's metadata)"),
    ("share_bar",
     re.compile(r"^((facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|email|"
                r"copy link)\W*){2,}$", _F),
     "share buttons"),
)


_MENU_SPLIT = re.compile(r"\s*[|•·»]\s*")
#: Lines longer than this are never boilerplate (also bounds the work on huge pages).
MAX_BOILERPLATE_LEN = 300


def _menu_bar(line: str) -> bool:
    parts = [p for p in _MENU_SPLIT.split(line) if p]
    return len(parts) >= 3 and all(len(p) <= 25 and not p.endswith(".") for p in parts)


def classify_boilerplate(text: str) -> tuple[str, str] | None:
    """``(rule name, why)`` when the whole line is boilerplate, else None."""
    line = text.strip()
    if not line or len(line) > MAX_BOILERPLATE_LEN:
        return None
    for name, pattern, why in BOILERPLATE_RULES:
        if pattern.search(line):
            return name, why
    if _menu_bar(line):
        return "menu_bar", "menu bar (three or more short items separated by | • · »)"
    return None


def is_boilerplate(text: str) -> bool:
    """True when :func:`classify_boilerplate` flags the line."""
    return classify_boilerplate(text) is not None
