"""Every case table as plain CSV or YAML files, for review, hand editing and the example case.

``export_tables`` writes one ``<table>.csv`` (or ``.yaml``) per table plus ``custody.csv``;
``import_tables`` reads them back into a case, logging each new or changed record in the
custody log. An empty CSV cell means "no value" (the store does not distinguish it from an
empty string), so export -> import -> export is byte-for-byte stable.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from osint_kit._structured import load_yaml_file
from osint_kit.case.evidence import store_object
from osint_kit.case.schema import EVIDENCE_IMMUTABLE, INT_COLUMNS, RENAMED, TABLES, columns
from osint_kit.case.store import Store, normalise, utc_now
from osint_kit.errors import CaseError, IntegrityError
from osint_kit.safecsv import long_fields, neutralise_row, restore

FORMATS = ("csv", "yaml")
#: Order used on import, so that referenced records come first.
IMPORT_ORDER = ("meta", "sources", "propositions", "claims", "evidence", "findings", "events",
                "notes")


_YAML_RISKY = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\r]")


class _Dumper(yaml.SafeDumper):
    """SafeDumper that double-quotes strings PyYAML would otherwise fold or mangle.

    Plain and single-quoted YAML scalars turn NEL, LINE/PARAGRAPH SEPARATOR and CR into
    line breaks on reading; double-quoted scalars escape them (``\\N``, ``\\L``...).
    """


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if _YAML_RISKY.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump_yaml(data: Any, fh: Any) -> None:
    yaml.dump(data, fh, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def export_tables(
    store: Store, folder: Path, fmt: str = "csv", objects: bool = False
) -> list[Path]:
    """Write every table (records and custody) into ``folder``; return the files written.

    With ``objects=True`` the evidence files are copied too (``folder/objects/ab/cdef…``), so
    the folder is a complete plain-text case that :func:`import_tables` can load anywhere.
    """
    if fmt not in FORMATS:
        raise CaseError(f"unknown table format {fmt!r}; use one of {FORMATS}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        rows = store.rows(table)
        path = folder / f"{table}.{fmt}"
        if fmt == "csv":
            with open(path, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
                writer.writerow(columns(table))
                for row in rows:
                    writer.writerow(neutralise_row(_text(row[c]) for c in columns(table)))
        else:
            with open(path, "w", encoding="utf-8") as fh:
                _dump_yaml(rows, fh)
        written.append(path)
    custody_rows = store.custody_rows()
    path = folder / f"custody.{fmt}"
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(["seq", "entry", "hash"])
            writer.writerows(custody_rows)
    else:
        with open(path, "w", encoding="utf-8") as fh:
            _dump_yaml([{"seq": s, "entry": e, "hash": h} for s, e, h in custody_rows], fh)
    written.append(path)
    if objects:
        for row in store.rows("evidence"):
            rel = str(row["stored_path"])
            target = folder / rel
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(store.folder / rel, target)
                written.append(target)
    return written


def _read_csv(path: Path, table: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8-sig", newline="") as fh, long_fields():
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            return []
        header = [RENAMED.get(table, {}).get(h, h) for h in header]  # older column names
        unknown = [h for h in header if h not in columns(table)]
        if unknown:
            raise CaseError(
                f"{path}: unknown column(s) {unknown}; {table} has {', '.join(columns(table))}"
            )
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cells):
                continue
            if len(cells) != len(header):
                raise CaseError(
                    f"{path}: record {number} has {len(cells)} cells, the header has "
                    f"{len(header)} (an unquoted comma or line break?)"
                )
            rows.append({h: (restore(c) if c != "" else None)
                         for h, c in zip(header, cells, strict=True)})
        return rows


#: what a YAML cell may hold (a date typed by hand loads as a date)
_SCALARS = (str, int, float, bool, dt.date)


def _read_yaml(path: Path, table: str) -> list[dict[str, Any]]:
    data = load_yaml_file(path, CaseError)  # no aliases, bounded size, nodes and depth
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise CaseError(f"{path}: expected a YAML list of records (mappings)")
    out = []
    for number, record in enumerate(data, start=1):
        row = {}
        for key, value in record.items():
            key = RENAMED.get(table, {}).get(key, key)  # older column names
            if key not in columns(table):
                raise CaseError(f"{path}: unknown column {key!r} for {table}")
            if value is not None and not isinstance(value, _SCALARS):
                raise CaseError(
                    f"{path}: record {number}, column {key!r} holds a "
                    f"{type(value).__name__}; a table cell must be text or a number")
            if value is not None and (table, key) not in INT_COLUMNS:
                value = str(value)
            row[str(key)] = value
        out.append(row)
    return out


def read_tables(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Read every ``<table>.csv`` / ``<table>.yaml`` present in ``folder`` (CSV wins)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        csv_path, yaml_path = folder / f"{table}.csv", folder / f"{table}.yaml"
        if csv_path.exists():
            try:
                found[table] = _read_csv(csv_path, table)
            except (UnicodeDecodeError, csv.Error) as err:  # found by fuzzing
                raise CaseError(f"{csv_path}: not a readable UTF-8 CSV table ({err})") from err
        elif yaml_path.exists():
            found[table] = _read_yaml(yaml_path, table)
    for table, rows in found.items():
        for number, row in enumerate(rows, start=1):
            if not row.get("id"):
                raise CaseError(f"{folder}/{table}: record {number} has no id")
            if row["id"] == "":
                raise CaseError(f"{folder}/{table}: record {number} has an empty id")
    return found


def _fixed_fields(full: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    """For a new evidence record: the fields its import entry pins for ever (as an intake
    entry does). For an existing one: refuse a change to them; a value left empty in the
    table keeps the recorded one."""
    if existing is None:
        return {"fixed": {k: full.get(k) for k in sorted(EVIDENCE_IMMUTABLE)}}
    for key in EVIDENCE_IMMUTABLE:
        if full.get(key) is None:
            full[key] = existing[key]
    changed = sorted(k for k in EVIDENCE_IMMUTABLE if full[k] != existing[k])
    if changed:
        raise CaseError(
            f"evidence {full['id']}: the table changes {', '.join(changed)}, fixed at intake; "
            "evidence is never replaced (add the new file as new evidence or a working copy)")
    return {}


def _file_sha(folder: Path, table: str) -> str | None:
    for ext in FORMATS:
        path = folder / f"{table}.{ext}"
        if path.exists():
            return hashlib.sha256(path.read_bytes()).hexdigest()
    return None


def import_tables(store: Store, folder: Path) -> dict[str, int]:
    """Load records from ``folder`` into the case, in one transaction.

    New records are inserted, changed ones updated, identical ones left alone; each change is
    logged with the name and SHA-256 of the file it came from. Evidence records are imported
    only if their object is already in the store (records cannot conjure up files). Returns
    the number of records inserted or changed per table.
    """
    data = read_tables(folder)
    counts: dict[str, int] = {}
    with store.transaction() as conn:
        for table in IMPORT_ORDER:
            rows = data.get(table)
            if not rows:
                continue
            details = {"from": f"{table} table in {folder.name}",
                       "file_sha256": _file_sha(folder, table)}
            changed = 0
            for row in rows:
                clean = normalise(table, row)
                if table == "evidence":
                    _ensure_object(store, folder, clean)
                existing = store.get(table, clean["id"], conn)
                full = {c: clean.get(c) for c in columns(table)}
                extra: dict[str, Any] = {}
                if table == "evidence":
                    extra = _fixed_fields(full, existing)
                if existing is None:
                    store._insert(conn, table, dict(full), "import", {**details, **extra})
                    changed += 1
                elif existing != full:
                    sets = ", ".join(f'"{c}" = ?' for c in columns(table)[1:])
                    conn.execute(
                        f'UPDATE "{table}" SET {sets} WHERE id = ?',  # noqa: S608 - fixed names
                        (*[full[c] for c in columns(table)[1:]], full["id"]),
                    )
                    diff = {c: {"old": existing[c], "new": full[c]}
                            for c in full if existing[c] != full[c]}
                    store.append(conn, "import", table, full["id"], full,
                                 {**details, "changed": diff})
                    changed += 1
            counts[table] = changed
    return counts


_STORED = re.compile(r"^objects/[0-9a-f]{2}/[0-9a-f]{62}$")


def _inside(folder: Path, rel: str, rid: Any) -> Path | None:
    """``folder/rel`` when it is a regular file reached without any symbolic link and stays
    inside ``folder``; None when absent. Anything else (a link anywhere on the way, a path
    resolving outside) is refused: a table must not make the case copy files from elsewhere.
    """
    path = folder / rel
    if not os.path.lexists(path):
        return None
    root = folder.resolve()
    probe = root
    for part in Path(rel).parts:
        probe = probe / part
        if probe.is_symlink():
            raise CaseError(f"evidence {rid}: {folder / rel} goes through the symbolic link "
                            f"{probe}; links are refused in plain tables (copy the file in)")
    real = path.resolve()
    if root not in real.parents:
        raise CaseError(f"evidence {rid}: {path} resolves to {real}, outside {folder}")
    if not real.is_file():
        raise CaseError(f"evidence {rid}: {path} is not a regular file")
    return real


def _bare_name(name: str) -> bool:
    """A file name without any directory part (the form ``evidence/<original_name>`` needs)."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\x00" not in name \
        and os.sep not in name and (os.altsep is None or os.altsep not in name)


