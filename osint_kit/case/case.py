"""``Case``: one folder per investigation, holding the database, the evidence and the log.

::

    my-case/
      case.sqlite          records + custody log (SQLite, WAL mode)
      objects/ab/cdef…     evidence, content-addressed by SHA-256, read-only

Every method that changes something appends a custody entry in the same transaction.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from osint_kit._html import kv_table
from osint_kit._io import printable_text, real_path
from osint_kit.case import custody, evidence, exchange, tables
from osint_kit.case.custody import CustodyHead, Problem, VerifyReport
from osint_kit.case.evidence import EvidenceItem
from osint_kit.case.schema import CUSTODY_COLUMNS, EVIDENCE_IMMUTABLE, TABLES, columns
from osint_kit.case.store import DB_NAME, Store, as_fields, normalise, utc_now
from osint_kit.errors import CaseError, CaseExistsError, CaseNotFoundError

log = logging.getLogger(__name__)


def _tool() -> str:
    from osint_kit import __version__

    return f"osint_kit {__version__}"


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


def verify_store(
    store: Store, expected_head: CustodyHead | str | None = None
) -> VerifyReport:
    """Re-hash every evidence file, walk the custody chain and check every record.

    A damaged database file (a page overwritten, a bad sector) is reported as a problem of
    the database, never raised as SQLite's own error.
    """
    try:
        damage = store.damage()
        store.conn.execute("BEGIN")  # one consistent read snapshot
        try:
            rows = store.custody_raw()
            head = store.head()
            records = store.record_hashes()
            items = store.rows("evidence")
        finally:
            store.conn.execute("COMMIT")
    except sqlite3.DatabaseError as err:
        with contextlib.suppress(sqlite3.Error):
            store.conn.execute("ROLLBACK")
        return VerifyReport(problems=(_damaged(store, str(err)),), entries_checked=0,
                            files_checked=0, records_checked=0, head=None)
    problems, intact = custody.check_chain(rows, head, expected_head)
    problems = [_damaged(store, d) for d in damage] + problems
    problems += custody.check_records(intact, records)
    problems += custody.check_evidence(intact, items)
    referenced: set[str] = set()
    for item in items:
        rel = str(item["stored_path"] or "")
        where = f"evidence {item['id']} ({item['original_name']}, {rel})"
        referenced.add(rel)
        path = store.folder / rel
        if not rel or not path.is_file():
            problems.append(Problem("missing", "evidence", where, "the stored file is gone"))
            continue
        try:
            digest, size = evidence.sha256_size(path)
        except OSError as err:
            problems.append(Problem("missing", "evidence", where, f"cannot read it: {err}"))
            continue
        if digest != item["sha256"]:
            problems.append(Problem(
                "altered", "evidence", where,
                f"SHA-256 is now {digest[:12]}… ({size} bytes), intake recorded "
                f"{str(item['sha256'])[:12]}… ({item['size']} bytes)"))
        elif evidence.object_path(digest) != rel:
            problems.append(Problem("altered", "evidence", where,
                                    "the record points at a file not named for its content"))
    warnings = tuple(
        f"unreferenced object {rel} (an interrupted intake? it is not part of the case)"
        for rel in evidence.unreferenced_objects(store.folder, referenced)
    ) + tuple(
        f"removed objects/{evidence.TMP}/{name} ({size} bytes), left by an intake that "
        "crashed before it finished (it was never part of the case)"
        for name, size in evidence.clean_tmp(store.folder)
    )
    return VerifyReport(
        problems=tuple(problems),
        entries_checked=len(rows),
        files_checked=len(items),
        records_checked=len(records),
        head=head[1] if head else None,
        warnings=warnings,
        head_seq=head[0] if head else None,
    )


def _damaged(store: Store, detail: str) -> Problem:
    return Problem("altered", "database", DB_NAME,
                   f"the database file is damaged ({detail}); nothing in it can be trusted "
                   "until it is restored from an export or a backup")


class Case:
    """An investigation: records, evidence and the custody log in one folder.

    >>> case = Case.create("my-case", title="Rail cars, Nov 2022")   # doctest: +SKIP
    >>> case.add_evidence("photo.jpg", source="S0001", acquired_from="https://…")  # +SKIP
    >>> case.verify()                                                 # doctest: +SKIP
    """

    def __init__(self, path: Path, store: Store) -> None:
        self.path = path
        self._store = store

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, title: str, actor: str | None = None) -> Case:
        """Create a new case folder (it must not hold a case already)."""
        folder = Path(path)
        if (folder / DB_NAME).exists():
            raise CaseExistsError(f"{folder} already holds a case; use Case.open({str(folder)!r})")
        folder.mkdir(parents=True, exist_ok=True)
        store = Store(folder, _actor(actor), _tool())
        with store.transaction() as conn:
            for key, value in (("title", title), ("created_utc", utc_now())):
                store._insert(conn, "meta", normalise("meta", {"id": key, "value": value}),
                              "create", None)
        return cls(folder, store)

    @classmethod
    def open(cls, path: str | Path, actor: str | None = None) -> Case:
        """Open an existing case folder."""
        folder = Path(path)
        if not (folder / DB_NAME).is_file():
            raise CaseNotFoundError(
                f"{folder} holds no case (no {DB_NAME}); create one with Case.create()")
        return cls(folder, Store(folder, _actor(actor), _tool()))

    @classmethod
    def import_(
        cls,
        zip_path: str | Path,
        dest: str | Path,
        actor: str | None = None,
        limits: exchange.Limits | None = None,
    ) -> Case:
        """Unpack an exported case into ``dest`` after checking its safety and hashes."""
        store = exchange.import_case(Path(zip_path), Path(dest), _actor(actor), _tool(), limits)
        return cls(Path(dest), store)

    @classmethod
    def from_tables(
        cls, folder: str | Path, dest: str | Path, title: str | None = None,
        actor: str | None = None,
    ) -> Case:
        """Create a case in ``dest`` from plain CSV/YAML tables (e.g. the bundled example)."""
        case = cls.create(dest, title=title or Path(folder).name, actor=actor)
        case.import_tables(folder)
        return case

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- records -------------------------------------------------------------------------

    @property
    def title(self) -> str:
        record = self._store.get("meta", "title")
        return str(record["value"]) if record and record["value"] else ""

    def add(self, table: str, record: Any = None, /, **fields: Any) -> str:
        """Add a record to ``table`` (a mapping, a dataclass or keyword fields); return its id.

        Dataclass fields that the table has no column for are ignored; unknown keyword
        fields are an error (a typo must not silently drop data).
        """
        merged = {**as_fields(record), **fields}
        if record is not None and not isinstance(record, Mapping):
            keep = set(columns(table)) if table in TABLES else set()
            merged = {k: v for k, v in merged.items() if k in keep or k in fields}
        return self._store.insert(table, merged, "note" if table == "notes" else "add")

    def add_source(self, record: Any = None, /, **fields: Any) -> str:
        return self.add("sources", record, **fields)

    def add_claim(self, record: Any = None, /, **fields: Any) -> str:
        return self.add("claims", record, **fields)

    def add_proposition(self, record: Any = None, /, **fields: Any) -> str:
        return self.add("propositions", record, **fields)

    def add_event(self, record: Any = None, /, **fields: Any) -> str:
        return self.add("events", record, **fields)

    def add_finding(self, record: Any = None, /, **fields: Any) -> str:
        return self.add("findings", record, **fields)

    def add_note(self, text: str, tags: str | None = None, target: str | None = None) -> str:
        """Add a note (tag it ``open`` for an open question: the report lists those)."""
        return self._store.insert(
            "notes",
            {"text": text, "tags": tags, "target": target, "created_utc": utc_now(),
             "author": self._store.actor},
            "note",
        )

    def update(self, table: str, record_id: str, **fields: Any) -> dict[str, Any]:
        """Edit some fields of a record; the log keeps the old values."""
        return self._store.update(table, record_id, fields)

    def delete(self, table: str, record_id: str, reason: str | None = None) -> None:
        """Delete a record; the log keeps its last content and your reason."""
        self._store.delete(table, record_id, reason)

    def get(self, table: str, record_id: str) -> dict[str, Any]:
        record = self._store.get(table, record_id)
        if record is None:
            raise CaseError(f"{table} has no record {record_id!r}")
        return record

    def table(self, name: str) -> Any:
        """One table as a DataFrame (columns from :data:`osint_kit.case.schema.TABLES`)."""
        import pandas as pd

        rows = self._store.rows(name)
        return pd.DataFrame(rows, columns=list(columns(name)), dtype=object)

    def custody(self) -> Any:
        """The custody log as a DataFrame with :data:`CUSTODY_COLUMNS`."""
        import pandas as pd

        out = []
        for _seq, text, digest in self._store.custody_rows():
            entry = custody.parse_entry(text) or {}
            out.append({**{c: entry.get(c) for c in CUSTODY_COLUMNS}, "hash": digest})
        return pd.DataFrame(out, columns=list(CUSTODY_COLUMNS))

    def head(self) -> str | None:
        """Hash of the last custody entry (see :meth:`custody_head` for what to note down)."""
        head = self._store.head()
        return head[1] if head else None

    def custody_head(self) -> CustodyHead | None:
        """The last custody entry's number, hash and time: note ``str()`` of it (``"42:…"``)
        outside the case and pass it back as ``verify(expected_head=...)`` later."""
        head = self._store.head()
        if head is None:
            return None
        row = self._store.conn.execute(
            "SELECT CAST(entry AS BLOB) FROM custody WHERE seq = ?", (head[0],)).fetchone()
        entry = custody.parse_entry(bytes(row[0])) if row else None
        ts = entry.get("ts") if entry else None
        return CustodyHead(head[0], head[1], str(ts) if ts else None, self.title or None)

    def export_head(self, path: str | Path) -> Path:
        """Write the custody head to a small text file to keep outside the case.

        The file can be timestamped offline by your own RFC 3161 tool (docs/case.md gives
        the ``openssl ts -query`` command); osint_kit itself never contacts anyone.
        """
        head = self.custody_head()
        if head is None:
            raise CaseError("this case has no custody log yet, so no head to export")
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(head.to_text(), encoding="utf-8")
        return target

    # --- evidence ------------------------------------------------------------------------

    def add_evidence(
        self,
        file: str | Path,
        source: str | None = None,
        acquired_from: str | None = None,
        *,
        notes: str | None = None,
        analyse: bool = True,
    ) -> EvidenceItem:
        """Take a file into the case as evidence (see :mod:`osint_kit.case.evidence`)."""
        return self._intake(Path(file), Path(file).name, source, acquired_from, notes,
                            analyse, role="evidentiary", parent=None, derivation=None)

    def add_working_copy(
        self,
        parent: str,
        file: str | Path | bytes,
        derivation: str,
        name: str | None = None,
        *,
        analyse: bool = False,
    ) -> EvidenceItem:
        """Store a crop, enhancement or conversion as a working copy linked to ``parent``."""
        origin = self.get("evidence", parent)
        if isinstance(file, bytes):
            label = name or f"{origin['original_name']} ({derivation})"
        else:
            file = Path(file)
            label = name or file.name
        return self._intake(file, label, origin["source_id"], f"derived from {parent}", None,
                            analyse, role="working", parent=parent, derivation=derivation)

    def add_keyframes(
        self,
        evidence_id: str,
        every: float | None = None,
        *,
        scenes: bool = False,
        max_frames: int | None = None,
        max_pixels: int | None = None,
        partial: bool = False,
    ) -> list[EvidenceItem]:
        """Take a video's keyframes (and a frame every ``every`` seconds, and scene changes
        with ``scenes``) into the case as working copies linked to it; return them in time
        order.

        Decoded from the stored copy in the isolated worker; each frame is a PNG working copy
        with custody action ``derive`` naming the video's SHA-256 and the frame's time
        (:mod:`osint_kit.case.video`). The video is never written. At most ``max_frames``
        (default 60) frames, each at most ``max_pixels`` (default about 2 megapixels);
        frames already taken in from this video are returned, not added again. A damaged
        video raises the decoder's typed error (e.g. CorruptImageError) unless ``partial``,
        which keeps the frames decoded before the damage.
        """
        from osint_kit.case import video

        origin = self.get("evidence", evidence_id)
        frames_max = video.MAX_FRAMES if max_frames is None else max_frames
        pixels = video.MAX_PIXELS if max_pixels is None else max_pixels
        have = {(r["sha256"], when[0]): r for r in self._store.rows("evidence")
                if r["parent_id"] == evidence_id and r["role"] == "working"
                and (when := video.frame_of(r["derivation"])) is not None}
        items = []
        with video.extracted(self.evidence_path(evidence_id), origin, every, scenes,
                             frames_max, pixels, partial) as frames:
            for frame in frames:
                derivation = video.derivation_text(frame.time_s, frame.reason)
                known = have.get((frame.sha256, float(f"{frame.time_s:.3f}")))
                if known is not None:
                    items.append(self._item(known))
                    continue
                items.append(self._intake(  # as bytes: the temporary path is no origin
                    Path(frame.path).read_bytes(), video.frame_name(origin, frame),
                    origin["source_id"],
                    f"derived from {evidence_id}", None, False, role="working",
                    parent=evidence_id, derivation=derivation, action="derive",
                    extra=video.derive_details(origin, frame, every, scenes, pixels,
                                               partial)))
        return items

    def _intake(
        self,
        file: Path | bytes,
        label: str,
        source: str | None,
        acquired_from: str | None,
        notes: str | None,
        analyse: bool,
        role: str,
        parent: str | None,
        derivation: str | None,
        action: str = "intake",
        extra: Mapping[str, Any] | None = None,
    ) -> EvidenceItem:
        folder = self.path
        if not isinstance(file, bytes):  # a scan row's path of a non-UTF-8 name opens too
            file = Path(real_path(str(file)))
        label = printable_text(label)  # such a name is stored with \xNN escapes
        sha, md5, size, rel = evidence.store_object(folder, file)
        intake = utc_now()
        metadata: str | None = None
        error: str | None = None
        found: list[dict[str, Any]] = []
        if analyse:
            metadata, error, found = evidence.analyse(folder / rel, label)
        record = {
            "sha256": sha, "md5": md5, "size": size, "original_name": label,
            "original_path": (None if isinstance(file, bytes)
                              else printable_text(str(file.resolve()))),
            "acquired_from": acquired_from, "source_id": source, "role": role,
            "parent_id": parent, "derivation": derivation, "intake_utc": intake,
            "added_by": self._store.actor, "tool": self._store.tool, "stored_path": rel,
            "metadata": metadata, "metadata_error": error, "notes": notes,
        }
        store = self._store
        clean = dict(normalise("evidence", record))
        with store.transaction() as conn:
            rid = store._insert(conn, "evidence", clean, action, {
                **(extra or {}), "sha256": sha, "size": size, "role": role, "parent": parent,
                # what verify() holds the record to for ever (a swap is caught)
                "fixed": {k: clean.get(k) for k in sorted(EVIDENCE_IMMUTABLE)}})
            for row in found:
                store._insert(conn, "findings",
                              dict(normalise("findings", {**row, "evidence_id": rid})),
                              "add", {"by": "intake"})
        return EvidenceItem(
            id=rid, sha256=sha, md5=md5, size=size, original_name=label, stored_path=rel,
            intake_utc=intake, role=role, parent_id=parent, metadata_error=error,
            findings=len(found),
        )

    def _item(self, row: Mapping[str, Any]) -> EvidenceItem:
        """The :class:`EvidenceItem` of a stored evidence record."""
        found = sum(1 for f in self._store.rows("findings") if f["evidence_id"] == row["id"])
        return EvidenceItem(
            id=str(row["id"]), sha256=str(row["sha256"]), md5=str(row["md5"]),
            size=int(row["size"]), original_name=str(row["original_name"]),
            stored_path=str(row["stored_path"]), intake_utc=str(row["intake_utc"]),
            role=str(row["role"]), parent_id=row["parent_id"],
            metadata_error=row["metadata_error"], findings=found)

    def evidence_path(self, evidence_id: str) -> Path:
        """The read-only stored copy of an evidence item."""
        return self.path / str(self.get("evidence", evidence_id)["stored_path"])

    # --- integrity, exchange, report -----------------------------------------------------

    def verify(self, expected_head: CustodyHead | str | None = None) -> VerifyReport:
        """Re-hash evidence, walk the custody chain, check records; report every problem.

        ``expected_head``: a head noted earlier (``str(case.custody_head())``, a
        :class:`CustodyHead`, or a head file's text): the log must still hold that entry at
        that number, so a rewritten or shortened history is found.
        """
        return verify_store(self._store, expected_head)

    def export(self, zip_path: str | Path) -> Path:
        """Write the whole case (records, log, evidence, manifest of hashes) to a zip."""
        target = Path(zip_path)
        self._store.log("export", {"to": target.name})
        exchange.export_case(self._store, target)
        return target

    def export_tables(
        self, folder: str | Path, fmt: str = "csv", objects: bool = False
    ) -> list[Path]:
        """Write every table as CSV or YAML for review and hand editing (logged).

        ``objects=True`` copies the evidence files too, making a complete plain-form case.
        """
        written = tables.export_tables(self._store, Path(folder), fmt, objects)
        self._store.log("export_tables", {"to": Path(folder).name, "format": fmt})
        return written

    def import_tables(self, folder: str | Path) -> dict[str, int]:
        """Load records from CSV/YAML tables; each new or changed record is logged."""
        return tables.import_tables(self._store, Path(folder))

    def report(self, path: str | Path, pdf: bool = False) -> tuple[Path, ...]:
        """Write the HTML report and a Markdown twin (same name, ``.md``), and with ``pdf``
        a PDF printed by Chromium (``.pdf``); return the paths (see docs/case.md)."""
        from osint_kit.case import report

        paths = report.write_report(self, Path(path), pdf=pdf)
        details: dict[str, str] = {}
        for kind, written in zip(("html", "markdown", "pdf"), paths, strict=False):
            details[kind] = written.name
            details[f"{kind}_sha256"] = evidence.sha256_size(written)[0]
        self._store.log("report", details)
        return paths

    # --- display -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return {t: len(self._store.rows(t)) for t in TABLES if t != "meta"}

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts().items())
        return f"<Case {self.title!r} at {self.path} ({counts})>"

    def _repr_html_(self) -> str:
        head = self.custody_head()
        rows: list[tuple[str, Any]] = [("title", self.title), ("folder", str(self.path)),
                                       ("custody head", str(head) if head else None)]
        rows += [(k, v) for k, v in self.counts().items()]
        return f"<div>{kv_table(rows, title='Case')}</div>"


__all__ = ["Case", "verify_store"]
