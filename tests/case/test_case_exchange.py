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


# --- hostile manifests, tables and logs (issue 19 item 4) -----------------------------------


def _export(case_copy, tmp_path: Path) -> Path:
    with Case.open(case_copy()) as case:
        return case.export(tmp_path / "case.zip")


def _refit(files: dict[str, bytes], name: str, data: bytes) -> None:
    """Replace one entry and fix the manifest, as an attacker who controls the zip would."""
    files[name] = data
    manifest = json.loads(files["manifest.json"])
    manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    files["manifest.json"] = json.dumps(manifest).encode()


def test_manifest_with_unknown_keys_is_refused(case_copy, tmp_path: Path) -> None:
    def pad(files: dict[str, bytes]) -> None:
        manifest = json.loads(files["manifest.json"])
        manifest["pad"] = [0] * 1000
        files["manifest.json"] = json.dumps(manifest).encode()

    bad = tmp_path / "pad.zip"
    _rewrite(_export(case_copy, tmp_path), bad, pad)
    with pytest.raises(UnsafeArchiveError, match=r"unknown key\(s\) \['pad'\]"):
        Case.import_(bad, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_oversized_manifest_is_refused_before_it_is_read(case_copy, tmp_path: Path) -> None:
    zip_path = _export(case_copy, tmp_path)
    with zipfile.ZipFile(zip_path) as zf:
        size = zf.getinfo("manifest.json").file_size
    with pytest.raises(UnsafeArchiveError, match=r"manifest\.json declares"):
        Case.import_(zip_path, tmp_path / "dest", limits=Limits(max_manifest_bytes=size - 1))
    assert not (tmp_path / "dest").exists()


DEEP = b"[" * 50_000 + b"]" * 50_000


@pytest.mark.parametrize("where", ["manifest", "table", "custody_row", "custody_entry"])
def test_deeply_nested_json_is_unsafe_not_recursion(case_copy, tmp_path: Path,
                                                    where: str) -> None:
    def nest(files: dict[str, bytes]) -> None:
        if where == "manifest":
            manifest = json.loads(files["manifest.json"])
            files["manifest.json"] = json.dumps(manifest)[:-1].encode() + b', "x": ' + DEEP + b"}"
        elif where == "table":
            _refit(files, "tables/notes.jsonl", files["tables/notes.jsonl"] + DEEP + b"\n")
        elif where == "custody_row":
            _refit(files, "custody.jsonl", files["custody.jsonl"] + DEEP + b"\n")
        else:  # a log entry's own text (a JSON string inside the row) nested deep
            lines = files["custody.jsonl"].splitlines()
            row = json.loads(lines[-1])
            row["entry"] = DEEP.decode()
            lines[-1] = json.dumps(row).encode()
            _refit(files, "custody.jsonl", b"\n".join(lines) + b"\n")

    bad = tmp_path / "deep.zip"
    _rewrite(_export(case_copy, tmp_path), bad, nest)
    error = IntegrityError if where == "custody_entry" else UnsafeArchiveError
    with pytest.raises(error, match="nested more than" if error is UnsafeArchiveError
                       else "not valid UTF-8 JSON"):
        Case.import_(bad, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


@pytest.mark.slow
def test_import_streams_tables_with_flat_memory(case_copy, tmp_path: Path) -> None:
    """A 60 MB table of tiny lines (a 0.3 MB zip) used ~1.5 GB before: every text entry was
    held in memory, decoded and split at once. Now it is streamed and parsed line by line."""
    import random
    import subprocess
    import sys

    import osint_kit

    rng = random.Random(0)
    parts, size = [], 0
    while size < 60_000_000:  # compressible, but under the ratio limit of 200
        chunk = "{}\n" * 15_000 + "\n".join(str(rng.randrange(10**9)) for _ in range(34)) + "\n"
        parts.append(chunk)
        size += len(chunk)
    table = "".join(parts).encode()
    bad = tmp_path / "lines.zip"
    _rewrite(_export(case_copy, tmp_path), bad,
             lambda files: _refit(files, "tables/notes.jsonl", table))
    # VmHWM, not ru_maxrss: the latter starts at the forking pytest process's size
    code = ("import sys\nfrom osint_kit.case import Case\n"
            "from osint_kit.errors import CaseError\n"
            "try:\n    Case.import_(sys.argv[1], sys.argv[2])\n"
            "except CaseError as err:\n    print(type(err).__name__, err)\n"
            "print([ln.split()[1] for ln in open('/proc/self/status') "
            "if ln.startswith('VmHWM')][0])\n")
    proc = subprocess.run([sys.executable, "-c", code, str(bad), str(tmp_path / "dest")],
                          capture_output=True, text=True, timeout=300, check=True,
                          env={**os.environ, "PYTHONPATH": str(Path(osint_kit.__file__).parents[1])})
    lines = proc.stdout.strip().splitlines()
    assert "not a notes record" in lines[0]
    peak_mb = int(lines[-1]) / 1024
    assert peak_mb < 250, f"import of a 60 MB table peaked at {peak_mb:.0f} MB"
