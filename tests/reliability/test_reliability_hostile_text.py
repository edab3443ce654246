"""Hostile pages and Timesketch files: every outcome is a result or an error of the kit's tree.

The inputs come from ``osint_kit/testing/hostile_text.py``. On the code before this suite, 11 of the Timesketch
files escaped (RecursionError, ValueError, TypeError, OverflowError, ``_csv.Error``), every
non-text ``<meta charset>`` raised LookupError (punycode UnicodeError), deep JSON-LD raised
RecursionError and text below 255 nested elements vanished without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# Imported at collection (sockets still allowed): urllib3, pulled in by trafilatura, probes
# IPv6 support by creating a local socket once at import time; nothing is connected.
import trafilatura  # noqa: F401

from osint_kit.errors import IngestError, OsintKitError, TimelineError
from osint_kit.sources import ingest_html
from osint_kit.testing.hostile_text import deep_page, hostile_pages, hostile_timesketch
from osint_kit.timeline.export import from_timesketch

PAGES = hostile_pages()
TIMESKETCH = hostile_timesketch()


@pytest.mark.timeout(300)  # a hang guard only
@pytest.mark.parametrize("name", sorted(PAGES))
def test_hostile_pages_give_a_capture_or_an_ingest_error(name: str) -> None:
    try:
        cap = ingest_html.here(PAGES[name])
    except IngestError:
        return
    texts = [ln.text for ln in cap.lines]
    assert texts, name
    if name.startswith("charset"):
        assert texts == ["Hello there."]
        assert cap.encoding == "utf-8"  # the bogus label was ignored, the bytes detected


@pytest.mark.parametrize(("depth", "tag"), [(300, "div"), (3000, "span"), (256, "section")])
def test_text_below_the_parser_depth_limit_is_not_lost_silently(depth: int, tag: str) -> None:
    cap = ingest_html.here(deep_page(depth, tag))
    if "Deep article text that must not vanish silently." in cap.main_text:
        return  # parsed without the limit: nothing lost
    assert any("text characters in the markup" in w for w in cap.warnings), cap.warnings


def test_shallow_pages_get_no_lost_text_warning() -> None:
    cap = ingest_html.here(deep_page(100))
    assert "Deep article text that must not vanish silently." in cap.main_text
    assert not any("text characters in the markup" in w for w in cap.warnings)


@pytest.mark.parametrize("name", sorted(TIMESKETCH))
def test_hostile_timesketch_gives_a_timeline_or_a_timeline_error(name: str,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(TIMESKETCH[name])
    try:
        timeline = from_timesketch(path)
    except TimelineError as err:
        assert str(err).startswith(str(path)), f"the error does not name the file: {err}"
        return
    except OsintKitError as err:  # pragma: no cover - the message must say where
        pytest.fail(f"{type(err).__name__} without the file and line: {err}")
    assert len(timeline.df) == 1
