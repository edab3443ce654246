"""Adversarial strings in titles, quotes, captions and ids never reach HTML unescaped."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Protocol

import pytest

# Imported at collection (sockets still allowed): urllib3, pulled in by trafilatura, probes
# IPv6 support by creating a local socket once at import time; nothing is connected.
import trafilatura  # noqa: F401

from osint_kit.display.sources import matrix_html, plot_independence
from osint_kit.sources import (
    Claim,
    Proposition,
    Source,
    SourceSet,
    assess,
    citation_graph,
    cross_reference,
    independent_origins,
    ingest_html,
    ingest_text,
)

PAYLOADS = ('<script>alert(1)</script>', '<img src=x onerror=alert(1)>',
            '"><a href="javascript:alert(1)">x</a>', "' onmouseover='alert(1)")
class _HasHtml(Protocol):
    def _repr_html_(self) -> str: ...


ALLOWED_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "h4", "h5", "p", "span"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name != "style":
                self.problems.append(f"attribute {name}={value!r} on <{tag}>")
            elif value and ("alert" in value or "javascript" in value):
                self.problems.append(f"payload in style: {value!r}")


def _assert_safe(html: str) -> None:
    checker = _Checker()
    checker.feed(html)
    assert checker.problems == [], checker.problems
    assert "<script" not in html.lower()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_records_escape_payloads(payload: str) -> None:
    src = Source("s1", title=payload, publisher=payload, author=payload, party=payload,
                 url=payload, notes=payload)
    claim = Claim("c1", "s1", text=payload, claimant=payload, proposition_id="p1",
                  stance="supports", confirmed=True, about=payload,
                  stated=payload)
    prop = Proposition("p1", statement=payload, where=payload)
    records: list[_HasHtml] = [src, claim, prop, SourceSet((src,), (claim,), (prop,)),
                               independent_origins("p1", [claim], [src]),
                               assess("p1", [claim], [src], statement=payload)]
    for obj in records:
        _assert_safe(obj._repr_html_())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_captures_escape_payloads(payload: str) -> None:
    text = (f"{payload}\n\nMonday, February 26, 2024\n\nA body line on Friday with “{payload}”"
            f", he said.\n\n{payload} at a press conferencePAP/EPA/{payload}\n\n"
            "John Kirby said “quoted words here” on Friday.\n")
    cap = ingest_text(text, title=payload)
    html = cap._repr_html_()
    _assert_safe(html)
    parts: list[_HasHtml] = [*cap.lines, *cap.captions, *cap.quotations, *cap.dates]
    for part in parts:
        _assert_safe(part._repr_html_())
    page = (f"<html><head><title>{payload}</title></head><body><article><h1>{payload}</h1>"
            f"<p>{payload} Kirby said on Friday that the cars crossed on November 18, 2022."
            f"</p><figure><figcaption>{payload}Reuters</figcaption></figure></article>"
            "</body></html>")
    _assert_safe(ingest_html(page)._repr_html_())


def test_matrix_html_escapes_ids_and_values() -> None:
    evil_src = Source("s<script>", title="<b>bold</b>")
    evil_prop = Proposition("p\"onerror=alert(1)", statement="<img src=x>")
    claim = Claim("c", "s<script>", proposition_id="p\"onerror=alert(1)", stance="supports",
                  confirmed=True)
    df = cross_reference([claim], [evil_src, Source("ok")], [evil_prop])
    html = matrix_html(df, title="<script>alert(1)</script>")
    _assert_safe(html)
    assert "&lt;script&gt;" in html
    assert "background:#b8e186" in html  # coloured


def test_independence_figure() -> None:
    g = citation_graph([Source("briefing"), Source("wire", cites=("briefing",)),
                        Source("o1", copies=("wire",)), Source("<script>", copies=("ghost",))])
    fig = plot_independence(g)
    assert fig.axes and fig.axes[0].get_title()
    import matplotlib.pyplot as plt

    plt.close(fig)
