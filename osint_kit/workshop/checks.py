"""Self-checks for workshop exercises: ``check(name, answer)``.

A check confirms a right answer and gives a hint on a wrong one, without the answer key
being readable: the key (``osint_kit/data/workshop_answers.json``) stores only salted SHA-256
hashes of the accepted answers in canonical form. Numbers are compared on a grid (``step``):
every grid point inside the tolerance is stored as a hash, so ``336.4`` and ``335.8`` both
match a bearing of 336 +/- 3 degrees. A placeholder answer (``...``) is "not answered yet",
which is what student notebooks show before anyone has worked on them.

Answer kinds: ``number`` (float with tolerance), ``int``, ``text`` (case, spaces and end
punctuation ignored; several alternatives allowed), ``set`` (order and case ignored), ``date``
(``2023-01-20``, a ``date`` or a ``datetime``), ``time`` (``"10:32"`` or a ``datetime``;
compared in minutes with tolerance).

Teachers add a question with :func:`answer_spec` and write the spec into the JSON file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from osint_kit._html import esc
from osint_kit.errors import WorkshopError

Status = Literal["correct", "wrong", "unanswered", "unknown"]

_ANSWERS_RESOURCE = "workshop_answers.json"
_STYLE = {
    "correct": "background:#e6f4ea;border-left:4px solid #188038",
    "wrong": "background:#fdecea;border-left:4px solid #c5221f",
    "unanswered": "background:#f1f3f4;border-left:4px solid #80868b",
    "unknown": "background:#fff4e5;border-left:4px solid #e37400",
}
_ICON = {"correct": "correct", "wrong": "not yet", "unanswered": "not answered yet",
         "unknown": "unknown question"}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one self-check; truthy only when the answer is correct."""

    name: str
    status: Status
    message: str

    def __bool__(self) -> bool:
        return self.status == "correct"

    def __repr__(self) -> str:
        return f"[{_ICON[self.status]}] {self.name}: {self.message}"

    def _repr_html_(self) -> str:
        return (
            f"<div style='{_STYLE[self.status]};padding:4px 8px;font-family:sans-serif'>"
            f"<b>{esc(_ICON[self.status])}</b> &middot; <code>{esc(self.name)}</code>: "
            f"{esc(self.message)}</div>"
        )


# --- canonical forms --------------------------------------------------------------------------


def _digest(name: str, canonical: str) -> str:
    return hashlib.sha256(f"osint_kit-workshop|{name}|{canonical}".encode()).hexdigest()


def _norm_text(value: Any) -> str:
    text = " ".join(str(value).split()).casefold()
    return text.strip(" .,;:!?\"'")


def _as_minutes(value: Any) -> float:
    if isinstance(value, dt.datetime | dt.time):
        return value.hour * 60 + value.minute + value.second / 60
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*", str(value))
    if not match:
        raise ValueError(f"expected a time like '10:32', got {value!r}")
    hours, minutes, seconds = match.groups()
    return int(hours) * 60 + int(minutes) + int(seconds or 0) / 60


def _as_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return dt.date.fromisoformat(str(value).strip()).isoformat()


def _canonical(kind: str, value: Any, step: float) -> str:
    """The canonical string of an answer; raises ValueError/TypeError on a malformed one."""
    if kind == "number":
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("not a finite number")
        return str(round(number / step))
    if kind == "time":
        return str(round(_as_minutes(value) / step))
    if kind == "int":
        if isinstance(value, bool) or float(value) != int(value):
            raise ValueError("expected a whole number")
        return str(int(value))
    if kind == "date":
        return _as_date(value)
    if kind == "text":
        return _norm_text(value)
    if kind == "set":
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise TypeError("expected a list or set of names")
        return "|".join(sorted({_norm_text(v) for v in value}))
    raise WorkshopError(f"unknown answer kind {kind!r} in the answer key")


def answer_spec(
    name: str,
    kind: str,
    value: Any,
    hint: str,
    tolerance: float = 0.0,
    step: float = 1.0,
    alternatives: Iterable[Any] = (),
    unit: str = "",
) -> dict[str, Any]:
    """Build one answer-key entry (hashes only) for the JSON file. Teacher tool."""
    hashes: set[str] = set()
    if kind in ("number", "time"):
        centre = _as_minutes(value) if kind == "time" else float(value)
        lo = math.ceil((centre - tolerance) / step - 1e-9)
        hi = math.floor((centre + tolerance) / step + 1e-9)
        hashes.update(_digest(name, str(k)) for k in range(lo, hi + 1))
    else:
        for candidate in (value, *alternatives):
            hashes.add(_digest(name, _canonical(kind, candidate, step)))
    return {"kind": kind, "step": step, "unit": unit, "hint": hint, "hashes": sorted(hashes)}


@lru_cache(maxsize=1)
def answer_key() -> Mapping[str, Mapping[str, Any]]:
    """The bundled answer key (hashes, hints, kinds), loaded once."""
    try:
        text = resources.files("osint_kit").joinpath("data", _ANSWERS_RESOURCE).read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as err:
        raise WorkshopError(
            f"the workshop answer key {_ANSWERS_RESOURCE} is missing from osint_kit/data; "
            "reinstall the package"
        ) from err
    data = json.loads(text)
    if not isinstance(data, dict):
        raise WorkshopError(f"{_ANSWERS_RESOURCE} must hold a JSON object")
    return data


def check(name: str, answer: Any, key: Mapping[str, Mapping[str, Any]] | None = None) -> CheckResult:
    """Check a workshop answer; the result shows itself in a notebook (last line of a cell)."""
    specs = answer_key() if key is None else key
    spec = specs.get(name)
    if spec is None:
        known = ", ".join(sorted(specs))
        return CheckResult(name, "unknown", f"no exercise with this name; known: {known}")
    if answer is ... or answer is None:
        return CheckResult(name, "unanswered", "not answered yet: replace the ... with your answer")
    kind = str(spec["kind"])
    try:
        canonical = _canonical(kind, answer, float(spec.get("step", 1.0)))
    except (TypeError, ValueError) as err:
        return CheckResult(name, "wrong", f"could not read this as a {kind} answer ({err}). "
                           f"Hint: {spec['hint']}")
    if _digest(name, canonical) in set(spec["hashes"]):
        unit = f" {spec['unit']}" if spec.get("unit") else ""
        shown = f"{answer:.4g}" if isinstance(answer, float) else str(answer)
        return CheckResult(name, "correct", f"correct ({shown}{unit})")
    return CheckResult(name, "wrong", f"not yet. Hint: {spec['hint']}")