def _ensure_object(store: Store, folder: Path, record: dict[str, Any]) -> None:
    """Make sure an imported evidence record's file is in the store, copying it if needed.

    The file is looked for in the case's store, then in ``folder/<stored_path>`` (an
    ``export_tables(..., objects=True)`` copy), then in ``folder/evidence/<original_name>``
    (a hand-made plain case). ``stored_path`` must be content-addressed
    (``objects/ab/cdef…``) and ``original_name`` a bare file name to be looked up; nothing
    reached through a symbolic link or outside ``folder`` is read. A recorded SHA-256 must
    match the file; missing hash fields are filled in from the file.
    """
    rid = record.get("id")
    stored = str(record.get("stored_path") or "")
    name = str(record.get("original_name") or "")
    if stored and not _STORED.match(stored):
        raise CaseError(
            f"evidence {rid}: stored_path {stored[:200]!r} is not a content-addressed path "
            "objects/<2 hex>/<62 hex>; leave it empty and put the file in evidence/")
    candidates: list[tuple[Path, str]] = []
    if stored:
        candidates += [(store.folder, stored), (folder, stored)]
    if name and _bare_name(name):
        candidates.append((folder, f"evidence/{name}"))
    source = None
    for base, rel in candidates:
        source = _inside(base, rel, rid)
        if source is not None:
            break
    if source is None:
        hint = ("" if not name or _bare_name(name) else
                f"; original_name {name[:200]!r} is not a bare file name, so it was not "
                "looked up")
        raise CaseError(
            f"evidence {rid}: no file found for it (looked for "
            f"{[str(b / r) for b, r in candidates]}{hint}); put the file in the tables "
            "folder under evidence/ or add it with add_evidence()"
        )
    sha, md5, size, rel = store_object(store.folder, source)
    if record.get("sha256") and record["sha256"] != sha:
        raise IntegrityError(
            f"evidence {rid}: the file {source} has SHA-256 {sha}, the record says "
            f"{record['sha256']}: it is not the same evidence"
        )
    record.update({"sha256": sha, "md5": md5, "size": size, "stored_path": rel})
    record.setdefault("role", "evidentiary")
    if not record.get("role"):
        record["role"] = "evidentiary"
    if not record.get("intake_utc"):
        record["intake_utc"] = utc_now()
