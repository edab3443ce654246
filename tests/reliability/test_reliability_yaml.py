"""Every YAML reader goes through the one safe loader: no alias bombs, no RecursionError,
bounded size, and fields type-checked at load (issue 19 item 3).

The readers: case tables (``Case.from_tables`` / ``import_tables``), ``Timeline.load``,
``load_places``, ``SourceSet.load`` (``load_yaml``), the timeliner map and the workshop
case files. Each must raise its own documented osint_kit error, quickly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from osint_kit.errors import CaseError, GeoError, SourceError, TimelineError

#: a small "billion laughs": 9 levels of 9 aliases (str() of it is 3.9 MB; the issue's
#: 600-byte version with more levels exhausts memory)
BOMB = "\n".join(
    ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 7)]
) + "\n"
DEEP = "[" * 20_000 + "]" * 20_000 + "\n"


def _case_tables(tmp: Path, text: str) -> Any:
    from osint_kit.case import Case

    folder = tmp / "tables"
    folder.mkdir()
    (folder / "notes.yaml").write_text(text, encoding="utf-8")
    return Case.from_tables(folder, tmp / "case", title="t")


def _timeline(tmp: Path, text: str) -> Any:
    from osint_kit.timeline import Timeline

    (tmp / "t.yaml").write_text(text, encoding="utf-8")
    return Timeline.load(tmp / "t.yaml")


def _places(tmp: Path, text: str) -> Any:
    from osint_kit.geo import load_places

    (tmp / "p.yaml").write_text(text, encoding="utf-8")
    return load_places(tmp / "p.yaml")


def _sources(tmp: Path, text: str) -> Any:
    from osint_kit.sources import SourceSet

    (tmp / "s.yaml").write_text(text, encoding="utf-8")
    return SourceSet.load(tmp / "s.yaml")


def _timeliner(tmp: Path, text: str) -> Any:
    from osint_kit.timeline.derive import load_mapping

    (tmp / "m.yaml").write_text(text, encoding="utf-8")
    return load_mapping(tmp / "m.yaml")


READERS: dict[str, tuple[Callable[[Path, str], Any], type[Exception], str]] = {
    # reader, its error, a document shape that puts the bomb where the reader reads a field
    "case_tables": (_case_tables, CaseError, "- id: N0001\n  text: *a6\n"),
    "timeline": (_timeline, TimelineError, "events:\n- label: *a6\n  when: 2022-11-18\n"),
    "places": (_places, GeoError, "places:\n- name: *a6\n  lat: 1\n  lon: 2\n"),
    "sources": (_sources, SourceError, "sources:\n- id: S1\n  title: *a6\n"),
    "timeliner": (_timeliner, TimelineError, "x: *a6\n"),
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_alias_bomb_is_refused(tmp_path: Path, reader: str) -> None:
    call, error, shape = READERS[reader]
    start = time.monotonic()
    with pytest.raises(error, match="alias"):
        call(tmp_path, BOMB + shape)
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("reader", sorted(READERS))
def test_deep_nesting_is_an_osint_kit_error_not_recursion(tmp_path: Path, reader: str) -> None:
    call, error, _shape = READERS[reader]
    with pytest.raises(error, match="nested more than"):
        call(tmp_path, DEEP)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_oversized_file_is_refused_before_parsing(
    tmp_path: Path, reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import osint_kit._structured as structured

    call, error, _shape = READERS[reader]
    monkeypatch.setattr(structured, "MAX_BYTES", 1000)
    with pytest.raises(error, match="limit"):
        call(tmp_path, "# " + "x" * 2000 + "\n")


def test_node_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import osint_kit._structured as structured

    monkeypatch.setattr(structured, "MAX_NODES", 100)
    with pytest.raises(SourceError, match="more than 100 YAML nodes"):
        _sources(tmp_path, "sources: [" + "1," * 200 + "1]\n")


WRONG_TYPES: dict[str, tuple[str, str]] = {
    # a list or mapping where one value belongs: accepted by the old readers, which failed
    # (or showed nested junk) only later, when the records were displayed or exported
    "case_tables": ("- id: N0001\n  text: [a, b]\n", "must be text or a number"),
    "timeline": ("events:\n- label: {x: 1}\n  when: 2022-11-18\n", "'label' must be text"),
    "places": ("- name: [a, b]\n  lat: 1\n  lon: 2\n", "must be text or a number"),
    "sources": ("sources:\n- id: S1\n  title: [a, [b]]\n", "must be a single value"),
}


@pytest.mark.parametrize("reader", sorted(WRONG_TYPES))
def test_wrong_field_types_fail_at_load(tmp_path: Path, reader: str) -> None:
    call, error, _shape = READERS[reader]
    text, message = WRONG_TYPES[reader]
    with pytest.raises(error, match=message):
        call(tmp_path, text)


@pytest.mark.parametrize(("text", "message"), [
    ("events:\n- label: a\n  when: 2022-11-18\n  confidence: high\n", "confidence"),
    ("events:\n- label: a\n  when: {earliest: x, latest: y}\n", "interval is not valid"),
    ("events:\n- label: a\n  when: {earliest: 2022-11-18, latest: 2022-11-19, "
     "precision: fortnight}\n", "interval is not valid"),
    ("defaults: [1]\nevents:\n- label: a\n  when: 2022-11-18\n", "'defaults' must be"),
    ("events:\n- label: a\n  when: 2022-11-18\n  sources: [[S1]]\n", "list of ids"),
])
def test_timeline_yaml_field_errors_are_timeline_errors(
    tmp_path: Path, text: str, message: str
) -> None:
    """These raised ValueError, AttributeError or went through as nested junk before."""
    with pytest.raises(TimelineError, match=message):
        _timeline(tmp_path, text)


def test_valid_files_still_load(tmp_path: Path) -> None:
    assert len(_timeline(tmp_path, "events:\n- label: a\n  when: 2022-11-18\n"
                                   "  sources: [S1, 2]\n  confidence: 0.5\n")) == 1
    assert _places(tmp_path, "- name: x\n  lat: 1\n  lon: 2\n")[0].name == "x"
    assert _sources(tmp_path, "sources:\n- id: S1\n  title: T\n  cites: [S2]\n"
                    "  credibility: 2\n").sources[0].cites == ("S2",)
    with _case_tables(tmp_path, "- id: N0001\n  text: 2022-11-18\n") as case:
        assert case.get("notes", "N0001")["text"] == "2022-11-18"


@pytest.mark.parametrize("reader", sorted(READERS))
def test_control_character_is_the_readers_error(tmp_path: Path, reader: str) -> None:
    """Found by the yaml_readers fuzz target: PyYAML's reader refuses a control character
    while the loader is being built, which escaped as yaml.reader.ReaderError."""
    call, error, _shape = READERS[reader]
    with pytest.raises(error, match="not valid YAML"):
        call(tmp_path, "\x08")


@pytest.mark.parametrize("reader", sorted(READERS))
def test_impossible_yaml_date_is_the_readers_error(tmp_path: Path, reader: str) -> None:
    """Found by the yaml_readers fuzz target: PyYAML builds an unquoted 2022-13-01 as a date
    and raised ValueError ("month must be in 1..12") from the safe loader."""
    call, error, _shape = READERS[reader]
    with pytest.raises(error, match="not valid YAML"):
        call(tmp_path, "- when: 2022-13-01\n")
