"""Quotations and their speakers, sentences, and the person names they refer to.

Attribution rules, tried in order for each quoted passage (the rule used is recorded):

1. *after the quote*, same sentence: ``"...," Kirby said`` / ``"...," said John Kirby``;
2. *after the quote*, a pronoun: ``"...," he added`` -> the last person named before it;
3. *before the quote*, same sentence: ``Prigozhin, who described it as "..."`` -> the
   nearest person named before the quote when a speech verb lies between them.

Person names are runs of two or three capitalised words that are not places, organisations
or titles (a stop list); a bare surname seen later ("Kirby announced") maps back to the full
name. Unattributable quotations keep ``speaker=None`` and say so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from osint_kit.sources.capture.records import Quotation

SPEECH_VERBS = (
    "said", "says", "say", "added", "adds", "told", "tells", "stated", "states", "announced",
    "announces", "described", "describes", "called", "calls", "wrote", "writes", "noted",
    "notes", "claimed", "claims", "declared", "declares", "explained", "explains", "insisted",
    "argued", "warned", "asked", "replied", "answered", "denied", "denies", "dismissed",
    "continued", "concluded", "stressed", "emphasised", "emphasized", "commented", "tweeted",
    "posted", "reported", "reports", "assessed", "according",
    # Polish
    "powiedział", "powiedziała", "dodał", "dodała", "nazwał", "nazwała", "oświadczył",
    "oświadczyła", "stwierdził", "stwierdziła", "napisał", "napisała", "określił", "określiła",
)
_VERB_RE = "|".join(SPEECH_VERBS)

#: Capitalised words that do not make a person name (places, bodies, titles, months...).
NOT_NAME_WORDS = frozenset(["the", "a", "an", "and", "of", "in", "on", "at", "for", "by", "to", "from", "with", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "north", "south", "east", "west", "korea", "korean", "koreas", "russia", "russian", "russians", "ukraine", "ukrainian", "united", "states", "state", "nations", "kingdom", "america", "american", "americans", "usa", "us", "u.s.", "uk", "un", "eu", "nato", "white", "house", "security", "council", "national", "group", "wagner", "wagnerians", "pentagon", "kremlin", "washington", "moscow", "kyiv", "kiev", "pyongyang", "beijing", "china", "chinese", "japan", "japanese", "poland", "polish", "warsaw", "europe", "european", "foreign", "ministry", "ministry's", "office", "department", "defense", "defence", "treasury", "agency", "news", "press", "times", "post", "reuters", "pap", "epa", "afp", "ap", "cnn", "bbc", "tass", "kcna", "yonhap", "dprk", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "spokesman", "spokeswoman", "spokesperson", "president", "minister", "secretary", "general", "director", "head", "chief", "leader", "coordinator", "mr", "mrs", "ms", "dr", "sir", "lord", "prime", "vice", "deputy", "senator", "governor", "ambassador", "officials", "official", "government", "regime", "army", "forces", "military", "photo", "source", "link", "more", "articles", "latest", "article", "must", "read", "advertisement", "breaking", "update", "live"])

_CAP_WORD = r"[A-ZŁŚŻŹĆŃ][a-ząćęłńóśźżöüéèáíúñ'’-]+"
_NAME = re.compile(rf"\b({_CAP_WORD}(?:\s+{_CAP_WORD}){{1,2}})\b")
_QUOTE = re.compile(r"“([^”]{2,2000})”|\"([^\"]{2,2000})\"|„([^”\"]{2,2000})[”\"]|«([^»]{2,2000})»")
_ABBREV = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "U.S.", "U.N.", "Jan.", "Feb.", "Mar.", "Apr.",
           "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "No.", "Gen.",
           "Lt.", "Col.", "Sen.", "Rep.", "Gov.", "Prof.", "e.g.", "i.e.")
_SENT_END = re.compile(r"(?<=[.!?…])[\"”»]?\s+(?=[\"“„«–—-]?\s*[A-ZŁŚŻŹĆ0-9])")
_PRONOUN_AFTER = re.compile(rf"^[\s,.;:–—-]*(he|she|they)\s+({_VERB_RE})\b", re.IGNORECASE)
_PRONOUN_BEFORE_AFTER = re.compile(rf"^[\s,.;:–—-]*({_VERB_RE})\s+(he|she|they)\b",
                                   re.IGNORECASE)
_NAMED_AFTER = re.compile(
    rf"^[\s,.;:–—-]*(?:(?P<name1>{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})\s+(?:{_VERB_RE})\b|"
    rf"(?:{_VERB_RE})\s+(?:[a-z]+\s+){{0,4}}?(?P<name2>{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}}))"
)
_VERB_BEFORE = re.compile(rf"\b({_VERB_RE}|who described|as saying)\b", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (abbreviations such as "Nov." and "U.S." kept)."""
    protected = text
    for i, abbr in enumerate(_ABBREV):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    parts = _SENT_END.split(protected)
    out = []
    for part in parts:
        for i, abbr in enumerate(_ABBREV):
            part = part.replace(f"\x00{i}\x00", abbr)
        if part.strip():
            out.append(part.strip())
    return out


