"""The assessment (issue 18): origins per proposition, parties, ICD 203 terms, the rule's
properties, and claims' two times in weak_spots."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osint_kit.sources import (
    ICD203_TERMS,
    Claim,
    Proposition,
    Source,
    assess,
    assessment_table,
    independence_table,
    independent_origins,
    weak_spots,
)
from osint_kit.sources.assessment import (
    ASSESSMENT_COLUMNS,
    NOT_ASSESSED,
    estimative_term,
    grade_weight,
)
from osint_kit.sources.events import claim_dates
from osint_kit.sources.models import RELIABILITY


def _yes(cid: str, sid: str, pid: str = "p", **kw: object) -> Claim:
    return Claim(cid, sid, "it happened", proposition_id=pid, stance="supports",
                 confirmed=True, **kw)  # type: ignore[arg-type]


def _no(cid: str, sid: str, pid: str = "p", **kw: object) -> Claim:
    return Claim(cid, sid, "it never happened", proposition_id=pid, stance="contradicts",
                 confirmed=True, **kw)  # type: ignore[arg-type]


# --- ICD 203 terms ---------------------------------------------------------------------------

def test_icd203_bands_are_the_directive_s() -> None:
    assert [(t, lo, hi) for t, lo, hi in ICD203_TERMS] == [
        ("almost no chance", 0.01, 0.05), ("very unlikely", 0.05, 0.20),
        ("unlikely", 0.20, 0.45), ("roughly even chance", 0.45, 0.55),
        ("likely", 0.55, 0.80), ("very likely", 0.80, 0.95), ("almost certain", 0.95, 0.99)]
    assert estimative_term(0.645)[0] == "likely"
    assert estimative_term(0.55)[0] == "likely" and estimative_term(0.5499)[0] == \
        "roughly even chance"
    assert estimative_term(0.99)[0] == "almost certain"
    assert estimative_term(None) == (NOT_ASSESSED, None, None)


@given(st.floats(0.01, 0.99))
def test_every_probability_lies_in_its_band(p: float) -> None:
    term, low, high = estimative_term(p)
    assert low is not None and high is not None and low <= p <= high
    assert term in {t for t, _, _ in ICD203_TERMS}


# --- origins per proposition -----------------------------------------------------------------

def _militarnyi() -> tuple[list[Source], list[Claim]]:
    """An outlet citing a later report that says nothing about the proposition."""
    sources = [
        Source("briefing", kind="primary statement", reliability="B", credibility=3,
               party="US government"),
        Source("later_report", kind="secondary report", reliability="B", credibility=2,
               published="2023-10-06"),
        Source("outlet", kind="secondary report", reliability="C", credibility=3,
               cites=("later_report",)),
    ]
    claims = [_yes("c1", "briefing", "p1"), _yes("c2", "outlet", "p4"),
              _yes("c3", "later_report", "p_2023")]
    return sources, claims


def test_no_origin_inherited_from_an_unrelated_report() -> None:
    sources, claims = _militarnyi()
    oc = independent_origins("p4", claims, sources)
    (group,) = oc.supporting_groups
    assert group.unknown and group.label == "origin unknown"
    assert "later_report" not in group.origins
    assert "origin unknown (behind outlet)" in oc.explanation
    a = assess("p4", claims, sources)
    assert (a.supporting_origins, a.supporting_parties, a.unknown_origin_claims) == (0, 0, 1)
    assert "unknown origin" in a.explanation
    # half weight of the reporting outlet's grade (C3: 0.5 * 0.6 / 2 = 0.15)
    assert a.supporting[0].weight == pytest.approx(0.15)
    # the same report IS the origin when it is on record for the same proposition
    claims.append(_yes("c4", "later_report", "p4"))
    oc = independent_origins("p4", claims, sources)
    assert [g.origins for g in oc.supporting_groups] == [("later_report",)]


def test_origin_followed_through_a_pass_through_wire_only_for_its_proposition() -> None:
    sources = [Source("briefing", kind="primary statement", reliability="B", credibility=2),
               Source("wire", kind="wire", cites=("briefing",)),
               Source("outlet", kind="secondary report", copies=("wire",))]
    claims = [_yes("b1", "briefing", "p"), _yes("o1", "outlet", "p"), _yes("o2", "outlet", "q")]
    assert [g.origins for g in independent_origins("p", claims, sources).supporting_groups] \
        == [("briefing",)]
    assert independent_origins("q", claims, sources).supporting_groups[0].unknown
    # a supporting chain does not end at a source that only contradicts the proposition
    claims = [_no("b1", "briefing", "p"), _yes("o1", "outlet", "p")]
    assert independent_origins("p", claims, sources).supporting_groups[0].unknown


def test_a_named_origin_is_trusted_and_links_its_source() -> None:
    sources = [Source("briefing", kind="primary statement", cites=("old_context",)),
               Source("old_context", kind="secondary report"),
               Source("outlet", kind="secondary report", cites=("old_context",)),
               Source("copier", kind="aggregator copy", copies=("outlet",))]
    claims = [_yes("o1", "outlet", origin_id="briefing"), _yes("k1", "copier")]
    oc = independent_origins("p", claims, sources)
    assert [(g.origins, g.unknown) for g in oc.supporting_groups] == [(("briefing",), False)]


def test_statements_of_one_party_are_one_origin_by_default() -> None:
    sources = [
        Source("us_dec", kind="primary statement", reliability="B", credibility=3,
               party="US government"),
        Source("us_jan", kind="primary statement", reliability="B", credibility=3,
               party="US government"),
        Source("kcna_dec", kind="denial", reliability="E", credibility=4,
               party="DPRK government"),
        Source("kcna_jan", kind="denial", reliability="E", credibility=4,
               party="DPRK government"),
        Source("wagner", kind="denial", reliability="E", credibility=4, party="Wagner Group"),
    ]
    claims = [_yes("a", "us_dec"), _yes("b", "us_jan"), _no("c", "kcna_dec"),
              _no("d", "kcna_jan"), _no("e", "wagner")]
    a = assess("p", claims, sources)
    assert (a.supporting_origins, a.supporting_parties) == (2, 1)
    assert (a.contradicting_origins, a.contradicting_parties, a.denials) == (3, 2, 3)
    assert "1 party says so (US government, B3)" in a.explanation
    assert "2 parties deny it (DPRK government, E4; Wagner Group, E4)" in a.explanation
    apart = assess("p", claims, sources, by_party=False)
    assert apart.supporting_parties == 2 and apart.contradicting_parties == 3
    assert apart.probability != a.probability


# --- the rule --------------------------------------------------------------------------------

def test_probability_follows_the_one_sentence_rule() -> None:
    sources = [Source("gov", kind="primary statement", reliability="B", credibility=3),
               Source("sat", kind="primary imagery", reliability="A", credibility=2,
                      cites=("gov",)),
               Source("denier", kind="denial", reliability="E", credibility=4)]
    claims = [_yes("g", "gov"), _yes("s", "sat", origin_id="gov"), _no("d", "denier")]
    a = assess("p", claims, sources)
    # the party's best grade among its origin and the direct evidence it released: A2
    w_for, w_against = grade_weight(sources[1]), grade_weight(sources[2])
    odds = 1 / (1 - w_for) * (1 - w_against)
    assert a.probability == pytest.approx(odds / (1 + odds), abs=1e-4)
    assert a.direct_evidence == 1 and "with direct evidence" in a.explanation
    assert a.term == estimative_term(a.probability)[0]


def test_nothing_for_or_against_cannot_be_assessed() -> None:
    sources = [Source("s")]
    claims = [Claim("m", "s", proposition_id="p", stance="mentions", confirmed=True)]
    a = assess("p", claims, sources)
    assert a.probability is None and a.term == NOT_ASSESSED
    assert a.explanation == ("Cannot be assessed: no claim supports or contradicts it; "
                             "1 claim(s) mention it without taking a side.")


def test_table_columns_order_and_views() -> None:
    sources, claims = _militarnyi()
    props = [Proposition("p1", "railcars"), Proposition("p4", "at Tumangang"),
             Proposition("p9", "nothing said")]
    table = assessment_table(claims, sources, props)
    assert tuple(table.columns) == ASSESSMENT_COLUMNS
    assert list(table["proposition_id"]) == ["p1", "p4", "p9"]  # best-supported first
    assert table.loc[0, "statement"] == "railcars" and table.loc[2, "assessment"] == NOT_ASSESSED
    view = independence_table(claims, sources, ["p1", "p4", "p9"])
    assert list(view["proposition"]) == list(table["proposition_id"])
    assert list(view["confidence"].fillna(-1)) == list(table["probability"].fillna(-1))
    for text in table["explanation"]:  # one sentence each
        assert text.endswith(".") and text.count(". ") == 0 and "\n" not in text


# --- Hypothesis properties -------------------------------------------------------------------

grades = st.tuples(st.sampled_from(sorted(RELIABILITY)), st.integers(1, 6))


@st.composite
def evidence(draw: st.DrawFn) -> tuple[list[Source], list[Claim]]:
    """Independent parties for ("s*") and against ("k*") proposition p, some with copies."""
    sources, claims = [], []
    for i in range(draw(st.integers(1, 4))):
        r, c = draw(grades)
        sources.append(Source(f"s{i}", kind="primary statement", reliability=r,
                              credibility=c, party=f"party {i}"))
        claims.append(_yes(f"cs{i}", f"s{i}"))
        if draw(st.booleans()):
            sources.append(Source(f"copy{i}", kind="aggregator copy", copies=(f"s{i}",),
                                  reliability="A", credibility=1))
            claims.append(_yes(f"cc{i}", f"copy{i}"))
    for i in range(draw(st.integers(0, 3))):
        r, c = draw(grades)
        sources.append(Source(f"k{i}", kind="denial", reliability=r, credibility=c,
                              party=f"other {i}"))
        claims.append(_no(f"ck{i}", f"k{i}"))
    return sources, claims


@settings(max_examples=60, deadline=None)
@given(evidence(), grades)
def test_an_independent_contradiction_always_ranks_lower(
        ev: tuple[list[Source], list[Claim]], grade: tuple[str, int]) -> None:
    sources, claims = ev
    contradicted = [replace(c, proposition_id="q") for c in claims]
    sources = [*sources, Source("denier", kind="denial", reliability=grade[0],
                                credibility=grade[1], party="a party of its own")]
    contradicted.append(_no("extra", "denier", "q"))
    a_p = assess("p", claims + contradicted, sources)
    a_q = assess("q", claims + contradicted, sources)
    assert a_p.probability is not None and a_q.probability is not None
    assert a_q.probability <= a_p.probability
    table = assessment_table(claims + contradicted, sources, ["q", "p"])
    assert list(table["proposition_id"]) == ["p", "q"]


@settings(max_examples=60, deadline=None)
@given(evidence(), grades)
def test_an_independent_supporting_party_never_lowers_and_copies_change_nothing(
        ev: tuple[list[Source], list[Claim]], grade: tuple[str, int]) -> None:
    sources, claims = ev
    before = assess("p", claims, sources)
    more = [*sources, Source("new", kind="wire", reliability=grade[0], credibility=grade[1])]
    after = assess("p", [*claims, _yes("n", "new")], more)
    assert before.probability is not None and after.probability is not None
    assert after.probability >= before.probability
    assert after.supporting_parties == before.supporting_parties + 1
    copies = [*sources, Source("echo", kind="aggregator copy", copies=("s0",),
                               reliability="A", credibility=1)]
    echoed = assess("p", [*claims, _yes("e", "echo")], copies)
    assert echoed.probability == before.probability
    assert echoed.supporting_parties == before.supporting_parties
    # a second statement of a party already counted, graded no better, changes nothing
    same = [*sources, replace(sources[0], id="s0_again", credibility=6, reliability="F")]
    again = assess("p", [*claims, _yes("a", "s0_again")], same)
    if grade_weight(same[-1]) <= grade_weight(sources[0]):
        assert again.probability == before.probability


@settings(max_examples=40, deadline=None)
@given(evidence(), st.randoms(use_true_random=False))
def test_order_of_claims_and_sources_does_not_matter(
        ev: tuple[list[Source], list[Claim]], rnd: object) -> None:
    sources, claims = ev
    a = assess("p", claims, sources)
    shuffled_c, shuffled_s = list(claims), list(sources)
    rnd.shuffle(shuffled_c)  # type: ignore[attr-defined]
    rnd.shuffle(shuffled_s)  # type: ignore[attr-defined]
    b = assess("p", shuffled_c, shuffled_s)
    assert (a.probability, a.explanation) == (b.probability, b.explanation)
    assert a.band_low is not None and a.band_high is not None and a.probability is not None
    assert a.band_low <= a.probability <= a.band_high
    assert not math.isnan(a.probability)


# --- two times: stated and about -------------------------------------------------------------

def _friday() -> tuple[list[Source], list[Claim]]:
    sources = [Source("briefing", kind="primary statement", published="2023-01-20"),
               Source("ap", kind="wire", published="2023-01-20", cites=("briefing",)),
               Source("ukr", kind="secondary report", published="2023-01-21",
                      cites=("briefing",))]
    claims = [
        _yes("wh", "briefing", about="November 18th", stated="2023-01-20"),
        # AP: the image was RELEASED on Friday (stated); it shows 18 Nov (about)
        _yes("ap", "ap", stated="Friday", about="Nov. 18", origin_id="briefing"),
        _yes("ukr", "ukr", about="18 October", origin_id="briefing"),
    ]
    return sources, claims


def test_weak_spots_compare_event_dates_with_event_dates_only() -> None:
    sources, claims = _friday()
    df = weak_spots(claims, sources)
    conflicts = df[df["kind"] == "date_conflict"]
    assert len(conflicts) == 2  # "18 October" against both 18 November claims, nothing else
    assert all("ukr" in d for d in conflicts["detail"])
    assert not any("Friday" in d for d in conflicts["detail"])


def test_about_is_read_against_the_stated_date() -> None:
    sources = [Source("reuters", kind="wire", published="2023-01-20")]
    claim = _yes("k", "reuters", stated="2022-12-22", about="last month")
    dates = claim_dates(claim, sources[0])
    assert dates["about"].earliest.date() == dt.date(2022, 11, 1)
    assert dates["about"].latest.date() == dt.date(2022, 11, 30)
    assert "stated '2022-12-22'" in dates["about_how"]
    # without a stated date the publication date stands in, and the provenance says so
    plain = claim_dates(replace(claim, stated=None), sources[0])
    assert plain["stated"].earliest.date() == dt.date(2023, 1, 20)
    assert "published date of reuters (2023-01-20) stands in" in plain["stated_how"]
    assert plain["about"].earliest.date() == dt.date(2022, 12, 1)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dates(dt.date(2020, 1, 1), dt.date(2025, 12, 31)), min_size=2, max_size=5),
       st.dates(dt.date(2020, 1, 1), dt.date(2025, 12, 31)))
def test_statement_dates_never_make_a_date_conflict(stated: list[dt.date],
                                                   event: dt.date) -> None:
    """Claims made on any days about one event day never conflict; a different event day
    in one of them does."""
    sources = [Source(f"s{i}", kind="wire", published=d.isoformat())
               for i, d in enumerate(stated)]
    claims = [_yes(f"c{i}", f"s{i}", stated=d.isoformat(), about=event.isoformat())
              for i, d in enumerate(stated)]
    spots = weak_spots(claims, sources)
    assert (spots["kind"] == "date_conflict").sum() == 0
    other = event + dt.timedelta(days=30)
    claims[0] = replace(claims[0], about=other.isoformat())
    spots = weak_spots(claims, sources)
    assert (spots["kind"] == "date_conflict").sum() == len(stated) - 1


@settings(max_examples=40, deadline=None)
@given(evidence(), st.lists(st.integers(0, 2), min_size=8, max_size=8))
def test_counting_by_party_never_counts_more_groups(
        ev: tuple[list[Source], list[Claim]], labels: list[int]) -> None:
    sources, claims = ev
    sources = [replace(s, party=f"party {labels[i % 8]}") for i, s in enumerate(sources)]
    merged = independent_origins("p", claims, sources)
    apart = independent_origins("p", claims, sources, by_party=False)
    assert merged.supporting <= apart.supporting
    assert merged.contradicting <= apart.contradicting
    parties = {p for g in merged.supporting_groups for p in g.parties}
    assert merged.supporting == len(parties)  # one group per party, here every origin has one
