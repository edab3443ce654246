"""Evidence intake: originals untouched, stored copies read-only and verified."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from case_factory import make_png

from osint_kit.case import Case
from osint_kit.errors import CaseError, CaseExistsError, CaseNotFoundError, EvidenceError


def _fingerprint(path: Path) -> tuple[str, int, int, int]:
    st = os.stat(path)
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns, st.st_mode


def test_create_open_errors(tmp_path: Path) -> None:
    Case.create(tmp_path / "c", title="t").close()
    with pytest.raises(CaseExistsError):
        Case.create(tmp_path / "c", title="t")
    with pytest.raises(CaseNotFoundError):
        Case.open(tmp_path / "nothing")
    with Case.open(tmp_path / "c") as case:
        assert case.title == "t" and "Case" in case._repr_html_() and "t" in repr(case)


def test_intake_leaves_original_identical_and_copy_read_only(tmp_path: Path) -> None:
    original = make_png(tmp_path / "photo.png")
    os.chmod(original, 0o640)
    before = _fingerprint(original)
    with Case.create(tmp_path / "case", title="t", actor="ana") as case:
        item = case.add_evidence(original, source="S0001", acquired_from="https://x.test/p")
        assert _fingerprint(original) == before
        stored = case.evidence_path(item.id)
        assert stat.S_IMODE(os.stat(stored).st_mode) == 0o444
        assert stored.read_bytes() == original.read_bytes()
        data = original.read_bytes()
        assert item.sha256 == hashlib.sha256(data).hexdigest()
        assert item.md5 == hashlib.md5(data).hexdigest()
        assert item.size == len(data)
        assert stored.relative_to(case.path).as_posix() == \
            f"objects/{item.sha256[:2]}/{item.sha256[2:]}"
        record = case.get("evidence", item.id)
        assert record["original_name"] == "photo.png"
        assert record["added_by"] == "ana" and record["tool"].startswith("osint_kit ")
        assert record["intake_utc"].endswith("+00:00")
        assert record["acquired_from"] == "https://x.test/p"
        log = case.custody()
        intake = log[(log["action"] == "intake") & (log["record_id"] == item.id)]
        assert len(intake) == 1 and intake.iloc[0]["details"]["sha256"] == item.sha256
        assert item.id in repr(item) and item.sha256 in item._repr_html_()
        assert case.verify().ok


def test_same_file_twice_shares_one_object(tmp_path: Path) -> None:
    original = make_png(tmp_path / "a.png")
    with Case.create(tmp_path / "case", title="t") as case:
        a = case.add_evidence(original)
        b = case.add_evidence(original, acquired_from="second acquisition")
        assert a.id != b.id and a.stored_path == b.stored_path
        assert case.verify().ok


def test_unreadable_metadata_is_recorded_not_raised(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not an image", encoding="utf-8")
    with Case.create(tmp_path / "case", title="t") as case:
        item = case.add_evidence(text)
        assert item.metadata_error  # recorded as data
        assert case.verify().ok


def test_empty_and_missing_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    with Case.create(tmp_path / "case", title="t") as case:
        with pytest.raises(EvidenceError):
            case.add_evidence(empty)
        with pytest.raises(EvidenceError):
            case.add_evidence(tmp_path / "missing.jpg")
        with pytest.raises(EvidenceError):
            case.add_evidence(tmp_path)
        assert case.table("evidence").empty
        assert case.verify().ok


def test_working_copy_linked_to_parent(tmp_path: Path) -> None:
    from PIL import Image

    original = make_png(tmp_path / "a.png", size=(80, 60))
    with Case.create(tmp_path / "case", title="t") as case:
        parent = case.add_evidence(original)
        crop = tmp_path / "crop.png"
        with Image.open(case.evidence_path(parent.id)) as img:
            img.crop((0, 0, 20, 20)).save(crop)
        work = case.add_working_copy(parent.id, crop, derivation="crop 0,0,20,20")
        assert work.role == "working" and work.parent_id == parent.id
        record = case.get("evidence", work.id)
        assert record["derivation"] == "crop 0,0,20,20"
        assert case.get("evidence", parent.id)["role"] == "evidentiary"
        assert case.verify().ok


def test_evidence_hashes_cannot_be_edited(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case", title="t") as case:
        item = case.add_evidence(make_png(tmp_path / "a.png"))
        with pytest.raises(CaseError, match="fixed at intake"):
            case.update("evidence", item.id, sha256="0" * 64)
        with pytest.raises(CaseError, match="never deleted"):
            case.delete("evidence", item.id)
        case.update("evidence", item.id, notes="looked at it")
        entry = case.custody().iloc[-1]
        assert entry["action"] == "edit"
        assert entry["details"]["changed"]["notes"] == {"old": None, "new": "looked at it"}
        assert case.verify().ok


def test_records_edit_and_delete_are_logged(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case", title="t") as case:
        sid = case.add_source(title="a", kind="wire")
        case.update("sources", sid, title="b")
        case.delete("sources", sid, reason="duplicate")
        actions = list(case.custody()["action"])
        assert actions[-3:] == ["add", "edit", "delete"]
        with pytest.raises(CaseError, match="no column"):
            case.add_source(titel="typo")
        with pytest.raises(CaseError, match="unknown table"):
            case.add("nope", x=1)
        assert case.verify().ok


def test_dataclass_records_from_other_domains(tmp_path: Path) -> None:
    from osint_kit.sources.models import Claim, Source

    with Case.create(tmp_path / "case", title="t") as case:
        case.add_source(Source(id="S1", title="brief", kind="primary statement",
                               cites=("S2",)))
        case.add_claim(Claim(id="C1", source_id="S1", text="x", stance="supports"))
        assert case.get("sources", "S1")["cites"] == "S2"
        assert case.get("claims", "C1")["is_quote"] == "false"
        assert case.verify().ok


def test_real_camera_image_metadata(tmp_path: Path, camera_samples: Path) -> None:
    jpg = next(iter(sorted(camera_samples.rglob("*.jpg"))), None)
    if jpg is None:
        pytest.skip("no JPEG among the camera samples")
    before = _fingerprint(jpg)
    with Case.create(tmp_path / "case", title="t") as case:
        item = case.add_evidence(jpg)
        record = case.get("evidence", item.id)
        assert record["metadata_error"] is None, record["metadata_error"]
        meta = json.loads(record["metadata"])
        assert meta["file_name"] == jpg.name
        assert meta.get("sha256") in (None, item.sha256)
        assert case.verify().ok
    assert _fingerprint(jpg) == before


def _crashing_analyse(path: str, original_name: str | None) -> Any:
    """Stands in for an image decoder that segfaults on a crafted file during intake."""
    os.kill(os.getpid(), 11)  # SIGSEGV


def test_intake_survives_a_decoder_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from osint_kit.case import evidence

    original = make_png(tmp_path / "photo.png")
    with Case.create(tmp_path / "case", title="t") as case:
        plain = case.add_evidence(make_png(tmp_path / "other.png", (10, 200, 30)))
        assert plain.metadata_error is None  # analysed in a worker, recorded as usual
        assert json.loads(case.get("evidence", plain.id)["metadata"])["file_name"] == "other.png"
        # what the isolated worker runs for analyse_file (the parent's patch cannot reach it)
        monkeypatch.setattr(evidence.analyse_file, "_target", f"{__name__}:_crashing_analyse")
        item = case.add_evidence(original)
        assert item.metadata_error is not None
        assert item.metadata_error.startswith("WorkerCrashedError: the worker process died")
        assert case.evidence_path(item.id).read_bytes() == original.read_bytes()
        assert case.verify().ok


# --- growing, sparse and crashed intakes (issue 19 item 14) --------------------------------


class _Growing:
    """A read-only handle on a file that another program keeps appending to: every read
    first appends as much as it asks for (up to ``cap`` bytes in all), so the end is never
    reached while the writer runs. Counts the bytes handed to the reader."""

    def __init__(self, real: Any, path: Path, cap: int) -> None:
        self.real, self.path, self.cap, self.appended, self.read_bytes = real, path, cap, 0, 0

    def read(self, n: int = -1) -> bytes:
        if self.appended < self.cap:
            more = min(max(n, 1 << 16), self.cap - self.appended)
            with open(self.path, "ab") as writer:
                writer.write(b"g" * more)
            self.appended += more
        data = self.real.read(n)
        self.read_bytes += len(data)
        return data

    def __enter__(self) -> _Growing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_a_growing_file_is_copied_at_most_one_byte_past_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import osint_kit._io as kio

    grow = tmp_path / "download.part.jpg"
    grow.write_bytes(b"\xff\xd8" + b"j" * (1 << 20))  # 1 MB when the intake starts
    handles: list[_Growing] = []
    real_open = kio.open_readonly

    def growing_open(path: Any, buffering: int = -1) -> Any:
        handle = real_open(path, buffering)
        if Path(path) == grow:
            handles.append(_Growing(handle, grow, cap=48 << 20))
            return handles[-1]
        return handle

    monkeypatch.setattr(kio, "open_readonly", growing_open)
    with Case.create(tmp_path / "case", title="t") as case:
        with pytest.raises(EvidenceError, match=r"grew|changed"):
            case.add_evidence(grow, analyse=False)
        assert case.table("evidence").empty
    copied = sum(h.read_bytes for h in handles)
    assert copied <= (1 << 20) + 2 + 1, f"{copied} bytes copied of a 1 MB file"
    assert not list((tmp_path / "case" / "objects" / ".tmp").iterdir())


def test_sparse_file_stays_sparse_in_the_store(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.bin"
    with open(sparse, "wb") as fh:
        fh.write(b"head")
        fh.truncate(256 << 20)  # 256 MB, almost all of it a hole
        fh.seek((256 << 20) - 4)
        fh.write(b"tail")
    if os.stat(sparse).st_blocks * 512 > (8 << 20):
        pytest.skip("this file system does not keep sparse files")
    data_sha = hashlib.sha256()
    with open(sparse, "rb") as fh:
        while block := fh.read(1 << 20):
            data_sha.update(block)
    with Case.create(tmp_path / "case", title="t") as case:
        item = case.add_evidence(sparse, analyse=False)
        stored = case.evidence_path(item.id)
        assert item.sha256 == data_sha.hexdigest() and item.size == 256 << 20
        assert os.stat(stored).st_size == 256 << 20
        assert os.stat(stored).st_blocks * 512 < (8 << 20), "the stored copy was written dense"
        assert case.verify().ok


def test_verify_reports_and_removes_leftovers_of_crashed_intakes(tmp_path: Path) -> None:
    import fcntl

    original = make_png(tmp_path / "a.png")
    with Case.create(tmp_path / "case", title="t") as case:
        case.add_evidence(original, analyse=False)
        tmp_dir = tmp_path / "case" / "objects" / ".tmp"
        crashed = tmp_dir / "intake-crashed"
        crashed.write_bytes(b"x" * 5000)  # what a killed intake leaves behind
        running = tmp_dir / "intake-running"  # an intake still copying, in another process
        running.write_bytes(b"y" * 10)
        for leftover in (crashed, running):  # older than the minute a new intake is given
            os.utime(leftover, (1_700_000_000, 1_700_000_000))
        young = tmp_dir / "intake-just-created"  # created, not yet locked by its intake
        young.write_bytes(b"")
        fd = os.open(running, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            report = case.verify()
        finally:
            os.close(fd)
        assert report.ok
        assert any("intake-crashed" in w and "5000 bytes" in w for w in report.warnings)
        assert not crashed.exists()
        assert running.exists(), "an intake in progress must not lose its file"
        assert young.exists(), "an intake that has not locked its file yet must keep it"
        # its lock released without the file being renamed: that intake died
        assert any("intake-running" in w for w in case.verify().warnings)
        assert not running.exists() and case.verify().warnings == ()
