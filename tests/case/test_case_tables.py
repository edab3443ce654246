"""Every table round-trips through CSV and YAML losslessly."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osint_kit.case import Case
from osint_kit.case.schema import TABLES
from osint_kit.errors import CaseError, IntegrityError

TRICKY = ['"', "'", "\n", "\r", "\r\n", ",", ";", "\t", "\x00", "\u2028", "\x85", "\ufeff",
          "—", "ż", "日本", "🚂", "null", "~", "- x", "#", ": ", "yes", "1.0", "=cmd|' /C calc'!A0"]
texts = st.lists(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=8) | st.sampled_from(TRICKY),
    max_size=6,
).map("".join)


def _records(case: Case) -> dict[str, list[dict]]:
    return {t: case._store.rows(t) for t in TABLES}


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(texts, min_size=6, max_size=6), fmt=st.sampled_from(["csv", "yaml"]))
def test_round_trip(values: list[str], fmt: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="roundtrip-"))
    try:
        case = Case.create(root / "a", title=values[0])
        sid = case.add_source(title=values[1], notes=values[2], kind="wire", credibility=3)
        pid = case.add_proposition(statement=values[3])
        case.add_claim(source_id=sid, proposition_id=pid, text=values[4], is_quote=True)
        case.add_note(values[5], tags="open; x")
        case.add_event(label=values[2], earliest="2022-11-18T00:00:00+00:00",
                       latest="2022-11-18T23:59:59+00:00", confidence=0.5)
        case.add_evidence(_file(root, values[1]), acquired_from=values[5])
        case.export_tables(root / "t1", fmt=fmt, objects=True)
        other = Case.from_tables(root / "t1", root / "b")
        assert _records(other) == _records(case)
        assert other.verify().ok
        other.export_tables(root / "t2", fmt=fmt)
        for table in TABLES:  # byte-identical second export
            name = f"{table}.{fmt}"
            assert (root / "t1" / name).read_bytes() == (root / "t2" / name).read_bytes()
        case.close()
        other.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _file(root: Path, text: str) -> Path:
    path = root / "evidence.bin"
    path.write_bytes(b"evidence " + text.encode("utf-8"))
    return path


def test_hand_edited_csv_is_imported_and_logged(tmp_path: Path) -> None:
    with Case.create(tmp_path / "a", title="t") as case:
        case.add_source(title="old", kind="wire")
        case.export_tables(tmp_path / "t")
    csv_path = tmp_path / "t" / "sources.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("old", '"new, ""quoted"""'),
                        encoding="utf-8")
    with Case.open(tmp_path / "a") as case:
        counts = case.import_tables(tmp_path / "t")
        assert counts["sources"] == 1
        assert case.get("sources", "S0001")["title"] == 'new, "quoted"'
        entry = case.custody().iloc[-1]
        assert entry["action"] == "import" and entry["details"]["file_sha256"]
        assert case.verify().ok


def test_bad_tables_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "sources.csv").write_text("id,titel\nS1,x\n", encoding="utf-8")
    with Case.create(tmp_path / "a", title="t") as case:
        with pytest.raises(CaseError, match="unknown column"):
            case.import_tables(folder)
        (folder / "sources.csv").write_text("id,title\nS1,x,y\n", encoding="utf-8")
        with pytest.raises(CaseError, match="cells"):
            case.import_tables(folder)
        (folder / "sources.csv").unlink()
        (folder / "evidence.csv").write_text(
            "id,original_name,sha256\nE1,photo.jpg,abc\n", encoding="utf-8")
        with pytest.raises(CaseError, match="no file found"):
            case.import_tables(folder)
        (folder / "evidence").mkdir()
        (folder / "evidence" / "photo.jpg").write_bytes(b"jpeg")
        with pytest.raises(IntegrityError, match="not the same evidence"):
            case.import_tables(folder)
        assert case.table("sources").empty and case.verify().ok


