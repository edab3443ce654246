"""The worked case goes into a Case folder; notebooks' output folder is configurable."""

from __future__ import annotations

from pathlib import Path

import pytest

from osint_kit.workshop.casefiles import (
    OPEN_QUESTIONS,
    RECONSTRUCTIONS_SOURCE,
    build_case,
    event_from_mapping,
    load_example_case,
    output_dir,
)

ROOT = Path(__file__).resolve().parents[2]


def test_build_case_holds_everything(tmp_path: Path) -> None:
    example = load_example_case(ROOT / "examples")
    case = build_case(tmp_path / "case", example)
    try:
        counts = case.counts()
        assert counts["sources"] == len(example.sources.sources)
        assert counts["claims"] == len(example.sources.claims)
        assert counts["events"] == len(example.timeline)
        assert counts["evidence"] == 5
        assert counts["notes"] == len(OPEN_QUESTIONS)
        assert case.verify().ok
    finally:
        case.close()
    again = build_case(tmp_path / "case", example, overwrite=True)
    again.close()


def test_reconstructions_attached_to_the_source_that_says_so(tmp_path: Path) -> None:
    example = load_example_case(ROOT / "examples")
    case = build_case(tmp_path / "case", example)
    try:
        evidence = case.table("evidence")
        assert len(evidence) == 5
        assert set(evidence["source_id"]) == {RECONSTRUCTIONS_SOURCE}
    finally:
        case.close()
    source = {s.id: s for s in example.sources.sources}[RECONSTRUCTIONS_SOURCE]
    assert "RECONSTRUCTION" in (source.notes or "") and "RECONSTRUCTION" in source.title
    assert not source.cites and not source.copies
    assert not [c for c in example.sources.claims if c.source_id == RECONSTRUCTIONS_SOURCE]


def test_output_dir_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSINT_KIT_OUTPUT", str(tmp_path / "out"))
    assert output_dir() == tmp_path / "out"
    assert (tmp_path / "out").is_dir()


def test_event_dates_keep_words_and_reference() -> None:
    event = event_from_mapping({"id": "x", "label": "delivery", "when": "last month",
                                "reference": "2022-12-22", "tz": "America/New_York"})
    assert event.when.precision.value == "month"
    assert "2022-12-22" in event.when.provenance
    from osint_kit.errors import TimelineError

    with pytest.raises(TimelineError):
        event_from_mapping({"label": "no reference", "when": "last month"})
