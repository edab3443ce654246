"""The worked case (examples/case), loaded as the notebooks load it: the ranking a workshop
participant sees must be one a reviewer can defend (issue 18)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from osint_kit.sources import assessment_table, independent_origins, weak_spots
from osint_kit.workshop.casefiles import find_examples, load_example_case


@pytest.fixture(scope="module")
def case() -> Any:
    return load_example_case(find_examples()).sources


@pytest.fixture(scope="module")
def table(case: Any) -> pd.DataFrame:
    return assessment_table(case.claims, case.sources, case.propositions)


def _rank(table: pd.DataFrame) -> list[str]:
    return list(table["proposition_id"])


def test_arms_to_wagner_ranks_below_the_rail_movements(table: pd.DataFrame) -> None:
    rank = _rank(table)
    prob = dict(zip(table["proposition_id"], table["probability"], strict=True))
    for movement in ("P1_cars_in", "P2_loaded_out"):
        assert rank.index("P3_arms_to_wagner") > rank.index(movement)
        assert prob["P3_arms_to_wagner"] < prob[movement]
    p3 = table.set_index("proposition_id").loc["P3_arms_to_wagner"]
    # two statements of one government are one party; the denials come from two parties
    assert (p3["supporting_origins"], p3["supporting_parties"]) == (2, 1)
    assert p3["contradicting_parties"] == 2 and p3["denials"] == 3
    assert "deny it" in p3["explanation"]


def test_the_loading_place_does_not_outrank_the_movement(table: pd.DataFrame,
                                                         case: Any) -> None:
    rank = _rank(table)
    assert rank.index("P4_loaded_at_tumangang") > rank.index("P1_cars_in")
    # Militarnyi's claim does not inherit Beyond Parallel's October 2023 report as origin
    oc = independent_origins("P4_loaded_at_tumangang", case.claims, case.sources)
    assert not any("beyond_parallel" in o for g in oc.supporting_groups for o in g.origins
                   if not g.unknown)
    assert any(g.unknown for g in oc.supporting_groups)


def test_no_statement_date_is_set_against_an_event_date(case: Any) -> None:
    spots = weak_spots(case.claims, case.sources, case.propositions)
    conflicts = spots[spots["kind"] == "date_conflict"]
    # the only event date in conflict in the case is the relay's "18 October" (a
    # transcription error); AP's "Friday" and the UN's 22 Dec are when statements were made
    for detail in conflicts["detail"]:
        assert "C25_yahoo_october" in detail, detail
    assert len(conflicts) >= 1  # the real one is still found
    assert not any("Friday" in d for d in conflicts["detail"])
    for cid in ("C33_un_no_info", "C05_agg_friday", "C16_kirby_dec"):
        assert not any(cid in d for d in conflicts["detail"]), cid
    by_id = {c.id: c for c in case.claims}
    assert by_id["C21_ap_image"].stated  # the release day is a statement date
