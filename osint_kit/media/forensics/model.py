"""The findings model: :class:`Finding` (one explained sign) and :class:`Findings` (a file's list,
with a notebook display), and the facts about a file that the rules read.

No finding is a verdict: each says what was seen, what it does and does not prove, and the
evidence (which fields, which values). The rules are in :mod:`osint_kit.media.forensics.rules`
(photos) and :mod:`osint_kit.media.forensics.video_rules`; their texts are data, one entry per
code in ``osint_kit/data/findings.yaml`` (:func:`finding_texts`), and a rule builds its finding
with :func:`make_finding`, filling the entry's ``{named}`` placeholders from the file.
"""

from __future__ import annotations

import functools
import json
import logging
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from osint_kit._html import STYLE, esc
from osint_kit.errors import OsintKitError

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)


Severity = Literal["info", "notice", "warning"]
SEVERITIES: tuple[str, ...] = ("info", "notice", "warning")

#: Columns of :func:`inspect_scan` and :meth:`Findings.to_frame` (evidence is a JSON object).
FINDING_COLUMNS: tuple[str, ...] = ("path", "code", "severity", "title", "explanation", "evidence")


@dataclass(frozen=True)
class Finding:
    """One explained sign about an image's history."""

    code: str
    severity: str
    title: str
    explanation: str
    evidence: Mapping[str, str] = field(default_factory=dict)
    path: str | None = None

    def __repr__(self) -> str:
        return f"Finding({self.severity}: {self.code} - {self.title})"

    def to_record(self) -> dict[str, Any]:
        """A flat dict with :data:`FINDING_COLUMNS` (evidence as a JSON object string)."""
        return {
            "path": self.path,
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "explanation": self.explanation,
            "evidence": json.dumps({str(k): str(v) for k, v in self.evidence.items()},
                                   ensure_ascii=False, sort_keys=True),
        }

    def _repr_html_(self) -> str:
        return Findings([self])._repr_html_()


_COLOURS = {"warning": "#fde2e1", "notice": "#fff4d6", "info": "#eef4fb"}


class Findings(Sequence[Finding]):
    """The findings for one image (or several): a sequence with a table and an HTML view."""

    def __init__(self, items: Sequence[Finding] = (), path: str | None = None) -> None:
        order = {s: i for i, s in enumerate(reversed(SEVERITIES))}
        self._items = tuple(sorted(items, key=lambda f: (order.get(f.severity, 9), f.code)))
        self.path = path

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> Findings: ...
    def __getitem__(self, index: int | slice) -> Finding | Findings:
        if isinstance(index, slice):
            return Findings(self._items[index], self.path)
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._items)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self._items)

    def by_severity(self, minimum: str = "notice") -> Findings:
        """Only findings at or above ``minimum`` severity."""
        rank = SEVERITIES.index(minimum)
        return Findings([f for f in self._items if SEVERITIES.index(f.severity) >= rank], self.path)

    def to_frame(self) -> pd.DataFrame:
        """One row per finding with :data:`FINDING_COLUMNS`."""
        import pandas as pd

        return pd.DataFrame([f.to_record() for f in self._items], columns=list(FINDING_COLUMNS))

    def __repr__(self) -> str:
        name = Path(self.path).name if self.path else ""
        inner = ", ".join(f"{f.severity}:{f.code}" for f in self._items)
        return f"Findings({name!r}, {len(self)}: {inner})" if name else f"Findings({len(self)}: {inner})"

    def _repr_html_(self) -> str:
        cell = "border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;"
        parts = []
        if self.path:
            parts.append(f"<h4 style='margin:6px 0 2px 0'>Findings for {esc(Path(self.path).name)}</h4>")
        if not self._items:
            parts.append("<p>No findings.</p>")
            return "".join(parts)
        parts.append(f"<table style='{STYLE}'><thead><tr>")
        for head in ("severity", "finding", "what it means", "evidence"):
            parts.append(f"<th style='{cell}background:#f4f4f4'>{esc(head)}</th>")
        parts.append("</tr></thead><tbody>")
        for f in self._items:
            colour = _COLOURS.get(f.severity, "")
            evidence = "<br>".join(f"<b>{esc(k)}</b>: {esc(v, limit=300)}" for k, v in f.evidence.items())
            parts.append(
                f"<tr><td style='{cell}background:{colour}'>{esc(f.severity)}</td>"
                f"<td style='{cell}'><b>{esc(f.title)}</b><br><code>{esc(f.code)}</code></td>"
                f"<td style='{cell}max-width:48em'>{esc(f.explanation)}</td>"
                f"<td style='{cell}font-size:11px'>{evidence}</td></tr>"
            )
        parts.append("</tbody></table>")
        return "".join(parts)


