"""Load and save sources, claims and propositions as CSV or YAML (hand-editable, diffable).

CSV: one folder with ``sources.csv``, ``claims.csv`` and ``propositions.csv``; id lists
(``cites``, ``copies``) are joined with ``"; "``; an empty cell is "no value". YAML: one file
with three lists. Both round-trip losslessly (tested with Hypothesis); rows are written in
the order given, columns in the constant order below, so a diff shows only real edits.

Reading is tolerant of files written by older versions (:data:`LEGACY_NAMES`): a claim's
single ``when`` field, from before claims carried two times, loads as ``about`` (when the
described thing happened); ``stated`` stays empty and analyses then use the source's
published date. A row giving both ``when`` and a different ``about`` is refused. Files are
always written with the current names.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from osint_kit._html import df_table, esc
from osint_kit._structured import load_yaml_file
from osint_kit.errors import SourceError
from osint_kit.sources.models import Claim, Proposition, Source

SOURCE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Source))
CLAIM_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Claim))
PROPOSITION_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Proposition))

#: Fields renamed since older files were written: record class -> {old name: new name}.
LEGACY_NAMES: dict[type, dict[str, str]] = {Claim: {"when": "about"}}

_FILES = {"sources": "sources.csv", "claims": "claims.csv", "propositions": "propositions.csv"}


@dataclass(frozen=True)
class SourceSet:
    """Sources, claims and propositions of one question, with consistency checks."""

    sources: tuple[Source, ...] = ()
    claims: tuple[Claim, ...] = ()
    propositions: tuple[Proposition, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "claims", tuple(self.claims))
        object.__setattr__(self, "propositions", tuple(self.propositions))
        for what, items in (("source", self.sources), ("claim", self.claims),
                            ("proposition", self.propositions)):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise SourceError(f"duplicate {what} id {item.id!r}: ids must be unique")
                seen.add(item.id)

    def validate(self) -> list[str]:
        """Dangling references (claims to unknown sources, cites of unknown ids) as messages."""
        sids = {s.id for s in self.sources}
        pids = {p.id for p in self.propositions}
        problems = []
        for s in self.sources:
            for other in s.derived_from:
                if other not in sids:
                    problems.append(f"source {s.id} cites/copies unknown source {other}")
        for c in self.claims:
            if c.source_id not in sids:
                problems.append(f"claim {c.id} is in unknown source {c.source_id}")
            if c.origin_id is not None and c.origin_id not in sids:
                problems.append(f"claim {c.id} has unknown origin {c.origin_id}")
            if c.proposition_id is not None and c.proposition_id not in pids:
                problems.append(f"claim {c.id} is about unknown proposition {c.proposition_id}")
        return problems

    def source(self, source_id: str) -> Source:
        """The source with this id (SourceError if absent)."""
        for s in self.sources:
            if s.id == source_id:
                return s
        raise SourceError(f"no source with id {source_id!r}")

    def save(self, path: str | Path) -> Path:
        """Save as YAML when ``path`` ends in .yaml/.yml, otherwise as a CSV folder."""
        p = Path(path)
        if p.suffix.lower() in (".yaml", ".yml"):
            return save_yaml(self, p)
        return save_csv(self, p)

    @classmethod
    def load(cls, path: str | Path) -> SourceSet:
        """Load from a YAML file or a CSV folder."""
        p = Path(path)
        if p.suffix.lower() in (".yaml", ".yml"):
            return load_yaml(p)
        return load_csv(p)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The three tables as DataFrames with the constant column order."""
        return {
            "sources": _frame(self.sources, SOURCE_COLUMNS),
            "claims": _frame(self.claims, CLAIM_COLUMNS),
            "propositions": _frame(self.propositions, PROPOSITION_COLUMNS),
        }

    def __repr__(self) -> str:
        return (f"SourceSet({len(self.sources)} sources, {len(self.claims)} claims, "
                f"{len(self.propositions)} propositions)")

    def _repr_html_(self) -> str:
        parts = [f"<h4>{esc(repr(self))}</h4>"]
        for name, df in self.frames().items():
            parts.append(f"<h5>{esc(name)}</h5>")
            parts.append(df_table(df))
        return "".join(parts)


def _frame(items: Sequence[Any], columns: tuple[str, ...]) -> pd.DataFrame:
    rows = [_to_row(i) for i in items]
    return pd.DataFrame(rows, columns=list(columns))


def _to_row(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, tuple):
            value = "; ".join(value)
        out[f.name] = value
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "; ".join(value)
    return str(value)


def _upgrade(cls: type[Any], row: dict[str, Any], where: str) -> dict[str, Any]:
    """``row`` with old field names (:data:`LEGACY_NAMES`) mapped to the current ones."""
    for old, new in LEGACY_NAMES.get(cls, {}).items():
        if old not in row:
            continue
        value = row.pop(old)
        if row.get(new) in (None, ""):
            row[new] = value
        elif value not in (None, "") and value != row[new]:
            raise SourceError(
                f"{where}: both {old!r} (the old name of {new!r}) and {new!r} are given and "
                f"differ ({value!r} / {row[new]!r}); keep only {new!r}")
    return row


_SCALAR = (str, int, float, bool, date)


