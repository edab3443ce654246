"""How many *independent* origins and parties support or contradict a proposition.

The citation/copy graph has an edge ``A -> B`` when source A cites or copies B. The
**origin** of a claim is where its chain ends, counted per proposition and stance:

* the chain starts at ``claim.origin_id`` when the researcher set it (an outlet quoting a
  briefing: the named origin is trusted), else at the source the claim appears in;
* it follows a cites/copies edge only towards a source that is *on record* about the same
  proposition and stance (one that carries such a claim or is named as the origin of one),
  directly or through sources that pass it on (a wire between an outlet and a briefing).
  A claim with an ``origin_id`` also links its source to that origin for this proposition.
  Edges that lead to no such source concern other things (Militarnyi citing an October 2023
  report is no origin for its claim about November 2022) and are not followed;
* where the chain ends at a source that cites nothing, or at one a researcher named as the
  origin of a claim on this proposition, that source is the origin; where it ends at a source that rests on others but on none of them for this
  proposition, the origin is **unknown** (shown as ``origin unknown``, never guessed).

Claims whose origins overlap collapse into one independent origin: three outlets copying one
wire that quotes one briefing are one origin. Then **parties**: origins whose sources speak
for the same party (``Source.party``, e.g. "US government") count as ONE, since two
statements of one government are not independent confirmation. ``by_party=False`` counts
each origin on its own; ``parties={source_id: party}`` sets or overrides parties (the
researcher's judgement, shown in the explanation). Claims of unknown origin form one group
of their own per stance: nothing says they are independent of each other.

How much each group weighs, and the resulting estimate, is :mod:`osint_kit.sources.assessment`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from osint_kit._html import kv_table
from osint_kit.errors import SourceError
from osint_kit.sources.models import CONTRADICTS, SUPPORTS, Claim, Source

#: How a claim whose origin cannot be traced is shown.
UNKNOWN_ORIGIN = "origin unknown"


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


def _ends(graph: Any, node: str) -> list[frozenset[str]]:
    """The terminal strongly connected components reachable from ``node`` (with it)."""
    import networkx as nx

    reach = nx.descendants(graph, node) | {node}
    cond = nx.condensation(graph.subgraph(reach))
    return [frozenset(cond.nodes[c]["members"]) for c in cond.nodes if cond.out_degree(c) == 0]


def origins_of(graph: Any, node: str) -> frozenset[str]:
    """The ids at the end of ``node``'s citation chains (the node itself if it cites nothing).

    Members of a terminal copy cycle are all returned (they are one origin together). This
    follows every edge; claims are traced per proposition by :func:`claim_origins`.
    """
    if node not in graph:
        return frozenset({node})
    return frozenset().union(*_ends(graph, node))


def claim_origins(claims: Iterable[Claim], graph: Any) -> dict[str, frozenset[str] | None]:
    """Claim id -> its origin ids, or None when the origin is unknown (rule in module doc).

    ``claims`` are the claims of ONE proposition and ONE stance: what is "on record" is
    judged among them.
    """
    import networkx as nx

    claims = list(claims)
    named = {c.origin_id for c in claims if c.origin_id}
    on_record = {c.source_id for c in claims} | named
    leads = set(on_record)  # on record, or resting (through any chain) on one that is
    for node in on_record:
        if node in graph and node not in leads - on_record:
            leads |= nx.ancestors(graph, node)
    g = nx.DiGraph()
    g.add_nodes_from(leads)
    g.add_edges_from((a, b) for b in leads if b in graph for a in graph.predecessors(b))
    g.add_edges_from((c.source_id, c.origin_id) for c in claims
                     if c.origin_id and c.origin_id != c.source_id)
    out: dict[str, frozenset[str] | None] = {}
    for c in claims:
        start = c.origin_id or c.source_id
        origins: set[str] = set()
        known = True
        for members in _ends(g, start):
            rests_elsewhere = any(t not in members for m in members if m in graph
                                  for t in graph.successors(m))
            if rests_elsewhere and not members & named:
                known = False  # it rests on sources, none of them on record for this
            origins |= members
        out[c.id] = frozenset(origins) if known else None
    return out


@dataclass(frozen=True)
class OriginGroup:
    """One independent origin (or party): the origin ids and the claims resting on them."""

    origins: tuple[str, ...]
    sources: tuple[str, ...]
    claims: tuple[str, ...]
    #: the parties speaking in these origins (``Source.party`` or ``parties=``)
    parties: tuple[str, ...] = ()
    #: True for the group of claims whose origin could not be traced
    unknown: bool = False

    @property
    def label(self) -> str:
        """The party, else the origin ids, else ``origin unknown``."""
        if self.unknown:
            return UNKNOWN_ORIGIN
        return ", ".join(self.parties or self.origins)

    def describe(self) -> str:
        """``[sources] -> origin ... (party ...)`` for explanations."""
        target = (f"{UNKNOWN_ORIGIN} (behind {', '.join(self.origins)})" if self.unknown
                  else f"origin {', '.join(self.origins)}")
        party = f" (party {', '.join(self.parties)})" if self.parties else ""
        return f"[{', '.join(self.sources)}] -> {target}{party}"


@dataclass(frozen=True)
class OriginCount:
    """Independent origins for and against one proposition, with the groups behind them.

    ``supporting`` / ``contradicting`` count independent groups: one per party (or per
    origin without a party), plus one for all claims of unknown origin.
    """

    proposition_id: str
    supporting: int
    contradicting: int
    supporting_groups: tuple[OriginGroup, ...]
    contradicting_groups: tuple[OriginGroup, ...]

    @property
    def explanation(self) -> str:
        def fmt(groups: tuple[OriginGroup, ...]) -> str:
            return "; ".join(g.describe() for g in groups) or "none"
        return (f"{self.supporting} independent origin(s) support: {fmt(self.supporting_groups)}."
                f" {self.contradicting} contradict: {fmt(self.contradicting_groups)}.")

    def __repr__(self) -> str:
        return (f"OriginCount({self.proposition_id!r}, supporting={self.supporting}, "
                f"contradicting={self.contradicting})")

    def _repr_html_(self) -> str:
        return kv_table([("proposition", self.proposition_id),
                         ("independent supporting origins", self.supporting),
                         ("independent contradicting origins", self.contradicting),
                         ("explanation", self.explanation)], title="Independent origins")


def _groups(claims: list[Claim], graph: Any, party_of: Mapping[str, str],
            by_party: bool) -> tuple[OriginGroup, ...]:
    resolved = claim_origins(claims, graph)
    known = [(c, resolved[c.id]) for c in claims if resolved[c.id] is not None]
    unknown = [c for c in claims if resolved[c.id] is None]
    parent = list(range(len(known)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, (_, origins) in enumerate(known):
        keys = [("origin", o) for o in origins or ()]
        if by_party:
            keys += [("party", party_of[o]) for o in origins or () if party_of.get(o)]
        for key in keys:
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    buckets: dict[int, list[int]] = {}
    for i in range(len(known)):
        buckets.setdefault(find(i), []).append(i)
    out = []
    for members in buckets.values():
        origin_ids = sorted(set().union(*(known[i][1] or () for i in members)))
        out.append(OriginGroup(
            origins=tuple(origin_ids),
            sources=tuple(sorted({known[i][0].source_id for i in members})),
            claims=tuple(sorted(known[i][0].id for i in members)),
            parties=tuple(sorted({party_of[o] for o in origin_ids if party_of.get(o)}))))
    out.sort(key=lambda g: g.origins)
    if unknown:
        out.append(OriginGroup(
            origins=tuple(sorted({c.origin_id or c.source_id for c in unknown})),
            sources=tuple(sorted({c.source_id for c in unknown})),
            claims=tuple(sorted(c.id for c in unknown)), unknown=True))
    return tuple(out)


def relevant_claims(proposition_id: str, claims: Iterable[Claim], sources: Mapping[str, Source],
                    include_unconfirmed: bool = False) -> list[Claim]:
    """The (confirmed) claims about ``proposition_id``; a claim in an unknown source raises."""
    out = [c for c in claims if c.proposition_id == proposition_id
           and (c.confirmed or include_unconfirmed)]
    for c in out:
        if c.source_id not in sources:
            raise SourceError(f"claim {c.id} is in source {c.source_id!r}, which is not among "
                              "the sources given")
    return out


def party_map(sources: Iterable[Source], graph: Any,
              parties: Mapping[str, str] | None = None) -> dict[str, str]:
    """Source id -> party: ``Source.party``, overridden by ``parties`` (unknown ids refused)."""
    named = dict(parties or {})
    unknown = sorted(k for k in named if k not in graph)
    if unknown:
        raise SourceError(f"parties= names ids that are not sources: {', '.join(unknown)}")
    out = {s.id: s.party for s in sources if s.party}
    out.update({k: v for k, v in named.items() if v})
    return out


def independent_origins(proposition_id: str, claims: Iterable[Claim],
                        sources: Iterable[Source],
                        include_unconfirmed: bool = False,
                        parties: Mapping[str, str] | None = None,
                        by_party: bool = True) -> OriginCount:
    """Count independent origins supporting and contradicting ``proposition_id``.

    Origins of one party (``Source.party``) count once unless ``by_party=False``;
    ``parties`` maps source ids to parties to set or override them (ids that are not sources
    are refused: a typo would silently change nothing).
    """
    srcs = list(sources)
    by_id = {s.id: s for s in srcs}
    graph = citation_graph(srcs)
    relevant = relevant_claims(proposition_id, claims, by_id, include_unconfirmed)
    return count_origins(proposition_id, relevant, graph, party_map(srcs, graph, parties),
                         by_party)


def count_origins(proposition_id: str, relevant: list[Claim], graph: Any,
                  party_of: Mapping[str, str], by_party: bool = True) -> OriginCount:
    """:func:`independent_origins` on prepared inputs (claims of the proposition, the graph
    and the party map), so that many propositions share one graph."""
    sup = _groups([c for c in relevant if c.stance == SUPPORTS], graph, party_of, by_party)
    con = _groups([c for c in relevant if c.stance == CONTRADICTS], graph, party_of, by_party)
    return OriginCount(proposition_id=proposition_id, supporting=len(sup),
                       contradicting=len(con), supporting_groups=sup,
                       contradicting_groups=con)
