"""The case database: an embedded SQLite file in WAL mode with the custody log inside it.

Every change to a record and the custody entry describing it are written in ONE transaction
(``BEGIN IMMEDIATE``), so a crash leaves either both or neither, and two processes writing
to the same case are serialised by SQLite's lock (``busy_timeout`` makes them wait instead of
failing). ``synchronous=FULL`` makes each commit durable before the call returns.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from osint_kit.case import custody
from osint_kit.case.schema import (
    EVIDENCE_IMMUTABLE,
    GENESIS,
    INT_COLUMNS,
    RENAMED,
    TABLES,
    canonical_json,
    columns,
    ddl,
    upgrade_record,
)
from osint_kit.errors import CaseError

log = logging.getLogger(__name__)

DB_NAME = "case.sqlite"
BUSY_TIMEOUT_MS = 60_000


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string with microseconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _cell(table: str, col: str, value: Any) -> Any:
    """Normalise one value for storage: None/'' -> None, ints for INTEGER columns, else text."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from a DataFrame
        return None
    if type(value).__name__ == "NaTType":  # pandas' missing timestamp
        return None
    if (table, col) in INT_COLUMNS:
        try:
            return int(value)
        except (TypeError, ValueError) as err:
            raise CaseError(f"{table}.{col} must be an integer, got {value!r}") from err
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dt.datetime | dt.date):
        text = value.isoformat()
    elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        text = "; ".join(value)
    elif isinstance(value, Mapping | list | tuple):
        text = canonical_json(value)
    elif hasattr(value, "value") and hasattr(value, "name"):  # an Enum
        text = str(value.value)
    else:
        text = str(value)
    if text == "":
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise CaseError(
            f"{table}.{col} holds text that is not valid Unicode (a lone surrogate at "
            f"position {err.start}); clean the value before storing it"
        ) from err
    return text


def as_fields(record: Any) -> dict[str, Any]:
    """Turn a mapping or a dataclass into a plain dict of fields."""
    if record is None:
        return {}
    if hasattr(record, "to_record") and callable(record.to_record):
        fields = dict(record.to_record())  # e.g. a timeline Event: flat columns
        if "event_id" in fields and "id" not in fields:
            fields["id"] = fields.pop("event_id")
        return fields
    if is_dataclass(record) and not isinstance(record, type):
        return asdict(record)
    if isinstance(record, Mapping):
        return dict(record)
    raise CaseError(f"expected a mapping or a dataclass record, got {type(record).__name__}")


def check_table(table: str) -> None:
    """Raise a helpful error for an unknown table name."""
    if table not in TABLES:
        raise CaseError(f"unknown table {table!r}; the case has {', '.join(TABLES)}")


def normalise(table: str, fields: Mapping[str, Any], strict: bool = True) -> dict[str, Any]:
    """Validate column names and normalise values of a partial record."""
    check_table(table)
    cols = columns(table)
    unknown = [k for k in fields if k not in cols]
    if unknown and strict:
        raise CaseError(
            f"{table} has no column(s) {unknown}; its columns are {', '.join(cols)}"
        )
    return {k: _cell(table, k, v) for k, v in fields.items() if k in cols}


