"""verify() finds every single-byte change, deletion, reordering and insertion."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from osint_kit.case import Case
from osint_kit.case import custody as cu
from osint_kit.case.store import DB_NAME
from osint_kit.errors import IntegrityError


def _db(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path / DB_NAME, isolation_level=None)


def _raw_rows(path: Path) -> list[tuple[int, bytes, str]]:
    with Case.open(path) as case:
        return case._store.custody_raw()


def _rewrite_log(path: Path, rows: list[tuple[int, bytes, str]]) -> None:
    conn = _db(path)
    conn.execute("BEGIN")
    conn.execute("DELETE FROM custody")
    conn.executemany("INSERT INTO custody (seq, entry, hash) VALUES (?, ?, ?)",
                     [(s, e.decode("utf-8"), h) for s, e, h in rows])
    conn.execute("COMMIT")
    conn.close()


def _problems(path: Path, what: str | None = "custody") -> list[cu.Problem]:
    with Case.open(path) as case:
        report = case.verify()
    assert not report.ok
    return [p for p in report.problems if what is None or p.what == what]


def test_clean_case_verifies(case_copy) -> None:
    path = case_copy()
    with Case.open(path) as case:
        report = case.verify()
        assert report.ok, report
        assert report.entries_checked >= 14 and report.files_checked == 4
        report.raise_for_problems()
        assert "OK" in report._repr_html_()


def test_every_single_byte_change_to_any_evidence_file_is_found(case_copy) -> None:
    path = case_copy()
    with Case.open(path) as case:
        items = case.table("evidence")
        for row in items.itertuples():
            stored = path / row.stored_path
            original = stored.read_bytes()
            os.chmod(stored, 0o644)
            for pos in range(len(original)):  # exhaustive: every byte of every file
                changed = bytearray(original)
                changed[pos] ^= 0x01 if pos % 2 else 0xFF
                stored.write_bytes(bytes(changed))
                report = case.verify()
                assert [(p.kind, p.what) for p in report.problems] == [("altered", "evidence")]
                assert row.id in report.problems[0].where
            stored.write_bytes(original)
            os.chmod(stored, 0o444)
        assert case.verify().ok


def test_missing_evidence_file_and_stray_object(case_copy) -> None:
    path = case_copy()
    with Case.open(path) as case:
        rel = case.get("evidence", "E0002")["stored_path"]
        (path / rel).unlink()
        stray = path / "objects" / "ff" / ("f" * 62)
        stray.parent.mkdir(parents=True, exist_ok=True)
        stray.write_bytes(b"x")
        report = case.verify()
    assert [(p.kind, p.what) for p in report.problems] == [("missing", "evidence")]
    assert any("unreferenced" in w for w in report.warnings)


def test_every_single_byte_change_to_any_log_entry_is_found(case_copy) -> None:
    """Exhaustive over every byte of every entry (pure walk), and every hash byte."""
    rows = _raw_rows(case_copy())
    head = (rows[-1][0], rows[-1][2])
    problems, _ = cu.check_chain(rows, head)
    assert problems == []
    checked = 0
    for i, (seq, entry, digest) in enumerate(rows):
        for pos in range(len(entry)):
            changed = bytearray(entry)
            changed[pos] ^= 0x01
            tampered = [*rows[:i], (seq, bytes(changed), digest), *rows[i + 1:]]
            found, _ = cu.check_chain(tampered, head)
            assert found, f"entry {seq} byte {pos} change not detected"
            assert found[0].kind == "altered" and found[0].where == f"custody entry #{seq}"
            checked += 1
        for pos in range(len(digest)):
            bad = digest[:pos] + ("0" if digest[pos] != "0" else "1") + digest[pos + 1:]
            tampered = [*rows[:i], (seq, entry, bad), *rows[i + 1:]]
            found, _ = cu.check_chain(tampered, head)
            assert any(p.kind == "altered" for p in found)
    assert checked > 3000


@pytest.mark.parametrize("entry_index", [0, 3, 7, 12, -1])
@pytest.mark.parametrize("fraction", [0.0, 0.33, 0.71, 0.999])
def test_byte_change_in_stored_log_entry(case_copy, entry_index: int, fraction: float) -> None:
    path = case_copy()
    rows = _raw_rows(path)
    seq, entry, _h = rows[entry_index]
    pos = int(fraction * (len(entry) - 1))
    changed = bytearray(entry)
    changed[pos] ^= 0x01
    conn = _db(path)
    conn.execute("UPDATE custody SET entry = ? WHERE seq = ?", (bytes(changed), seq))
    conn.close()
    found = _problems(path)
    assert found[0] == cu.Problem("altered", "custody", f"custody entry #{seq}", found[0].detail)


# The template case has at least this many entries (more once intake adds findings);
# position 0 below stands for "the last entry".
N_MIN = 15


def _resolve(path: Path, k: int, extra: int = 0) -> int:
    return k if k else len(_raw_rows(path)) + extra


def test_template_size(case_copy) -> None:
    assert len(_raw_rows(case_copy())) >= N_MIN


@pytest.mark.parametrize("k", [*range(1, N_MIN + 1), 0])
def test_deleted_entry(case_copy, k: int) -> None:
    path = case_copy()
    k = _resolve(path, k)
    conn = _db(path)
    conn.execute("DELETE FROM custody WHERE seq = ?", (k,))
    conn.close()
    found = _problems(path)
    assert [(p.kind, p.where) for p in found] == [("missing", f"custody entry #{k}")]


@pytest.mark.parametrize("k", [*range(1, N_MIN), 0])
def test_reordered_entries(case_copy, k: int) -> None:
    path = case_copy()
    k = _resolve(path, k, -1)
    rows = _raw_rows(path)
    a, b = rows[k - 1], rows[k]
    rows[k - 1], rows[k] = (a[0], b[1], b[2]), (b[0], a[1], a[2])
    _rewrite_log(path, rows)
    found = _problems(path)
    assert [p.kind for p in found] == ["reordered"]
    assert f"entry #{k + 1} is stored before entry #{k}" in found[0].detail


@pytest.mark.parametrize("k", [*range(1, N_MIN + 1), 0])
@pytest.mark.parametrize("forge", ["new", "copy"])
def test_inserted_entry(case_copy, k: int, forge: str) -> None:
    """Insert a forged entry at position k (1 = first, 0 = after the last)."""
    path = case_copy()
    k = _resolve(path, k, 1)
    rows = _raw_rows(path)
    prev = cu.GENESIS if k == 1 else rows[k - 2][2]
    if forge == "new" or k == 1:
        text, digest = cu.make_entry(seq=k, prev=prev, ts="2023-01-01T00:00:00+00:00",
                                     actor="mallory", tool="x", action="note",
                                     details={"text": "forged"})
        forged = (text.encode(), digest)
    else:  # an exact copy of the entry before the insertion point
        forged = (rows[k - 2][1], rows[k - 2][2])
    new = [*rows[: k - 1], (0, *forged), *rows[k - 1:]]
    new = [(i + 1, e, h) for i, (_s, e, h) in enumerate(new)]
    _rewrite_log(path, new)
    found = _problems(path)
    assert found, "insertion not detected"
    assert {p.kind for p in found} <= {"inserted", "reordered"}
    assert any(p.kind == "inserted" for p in found)


def test_truncation_detected_by_head(case_copy) -> None:
    path = case_copy()
    conn = _db(path)
    n = len(_raw_rows(path))
    conn.execute("DELETE FROM custody WHERE seq >= ?", (n - 2,))
    conn.close()
    found = _problems(path)
    assert [p.where for p in found] == [f"custody entry #{k}" for k in range(n - 2, n + 1)]
    conn = _db(path)
    conn.execute("DELETE FROM custody_head")
    conn.close()
    assert any(p.what == "head" for p in _problems(path, None))


def test_rewritten_history_detected_with_expected_head(case_copy) -> None:
    path = case_copy()
    with Case.open(path) as case:
        head = case.head()
        assert case.verify(expected_head=head).ok
    rows = _raw_rows(path)
    # A careful forger rebuilds the chain after changing entry 3: only a head noted
    # earlier reveals it.
    prev = cu.GENESIS
    rebuilt = []
    for seq, entry, _h in rows:
        data = cu.parse_entry(entry)
        assert data is not None
        if seq == 3:
            data["actor"] = "mallory"
        data["prev"] = prev
        text = cu.canonical_json(data)
        prev = cu.entry_hash(text)
        rebuilt.append((seq, text.encode(), prev))
    _rewrite_log(path, rebuilt)
    conn = _db(path)
    conn.execute("UPDATE custody_head SET hash = ?", (prev,))
    conn.close()
    with Case.open(path) as case:
        assert case.verify().ok  # tamper-evident, not tamper-proof...
        report = case.verify(expected_head=head)  # ...unless the head was written down
    assert not report.ok and report.problems[0].where == "history"


@pytest.mark.parametrize(("table", "rid", "column"), [("claims", "C0001", "text"),
                                              ("sources", "S0002", "title"),
                                              ("evidence", "E0001", "acquired_from"),
                                              ("notes", "N0001", "text")])
def test_record_edited_behind_the_case_back(case_copy, table: str, rid: str,
                                            column: str) -> None:
    path = case_copy()
    conn = _db(path)
    conn.execute(f'UPDATE "{table}" SET "{column}" = "{column}" || \'!\' WHERE id = ?', (rid,))
    conn.close()
    found = _problems(path, "record")
    assert [(p.kind, p.where) for p in found] == [("altered", f"{table}/{rid}")]


def test_record_inserted_and_deleted_behind_the_case_back(case_copy) -> None:
    path = case_copy()
    conn = _db(path)
    conn.execute("INSERT INTO notes (id, text) VALUES ('N0099', 'sneaky')")
    conn.execute("DELETE FROM claims WHERE id = 'C0001'")
    conn.close()
    found = _problems(path, "record")
    assert {(p.kind, p.where) for p in found} == {("inserted", "notes/N0099"),
                                                  ("missing", "claims/C0001")}


def test_raise_for_problems(case_copy) -> None:
    path = case_copy()
    conn = _db(path)
    conn.execute("DELETE FROM custody WHERE seq = 5")
    conn.close()
    with Case.open(path) as case:
        report = case.verify()
        with pytest.raises(IntegrityError, match="missing custody entry #5"):
            report.raise_for_problems()
        assert "missing" in report._repr_html_() and "missing" in repr(report)


# --- evidence pinned by its intake entry; a noted head with its number (issue 19 item 6) ----


def _swap_evidence(path: Path, rid: str = "E0002") -> None:
    """An insider swaps an evidence file: new bytes in the store, the record pointed at them,
    and one well-formed edit entry appended through the store (the chain stays valid)."""
    import hashlib

    with Case.open(path, actor="mallory") as case:
        store = case._store
        data = b"\x89PNG forged replacement"
        sha = hashlib.sha256(data).hexdigest()
        rel = f"objects/{sha[:2]}/{sha[2:]}"
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_bytes(data)
        with store.transaction() as conn:
            old = store.get("evidence", rid, conn)
            assert old is not None
            new = {**old, "sha256": sha, "md5": hashlib.md5(data).hexdigest(),
                   "size": len(data), "stored_path": rel}
            conn.execute("UPDATE evidence SET sha256 = ?, md5 = ?, size = ?, stored_path = ? "
                         "WHERE id = ?", (new["sha256"], new["md5"], new["size"], rel, rid))
            store.append(conn, "edit", "evidence", rid, new, {"changed": {}})


def test_swapped_evidence_with_a_forged_edit_entry_is_found(case_copy) -> None:
    path = case_copy()
    with Case.open(path) as case:
        noted = case.head()  # even with the head noted before the swap (the case)
    _swap_evidence(path)
    with Case.open(path) as case:
        report = case.verify(expected_head=noted)
    found = [(p.kind, p.what) for p in report.problems]
    assert ("altered", "evidence") in found, report
    detail = next(p.detail for p in report.problems if p.what == "evidence")
    assert "intake entry" in detail and "sha256" in detail


def test_an_entry_changing_a_fixed_field_is_flagged(case_copy) -> None:
    path = case_copy()
    with Case.open(path, actor="mallory") as case:
        store = case._store
        with store.transaction() as conn:
            record = store.get("evidence", "E0001", conn)
            assert record is not None
            store.append(conn, "edit", "evidence", "E0001", record,
                         {"changed": {"original_name": {"old": "a.png", "new": "b.png"}}})
        report = case.verify()
    assert [(p.kind, p.what) for p in report.problems] == [("altered", "custody")]
    assert "original_name" in report.problems[0].detail


def test_noted_head_carries_its_number_and_catches_a_shortened_log(case_copy) -> None:
    path = case_copy()
    with Case.open(path) as case:
        case.export(path.parent / "handed-over.zip")  # a log-only entry: the one to hide
        noted = case.custody_head()
        assert noted is not None and noted.ts
        token = str(noted)
        assert token == f"{noted.seq}:{noted.hash}"
        assert case.verify(expected_head=token).ok  # the token form is understood
        assert case.verify(expected_head=noted.hash).ok  # so is a bare hash (old notes)
    rows = _raw_rows(path)
    conn = _db(path)  # delete the last entry and move the head back: self-consistent
    conn.execute("DELETE FROM custody WHERE seq = ?", (rows[-1][0],))
    conn.execute("UPDATE custody_head SET seq = ?, hash = ?", (rows[-2][0], rows[-2][2]))
    conn.close()
    with Case.open(path) as case:
        assert case.verify().ok  # without a noted head this cannot be seen (docs say so)
        report = case.verify(expected_head=token)
    assert [(p.kind, p.where) for p in report.problems] == [
        ("missing", f"custody entries #{noted.seq}-#{noted.seq}")]
    assert "shortened" in report.problems[0].detail


def test_head_file_round_trip_and_rfc3161_query(case_copy, tmp_path: Path) -> None:
    import hashlib
    import shutil
    import subprocess

    from osint_kit.case.custody import CustodyHead

    path = case_copy()
    with Case.open(path) as case:
        head_file = case.export_head(tmp_path / "head.txt")
        head = CustodyHead.read(head_file)
        assert head.token == str(case.custody_head()) and head.title == case.title
        assert case.verify(expected_head=head).ok
        assert case.verify(expected_head=head_file.read_text(encoding="utf-8")).ok
        assert head.token in case._repr_html_()
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed: the RFC 3161 query of docs/case.md is not checked")
    tsq = tmp_path / "head.tsq"
    subprocess.run(["openssl", "ts", "-query", "-data", str(head_file), "-sha256", "-cert",
                    "-out", str(tsq)], check=True, capture_output=True)
    text = subprocess.run(["openssl", "ts", "-query", "-in", str(tsq), "-text"], check=True,
                          capture_output=True, text=True).stdout
    assert "sha256" in text.lower()
    # the request's message imprint (DER) is the SHA-256 of the head file's exact bytes
    assert hashlib.sha256(head_file.read_bytes()).digest() in tsq.read_bytes()


def test_plain_tables_cannot_replace_evidence(case_copy, tmp_path: Path) -> None:
    from osint_kit.errors import CaseError

    path = case_copy()
    with Case.open(path) as case:
        case.export_tables(tmp_path / "t")
        table = tmp_path / "t" / "evidence.csv"
        text = table.read_text(encoding="utf-8")
        table.write_text(text.replace("photo-b.png", "renamed.png"), encoding="utf-8")
        with pytest.raises(CaseError, match=r"changes original_name.*fixed at intake"):
            case.import_tables(tmp_path / "t")
        assert case.verify().ok


def test_a_damaged_database_page_is_reported_not_raised(case_copy) -> None:
    """Every page after the first overwritten in turn: verify() reports the damage (issue 19
    item 9); it used to raise sqlite3.DatabaseError ("database disk image is malformed")."""
    path = case_copy()
    conn = _db(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db = path / DB_NAME
    original = db.read_bytes()
    pages = len(original) // page
    assert pages > 5
    for number in range(2, pages + 1):
        damaged = bytearray(original)
        damaged[(number - 1) * page: number * page] = b"\xa5" * page
        db.write_bytes(bytes(damaged))
        with Case.open(path) as case:
            report = case.verify()
        assert not report.ok and report.problems[0].what == "database", (number, report)
        assert "damaged" in report.problems[0].detail
    db.write_bytes(original)
    with Case.open(path) as case:
        assert case.verify().ok
