"""The tables of a case and their columns, declared once.

Every record table has a text ``id`` primary key. The columns of sources, propositions,
claims and events are the fields of the records of :mod:`osint_kit.sources` and
:mod:`osint_kit.timeline` (lists joined with "; ", booleans as "true"/"false"), written out
here so that opening a case does not import pandas through those packages;
``tests/case/test_case_schema.py`` fails when a record gains a field the case would drop.
The findings columns are derived from :class:`~osint_kit.media.forensics.model.Finding`. All columns are text except those listed in
:data:`INT_COLUMNS`; JSON payloads (metadata, finding evidence, custody details) are stored as
canonical JSON text. An empty string and a missing value are the same thing in a case (both
are stored as NULL), which is what makes CSV round trips lossless.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from osint_kit.media.forensics.model import Finding

#: table -> (id prefix for generated ids, columns in order; the first one is the key)
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "sources": (
        "S",
        (
            "id", "title", "publisher", "author", "party", "url", "kind", "language", "published",
            "captured_at", "cites", "copies", "reliability", "credibility", "content_hash",
            "notes",
        ),
    ),
    "propositions": ("P", ("id", "statement", "when", "where", "status", "notes")),
    "claims": (
        "C",
        (
            "id", "source_id", "text", "claimant", "proposition_id", "stance", "is_quote",
            "stated", "about", "where", "origin_id", "confirmed", "provenance", "notes",
        ),
    ),
    # the columns of osint_kit.timeline EVENT_COLUMNS ("id" is their event_id), plus the
    # evidence item an event was read from
    "events": (
        "V",
        (
            "id", "label", "kind", "earliest", "latest", "precision", "tz", "when_text",
            "when_provenance", "description", "actors", "place", "source_ids", "claim_ids",
            "event_key", "after", "confidence", "provenance", "evidence_id",
        ),
    ),
    "evidence": (
        "E",
        (
            "id", "sha256", "md5", "size", "original_name", "original_path",
            "acquired_from", "source_id", "role", "parent_id", "derivation", "intake_utc",
            "added_by", "tool", "stored_path", "metadata", "metadata_error", "notes",
        ),
    ),
    # a Finding's fields (cheap to import: no pandas) without the path of the file it was
    # read from (the evidence item says which), and the function that produced it
    "findings": ("F", ("id", "evidence_id",
                       *(f.name for f in fields(Finding) if f.name != "path"), "origin")),
    "notes": ("N", ("id", "text", "tags", "target", "created_utc", "author")),
    "meta": ("M", ("id", "value")),
}

#: Columns renamed since older cases were written: table -> {old name: new name}. A claim's
#: single ``when`` became ``about`` (when the described thing happened) beside ``stated``.
RENAMED: dict[str, dict[str, str]] = {"claims": {"when": "about"}}
#: Columns added since older cases were written (empty in migrated records).
ADDED: dict[str, tuple[str, ...]] = {"sources": ("party",), "claims": ("stated",)}


def legacy_columns(table: str) -> frozenset[str]:
    """The columns of ``table`` as the previous version wrote them."""
    back = {new: old for old, new in RENAMED.get(table, {}).items()}
    return frozenset(back.get(c, c) for c in columns(table) if c not in ADDED.get(table, ()))


def upgrade_record(table: str, record: dict[str, Any]) -> dict[str, Any] | None:
    """A record with exactly the previous version's columns, in the current ones; else None.

    Renamed columns (:data:`RENAMED`) take their new name; added ones (:data:`ADDED`) are
    empty. Anything else (current records, partial or unknown shapes) gives None, for the
    caller to accept or refuse as it does today.
    """
    if (table not in RENAMED and table not in ADDED) or set(record) != legacy_columns(table):
        return None
    renamed = RENAMED.get(table, {})
    out = {renamed.get(k, k): v for k, v in record.items()}
    for col in ADDED.get(table, ()):
        out[col] = None
    return out


#: Tables whose rows are case records (custody is not one: it is the log about them).
RECORD_TABLES: tuple[str, ...] = tuple(TABLES)

#: Columns stored as INTEGER.
INT_COLUMNS: frozenset[tuple[str, str]] = frozenset({("evidence", "size")})

#: Evidence columns fixed at intake; ``update`` refuses to change them.
EVIDENCE_IMMUTABLE: frozenset[str] = frozenset(
    {"sha256", "md5", "size", "original_name", "original_path", "intake_utc", "added_by",
     "tool", "stored_path", "role", "parent_id"}
)

#: Columns of the custody log table (``case.custody()``).
CUSTODY_COLUMNS: tuple[str, ...] = (
    "seq", "ts", "actor", "tool", "action", "table", "record_id", "record_sha256",
    "details", "prev", "hash",
)

#: Hash that the first custody entry points back to.
GENESIS = "0" * 64


def columns(table: str) -> tuple[str, ...]:
    """The columns of a record table, in order."""
    return TABLES[table][1]


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, unicode kept. Stable across runs."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def ddl() -> str:
    """SQL that creates every table (idempotent)."""
    parts = []
    for table, (_prefix, cols) in TABLES.items():
        defs = []
        for col in cols:
            kind = "INTEGER" if (table, col) in INT_COLUMNS else "TEXT"
            defs.append(f'"{col}" {kind}' + (" PRIMARY KEY NOT NULL" if col == "id" else ""))
        parts.append(f'CREATE TABLE IF NOT EXISTS "{table}" ({", ".join(defs)});')
    parts.append(
        "CREATE TABLE IF NOT EXISTS custody ("
        "seq INTEGER PRIMARY KEY NOT NULL, entry TEXT NOT NULL, hash TEXT NOT NULL);"
    )
    parts.append(
        "CREATE TABLE IF NOT EXISTS custody_head ("
        "id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);"
    )
    return "\n".join(parts)
