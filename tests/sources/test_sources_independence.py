"""Independent origins and parties, the per-proposition origin rule, and the matrix."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from osint_kit.errors import SourceError
from osint_kit.sources import (
    Claim,
    Proposition,
    Source,
    citation_graph,
    cross_reference,
    independence_table,
    independent_origins,
    origins_of,
    proposition_confidence,
)
from osint_kit.sources.matrix import CELL_VALUES, matrix_summary


def _wire_chain() -> tuple[list[Source], list[Claim]]:
    sources = [
        Source("briefing", "White House briefing", kind="primary statement",
               reliability="B", credibility=2),
        Source("wire", "Wire dispatch", kind="wire", cites=("briefing",), reliability="A",
               credibility=3),
        Source("outlet1", kind="secondary report", copies=("wire",)),
        Source("outlet2", kind="secondary report", copies=("wire",), cites=("wire",)),
        Source("outlet3", kind="aggregator copy", copies=("outlet1",)),
    ]
    claims = [Claim(f"c{i}", f"outlet{i}", "rail cars crossed on 18 Nov", proposition_id="p",
                    stance="supports", confirmed=True) for i in (1, 2, 3)]
    # the briefing is on record for p: chains through the wire end there
    claims.append(Claim("c0", "briefing", "five railcars on 18 Nov", proposition_id="p",
                        stance="supports", confirmed=True))
    return sources, claims


def test_three_outlets_copying_one_wire_are_one_origin() -> None:
    sources, claims = _wire_chain()
    oc = independent_origins("p", claims, sources)
    assert oc.supporting == 1 and oc.contradicting == 0
    assert oc.supporting_groups[0].origins == ("briefing",)
    assert oc.supporting_groups[0].sources == ("briefing", "outlet1", "outlet2", "outlet3")
    assert "1 independent origin" in oc.explanation


def test_unrelated_confirming_source_makes_two() -> None:
    sources, claims = _wire_chain()
    sources.append(Source("imagery", "Commercial satellite scene", kind="primary imagery",
                          reliability="C", credibility=3))
    claims.append(Claim("c9", "imagery", "five cars visible", proposition_id="p",
                        stance="supports", confirmed=True))
    before = proposition_confidence("p", claims[:-1], sources)
    oc = independent_origins("p", claims, sources)
    assert oc.supporting == 2
    after = proposition_confidence("p", claims, sources)
    assert before is not None and after is not None
    assert after > before  # an independent origin adds, copies do not


def test_copies_do_not_add_confidence() -> None:
    sources, claims = _wire_chain()
    one = proposition_confidence("p", [claims[0], claims[3]], sources)
    four = proposition_confidence("p", claims, sources)
    assert one == pytest.approx(four)
    # the briefing's grade (B2, w = 0.75 * 0.8 = 0.6): odds 1 / (1 - 0.6) = 2.5, p = 5/7
    assert four == pytest.approx(0.7143, abs=1e-4)


def test_contradictions_and_origin_override() -> None:
    sources, claims = _wire_chain()
    sources += [Source("kcna", kind="denial", reliability="E", credibility=5),
                Source("telegram", kind="denial", reliability="D", credibility=4)]
    claims += [
        # an outlet reporting the denial: origin_id points the chain at the denier
        Claim("d1", "outlet1", "baseless", proposition_id="p", stance="contradicts",
              origin_id="kcna", confirmed=True),
        Claim("d2", "telegram", "rumours", proposition_id="p", stance="contradicts",
              confirmed=True),
    ]
    oc = independent_origins("p", claims, sources)
    assert (oc.supporting, oc.contradicting) == (1, 2)
    assert {g.origins for g in oc.contradicting_groups} == {("kcna",), ("telegram",)}
    confidence = proposition_confidence("p", claims, sources)
    assert confidence is not None and 0.5 < confidence < 0.7143
    table = independence_table(claims, sources)
    assert list(table.columns) == ["proposition", "supporting_origins", "contradicting_origins",
                                   "supporting_parties", "contradicting_parties", "confidence",
                                   "assessment", "explanation"]


def test_unconfirmed_claims_are_ignored_by_default() -> None:
    sources, _claims = _wire_chain()
    cand = [Claim("x", "outlet1", "t", proposition_id="p", stance="supports")]
    assert independent_origins("p", cand, sources).supporting == 0
    assert independent_origins("p", cand, sources, include_unconfirmed=True).supporting == 1
    assert proposition_confidence("p", cand, sources) is None  # nothing to assess


def test_copy_cycle_is_one_origin_and_missing_nodes_marked() -> None:
    g = citation_graph([Source("a", copies=("b",)), Source("b", copies=("a",)),
                        Source("c", cites=("ghost",))])
    assert origins_of(g, "a") == frozenset({"a", "b"})
    assert g.nodes["ghost"]["missing"] is True
    assert origins_of(g, "c") == frozenset({"ghost"})
    assert g.edges["a", "b"]["relation"] == "copies"


def test_matrix_cells() -> None:
    sources = [Source("s1"), Source("s2"), Source("s3"), Source("s4")]
    props = [Proposition("p1", "x"), Proposition("p2", "y")]
    claims = [
        Claim("a", "s1", proposition_id="p1", stance="supports", confirmed=True),
        Claim("b", "s2", proposition_id="p1", stance="contradicts", confirmed=True),
        Claim("c", "s3", proposition_id="p1", stance="supports", confirmed=True),
        Claim("d", "s3", proposition_id="p1", stance="contradicts", confirmed=True),
        Claim("e", "s4", proposition_id="p2", stance="mentions", confirmed=True),
        Claim("f", "s1", proposition_id="p2", stance="supports"),  # unconfirmed
    ]
    df = cross_reference(claims, sources, props)
    p1, p2 = df.loc["p1"], df.loc["p2"]
    assert isinstance(p1, pd.Series) and isinstance(p2, pd.Series)
    assert p1.tolist() == ["supports", "contradicts", "mixed", "silent"]
    assert p2.tolist() == ["silent", "silent", "silent", "mentions"]
    assert set(df.to_numpy().ravel()) <= set(CELL_VALUES)
    with_cand = cross_reference(claims, sources, props, include_unconfirmed=True)
    assert with_cand.loc["p2", "s1"] == "supports"
    summary = matrix_summary(df)
    assert summary.loc["p1", "mixed"] == 1 and summary.loc["p2", "silent"] == 3
    with pytest.raises(SourceError, match="not among"):
        cross_reference([Claim("z", "nowhere", proposition_id="p1", confirmed=True)],
                        sources, props)


def _two_statements() -> tuple[list[Source], list[Claim]]:
    """Two statements by one government, one by another party, each quoted by an outlet."""
    sources = [
        Source("us_dec", "Kirby, 22 Dec", kind="primary statement", reliability="B",
               credibility=3),
        Source("us_jan", "Briefing, 20 Jan", kind="primary statement", reliability="B",
               credibility=2),
        Source("other", "Another state", kind="primary statement", reliability="C",
               credibility=3),
        Source("outlet", kind="secondary report", cites=("us_jan",)),
    ]
    claims = [
        Claim("c1", "us_dec", "arms went to Wagner", proposition_id="p", stance="supports",
              confirmed=True),
        Claim("c2", "outlet", "arms went to Wagner", proposition_id="p", stance="supports",
              confirmed=True),
        Claim("c3", "other", "arms went to Wagner", proposition_id="p", stance="supports",
              confirmed=True),
    ]
    return sources, claims


def test_origins_of_one_party_count_once() -> None:
    sources, claims = _two_statements()
    claims.append(Claim("c0", "us_jan", "arms went to Wagner", proposition_id="p",
                        stance="supports", confirmed=True))
    assert independent_origins("p", claims, sources).supporting == 3
    parties = {"us_dec": "US government", "us_jan": "US government"}
    oc = independent_origins("p", claims, sources, parties=parties)
    assert oc.supporting == 2
    merged = next(g for g in oc.supporting_groups if g.parties)
    assert merged.origins == ("us_dec", "us_jan") and merged.parties == ("US government",)
    assert merged.sources == ("outlet", "us_dec", "us_jan")
    assert "(party US government)" in oc.explanation
    # two different parties stay two; the confidence only falls when origins merge
    apart = proposition_confidence("p", claims, sources,
                                   parties={"us_dec": "US government", "other": "State X"})
    merged_conf = proposition_confidence("p", claims, sources, parties=parties)
    assert apart is not None and merged_conf is not None and merged_conf < apart
    table = independence_table(claims, sources, parties=parties)
    assert table.loc[0, "supporting_parties"] == 2
    assert table.loc[0, "supporting_origins"] == 3  # three statements, two parties


def test_source_party_field_counts_one_party_once_by_default() -> None:
    sources, claims = _two_statements()
    claims.append(Claim("c0", "us_jan", "arms went to Wagner", proposition_id="p",
                        stance="supports", confirmed=True))
    sources = [replace(s, party="US government") if s.id.startswith("us_") else s
               for s in sources]
    assert independent_origins("p", claims, sources).supporting == 2
    # the keyword counts every origin on its own again
    assert independent_origins("p", claims, sources, by_party=False).supporting == 3


def test_party_of_a_reporting_source_does_not_merge_origins() -> None:
    """Parties describe origins: the outlet's own label changes nothing."""
    sources, claims = _two_statements()
    oc = independent_origins("p", claims, sources,
                             parties={"outlet": "US government", "us_dec": "US government"})
    assert oc.supporting == 3


def test_party_for_an_unknown_id_is_refused() -> None:
    sources, claims = _two_statements()
    with pytest.raises(SourceError, match="kirby_typo"):
        independent_origins("p", claims, sources, parties={"kirby_typo": "US government"})
