"""Hand a whole case to someone else and get it back intact: export and import as a zip.

The archive holds ``manifest.json`` (every file with its SHA-256 and size, and the custody
head), ``tables/<table>.jsonl`` (one canonical JSON record per line), ``custody.jsonl`` (the
log verbatim) and ``objects/ab/cdef…`` (the evidence). Import never trusts it: before a
byte is written every entry name is checked (no ``..``, no absolute or drive paths, no
backslashes, no links or devices, no duplicates, nothing outside the expected layout), the
declared sizes are capped (total and per-entry compression ratio); while extracting, each
entry is stream-copied with a hard byte limit and hashed, and must match the manifest. The
rebuilt case must then pass ``verify()``. Any failure removes what the import wrote.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from osint_kit._structured import load_json
from osint_kit.case.schema import TABLES, canonical_json, columns, upgrade_record
from osint_kit.case.store import Store
from osint_kit.errors import CaseError, IntegrityError, UnsafeArchiveError

FORMAT = "osint_kit-case"
FORMAT_VERSION = 1
_NAME_OK = re.compile(
    r"^(manifest\.json|custody\.jsonl|tables/[a-z_]+\.jsonl|objects/[0-9a-f]{2}/[0-9a-f]{62})$"
)


@dataclass(frozen=True)
class Limits:
    """Caps applied to an archive before and during extraction."""

    max_total_bytes: int = 2 << 30  # 2 GiB uncompressed in all
    max_entries: int = 100_000
    max_ratio: float = 200.0  # uncompressed / compressed, for entries above ratio_floor
    ratio_floor: int = 1 << 20
    max_text_bytes: int = 256 << 20  # each table and the log (streamed to disk, not memory)
    max_manifest_bytes: int = 32 << 20  # the manifest is parsed in memory: ~300 B per file
    max_line_bytes: int = 64 << 20  # one record or log entry (records are parsed one by one)


def _zip_info(name: str, mode: int = 0o644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def export_case(store: Store, zip_path: Path) -> dict[str, Any]:
    """Write a consistent snapshot of the case to ``zip_path``; return the manifest."""
    texts: dict[str, bytes] = {}
    conn = store.conn
    conn.execute("BEGIN")  # one read snapshot for everything (WAL)
    try:
        for table in TABLES:
            rows = store.rows(table)
            texts[f"tables/{table}.jsonl"] = "".join(
                canonical_json(r) + "\n" for r in rows).encode("utf-8")
        custody_rows = store.custody_rows()
        head = store.head()
        evidence = store.rows("evidence")
    finally:
        conn.execute("COMMIT")
    texts["custody.jsonl"] = "".join(
        canonical_json({"seq": s, "entry": e, "hash": h}) + "\n" for s, e, h in custody_rows
    ).encode("utf-8")
    files: dict[str, dict[str, Any]] = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in texts.items()
    }
    objects = sorted({str(r["stored_path"]) for r in evidence if r["stored_path"]})
    for rel in objects:
        path = store.folder / rel
        digest, size = _sha_size(path)
        files[rel] = {"sha256": digest, "size": size}
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "head": {"seq": head[0], "hash": head[1]} if head else None,
        "files": files,
    }
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=zip_path.parent, prefix=".export-", suffix=".zip")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp_name, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(_zip_info("manifest.json"),
                        json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8"))
            for name, data in texts.items():
                zf.writestr(_zip_info(name), data)
            for rel in objects:
                with open(store.folder / rel, "rb") as src, \
                        zf.open(_zip_info(rel, 0o444), "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(tmp_name, zip_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    return manifest


def _sha_size(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def check_entry_name(name: str) -> None:
    """Refuse names that could escape the destination (zip slip) or are not plain paths."""
    if not name or "\x00" in name:
        raise UnsafeArchiveError(f"archive entry {name!r}: empty name or NUL byte")
    if "\\" in name:
        raise UnsafeArchiveError(
            f"archive entry {name!r} uses backslashes (a Windows path that could escape the "
            "destination); refusing the whole archive")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise UnsafeArchiveError(
            f"archive entry {name!r} is an absolute path; refusing the whole archive")
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".") for part in parts) or "//" in name:
        raise UnsafeArchiveError(
            f"archive entry {name!r} contains '..' or '.' (path traversal, \"zip slip\"); "
            "refusing the whole archive")


def check_archive(zf: zipfile.ZipFile, dest: Path, limits: Limits) -> list[zipfile.ZipInfo]:
    """Validate every entry before anything is written; return the file entries."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeArchiveError(
            f"archive has {len(infos)} entries, above the limit of {limits.max_entries}")
    seen: set[str] = set()
    total = 0
    root = dest.resolve()
    out = []
    for info in infos:
        name = info.filename
        check_entry_name(name)
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if kind == stat.S_IFLNK:
            raise UnsafeArchiveError(
                f"archive entry {name!r} is a symbolic link; links could point outside the "
                "destination, refusing the whole archive")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise UnsafeArchiveError(f"archive entry {name!r} is a device, pipe or socket")
        if info.flag_bits & 0x1:
            raise UnsafeArchiveError(f"archive entry {name!r} is encrypted")
        target = (root / name).resolve()
        if target != root and root not in target.parents:
            raise UnsafeArchiveError(f"archive entry {name!r} would land outside {dest}")
        if name in seen:
            raise UnsafeArchiveError(f"archive entry {name!r} appears twice")
        seen.add(name)
        if info.is_dir():
            continue
        total += info.file_size
        if total > limits.max_total_bytes:
            raise UnsafeArchiveError(
                f"archive expands to more than {limits.max_total_bytes} bytes (zip bomb?); "
                "raise Limits.max_total_bytes if this case really is that large")
        if info.file_size > limits.ratio_floor and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UnsafeArchiveError(
                f"archive entry {name!r} expands {info.file_size / max(info.compress_size, 1):.0f}"
                f" times (limit {limits.max_ratio:.0f}): a zip bomb")
        if not _NAME_OK.match(name):
            raise UnsafeArchiveError(
                f"archive entry {name!r} is not part of an osint_kit case export")
        out.append(info)
    return out