def test_plain_case_with_evidence_folder(tmp_path: Path) -> None:
    """The bundled example form: tables plus evidence/<original_name>, hashes filled in."""
    folder = tmp_path / "plain"
    (folder / "evidence").mkdir(parents=True)
    (folder / "evidence" / "photo.jpg").write_bytes(b"fake jpeg bytes")
    (folder / "evidence.csv").write_text(
        "id,original_name,acquired_from\nE0001,photo.jpg,https://example.org\n",
        encoding="utf-8")
    (folder / "notes.yaml").write_text("- id: N0001\n  text: 'open: who?'\n  tags: open\n",
                                       encoding="utf-8")
    with Case.from_tables(folder, tmp_path / "case", title="Example") as case:
        item = case.get("evidence", "E0001")
        assert item["size"] == 15 and len(item["sha256"]) == 64
        assert case.get("notes", "N0001")["text"] == "open: who?"
        assert case.verify().ok


# --- plain tables must not read outside their folder (issue 19 item 5) ----------------------


def _secret(tmp_path: Path) -> tuple[Path, str]:
    import hashlib

    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_bytes(b"the investigator's private notes")
    return secret, hashlib.sha256(secret.read_bytes()).hexdigest()


def _evidence_table(folder: Path, **cells: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    header = ["id", *cells]
    (folder / "evidence.csv").write_text(
        ",".join(header) + "\n" + ",".join(["E0001", *cells.values()]) + "\n", encoding="utf-8")


def _hostile_folder(tmp_path: Path, kind: str) -> Path:
    import hashlib

    secret, sha = _secret(tmp_path)
    folder = tmp_path / "plain"
    if kind == "absolute_stored_path":
        _evidence_table(folder, stored_path=str(secret))
    elif kind == "dotdot_stored_path":
        _evidence_table(folder, stored_path="objects/../../outside/secret.txt")
        (folder / "objects").mkdir()
    elif kind == "dotdot_original_name":
        _evidence_table(folder, original_name="../../outside/secret.txt")
        (folder / "evidence").mkdir()
    elif kind == "absolute_original_name":
        _evidence_table(folder, original_name=str(secret))
    elif kind == "symlinked_file":
        _evidence_table(folder, original_name="photo.jpg")
        (folder / "evidence").mkdir()
        (folder / "evidence" / "photo.jpg").symlink_to(secret)
    elif kind == "symlinked_folder":
        _evidence_table(folder, original_name="secret.txt")
        (folder / "evidence").symlink_to(secret.parent, target_is_directory=True)
    elif kind == "symlinked_objects":
        # a content-addressed path whose objects/ folder is a link to elsewhere
        rel = f"objects/{sha[:2]}/{sha[2:]}"
        _evidence_table(folder, stored_path=rel)
        elsewhere = tmp_path / "outside" / "objects" / sha[:2]
        elsewhere.mkdir(parents=True)
        (elsewhere / sha[2:]).write_bytes(secret.read_bytes())
        (folder / "objects").symlink_to(tmp_path / "outside" / "objects",
                                        target_is_directory=True)
    assert hashlib.sha256(secret.read_bytes()).hexdigest() == sha
    return folder


HOSTILE_PLAIN = ["absolute_stored_path", "dotdot_stored_path", "dotdot_original_name",
                 "absolute_original_name", "symlinked_file", "symlinked_folder",
                 "symlinked_objects"]


@pytest.mark.parametrize("kind", HOSTILE_PLAIN)
def test_plain_tables_never_copy_files_from_outside(tmp_path: Path, kind: str) -> None:
    import hashlib

    folder = _hostile_folder(tmp_path, kind)
    sha = hashlib.sha256((tmp_path / "outside" / "secret.txt").read_bytes()).hexdigest()
    with Case.create(tmp_path / "case", title="t") as case:
        with pytest.raises(CaseError, match=r"content-addressed|symbolic link|no file found|"
                                            r"outside"):
            case.import_tables(folder)
        assert case.table("evidence").empty
    copied = tmp_path / "case" / "objects" / sha[:2] / sha[2:]
    assert not copied.exists(), "the file from outside the folder was copied into the case"


def test_plain_tables_inside_the_folder_still_work(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    _evidence_table(folder, original_name="photo (1).jpg")
    (folder / "evidence").mkdir()
    (folder / "evidence" / "photo (1).jpg").write_bytes(b"jpeg bytes")
    with Case.from_tables(folder, tmp_path / "case", title="t") as case:
        assert case.get("evidence", "E0001")["size"] == 10
        case.export_tables(tmp_path / "again", objects=True)
    with Case.from_tables(tmp_path / "again", tmp_path / "case2", title="t") as other:
        assert other.verify().ok
