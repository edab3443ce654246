"""How likely is a proposition, in words an analyst uses, with the reasons.

The rule, in one sentence: **starting from even odds, each independent party that supports
the proposition multiplies the odds by 1/(1-w) and each party that contradicts it multiplies
them by (1-w), where w comes from the party's best Admiralty grade; the probability is named
with its ICD 203 term.**

* Independent parties are the groups of :mod:`osint_kit.sources.independence`: copies
  collapse into their origin, statements of one party (``Source.party``) count once, and all
  claims of unknown origin together count as one group at half weight (secondary only).
* ``w = R[reliability] * C[credibility]`` of the best-graded source among the group's
  origins and any direct evidence it released (a source of kind :data:`DIRECT_KINDS`), with
  R = A 0.9, B 0.75, C 0.5, D 0.25, E 0.1, F 0.3 and C = 1: 1.0, 2: 0.8, 3: 0.6, 4: 0.35,
  5: 0.1, 6: 0.5 (B3 gives w = 0.45: one such party alone makes 64%, "likely").
* The probability is kept within 1-99% and named with the ICD 203 band it falls in
  (:data:`ICD203_TERMS`); a proposition that nothing supports or contradicts "cannot be
  assessed" (probability None): mentions only are no evidence either way.
* Every w is above 0, so a proposition contradicted by an independent party always ranks
  below one with the same support and no contradiction; copies never change anything.

The estimate says how far *the recorded sources and grades* carry, not what happened: argue
with the grades, and the estimate follows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from osint_kit._html import kv_table
from osint_kit.sources.independence import (
    OriginGroup,
    citation_graph,
    count_origins,
    party_map,
    relevant_claims,
)
from osint_kit.sources.models import MENTIONS, Claim, Proposition, Source

RELIABILITY_WEIGHT: Mapping[str, float] = {
    "A": 0.9, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0.1, "F": 0.3}
CREDIBILITY_WEIGHT: Mapping[int, float] = {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.35, 5: 0.1, 6: 0.5}

#: ICD 203 (US Intelligence Community Directive 203, Analytic Standards) estimative terms
#: and their probability bands, lowest first.
ICD203_TERMS: tuple[tuple[str, float, float], ...] = (
    ("almost no chance", 0.01, 0.05),
    ("very unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45),
    ("roughly even chance", 0.45, 0.55),
    ("likely", 0.55, 0.80),
    ("very likely", 0.80, 0.95),
    ("almost certain", 0.95, 0.99),
)
#: The term when no claim supports or contradicts the proposition.
NOT_ASSESSED = "cannot be assessed"
#: Source kinds that are evidence in themselves, not statements about it.
DIRECT_KINDS: tuple[str, ...] = ("primary imagery", "official record")

#: Columns of :func:`assessment_table`, in order.
ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "proposition_id", "statement", "assessment", "band_low", "band_high", "probability",
    "supporting_origins", "contradicting_origins", "supporting_parties",
    "contradicting_parties", "unknown_origin_claims", "denials", "direct_evidence",
    "supported_by", "contradicted_by", "explanation",
)


def grade_weight(source: Source) -> float:
    """``w`` of one source: reliability weight x credibility weight (module docstring)."""
    return RELIABILITY_WEIGHT[source.reliability] * CREDIBILITY_WEIGHT[source.credibility]


def estimative_term(probability: float | None) -> tuple[str, float | None, float | None]:
    """(ICD 203 term, band low, band high) for a probability; None -> "cannot be assessed"."""
    if probability is None or math.isnan(probability):
        return NOT_ASSESSED, None, None
    for term, low, high in ICD203_TERMS:
        if probability < high:
            return term, low, high
    term, low, high = ICD203_TERMS[-1]
    return term, low, high


@dataclass(frozen=True)
class PartyWeight:
    """One independent group on one side, with the grade and weight it counts with."""

    label: str
    group: OriginGroup
    grade: str
    weight: float
    direct: tuple[str, ...]
    denial: bool

    def describe(self) -> str:
        """``US government, B3, with direct evidence`` (for the explanation)."""
        if self.group.unknown:
            n = len(self.group.claims)
            return (f"{n} claim{'s' if n > 1 else ''} of unknown origin (in "
                    f"{', '.join(self.group.sources)}; best grade {self.grade}, counted at "
                    "half weight)")
        return self.label + f", {self.grade}" + (", with direct evidence" if self.direct else "")


@dataclass(frozen=True)
class Assessment:
    """The estimate for one proposition with its reasons (see the module docstring)."""

    proposition_id: str
    statement: str
    term: str
    band_low: float | None
    band_high: float | None
    probability: float | None
    supporting: tuple[PartyWeight, ...]
    contradicting: tuple[PartyWeight, ...]
    mentions: int = 0

    @property
    def supporting_origins(self) -> int:
        """Distinct traced origin sources supporting it (several may be one party)."""
        return len({o for p in self.supporting if not p.group.unknown for o in p.group.origins})

    @property
    def contradicting_origins(self) -> int:
        return len({o for p in self.contradicting if not p.group.unknown
                    for o in p.group.origins})

    @property
    def supporting_parties(self) -> int:
        """Independent parties (groups of traced origins) supporting it."""
        return sum(1 for p in self.supporting if not p.group.unknown)

    @property
    def contradicting_parties(self) -> int:
        return sum(1 for p in self.contradicting if not p.group.unknown)

    @property
    def unknown_origin_claims(self) -> int:
        return sum(len(p.group.claims) for p in self.supporting + self.contradicting
                   if p.group.unknown)

    @property
    def denials(self) -> int:
        """Contradicting origins that are denials (sources of kind "denial")."""
        return sum(len(p.group.origins) for p in self.contradicting
                   if p.denial and not p.group.unknown)

    @property
    def direct_evidence(self) -> int:
        """Sources of direct evidence (imagery, records) among the supporting groups."""
        return len({d for p in self.supporting for d in p.direct})

    @property
    def explanation(self) -> str:
        """One sentence: the term and band, who says so, who contradicts it."""
        if self.probability is None:
            seen = f"; {self.mentions} claim(s) mention it without taking a side" \
                if self.mentions else ""
            return f"Cannot be assessed: no claim supports or contradicts it{seen}."
        head = (f"{self.term.capitalize()} ({self.probability:.0%}, band "
                f"{self.band_low:.0%}-{self.band_high:.0%})")
        sup = _side(self.supporting, "says so", "say so")
        if self.contradicting:
            verb = "denies it" if all(p.denial for p in self.contradicting) else \
                "contradicts it"
            con = _side(self.contradicting, verb, verb.replace("denies", "deny").replace(
                "contradicts", "contradict"))
        else:
            con = "nobody contradicts it"
        return f"{head}: {sup or 'nobody says so'}; {con}."

    def to_row(self) -> dict[str, Any]:
        """One row of :func:`assessment_table` (ASSESSMENT_COLUMNS)."""
        return {
            "proposition_id": self.proposition_id, "statement": self.statement,
            "assessment": self.term, "band_low": self.band_low, "band_high": self.band_high,
            "probability": self.probability,
            "supporting_origins": self.supporting_origins,
            "contradicting_origins": self.contradicting_origins,
            "supporting_parties": self.supporting_parties,
            "contradicting_parties": self.contradicting_parties,
            "unknown_origin_claims": self.unknown_origin_claims,
            "denials": self.denials, "direct_evidence": self.direct_evidence,
            "supported_by": "; ".join(p.describe() for p in self.supporting),
            "contradicted_by": "; ".join(p.describe() for p in self.contradicting),
            "explanation": self.explanation,
        }

    def __repr__(self) -> str:
        number = "n/a" if self.probability is None else f"{self.probability:.0%}"
        return f"Assessment({self.proposition_id!r}, {self.term!r}, {number})"

    def _repr_html_(self) -> str:
        return kv_table(list(self.to_row().items()), title="Assessment")


def _side(parties: tuple[PartyWeight, ...], one: str, many: str) -> str:
    known = [p for p in parties if not p.group.unknown]
    parts = []
    if known:
        n = len(known)
        names = "; ".join(p.describe() for p in known)
        parts.append(f"{n} {'party' if n == 1 else 'parties'} {one if n == 1 else many} "
                     f"({names})")
    parts += [p.describe() for p in parties if p.group.unknown]
    return ", and ".join(parts)


def _weigh(group: OriginGroup, by_id: Mapping[str, Source]) -> PartyWeight:
    direct = tuple(sorted(s for s in group.sources
                          if s in by_id and by_id[s].kind in DIRECT_KINDS))
    graded = [by_id[o] for o in group.origins if o in by_id and not group.unknown]
    graded += [by_id[d] for d in direct]
    half = not graded  # unknown origin, or origins that are not given as sources
    if half:
        graded = [by_id[s] for s in group.sources if s in by_id]
    best = max(graded, key=grade_weight)
    weight = grade_weight(best) * (0.5 if half else 1.0)
    origins = [by_id[o] for o in group.origins if o in by_id]
    label = group.label
    if not group.parties and not group.unknown and origins:
        label = ", ".join(o.publisher or o.id for o in origins)
    return PartyWeight(label=label, group=group, grade=best.grade, weight=weight,
                       direct=direct,
                       denial=bool(origins) and all(o.kind == "denial" for o in origins))


def assess(proposition_id: str, claims: Iterable[Claim], sources: Iterable[Source], *,
           statement: str = "", include_unconfirmed: bool = False,
           parties: Mapping[str, str] | None = None, by_party: bool = True) -> Assessment:
    """The estimate for ``proposition_id`` with its reasons (rule in the module docstring).

    ``parties`` and ``by_party`` are passed to
    :func:`~osint_kit.sources.independence.independent_origins`.
    """
    return assessments(claims, sources, [Proposition(proposition_id, statement)],
                       include_unconfirmed=include_unconfirmed, parties=parties,
                       by_party=by_party)[0]


def _assess(proposition_id: str, statement: str, relevant: list[Claim], graph: Any,
            by_id: Mapping[str, Source], party_of: Mapping[str, str],
            by_party: bool) -> Assessment:
    oc = count_origins(proposition_id, relevant, graph, party_of, by_party)
    sup = tuple(_weigh(g, by_id) for g in oc.supporting_groups)
    con = tuple(_weigh(g, by_id) for g in oc.contradicting_groups)
    mentions = sum(1 for c in relevant if c.stance == MENTIONS)
    probability: float | None = None
    if sup or con:
        log_odds = sum(-math.log1p(-p.weight) for p in sup) + \
            sum(math.log1p(-p.weight) for p in con)
        probability = round(min(0.99, max(0.01, 1.0 / (1.0 + math.exp(-log_odds)))), 4)
    term, low, high = estimative_term(probability)
    return Assessment(proposition_id=proposition_id, statement=statement, term=term,
                      band_low=low, band_high=high, probability=probability,
                      supporting=sup, contradicting=con, mentions=mentions)


def _sort_key(a: Assessment) -> tuple[Any, ...]:
    return (a.probability is None, -(a.probability or 0.0), -a.supporting_parties,
            a.contradicting_parties, a.proposition_id)


def assessments(claims: Iterable[Claim], sources: Iterable[Source],
                propositions: Iterable[Proposition | str] | None = None, *,
                include_unconfirmed: bool = False, parties: Mapping[str, str] | None = None,
                by_party: bool = True) -> list[Assessment]:
    """:func:`assess` for every proposition, best-supported first (None = ids of the claims)."""
    claims = list(claims)
    srcs = list(sources)
    by_id = {s.id: s for s in srcs}
    graph = citation_graph(srcs)
    party_of = party_map(srcs, graph, parties)
    if propositions is None:
        items: list[Proposition | str] = list(dict.fromkeys(
            c.proposition_id for c in claims if c.proposition_id))
    else:
        items = list(propositions)
    by_prop: dict[str, list[Claim]] = {}
    for c in claims:
        if c.proposition_id is not None and (c.confirmed or include_unconfirmed):
            by_prop.setdefault(c.proposition_id, []).append(c)
    out = []
    for p in items:
        pid = p if isinstance(p, str) else p.id
        relevant = relevant_claims(pid, by_prop.get(pid, []), by_id, include_unconfirmed)
        out.append(_assess(pid, "" if isinstance(p, str) else p.statement, relevant, graph,
                           by_id, party_of, by_party))
    return sorted(out, key=_sort_key)


def assessment_table(claims: Iterable[Claim], sources: Iterable[Source],
                     propositions: Iterable[Proposition | str] | None = None, *,
                     include_unconfirmed: bool = False,
                     parties: Mapping[str, str] | None = None,
                     by_party: bool = True) -> Any:
    """One row per proposition (ASSESSMENT_COLUMNS), best-supported first.

    ``assessment`` is the ICD 203 term, ``band_low``/``band_high`` its band, ``probability``
    the number (None when it cannot be assessed), ``explanation`` one plain sentence.
    """
    import pandas as pd

    rows = [a.to_row() for a in assessments(
        claims, sources, propositions, include_unconfirmed=include_unconfirmed,
        parties=parties, by_party=by_party)]
    return pd.DataFrame(rows, columns=list(ASSESSMENT_COLUMNS))


def independence_table(claims: Iterable[Claim], sources: Iterable[Source],
                       proposition_ids: Iterable[str] | None = None,
                       include_unconfirmed: bool = False,
                       parties: Mapping[str, str] | None = None,
                       by_party: bool = True) -> Any:
    """A view of :func:`assessment_table`: origins, parties and ``confidence`` (=probability).

    Same rows in the same order as the assessment (best-supported first).
    """
    table = assessment_table(claims, sources, proposition_ids,
                             include_unconfirmed=include_unconfirmed, parties=parties,
                             by_party=by_party)
    out = table.rename(columns={"proposition_id": "proposition", "probability": "confidence"})
    return out[["proposition", "supporting_origins", "contradicting_origins",
                "supporting_parties", "contradicting_parties", "confidence", "assessment",
                "explanation"]]


def proposition_confidence(proposition_id: str, claims: Iterable[Claim],
                           sources: Iterable[Source], include_unconfirmed: bool = False,
                           parties: Mapping[str, str] | None = None) -> float | None:
    """The assessment's probability (None when it cannot be assessed), e.g. for
    ``Event.confidence`` on the timeline."""
    return assess(proposition_id, claims, sources, include_unconfirmed=include_unconfirmed,
                  parties=parties).probability
