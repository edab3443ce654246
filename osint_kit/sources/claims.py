"""Propose candidate claims from a capture; the researcher confirms, edits or drops them.

A sentence of the main text becomes a candidate when it has a date expression, a reporting
verb ("said", "released", "denied"...) or a quotation. The claimant is the quotation's
speaker, else the person or body named before the reporting verb. Denial verbs ("denied",
"dismissed as baseless") propose ``stance="contradicts"``, everything else ``"supports"``;
``proposition_id`` is left empty and ``confirmed=False``: linking a claim to a proposition
is a judgement, not a pattern match. The first date expression of the sentence is proposed
as ``about`` (when the described thing happened); the provenance asks the researcher to move
it to ``stated`` when it dates the statement instead ("on Friday released images").
"""

from __future__ import annotations

import re
from dataclasses import replace

from osint_kit.sources.capture.datefind import find_dates
from osint_kit.sources.capture.quotes import NOT_NAME_WORDS, person_names, split_sentences
from osint_kit.sources.capture.records import BODY, HEADING, Capture
from osint_kit.sources.models import CONTRADICTS, SUPPORTS, Claim

REPORTING_VERBS: tuple[str, ...] = (
    "said", "says", "added", "told", "stated", "announced", "reported", "released", "showed",
    "shows", "published", "confirmed", "claimed", "claims", "alleged", "accused", "revealed",
    "described", "assess", "assessed", "believes", "estimated", "warned", "declared",
    "denied", "deny", "denies", "dismissed", "rejected", "refuted", "condemned", "called",
    "according to",
)
DENIAL_VERBS: tuple[str, ...] = ("denied", "deny", "denies", "dismissed", "rejected", "refuted",
                                 "baseless", "rumors", "rumours", "false", "fabricat")
_VERB = re.compile(r"\b(" + "|".join(re.escape(v) for v in REPORTING_VERBS) + r")\b",
                   re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she) (said|added|told|stated|announced)\b", re.IGNORECASE)
_QUOTE_CHARS = re.compile(r"[“”„«»\"]")
_SUBJECT = re.compile(r"^(?:[–—-]\s*)?(?P<subj>(?:[\w’'.-]+\s+){0,6}?[\w’'.-]+)\s+"
                      r"(?:(?:also|then|later|on \w+|has|had|have)\s+)*$")


def _claimant(sentence: str, verb_start: int) -> tuple[str | None, str]:
    names = [n for pos, n in person_names(sentence) if pos < verb_start]
    if names:
        return names[-1], f"person named before the verb: {names[-1]!r}"
    head = sentence[:verb_start]
    # The subject: text before the verb, without leading date phrases and commas.
    head = head.split(",")[-1].strip() if "," in head else head.strip()
    m = _SUBJECT.match(head + " ")
    if m:
        subj = m.group("subj").strip()
        words = subj.split()
        if words and (words[0][0].isupper() or words[0].lower() in ("the", "a", "an")) and \
                not (len(words) == 1 and words[0].lower() in ("he", "she", "they", "it", "we")):
            return subj, f"subject before the verb: {subj!r}"
    return None, "no claimant found"


def propose_claims(capture: Capture, source_id: str = "capture",
                   id_prefix: str | None = None) -> tuple[Claim, ...]:
    """Candidate claims from the main text of ``capture`` (all ``confirmed=False``).

    Each claim's ``provenance`` names the line and the cues that made it a candidate.
    """
    prefix = id_prefix or source_id
    quotes_by_line: dict[int, list[tuple[str, str | None]]] = {}
    for q in capture.quotations:
        quotes_by_line.setdefault(q.line, []).append((q.text, q.speaker))
    out: list[Claim] = []
    people: list[str] = [n for c in capture.captions for _, n in person_names(c.caption)]
    for line in capture.lines:
        if line.role not in (BODY, HEADING):
            continue
        for sentence in split_sentences(line.text):
            people.extend(n for _, n in person_names(sentence))
            dates = find_dates(sentence)
            verb = _VERB.search(sentence)
            quotes = [(t, s) for t, s in quotes_by_line.get(line.number, []) if t in sentence]
            cues = []
            if dates:
                cues.append("date " + ", ".join(repr(d.text) for d in dates))
            if verb:
                cues.append(f"reporting verb {verb.group(0)!r}")
            if quotes:
                cues.append("quotation")
            if not cues:
                continue
            claimant, how = None, "no claimant found"
            if quotes and quotes[0][1]:
                claimant, how = quotes[0][1], "speaker of the quotation"
            elif verb:
                claimant, how = _claimant(sentence, verb.start())
                if claimant is None and _PRONOUN.search(sentence) and people:
                    claimant, how = people[-1], "pronoun resolved to the last person named"
                elif claimant is not None and len(claimant.split()) == 1:
                    full = next((p for p in reversed(people)
                                 if p.split()[-1] == claimant), None)
                    if full:
                        claimant, how = full, how + f" (surname of {full!r})"
            lowered = sentence.lower()
            denial = any(d in lowered for d in DENIAL_VERBS)
            text = sentence.strip()
            out.append(Claim(
                id=f"{prefix}-c{len(out) + 1:02d}", source_id=source_id, text=text,
                claimant=claimant, stance=CONTRADICTS if denial else SUPPORTS,
                is_quote=bool(quotes) or bool(_QUOTE_CHARS.search(text)),
                about=dates[0].text if dates else None, confirmed=False,
                provenance=f"proposed from line {line.number}: {'; '.join(cues)}; "
                           f"claimant: {how}" + ("; denial wording" if denial else "")
                           + (f"; {dates[0].text!r} proposed as 'about' (move it to 'stated' "
                              "if it dates the statement, not the event)" if dates else ""),
            ))
    return tuple(out)


def confirm(claim: Claim, proposition_id: str, stance: str | None = None,
            **changes: object) -> Claim:
    """The researcher's step: link a candidate to a proposition and mark it confirmed."""
    fields: dict[str, object] = {"proposition_id": proposition_id, "confirmed": True}
    if stance is not None:
        fields["stance"] = stance
    fields.update(changes)
    return replace(claim, **fields)  # type: ignore[arg-type]


__all__ = ["DENIAL_VERBS", "NOT_NAME_WORDS", "REPORTING_VERBS", "confirm", "propose_claims"]
