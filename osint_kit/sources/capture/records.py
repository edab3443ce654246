"""The records an ingested page becomes: lines, captions, quotations, date mentions.

A :class:`Capture` keeps *everything* it found and says why: a boilerplate line keeps its
text and the rule that flagged it, a caption keeps the credit that was run onto it, a date
mention keeps its context and (once resolved) the ``When`` and the reference it was resolved
against. The page's own header date (often the scrape date on aggregator sites) is kept in
``page_date``, apart from ``published``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from osint_kit._html import df_table, esc, kv_table


def content_hash(text: str) -> str:
    """SHA-256 of NFC-normalised text with unified line ends: stable across editors."""
    norm = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


# Line roles
TITLE = "title"
HEADING = "heading"
BODY = "body"
CAPTION = "caption"
BOILERPLATE = "boilerplate"
PAGE_DATE = "page_date"
LINE_ROLES: tuple[str, ...] = (TITLE, HEADING, BODY, CAPTION, BOILERPLATE, PAGE_DATE)

LINE_COLUMNS: tuple[str, ...] = ("line", "role", "text", "reason")
DATE_COLUMNS: tuple[str, ...] = (
    "text", "line", "role", "context", "earliest", "latest", "precision", "provenance", "error",
)


@dataclass(frozen=True)
class Line:
    """One non-blank line of the capture (``number`` is 1-based in the original text)."""

    number: int
    text: str
    role: str
    reason: str = ""

    def __repr__(self) -> str:
        return f"Line({self.number}, {self.role}, {self.text[:40]!r})"

    def _repr_html_(self) -> str:
        return kv_table([("line", self.number), ("role", self.role), ("text", self.text),
                         ("reason", self.reason)], title="Line")


@dataclass(frozen=True)
class Caption:
    """A photo caption with the credit (agency / photographer) split off when found."""

    line: int
    raw: str
    caption: str
    credit: str | None
    rule: str

    def __repr__(self) -> str:
        return f"Caption({self.caption[:40]!r}, credit={self.credit!r})"

    def _repr_html_(self) -> str:
        return kv_table([("line", self.line), ("caption", self.caption), ("credit", self.credit),
                         ("raw", self.raw), ("rule", self.rule)], title="Caption")


@dataclass(frozen=True)
class Quotation:
    """A quoted passage and its speaker, when attributable (``attribution`` says how)."""

    line: int
    text: str
    speaker: str | None
    attribution: str

    def __repr__(self) -> str:
        return f"Quotation({self.text[:40]!r}, speaker={self.speaker!r})"

    def _repr_html_(self) -> str:
        return kv_table([("line", self.line), ("quote", self.text), ("speaker", self.speaker),
                         ("attribution", self.attribution)], title="Quotation")


@dataclass(frozen=True)
class DateMention:
    """A date expression found in the text, with context and (once resolved) its ``When``.

    ``when`` is an ``osint_kit.timeline.When`` after :meth:`Capture.resolve_dates` (or when a
    reference was given at ingest); ``error`` says why it could not be resolved.
    """

    text: str
    line: int
    start: int
    end: int
    context: str
    role: str = BODY
    kind: str = ""
    when: Any = None
    error: str | None = None

    @property
    def resolved(self) -> bool:
        return self.when is not None

    def as_row(self) -> dict[str, Any]:
        w = self.when
        return {
            "text": self.text, "line": self.line, "role": self.role, "context": self.context,
            "earliest": getattr(w, "earliest", None), "latest": getattr(w, "latest", None),
            "precision": str(getattr(w, "precision", "") or "") or None,
            "provenance": getattr(w, "provenance", None), "error": self.error,
        }

    def __repr__(self) -> str:
        state = "resolved" if self.when is not None else (self.error or "unresolved")
        return f"DateMention({self.text!r}, line {self.line}, {state})"

    def _repr_html_(self) -> str:
        return kv_table(list(self.as_row().items()), title="Date mention")


@dataclass(frozen=True)
class Capture:
    """An ingested page or text: lines with roles, captions, quotations, date mentions.

    ``published`` comes from the page metadata (htmldate / trafilatura) with
    ``published_provenance`` saying which; ``page_date`` is the page's own header date line,
    which on aggregators is usually the scrape or display date, not the publication date.
    """

    kind: str
    lines: tuple[Line, ...]
    captions: tuple[Caption, ...] = ()
    quotations: tuple[Quotation, ...] = ()
    dates: tuple[DateMention, ...] = ()
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    language: str | None = None
    published: str | None = None
    published_provenance: str | None = None
    updated: str | None = None
    page_date: DateMention | None = None
    reference: str | None = None
    content_hash: str = ""
    encoding: str | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def main_lines(self) -> tuple[Line, ...]:
        """Title, headings and body lines (no boilerplate, captions or header date)."""
        return tuple(ln for ln in self.lines if ln.role in (TITLE, HEADING, BODY))

    @property
    def main_text(self) -> str:
        """The article text without boilerplate, captions and header date."""
        return "\n".join(ln.text for ln in self.main_lines)

    @property
    def boilerplate(self) -> tuple[Line, ...]:
        return tuple(ln for ln in self.lines if ln.role == BOILERPLATE)

    def lines_frame(self) -> pd.DataFrame:
        """Lines as a DataFrame with LINE_COLUMNS."""
        rows = [(ln.number, ln.role, ln.text, ln.reason) for ln in self.lines]
        return pd.DataFrame(rows, columns=list(LINE_COLUMNS))

    def dates_frame(self) -> pd.DataFrame:
        """Date mentions as a DataFrame with DATE_COLUMNS."""
        return pd.DataFrame([d.as_row() for d in self.dates], columns=list(DATE_COLUMNS))

    def resolve_dates(self, reference: Any, tz: str | None = None,
                      languages: list[str] | None = None) -> Capture:
        """A copy with every date mention resolved against ``reference`` (you choose it).

        The page header date is never used silently: pass it yourself if you think it is
        the right anchor (for aggregator copies it usually is not).
        """
        from osint_kit.sources.capture.datefind import resolve_mentions

        dates = resolve_mentions(self.dates, reference=reference, tz=tz, languages=languages)
        page_date = self.page_date
        if page_date is not None:
            page_date = next((d for d in dates if d.role == PAGE_DATE), page_date)
        return replace(self, dates=dates, page_date=page_date, reference=str(reference))

    def __repr__(self) -> str:
        return (f"Capture({self.kind}, {self.title!r:.60}, {len(self.lines)} lines, "
                f"{len(self.boilerplate)} boilerplate, {len(self.captions)} captions, "
                f"{len(self.quotations)} quotes, {len(self.dates)} dates)")

    def _repr_html_(self) -> str:
        head = kv_table([
            ("kind", self.kind), ("title", self.title), ("author", self.author),
            ("publisher", self.publisher), ("url", self.url), ("language", self.language),
            ("published", self.published), ("published from", self.published_provenance),
            ("updated", self.updated),
            ("page header date", self.page_date.text if self.page_date else None),
            ("dates resolved against", self.reference), ("content hash", self.content_hash),
            ("encoding", self.encoding),
            ("warnings", "; ".join(self.warnings)),
        ], title="Capture")
        caps = pd.DataFrame([(c.line, c.caption, c.credit, c.rule) for c in self.captions],
                            columns=["line", "caption", "credit", "rule"])
        quotes = pd.DataFrame([(q.line, q.text, q.speaker, q.attribution)
                               for q in self.quotations],
                              columns=["line", "quote", "speaker", "attribution"])
        return (head + "<h5>lines</h5>" + df_table(self.lines_frame())
                + "<h5>captions</h5>" + df_table(caps)
                + "<h5>quotations</h5>" + df_table(quotes)
                + "<h5>" + esc("date expressions") + "</h5>" + df_table(self.dates_frame()))
