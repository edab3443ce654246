"""The findings model: :class:`Finding` (one explained sign) and :class:`Findings` (a file's list,
with a notebook display), and the facts about a file that the rules read.

No finding is a verdict: each says what was seen, what it does and does not prove, and the
evidence (which fields, which values). The rules are in :mod:`osint_kit.media.forensics.rules`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from osint_kit._html import STYLE, esc

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


