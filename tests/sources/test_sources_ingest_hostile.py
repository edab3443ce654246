"""ingest_html / ingest_text on pages crafted to hang, crash or escape the error tree."""

from __future__ import annotations

import re

import pytest

# Imported at collection (sockets still allowed): urllib3, pulled in by trafilatura, probes
# IPv6 support by creating a local socket once at import time; nothing is connected.
import trafilatura  # noqa: F401

from osint_kit.sources import ingest_html, ingest_text
from osint_kit.sources.capture.ingest import strip_scripts
from osint_kit.testing.stand_ins import assert_crash_and_hang_contained

HEAD = "<html><head><title>t</title></head><body><p>Real article text before.</p>"


def openers_page(opener: str, n: int = 4000, size: int = 1_100_000) -> str:
    """``size`` characters of page with ``n`` unterminated ``opener``s spread through it."""
    chunk = (size - len(HEAD)) // n
    filler = "x" * (chunk - len(opener) - 1)
    return HEAD + "".join(f"{opener} {filler}" for _ in range(n))


#: The regex the scanner replaced (quadratic on unterminated openers): the reference for
#: well-formed input.
OLD = re.compile(r"<script(?![^>]*ld\+json)[^>]*>.*?</script\s*>|<style[^>]*>.*?</style\s*>|"
                 r"<!--.*?-->", re.IGNORECASE | re.DOTALL)


@pytest.mark.timeout(120)  # a hang guard only: the old regex took minutes on these pages
@pytest.mark.parametrize("opener", ["<!--", "<script", "<style", "<SCRIPT type=x", "<style>"])
def test_unterminated_openers_are_stripped_once(opener: str) -> None:
    page = openers_page(opener)
    assert len(page) >= 1_090_000 and page.count(opener) == 4000
    # the first unterminated opener swallows the rest of the page, as in a browser
    assert strip_scripts(page).rstrip() == HEAD
    cap = ingest_html.here(page)  # above max_chars: the scanner runs
    assert "Real article text before." in [ln.text for ln in cap.lines]
    assert not any("xxxx" in ln.text for ln in cap.lines)


@pytest.mark.parametrize("html", [
    "<p>a</p><script>var x = '<p>no</p>';</script><p>b</p>",
    "<p>a</p><SCRIPT src=x.js></SCRIPT ><style>p{}</style><!-- c --><p>b</p>",
    "<script type='application/ld+json'>{\"datePublished\": \"2022-11-18\"}</script><p>b</p>",
    "<p>a<!-- one --> mid <!-- two --></p><style media=x>.a{}</style >end",
    "<scripts>kept</scripts><styles>kept</styles><p>a</p>",
    "<script>a</script><script>b</script>",
])
def test_strip_scripts_matches_the_old_regex_on_well_formed_pages(html: str) -> None:
    assert strip_scripts(html) == OLD.sub(" ", html)


def test_ingest_runs_isolated_with_a_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser that crashes or hangs costs a typed error naming the page, not the kernel."""
    url = "https://example.invalid/page"
    page = HEAD + "</body></html>"
    assert_crash_and_hang_contained(monkeypatch, ingest_html,
                                    lambda timeout: ingest_html(page, url=url, timeout=timeout),
                                    url)
    assert_crash_and_hang_contained(monkeypatch, ingest_text,
                                    lambda timeout: ingest_text("a\nb", title="T",
                                                                timeout=timeout), "T")
    # and the isolated result is the one computed here
    here = ingest_html.here(page, url=url, reference="2022-11-19")
    there = ingest_html(page, url=url, reference="2022-11-19")
    assert there == here
