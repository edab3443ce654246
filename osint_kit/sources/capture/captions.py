"""Split photo credits off captions, including credits run straight onto the text.

Scraped captions often lose the line break between caption and credit:
``"John Kirby at a press conferencePAP/EPA/MICHAEL REYNOLDS"``. Three rules, tried in order:

1. an explicit marker: ``Photo: X``, ``Fot. X``, ``Źródło: X``, ``Credit: X``;
2. a *run-on* credit: a lower-case letter directly followed by an upper-case one where the
   rest of the line is credit-like (parts separated by ``/``, every word capitalised, at
   least one part a known agency, or two or more all-caps parts);
3. a credit in parentheses that names a known agency: ``(Reuters)``;
4. a spaced credit at the end of the line that is a known agency ("... North Korea Reuters").
"""

from __future__ import annotations

import re

#: Agencies, pools and platforms that appear as photo credits. Matched case-insensitively
#: against whole ``/``-separated parts of a credit.
KNOWN_CREDITS: tuple[str, ...] = (
    "PAP", "EPA", "EPA-EFE", "EFE", "Reuters", "AP", "AP Photo", "Associated Press", "AFP",
    "AFP/Getty Images", "Getty Images", "Getty", "TASS", "ITAR-TASS", "KCNA", "KCNA via KNS",
    "KNS", "Yonhap", "Xinhua", "Shutterstock", "ANSA", "DPA", "Sputnik", "RIA Novosti",
    "Forum", "East News", "Agencja Gazeta", "Newspix", "Maxar", "Maxar Technologies",
    "Planet", "Planet Labs", "Planet Labs PBC", "Bloomberg", "Alamy", "Anadolu",
    "Anadolu Agency", "NurPhoto", "ZUMA", "ZUMA Press", "ZUMA Wire", "SOPA Images", "Abaca",
    "UPI", "Kyodo", "Wikimedia Commons", "US Government", "U.S. Government", "White House",
    "Ukrinform", "UNIAN", "Pool", "Handout", "CNN", "BBC", "TVN24", "PAP/EPA",
)
_KNOWN = {c.lower() for c in KNOWN_CREDITS}

_EXPLICIT = re.compile(
    r"^(?P<cap>.*?)[\s.;,|–—-]*\b(?P<marker>photo(?:graph)?|image|credit|photo credit|fot\.?|"
    r"foto|źródło|source|zdjęcie)\s*[:：]?\s+(?P<credit>[^:]{2,80})$",
    re.IGNORECASE,
)
_PAREN = re.compile(r"^(?P<cap>.+?)\s*\((?:photo:?\s*|credit:?\s*)?(?P<credit>[^()]{2,80})\)$",
                    re.IGNORECASE)
_WORD = re.compile(r"^[A-Z0-9ÀÁÂÄÇÉÈÊËÍÎÏÑÓÔÖÚÜŁŚŻŹĆŃÓĘĄ][\w.&'’-]*$")
_RUNON = re.compile(r"(?<=[a-ząćęłńóśźż0-9)])(?=[A-ZŁŚŻŹĆ])")
_SPACED = re.compile(r"(?<=\s)(?=[A-ZŁŚŻŹĆ])")
MAX_CAPTION_LEN = 250


def _parts(credit: str) -> list[str]:
    return [p.strip() for p in credit.split("/")]


def _credit_like(credit: str, need_known: bool) -> bool:
    credit = credit.strip()
    if not credit or len(credit) > 80:
        return False
    parts = _parts(credit)
    if any(not p for p in parts):
        return False
    for part in parts:  # a known credit may have lower-case words ("KCNA via KNS")
        if part.lower() not in _KNOWN and not all(_WORD.match(w) for w in part.split()):
            return False
    known = any(p.lower() in _KNOWN for p in parts) or credit.lower() in _KNOWN
    if known:
        return True
    if need_known:
        return False
    caps = [p for p in parts if p.upper() == p and any(ch.isalpha() for ch in p)]
    return len(parts) >= 2 and len(caps) >= 2


def split_caption(text: str) -> tuple[str, str | None, str]:
    """``(caption, credit or None, rule)`` for one caption line."""
    raw = text.strip()
    if len(raw) > 4 * MAX_CAPTION_LEN:
        return raw, None, "too long to be a caption with a credit"
    m = _EXPLICIT.match(raw)
    if m and m.group("credit").strip():
        return (m.group("cap").strip(), m.group("credit").strip(),
                f"explicit credit marker '{m.group('marker')}'")
    m = _PAREN.match(raw)
    if m and _credit_like(m.group("credit"), need_known=True):
        return m.group("cap").strip(), m.group("credit").strip(), "credit in parentheses"
    for boundary in _RUNON.finditer(raw):
        head, tail = raw[: boundary.start()], raw[boundary.start():]
        if head.strip() and _credit_like(tail, need_known=False):
            return head.strip(), tail.strip(), "credit run onto caption (lower-case letter " \
                "directly followed by a credit)"
    for boundary in _SPACED.finditer(raw):
        head, tail = raw[: boundary.start()], raw[boundary.start():]
        if head.strip() and _credit_like(tail, need_known=True):
            return head.strip(" -–—|"), tail.strip(), "known agency credit at end of caption"
    return raw, None, "no credit found"


def looks_like_caption(text: str) -> bool:
    """A short line without final punctuation whose end is a photo credit."""
    line = text.strip()
    if not line or len(line) > MAX_CAPTION_LEN or line[-1] in ".!?:\"”»":
        return False
    cap, credit, _ = split_caption(line)
    return credit is not None and bool(cap)