class Store:
    """Transactions, records and custody entries of one case database."""

    def __init__(self, folder: Path, actor: str, tool: str) -> None:
        self.folder = folder
        self.actor = actor
        self.tool = tool
        self.path = folder / DB_NAME
        try:
            self.conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            self.conn.row_factory = sqlite3.Row
            # bytes that are not UTF-8 (a tampered file) must not crash verify(): decode
            # them with replacement characters so the record hash shows the change.
            self.conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            mode = self.conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                log.warning("SQLite refused WAL mode (got %s) for %s", mode, self.path)
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("PRAGMA trusted_schema=OFF")
            with self.transaction() as conn:
                for statement in ddl().split(";\n"):
                    statement = statement.strip().rstrip(";")
                    if statement:
                        conn.execute(statement)
                self._migrate(conn)
        except sqlite3.DatabaseError as err:
            raise CaseError(f"{self.path}: cannot open the case database: {err}") from err

    def close(self) -> None:
        self.conn.close()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Bring tables written by an older version to the current columns (schema.RENAMED,
        new columns empty) and log each migrated record; see :meth:`repin`."""
        for table in TABLES:
            have = [str(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")')]
            if set(columns(table)) <= set(have):
                continue
            old_rows = [{c: r[c] for c in have}
                        for r in conn.execute(f'SELECT * FROM "{table}"')]  # noqa: S608
            for old, new in RENAMED.get(table, {}).items():
                if old in have and new not in have:
                    conn.execute(f'ALTER TABLE "{table}" RENAME COLUMN "{old}" TO "{new}"')
                    have[have.index(old)] = new
            for col in columns(table):
                if col not in have:
                    kind = "INTEGER" if (table, col) in INT_COLUMNS else "TEXT"
                    conn.execute(f'ALTER TABLE "{table}" ADD COLUMN "{col}" {kind}')
            self.repin(conn, table, old_rows)

    def repin(self, conn: sqlite3.Connection, table: str,
              old_rows: list[dict[str, Any]]) -> None:
        """Log the schema migration of records whose old form is what the log last pinned.

        A record altered behind the case's back before the migration is not re-pinned:
        ``verify()`` keeps reporting it.
        """
        state: dict[tuple[str, str], str | None] = {}
        for (entry,) in conn.execute("SELECT entry FROM custody ORDER BY seq"):
            try:
                data = json.loads(entry)
            except ValueError:
                continue  # a damaged entry: verify() reports it
            if isinstance(data, dict) and data.get("table") and data.get("record_id"):
                state[(str(data["table"]), str(data["record_id"]))] = data.get("record_sha256")
        for old in old_rows:
            key = (table, str(old.get("id")))
            new = upgrade_record(table, old)
            if new is None or state.get(key) != custody.record_hash(old):
                continue
            self.append(conn, "migrate", table, key[1], {c: new[c] for c in columns(table)},
                        {"schema": f"{table} columns now {', '.join(columns(table))}",
                         "renamed": RENAMED.get(table, {})})

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; rolls back on any exception."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise CaseError(
                f"{self.path}: could not lock the case for writing ({err}); another process "
                "holds it for too long. Retry."
            ) from err
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- custody -------------------------------------------------------------------------

    def append(
        self,
        conn: sqlite3.Connection,
        action: str,
        table: str | None = None,
        record_id: str | None = None,
        record: Mapping[str, Any] | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> str:
        """Append a custody entry inside the caller's transaction; return its hash."""
        row = conn.execute("SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
        text, digest = custody.make_entry(
            seq=seq,
            prev=prev,
            ts=utc_now(),
            actor=self.actor,
            tool=self.tool,
            action=action,
            table=table,
            record_id=record_id,
            record_sha256=custody.record_hash(record) if record is not None else None,
            details=details,
        )
        conn.execute("INSERT INTO custody (seq, entry, hash) VALUES (?, ?, ?)", (seq, text, digest))
        conn.execute(
            "INSERT INTO custody_head (id, seq, hash) VALUES (1, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET seq=excluded.seq, hash=excluded.hash",
            (seq, digest),
        )
        return digest

    def log(self, action: str, details: Mapping[str, Any] | None = None) -> str:
        """Append a custody entry that changes no record (export, report, ...)."""
        with self.transaction() as conn:
            return self.append(conn, action, details=details)

    def custody_rows(self) -> list[tuple[int, str, str]]:
        """(seq, entry text, hash) in log order."""
        return [(s, e.decode("utf-8", "replace"), h) for s, e, h in self.custody_raw()]

    def custody_raw(self) -> list[tuple[int, bytes, str]]:
        """(seq, entry bytes exactly as stored, hash): what verify() checks."""
        rows = self.conn.execute(
            "SELECT seq, CAST(entry AS BLOB), hash FROM custody ORDER BY seq").fetchall()
        return [(int(r[0]), bytes(r[1]), str(r[2])) for r in rows]

    def damage(self, limit: int = 20) -> list[str]:
        """What SQLite's own page check finds wrong with the file (empty when it is sound).
        Raises ``sqlite3.DatabaseError`` when the file is too damaged to check."""
        rows = self.conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall()
        return [str(r[0]) for r in rows if str(r[0]) != "ok"]

    def head(self) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT seq, hash FROM custody_head WHERE id = 1").fetchone()
        return (int(row[0]), str(row[1])) if row else None

    # --- records -------------------------------------------------------------------------

    def _full(self, table: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        return {c: fields.get(c) for c in columns(table)}

    def next_id(self, conn: sqlite3.Connection, table: str) -> str:
        prefix = TABLES[table][0]
        pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
        top = 0
        for (rid,) in conn.execute(f'SELECT id FROM "{table}"'):  # noqa: S608 - fixed names
            match = pattern.match(str(rid))
            if match:
                top = max(top, int(match.group(1)))
        return f"{prefix}{top + 1:04d}"

    def get(self, table: str, rid: str, conn: sqlite3.Connection | None = None) -> dict | None:
        check_table(table)
        row = (conn or self.conn).execute(
            f'SELECT * FROM "{table}" WHERE id = ?', (rid,)  # noqa: S608 - fixed names
        ).fetchone()
        return {c: row[c] for c in columns(table)} if row else None

    def rows(self, table: str) -> list[dict[str, Any]]:
        check_table(table)
        cur = self.conn.execute(f'SELECT * FROM "{table}" ORDER BY id')  # noqa: S608
        return [{c: r[c] for c in columns(table)} for r in cur.fetchall()]

    def insert(
        self,
        table: str,
        fields: Mapping[str, Any],
        action: str = "add",
        details: Mapping[str, Any] | None = None,
        conn: sqlite3.Connection | None = None,
    ) -> str:
        """Insert one record (id generated when absent) and log it; return its id."""
        clean = normalise(table, fields)
        if conn is None:
            with self.transaction() as own:
                return self._insert(own, table, clean, action, details)
        return self._insert(conn, table, clean, action, details)

    def _insert(
        self,
        conn: sqlite3.Connection,
        table: str,
        clean: dict[str, Any],
        action: str,
        details: Mapping[str, Any] | None,
    ) -> str:
        rid = clean.get("id") or self.next_id(conn, table)
        clean["id"] = rid
        if self.get(table, rid, conn) is not None:
            raise CaseError(f"{table} already has a record {rid!r}; use update() to change it")
        record = self._full(table, clean)
        names = ", ".join(f'"{c}"' for c in record)
        marks = ", ".join("?" for _ in record)
        conn.execute(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608 - fixed names
            tuple(record.values()),
        )
        self.append(conn, action, table, rid, record, details)
        return str(rid)

    def update(
        self,
        table: str,
        rid: str,
        fields: Mapping[str, Any],
        details: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Change some fields of a record and log the edit (old values in the details)."""
        clean = normalise(table, fields)
        clean.pop("id", None)
        if table == "evidence":
            frozen = sorted(set(clean) & EVIDENCE_IMMUTABLE)
            if frozen:
                raise CaseError(
                    f"evidence fields {frozen} are fixed at intake and cannot be edited; add a "
                    "note or a working copy instead"
                )
        with self.transaction() as conn:
            old = self.get(table, rid, conn)
            if old is None:
                raise CaseError(f"{table} has no record {rid!r}")
            new = {**old, **clean}
            sets = ", ".join(f'"{c}" = ?' for c in clean)
            if sets:
                conn.execute(
                    f'UPDATE "{table}" SET {sets} WHERE id = ?',  # noqa: S608 - fixed names
                    (*clean.values(), rid),
                )
            changed = {c: {"old": old[c], "new": new[c]} for c in clean if old[c] != new[c]}
            self.append(conn, "edit", table, rid, new, {"changed": changed, **(details or {})})
            return new

    def delete(self, table: str, rid: str, reason: str | None = None) -> None:
        """Delete a record; the custody log keeps its last content."""
        if table == "evidence":
            raise CaseError(
                "evidence items are never deleted from a case (chain of custody); add a note "
                "saying why this item should be disregarded, or edit its notes field"
            )
        with self.transaction() as conn:
            old = self.get(table, rid, conn)
            if old is None:
                raise CaseError(f"{table} has no record {rid!r}")
            conn.execute(f'DELETE FROM "{table}" WHERE id = ?', (rid,))  # noqa: S608
            self.append(conn, "delete", table, rid, None, {"reason": reason, "old": old})

    def record_hashes(self) -> dict[tuple[str, str], str]:
        """(table, id) -> hash of the record's canonical JSON, for every record."""
        out = {}
        for table in TABLES:
            for record in self.rows(table):
                out[(table, str(record["id"]))] = custody.record_hash(record)
        return out