#: What zipfile raises on damaged or hostile archives (bad offsets, methods, CRCs...).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
               NotImplementedError, RuntimeError, KeyError, struct.error)


def _zip_call(info: zipfile.ZipInfo, call: Any) -> Any:
    """Run one zipfile read step, turning its many failure types into IntegrityError."""
    try:
        return call()
    except _ZIP_ERRORS as err:
        raise IntegrityError(
            f"archive entry {info.filename!r} is damaged or lies about its size "
            f"({type(err).__name__}: {err}); ask for a fresh export") from err


def _copy_entry(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, sink: Any, budget: int
) -> tuple[str, int]:
    """Stream one entry into ``sink`` with a hard byte limit; return its sha256 and size."""
    digest, size = hashlib.sha256(), 0
    limit = min(info.file_size, budget)
    src = _zip_call(info, lambda: zf.open(info))
    with src:
        while block := _zip_call(info, lambda: src.read(1 << 20)):
            size += len(block)
            if size > limit:
                raise UnsafeArchiveError(
                    f"archive entry {info.filename!r} produced more bytes than it declares "
                    "or than the size limit allows (zip bomb?)")
            digest.update(block)
            sink.write(block)
    return digest.hexdigest(), size


def import_case(
    zip_path: Path, dest: Path, actor: str, tool: str, limits: Limits | None = None
) -> Store:
    """Check and unpack an exported case into ``dest`` (new or empty); return its store."""
    limits = limits or Limits()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise CaseError(f"{dest} exists and is not an empty folder; import into a new folder")
    try:
        zf = zipfile.ZipFile(zip_path)
    except _ZIP_ERRORS as err:
        raise CaseError(f"{zip_path}: not a readable zip archive ({err})") from err
    created = not dest.exists()
    with zf:
        infos = check_archive(zf, dest, limits)  # nothing written before this passes
        dest.mkdir(parents=True, exist_ok=True)
        try:
            return _unpack(zf, infos, zip_path, dest, actor, tool, limits)
        except BaseException:
            _cleanup(dest, created)
            raise


def _cleanup(dest: Path, created: bool) -> None:
    def _writable(func: Any, path: str, _exc: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o600)
            func(path)

    if created:
        shutil.rmtree(dest, onerror=_writable)
    else:
        for child in dest.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, onerror=_writable)
            else:
                child.unlink()


