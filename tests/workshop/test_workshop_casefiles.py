"""The worked case goes into a Case folder; notebooks' output folder is configurable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from osint_kit.workshop.casefiles import (
    OPEN_QUESTIONS,
    RECONSTRUCTIONS_SOURCE,
    build_case,
    load_events,
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


def _events_file(root: Path, text: str) -> Path:
    (root / "case").mkdir(parents=True)
    (root / "case" / "events.yaml").write_text(text, encoding="utf-8")
    return root


def test_event_dates_keep_words_and_reference(tmp_path: Path) -> None:
    root = _events_file(tmp_path / "ok", "events:\n- {id: x, label: delivery, when: last month,"
                        " reference: '2022-12-22', tz: America/New_York}\n")
    (event,) = load_events(root).events()
    assert event.when.precision.value == "month"
    assert "2022-12-22" in event.when.provenance
    from osint_kit.errors import TimelineError

    bad = _events_file(tmp_path / "bad", "events:\n- {label: no reference, when: last month}\n")
    with pytest.raises(TimelineError):
        load_events(bad)


def test_case_events_are_read_by_the_timeline_reader(tmp_path: Path) -> None:
    """One events-YAML reader: the case loader gives what ``osint_kit.timeline.io.read_yaml``
    gives, fields the timeline format knows included (``relative_to``, ``after``,
    ``confidence``, ``sources``), on the bundled cases and on a hand-written file."""
    from osint_kit.timeline.io import read_yaml

    root = _events_file(tmp_path / "case", """title: t
events:
- {id: a, label: first, when: 18 November 2022, tz: Europe/Warsaw, confidence: 0.7}
- {id: b, label: next, when: the next day, relative_to: a, after: [a], sources: [s1]}
""")
    for folder in (root, ROOT / "examples", ROOT / "examples" / "practice"):
        mine = load_events(folder).df
        pd.testing.assert_frame_equal(mine, read_yaml(folder / "case" / "events.yaml").df)
    first, second = load_events(root).events()
    assert first.confidence == 0.7 and second.after == ("a",) and second.source_ids == ("s1",)
    assert (second.when.earliest - first.when.earliest).days == 1  # read against event a
