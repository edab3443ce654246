"""Export and import: a checked round trip, and crafted archives refused."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from osint_kit.case import Case, Limits
from osint_kit.errors import CaseError, IntegrityError, UnsafeArchiveError


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_round_trip(case_copy, tmp_path: Path) -> None:
    path = case_copy()
    with Case.open(path) as case:
        zip_path = case.export(tmp_path / "out" / "case.zip")
        head = case.head()
        before = {t: case._store.rows(t) for t in ("sources", "claims", "evidence", "notes")}
    with Case.import_(zip_path, tmp_path / "imported") as other:
        report = other.verify(expected_head=head)
        assert report.ok, report
        after = {t: other._store.rows(t) for t in before}
        assert after == before
        log = other.custody()
        assert list(log["action"])[-2:] == ["export", "import"]
        assert log.iloc[-1]["details"]["zip_sha256"] == \
            hashlib.sha256(zip_path.read_bytes()).hexdigest()
        for rel in other.table("evidence")["stored_path"]:
            assert stat.S_IMODE(os.stat(other.path / rel).st_mode) == 0o444


def test_import_refuses_non_empty_destination(case_copy, tmp_path: Path) -> None:
    with Case.open(case_copy()) as case:
        zip_path = case.export(tmp_path / "case.zip")
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "file").write_text("x")
    with pytest.raises(CaseError, match="not an empty folder"):
        Case.import_(zip_path, dest)


def _rewrite(src: Path, dst: Path, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        files = {i.filename: zin.read(i) for i in zin.infolist()}
        change(files)
        for name, data in files.items():
            zout.writestr(name, data)


def test_altered_archive_is_refused_and_cleaned_up(case_copy, tmp_path: Path) -> None:
    with Case.open(case_copy()) as case:
        zip_path = case.export(tmp_path / "case.zip")

    def flip_object(files: dict[str, bytes]) -> None:
        name = next(n for n in files if n.startswith("objects/"))
        data = bytearray(files[name])
        data[len(data) // 2] ^= 1
        files[name] = bytes(data)

    bad = tmp_path / "bad.zip"
    _rewrite(zip_path, bad, flip_object)
    with pytest.raises(IntegrityError, match="does not match the manifest"):
        Case.import_(bad, tmp_path / "dest1")
    assert not (tmp_path / "dest1").exists()

    def edit_claim_and_fix_manifest(files: dict[str, bytes]) -> None:
        name = "tables/claims.jsonl"
        files[name] = files[name].replace(b"Kirby", b"Kerby")
        manifest = json.loads(files["manifest.json"])
        manifest["files"][name] = {"sha256": hashlib.sha256(files[name]).hexdigest(),
                                   "size": len(files[name])}
        files["manifest.json"] = json.dumps(manifest).encode()

    bad2 = tmp_path / "bad2.zip"
    _rewrite(zip_path, bad2, edit_claim_and_fix_manifest)
    with pytest.raises(IntegrityError, match="claims/C0001"):
        Case.import_(bad2, tmp_path / "dest2")
    assert not (tmp_path / "dest2").exists()


def _crafted(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


def _symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


HEX = "ab" + "c" * 62
CRAFTED: dict[str, tuple[list[tuple[zipfile.ZipInfo | str, bytes]], str]] = {
    "dotdot": ([("manifest.json", b"{}"), ("../evil.txt", b"pwned")], "zip slip"),
    "dotdot_nested": ([("objects/../../evil.txt", b"pwned")], "zip slip"),
    "absolute": ([("/tmp/evil-osint-kit.txt", b"pwned")], "absolute"),
    "drive": ([("C:/evil.txt", b"pwned")], "absolute"),
    "backslash": ([("..\\evil.txt", b"pwned")], "backslash"),
    "symlink": ([(_symlink_info(f"objects/ab/{HEX[2:]}"), b"../../../etc/passwd")],
                "symbolic link"),
}


@pytest.mark.parametrize("kind", sorted(CRAFTED))
def test_crafted_archives_are_refused(tmp_path: Path, kind: str) -> None:
    entries, message = CRAFTED[kind]
    outer = tmp_path / "outer"
    outer.mkdir()
    zip_path = _crafted(tmp_path / f"{kind}.zip", entries)
    before = _tree(tmp_path)
    dest = outer / "dest"
    with pytest.raises(UnsafeArchiveError, match=message):
        Case.import_(zip_path, dest)
    assert _tree(tmp_path) == before  # nothing written anywhere, not even dest
    assert not Path("/tmp/evil-osint-kit.txt").exists()


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    zip_path = _crafted(tmp_path / "bomb.zip", [(f"objects/ab/{HEX[2:]}", b"\0" * (30 << 20))])
    assert zip_path.stat().st_size < 100_000
    before = _tree(tmp_path)
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        Case.import_(zip_path, tmp_path / "dest")
    assert _tree(tmp_path) == before


def test_total_size_cap(tmp_path: Path) -> None:
    zip_path = _crafted(tmp_path / "big.zip", [(f"objects/ab/{HEX[2:]}", os.urandom(300_000))])
    with pytest.raises(UnsafeArchiveError, match="expands to more than"):
        Case.import_(zip_path, tmp_path / "dest", limits=Limits(max_total_bytes=100_000))
    assert not (tmp_path / "dest").exists()


def test_lying_size_is_cut_off_while_streaming(case_copy, tmp_path: Path) -> None:
    """An entry that inflates past its declared size stops at the limit."""
    with Case.open(case_copy()) as case:
        zip_path = case.export(tmp_path / "case.zip")
    data = bytearray(zip_path.read_bytes())
    with zipfile.ZipFile(zip_path) as zf:
        info = zf.getinfo("tables/notes.jsonl")
        declared = info.file_size
    # lower the declared size in the central directory only: the stream is now "too long"
    needle = declared.to_bytes(4, "little")
    pos = bytes(data).rfind(b"tables/notes.jsonl") - 46 + 24
    assert bytes(data[pos:pos + 4]) == needle
    data[pos:pos + 4] = (declared // 2).to_bytes(4, "little")
    bad = tmp_path / "lying.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises((UnsafeArchiveError, IntegrityError), match=r"declares|lies about"):
        Case.import_(bad, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_not_a_case_archive(tmp_path: Path) -> None:
    zip_path = _crafted(tmp_path / "other.zip", [("readme.txt", b"hello")])
    with pytest.raises(UnsafeArchiveError, match="not part of an osint_kit case export"):
        Case.import_(zip_path, tmp_path / "dest")
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(CaseError, match="not a readable zip"):
        Case.import_(tmp_path / "junk.zip", tmp_path / "dest")
