"""The bundled case: byte-identical capture, YAML files that load with the library loaders."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

import osint_kit as ok
from osint_kit.workshop.casefiles import (
    CAPTURE_SHA256,
    capture_path,
    find_examples,
    load_example_case,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
LEGEND = re.compile(r"\[(?:C|S|B|X)\]")


def test_capture_hash_recorded_and_matches() -> None:
    data = capture_path(EXAMPLES).read_bytes()
    assert hashlib.sha256(data).hexdigest() == CAPTURE_SHA256
    assert CAPTURE_SHA256 in (EXAMPLES / "case" / "README.md").read_text(encoding="utf-8")


def test_capture_identical_to_shared_copy(case_dir: Path) -> None:
    shared = (case_dir / "article_capture.txt").read_bytes()
    assert shared == capture_path(EXAMPLES).read_bytes()


def test_case_loads_with_library_loaders() -> None:
    case = load_example_case(EXAMPLES)
    assert case.sources.validate() == []
    assert len(case.sources.sources) >= 20
    assert len(case.sources.claims) >= 20
    assert len(case.sources.propositions) >= 5
    assert len(case.timeline) >= 15
    assert {p.name for p in case.places} >= {
        "Tumangang station", "Korea-Russia Friendship Bridge", "Khasan", "Tumangang-dong"}
    assert all(p.uncertainty_m > 0 and p.source for p in case.places)
    assert "<table" in case._repr_html_()


def test_every_record_carries_the_provenance_legend() -> None:
    case = load_example_case(EXAMPLES)
    for source in case.sources.sources:
        assert source.notes and LEGEND.search(source.notes), source.id
    for claim in case.sources.claims:
        assert claim.notes and LEGEND.search(claim.notes), claim.id
    for place in case.places:
        assert LEGEND.search(place.note), place.name
    assert case.timeline.df["provenance"].str.contains(LEGEND).all()


def test_key_facts_of_the_case() -> None:
    case = load_example_case(EXAMPLES)
    df = case.timeline.df.set_index("event_id")
    assert str(df.loc["E12_briefing", "earliest"].tz_convert("America/New_York").date()) == \
        "2023-01-20"
    assert str(df.loc["E13_article_friday", "earliest"].tz_convert("Europe/Warsaw").date()) == \
        "2023-01-20"
    assert df.loc["E08_delivery_last_month", "precision"] == "month"
    kinds = {s.id: s.kind for s in case.sources.sources}
    assert kinds["polishnews_aggregator"] == "aggregator copy"
    assert kinds["kcna_2022_12_23"] == "denial"
    urls = [s.url for s in case.sources.sources if s.url]
    assert all(u.startswith(("https://", "http://")) for u in urls)


def test_find_examples_from_notebooks_and_env(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_examples(ROOT / "notebooks") == EXAMPLES
    monkeypatch.setenv("OSINT_KIT_EXAMPLES", str(EXAMPLES))
    assert find_examples(tmp_path) == EXAMPLES
    monkeypatch.delenv("OSINT_KIT_EXAMPLES")
    from osint_kit.errors import OsintKitError

    with pytest.raises(OsintKitError):
        find_examples(tmp_path)


def _assessed() -> tuple[Any, Any]:
    case = load_example_case(EXAMPLES)
    s = case.sources
    table = ok.assessment_table(s.claims, s.sources, s.propositions).set_index("proposition_id")
    return s, table


def test_ranking_of_the_worked_case() -> None:
    """Issue 18: P3 below P1 and P2 (one party for it, two against); P4 not above P1."""
    _, table = _assessed()
    p = table["probability"]
    assert p["P3_arms_to_wagner"] < min(p["P1_cars_in"], p["P2_loaded_out"])
    assert p["P4_loaded_at_tumangang"] < p["P1_cars_in"]
    p3 = table.loc["P3_arms_to_wagner"]
    assert (p3["supporting_parties"], p3["contradicting_parties"]) == (1, 2)
    assert p3["supporting_origins"] == 2  # two US statements: one party
    assert list(table.index).index("P3_arms_to_wagner") > list(table.index).index("P2_loaded_out")


def test_p4_has_no_origin_borrowed_from_an_october_2023_report() -> None:
    s, table = _assessed()
    p4 = ok.assess("P4_loaded_at_tumangang", s.claims, s.sources)
    traced = {o for side in p4.supporting for o in side.group.origins if not side.group.unknown}
    assert "beyond_parallel_2023_10_06" not in traced
    assert table.loc["P4_loaded_at_tumangang", "unknown_origin_claims"] == 2
    assert table.loc["P4_loaded_at_tumangang", "supporting_origins"] == 0


def test_aggregator_supports_p5_while_the_evidence_does_not() -> None:
    s, table = _assessed()
    matrix = ok.cross_reference(s.claims, s.sources, s.propositions)
    assert matrix.loc["P5_containers_held_munitions", "polishnews_aggregator"] == "supports"
    assert matrix.loc["P5_containers_held_munitions", "us_imagery_2023_01_20"] == "silent"
    assert matrix.loc["P5_containers_held_munitions", "nknews_2023_01_20"] == "mentions"
    assert table.loc["P5_containers_held_munitions", "direct_evidence"] == 0
    assert table.loc["P1_cars_in", "direct_evidence"] == 1
    texts = " ".join(c.text for c in s.claims if c.source_id == "polishnews_aggregator"
                     and c.proposition_id == "P5_containers_held_munitions")
    capture = capture_path(EXAMPLES).read_text(encoding="utf-8")
    for words in ("Wagons with ammunition", "loaded with North Korean ammunition in mid-November",
                  "Russian wagons with ammunition transport from North Korea"):
        assert words in texts and words in capture


def test_weak_spots_compare_events_with_events_only() -> None:
    """The only date conflicts are the Yahoo relay's '18 October' against 18 November."""
    s, _ = _assessed()
    spots = ok.weak_spots(s.claims, s.sources)
    conflicts = spots[spots["kind"] == "date_conflict"]
    assert len(conflicts) >= 1
    assert conflicts["detail"].str.contains("C25_yahoo_october").all()


