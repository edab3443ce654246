"""Self-checks for workshop exercises: ``check(name, answer)``.

A check confirms a right answer and gives a hint on a wrong one, without the answer key
being readable: the key (``osint_kit/data/workshop_answers.json``) stores only salted SHA-256
hashes of the accepted answers in canonical form. Numbers are compared on a grid (``step``):
every grid point inside the tolerance is stored as a hash, so ``336.4`` and ``335.8`` both
match a bearing of 336 +/- 3 degrees. A placeholder answer (``...``) is "not answered yet",
which is what student notebooks show before anyone has worked on them.

Answer kinds (the forms each accepts are read by :mod:`osint_kit.workshop.answers`):
``number`` (with tolerance; ``"336°"``, ``"2.8 km"`` when the unit matches the key's),
``int`` (``2``, ``"two"``, ``"2 parties"``), ``text`` (case, spaces and end punctuation
ignored; alternatives allowed), ``file`` (a file name with or without folder, extension and
case), ``set`` (order and case ignored; a list or ``"A, B and C"``), ``date`` (anything
``parse_when`` reads, compared as an interval of days: ``"20 January 2023"``, ``2023-01-20``,
a ``date``; a key may be a whole month), ``time`` (``"10:32"``, ``"10:32 KST"``, a
``datetime``; minutes with tolerance), ``choice`` (one option of a listed set, by text or
letter) and ``keypoints`` (free text: the key holds salted hashes of the stems of each key
point's wordings; the check says how many key points it found, never which).

Numbers and times also store a wider "almost" band, so a near miss is told apart from a
wrong answer; a date answer that covers the right day but is vaguer is "almost" too.

Teachers add a question with :func:`answer_spec` and write the spec into the JSON file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from osint_kit._html import esc
from osint_kit.errors import WorkshopError
from osint_kit.workshop import answers as A

Status = Literal["correct", "almost", "wrong", "unanswered", "unknown"]

_ANSWERS_RESOURCE = "workshop_answers.json"
_STYLE = {
    "correct": "background:#e6f4ea;border-left:4px solid #188038",
    "almost": "background:#fef7e0;border-left:4px solid #f9ab00",
    "wrong": "background:#fdecea;border-left:4px solid #c5221f",
    "unanswered": "background:#f1f3f4;border-left:4px solid #80868b",
    "unknown": "background:#fff4e5;border-left:4px solid #e37400",
}
_ICON = {"correct": "correct", "almost": "almost", "wrong": "not yet", "unanswered": "not answered yet",
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


def _canonical(kind: str, value: Any, spec: Mapping[str, Any]) -> str:
    """The canonical string of an answer; raises AnswerFormError (a plain sentence)."""
    step = float(spec.get("step", 1.0))
    unit = str(spec.get("unit", ""))
    if kind == "number":
        return str(round(A.read_number(value, unit) / step))
    if kind == "time":
        return str(round(A.read_minutes(value, unit) / step))
    if kind == "int":
        return str(A.read_int(value, unit))
    if kind == "date":
        return A.date_canonical(*A.read_date(value))
    if kind == "text":
        if not isinstance(value, str | int | float) or not A.norm_text(value):
            raise A.AnswerFormError("this question wants a short text answer in quotes")
        return A.norm_text(value)
    if kind == "file":
        return A.file_canonical(value)
    if kind == "set":
        return A.set_canonical(value)
    if kind == "choice":
        return A.choice_canonical(value, list(spec.get("options", [])))
    raise WorkshopError(f"unknown answer kind {kind!r} in the answer key")


def _grid(centre: float, tolerance: float, step: float) -> range:
    lo = math.ceil((centre - tolerance) / step - 1e-9)
    hi = math.floor((centre + tolerance) / step + 1e-9)
    return range(lo, hi + 1)


def answer_spec(
    name: str,
    kind: str,
    value: Any,
    hint: str,
    tolerance: float = 0.0,
    step: float = 1.0,
    alternatives: Iterable[Any] = (),
    unit: str = "",
    near: float | None = None,
    options: Iterable[str] = (),
    need: int | None = None,
) -> dict[str, Any]:
    """Build one answer-key entry (hashes only) for the JSON file. Teacher tool.

    ``near`` (numbers and times; default three times ``tolerance``) is the band answered
    "almost". For ``choice`` give ``options`` (shown to students) and the right one as
    ``value``. For ``keypoints`` give ``value`` as a list of key points, each a list of
    wordings (one or more words each), and ``need``, how many points make a full answer.
    """
    spec: dict[str, Any] = {"kind": kind, "step": step, "unit": unit, "hint": hint}
    if kind == "keypoints":
        points = [sorted({_digest(name, " ".join(A.stems(w))) for w in point})
                  for point in value]
        spec.update(hashes=sorted({h for p in points for h in p}), points=points,
                    need=len(points) if need is None else need)
        return spec
    if kind == "choice":
        spec["options"] = list(options)
    hashes: set[str] = set()
    if kind in ("number", "time"):
        centre = A.read_minutes(value) if kind == "time" else float(value)
        exact = _grid(centre, tolerance, step)
        hashes.update(_digest(name, str(k)) for k in exact)
        wide = _grid(centre, 3 * tolerance if near is None else near, step)
        spec["near"] = sorted(_digest(name, str(k)) for k in wide if k not in exact)
    else:
        for candidate in (value, *alternatives):
            hashes.add(_digest(name, _canonical(kind, candidate, spec)))
    spec["hashes"] = sorted(hashes)
    return spec


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


def _check_keypoints(name: str, answer: Any, spec: Mapping[str, Any]) -> CheckResult:
    if not isinstance(answer, str) or len(answer.split()) < 3:
        return CheckResult(name, "wrong", "write your answer as a sentence or two in quotes "
                           f"(\"...\"). Hint: {spec['hint']}")
    found = {_digest(name, p) for p in A.phrases(answer)}
    points = spec.get("points", [])
    hit = sum(1 for point in points if found & set(point))
    need = int(spec.get("need", len(points)))
    told = f"your answer covers {hit} of the {len(points)} key points"
    if hit >= need:
        return CheckResult(name, "correct", f"{told}; compare it with the model answer in class")
    status: Status = "almost" if hit else "wrong"
    return CheckResult(name, status, f"{told} ({need} wanted). Hint: {spec['hint']}")


def _almost_date(name: str, answer: Any, hashes: set[str]) -> str | None:
    """Why a date answer that is not exactly right is nearly right, or None."""
    try:
        start, end = A.read_date(answer)
    except A.AnswerFormError:
        return None
    if start != end and any(_digest(name, d.isoformat()) in hashes
                            for d in A.days_within(start, end)):
        return "the right period, but the question asks for one day: which?"
    month_end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    month = A.date_canonical(start.replace(day=1), month_end - dt.timedelta(days=1))
    if start == end and _digest(name, month) in hashes:
        return "that day is in the right month, and the question asks for the month (YYYY-MM)"
    return None


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
    hint = str(spec["hint"])
    if kind == "keypoints":
        return _check_keypoints(name, answer, spec)
    try:
        canonical = _canonical(kind, answer, spec)
    except A.AnswerFormError as err:
        return CheckResult(name, "wrong", f"{err}. Hint: {hint}")
    except WorkshopError:
        raise
    except Exception:  # noqa: BLE001 - any other surprise in a student's value: a plain sentence
        return CheckResult(name, "wrong", f"could not read this answer. Hint: {hint}")
    hashes = set(spec["hashes"])
    digest = _digest(name, canonical)
    if digest in hashes:
        unit = f" {spec['unit']}" if spec.get("unit") else ""
        shown = f"{answer:.4g}" if isinstance(answer, float) else str(answer)
        return CheckResult(name, "correct", f"correct ({shown}{unit})")
    if digest in set(spec.get("near", ())):
        return CheckResult(name, "almost", "close, but outside the tolerance: redo the "
                           f"measurement carefully. Hint: {hint}")
    if kind == "date":
        why = _almost_date(name, answer, hashes)
        if why:
            return CheckResult(name, "almost", why)
    return CheckResult(name, "wrong", f"not yet. Hint: {hint}")
