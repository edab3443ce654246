"""Contradictions and weak spots a reviewer should look at before trusting a conclusion.

:func:`weak_spots` returns one row per finding (WEAKSPOT_COLUMNS):

* ``supported_and_contradicted``: independent origins on both sides of a proposition;
* ``single_origin``: every supporting claim rests on one origin or one party ("five
  outlets" = one; two statements of one government = one);
* ``origin_unknown``: claims resting on sources none of which is on record for the
  proposition (:mod:`osint_kit.sources.independence`): their origin is unknown;
* ``date_conflict``: two claims about one proposition whose ``about`` dates (when the event
  happened) cannot overlap. Like is compared with like: the date a statement was made
  (``stated``) is never set against an event date. ``about`` is read against the claim's
  ``stated`` date, else ``reference`` if you give one, else the source's ``published`` date
  (:func:`osint_kit.sources.events.claim_dates`); unresolvable dates are skipped, never
  guessed;
* ``translation_artefact``: see :func:`translation_artefacts`.

Translation-artefact heuristic (kept simple on purpose, a *flag for a human*):
after an agent phrase ("by the", "for the", "for use by the", "used by the", "to the")
where a group of people is expected, a capitalised proper name (not itself a plural such as
"Americans") followed by a lower-case plural common noun that is **not** a word for people
("fighters", "troops", "officials"...) or a function word ("was", "has") is
suspicious: "for use by the Wagner ships" (Polish *wagnerowców* = Wagner fighters). The flag
is stronger ("high") when the same name appears elsewhere in a group form such as
"Wagnerians" or "Wagner Group".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from osint_kit.sources.independence import independent_origins
from osint_kit.sources.models import Claim, Proposition, Source

WEAKSPOT_COLUMNS: tuple[str, ...] = ("kind", "proposition", "severity", "detail", "evidence")

#: Plural nouns that name groups of people: after "by the <Name>" they are expected.
PEOPLE_NOUNS = frozenset(["fighters", "mercenaries", "troops", "soldiers", "forces", "members", "officials", "leaders", "men", "women", "people", "militants", "commanders", "units", "contractors", "operatives", "personnel", "staff", "volunteers", "recruits", "supporters", "followers", "loyalists", "rebels", "insurgents", "separatists", "authorities", "diplomats", "spokesmen", "representatives", "experts", "analysts", "investigators", "journalists", "reporters", "citizens", "residents", "workers", "employees", "partisans", "guards", "officers", "agents", "fans", "allies"])
_AGENT = r"(?:for use by|used by|by|for|to)\s+the"
#: Words ending in -s that are not plural nouns.
_NOT_NOUNS = frozenset(["was", "has", "is", "does", "says", "as", "this", "thus", "plus", "its", "his", "hers", "ours", "yours", "always", "perhaps", "unless", "whereas", "besides", "towards"])
_ARTEFACT = re.compile(
    rf"\b(?P<agent>{_AGENT})\s+(?P<name>[A-Z][a-zA-Z’'-]+)\s+(?P<noun>[a-z]+s)\b(?![’'])")


def translation_artefacts(text: str) -> list[dict[str, Any]]:
    """Suspected translation artefacts in ``text`` (rule in the module docstring)."""
    out = []
    for m in _ARTEFACT.finditer(text):
        name, noun = m.group("name"), m.group("noun")
        if noun in PEOPLE_NOUNS or noun in _NOT_NOUNS or noun.endswith("ians") or \
                len(noun) <= 3 or name.endswith("s"):
            continue
        group_forms = re.findall(rf"\b{re.escape(name)}(?:ians|ites|ists|ers|owcy|owców)\b|"
                                 rf"\b{re.escape(name)} Group\b", text)
        start = max(0, m.start() - 50)
        out.append({
            "phrase": m.group(0), "name": name, "noun": noun,
            "severity": "high" if group_forms else "notice",
            "context": text[start:m.end() + 50],
            "why": (f"after {m.group('agent')!r} a group of people is expected, but "
                    f"{name!r} is followed by the common noun {noun!r}"
                    + (f"; the text elsewhere has the group form(s) "
                       f"{', '.join(sorted(set(group_forms)))}" if group_forms else "")
                    + ": check the original-language wording"),
        })
    return out


def _date_conflicts(pid: str, claims: list[Claim], by_id: dict[str, Source], reference: Any,
                    include_unconfirmed: bool) -> list[dict[str, Any]]:
    """Pairs of claims whose ``about`` dates (when the thing happened) cannot overlap.

    Only ``about`` is compared: when a statement was made (``stated``) says nothing about
    when the event happened, so it is never set against another claim's event date.
    """
    from osint_kit.sources.events import claim_dates

    dated: list[tuple[Claim, Any]] = []
    for c in claims:
        if c.proposition_id == pid and c.about and c.stance != "contradicts" and \
                (c.confirmed or include_unconfirmed):
            when = claim_dates(c, by_id.get(c.source_id), reference=reference)["about"]
            if when is not None:  # unresolvable dates are skipped, never guessed
                dated.append((c, when))
    rows = []
    for i, (c1, w1) in enumerate(dated):
        for c2, w2 in dated[i + 1:]:
            if w1.latest < w2.earliest or w2.latest < w1.earliest:
                rows.append({"kind": "date_conflict", "proposition": pid,
                             "severity": "warning",
                             "detail": f"claim {c1.id} (about {c1.about!r}) and claim {c2.id} "
                                       f"(about {c2.about!r}) date the event differently; "
                                       "both cannot be right",
                             "evidence": f"{c1.source_id}: {w1.earliest:%Y-%m-%d}.."
                                         f"{w1.latest:%Y-%m-%d}; {c2.source_id}: "
                                         f"{w2.earliest:%Y-%m-%d}..{w2.latest:%Y-%m-%d}"})
    return rows


def weak_spots(claims: Iterable[Claim], sources: Iterable[Source],
               propositions: Iterable[Proposition] | None = None,
               texts: Sequence[tuple[str, str]] = (), reference: Any = None,
               include_unconfirmed: bool = False) -> pd.DataFrame:
    """Findings for review (WEAKSPOT_COLUMNS).

    ``texts`` are ``(label, text)`` pairs scanned for translation artefacts (e.g.
    ``[("agg", capture.main_text)]``); claim texts are scanned too.
    """
    claims = list(claims)
    srcs = list(sources)
    by_id = {s.id: s for s in srcs}
    pids = [p.id for p in propositions] if propositions is not None else list(
        dict.fromkeys(c.proposition_id for c in claims if c.proposition_id))
    rows: list[dict[str, Any]] = []
    for pid in pids:
        oc = independent_origins(pid, claims, srcs, include_unconfirmed=include_unconfirmed)
        known = [g for g in oc.supporting_groups if not g.unknown]
        if oc.supporting and oc.contradicting:
            rows.append({"kind": "supported_and_contradicted", "proposition": pid,
                         "severity": "warning",
                         "detail": f"{oc.supporting} independent origin(s) support it and "
                                   f"{oc.contradicting} contradict it",
                         "evidence": oc.explanation})
        if len(known) == 1 and oc.supporting == 1:
            g = known[0]
            rows.append({"kind": "single_origin", "proposition": pid,
                         "severity": "warning" if len(g.sources) > 1 else "notice",
                         "detail": f"{len(g.sources)} source(s) support it but all rest on one "
                                   f"{'party' if g.parties else 'origin'}: {g.label}",
                         "evidence": oc.explanation})
        for g in oc.supporting_groups + oc.contradicting_groups:
            if g.unknown:
                rows.append({"kind": "origin_unknown", "proposition": pid,
                             "severity": "notice",
                             "detail": f"claim(s) {', '.join(g.claims)} in "
                                       f"{', '.join(g.sources)} rest on sources, none of them "
                                       "on record for this proposition: where they come from "
                                       "is unknown (set origin_id if you know)",
                             "evidence": oc.explanation})
        rows += _date_conflicts(pid, claims, by_id, reference, include_unconfirmed)
    scanned = list(texts) + [(f"claim {c.id}", c.text) for c in claims]
    seen: set[tuple[str, str]] = set()
    for label, text in scanned:
        for hit in translation_artefacts(text):
            key = (hit["phrase"], label.split()[0])
            if (hit["phrase"], "any") in seen:
                continue
            seen.add(key)
            seen.add((hit["phrase"], "any"))
            rows.append({"kind": "translation_artefact", "proposition": None,
                         "severity": hit["severity"],
                         "detail": f"{hit['phrase']!r} in {label}: {hit['why']}",
                         "evidence": hit["context"]})
    return pd.DataFrame(rows, columns=list(WEAKSPOT_COLUMNS))