def test_parties_and_two_times() -> None:
    s, _ = _assessed()
    party = {src.id: src.party for src in s.sources}
    assert party["whitehouse_briefing_2023_01_20"] == party["kirby_2022_12_22"] == \
        party["us_imagery_2023_01_20"] == "US government"
    assert party["kcna_2022_12_23"] == party["kcna_2023_01_29"] == "DPRK government"
    assert party["prigozhin_telegram_2022_12_22"] == "Wagner Group"
    assert all(party[i] is None for i in ("polishnews_aggregator", "reuters_wire_2023_01_20"))
    claims = {c.id: c for c in s.claims}
    assert (claims["C16_kirby_dec"].stated, claims["C16_kirby_dec"].about) == \
        ("22 December 2022", "Last month")
    assert claims["C30_kcna_dec"].about is None  # a statement date is not an event date


def test_publication_dates_only_as_precise_as_the_material() -> None:
    from osint_kit.timeline import parse_when

    s, _ = _assessed()
    for src in s.sources:
        if src.published:
            parse_when(src.published)  # every given date is readable, none is free text
    published = {src.id: src.published for src in s.sources}
    assert published["pap_wire_2023_01"] == "January 2023"  # Fakt.pl's month, no PAP day
    assert published["tvn24_original"] == "20-21 January 2023"


def test_notebook_prose_quotes_only_measured_estimates() -> None:
    """Every estimate that notebooks 02, 03 and 06 quote in their text ("likely, 65%",
    "0.63 for P3") is one the assessment of the bundled case really gives: in the table
    itself, with statements counted one by one (02's ``by_party=False``) or with the
    briefing regraded B2 (06's what-if). A model or data change that moves a number fails
    here, so the prose cannot silently disagree with the tables it sits beside."""
    import dataclasses

    notebooks = Path(__file__).resolve().parents[2] / "notebooks"
    s = load_example_case(EXAMPLES).sources
    regraded = [dataclasses.replace(src, credibility=2)
                if src.id == "whitehouse_briefing_2023_01_20" else src for src in s.sources]
    measured: set[int] = set()
    for table in (ok.assessment_table(s.claims, s.sources, s.propositions),
                  ok.assessment_table(s.claims, s.sources, s.propositions, by_party=False),
                  ok.assessment_table(s.claims, regraded, s.propositions)):
        measured |= {round(100 * p) for p in table["probability"].dropna()}
    for name in ("02_claims_and_sources", "03_timeline", "06_conclusions"):
        prose = "\n".join(line for line in (notebooks / f"{name}.py").read_text(
            encoding="utf-8").splitlines() if line.startswith("# ") and "%%" not in line)
        quoted = {int(m) for m in re.findall(r"(?<![\d.\-])(\d{1,2})%", prose)}
        quoted |= {int(m) for m in re.findall(r"(?<![\d.])0\.(\d\d)(?= for P)", prose)}
        assert quoted, f"{name}: no estimate quoted (has the prose changed form?)"
        assert quoted <= measured, f"{name} quotes {sorted(quoted - measured)}%, not measured"