def _check_type(value: Any, declared: str, where: str) -> None:
    """Refuse lists and mappings where a field holds one value, and anything but a list of
    plain values where it holds several (a YAML file can put any structure anywhere)."""
    if declared.startswith("tuple"):
        if isinstance(value, list | tuple):
            if all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
                return
        elif isinstance(value, str):
            return
        raise SourceError(f"{where} must be a list of ids (or one text), "
                          f"got {type(value).__name__}")
    if not isinstance(value, _SCALAR):
        raise SourceError(f"{where} must be a single value, got {type(value).__name__}")


def _build(cls: type[Any], row: dict[str, Any], where: str) -> Any:
    row = _upgrade(cls, row, where)
    names = {f.name for f in fields(cls)}
    unknown = set(row) - names
    if unknown:
        raise SourceError(f"{where}: unknown column(s) {sorted(unknown)}; expected {sorted(names)}")
    types = {f.name: str(f.type) for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in row.items():
        if value is None:
            continue
        _check_type(value, types[key], f"{where}: {key}")
        if isinstance(value, (date, datetime)):
            value = value.isoformat()  # an unquoted YAML date typed by hand
        elif types[key].startswith("str") and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            value = str(value)
        kwargs[key] = value
    if kwargs.get("credibility") == "":
        kwargs.pop("credibility")
    if kwargs.get("reliability") == "":
        kwargs.pop("reliability")
    if kwargs.get("kind") == "":
        kwargs.pop("kind")
    if kwargs.get("stance") == "":
        kwargs.pop("stance")
    try:
        return cls(**kwargs)
    except TypeError as err:
        raise SourceError(f"{where}: {err}") from err
    except SourceError as err:
        raise SourceError(f"{where}: {err}") from err


def _write_csv(path: Path, items: Iterable[Any], columns: tuple[str, ...]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        # QUOTE_ALL: a lone "\r" inside a cell would otherwise break the row on reading.
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(columns)
        for item in items:
            writer.writerow([_cell(getattr(item, c)) for c in columns])


def _read_csv(path: Path, cls: type[Any]) -> list[Any]:
    if not path.exists():
        return []
    out = []
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for n, row in enumerate(reader, start=2):
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # blank line left by a hand edit
            if None in row:
                raise SourceError(f"{path}:{n}: more cells than columns (a stray comma?)")
            out.append(_build(cls, dict(row), f"{path}:{n}"))
    return out


def save_csv(sources: SourceSet, folder: str | Path) -> Path:
    """Write sources.csv, claims.csv and propositions.csv into ``folder`` (created)."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    _write_csv(d / _FILES["sources"], sources.sources, SOURCE_COLUMNS)
    _write_csv(d / _FILES["claims"], sources.claims, CLAIM_COLUMNS)
    _write_csv(d / _FILES["propositions"], sources.propositions, PROPOSITION_COLUMNS)
    return d


def load_csv(folder: str | Path) -> SourceSet:
    """Read a folder written by :func:`save_csv` (missing files mean empty tables)."""
    d = Path(folder)
    if not d.is_dir():
        raise SourceError(f"{d} is not a folder of sources.csv/claims.csv/propositions.csv")
    return SourceSet(
        sources=tuple(_read_csv(d / _FILES["sources"], Source)),
        claims=tuple(_read_csv(d / _FILES["claims"], Claim)),
        propositions=tuple(_read_csv(d / _FILES["propositions"], Proposition)),
    )


def _yaml_item(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff\r]")


def _dumper() -> Any:
    """A SafeDumper that double-quotes strings with line separators or control characters
    (PyYAML would otherwise fold NEL / LINE SEPARATOR into plain line breaks)."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: Any, value: str) -> Any:
        style = '"' if _SPECIAL.search(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return _Dumper


def save_yaml(sources: SourceSet, path: str | Path) -> Path:
    """Write one YAML file with ``sources``, ``claims`` and ``propositions`` lists."""
    import yaml

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "sources": [_yaml_item(s) for s in sources.sources],
        "claims": [_yaml_item(c) for c in sources.claims],
        "propositions": [_yaml_item(x) for x in sources.propositions],
    }
    p.write_text(yaml.dump(doc, Dumper=_dumper(), sort_keys=False, allow_unicode=True,
                           width=100), encoding="utf-8")
    return p


def load_yaml(path: str | Path) -> SourceSet:
    """Read a YAML file written by :func:`save_yaml` (or by hand in the same shape).

    Through the kit's safe YAML loader (no aliases, bounded size, nodes and depth); every
    field is type-checked, so a bad file fails here and not when it is displayed.
    """
    p = Path(path)
    doc = load_yaml_file(p, SourceError) or {}
    if not isinstance(doc, dict):
        raise SourceError(f"{p}: expected a mapping with sources/claims/propositions")
    out: dict[str, list[Any]] = {}
    for key, cls in (("sources", Source), ("claims", Claim), ("propositions", Proposition)):
        items = doc.get(key) or []
        if not isinstance(items, list):
            raise SourceError(f"{p}: '{key}' must be a list")
        built = []
        for n, row in enumerate(items):
            if not isinstance(row, dict):
                raise SourceError(f"{p}: {key}[{n}] must be a mapping")
            built.append(_build(cls, dict(row), f"{p}: {key}[{n}]"))
        out[key] = built
    return SourceSet(sources=tuple(out["sources"]), claims=tuple(out["claims"]),
                     propositions=tuple(out["propositions"]))