#: the keys of manifest.json, of its "files" values and of its "head" (nothing else)
_MANIFEST_KEYS = frozenset({"format", "version", "head", "files"})
_FILE_KEYS = frozenset({"sha256", "size"})
_HEAD_KEYS = frozenset({"seq", "hash"})
_SHA = re.compile(r"^[0-9a-f]{64}$")
#: where text entries wait, hashed, until every hash matched (removed before returning)
STAGING = ".import-staging"


def read_manifest(data: bytes, zip_path: Path, limits: Limits) -> dict[str, Any]:
    """Parse and validate manifest.json: exactly the documented keys and types."""
    manifest = load_json(data, CaseError, what=f"{zip_path}: manifest.json",
                         max_bytes=limits.max_manifest_bytes, max_depth=4,
                         unsafe=UnsafeArchiveError)
    if not isinstance(manifest, dict):
        raise CaseError(f"{zip_path}: manifest.json is not a JSON object")
    if manifest.get("format") != FORMAT:
        raise CaseError(f"{zip_path}: not an osint_kit case export "
                        f"(format {str(manifest.get('format'))[:40]!r})")
    unknown = sorted(set(manifest) - _MANIFEST_KEYS)
    if unknown:
        raise UnsafeArchiveError(
            f"{zip_path}: manifest.json has unknown key(s) {[k[:40] for k in unknown[:5]]}; "
            "an osint_kit export has only format, version, head and files")
    if manifest.get("version") != FORMAT_VERSION or isinstance(manifest.get("version"), bool):
        raise CaseError(f"{zip_path}: export format version {manifest.get('version')!r:.20} "
                        f"is not {FORMAT_VERSION}; use the osint_kit version that wrote it")
    files, head = manifest.get("files"), manifest.get("head")
    if not isinstance(files, dict):
        raise CaseError(f"{zip_path}: manifest.json 'files' must map names to sha256 and size")
    for name, entry in files.items():
        if not (isinstance(entry, dict) and set(entry) == _FILE_KEYS
                and isinstance(entry["sha256"], str) and _SHA.match(entry["sha256"])
                and type(entry["size"]) is int and entry["size"] >= 0):
            raise CaseError(f"{zip_path}: manifest.json entry {name[:80]!r} must be exactly "
                            "{sha256: 64 hex digits, size: bytes}")
    if head is not None and not (isinstance(head, dict) and set(head) == _HEAD_KEYS
                                 and type(head["seq"]) is int and head["seq"] > 0
                                 and isinstance(head["hash"], str) and _SHA.match(head["hash"])):
        raise CaseError(f"{zip_path}: manifest.json 'head' must be {{seq, hash}} or null")
    return manifest


def _unpack(
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    zip_path: Path,
    dest: Path,
    actor: str,
    tool: str,
    limits: Limits,
) -> Store:
    """Stream every entry to disk one at a time, hashing it; nothing is parsed before every
    hash matched the manifest, and only the manifest (capped) is ever held in memory."""
    import io

    by_name = {i.filename: i for i in infos}
    info = by_name.get("manifest.json")
    if info is None:
        raise CaseError(f"{zip_path}: no manifest.json; this is not an osint_kit case export")
    if info.file_size > limits.max_manifest_bytes:
        raise UnsafeArchiveError(
            f"{zip_path}: manifest.json declares {info.file_size} bytes, above the "
            f"{limits.max_manifest_bytes}-byte limit (Limits.max_manifest_bytes)")
    buf = io.BytesIO()
    budget = limits.max_total_bytes
    _sha, size = _copy_entry(zf, info, buf, min(budget, limits.max_manifest_bytes))
    budget -= size
    manifest_bytes = buf.getvalue()
    del buf
    manifest = read_manifest(manifest_bytes, zip_path, limits)
    files: Mapping[str, Mapping[str, Any]] = manifest["files"]
    listed, present = set(files), set(by_name) - {"manifest.json"}
    if listed != present:
        raise IntegrityError(
            f"{zip_path}: archive and manifest disagree; missing from the archive: "
            f"{sorted(listed - present)[:10]}, not in the manifest: {sorted(present - listed)[:10]}")
    staging = dest / STAGING
    staging.mkdir()
    for name, info in by_name.items():
        if name == "manifest.json":
            continue
        text = not name.startswith("objects/")
        target = staging / name.replace("/", "__") if text else dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
        with os.fdopen(fd, "wb") as out:
            digest, size = _copy_entry(
                zf, info, out, min(budget, limits.max_text_bytes) if text else budget)
            out.flush()
            os.fsync(out.fileno())
        budget -= size
        _expect(files, name, digest, size)
        if not text:
            os.chmod(target, 0o444)
            if name.replace("objects/", "").replace("/", "") != digest:
                raise IntegrityError(f"{name}: content does not match its content-addressed name")
    store = Store(dest, actor=actor, tool=tool)
    try:
        _restore(store, staging, manifest, limits)
        shutil.rmtree(staging)
        from osint_kit.case.case import verify_store

        report = verify_store(store)
        report.raise_for_problems()
        store.log("import", {
            "from": zip_path.name,
            "zip_sha256": _sha_size(zip_path)[0],
            "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
            "files": len(files),
        })
    except BaseException:
        store.close()
        raise
    return store