def person_names(text: str) -> list[tuple[int, str]]:
    """``(position, name)`` for every two- or three-word person name in ``text``."""
    out = []
    for m in _NAME.finditer(text):
        words = m.group(1).split()
        # drop leading/trailing non-name words ("The", "Spokesman", "Prigozhin Said"...)
        while words and words[0].lower().strip("'’") in NOT_NAME_WORDS:
            words = words[1:]
        while words and words[-1].lower().strip("'’") in NOT_NAME_WORDS:
            words = words[:-1]
        if len(words) < 2 or any(w.lower().rstrip("'’s") in NOT_NAME_WORDS for w in words):
            continue
        name = " ".join(words)
        out.append((m.start() + m.group(1).find(words[0]), name))
    return out


class _People:
    """Names seen so far, so that a bare surname or a pronoun resolves to a full name."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def see(self, text: str) -> None:
        for _, name in person_names(text):
            if name in self.names:
                self.names.remove(name)
            self.names.append(name)
        for word in re.findall(_CAP_WORD, text):
            full = self.full(word)
            if full and full in self.names and full != self.names[-1]:
                self.names.remove(full)
                self.names.append(full)

    def full(self, name: str) -> str | None:
        for known in reversed(self.names):
            if known == name or known.split()[-1] == name.split()[-1]:
                return known
        return None

    def last(self) -> str | None:
        return self.names[-1] if self.names else None


def find_quotations(lines: Sequence[tuple[int, str]],
                    context_lines: Sequence[tuple[int, str]] = ()) -> list[Quotation]:
    """Quotations in ``lines`` ((number, text) pairs, in reading order) with speakers.

    ``context_lines`` (e.g. captions) are only used to learn names, never searched for quotes.
    """
    people = _People()
    context = sorted(context_lines)
    out: list[Quotation] = []
    ci = 0
    for number, text in lines:
        while ci < len(context) and context[ci][0] < number:
            people.see(context[ci][1])
            ci += 1
        for sentence in split_sentences(text):
            for m in _QUOTE.finditer(sentence):
                quote = next(g for g in m.groups() if g is not None).strip()
                before, after = sentence[: m.start()], sentence[m.end():]
                people.see(before)
                speaker, how = _attribute(before, after, people)
                out.append(Quotation(line=number, text=quote, speaker=speaker, attribution=how))
            people.see(_QUOTE.sub(" ", sentence))
    return out


def _attribute(before: str, after: str, people: _People) -> tuple[str | None, str]:
    m = _NAMED_AFTER.match(after)
    if m:
        name = (m.group("name1") or m.group("name2") or "").strip()
        first = name.split()[0].lower() if name else ""
        if name and first not in NOT_NAME_WORDS:
            full = people.full(name) or name
            return full, f"named after the quote: {after.strip()[:40]!r}"
    m2 = _PRONOUN_AFTER.match(after) or _PRONOUN_BEFORE_AFTER.match(after)
    if m2:
        last = people.last()
        if last:
            return last, (f"pronoun after the quote ({after.strip()[:30]!r}) resolved to the "
                          f"last person named before it")
        return None, "pronoun after the quote but no person named before it"
    names = person_names(before)
    verbs = list(_VERB_BEFORE.finditer(before))
    if verbs:
        verb = verbs[-1]
        cands = [(pos, n) for pos, n in names if pos < verb.start()]
        if cands:
            name = cands[-1][1]
            return people.full(name) or name, (
                f"person named before the quote with speech verb {verb.group(0)!r}")
        surnames = [w for w in re.findall(_CAP_WORD, before[: verb.start()])
                    if people.full(w) is not None and w.lower() not in NOT_NAME_WORDS]
        if surnames:
            return people.full(surnames[-1]), (
                f"surname named before the quote with speech verb {verb.group(0)!r}")
    return None, "not attributable (no speaker named next to the quote)"
