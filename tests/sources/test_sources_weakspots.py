"""Weak spots: two-sided propositions, single origins, date conflicts, translation artefacts."""

from __future__ import annotations

import datetime as dt

from osint_kit.sources import Claim, Proposition, Source, translation_artefacts, weak_spots
from osint_kit.sources.weakspots import WEAKSPOT_COLUMNS


def _case() -> tuple[list[Source], list[Claim], list[Proposition]]:
    sources = [
        Source("briefing", kind="primary statement", reliability="B", credibility=2),
        Source("pap", kind="wire", cites=("briefing",)),
        Source("agg", kind="aggregator copy", copies=("pap",)),
        Source("ukr", kind="secondary report", cites=("briefing",)),
        Source("kcna", kind="denial", reliability="E", credibility=5),
    ]
    claims = [
        # the briefing's own claim puts it on record: the outlets' chains end there
        Claim("c0", "briefing", "five railcars crossed", proposition_id="p1",
              stance="supports", confirmed=True),
        Claim("c1", "agg", "photos from November 18, 2022", proposition_id="p1",
              stance="supports", about="November 18, 2022", confirmed=True),
        Claim("c2", "pap", "cars crossed", proposition_id="p1", stance="supports",
              about="2022-11-18", confirmed=True),
        Claim("c3", "ukr", "satellite images taken on 18 October", proposition_id="p1",
              stance="supports", about="18 October 2022", confirmed=True),
        Claim("c4", "kcna", "never happened", proposition_id="p1", stance="contradicts",
              confirmed=True),
        Claim("c5", "agg", "rockets for use by the Wagner ships", proposition_id="p2",
              stance="supports", confirmed=True),
    ]
    props = [Proposition("p1", "rail delivery on 18-19 Nov 2022"),
             Proposition("p2", "rockets were for Wagner")]
    return sources, claims, props


def test_weak_spots_found() -> None:
    sources, claims, props = _case()
    df = weak_spots(claims, sources, props, reference=dt.date(2023, 1, 21))
    assert list(df.columns) == list(WEAKSPOT_COLUMNS)
    kinds = set(zip(df["kind"], df["proposition"], strict=True))
    assert ("supported_and_contradicted", "p1") in kinds
    assert ("single_origin", "p1") in kinds  # four outlets, one briefing
    assert ("origin_unknown", "p2") in kinds  # agg copies pap, which says nothing on p2
    conflicts = df[df["kind"] == "date_conflict"]
    assert len(conflicts) == 2  # 18 October against both 18 November claims
    assert all("c3" in d for d in conflicts["detail"])
    artefacts = df[df["kind"] == "translation_artefact"]
    assert len(artefacts) == 1 and "Wagner ships" in artefacts.iloc[0]["detail"]


def test_translation_heuristic_is_specific() -> None:
    ok = ("Rockets were delivered for use by the Wagner fighters. Supplies went to the "
          "Russian forces and were paid for by the Americans was never said. Weapons sent "
          "to the Wagner Group. It was used by the Wagnerians.")
    assert translation_artefacts(ok) == []
    hits = translation_artefacts("Missiles for the Kremlin boats arrived.")
    assert len(hits) == 1 and hits[0]["severity"] == "notice"


def test_claims_become_timeline_events_with_confidence() -> None:
    from osint_kit.sources.events import claim_events, proposition_events
    from osint_kit.timeline import Timeline

    sources, claims, _props = _case()
    events, skipped = claim_events(claims, sources, reference=dt.date(2023, 1, 21))
    assert {e.event_id for e in events} == {"claim-c1", "claim-c2", "claim-c3"}
    assert skipped == []
    assert all(e.confidence is not None and 0 < e.confidence < 1 for e in events)
    tl = Timeline(events)
    conflicts = tl.conflicts()
    assert len(conflicts) >= 1
    assert "claim-c3" in set(conflicts["event_id"]) | set(conflicts["other_event_id"])
    dated = Proposition("p1", "rail delivery", when="November 18, 2022")
    pev, skipped_p = proposition_events([dated, Proposition("p9", "undated")], claims, sources)
    assert [e.event_id for e in pev] == ["proposition-p1"] and skipped_p == []
    assert pev[0].source_ids == ("agg", "briefing", "pap", "ukr")


def test_claim_events_skip_unresolvable_dates() -> None:
    from osint_kit.sources.events import claim_events

    sources, _, _ = _case()
    claims = [Claim("r", "agg", "x", proposition_id="p1", stance="supports", about="Friday",
                    confirmed=True)]
    events, skipped = claim_events(claims, sources)
    assert events == [] and "reference" in skipped[0]