def _expect(files: Mapping[str, Mapping[str, Any]], name: str, digest: str, size: int) -> None:
    want = files.get(name) or {}
    if want.get("sha256") != digest or want.get("size") != size:
        raise IntegrityError(
            f"{name}: its SHA-256 {digest[:12]}… ({size} bytes) does not match the manifest "
            f"({str(want.get('sha256'))[:12]}…, {want.get('size')} bytes): the archive was "
            "altered or damaged in transit")


def _lines(staging: Path, name: str, limits: Limits) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) of one staged text entry, one line in memory at a time."""
    path = staging / name.replace("/", "__")
    if not path.exists():
        return
    with open(path, "rb") as fh:
        number = 0
        while line := fh.readline(limits.max_line_bytes + 1):
            number += 1
            where = f"{name} line {number}"
            if len(line) > limits.max_line_bytes:
                raise UnsafeArchiveError(f"{where}: longer than {limits.max_line_bytes} bytes "
                                         "(Limits.max_line_bytes)")
            if not line.strip():
                continue
            yield number, load_json(line, CaseError, what=where,
                                    max_bytes=limits.max_line_bytes, max_depth=1,
                                    unsafe=UnsafeArchiveError)


def _restore(store: Store, staging: Path, manifest: Mapping[str, Any], limits: Limits) -> None:
    """Write records and the custody log verbatim (no new entries: they are history)."""
    legacy: dict[str, list[dict[str, Any]]] = {}
    with store.transaction() as conn:
        for table in TABLES:
            name = f"tables/{table}.jsonl"
            for number, record in _lines(staging, name, limits):
                upgraded = upgrade_record(table, record) if isinstance(record, dict) else None
                if upgraded is not None:  # written by an older version: migrated below
                    legacy.setdefault(table, []).append(record)
                    record = upgraded
                if not isinstance(record, dict) or set(record) != set(columns(table)) or \
                        not all(v is None or isinstance(v, str | int) for v in record.values()):
                    raise CaseError(f"{name} line {number}: not a {table} record")
                names = ", ".join(f'"{c}"' for c in columns(table))
                marks = ", ".join("?" for _ in columns(table))
                try:
                    conn.execute(
                        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                        tuple(record[c] for c in columns(table)),
                    )
                except (sqlite3.Error, OverflowError, ValueError) as err:  # duplicate id, bad text
                    raise CaseError(f"{name} line {number}: {err}") from err
        for number, row in _lines(staging, "custody.jsonl", limits):
            if not (isinstance(row, dict) and set(row) == {"seq", "entry", "hash"}
                    and type(row["seq"]) is int and isinstance(row["entry"], str)
                    and isinstance(row["hash"], str)):
                raise CaseError(f"custody.jsonl line {number}: not a custody row "
                                "{seq: int, entry: text, hash: text}")
            try:
                conn.execute("INSERT INTO custody (seq, entry, hash) VALUES (?, ?, ?)",
                             (row["seq"], row["entry"], row["hash"]))
            except (ValueError, OverflowError, sqlite3.Error) as err:
                raise CaseError(f"custody.jsonl line {number}: {err}") from err
        head = manifest.get("head")
        if head:
            conn.execute("INSERT INTO custody_head (id, seq, hash) VALUES (1, ?, ?)",
                         (head["seq"], head["hash"]))
        for table, rows in legacy.items():
            store.repin(conn, table, rows)
