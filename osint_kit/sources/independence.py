"""How many *independent* origins support or contradict a proposition, and a confidence.

The citation/copy graph has an edge ``A -> B`` when source A cites or copies B. The
**origins** of a source are the sources at the end of its chains (nodes it reaches that
cite nothing themselves; a copying cycle counts as one origin). Claims whose origins overlap
collapse into one **independent origin**: three outlets copying one wire that quotes one
briefing are one origin, however many outlets there are. A claim's chain starts at
``claim.origin_id`` when the researcher set it (an outlet quoting a briefing), else at the
source the claim appears in.

The graph cannot know who *speaks* in an origin: two statements by one government are two
origins in the graph but one party. Pass ``parties={origin_id: "US government", ...}`` and
groups whose origins share a party merge into one (the researcher's judgement, stated
explicitly and shown in the explanation).

Confidence rule (:func:`proposition_confidence`), a ranking score in [0, 1], not a
probability:

* each independent origin group weighs ``w = R[reliability] * C[credibility]`` taken from
  the best-graded *origin* source of the group (the reporting sources when no origin is a
  known source), with R = A 0.9, B 0.75, C 0.5, D 0.25, E 0.1, F 0.3 and C = 1: 1.0,
  2: 0.8, 3: 0.6, 4: 0.35, 5: 0.1, 6: 0.5 ("cannot be judged" sits in the middle);
* support ``S = 1 - prod(1 - w)`` over supporting groups, contradiction ``K`` the same over
  contradicting groups (independent origins add up, copies do not);
* ``confidence = S * (1 - K)``: 0 without independent support; it is suitable as
  ``Event.confidence`` on the timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from osint_kit._html import kv_table
from osint_kit.errors import SourceError
from osint_kit.sources.models import CONTRADICTS, SUPPORTS, Claim, Source

RELIABILITY_WEIGHT: Mapping[str, float] = {
    "A": 0.9, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0.1, "F": 0.3}
CREDIBILITY_WEIGHT: Mapping[int, float] = {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.35, 5: 0.1, 6: 0.5}


def citation_graph(sources: Iterable[Source]) -> Any:
    """A networkx DiGraph: node per source (attributes title, kind, grade), edge per cite/copy.

    Ids that are cited but not given as sources become nodes with ``missing=True``.
    """
    import networkx as nx

    g = nx.DiGraph()
    srcs = list(sources)
    for s in srcs:
        g.add_node(s.id, title=s.title, kind=s.kind, grade=s.grade, missing=False)
    for s in srcs:
        for target in s.cites:
            if target not in g:
                g.add_node(target, title="", kind="", grade="", missing=True)
            g.add_edge(s.id, target, relation="cites")
        for target in s.copies:
            if target not in g:
                g.add_node(target, title="", kind="", grade="", missing=True)
            rel = "cites+copies" if g.has_edge(s.id, target) else "copies"
            g.add_edge(s.id, target, relation=rel)
    return g


def origins_of(graph: Any, node: str) -> frozenset[str]:
    """The ids at the end of ``node``'s citation chains (the node itself if it cites nothing).

    Members of a terminal copy cycle are all returned (they are one origin together).
    """
    import networkx as nx

    if node not in graph:
        return frozenset({node})
    reach = nx.descendants(graph, node) | {node}
    sub = graph.subgraph(reach)
    cond = nx.condensation(sub)
    out: set[str] = set()
    for comp in cond.nodes:
        if cond.out_degree(comp) == 0:
            out |= set(cond.nodes[comp]["members"])
    return frozenset(out)


@dataclass(frozen=True)
class OriginGroup:
    """One independent origin: the origin ids and the sources whose claims rest on them."""

    origins: tuple[str, ...]
    sources: tuple[str, ...]
    claims: tuple[str, ...]
    weight: float
    #: the parties the researcher named for these origins (``parties=``), if any
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class OriginCount:
    """Independent origins for and against one proposition, with the groups behind them."""

    proposition_id: str
    supporting: int
    contradicting: int
    supporting_groups: tuple[OriginGroup, ...]
    contradicting_groups: tuple[OriginGroup, ...]
    confidence: float

    @property
    def explanation(self) -> str:
        def fmt(groups: tuple[OriginGroup, ...]) -> str:
            return "; ".join(
                f"[{', '.join(g.sources)}] -> origin {', '.join(g.origins)}"
                + (f" (party {', '.join(g.parties)})" if g.parties else "")
                + f" (w={g.weight:.2f})"
                for g in groups) or "none"
        return (f"{self.supporting} independent origin(s) support: {fmt(self.supporting_groups)}."
                f" {self.contradicting} contradict: {fmt(self.contradicting_groups)}."
                f" Confidence {self.confidence:.2f} = S*(1-K) (see independence module).")

    def __repr__(self) -> str:
        return (f"OriginCount({self.proposition_id!r}, supporting={self.supporting}, "
                f"contradicting={self.contradicting}, confidence={self.confidence:.2f})")

    def _repr_html_(self) -> str:
        return kv_table([("proposition", self.proposition_id),
                         ("independent supporting origins", self.supporting),
                         ("independent contradicting origins", self.contradicting),
                         ("confidence", f"{self.confidence:.2f}"),
                         ("explanation", self.explanation)], title="Independent origins")


def _weight(source: Source) -> float:
    return RELIABILITY_WEIGHT[source.reliability] * CREDIBILITY_WEIGHT[source.credibility]


def _groups(claims: list[Claim], graph: Any, by_id: Mapping[str, Source],
            parties: Mapping[str, str]) -> tuple[OriginGroup, ...]:
    # union-find over claims whose origin sets (or the parties of their origins) intersect
    items = [(c, origins_of(graph, c.origin_id or c.source_id)) for c in claims]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, (_, origins) in enumerate(items):
        keys = [("origin", o) for o in origins]
        keys += [("party", parties[o]) for o in origins if parties.get(o)]
        for key in keys:
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    buckets: dict[int, list[int]] = {}
    for i in range(len(items)):
        buckets.setdefault(find(i), []).append(i)
    out = []
    for members in buckets.values():
        origin_ids = sorted(set().union(*(items[i][1] for i in members)))
        sources = sorted({items[i][0].source_id for i in members})
        known = [by_id[o] for o in origin_ids if o in by_id]
        graded = known or [by_id[s] for s in sources if s in by_id]
        weight = max((_weight(s) for s in graded), default=0.0)
        out.append(OriginGroup(origins=tuple(origin_ids), sources=tuple(sources),
                               claims=tuple(sorted(items[i][0].id for i in members)),
                               weight=weight,
                               parties=tuple(sorted({parties[o] for o in origin_ids
                                                     if parties.get(o)}))))
    out.sort(key=lambda g: g.origins)
    return tuple(out)


def _noisy_or(groups: Iterable[OriginGroup]) -> float:
    p = 1.0
    for g in groups:
        p *= 1.0 - g.weight
    return 1.0 - p


def independent_origins(proposition_id: str, claims: Iterable[Claim],
                        sources: Iterable[Source],
                        include_unconfirmed: bool = False,
                        parties: Mapping[str, str] | None = None) -> OriginCount:
    """Count independent origins supporting and contradicting ``proposition_id``.

    ``parties`` maps origin source ids to the party speaking in them ("US government");
    origins of one party count once. Ids that are not sources are refused (a typo would
    silently change nothing). Example: ``parties={"kirby_2022_12_22": "US government",
    "whitehouse_briefing_2023_01_20": "US government"}`` counts two US statements once.
    """
    srcs = list(sources)
    by_id = {s.id: s for s in srcs}
    graph = citation_graph(srcs)
    relevant = [c for c in claims if c.proposition_id == proposition_id
                and (c.confirmed or include_unconfirmed)]
    for c in relevant:
        if c.source_id not in by_id:
            raise SourceError(f"claim {c.id} is in source {c.source_id!r}, which is not among "
                              "the sources given")
    named = dict(parties or {})
    unknown = sorted(k for k in named if k not in graph)
    if unknown:
        raise SourceError(f"parties= names ids that are not sources: {', '.join(unknown)}")
    sup = _groups([c for c in relevant if c.stance == SUPPORTS], graph, by_id, named)
    con = _groups([c for c in relevant if c.stance == CONTRADICTS], graph, by_id, named)
    s, k = _noisy_or(sup), _noisy_or(con)
    return OriginCount(proposition_id=proposition_id, supporting=len(sup),
                       contradicting=len(con), supporting_groups=sup,
                       contradicting_groups=con, confidence=round(s * (1.0 - k), 6))


def proposition_confidence(proposition_id: str, claims: Iterable[Claim],
                           sources: Iterable[Source],
                           include_unconfirmed: bool = False,
                           parties: Mapping[str, str] | None = None) -> float:
    """Confidence in [0, 1] for the timeline (rule in the module docstring)."""
    return independent_origins(proposition_id, claims, sources,
                               include_unconfirmed=include_unconfirmed,
                               parties=parties).confidence


def independence_table(claims: Iterable[Claim], sources: Iterable[Source],
                       proposition_ids: Iterable[str] | None = None,
                       include_unconfirmed: bool = False,
                       parties: Mapping[str, str] | None = None) -> Any:
    """One row per proposition: supporting / contradicting origins, confidence, explanation."""
    import pandas as pd

    claims = list(claims)
    srcs = list(sources)
    pids = list(proposition_ids) if proposition_ids is not None else list(
        dict.fromkeys(c.proposition_id for c in claims if c.proposition_id))
    rows = []
    for pid in pids:
        oc = independent_origins(pid, claims, srcs, include_unconfirmed=include_unconfirmed,
                                 parties=parties)
        rows.append({"proposition": pid, "supporting_origins": oc.supporting,
                     "contradicting_origins": oc.contradicting,
                     "confidence": oc.confidence, "explanation": oc.explanation})
    return pd.DataFrame(rows, columns=["proposition", "supporting_origins",
                                       "contradicting_origins", "confidence", "explanation"])