@dataclass
class FileFacts:
    quality: Any = None  # JpegQuality
    segments: tuple[tuple[str, int, str], ...] = ()
    thumbnail: Any = None  # ThumbnailComparison
    thumbnail_error: str | None = None
    c2pa: Any = None  # C2paDetection
    decode_error: str | None = None
    #: the decoder refused the declared size (not damage: a 200 MP photo, or a bomb)
    too_large: bool = False
    #: what Pillow warned about while opening and decoding (corrupt EXIF, truncated tags...)
    decoder_warnings: tuple[str, ...] = ()




# --- the texts: osint_kit/data/findings.yaml ----------------------------------------------------

#: The parts of an explanation, in the order they are joined.
EXPLANATION_PARTS: tuple[str, ...] = ("means", "innocent", "not_proof", "next")
_REQUIRED = ("media", "severity", "title", "means", "not_proof", "fires")
_OPTIONAL = ("innocent", "next", "severity_note", "phrases")
MEDIA: tuple[str, ...] = ("photo", "video")


@dataclass(frozen=True)
class FindingText:
    """The texts of one finding code (an entry of ``data/findings.yaml``): templates with
    ``{named}`` placeholders that the rule fills from the file."""

    code: str
    media: str
    severity: str
    title: str
    means: str
    not_proof: str
    fires: str
    innocent: str = ""
    next: str = ""
    severity_note: str = ""
    phrases: Mapping[str, str] = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        """The explanation template: what it means, innocent explanations, what it does not
        prove, what to check next."""
        return " ".join(p for p in (getattr(self, n) for n in EXPLANATION_PARTS) if p)

    def placeholders(self, template: str | None = None) -> frozenset[str]:
        """The placeholder names of ``template`` (default: title and explanation)."""
        text = self.title + " " + self.explanation if template is None else template
        return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def _entry(code: str, raw: object) -> FindingText:
    where = f"data/findings.yaml: {code}"
    if not isinstance(raw, Mapping):
        raise OsintKitError(f"{where}: an entry is a mapping of texts")
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    missing = [k for k in _REQUIRED if not raw.get(k)]
    if unknown or missing:
        raise OsintKitError(f"{where}: missing {missing}, unknown {sorted(unknown)}")
    phrases = raw.get("phrases") or {}
    texts = [raw[k] for k in (*_REQUIRED, *_OPTIONAL[:-1]) if k in raw]
    if not isinstance(phrases, Mapping) or not all(
            isinstance(t, str) for t in (*texts, *phrases.keys(), *phrases.values())):
        raise OsintKitError(f"{where}: every text is a string, phrases a mapping of strings")
    if raw["severity"] not in SEVERITIES or raw["media"] not in MEDIA:
        raise OsintKitError(f"{where}: severity is one of {SEVERITIES}, media one of {MEDIA}")
    return FindingText(code=code, **{k: v for k, v in raw.items() if k != "phrases"},
                       phrases=dict(phrases))


@functools.cache
def finding_texts() -> Mapping[str, FindingText]:
    """Every finding code's texts, loaded once from ``osint_kit/data/findings.yaml`` (through
    the kit's safe YAML loader)."""
    from osint_kit._structured import load_yaml

    text = resources.files("osint_kit").joinpath("data/findings.yaml").read_text("utf-8")
    loaded = load_yaml(text, OsintKitError, what="data/findings.yaml")
    if not isinstance(loaded, Mapping):
        raise OsintKitError("data/findings.yaml: not a mapping of finding codes")
    return {str(code): _entry(str(code), raw) for code, raw in loaded.items()}


def finding_text(code: str) -> FindingText:
    """The texts of ``code``; ``KeyError`` for a code without an entry (a test checks that
    every code a rule emits has one)."""
    try:
        return finding_texts()[code]
    except KeyError:
        raise KeyError(f"finding code {code!r} has no entry in osint_kit/data/findings.yaml") from None


def phrase(code: str, name: str, **values: Any) -> str:
    """A named sentence of ``code``'s entry (``phrases:``), its placeholders filled."""
    return finding_text(code).phrases[name].format(**values)


def make_finding(code: str, evidence: Mapping[str, Any], path: str | None = None, *,
                 severity: str | None = None, **values: Any) -> Finding:
    """The finding ``code`` with its texts from the table, placeholders filled from
    ``values`` (a value is inserted as text: braces in it stay as they are), the evidence
    as strings, and the table's severity unless the rule gives another."""
    text = finding_text(code)
    return Finding(code, severity or text.severity, text.title.format(**values),
                   text.explanation.format(**values),
                   {str(k): str(v) for k, v in evidence.items()}, path)
