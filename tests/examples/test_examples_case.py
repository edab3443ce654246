"""The bundled case: byte-identical capture, YAML files that load with the library loaders."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

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
