"""Contradictions and weak spots a reviewer should look at before trusting a conclusion.

:func:`weak_spots` returns one row per finding (WEAKSPOT_COLUMNS):

* ``supported_and_contradicted``: independent origins on both sides of a proposition;
* ``single_origin``: every supporting claim rests on one origin ("five outlets" = one);
* ``date_conflict``: two claims about one proposition whose dates cannot overlap
  (resolved with ``parse_when`` against ``reference`` if you give one, else against the
  claim's source's ``published`` date; unresolvable dates are skipped, never guessed);
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


def _interval(text: str, reference: Any) -> tuple[Any, Any] | None:
    try:
        from osint_kit.timeline import parse_when
    except ImportError:
        return None
    try:
        w = parse_when(text, reference=reference)
    except Exception:  # noqa: BLE001 - an unresolvable date is not a conflict
        return None
    return w.earliest, w.latest


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
    published = {s.id: s.published for s in srcs if s.published}
    pids = [p.id for p in propositions] if propositions is not None else list(
        dict.fromkeys(c.proposition_id for c in claims if c.proposition_id))
    rows: list[dict[str, Any]] = []
    for pid in pids:
        oc = independent_origins(pid, claims, srcs, include_unconfirmed=include_unconfirmed)
        if oc.supporting and oc.contradicting:
            rows.append({"kind": "supported_and_contradicted", "proposition": pid,
                         "severity": "warning",
                         "detail": f"{oc.supporting} independent origin(s) support it and "
                                   f"{oc.contradicting} contradict it",
                         "evidence": oc.explanation})
        if oc.supporting == 1:
            g = oc.supporting_groups[0]
            rows.append({"kind": "single_origin", "proposition": pid,
                         "severity": "warning" if len(g.sources) > 1 else "notice",
                         "detail": f"{len(g.sources)} source(s) support it but all rest on one "
                                   f"origin: {', '.join(g.origins)}",
                         "evidence": oc.explanation})
        dated: list[tuple[Claim, tuple[Any, Any]]] = []
        for c in claims:
            if c.proposition_id == pid and c.when and c.stance != "contradicts" and \
                    (c.confirmed or include_unconfirmed):
                ref = reference
                if ref is None and c.source_id in published:
                    ref = published[c.source_id]
                iv = _interval(c.when, ref)
                if iv is not None:
                    dated.append((c, iv))
        for i, (c1, (e1, l1)) in enumerate(dated):
            for c2, (e2, l2) in dated[i + 1:]:
                if l1 < e2 or l2 < e1:
                    rows.append({"kind": "date_conflict", "proposition": pid,
                                 "severity": "warning",
                                 "detail": f"claim {c1.id} ({c1.when!r}) and claim {c2.id} "
                                           f"({c2.when!r}) cannot both be right",
                                 "evidence": f"{c1.source_id}: {e1:%Y-%m-%d}..{l1:%Y-%m-%d}; "
                                             f"{c2.source_id}: {e2:%Y-%m-%d}..{l2:%Y-%m-%d}"})
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
