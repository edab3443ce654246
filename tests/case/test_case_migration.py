"""Cases written before claims had two times and sources a party still open (issue 18).

An "old" case is made with the current code while the schema is patched back to the old
columns (claims.when, no sources.party, no claims.stated): exactly the tables an older
version wrote, with a custody log pinning records in the old shape.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from osint_kit.case import Case, schema

OLD_SOURCES = tuple(c for c in schema.TABLES["sources"][1] if c != "party")
OLD_CLAIMS = tuple("when" if c == "about" else c
                   for c in schema.TABLES["claims"][1] if c != "stated")


@pytest.fixture
def old_schema(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def patch() -> None:
        monkeypatch.setitem(schema.TABLES, "sources", ("S", OLD_SOURCES))
        monkeypatch.setitem(schema.TABLES, "claims", ("C", OLD_CLAIMS))

    return patch


def _old_case(path: Path) -> tuple[str, str]:
    case = Case.create(path, title="old")
    sid = case.add_source(title="Briefing", kind="primary statement", published="2023-01-20")
    cid = case.add_claim(source_id=sid, text="on November 18th", when="November 18th",
                         stance="supports")
    case.close()
    return sid, cid


def test_old_case_opens_migrated_and_verified(old_schema, monkeypatch, tmp_path: Path) -> None:
    old_schema()
    sid, cid = _old_case(tmp_path / "c")
    monkeypatch.undo()
    with Case.open(tmp_path / "c") as case:
        claim = case.get("claims", cid)
        assert claim["about"] == "November 18th" and claim["stated"] is None
        assert "when" not in claim
        assert case.get("sources", sid)["party"] is None
        report = case.verify()
        assert report.ok, report
        log = case.custody()
        migrated = log[log["action"] == "migrate"]
        assert set(migrated["record_id"]) == {sid, cid}
        case.update("sources", sid, party="US government")  # the new column is usable
        assert case.verify().ok
    with Case.open(tmp_path / "c") as case:  # a second open migrates nothing again
        assert (case.custody()["action"] == "migrate").sum() == 2


def test_migration_does_not_bless_a_record_altered_before(old_schema, monkeypatch,
                                                          tmp_path: Path) -> None:
    old_schema()
    _sid, cid = _old_case(tmp_path / "c")
    monkeypatch.undo()
    db = sqlite3.connect(tmp_path / "c" / "case.sqlite")
    db.execute("UPDATE claims SET text = 'edited behind the back' WHERE id = ?", (cid,))
    db.commit()
    db.close()
    with Case.open(tmp_path / "c") as case:
        report = case.verify()
        assert not report.ok
        assert any(p.where == f"claims/{cid}" and p.kind == "altered" for p in report.problems)


def test_old_exchange_zip_imports(old_schema, monkeypatch, tmp_path: Path) -> None:
    old_schema()
    _sid, cid = _old_case(tmp_path / "c")
    with Case.open(tmp_path / "c") as case:
        zip_path = case.export(tmp_path / "old.zip")
    monkeypatch.undo()
    with Case.import_(zip_path, tmp_path / "imported") as other:
        assert other.get("claims", cid)["about"] == "November 18th"
        assert other.verify().ok


def test_old_plain_tables_import(old_schema, monkeypatch, tmp_path: Path) -> None:
    old_schema()
    _sid, cid = _old_case(tmp_path / "c")
    with Case.open(tmp_path / "c") as case:
        case.export_tables(tmp_path / "t", fmt="csv")
        case.export_tables(tmp_path / "y", fmt="yaml")
    monkeypatch.undo()
    assert "when" in (tmp_path / "t" / "claims.csv").read_text(encoding="utf-8")
    for folder in ("t", "y"):
        with Case.from_tables(tmp_path / folder, tmp_path / f"from-{folder}") as other:
            assert other.get("claims", cid)["about"] == "November 18th"
            assert other.verify().ok
